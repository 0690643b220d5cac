"""PX-Web connectors: PxWebApi 2.0 (SCB's statistikdatabasen) and the v1 API (SCB's older API,
Folkhälsomyndigheten's Folkhälsodata, most regional installations).

Both read the table's metadata first, expand the selection (``*``, ``01*``, ``top(3)``,
``bottom(2)`` or explicit codes) against it, split a selection larger than the source's cells
per call into several calls, and unroll each JSON-stat answer with
:func:`~halsogap.sources.jsonstat.jsonstat_table`. What was asked and when is kept in the
table's metadata for the load batch.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

from halsogap.sources.http import SourceClient, SourceFetchError
from halsogap.sources.jsonstat import SourceTable, json_table

#: SCB's limit per call (PxWebApi 2.0 allows about 150 000; v1 100 000): split below it.
DEFAULT_MAX_CELLS = 100_000


@dataclass(frozen=True)
class PxWebSelection:
    """A table and the values wanted of each variable; variables left out are eliminated
    (their total) where the table allows it.

    ``indicator`` names the Hälsogap indicator for a table with one content; ``codelists``
    picks a variable's value set (``{"Region": "vs_RegionKommun07"}``, v2 only).
    """

    table: str
    selection: Mapping[str, Sequence[str]]
    indicator: str | None = None
    codelists: Mapping[str, str] = field(default_factory=dict)


def expand(expression: str, codes: Sequence[str], *, variable: str) -> list[str]:
    """The codes an expression selects among ``codes`` (in the table's order).

    >>> codes = ["2020", "2021", "2022", "2023"]
    >>> expand("top(2)", codes, variable="Tid"), expand("bottom(1)", codes, variable="Tid")
    (['2022', '2023'], ['2020'])
    >>> expand("202*", codes, variable="Tid")[:2], expand("2021", codes, variable="Tid")
    (['2020', '2021'], ['2021'])
    >>> expand("1999", codes, variable="Tid")
    Traceback (most recent call last):
    ...
    halsogap.sources.http.SourceFetchError: urvalet svarade inte som väntat: koden "1999" finns inte i variabeln "Tid"
    """
    if m := re.fullmatch(r"top\((\d+)\)", expression):
        return list(codes[-int(m[1]) :])
    if m := re.fullmatch(r"bottom\((\d+)\)", expression):
        return list(codes[: int(m[1])])
    if expression == "*":
        return list(codes)
    if expression.endswith("*"):
        return [c for c in codes if c.startswith(expression[:-1])]
    if expression not in codes:
        raise SourceFetchError(
            "urvalet", f'koden "{expression}" finns inte i variabeln "{variable}"'
        )
    return [expression]


def resolve(selection: Mapping[str, Sequence[str]], variables: Mapping[str, Sequence[str]]):
    """Each selected variable's codes, expanded and in the table's order, duplicates dropped."""
    resolved = {}
    for variable, expressions in selection.items():
        if variable not in variables:
            known = ", ".join(variables)
            raise SourceFetchError("urvalet", f'variabeln "{variable}" finns inte (finns: {known})')
        wanted = set()
        for expression in expressions:
            wanted.update(expand(str(expression), variables[variable], variable=variable))
        resolved[variable] = [c for c in variables[variable] if c in wanted]
    return resolved


def split(resolved: Mapping[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Selections of at most ``max_cells`` cells each that together cover ``resolved``.

    The variable with most values is cut first, then the next, until every part fits.

    >>> parts = split({"Region": ["01", "03", "04"], "Tid": ["2022", "2023"]}, 2)
    >>> [(p["Region"], p["Tid"]) for p in parts][:2], len(parts)
    ([(['01'], ['2022', '2023']), (['03'], ['2022', '2023'])], 3)
    """
    cells = math.prod(len(v) for v in resolved.values()) if resolved else 1
    if cells <= max_cells:
        return [dict(resolved)]
    variable = max(resolved, key=lambda v: len(resolved[v]))
    values = resolved[variable]
    rest = cells // len(values)
    step = max(1, max_cells // max(rest, 1))
    parts = []
    for start in range(0, len(values), step):
        part = {**resolved, variable: values[start : start + step]}
        parts.extend(split(part, max_cells) if rest * len(part[variable]) > max_cells else [part])
    return parts


def _combine(tables: list[SourceTable], extra: dict) -> SourceTable:
    frame = (
        pl.concat([t.frame for t in tables], how="diagonal_relaxed") if tables else pl.DataFrame()
    )
    metadata = dict(tables[0].metadata) if tables else {}
    metadata.update(extra)
    metadata["fetched_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return SourceTable(frame, metadata)


def fetch_pxweb_v2(
    client: SourceClient,
    base_url: str,
    selection: PxWebSelection,
    *,
    lang: str = "sv",
    max_cells: int = DEFAULT_MAX_CELLS,
) -> SourceTable:
    """Fetch a PxWebApi 2.0 table (``base_url`` e.g. ``https://statistikdatabasen.scb.se/api/v2``).

    Raises :class:`~halsogap.sources.http.SourceFetchError` with the source's own message when
    it refuses, after the client's retries for a busy or unreachable source.
    """
    base = base_url.rstrip("/")
    metadata = client.get_json(f"{base}/tables/{selection.table}/metadata", lang=lang)
    variables = {
        code: _category_codes(metadata["dimension"][code]) for code in metadata.get("id", [])
    }
    parts = split(resolve(selection.selection, variables), max_cells)
    tables = []
    for part in parts:
        body = {
            "selection": [
                {
                    "variableCode": variable,
                    "valueCodes": codes,
                    **(
                        {"codelist": selection.codelists[variable]}
                        if variable in selection.codelists
                        else {}
                    ),
                }
                for variable, codes in part.items()
            ]
        }
        answer = client.post_json(
            f"{base}/tables/{selection.table}/data", body, lang=lang, outputFormat="json-stat2"
        )
        table = json_table(answer, f"{selection.table}.json", indicator=selection.indicator)
        if table is None:
            raise SourceFetchError(client.name, "svaret var inte JSON-stat 2.0")
        tables.append(table)
    request = {"api": "PxWebApi 2.0", "url": base, "table": selection.table}
    return _combine(
        tables,
        {"request": {**request, "selection": dict(selection.selection)}, "calls": len(parts)},
    )


def _category_codes(dimension: Mapping) -> list[str]:
    index = dimension.get("category", {}).get("index", {})
    if isinstance(index, list):
        return [str(c) for c in index]
    return [str(c) for c in sorted(index, key=index.get)]


def fetch_pxweb_v1(
    client: SourceClient,
    table_url: str,
    selection: PxWebSelection,
    *,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> SourceTable:
    """Fetch a PX-Web v1 table (``table_url`` is the table's API address, e.g.
    ``https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/A_Folkhalsodata/…/x.px``).

    The answer is asked for as JSON-stat 2.0 (``json-stat2``).
    """
    metadata = client.get_json(table_url)
    variables = {v["code"]: [str(c) for c in v["values"]] for v in metadata.get("variables", [])}
    parts = split(resolve(selection.selection, variables), max_cells)
    tables = []
    name = table_url.rsplit("/", 1)[-1]
    for part in parts:
        body = {
            "query": [
                {"code": variable, "selection": {"filter": "item", "values": codes}}
                for variable, codes in part.items()
            ],
            "response": {"format": "json-stat2"},
        }
        answer = client.post_json(table_url, body)
        table = json_table(answer, name, indicator=selection.indicator)
        if table is None:
            raise SourceFetchError(client.name, "svaret var inte JSON-stat")
        tables.append(table)
    request = {"api": "PX-Web v1", "url": table_url, "selection": dict(selection.selection)}
    combined = _combine(tables, {"request": request, "calls": len(parts)})
    if not combined.metadata.get("table"):
        combined.metadata["table"] = name.removesuffix(".px")
    if not combined.metadata.get("label"):
        combined.metadata["label"] = metadata.get("title")
    return combined
