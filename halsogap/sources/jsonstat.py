"""JSON-stat 2.0 (PxWebApi 2.0, PX-Web v1 ``json-stat2``) and PX-Web v1's own JSON, as tidy rows.

A JSON-stat dataset is a cube: ``id`` names the dimensions, ``size`` their lengths, and
``value`` is the cells in row-major order (the last dimension varies fastest). Each category's
position is ``dimension[d].category.index``. :func:`read_jsonstat` unrolls the cube into one
row per cell with Hälsogap's tidy columns (see :mod:`halsogap.sources.codes`); validation then
happens in :mod:`halsogap.imports` exactly as for a typed file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from halsogap.sources.codes import (
    Dimension,
    age_band,
    area_code,
    file_error,
    measure_role,
    period_code,
    role_of,
    sex_code,
)

#: The tidy column each role is written to (the Swedish spellings of the tidy contract).
COLUMNS = {
    "indicator": "indikator",
    "area": "område",
    "period": "period",
    "sex": "kön",
    "age_band": "åldersgrupp",
    "value": "värde",
    "lower": "nedre",
    "upper": "övre",
    "denominator": "nämnare",
    "suppressed": "undertryckt",
}
#: Cell statuses that mean "there is a value but it is not shown" (SCB: ".." not available or
#: too uncertain to publish). A missing cell without such a status is simply not a row.
SUPPRESSED_STATUSES = {"..", "…", ":"}


@dataclass(frozen=True)
class SourceTable:
    """A source's table as tidy text columns, with what it says about itself.

    ``frame`` has the tidy contract's Swedish headers and one row per cell, strings only, so
    that it validates like a CSV. ``metadata`` keeps the source, the table id, its label, when
    it was updated, the unit of each content and the fixed choices of the selection
    (``{"civilstånd": "ogifta"}``); the load batch records it.
    """

    frame: pl.DataFrame
    metadata: dict = field(default_factory=dict)


def _dimensions(doc: Mapping, filename: str) -> list[Dimension]:
    dims = []
    for code in doc["id"]:
        spec = doc["dimension"][code]
        category = spec.get("category", {})
        index = category.get("index")
        labels = category.get("label", {})
        if isinstance(index, list):
            codes = list(index)
        elif isinstance(index, Mapping):
            codes = sorted(index, key=index.get)
        else:
            codes = list(labels)
        dims.append(
            Dimension(
                code,
                str(spec.get("label", code)),
                tuple(str(c) for c in codes),
                tuple(str(labels.get(c, c)) for c in codes),
            )
        )
    if [d.size for d in dims] != list(doc["size"]):
        raise file_error(filename, "lika många kategorier som 'size' anger", str(doc["size"]))
    return dims


def _cells(doc: Mapping, total: int) -> tuple[list, list]:
    """Values and statuses as two lists of ``total`` cells (JSON-stat allows both sparse
    objects and dense arrays for each)."""
    raw = doc.get("value", [])
    values = [None] * total
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            values[int(key)] = value
    else:
        values[: len(raw)] = raw
    status = doc.get("status")
    statuses = [None] * total
    if isinstance(status, str):
        statuses = [status] * total
    elif isinstance(status, Mapping):
        for key, value in status.items():
            statuses[int(key)] = value
    elif isinstance(status, list):
        statuses[: len(status)] = status
    return values, statuses


def _number_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _roles(doc: Mapping, dims: list[Dimension]) -> dict[str, str]:
    role = doc.get("role", {})
    time, metric, geo = (set(role.get(k, [])) for k in ("time", "metric", "geo"))
    roles = {}
    for d in dims:
        found = role_of(d, time=time, metric=metric, geo=geo)
        if found is None and any(measure_role(label) for label in d.labels):
            found = "measure"
        if found is not None and found not in roles.values():
            roles[d.code] = found
    return roles


def jsonstat_table(
    doc: Mapping, filename: str, *, indicator: str | None = None, default_area: str = "00"
) -> SourceTable:
    """Unroll a JSON-stat 2.0 dataset into tidy rows.

    The area is the geographical dimension ("Region"), or ``default_area`` (riket) for a
    national table without one. Each content (``ContentsCode``) becomes an indicator named by
    its code unless ``indicator`` names the Hälsogap indicator for a single-content table.
    A "measure" dimension with interval limits or a base (Folkhälsodata's "KI nedre", "KI
    övre", "Antal svar") fills those columns of the value's row. Any other dimension must hold
    one category, which is kept in ``metadata["fixed"]``; more than one is refused, since
    Hälsogap would otherwise store different things under one key.

    >>> doc = {"version": "2.0", "class": "dataset", "source": "SCB", "id": ["Region", "Kon", "Tid"],
    ...     "size": [1, 2, 1], "role": {"time": ["Tid"]},
    ...     "dimension": {"Region": {"label": "region", "category": {"index": {"0180": 0}}},
    ...         "Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 1},
    ...             "label": {"1": "män", "2": "kvinnor"}}},
    ...         "Tid": {"label": "år", "category": {"index": {"2024": 0}}}},
    ...     "value": [50937, None], "status": {"1": ".."}}
    >>> t = jsonstat_table(doc, "t.json", indicator="BEF")
    >>> t.frame.select("område", "kön", "värde", "undertryckt").rows()
    [('0180', 'M', '50937', ''), ('0180', 'K', '', 'ja')]
    """
    if doc.get("class", "dataset") != "dataset" or "id" not in doc or "dimension" not in doc:
        raise file_error(
            filename, "ett JSON-stat 2.0-dataset (class, id, size, dimension, value)", None
        )
    dims = _dimensions(doc, filename)
    roles = _roles(doc, dims)
    fixed = {}
    for d in dims:
        if d.code in roles:
            continue
        if d.size > 1:
            raise file_error(
                filename,
                f'ett enda värde i dimensionen "{d.label}" (Hälsogap lagrar område, period, kön '
                "och ålder; välj ett värde i uttaget eller ta ut en tabell per värde)",
                f"{d.size} värden: {', '.join(d.labels[:5])}{' …' if d.size > 5 else ''}",
            )
        fixed[d.label] = d.labels[0] if d.labels else d.codes[0]
    total = int(np.prod([d.size for d in dims])) if dims else 0
    values, statuses = _cells(doc, total)
    columns: dict[str, list[str]] = {}
    stride = total
    for d in dims:
        stride //= max(d.size, 1)
        role = roles.get(d.code)
        if role is None:
            continue
        positions = (np.arange(total) // stride) % d.size
        columns[role] = [_category(role, d, int(i)) for i in positions]
    metric = next((d for d in dims if roles.get(d.code) == "indicator"), None)
    if indicator is not None:
        if metric is not None and metric.size > 1:
            raise file_error(
                filename,
                f"ett enda tabellinnehåll när en indikator anges ({indicator})",
                f"{metric.size}: {', '.join(metric.labels[:5])}",
            )
        columns["indicator"] = [indicator] * total
    elif "indicator" not in columns:
        table_id = _table_id(doc) or filename.rsplit(".", 1)[0]
        columns["indicator"] = [table_id] * total
    columns.setdefault("area", [default_area] * total)
    columns.setdefault("sex", ["T"] * total)
    columns["value"] = [_number_text(v) for v in values]
    columns["status"] = [str(s) if s is not None else "" for s in statuses]
    frame = pl.DataFrame(columns, schema={k: pl.String for k in columns})
    frame = _pivot_measures(frame) if "measure" in frame.columns else frame
    frame = _keep_cells(frame)
    return SourceTable(frame.rename(_rename(frame)), _metadata(doc, dims, roles, fixed))


def _category(role: str, d: Dimension, i: int) -> str:
    code, label = d.codes[i], d.labels[i]
    if role == "sex":
        return sex_code(code, label)
    if role == "age_band":
        return age_band(code, label)
    if role == "period":
        return period_code(code)
    if role == "measure":
        return measure_role(label) or "value"
    if role == "area":
        return area_code(code)
    return code


def _pivot_measures(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per value with its limits and base beside it, in the value's order."""
    keys = [c for c in frame.columns if c not in ("measure", "value", "status")]
    values = frame.filter(pl.col("measure") == "value").drop("measure")
    for role in ("lower", "upper", "denominator"):
        part = frame.filter(pl.col("measure") == role).select(*keys, pl.col("value").alias(role))
        if part.height:
            values = values.join(part, on=keys, how="left", nulls_equal=True, maintain_order="left")
    return values


