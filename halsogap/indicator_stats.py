"""Limits, benchmarking and trend markers for indicator values as pages show them.

The statistics themselves live in :mod:`halsogap.stats`; this module decides which method
fits an indicator's unit, keeps the producer's published limits where the data has no counts,
and words the results in Swedish with the direction in text (never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap import stats

POLARITY = {"higher_better": "high_is_good", "lower_better": "low_is_good", "none": "none"}
#: Unit → (statistics function, multiplier) for values that can be recomputed from counts.
COUNT_METHODS = {"procent": (stats.proportion, 100), "per 100 000 invånare": (stats.rate, 100_000)}
LIMIT_COLUMNS = ["lower_95", "upper_95", "lower_99_8", "upper_99_8"]

COMPARISON_SV = {
    "better": "bättre",
    "worse": "sämre",
    "similar": "ingen säker skillnad",
    "higher": "högre",
    "lower": "lägre",
    "not compared": "kan inte jämföras",
}
TREND_SV = {
    "Increasing": "ökar",
    "Decreasing": "minskar",
    "No significant change": "ingen säker förändring",
    "Cannot be calculated": "kan inte beräknas",
}


def add_limits(frame: pl.DataFrame, *, unit: str) -> pl.DataFrame:
    """Give every row 95 % and 99.8 % limits where they can be had, and say where from.

    Rows with a numerator and a positive denominator are recomputed (Wilson for percentages,
    Byar/exact Poisson for rates per 100 000); other rows keep the producer's ``lower`` and
    ``upper`` as 95 % limits. ``limits_source`` is "beräknad", "producent" or null.

    >>> df = pl.DataFrame({"value": [65.0, 7.1], "numerator": [65.0, None],
    ...     "denominator": [100.0, None], "lower": [None, 6.5], "upper": [None, 7.7]})
    >>> out = add_limits(df, unit="procent")
    >>> out.select(pl.col("lower_95").round(2), "limits_source").rows()
    [(55.25, 'beräknad'), (6.5, 'producent')]
    """
    frame = frame.with_row_index("__row")
    for column in ("numerator", "denominator", "lower", "upper"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(column))
    countable = (
        pl.col("numerator").is_not_null()
        & pl.col("denominator").is_not_null()
        & (pl.col("denominator") > 0)
    )
    method = COUNT_METHODS.get(unit)
    computed = frame.filter(countable) if method else frame.clear()
    published = frame.filter(~countable) if method else frame
    parts = []
    if computed.height:
        function, multiplier = method
        result = function(
            computed.select("__row", "numerator", "denominator"), multiplier=multiplier
        )
        parts.append(
            computed.drop("value")
            .join(result.select("__row", "value", *LIMIT_COLUMNS), on="__row")
            .with_columns(pl.lit("beräknad").alias("limits_source"))
        )
    if published.height:
        parts.append(
            published.with_columns(
                pl.col("lower").alias("lower_95"),
                pl.col("upper").alias("upper_95"),
                pl.lit(None, pl.Float64).alias("lower_99_8"),
                pl.lit(None, pl.Float64).alias("upper_99_8"),
                pl.when(pl.col("lower").is_not_null() & pl.col("upper").is_not_null())
                .then(pl.lit("producent"))
                .otherwise(None)
                .alias("limits_source"),
            )
        )
    if not parts:
        return frame.drop("__row").with_columns(
            *(pl.lit(None, pl.Float64).alias(c) for c in LIMIT_COLUMNS),
            pl.lit(None, pl.Utf8).alias("limits_source"),
        )
    return pl.concat(parts, how="diagonal_relaxed").sort("__row").drop("__row")


def benchmark(
    frame: pl.DataFrame,
    comparator: pl.DataFrame,
    *,
    polarity: str,
    on: Sequence[str],
    prefix: str,
) -> pl.DataFrame:
    """Compare each row's 95 % interval with the comparator's value (Fingertips' CI overlap).

    Adds ``<prefix>_value`` and ``<prefix>`` (Swedish: bättre, sämre, ingen säker skillnad,
    högre, lägre or kan inte jämföras). Rows without limits cannot be compared.

    >>> rows = pl.DataFrame({"period": ["2022"], "value": [9.0], "lower_95": [8.0],
    ...     "upper_95": [10.0]})
    >>> riket = pl.DataFrame({"period": ["2022"], "value": [6.2]})
    >>> benchmark(rows, riket, polarity="lower_better", on=["period"], prefix="vs_riket")[
    ...     "vs_riket"].to_list()
    ['sämre']
    """
    reference = comparator.select(*on, pl.col("value").alias("__comparator")).unique(on)
    result = stats.compare(
        frame.select(*on, "value", "lower_95", "upper_95").with_row_index("__row"),
        reference,
        on=list(on),
        comparator_value="__comparator",
        polarity=POLARITY[polarity],
        confidence=0.95,
    ).sort("__row")
    labels = result["compared_95"].replace_strict(COMPARISON_SV, default="kan inte jämföras")
    return frame.with_columns(result["comparator"].alias(f"{prefix}_value"), labels.alias(prefix))


def trend_markers(frame: pl.DataFrame, *, polarity: str, by: Sequence[str] = ("area",)) -> dict:
    """Fingertips' recent-trend marker (last five points) per series, in Swedish.

    Series without limits get "kan inte beräknas" with the reason.

    >>> df = pl.DataFrame({"area": ["01"] * 5, "period": ["2018", "2019", "2020", "2021", "2022"],
    ...     "value": [30.6, 30.2, 28.0, 24.6, 24.67],
    ...     "lower_95": [28.98, 28.63, 26.44, 23.15, 23.16],
    ...     "upper_95": [32.25, 31.9, 29.64, 26.19, 26.25]})
    >>> trend_markers(df, polarity="lower_better")
    {('01',): 'minskar och blir bättre'}
    """
    usable = frame.drop_nulls(["value", "lower_95", "upper_95"]).filter(
        pl.col("period").str.contains(r"^\d{4}$")
    )
    markers = {}
    if usable.height:
        result = stats.trend(
            usable.with_columns(pl.col("period").cast(pl.Int32).alias("year")),
            by=list(by),
            kind="other",
            polarity=POLARITY[polarity],
            spacing="period",
        )
        for row in result.iter_rows(named=True):
            key = tuple(row[k] for k in by)
            text = TREND_SV.get(row["trend"], row["trend"])
            label = row.get("trend_label") or ""
            if "getting better" in label:
                text += " och blir bättre"
            elif "getting worse" in label:
                text += " och blir sämre"
            markers[key] = text
    for key in frame.select(list(by)).unique().iter_rows():
        markers.setdefault(key, "kan inte beräknas (inga konfidensintervall)")
    return markers
