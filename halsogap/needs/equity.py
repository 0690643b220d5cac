"""Equity views: an indicator across kommuner grouped by a socioeconomic background indicator.

Kommuner are put in national quintiles of the background indicator (1 = the worst conditions),
each quintile's value is the population-weighted mean of its kommuner, and the WHO HEAT
summary measures come from :func:`halsogap.stats.inequality`. Kolada publishes no standard
errors, so only point estimates are shown; the limits HEAT would derive from population counts
alone would look far more certain than survey data are.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap import stats

MEASURES = ("d", "r", "sii", "rii")
MEASURE_NAMES = {
    "d": "Skillnad (D): kvintil 5 − kvintil 1",
    "r": "Kvot (R): kvintil 5 / kvintil 1",
    "sii": "Lutningsindex (SII)",
    "rii": "Relativt lutningsindex (RII)",
}


def quintiles_of(background: pl.DataFrame, *, polarity: str) -> pl.DataFrame:
    """National quintile per kommun, 1 being the worst conditions.

    >>> bg = pl.DataFrame({"area": ["a", "b", "c", "d", "e"], "value": [5.0, 1, 3, 2, 4]})
    >>> quintiles_of(bg, polarity="higher_better").sort("area")["quintile"].to_list()
    [5, 1, 3, 2, 4]
    """
    kommuner = background.drop_nulls("value")
    ranked = kommuner.sort("value", descending=polarity == "lower_better").with_row_index("__r")
    n = max(ranked.height, 1)
    return ranked.select("area", ((pl.col("__r") * 5 // n) + 1).cast(pl.Int64).alias("quintile"))


def equity_by_quintile(
    values: pl.DataFrame,
    *,
    background: pl.DataFrame,
    population: pl.DataFrame,
    background_polarity: str,
    areas: Sequence[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Quintile table and inequality measures for one indicator and year.

    ``values``, ``background`` and ``population`` have ``area`` and ``value`` (population:
    ``population``). ``areas`` limits the kommuner (e.g. one region's) while the quintile
    boundaries stay national. Returns ``(table, measures)``: the table has ``quintile``,
    ``kommuner``, ``population``, ``value``; the measures ``measure``, ``name``, ``value`` and
    ``reason``.

    >>> v = pl.DataFrame({"area": list("abcdefghij"), "value": [20.0, 18, 16, 15, 14, 12, 11,
    ...     10, 9, 8]})
    >>> bg = pl.DataFrame({"area": list("abcdefghij"), "value": [float(i) for i in range(10)]})
    >>> pop = pl.DataFrame({"area": list("abcdefghij"), "population": [1000] * 10})
    >>> table, measures = equity_by_quintile(v, background=bg, population=pop,
    ...     background_polarity="higher_better")
    >>> table["value"].to_list()
    [19.0, 15.5, 13.0, 10.5, 8.5]
    >>> measures.filter(pl.col("measure") == "d")["value"].item()
    -10.5
    """
    kommuner = quintiles_of(background, polarity=background_polarity)
    rows = (
        values.drop_nulls("value")
        .join(kommuner, on="area", how="inner")
        .join(population.select("area", "population"), on="area", how="inner")
        .filter(pl.col("population") > 0)
    )
    if areas is not None:
        rows = rows.filter(pl.col("area").is_in(list(areas)))
    table = (
        rows.group_by("quintile")
        .agg(
            pl.len().alias("kommuner"),
            pl.col("population").sum().alias("population"),
            ((pl.col("value") * pl.col("population")).sum() / pl.col("population").sum()).alias(
                "value"
            ),
        )
        .sort("quintile")
    )
    if table.height < 2:
        reason = "för få kvintiler med värden för att jämföra"
        measures = pl.DataFrame(
            {
                "measure": list(MEASURES),
                "name": [MEASURE_NAMES[m] for m in MEASURES],
                "value": [None] * len(MEASURES),
                "reason": [reason] * len(MEASURES),
            },
            schema={"measure": pl.Utf8, "name": pl.Utf8, "value": pl.Float64, "reason": pl.Utf8},
        )
        return table, measures
    result = stats.inequality(
        table.select(
            pl.col("value").alias("estimate"),
            pl.lit(0.0).alias("se"),
            pl.col("population").cast(pl.Float64),
            pl.col("quintile").alias("order"),
        ),
        order="order",
        measures=list(MEASURES),
        confidence=0.95,
    )
    measures = result.select(
        "measure",
        pl.col("measure").replace_strict(MEASURE_NAMES).alias("name"),
        "value",
        "reason",
    )
    return table, measures