def _keep_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells with a value, or hidden by the producer (flagged suppressed); empty cells go."""
    hidden = pl.col("status").is_in(list(SUPPRESSED_STATUSES))
    kept = frame.filter((pl.col("value") != "") | hidden)
    return kept.with_columns(
        pl.when(hidden).then(pl.lit("ja")).otherwise(pl.lit("")).alias("suppressed")
    ).drop("status")


def _rename(frame: pl.DataFrame) -> dict[str, str]:
    return {c: COLUMNS[c] for c in frame.columns if c in COLUMNS}


def _table_id(doc: Mapping) -> str | None:
    px = doc.get("extension", {}).get("px", {}) if isinstance(doc.get("extension"), Mapping) else {}
    return px.get("tableid") or px.get("matrix")


def _metadata(doc: Mapping, dims, roles, fixed) -> dict:
    units = {}
    for d in dims:
        if roles.get(d.code) == "indicator":
            unit = doc["dimension"][d.code].get("category", {}).get("unit", {})
            units = {code: dict(u) for code, u in unit.items()}
    contents = {}
    for d in dims:
        if roles.get(d.code) == "indicator":
            contents = dict(zip(d.codes, d.labels, strict=True))
    return {
        "source": doc.get("source"),
        "label": doc.get("label"),
        "updated": doc.get("updated"),
        "table": _table_id(doc),
        "contents": contents,
        "units": units,
        "fixed": fixed,
        "notes": list(doc.get("note", [])),
    }


def pxweb_json_table(
    doc: Mapping, filename: str, *, indicator: str | None = None, default_area: str = "00"
) -> SourceTable:
    """PX-Web v1's ``"json"`` response (``columns``, ``data`` with ``key`` and ``values``).

    Columns of type ``c`` are contents (one indicator each), ``t`` is time and ``d`` the other
    dimensions; ``".."`` marks a suppressed cell. It is turned into an equivalent JSON-stat
    dataset so that one set of rules maps both.

    >>> doc = {"columns": [{"code": "Tid", "text": "år", "type": "t"},
    ...     {"code": "BE0101N1", "text": "Folkmängd", "type": "c"}],
    ...     "data": [{"key": ["2016"], "values": ["5257563"]}, {"key": ["2017"], "values": [".."]}],
    ...     "metadata": [{"source": "SCB", "label": "Folkmängd"}]}
    >>> pxweb_json_table(doc, "b.json").frame.select("indikator", "period", "värde", "undertryckt").rows()
    [('BE0101N1', '2016', '5257563', ''), ('BE0101N1', '2017', '', 'ja')]
    """
    columns = doc.get("columns")
    if not isinstance(columns, list) or not isinstance(doc.get("data"), list):
        raise file_error(filename, "ett PX-Web-svar i JSON (columns och data)", None)
    keys = [c for c in columns if c.get("type") != "c"]
    contents = [c for c in columns if c.get("type") == "c"]
    categories: list[dict[str, int]] = [{} for _ in keys]
    for row in doc["data"]:
        for i, code in enumerate(row["key"]):
            categories[i].setdefault(str(code), len(categories[i]))
    meta = (doc.get("metadata") or [{}])[0]
    ids = [c["code"] for c in keys] + ["ContentsCode"]
    sizes = [len(c) for c in categories] + [len(contents)]
    cells: dict[str, object] = {}
    statuses: dict[str, str] = {}
    for row in doc["data"]:
        base = 0
        for i, code in enumerate(row["key"]):
            base = base * sizes[i] + categories[i][str(code)]
        for j, text in enumerate(row["values"]):
            position = str(base * len(contents) + j)
            text = str(text).strip()
            if text in SUPPRESSED_STATUSES or text in ("-", ""):
                statuses[position] = text
            else:
                cells[position] = float(text.replace(",", ".")) if _is_number(text) else text
    dimension = {
        c["code"]: {"label": c.get("text", c["code"]), "category": {"index": cats}}
        for c, cats in zip(keys, categories, strict=True)
    }
    dimension["ContentsCode"] = {
        "label": "tabellinnehåll",
        "category": {
            "index": {c["code"]: i for i, c in enumerate(contents)},
            "label": {c["code"]: c.get("text", c["code"]) for c in contents},
        },
    }
    time = [c["code"] for c in keys if c.get("type") == "t"]
    dataset = {
        "class": "dataset",
        "source": meta.get("source"),
        "label": meta.get("label"),
        "updated": meta.get("updated"),
        "id": ids,
        "size": sizes,
        "role": {"time": time, "metric": ["ContentsCode"]},
        "dimension": dimension,
        "value": cells,
        "status": statuses,
    }
    return jsonstat_table(dataset, filename, indicator=indicator, default_area=default_area)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def read_json_source(
    data: bytes, filename: str, *, indicator: str | None = None
) -> SourceTable | None:
    """The table in a JSON file from a statistics source, or None if it is not one.

    >>> read_json_source(b'{"a": 1}', "x.json") is None
    True
    """
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    return json_table(doc, filename, indicator=indicator)


def json_table(doc, filename: str, *, indicator: str | None = None) -> SourceTable | None:
    """The table in a decoded JSON document (JSON-stat 2.0 or 1.x, PX-Web's JSON), or None.

    >>> json_table([1, 2], "x.json") is None
    True
    """
    if not isinstance(doc, Mapping):
        return None
    if doc.get("class") == "dataset" and "dimension" in doc:
        return jsonstat_table(doc, filename, indicator=indicator)
    if "columns" in doc and "data" in doc:
        return pxweb_json_table(doc, filename, indicator=indicator)
    # JSON-stat 1.x bundles datasets under names; the first is read.
    datasets = [v for v in doc.values() if isinstance(v, Mapping) and "dimension" in v]
    if datasets:
        bundle = dict(datasets[0])
        bundle.setdefault("id", bundle.get("dimension", {}).get("id"))
        bundle.setdefault("size", bundle.get("dimension", {}).get("size"))
        bundle["dimension"] = {
            k: v for k, v in bundle["dimension"].items() if k not in ("id", "size", "role")
        }
        bundle.setdefault("role", datasets[0].get("dimension", {}).get("role", {}))
        return jsonstat_table(bundle, filename, indicator=indicator)
    return None
