"""Benchmarking against a comparator (riket, the region, a target) the way Fingertips does it.

Comparison methods (Fingertips' comparator method ids in brackets):

* ``"ci_overlap"`` (1) — the comparator value lies inside the area's confidence interval →
  similar; otherwise the area is higher or lower. One answer per confidence level.
* ``"ci_overlap_two_levels"`` (17) — the same at 95 % and 99.8 % combined into five grades:
  inside the 95 % interval → similar; outside the 95 % but inside the 99.8 % interval →
  better/worse (higher/lower); outside the 99.8 % interval → best/worst (highest/lowest).
* ``"ci_overlap_double"`` (12) — the area's interval and the comparator's own interval overlap
  → similar; used to compare two areas or a value with its previous value.
* ``"spc_proportion"`` (5) — control limits for a proportion around the comparator,
  Wilson-style; needs the area's denominator.
* ``"spc_dsr"`` (6) — exact Poisson control limits of the expected count around the comparator
  rate; needs the area's population ("denominator 2").
* ``"quintiles"`` / ``"quartiles"`` (15 / 16) — no comparator: each area is placed among its
  peers (the rows sharing the ``on`` values) by percentile bounds computed like Excel's
  PERCENTILE.INC; at least 5 (4) values are needed.

Higher/lower become better/worse by the indicator's polarity; an indicator without polarity
keeps higher/similar/lower so that no judgement is implied. A comparator exactly on a limit
counts as similar, and a row without the value, limits or denominator that its method needs is
"not compared".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from scipy import stats as sps

from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    StatsInputError,
    as_list,
    check_multiplier,
    confidence_levels,
    describe_row,
    ensure_frame,
    level_suffix,
    numeric_columns,
    require_columns,
    z_value,
)

POLARITIES = ("high_is_good", "low_is_good", "none")
METHODS = (
    "ci_overlap",
    "ci_overlap_two_levels",
    "ci_overlap_double",
    "spc_proportion",
    "spc_dsr",
    "quintiles",
    "quartiles",
)
QUANTILE_METHODS = {"quintiles": 5, "quartiles": 4}

BETTER, SIMILAR, WORSE = "better", "similar", "worse"
HIGHER, LOWER = "higher", "lower"
BEST, WORST, HIGHEST, LOWEST = "best", "worst", "highest", "lowest"
NOT_COMPARED = "not compared"
QUANTILE_LABELS = {
    5: ("lowest quintile", "2nd lowest quintile", "middle quintile", "2nd highest quintile",
        "highest quintile"),
    4: ("lowest quartile", "2nd lowest quartile", "2nd highest quartile", "highest quartile"),
}  # fmt: skip


def _words(polarity: str) -> list[str]:
    """Words for −2…+2 (far below … far above the comparator), then "not compared"."""
    if polarity == "high_is_good":
        words = [WORST, WORSE, SIMILAR, BETTER, BEST]
    elif polarity == "low_is_good":
        words = [BEST, BETTER, SIMILAR, WORSE, WORST]
    else:
        words = [LOWEST, LOWER, SIMILAR, HIGHER, HIGHEST]
    return [*words, NOT_COMPARED]


def _labels(direction: np.ndarray, missing: np.ndarray, polarity: str, name: str) -> pl.Series:
    """Map −2…+2 (below/similar/above the comparator) to the words shown to readers."""
    code = np.where(missing, 5, direction.astype(np.int8) + 2).astype(np.uint32)
    words = pl.Series(_words(polarity), dtype=pl.String)
    return words.gather(pl.Series(code)).alias(name)


def _spc_dsr_limits(
    comparator: np.ndarray, population: np.ndarray, multiplier: float, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Rate limits from exact Poisson limits of the expected count E = rate × population.

    The lower limit is the mean whose chance of reaching ceil(E) or more is the tail probability
    and the upper the mean whose chance of at most floor(E) is that probability; for whole E
    these are the familiar chi-square exact limits.
    """
    expected = comparator * population / multiplier
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        low_count = np.ceil(expected)
        lower = np.where(low_count > 0, sps.chi2.ppf(tail, 2 * low_count) / 2, 0.0)
        upper = sps.chi2.ppf(1 - tail, 2 * (np.floor(expected) + 1)) / 2
    return lower / population * multiplier, upper / population * multiplier


