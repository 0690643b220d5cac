"""Health gaps (hälsogap): desired − current, in the indicator's unit and in persons, over time.

Sign convention, used everywhere in Hälsogap:

* ``gap`` = desired − current, exactly as the needs model defines it (negative for daily smoking
  when the target is lower than today);
* ``gap_to_close`` turns that the way a reader thinks of a need: **positive means the area is
  worse than desired** (the need that remains), zero means at the target, negative means better
  than the target. For lower-is-better indicators it is current − desired, for higher-is-better
  desired − current. A gap needs a direction, so indicators without polarity are refused.

The desired value is a fixed political target, not an estimate, so the gap's confidence limits
are the current value's limits carried over (desired − upper, desired − lower). The gap is
*statistically distinguishable from zero* when the desired value lies outside the current
value's 95 % interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import polars as pl
from scipy import stats as sps

from halsogap.needs._common import (
    NeedsInputError,
    as_list,
    ensure_frame,
    require_columns,
    require_judged,
)
from halsogap.numbers import persons_scale
from halsogap.polarity import LOWER_BETTER

WORSE, AT_TARGET, BETTER = "sämre än målet", "når målet", "bättre än målet"
NO_POPULATION = "befolkning för behovsgruppen saknas (ingen befolkning angiven)"
AREA_POPULATION_MISSING = "befolkning saknas för området"
NO_LIMITS = "konfidensintervall saknas för nuvärdet"
MISSING_CURRENT = "nuvärde saknas"
MISSING_DESIRED = "målvärde saknas"
ZERO_CURRENT = "nuvärdet är 0: relativt gap kan inte beräknas"

CLOSING, WIDENING, UNCHANGED = "gapet minskar", "gapet ökar", "oförändrat"
REACHED, TOO_FEW = "målet nått", "för få mätpunkter"
#: Years fitted in :func:`gap_trend`: five, as Fingertips' recent trend uses.
TREND_PERIODS = 5
MIN_TREND_POINTS = 3


def _limit_suffixes(frame: pl.DataFrame) -> list[str]:
    """Confidence levels present as lower_<s>/upper_<s> pairs, in column order."""
    return [
        c.removeprefix("lower_")
        for c in frame.columns
        if c.startswith("lower_") and f"upper_{c.removeprefix('lower_')}" in frame.columns
    ]


def _attach_desired(
    frame: pl.DataFrame, desired: float | pl.DataFrame, keys: list[str], function: str
) -> pl.DataFrame:
    """Join the desired value on the keys both frames share (a number applies to every row)."""
    if isinstance(desired, (int, float)) and not isinstance(desired, bool):
        return frame.with_columns(pl.lit(float(desired), pl.Float64).alias("desired"))
    target = ensure_frame(desired, function)
    require_columns(target, ["desired"], function)
    on = [k for k in ["area", *keys] if k in target.columns]
    if not on:
        raise NeedsInputError(f"{function}: desired has none of the key columns area, {keys}")
    if target.select(pl.struct(on).is_duplicated().any()).item():
        raise NeedsInputError(f"{function}: desired has more than one row per {', '.join(on)}")
    # Descriptions of the target (target, reference, warning) travel with it to the table.
    carry = [c for c in ("target", "target_kind", "reference", "warning") if c in target.columns]
    carry = [c for c in carry if c not in frame.columns]
    right = target.select(*on, pl.col("desired").cast(pl.Float64), *carry)
    return frame.join(right, on=on, how="left", nulls_equal=True, maintain_order="left")


def health_gaps(
    current: pl.DataFrame,
    *,
    desired: float | pl.DataFrame,
    polarity: str,
    unit: str | None,
    population: pl.DataFrame | None = None,
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Gap per area (and need group in ``by``) in the indicator's unit and in persons.

    ``current`` holds ``area``, ``value`` (+ ``by``) and optionally ``lower_95``/``upper_95``
    (and other levels, e.g. ``lower_99_8``). ``desired`` is one number for all rows or a frame
    with ``desired`` and key columns (e.g. from
    :func:`~halsogap.needs.targets.resolve_target`; its ``target``/``reference``/``warning``
    columns are kept). ``population`` holds ``population`` and the key columns it shares with
    ``current`` (e.g. ``area`` and ``sex``).

    Output columns: keys, ``current``, the current limits, ``desired``, ``gap`` (desired −
    current) and ``gap_lower_<s>``/``gap_upper_<s>``, ``gap_to_close`` (positive = worse than
    desired, see the module docstring) with its limits, ``relative_gap`` (gap_to_close /
    current: the relative change still needed), ``status``, ``at_or_better``,
    ``distinguishable`` (desired outside the current 95 % interval; null without limits),
    ``population``, ``persons`` = \\|gap\\| × population / scale (scale 100 for ``procent``,
    100 000 for ``per 100 000 invånare``; direction from ``status``), ``unit`` and the reasons
    ``reason``, ``distinguishable_reason`` and ``persons_reason``. A missing population gives a
    reason and a null, never a zero.

    >>> cur = pl.DataFrame({"area": ["01", "13"], "value": [8.0, 5.1],
    ...     "lower_95": [7.5, 4.4], "upper_95": [8.5, 5.8]})
    >>> pop = pl.DataFrame({"area": ["01", "13"], "population": [1_900_000, 280_000]})
    >>> out = health_gaps(cur, desired=5.1, polarity="lower_better", unit="procent",
    ...     population=pop)
    >>> out.select("area", pl.col("gap", "gap_to_close", "persons").round(6), "status",
    ...     "distinguishable").rows()
    [('01', -2.9, 2.9, 55100.0, 'sämre än målet', True), ('13', 0.0, 0.0, 0.0, 'når målet', False)]
    """
    function = "health_gaps"
    polarity = require_judged(polarity, function)
    frame = ensure_frame(current, function)
    keys = as_list(by)
    require_columns(frame, ["area", "value", *keys], function)
    if frame.select(pl.struct("area", *keys).is_duplicated().any()).item():
        raise NeedsInputError(f"{function}: more than one current value per area and {keys}")
    suffixes = _limit_suffixes(frame)
    limit_cols = [c for s in suffixes for c in (f"lower_{s}", f"upper_{s}")]
    frame = frame.select(
        "area",
        *keys,
        pl.col("value").cast(pl.Float64).fill_nan(None).alias("current"),
        *[pl.col(c).cast(pl.Float64).fill_nan(None) for c in limit_cols],
    )
    frame = _attach_desired(frame, desired, keys, function)

    cur, des = pl.col("current"), pl.col("desired")
    lower_better = polarity == LOWER_BETTER
    to_close = (cur - des) if lower_better else (des - cur)
    columns: list[pl.Expr] = [(des - cur).alias("gap")]
    for s in suffixes:
        lo, hi = pl.col(f"lower_{s}"), pl.col(f"upper_{s}")
        columns += [(des - hi).alias(f"gap_lower_{s}"), (des - lo).alias(f"gap_upper_{s}")]
    columns.append(to_close.alias("gap_to_close"))
    for s in suffixes:
        lo, hi = pl.col(f"lower_{s}"), pl.col(f"upper_{s}")
        low, high = ((lo - des), (hi - des)) if lower_better else ((des - hi), (des - lo))
        columns += [low.alias(f"gap_to_close_lower_{s}"), high.alias(f"gap_to_close_upper_{s}")]
    columns.append(
        pl.when(cur != 0).then(to_close / cur.abs()).otherwise(None).alias("relative_gap")
    )
    frame = frame.with_columns(columns)

    g = pl.col("gap_to_close")
    status = (
        pl.when(g > 0)
        .then(pl.lit(WORSE))
        .when(g == 0)
        .then(pl.lit(AT_TARGET))
        .when(g < 0)
        .then(pl.lit(BETTER))
        .otherwise(None)
    )
    reason = (
        pl.when(cur.is_null())
        .then(pl.lit(MISSING_CURRENT))
        .when(des.is_null())
        .then(pl.lit(MISSING_DESIRED))
        .when(cur == 0)
        .then(pl.lit(ZERO_CURRENT))
        .otherwise(None)
    )
    if "95" in suffixes:
        lo, hi = pl.col("lower_95"), pl.col("upper_95")
        has_limits = lo.is_not_null() & hi.is_not_null()
        distinguishable = pl.when(has_limits & g.is_not_null()).then((des < lo) | (des > hi))
        distinguishable_reason = pl.when(~has_limits).then(pl.lit(NO_LIMITS))
    else:
        distinguishable = pl.lit(None, pl.Boolean)
        distinguishable_reason = pl.lit(NO_LIMITS)
    frame = frame.with_columns(
        status.alias("status"),
        (g <= 0).alias("at_or_better"),
        distinguishable.alias("distinguishable"),
        reason.alias("reason"),
        distinguishable_reason.alias("distinguishable_reason"),
    )
    return _persons(frame, population, keys, unit, function)


