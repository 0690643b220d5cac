"""Kolada API v3: KPI metadata and values for riket, regions and kommuner by year, total and
by sex, paged, and incremental from a date.

Kolada's ids are mapped to SCB codes (``0000`` riket, ``00LL`` regions, ``KKKK`` kommuner);
municipality groups (``G…``) are left out, since Hälsogap keeps areas, not averages of them.
A value that is null (not published) or deleted is not a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import polars as pl

from halsogap.sources.codes import kolada_area
from halsogap.sources.http import SourceClient, SourceFetchError
from halsogap.sources.jsonstat import SourceTable

BASE_URL = "https://api.kolada.se/v3"
#: Kolada refuses longer id and year lists in one path (and long URLs with HTTP 400).
MAX_IDS = 25
PER_PAGE = 5000


def _batches(items: Sequence, size: int) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _pages(client: SourceClient, url: str, params: dict) -> list[dict]:
    """Every object of a paged answer, following ``next_url`` (or v2's ``next_page``)."""
    rows, next_url, first, seen = [], url, True, set()
    while next_url:
        # A source that points back to a page already read would otherwise loop for ever.
        if next_url in seen:
            raise SourceFetchError(client.name, f"sidan {next_url} kom tillbaka i sidväxlingen")
        seen.add(next_url)
        answer = client.get_json(next_url, **(params if first else {}))
        if not isinstance(answer, dict) or "values" not in answer:
            raise SourceFetchError(client.name, "svaret saknar 'values'")
        rows.extend(answer["values"])
        next_url, first = answer.get("next_url") or answer.get("next_page"), False
    return rows


def kpi_metadata(client: SourceClient, kpis: Sequence[str], *, base_url: str = BASE_URL) -> dict:
    """Title, description and sex split of each KPI: ``{id: {...}}``."""
    found = {}
    for batch in _batches(list(kpis), MAX_IDS):
        for kpi in _pages(client, f"{base_url}/kpi/{','.join(batch)}", {"per_page": PER_PAGE}):
            found[kpi["id"]] = kpi
    return found


def fetch_kolada(
    client: SourceClient,
    kpis: Sequence[str],
    years: Sequence[int],
    *,
    municipalities: Sequence[str] = (),
    updated_since: str | None = None,
    base_url: str = BASE_URL,
) -> SourceTable:
    """Values of ``kpis`` for ``years`` (all areas, or ``municipalities`` by Kolada id).

    ``updated_since`` (``"2026-11-01"``) asks only for values changed since then, Kolada's
    ``from_date``, so a scheduled refresh fetches what is new.
    """
    base = base_url.rstrip("/")
    params: dict = {"per_page": PER_PAGE}
    if updated_since:
        params["from_date"] = updated_since
    rows = []
    for kpi_batch in _batches(list(kpis), MAX_IDS):
        for year_batch in _batches([str(y) for y in years], MAX_IDS):
            path = f"{base}/data/kpi/{','.join(kpi_batch)}"
            if municipalities:
                for area_batch in _batches(list(municipalities), MAX_IDS):
                    url = f"{path}/municipality/{','.join(area_batch)}/year/{','.join(year_batch)}"
                    rows += _pages(client, url, params)
            else:
                rows += _pages(client, f"{path}/year/{','.join(year_batch)}", params)
    frame = _tidy(rows)
    metadata = {
        "source": "Kolada/RKA",
        "label": f"Kolada {', '.join(kpis)}",
        "table": ",".join(kpis),
        "request": {
            "api": "Kolada v3",
            "url": base,
            "kpis": list(kpis),
            "years": [int(y) for y in years],
            "municipalities": list(municipalities),
            "updated_since": updated_since,
        },
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return SourceTable(frame, metadata)


def _tidy(rows: list[dict]) -> pl.DataFrame:
    out = {k: [] for k in ("indikator", "område", "period", "kön", "värde", "undertryckt")}
    for row in rows:
        area = str(row.get("municipality", ""))
        if area.startswith("G"):
            continue
        for value in row.get("values", []):
            if value.get("isdeleted") or value.get("value") is None:
                continue
            out["indikator"].append(str(row["kpi"]))
            out["område"].append(kolada_area(area))
            out["period"].append(str(row["period"]))
            out["kön"].append(str(value.get("gender") or "T"))
            number = value["value"]
            out["värde"].append(str(int(number)) if float(number).is_integer() else str(number))
            out["undertryckt"].append("")
    return pl.DataFrame(out, schema={k: pl.String for k in out})
