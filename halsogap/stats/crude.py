"""Crude statistics: proportions (Wilson), rates (exact Poisson / Byar) and means (Student t)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from scipy import stats as sps

from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    Reason,
    StatsInputError,
    as_list,
    check_multiplier,
    confidence_levels,
    ensure_frame,
    null_if_any_null,
    numeric_columns,
    raise_first,
    reasons,
    require_columns,
    result_frame,
)
from halsogap.stats.intervals import poisson_limits, wilson_limits


def _prepare_counts(
    data: object,
    by: str | Sequence[str] | None,
    numerator: str,
    denominator: str,
    function: str,
    *,
    allow_above_denominator: bool,
) -> tuple[pl.DataFrame, list[str]]:
    """Validate numerator/denominator rows and, when ``by`` is given, sum them per group."""
    frame = ensure_frame(data, function)
    keys = as_list(by)
    require_columns(frame, [*keys, numerator, denominator], function)
    frame = numeric_columns(frame, [numerator, denominator], keys, function)
    x = frame[numerator]
    n = frame[denominator]
    raise_first(frame, x < 0, keys, f"{function}: negative {numerator!r}")
    raise_first(frame, n <= 0, keys, f"{function}: {denominator!r} must be above zero")
    if not allow_above_denominator:
        raise_first(frame, x > n, keys, f"{function}: {numerator!r} above {denominator!r}")
    if keys:
        frame = frame.group_by(keys, maintain_order=True).agg(
            null_if_any_null(numerator), null_if_any_null(denominator)
        )
    return frame, keys


def proportion(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    multiplier: float = 1,
) -> pl.DataFrame:
    """Proportion ``numerator / denominator × multiplier`` with Wilson score limits.

    Without ``by`` every row is its own result and all input columns are kept; with ``by`` the
    counts are summed per group first (a group with a missing count gets no value).
    ``multiplier`` must be above 0, so the lower limit never exceeds the upper one.

    >>> df = pl.DataFrame({"area": ["A"], "numerator": [65], "denominator": [100]})
    >>> out = proportion(df, multiplier=100)
    >>> out.select(pl.col("value", "lower_95", "upper_95").round(3)).row(0)
    (65.0, 55.254, 73.636)
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier, "proportion")
    frame, _ = _prepare_counts(
        data, by, numerator, denominator, "proportion", allow_above_denominator=False
    )
    x = frame[numerator].to_numpy().astype(float)
    n = frame[denominator].to_numpy().astype(float)
    missing = np.isnan(x) | np.isnan(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * multiplier
    limits = {}
    for level in levels:
        lower, upper = wilson_limits(x, n, level)
        limits[level] = (lower * multiplier, upper * multiplier)
    reason = reasons((missing, Reason.MISSING_INPUT), size=frame.height)
    return result_frame(frame, value, limits, "Wilson", reason)


def rate(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Crude rate per ``multiplier`` with exact Poisson limits below 10 events, Byar from 10.

    The numerator may exceed the denominator (events per person-year can do so).

    >>> df = pl.DataFrame({"numerator": [5, 65], "denominator": [100, 100]})
    >>> out = rate(df, multiplier=100)
    >>> out.select("value", "lower_95", "method").with_columns(pl.col("lower_95").round(4)).rows()
    [(5.0, 1.6235, 'exact Poisson'), (65.0, 50.1632, 'Byar')]
    """
    levels = confidence_levels(confidence)
    multiplier = check_multiplier(multiplier, "rate")
    frame, _ = _prepare_counts(
        data, by, numerator, denominator, "rate", allow_above_denominator=True
    )
    x = frame[numerator].to_numpy().astype(float)
    n = frame[denominator].to_numpy().astype(float)
    missing = np.isnan(x) | np.isnan(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * multiplier
    limits = {}
    exact = np.zeros(frame.height, dtype=bool)
    for level in levels:
        lower, upper, exact = poisson_limits(x, level)
        limits[level] = (lower / n * multiplier, upper / n * multiplier)
    exact = np.asarray(exact) | (x < 10)
    method = np.where(exact, "exact Poisson", "Byar").astype(object)
    reason = reasons((missing, Reason.MISSING_INPUT), size=frame.height)
    return result_frame(frame, value, limits, method, reason)


def mean(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    value: str = "value",
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
) -> pl.DataFrame:
    """Mean of individual values per group with Student-t limits (sample SD, n − 1).

    Missing values are left out of the count. One value gives a mean but no limits.

    >>> df = pl.DataFrame({"value": [30.0, 40.0, 50.0, 60.0]})
    >>> mean(df).select(pl.col("value", "lower_95", "upper_95").round(4)).row(0)
    (45.0, 24.4574, 65.5426)
    """
    function = "mean"
    levels = confidence_levels(confidence)
    frame = ensure_frame(data, function)
    keys = as_list(by)
    require_columns(frame, [*keys, value], function)
    if value in keys:
        raise StatsInputError(f"{function}: {value!r} cannot be both a value and a group column")
    frame = numeric_columns(frame, [value], keys, function)
    aggregations = [
        pl.col(value).sum().alias("value_sum"),
        pl.col(value).count().alias("value_count"),
        pl.col(value).std(ddof=1).alias("stdev"),
    ]
    if keys:
        summary = frame.group_by(keys, maintain_order=True).agg(aggregations)
    else:
        summary = frame.select(aggregations)
    count = summary["value_count"].to_numpy().astype(float)
    total = summary["value_sum"].to_numpy().astype(float)
    sd = summary["stdev"].to_numpy(allow_copy=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(count > 0, total / count, np.nan)
    too_few = count < 2
    limits = {}
    for level in levels:
        with np.errstate(invalid="ignore", divide="ignore"):
            t = sps.t.ppf(0.5 + level / 2, np.where(too_few, 1, count - 1))
            half = np.where(too_few, np.nan, t * sd / np.sqrt(count))
        limits[level] = (average - half, average + half)
    reason = reasons((too_few, Reason.TOO_FEW_VALUES), size=summary.height)
    return result_frame(summary, average, limits, "Student t", reason)