def _persons(
    frame: pl.DataFrame,
    population: pl.DataFrame | None,
    keys: list[str],
    unit: str | None,
    function: str,
) -> pl.DataFrame:
    scale = persons_scale(unit)
    if population is None:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias("population"))
        missing_text = NO_POPULATION
    else:
        pop = ensure_frame(population, function)
        require_columns(pop, ["population"], function)
        on = [k for k in ["area", *keys] if k in pop.columns]
        if not on:
            raise NeedsInputError(f"{function}: population has none of the columns area, {keys}")
        if pop.select(pl.struct(on).is_duplicated().any()).item():
            raise NeedsInputError(f"{function}: population has more than one row per {on}")
        right = pop.select(*on, pl.col("population").cast(pl.Float64).fill_nan(None))
        frame = frame.join(right, on=on, how="left", nulls_equal=True, maintain_order="left")
        missing_text = AREA_POPULATION_MISSING
    if scale is None:
        return frame.with_columns(
            pl.lit(None, pl.Float64).alias("persons"),
            pl.lit(f"enheten '{unit}' kan inte räknas om till personer").alias("persons_reason"),
            pl.lit(unit, pl.String).alias("unit"),
        )
    # NumPy evaluates |gap| × population / scale in that order, exactly as written; Polars may
    # turn the division by a constant into a multiplication by its (inexact) reciprocal, which
    # would make the figure differ in the last digit from a hand calculation.
    gap = frame["gap"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    pop = frame["population"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    persons = np.abs(gap) * pop / scale
    pop_col = pl.col("population")
    persons_reason = (
        pl.when(pop_col.is_null())
        .then(pl.lit(missing_text))
        .when(pl.col("gap").is_null())
        .then(pl.col("reason"))
        .otherwise(None)
    )
    return frame.with_columns(
        pl.Series("persons", persons, dtype=pl.Float64).fill_nan(None),
        persons_reason.alias("persons_reason"),
        pl.lit(unit, pl.String).alias("unit"),
    )


def gap_trend(
    history: pl.DataFrame,
    *,
    desired: float | pl.DataFrame,
    polarity: str,
    periods: int = TREND_PERIODS,
    min_points: int = MIN_TREND_POINTS,
    period: str = "year",
    by: str | Sequence[str] | None = None,
) -> pl.DataFrame:
    """Is the gap closing, how fast, and when does it close at that pace?

    For each area (and ``by`` group) the ``periods`` most recent non-missing values (default
    5) are taken and ``gap_to_close`` (positive = worse than desired) is fitted on the period
    by ordinary least squares, with the periods' real values so a missing survey year leaves a
    wider step. ``pace_per_year`` = −slope: **positive means the gap shrinks** by that much per
    period. ``closes_year`` = the last period + latest observed gap ÷ pace, rounded up to a
    whole period; it is None when the gap is not shrinking or already closed (``status`` says
    which). ``pace_lower_95``/``pace_upper_95`` are the slope's t-interval (n − 2 degrees of
    freedom), null with fewer than 3 points. Fewer than ``min_points`` points give the status
    "för få mätpunkter".

    >>> hist = pl.DataFrame({"area": ["01"] * 5, "year": [2018, 2019, 2020, 2021, 2022],
    ...     "value": [10.0, 9.5, 9.0, 8.5, 8.0]})
    >>> out = gap_trend(hist, desired=5.0, polarity="lower_better")
    >>> out.select("gap_latest", "pace_per_year", "closing", "closes_year", "status").row(0)
    (3.0, 0.5, True, 2028, 'gapet minskar')
    """
    function = "gap_trend"
    polarity = require_judged(polarity, function)
    if periods < 2 or min_points < 2:
        raise NeedsInputError(f"{function}: periods and min_points must be at least 2")
    frame = ensure_frame(history, function)
    keys = as_list(by)
    require_columns(frame, ["area", period, "value", *keys], function)
    group = ["area", *keys]
    frame = frame.select(
        *group,
        pl.col(period),
        pl.col("value").cast(pl.Float64).fill_nan(None),
    ).filter(pl.col("value").is_not_null())
    if frame.select(pl.struct(*group, period).is_duplicated().any()).item():
        raise NeedsInputError(f"{function}: more than one value per area, {period} and {keys}")
    frame = _attach_desired(frame, desired, keys, function).filter(pl.col("desired").is_not_null())
    lower_better = polarity == LOWER_BETTER
    cur, des = pl.col("value"), pl.col("desired")
    frame = frame.with_columns(
        ((cur - des) if lower_better else (des - cur)).alias("__g"),
        pl.col(period).cast(pl.Float64).alias("__t"),
    )
    t, g = pl.col("__t"), pl.col("__g")
    fitted = (
        frame.sort([*group, period])
        .group_by(group, maintain_order=True)
        .tail(periods)
        .group_by(group, maintain_order=True)
        .agg(
            pl.len().alias("points"),
            pl.col(period).first().alias("first_period"),
            pl.col(period).last().alias("last_period"),
            g.last().alias("gap_latest"),
            pl.col("desired").last(),
            ((t - t.mean()) ** 2).sum().alias("__sxx"),
            ((t - t.mean()) * (g - g.mean())).sum().alias("__sxy"),
            ((g - g.mean()) ** 2).sum().alias("__syy"),
        )
    )
    n = fitted["points"].to_numpy().astype(float)
    sxx, sxy, syy = (fitted[c].to_numpy() for c in ("__sxx", "__sxy", "__syy"))
    last = fitted["last_period"].to_numpy().astype(float)
    latest = fitted["gap_latest"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        enough = (n >= min_points) & (sxx > 0)
        slope = np.where(enough, sxy / sxx, np.nan)
        pace = -slope
        # Residual variance of the slope; zero residuals (a perfect line) give a zero-width band.
        dof = n - 2
        residual = np.clip(syy - slope * sxy, 0, None)
        se = np.sqrt(residual / np.where(dof > 0, dof, np.nan) / sxx)
        tcrit = sps.t.ppf(0.975, np.where(dof > 0, dof, np.nan))
        half = tcrit * se
        reached = latest <= 0
        closing = enough & (pace > 0)
        years = np.where(closing & ~reached, last + latest / pace, np.nan)
    closes = [None if math.isnan(y) else int(math.ceil(round(y, 9))) for y in years.tolist()]
    status = np.where(
        ~enough,
        TOO_FEW,
        np.where(
            reached, REACHED, np.where(pace > 0, CLOSING, np.where(pace < 0, WIDENING, UNCHANGED))
        ),
    )
    return fitted.select(
        *group, "first_period", "last_period", "points", "desired", "gap_latest"
    ).with_columns(
        pl.Series("pace_per_year", pace, dtype=pl.Float64).fill_nan(None),
        pl.Series("pace_lower_95", pace - half, dtype=pl.Float64).fill_nan(None),
        pl.Series("pace_upper_95", pace + half, dtype=pl.Float64).fill_nan(None),
        pl.Series("closing", np.where(enough, closing, None).tolist(), dtype=pl.Boolean),
        pl.Series("closes_year", closes, dtype=pl.Int64),
        pl.Series("status", status.tolist(), dtype=pl.String),
        pl.lit(f"OLS över de senaste {periods} mätpunkterna").alias("method"),
    )
