"""Limits, benchmarking and trend markers for indicator values as pages show them.

The statistics themselves live in :mod:`halsogap.stats`; this module decides which method
fits an indicator's unit, keeps the producer's published limits where the data has no counts,
and words the results in Swedish with the direction in text (never colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap import stats
from halsogap.polarity import FINGERTIPS, is_better, normalise_polarity
from halsogap.trends import trend_texts

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
NOT_TESTED_COMPARISON = "ej statistiskt prövat"


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
    """Compare each row with the comparator's value: one rule for every page and export.

    Rows with 95 % limits are tested (Fingertips' CI overlap); rows without limits get only
    the direction, marked as not tested, so a page never claims a difference it has not tested
    and two pages never disagree about the same pair of numbers. Adds ``<prefix>_value``,
    ``<prefix>`` (bättre, sämre, ingen säker skillnad, högre, lägre, lika, or empty when a value
    is missing), ``<prefix>_tested`` and ``<prefix>_text`` (the word with "(95 %)" or "(ej
    statistiskt prövat)").

    >>> rows = pl.DataFrame({"period": ["2022", "2021"], "value": [9.0, 5.0],
    ...     "lower_95": [8.0, None], "upper_95": [10.0, None]})
    >>> riket = pl.DataFrame({"period": ["2022", "2021"], "value": [6.2, 6.0]})
    >>> benchmark(rows, riket, polarity="lower_better", on=["period"], prefix="vs")[
    ...     "vs_text"].to_list()
    ['sämre (95 %)', 'bättre (ej statistiskt prövat)']
    """
    polarity = normalise_polarity(polarity)
    reference = comparator.select(*on, pl.col("value").alias("__comparator")).unique(on)
    for column in ("lower_95", "upper_95"):
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Float64).alias(column))
    result = stats.compare(
        frame.select(*on, "value", "lower_95", "upper_95").with_row_index("__row"),
        reference,
        on=list(on),
        comparator_value="__comparator",
        polarity=FINGERTIPS[polarity],
        confidence=0.95,
    ).sort("__row")
    tested = (
        frame["lower_95"].is_not_null()
        & frame["upper_95"].is_not_null()
        & frame["value"].is_not_null()
        & result["comparator"].is_not_null()
    )
    words = [
        COMPARISON_SV.get(label, "") if is_tested else direction_word(value, other, polarity)
        for label, is_tested, value, other in zip(
            result["compared_95"].to_list(),
            tested.to_list(),
            frame["value"].to_list(),
            result["comparator"].to_list(),
            strict=True,
        )
    ]
    texts = [
        f"{word} ({'95 %' if is_tested else NOT_TESTED_COMPARISON})" if word else ""
        for word, is_tested in zip(words, tested.to_list(), strict=True)
    ]
    return frame.with_columns(
        result["comparator"].alias(f"{prefix}_value"),
        pl.Series(prefix, words, dtype=pl.String),
        tested.alias(f"{prefix}_tested"),
        pl.Series(f"{prefix}_text", texts, dtype=pl.String),
    )


def direction_word(value: float | None, other: float | None, polarity: str) -> str:
    """Better, worse, higher, lower or the same, without any test; empty when one is missing.

    >>> direction_word(5.0, 6.0, "lower_better"), direction_word(5.0, 6.0, "none")
    ('bättre', 'lägre')
    """
    if value is None or other is None:
        return ""
    if abs(value - other) < 1e-9:
        return "lika"
    better = is_better(value, other, polarity)
    if better is None:
        return "högre" if value > other else "lägre"
    return "bättre" if better else "sämre"


def trend_markers(frame: pl.DataFrame, *, polarity: str, by: str = "area") -> dict:
    """The trend in words per series, by the one rule of :func:`halsogap.trends.describe_trend`.

    >>> df = pl.DataFrame({"area": ["01"] * 3, "period": ["2020", "2021", "2022"],
    ...     "value": [30.6, 30.2, 28.0]})
    >>> trend_markers(df, polarity="lower_better")
    {'01': 'minskar och blir bättre (ej statistiskt prövad)'}
    """
    return trend_texts(
        frame.filter(pl.col("period").str.contains(r"^\d{4}$")), polarity=polarity, by=by
    )
