"""Socialstyrelsen's statistics database API (``sdb.socialstyrelsen.se/api/v1/sv``).

A selection is the database (``dodsorsaker``, ``lakemedel`` …) and the ids wanted per
dimension (``{"matt": [2], "diagnos": ["I21"], "region": [0, 1], "kon": [1, 2, 3], "ar": [2023]}``);
the measure (``matt``) usually takes one value per request, so each measure is its own call.
Regions are 0 (riket) and the län codes, sex 1 män, 2 kvinnor, 3 båda; age ids are read from the
database's ``alder`` dimension so that "85+" is a band, not an id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import polars as pl

from halsogap.sources.codes import age_band
from halsogap.sources.http import SourceClient, SourceFetchError
from halsogap.sources.jsonstat import SourceTable

BASE_URL = "https://sdb.socialstyrelsen.se/api/v1/sv"
SEXES = {1: "M", 2: "K", 3: "T"}
PER_PAGE = 5000


def _number(text) -> str:
    """SDB writes values as text with a decimal comma and (non-breaking) spaces."""
    if text is None:
        return ""
    cleaned = str(text).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return cleaned


def _ages(client: SourceClient, base: str, database: str) -> dict[int, str]:
    answer = client.get_json(f"{base}/{database}/alder")
    items = answer.get("data", answer) if isinstance(answer, dict) else answer
    return {int(a["id"]): age_band(str(a.get("text", "")), str(a.get("text", ""))) for a in items}


def fetch_socialstyrelsen(
    client: SourceClient,
    database: str,
    selection: Mapping[str, Sequence],
    *,
    indicator: str,
    base_url: str = BASE_URL,
) -> SourceTable:
    """Values of one database selection as tidy rows of ``indicator``, all pages."""
    base = base_url.rstrip("/")
    if not selection.get("matt"):
        raise SourceFetchError("urvalet", 'välj ett mått ("matt"), t.ex. {"matt": [1]}')
    ages = _ages(client, base, database) if "alder" in selection else {}
    rows = []
    for measure in selection["matt"]:
        segments = [f"matt/{measure}"] + [
            f"{dim}/{','.join(str(v) for v in values)}"
            for dim, values in selection.items()
            if dim != "matt"
        ]
        url, params = f"{base}/{database}/resultat/{'/'.join(segments)}", {"per_sida": PER_PAGE}
        seen = set()
        while url and url not in seen:
            seen.add(url)
            answer = client.get_json(url, **params)
            if not isinstance(answer, dict) or "data" not in answer:
                raise SourceFetchError(client.name, "svaret saknar 'data'")
            rows += answer["data"]
            url, params = answer.get("nasta_sida"), {}
    out = {k: [] for k in ("indikator", "område", "period", "kön", "åldersgrupp", "värde")}
    for row in rows:
        value = _number(row.get("varde"))
        if not value:
            continue
        region = int(row.get("regionId", 0))
        out["indikator"].append(indicator)
        out["område"].append(f"{region:02d}")
        out["period"].append(str(row["ar"]))
        out["kön"].append(SEXES.get(int(row.get("konId", 3)), str(row.get("konId"))))
        out["åldersgrupp"].append(ages.get(int(row["alderId"]), "") if "alderId" in row else "")
        out["värde"].append(value)
    metadata = {
        "source": "Socialstyrelsen",
        "label": f"Socialstyrelsens statistikdatabas: {database}",
        "table": database,
        "request": {
            "api": "SDB v1",
            "url": base,
            "database": database,
            "selection": dict(selection),
        },
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return SourceTable(pl.DataFrame(out, schema={k: pl.String for k in out}), metadata)