def _check_limits(
    frame: pl.DataFrame, lower: str, upper: str, keys: Sequence[str], function: str
) -> None:
    """Raise naming the first row whose lower limit is above its upper limit."""
    swapped = (frame[lower] > frame[upper]).fill_null(False)
    if swapped.any():
        index = int(swapped.arg_true()[0])
        raise StatsInputError(
            f"{function}: {lower!r} ({frame[lower][index]!r}) above {upper!r} "
            f"({frame[upper][index]!r}) in {describe_row(frame, index, keys)}"
        )


def _check_proportions(
    frame: pl.DataFrame, columns: Sequence[str], multiplier: float, keys: Sequence[str]
) -> None:
    """SPC for proportions: values and comparator must lie in 0 … multiplier (0–100 %)."""
    for column in columns:
        series = frame[column]
        outside = ((series < 0) | (series > multiplier)).fill_null(False)
        if outside.any():
            index = int(outside.arg_true()[0])
            raise StatsInputError(
                f"compare: spc_proportion needs proportions from 0 to {multiplier:g} (the "
                f"multiplier); {column!r} is {series[index]:g} in {describe_row(frame, index, keys)}"
            )


def compare(
    data: pl.DataFrame,
    comparator: float | str | pl.DataFrame | None = None,
    *,
    on: str | Sequence[str] | None = None,
    comparator_value: str = "value",
    polarity: str = "none",
    method: str = "ci_overlap",
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    value: str = "value",
    denominator: str = "denominator",
    multiplier: float = 1,
) -> pl.DataFrame:
    """Compare each row with a comparator at each confidence level.

    ``comparator`` is a number, a column of ``data``, or a DataFrame joined on ``on`` whose
    ``comparator_value`` column holds the comparator (for example riket per indicator and year).
    Adds ``comparator``, ``compared_<level>`` (better/similar/worse, or higher/similar/lower when
    ``polarity="none"``, or "not compared") and ``comparison_method``. For the CI methods the
    rows need ``lower_<level>``/``upper_<level>``; a comparator exactly on a limit is similar,
    and a lower limit above its upper limit is an error naming the row. ``"spc_proportion"``
    needs values and comparator from 0 to ``multiplier`` (for example 0–100 for percentages).

    ``"ci_overlap_two_levels"`` needs exactly two levels and adds ``compared`` with five grades
    (best/better/similar/worse/worst, or highest/…/lowest). ``"ci_overlap_double"`` needs the
    comparator's own limits: a comparator table's ``lower_<level>``/``upper_<level>`` columns,
    or, when ``comparator`` names a column, ``comparator_lower_<level>``/
    ``comparator_upper_<level>`` in ``data``. ``"quintiles"``/``"quartiles"`` take no
    comparator; ``on`` names the peer groups (for example indicator and year) and the result
    has ``compared`` ("lowest quintile" …) and ``compared_category`` (Fingertips' category:
    1 = best with a polarity, 1 = lowest without).

    >>> df = pl.DataFrame({"value": [20.0, 12.0], "lower_95": [18.0, 10.0], "upper_95": [22.0, 15.5]})
    >>> compare(df, 15.0, polarity="low_is_good", confidence=0.95)["compared_95"].to_list()
    ['worse', 'similar']
    >>> df = df.with_columns(lower_99_8=pl.Series([14.0, 9.0]), upper_99_8=pl.Series([26.0, 17.0]))
    >>> compare(df, 9.5, method="ci_overlap_two_levels", polarity="low_is_good")["compared"].to_list()
    ['worst', 'worse']
    >>> peers = pl.DataFrame({"value": [float(v) for v in range(1, 11)]})
    >>> compare(peers, method="quintiles")["compared_category"].to_list()
    [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    """
    function = "compare"
    if polarity not in POLARITIES:
        raise StatsInputError(f"{function}: polarity must be one of {', '.join(POLARITIES)}")
    if method not in METHODS:
        raise StatsInputError(f"{function}: method must be one of {', '.join(METHODS)}")
    multiplier = check_multiplier(multiplier, function)
    frame = ensure_frame(data, function)
    keys = as_list(on)
    if method in QUANTILE_METHODS:
        if comparator is not None:
            raise StatsInputError(
                f"{function}: {method} place each area among its peers; give no comparator "
                "and name the peer groups in 'on'"
            )
        return _compare_with_peers(frame, keys, value, polarity, method, function)
    if comparator is None:
        raise StatsInputError(f"{function}: method {method!r} needs a comparator")
    levels = confidence_levels(confidence)
    if method == "ci_overlap_two_levels" and len(levels) != 2:
        raise StatsInputError(f"{function}: {method} needs exactly two confidence levels")
    double = method == "ci_overlap_double"
    frame = _attach_comparator(
        frame, comparator, keys, comparator_value, function, levels if double else ()
    )

    needed = [value]
    if method.startswith("ci_overlap"):
        for level in levels:
            suffix = level_suffix(level)
            needed += [f"lower_{suffix}", f"upper_{suffix}"]
            if double:
                needed += [f"comparator_lower_{suffix}", f"comparator_upper_{suffix}"]
    else:
        needed.append(denominator)
    require_columns(frame, needed, function)
    numbers = numeric_columns(frame, needed, keys, function)
    if method.startswith("ci_overlap"):
        for level in levels:
            suffix = level_suffix(level)
            _check_limits(numbers, f"lower_{suffix}", f"upper_{suffix}", keys, function)
            if double:
                _check_limits(
                    numbers,
                    f"comparator_lower_{suffix}",
                    f"comparator_upper_{suffix}",
                    keys,
                    function,
                )
    elif method == "spc_proportion":
        _check_proportions(numbers, [value, "comparator"], multiplier, keys)

    def column(name: str) -> np.ndarray:
        return numbers[name].to_numpy().astype(float)

    area = column(value)
    ref = frame["comparator"].to_numpy().astype(float)
    results: list[pl.Series] = []
    graded: list[tuple[np.ndarray, np.ndarray]] = []
    for level in sorted(levels):
        suffix = level_suffix(level)
        missing = np.isnan(ref) | np.isnan(area)
        if method.startswith("ci_overlap"):
            low, high = column(f"lower_{suffix}"), column(f"upper_{suffix}")
            missing |= np.isnan(low) | np.isnan(high)
            if double:
                ref_low = column(f"comparator_lower_{suffix}")
                ref_high = column(f"comparator_upper_{suffix}")
                missing |= np.isnan(ref_low) | np.isnan(ref_high)
            else:
                ref_low = ref_high = ref
            # Above when the whole interval lies above the comparator (or its interval).
            direction = np.where(low > ref_high, 1, np.where(high < ref_low, -1, 0))
        else:
            n = column(denominator)
            bad = ~(n > 0)
            with np.errstate(invalid="ignore", divide="ignore"):
                if method == "spc_proportion":
                    z = z_value(level)
                    expected = n * ref / multiplier
                    spread = z * np.sqrt(z * z + 4 * expected * (1 - expected / n))
                    low = (2 * expected + z * z - spread) / (2 * (n + z * z))
                    high = (2 * expected + z * z + spread) / (2 * (n + z * z))
                    test_value = area / multiplier
                else:
                    low, high = _spc_dsr_limits(ref, np.where(bad, np.nan, n), multiplier, level)
                    test_value = area
            direction = np.where(test_value < low, -1, np.where(test_value > high, 1, 0))
            missing |= bad | np.isnan(low)
        graded.append((direction, missing))
        results.append(_labels(direction, missing, polarity, f"compared_{suffix}"))
    order = {level_suffix(level): i for i, level in enumerate(levels)}
    results.sort(key=lambda s: order[s.name.removeprefix("compared_")])
    if method == "ci_overlap_two_levels":
        # Outside the wider interval is also outside the narrower one, so the sum is ±2.
        (narrow, missing_narrow), (wide, missing_wide) = graded
        results.append(_labels(narrow + wide, missing_narrow | missing_wide, polarity, "compared"))
    return frame.with_columns(*results, pl.lit(method).alias("comparison_method"))


