"""Fingertips' recent-trend marker over the five most recent points of each series.

Proportions use the chi-square test for trend in proportions (Armitage) on the counts, with the
direction from the slope of logit(proportion) over time. Other statistics (rates, DSRs, life
expectancy, means) use an inverse-variance weighted regression of the values on time, with
standard errors recovered from the 95 % confidence limits. A trend is significant when
chi-square exceeds 9.5495 (p < 0.002, the 99.8 % level), and it is only reported as increasing or
decreasing if leaving out any single point keeps the slope's sign.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from halsogap.stats._common import (
    StatsInputError,
    as_list,
    confidence_levels,
    ensure_frame,
    numeric_columns,
    raise_first,
    require_columns,
    z_value,
)

#: Chi-square with one degree of freedom at p = 0.002, as Fingertips uses it.
CHI_SQUARE_THRESHOLD = 9.5495
POINTS = 5

INCREASING, DECREASING = "Increasing", "Decreasing"
NO_CHANGE, CANNOT = "No significant change", "Cannot be calculated"
SIGNIFICANT = "No outliers and significant trend"
NOT_SIGNIFICANT = "No significant trend"
OUTLIER = "Outlier found"
TOO_FEW_POINTS = "Not enough data points"
DUPLICATE_PERIODS = "Duplicate years in group"
MISSING_VALUES = "Missing values"
MISSING_LIMITS = "Missing at least one confidence interval value"
OUT_OF_RANGE = "Proportion of 0 or 1 (or above 1) in the series"


def _weighted_slope(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise weighted least-squares slope of y on t and the denominator of its variance."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        s = w.sum(axis=1)
        st = (w * t).sum(axis=1)
        sy = (w * y).sum(axis=1)
        sty = (w * t * y).sum(axis=1)
        stt = (w * t * t).sum(axis=1)
        denominator = s * stt - st * st
        return (s * sty - st * sy) / denominator, denominator


def _leave_one_out_flips(
    t: np.ndarray, y: np.ndarray, w: np.ndarray, slope: np.ndarray
) -> np.ndarray:
    """True where dropping one point reverses the sign of the slope (an influential outlier)."""
    flips = np.zeros(len(slope), dtype=bool)
    for j in range(t.shape[1]):
        keep = w.copy()
        keep[:, j] = 0.0
        sub, _ = _weighted_slope(t, y, keep)
        flips |= np.sign(sub) != np.sign(slope)
    return flips


def trend(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    period: str = "year",
    kind: str = "proportion",
    numerator: str = "numerator",
    denominator: str = "denominator",
    value: str = "value",
    lower: str = "lower_95",
    upper: str = "upper_95",
    confidence: float = 0.95,
    polarity: str = "none",
    spacing: str = "position",
) -> pl.DataFrame:
    """Recent-trend marker per series (one output row per group of ``by``).

    ``kind="proportion"`` needs ``numerator`` and ``denominator``; ``kind="other"`` needs
    ``value`` and the limits ``lower``/``upper`` at ``confidence``. Returns ``trend``
    (Increasing, Decreasing, No significant change or Cannot be calculated), ``trend_reason``,
    ``chi_square``, ``gradient`` (per period; logit scale for proportions), ``trend_label``
    (with "and getting better/worse" when ``polarity`` is ``high_is_good``/``low_is_good``) and
    the last period used. ``spacing="position"`` (the default, as Fingertips and
    PHEindicatormethods do) places the five points one step apart even when a period is
    missing; ``spacing="period"`` uses the period values themselves, which is the better model
    for a series with gaps.

    >>> df = pl.DataFrame({"year": [1, 2, 3, 4, 5], "value": [30.6, 30.2, 28.0, 24.6, 24.67],
    ...     "lower_95": [28.98, 28.63, 26.44, 23.15, 23.16],
    ...     "upper_95": [32.25, 31.9, 29.64, 26.19, 26.25]})
    >>> out = trend(df, kind="other", polarity="high_is_good")
    >>> out.select("trend_label", pl.col("chi_square").round(4)).row(0)
    ('Decreasing and getting worse', 46.7636)
    """
    function = "trend"
    if kind not in ("proportion", "other"):
        raise StatsInputError(f"{function}: kind must be 'proportion' or 'other'")
    if spacing not in ("position", "period"):
        raise StatsInputError(f"{function}: spacing must be 'position' or 'period'")
    if polarity not in ("high_is_good", "low_is_good", "none"):
        raise StatsInputError(f"{function}: polarity must be high_is_good, low_is_good or none")
    (level,) = confidence_levels(confidence)
    frame = ensure_frame(data, function)
    keys = as_list(by)
    columns = [numerator, denominator] if kind == "proportion" else [value, lower, upper]
    require_columns(frame, [*keys, period, *columns], function)
    frame = numeric_columns(frame, [period, *columns], keys, function)
    raise_first(frame, frame[period].is_null(), keys, f"{function}: missing {period!r}")
    if kind == "proportion":
        for column in columns:
            raise_first(frame, frame[column] < 0, keys, f"{function}: negative {column!r}")

    group_keys = keys or ["__all"]
    if not keys:
        frame = frame.with_columns(pl.lit(0).alias("__all"))
    frame = frame.sort([*group_keys, period], maintain_order=True)
    sizes = frame.group_by(group_keys, maintain_order=True).agg(
        pl.len().alias("__n"),
        pl.col(period).n_unique().alias("__unique"),
        pl.col(period).last().alias("__last"),
    )
    recent = (
        frame.group_by(group_keys, maintain_order=True)
        .tail(POINTS)
        .with_columns(pl.int_range(pl.len()).over(group_keys).alias("__pos"))
    )
    groups = sizes.height
    index = recent.join(
        sizes.with_row_index("__g").select(*group_keys, "__g"),
        on=group_keys,
        how="left",
        maintain_order="left",
        nulls_equal=True,
    )
    g = index["__g"].to_numpy()
    pos = index["__pos"].to_numpy()

    pos_grid = np.tile(np.arange(1.0, POINTS + 1), (groups, 1))

    def grid(column: str) -> np.ndarray:
        out = np.full((groups, POINTS), np.nan)
        out[g, pos] = index[column].cast(pl.Float64).to_numpy()
        return out

    t = grid(period) if spacing == "period" else np.where(np.isnan(grid(period)), np.nan, pos_grid)
    n_points = sizes["__n"].to_numpy()
    duplicated = sizes["__unique"].to_numpy() < n_points
    too_few = n_points < POINTS
    if kind == "proportion":
        c, d = grid(numerator), grid(denominator)
        missing = np.isnan(c).any(axis=1) | np.isnan(d).any(axis=1)
        missing_limits = np.zeros(groups, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = c / d
            y = np.log(p / (1 - p))
            out_of_range = ~((p > 0) & (p < 1)).all(axis=1)
            weights = np.ones_like(t)
            slope, _ = _weighted_slope(t, y, weights)
            big_d, big_c = d.sum(axis=1), c.sum(axis=1)
            sct, sdt, sdtt = (c * t).sum(axis=1), (d * t).sum(axis=1), (d * t * t).sum(axis=1)
            chi = (
                big_d
                * (big_d * sct - big_c * sdt) ** 2
                / (big_c * (big_d - big_c) * (big_d * sdtt - sdt**2))
            )
    else:
        v, lo, hi = grid(value), grid(lower), grid(upper)
        missing = np.isnan(v).any(axis=1)
        missing_limits = np.isnan(lo).any(axis=1) | np.isnan(hi).any(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            sigma = (hi - lo) / (2 * z_value(level))
            weights = 1 / sigma**2
            y = v
            slope, denominator_var = _weighted_slope(t, y, weights)
            chi = slope**2 / (weights.sum(axis=1) / denominator_var)
        out_of_range = ~np.isfinite(weights).all(axis=1)
    flips = _leave_one_out_flips(t, y, np.nan_to_num(weights), slope)

    cannot = [
        (duplicated, DUPLICATE_PERIODS),
        (too_few & ~duplicated, TOO_FEW_POINTS),
        (missing, MISSING_VALUES),
        (missing_limits, MISSING_LIMITS),
        (out_of_range, OUT_OF_RANGE),
    ]
    trend_out = np.where(slope < 0, DECREASING, INCREASING).astype(object)
    reason = np.full(groups, SIGNIFICANT, dtype=object)
    not_significant = ~(chi > CHI_SQUARE_THRESHOLD)
    trend_out[not_significant] = NO_CHANGE
    reason[not_significant] = NOT_SIGNIFICANT
    outlier = ~not_significant & flips
    trend_out[outlier] = NO_CHANGE
    reason[outlier] = OUTLIER
    failed = np.zeros(groups, dtype=bool)
    for mask, text in cannot:
        fresh = mask & ~failed
        trend_out[fresh] = CANNOT
        reason[fresh] = text
        failed |= fresh
    chi = np.where(failed, np.nan, chi)
    slope = np.where(failed, np.nan, slope)
    label = [_label(text, polarity) for text in trend_out]
    result = sizes.select(*group_keys, pl.col("__last").alias(period)).with_columns(
        pl.Series("trend", trend_out.tolist(), dtype=pl.String),
        pl.Series("trend_reason", reason.tolist(), dtype=pl.String),
        pl.Series("chi_square", chi, dtype=pl.Float64).fill_nan(None),
        pl.Series("gradient", slope, dtype=pl.Float64).fill_nan(None),
        pl.Series("trend_label", label, dtype=pl.String),
        pl.lit("Armitage chi-square" if kind == "proportion" else "weighted regression").alias(
            "method"
        ),
    )
    return result.drop("__all") if not keys else result


def _label(trend_text: str, polarity: str) -> str:
    """Fingertips adds whether a significant change is for the better or the worse."""
    if trend_text not in (INCREASING, DECREASING) or polarity == "none":
        return trend_text
    better = (trend_text == INCREASING) == (polarity == "high_is_good")
    return f"{trend_text} and getting {'better' if better else 'worse'}"
