"""The aggregation of an extract, written once as Ibis expressions.

The same expressions run on DuckDB (the default, on one machine) and on Spark (a national
deployment's cluster): what is checked and what is summed cannot differ between the two,
because there is only one copy of it. Nothing here reads a file or knows an engine.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from halsogap.stats.standardise import load_standard

from .spec import MicrodataSpec

#: The cell a row of the aggregates stands for.
CELL = ["area", "year", "sex", "age_band"]


def age_band(age: ir.IntegerValue, standard: str) -> ir.StringValue:
    """Age in years to the standard's band label (e.g. 37 → "35-39", 93 → "90+").

    >>> t = ibis.memtable({"age": [0, 37, 93]})
    >>> ibis.duckdb.connect().to_polars(t.select(band=age_band(t.age, "esp2013")))["band"].to_list()
    ['0-4', '35-39', '90+']
    """
    bands = load_standard(standard)
    pairs = sorted(zip(bands["start_age"], bands["age_band"], strict=True), reverse=True)
    return ibis.cases(*((age >= int(start), label) for start, label in pairs))


def problem_rules(table: ir.Table, spec: MicrodataSpec) -> list[tuple[str, ir.BooleanValue, str]]:
    """Each check of an extract as ``(column, bad row, what was expected)``.

    >>> t = ibis.memtable({"deso": ["A"], "alder": ["fyrtio"], "ar": ["2024"], "d": ["1"]})
    >>> [(column, expected) for column, _, expected in problem_rules(t,
    ...     MicrodataSpec("deso", "alder", "ar", ["d"]))][2]
    ('alder', 'en ålder i hela år 0–120')
    """
    area = table[spec.area]
    year = table[spec.year].try_cast("int32")
    rules = [
        (spec.area, area.isnull() | (area.cast("string").strip() == ""), "en områdeskod"),
        (spec.year, year.isnull(), "ett årtal"),
    ]
    if not spec.age_is_band:
        age = table[spec.age].try_cast("int32")
        rules.append((spec.age, age.isnull() | ~age.between(0, 120), "en ålder i hela år 0–120"))
    for event in spec.events:
        value = table[event].try_cast("float64")
        rules.append((event, value.isnull() | (value < 0), "0, 1 eller ett antal ≥ 0"))
    if spec.weight:
        weight = table[spec.weight].try_cast("float64")
        rules.append((spec.weight, weight.isnull() | (weight <= 0), "en vikt över 0"))
    if spec.sex:
        known = list(spec.sex_codes)
        rules.append(
            (
                spec.sex,
                table[spec.sex].cast("string").notin(known),
                f"ett kön ({', '.join(known)})",
            )
        )
    return rules


def cell_aggregates(table: ir.Table, spec: MicrodataSpec) -> ir.Table:
    """Population and each event summed per area × year × sex × age band (checked rows).

    >>> t = ibis.memtable({"deso": ["A", "A", "A"], "kon": ["1", "1", "2"],
    ...     "alder": ["37", "38", "91"], "ar": ["2024"] * 3, "d": ["1", "0", "1"]})
    >>> expr = cell_aggregates(t, MicrodataSpec("deso", "alder", "ar", ["d"], sex="kon"))
    >>> ibis.duckdb.connect().to_polars(expr).rows()
    [('A', 2024, 'K', '90+', 1.0, 1.0), ('A', 2024, 'M', '35-39', 2.0, 1.0)]
    """
    weight = table[spec.weight].cast("float64") if spec.weight else ibis.literal(1.0)
    age = table[spec.age]
    band = age.cast("string") if spec.age_is_band else age_band(age.cast("int32"), spec.standard)
    if spec.sex:
        sex = table[spec.sex].cast("string").cases(*spec.sex_codes.items())
    else:
        sex = ibis.literal("T")
    cells = table.select(
        area=table[spec.area].cast("string").strip(),
        year=table[spec.year].cast("int32"),
        sex=sex,
        age_band=band,
        __weight=weight,
        **{f"__{e}": table[e].cast("float64") for e in spec.events},
    )
    sums = {e: (cells[f"__{e}"] * cells["__weight"]).sum() for e in spec.events}
    return cells.group_by(CELL).aggregate(population=cells["__weight"].sum(), **sums).order_by(CELL)


def listing_rules(table: ir.Table, columns: Sequence[str]) -> list:
    """Each CNI criterion must be 0 or 1 for every listed person.

    >>> t = ibis.memtable({"x": ["1", "2"]})
    >>> ((column, bad, expected),) = listing_rules(t, ["x"])
    >>> ibis.duckdb.connect().to_polars(t.filter(bad))["x"].to_list(), expected
    (['2'], '0 eller 1')
    """
    rules = []
    for column in columns:
        value = table[column].try_cast("int32")
        rules.append((column, value.isnull() | value.notin([0, 1]), "0 eller 1"))
    return rules


def listing_counts(table: ir.Table, *, unit: str, columns: Sequence[str]) -> ir.Table:
    """Listed persons and the persons meeting each criterion, per listing unit.

    >>> t = ibis.memtable({"enhet": ["A", "A", "B"], "x": ["1", "0", "0"]})
    >>> ibis.duckdb.connect().to_polars(listing_counts(t, unit="enhet", columns=["x"])).rows()
    [('A', 2, 1), ('B', 1, 0)]
    """
    units = table.select(
        enhet=table[unit].cast("string"), **{c: table[c].cast("int32") for c in columns}
    )
    sums = {c: units[c].sum().cast("int64") for c in columns}
    return (
        units.group_by("enhet")
        .aggregate(befolkning=units.count().cast("int64"), **sums)
        .order_by("enhet")
    )