def category_bounds(values: Iterable[float | None], n_categories: int = 5) -> list[float]:
    """Fingertips' quintile/quartile bounds: minimum, the cut points and maximum (10 dp).

    The cut points are linear-interpolation percentiles of the sorted values (position
    (N − 1)·k/n, as Excel's PERCENTILE.INC); missing values are ignored.

    >>> category_bounds(range(1, 51), 4)
    [1.0, 13.25, 25.5, 37.75, 50.0]
    """
    clean = np.array(
        [float(v) for v in values if v is not None and not np.isnan(float(v))], dtype=float
    )
    if clean.size == 0:
        return []
    cuts = np.percentile(clean, np.arange(n_categories + 1) * 100 / n_categories)
    return [round(float(c), 10) for c in cuts]


def _compare_with_peers(
    frame: pl.DataFrame, keys: list[str], value: str, polarity: str, method: str, function: str
) -> pl.DataFrame:
    """Quintile or quartile of each row among the rows sharing its ``keys``."""
    q = QUANTILE_METHODS[method]
    require_columns(frame, [*keys, value], function)
    v = numeric_columns(frame, [value], keys, function)[value].cast(pl.Float64)

    def per_group(expr: pl.Expr) -> pl.Expr:
        return expr.over(keys) if keys else expr

    x = pl.col("__v")
    above = [
        (x > per_group(x.quantile(k / q, interpolation="linear")).round(10)).cast(pl.Int8)
        for k in range(1, q)
    ]
    position = 1 + pl.sum_horizontal(above)
    usable = x.is_not_null() & (per_group(x.count()) >= q)
    category = position if polarity != "high_is_good" else q + 1 - position
    labels = pl.Series(QUANTILE_LABELS[q], dtype=pl.String)
    work = (
        frame.with_columns(v.alias("__v"))
        .with_columns(
            pl.when(usable).then(position).alias("__position"),
            pl.when(usable).then(category).cast(pl.Int64).alias("compared_category"),
        )
        .with_columns(
            pl.when(pl.col("__position").is_not_null())
            .then(pl.lit(labels).gather(pl.col("__position") - 1))
            .otherwise(pl.lit(NOT_COMPARED))
            .alias("compared")
        )
    )
    return work.drop("__v", "__position").with_columns(pl.lit(method).alias("comparison_method"))


