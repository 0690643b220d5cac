"""Funnel-plot control limits and significance, as PHE's funnel plot methods define them.

Three kinds of statistic are supported:

* ``"proportion"`` — the limits around the average proportion av at population N are
  av ± z·sqrt(av(1 − av)/N). That is exactly the proportion whose Wilson interval (with n = N)
  just touches av, so "outside the 95 % funnel" means "the Wilson 95 % interval excludes the
  average" — the same answer as PHE's closed form, written in its simplest equivalent shape.
* ``"ratio"`` (observed/expected, for example an ISR) — on an axis of observed events O the
  limits are O divided by the exact Poisson limits of O (chi-square form), reported as an excess
  ratio (``ratio_type="count"``, ratio − 1) or × 100 (``"isr"``).
* ``"rate"`` (DSR or crude) — the reference is the weighted average rate; for each event count E
  on the axis the limit population is the exact Poisson limit of E divided by that average.

:func:`funnel_points` gives the rate funnel's points: each area's rate for the chart and the
population per year behind it, which is what the funnel's axis (events ↔ population) needs.

Limits use ``z`` for each confidence level (95 % ↔ PHE's "2s" at p = 0.975, 99.8 % ↔ "3s" at
p = 0.999). PHE's ratio and rate limits come from a bisection that stops at a step of 1e-7; ours
are the exact chi-square values, which differ from PHE's published ones by at most 5e-5
relative. Significance of ratios and rates uses exact Poisson limits below 10 events and Byar's
from 10, as PHE does (its limits use exact Poisson throughout; that inconsistency is PHE's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    StatsInputError,
    check_multiplier,
    confidence_levels,
    ensure_frame,
    level_suffix,
    numeric_columns,
    raise_first,
    require_columns,
    z_value,
)
from halsogap.stats.intervals import exact_poisson_limits, poisson_limits

STATISTICS = ("proportion", "ratio", "rate")
NOT_SIGNIFICANT = "Not significant"
DSR_TOO_FEW = "Not applicable for events less than 10 for dsrs"
#: An observed/expected ratio with no expected events has no funnel position to assess.
ZERO_EXPECTED_LABEL = "Not applicable for an expected count of 0"
#: PHE draws funnels from 100 points along the axis (101 for ratios, whose axis has one more).
AXIS_POINTS = 100


def _signif(x: float, digits: int, rounding) -> float:
    """Round to ``digits`` significant figures with ``rounding`` (math.floor or math.ceil)."""
    if x <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(x)) - digits + 1)
    return float(rounding(x / scale) * scale)


def funnel_axis(
    values: Sequence[float],
    *,
    statistic: str = "proportion",
    average: float | None = None,
    years_of_data: float = 1,
) -> list[int]:
    """PHE's geometric funnel axis over the range of ``values``.

    ``values`` are what PHE spans the axis with: denominators for proportions, expected counts
    for ratios, and populations (given or derived, for the whole period) for rates. The range
    runs from 0 (plotted from 1) when the largest value is more than twice the smallest,
    otherwise from 95 % of the smallest rounded down to one significant figure, to 105 % of the
    largest rounded up to two significant figures. For rates that range is taken over
    populations per year and turned into events — start × years × ``average`` rounded down, end
    rounded up — because the rate funnel's axis is events. Points grow geometrically and by at
    least 1, so small populations (where the funnel bends most) are densely covered; the ratio
    axis stops one step short of the end, as PHE's does.

    >>> funnel_axis([16386, 30929])[:4], funnel_axis([16386, 30929])[-1]
    ([10000, 10121, 10244, 10368], 33000)
    >>> funnel_axis([551376.1, 1101265.8], statistic="rate", average=0.000956, years_of_data=3)[:3]
    [286, 290, 294]
    """
    if statistic not in STATISTICS:
        raise StatsInputError(f"funnel_axis: statistic must be one of {', '.join(STATISTICS)}")
    if not years_of_data > 0:
        raise StatsInputError("funnel_axis: years_of_data must be above 0")
    clean = [float(v) for v in values if v is not None and not math.isnan(v)]
    if not clean:
        raise StatsInputError("funnel_axis: no values to span")
    scale = 1.0
    if statistic == "rate":
        if average is None or not average > 0:
            raise StatsInputError("funnel_axis: a rate axis needs the average rate per person")
        clean = [v / years_of_data for v in clean]
        scale = years_of_data * average
    low, high = min(clean), max(clean)
    start = 0.0 if high > 2 * low else _signif(math.floor(0.95 * low), 1, math.floor)
    end = _signif(math.ceil(1.05 * high), 2, math.ceil)
    if statistic == "rate":
        start = math.floor(start * scale)
        end = math.ceil(end * scale)
    offset = 102 if statistic == "ratio" else 101
    points = [max(1, int(start))]
    for j in range(2, AXIS_POINTS + 1):
        previous = points[-1]
        grown = int(np.round((end / previous) ** (1 / (offset - j)) * previous))
        points.append(max(grown, previous + 1))
    return points


def _axis_points(axis: Sequence[float], function: str) -> np.ndarray:
    """The axis as floats, refusing points that no funnel has (0, negative or not finite)."""
    try:
        points = np.asarray(axis, dtype=float)
    except (TypeError, ValueError):
        raise StatsInputError(f"{function}: axis points must be numbers") from None
    bad = ~(np.isfinite(points) & (points > 0))
    if bad.any():
        index = int(np.flatnonzero(bad)[0])
        raise StatsInputError(
            f"{function}: axis points must be above 0 (point {index + 1} is {axis[index]!r})"
        )
    return points


def _proportion_limits(av: float, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    spread = z_value(level) * np.sqrt(av * (1 - av) / n)
    return np.clip(av - spread, 0, 1), np.clip(av + spread, 0, 1)


def funnel_limits(
    data: pl.DataFrame | None = None,
    *,
    statistic: str = "proportion",
    numerator: str = "numerator",
    denominator: str = "denominator",
    expected: str = "expected",
    rate: str = "value",
    average: float | None = None,
    axis: Sequence[float] | None = None,
    multiplier: float | None = None,
    ratio_type: str = "count",
    rate_type: str = "dsr",
    years_of_data: float = 1,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
) -> pl.DataFrame:
    """Funnel control limits along an axis, one row per axis point.

    ``statistic="proportion"``: ``data`` has numerators and denominators; the average is
    Σnumerator/Σdenominator; the axis is populations and the limits are proportions ×
    ``multiplier`` (default 100). ``"ratio"``: the axis is observed events and the limits are
    ratios (``ratio_type`` "count" → ratio − 1, "isr" → × 100), with the expected-event limits in
    ``expected_lower_<level>``/``expected_upper_<level>``. ``"rate"``: ``data`` has event counts
    (``numerator``) and rates (``rate``; per ``multiplier``, default 100 000); the average is ΣO /
    Σ(multiplier·O/rate) (areas with no events left out for DSRs, or use ``denominator`` for crude
    rates when given); the axis is events and ``population_lower_<level>`` etc. are per year.
    The axis defaults to :func:`funnel_axis` over the data: the denominators, the ``expected``
    counts for ratios, and for rates the populations behind the average (``years_of_data``
    sets the per-year rounding, as in PHE).

    >>> df = pl.DataFrame({"numerator": [40, 55, 300], "denominator": [50, 100, 400]})
    >>> out = funnel_limits(df, axis=[100])
    >>> out.select(pl.col("baseline", "lower_95", "upper_95").round(4)).row(0)
    (71.8182, 63.0006, 80.6358)
    """
    function = "funnel_limits"
    if statistic not in STATISTICS:
        raise StatsInputError(f"{function}: statistic must be one of {', '.join(STATISTICS)}")
    levels = confidence_levels(confidence)
    if not years_of_data > 0:
        raise StatsInputError(f"{function}: years_of_data must be above 0")
    if multiplier is not None:
        check_multiplier(multiplier, function)
    if statistic == "ratio":
        if ratio_type not in ("count", "isr"):
            raise StatsInputError(f"{function}: ratio_type must be 'count' or 'isr'")
        if axis is None:
            frame = ensure_frame(data, function)
            require_columns(frame, [expected], function)
            numbers = numeric_columns(frame, [expected], [], function)
            axis = funnel_axis(numbers[expected].cast(pl.Float64).to_list(), statistic="ratio")
        observed = _axis_points(axis, function)
        columns: dict[str, np.ndarray] = {"observed": observed}
        for level in levels:
            suffix = level_suffix(level)
            exp_low, exp_high = exact_poisson_limits(observed, level)
            with np.errstate(divide="ignore"):
                ratios = (observed / exp_high, observed / exp_low)
            scaled = [r - 1 if ratio_type == "count" else r * 100 for r in ratios]
            columns[f"lower_{suffix}"], columns[f"upper_{suffix}"] = scaled
            columns[f"expected_lower_{suffix}"] = exp_high
            columns[f"expected_upper_{suffix}"] = exp_low
        out = pl.DataFrame(columns)
        return out.with_columns(pl.lit(f"exact Poisson ({ratio_type})").alias("method"))

    frame = ensure_frame(data, function)
    if statistic == "proportion":
        scale = 100 if multiplier is None else multiplier
        av, _ = _proportion_average(frame, numerator, denominator, function)
        n = _axis_points(
            axis if axis is not None else funnel_axis(frame[denominator].to_list()), function
        )
        columns = {"population": n}
        for level in levels:
            low, high = _proportion_limits(av, n, level)
            suffix = level_suffix(level)
            columns[f"lower_{suffix}"], columns[f"upper_{suffix}"] = low * scale, high * scale
        columns["baseline"] = np.full(len(n), av * scale)
        return pl.DataFrame(columns).with_columns(pl.lit("Wilson score").alias("method"))

    scale = 100_000 if multiplier is None else multiplier
    av, used, population = _rate_average(
        frame, numerator, denominator, rate, scale, rate_type, function
    )
    if not av > 0:
        raise StatsInputError(
            f"{function}: the data has no events, so the average rate is 0 and there is no funnel"
        )
    if axis is None:
        axis = funnel_axis(
            population[used], statistic="rate", average=av, years_of_data=years_of_data
        )
    e = _axis_points(axis, function)
    columns = {"events": e}
    for level in levels:
        suffix = level_suffix(level)
        exact_low, exact_high = exact_poisson_limits(e, level)
        # The lower line is where E events are just significantly few: a population so large
        # that the average rate would give the upper Poisson limit of E.
        pop_low, pop_high = exact_high / av, exact_low / av
        columns[f"population_lower_{suffix}"] = pop_low / years_of_data
        columns[f"lower_{suffix}"] = e / pop_low * scale
        columns[f"population_upper_{suffix}"] = pop_high / years_of_data
        with np.errstate(divide="ignore"):
            columns[f"upper_{suffix}"] = e / pop_high * scale
    columns["baseline"] = np.full(len(e), av * scale)
    return pl.DataFrame(columns).with_columns(
        pl.lit(f"exact Poisson ({rate_type})").alias("method")
    )


def _proportion_average(
    frame: pl.DataFrame, numerator: str, denominator: str, function: str
) -> tuple[float, pl.DataFrame]:
    require_columns(frame, [numerator, denominator], function)
    frame = numeric_columns(frame, [numerator, denominator], [], function)
    raise_first(frame, frame[numerator] < 0, [], f"{function}: negative {numerator!r}")
    raise_first(frame, frame[denominator] <= 0, [], f"{function}: {denominator!r} must be above 0")
    raise_first(
        frame,
        frame[numerator] > frame[denominator],
        [],
        f"{function}: {numerator!r} above {denominator!r}",
    )
    # Only rows with both counts contribute, so that a missing numerator does not leave its
    # denominator behind to dilute the average.
    complete = frame.filter(pl.col(numerator).is_not_null() & pl.col(denominator).is_not_null())
    if complete.height == 0:
        raise StatsInputError(
            f"{function}: no row has both {numerator!r} and {denominator!r}, so there is no "
            "average to draw the funnel around"
        )
    return float(complete[numerator].sum() / complete[denominator].sum()), frame


def _rate_average(
    frame: pl.DataFrame,
    numerator: str,
    denominator: str,
    rate: str,
    multiplier: float,
    rate_type: str,
    function: str,
) -> tuple[float, np.ndarray, np.ndarray]:
    """Average rate (per person), which rows it uses, and per-area populations behind the rates."""
    if rate_type not in ("dsr", "crude"):
        raise StatsInputError(f"{function}: rate_type must be 'dsr' or 'crude'")
    has_denominator = rate_type == "crude" and denominator in frame.columns
    needed = [numerator, denominator] if has_denominator else [numerator, rate]
    require_columns(frame, needed, function)
    frame = numeric_columns(frame, needed, [], function)
    raise_first(frame, frame[numerator] < 0, [], f"{function}: negative {numerator!r}")
    o = frame[numerator].to_numpy().astype(float)
    if has_denominator:
        raise_first(
            frame, frame[denominator] <= 0, [], f"{function}: {denominator!r} must be above 0"
        )
        population = frame[denominator].to_numpy().astype(float)
    else:
        raise_first(frame, frame[rate] < 0, [], f"{function}: negative {rate!r}")
        raise_first(
            frame,
            (frame[rate] == 0) & (frame[numerator] > 0),
            [],
            f"{function}: {rate!r} must be above 0 where {numerator!r} is above 0",
        )
        r = frame[rate].to_numpy().astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            # A DSR has no population of its own; the "equivalent population" gives the same
            # rate from the observed events.
            population = np.where(o > 0, multiplier * o / r, np.nan)
    used = ~np.isnan(population) & ~np.isnan(o)
    if not used.any():
        if has_denominator:
            what = f"both {numerator!r} and {denominator!r}"
        else:
            # Areas without events are left out: no population can be derived from their rate.
            what = f"events and a {rate!r}"
        raise StatsInputError(f"{function}: no area has {what} to average")
    av = float(o[used].sum() / population[used].sum())
    return av, used, population


def _label(low: dict, high: dict, levels: Sequence[float], size: int) -> np.ndarray:
    """'High (0.001)' … 'Low (0.025)' from masks per level, the strictest level winning."""
    labels = np.full(size, NOT_SIGNIFICANT, dtype=object)
    for level in sorted(levels):
        tail = f"{round((1 - level) / 2, 6):g}"
        labels[low[level]] = f"Low ({tail})"
        labels[high[level]] = f"High ({tail})"
    return labels


def funnel_significance(
    data: pl.DataFrame,
    *,
    statistic: str = "proportion",
    numerator: str = "numerator",
    denominator: str = "denominator",
    expected: str = "expected",
    rate: str = "value",
    multiplier: float | None = None,
    rate_type: str = "dsr",
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
) -> pl.DataFrame:
    """Add ``funnel_significance``: where each area falls against the funnel's limits.

    Labels are PHE's: "High (0.001)" / "Low (0.001)" outside the 99.8 % limits, "High (0.025)" /
    "Low (0.025)" outside the 95 % ones, otherwise "Not significant"; DSRs from fewer than 10
    events and ratios with an expected count of 0 are not assessed ("Not applicable …"); a
    negative expected count is an error, and data without rows gives an empty result.
    Proportions need numerator and denominator, ratios observed (``numerator``) and
    ``expected``, rates events and ``rate`` (or a ``denominator`` for crude).

    >>> df = pl.DataFrame({"numerator": [30, 55, 300], "denominator": [50, 100, 400]})
    >>> funnel_significance(df)["funnel_significance"].to_list()
    ['Not significant', 'Low (0.001)', 'High (0.025)']
    """
    function = "funnel_significance"
    if statistic not in STATISTICS:
        raise StatsInputError(f"{function}: statistic must be one of {', '.join(STATISTICS)}")
    levels = confidence_levels(confidence)
    if multiplier is not None:
        check_multiplier(multiplier, function)
    frame = ensure_frame(data, function)
    if frame.height == 0:
        # No areas, nothing to label: the same columns as always, as other statistics do.
        if statistic == "proportion":
            needed = [numerator, denominator]
        elif statistic == "ratio":
            needed = [numerator, expected]
        else:
            crude = rate_type == "crude" and denominator in frame.columns
            needed = [numerator, denominator if crude else rate]
        require_columns(frame, needed, function)
        return frame.with_columns(pl.Series("funnel_significance", [], dtype=pl.String))
    low: dict[float, np.ndarray] = {}
    high: dict[float, np.ndarray] = {}
    not_applicable = np.zeros(frame.height, dtype=bool)
    label = DSR_TOO_FEW
    if statistic == "proportion":
        av, numbers = _proportion_average(frame, numerator, denominator, function)
        x = numbers[numerator].to_numpy().astype(float)
        n = numbers[denominator].to_numpy().astype(float)
        for level in levels:
            lower, upper = _proportion_limits(av, n, level)
            low[level], high[level] = x / n < lower, x / n > upper
    else:
        if statistic == "ratio":
            require_columns(frame, [numerator, expected], function)
            numbers = numeric_columns(frame, [numerator, expected], [], function)
            raise_first(numbers, numbers[numerator] < 0, [], f"{function}: negative {numerator!r}")
            raise_first(numbers, numbers[expected] < 0, [], f"{function}: negative {expected!r}")
            o = numbers[numerator].to_numpy().astype(float)
            e = numbers[expected].to_numpy().astype(float)
            # O/E with E = 0 is no ratio at all; calling it "High" would flag an area for
            # having any events where none were expected.
            not_applicable, label = e == 0, ZERO_EXPECTED_LABEL
        else:
            scale = 100_000 if multiplier is None else multiplier
            av, _, population = _rate_average(
                frame, numerator, denominator, rate, scale, rate_type, function
            )
            o = frame[numerator].cast(pl.Float64).to_numpy()
            e = population * av
            if rate_type == "dsr":
                not_applicable = o < 10
        for level in levels:
            lower, upper, _ = poisson_limits(o, level)
            with np.errstate(divide="ignore", invalid="ignore"):
                low[level] = upper / e < 1
                high[level] = lower / e > 1
    labels = _label(low, high, levels, frame.height)
    labels[not_applicable] = label
    return frame.with_columns(pl.Series("funnel_significance", labels.tolist(), dtype=pl.String))


def funnel_points(
    data: pl.DataFrame,
    *,
    numerator: str = "numerator",
    rate: str = "value",
    denominator: str | None = None,
    rate_type: str = "dsr",
    years_of_data: float = 1,
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Add the points of a rate funnel: ``<rate>_chart`` and ``denominator_derived``.

    As PHE's ``calculate_funnel_points``: the population per year behind each area's rate is
    ``multiplier · events / rate / years_of_data`` (for a DSR the "equivalent population" that
    gives the rate from the observed events). An area with no events has no such population:
    for crude rates the ``denominator`` (whole period) divided by ``years_of_data`` is used
    instead when given, otherwise it stays missing. DSRs from fewer than 10 events are not
    plotted (both columns missing), as their funnel significance is not assessed. The rate
    itself is carried to ``<rate>_chart`` unchanged.

    >>> df = pl.DataFrame({"ev": [414, 5, 0], "rate": [184.0, 167, 120], "pop": [None, None, 6883]})
    >>> funnel_points(df, numerator="ev", rate="rate", years_of_data=3).rows()
    [(414, 184.0, None, 184.0, 75000.0), (5, 167.0, None, None, None), (0, 120.0, 6883, None, None)]
    >>> out = funnel_points(df, numerator="ev", rate="rate", denominator="pop", rate_type="crude",
    ...                     years_of_data=5)
    >>> out["denominator_derived"].round(4).to_list()
    [45000.0, 598.8024, 1376.6]
    """
    function = "funnel_points"
    if rate_type not in ("dsr", "crude"):
        raise StatsInputError(f"{function}: rate_type must be 'dsr' or 'crude'")
    if not years_of_data > 0:
        raise StatsInputError(f"{function}: years_of_data must be above 0")
    check_multiplier(multiplier, function)
    frame = ensure_frame(data, function)
    numbers = [numerator, rate] + ([denominator] if denominator else [])
    require_columns(frame, numbers, function)
    parsed = numeric_columns(frame, numbers, [], function)
    for column in numbers:
        raise_first(parsed, parsed[column] < 0, [], f"{function}: negative {column!r}")
    o = parsed[numerator].cast(pl.Float64).to_numpy()
    r = parsed[rate].cast(pl.Float64).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        derived = np.where((o > 0) & (r > 0), multiplier * o / r / years_of_data, np.nan)
    if denominator:
        given = parsed[denominator].cast(pl.Float64).to_numpy() / years_of_data
        derived = np.where(o == 0, given, derived)
    chart = r.copy()
    if rate_type == "dsr":
        too_few = ~(o >= 10)
        chart[too_few] = np.nan
        derived[too_few] = np.nan
    return frame.with_columns(
        pl.Series(f"{rate}_chart", chart).fill_nan(None),
        pl.Series("denominator_derived", derived).fill_nan(None),
    )