def _attach_comparator(
    frame: pl.DataFrame,
    comparator: float | str | pl.DataFrame,
    keys: list[str],
    comparator_value: str,
    function: str,
    bound_levels: Sequence[float] = (),
) -> pl.DataFrame:
    """Add ``comparator`` (and, for ``bound_levels``, the comparator's own limits)."""
    bounds = {
        f"{side}_{level_suffix(level)}": f"comparator_{side}_{level_suffix(level)}"
        for level in bound_levels
        for side in ("lower", "upper")
    }
    if isinstance(comparator, bool):
        raise StatsInputError(f"{function}: comparator must be a number, column or DataFrame")
    if isinstance(comparator, (int, float)):
        if not np.isfinite(comparator):
            raise StatsInputError(
                f"{function}: comparator must be a finite number, got {comparator!r}"
            )
        if bounds:
            raise StatsInputError(
                f"{function}: comparing intervals needs the comparator's limits (a table or columns)"
            )
        return frame.with_columns(pl.lit(float(comparator), dtype=pl.Float64).alias("comparator"))
    if isinstance(comparator, str):
        require_columns(frame, [comparator], function)
        cast = numeric_columns(frame, [comparator], keys, function)
        return frame.with_columns(cast[comparator].cast(pl.Float64).alias("comparator"))
    reference = ensure_frame(comparator, function)
    require_columns(reference, [comparator_value, *bounds], f"{function} (comparator)")
    reference = numeric_columns(
        reference, [comparator_value, *bounds], keys, f"{function} (comparator)"
    )
    for level in bound_levels:
        suffix = level_suffix(level)
        where = keys if all(k in reference.columns for k in keys) else []
        _check_limits(
            reference, f"lower_{suffix}", f"upper_{suffix}", where, f"{function} (comparator)"
        )
    values = [pl.col(comparator_value).cast(pl.Float64).alias("comparator")] + [
        pl.col(source).cast(pl.Float64).alias(target) for source, target in bounds.items()
    ]
    if not keys:
        if reference.height != 1:
            raise StatsInputError(
                f"{function}: a comparator table needs 'on' columns unless it has exactly one row"
            )
        row = reference.select(values)
        return frame.with_columns(pl.lit(row[c][0], dtype=pl.Float64).alias(c) for c in row.columns)
    require_columns(reference, keys, f"{function} (comparator)")
    duplicated = reference.select(pl.struct(keys).is_duplicated()).to_series()
    if duplicated.any():
        row = int(duplicated.arg_true()[0])
        where = ", ".join(f"{k}={reference[k][row]!r}" for k in keys)
        raise StatsInputError(f"{function}: the comparator has more than one row for {where}")
    right = reference.select(*keys, *values)
    return frame.join(right, on=keys, how="left", maintain_order="left")
