"""Benchmarking against a comparator (riket, the region, a target) the way Fingertips does it.

Three comparison methods are offered:

* ``"ci_overlap"`` — the comparator value lies inside the area's confidence interval → similar;
  otherwise the area is higher or lower (Fingertips method 1, the common case);
* ``"spc_proportion"`` — control limits for a proportion around the comparator, Wilson-style
  (Fingertips method 5); needs the area's denominator;
* ``"spc_dsr"`` — exact Poisson control limits of the expected count around the comparator rate
  (Fingertips method 6); needs the area's population ("denominator 2").

Higher/lower become better/worse by the indicator's polarity; an indicator without polarity
keeps higher/similar/lower so that no judgement is implied.
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
    confidence_levels,
    ensure_frame,
    level_suffix,
    numeric_columns,
    require_columns,
    z_value,
)

POLARITIES = ("high_is_good", "low_is_good", "none")
METHODS = ("ci_overlap", "spc_proportion", "spc_dsr")

BETTER, SIMILAR, WORSE = "better", "similar", "worse"
HIGHER, LOWER = "higher", "lower"
NOT_COMPARED = "not compared"


def _labels(direction: np.ndarray, missing: np.ndarray, polarity: str) -> list[str | None]:
    """Map −1/0/+1 (below/similar/above the comparator) to the words shown to readers."""
    if polarity == "high_is_good":
        words = {-1: WORSE, 0: SIMILAR, 1: BETTER}
    elif polarity == "low_is_good":
        words = {-1: BETTER, 0: SIMILAR, 1: WORSE}
    else:
        words = {-1: LOWER, 0: SIMILAR, 1: HIGHER}
    out = np.array([words[-1], words[0], words[1]], dtype=object)[direction.astype(int) + 1]
    out[missing] = NOT_COMPARED
    return out.tolist()


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


def compare(
    data: pl.DataFrame,
    comparator: float | str | pl.DataFrame,
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
    ``polarity="none"``, or "not compared") and ``comparison_method``. For ``"ci_overlap"`` the
    rows need ``lower_<level>``/``upper_<level>``; a comparator exactly on a limit is similar.

    >>> df = pl.DataFrame({"value": [20.0, 12.0], "lower_95": [18.0, 10.0], "upper_95": [22.0, 15.5]})
    >>> compare(df, 15.0, polarity="low_is_good", confidence=0.95)["compared_95"].to_list()
    ['worse', 'similar']
    """
    function = "compare"
    if polarity not in POLARITIES:
        raise StatsInputError(f"{function}: polarity must be one of {', '.join(POLARITIES)}")
    if method not in METHODS:
        raise StatsInputError(f"{function}: method must be one of {', '.join(METHODS)}")
    levels = confidence_levels(confidence)
    frame = ensure_frame(data, function)
    keys = as_list(on)
    frame = _attach_comparator(frame, comparator, keys, comparator_value, function)

    needed = [value]
    if method == "ci_overlap":
        for level in levels:
            suffix = level_suffix(level)
            needed += [f"lower_{suffix}", f"upper_{suffix}"]
    else:
        needed.append(denominator)
    require_columns(frame, needed, function)
    numbers = numeric_columns(frame, needed, keys, function)
    area = numbers[value].to_numpy().astype(float)
    ref = frame["comparator"].to_numpy().astype(float)
    results = {}
    for level in levels:
        suffix = level_suffix(level)
        if method == "ci_overlap":
            low = numbers[f"lower_{suffix}"].to_numpy().astype(float)
            high = numbers[f"upper_{suffix}"].to_numpy().astype(float)
            test_value = ref
            # The area is above the comparator when its whole interval lies above it.
            direction = np.where(low > ref, 1, np.where(high < ref, -1, 0))
            missing = np.isnan(low) | np.isnan(high) | np.isnan(ref) | np.isnan(area)
        else:
            n = numbers[denominator].to_numpy().astype(float)
            bad = ~(n > 0)
            if method == "spc_proportion":
                z = z_value(level)
                expected = n * ref / multiplier
                with np.errstate(invalid="ignore", divide="ignore"):
                    spread = z * np.sqrt(z * z + 4 * expected * (1 - expected / n))
                    low = (2 * expected + z * z - spread) / (2 * (n + z * z))
                    high = (2 * expected + z * z + spread) / (2 * (n + z * z))
                test_value = area / multiplier
            else:
                with np.errstate(invalid="ignore", divide="ignore"):
                    low, high = _spc_dsr_limits(ref, np.where(bad, np.nan, n), multiplier, level)
                test_value = area
            direction = np.where(test_value < low, -1, np.where(test_value > high, 1, 0))
            missing = bad | np.isnan(test_value) | np.isnan(ref) | np.isnan(low)
        results[f"compared_{suffix}"] = pl.Series(
            f"compared_{suffix}", _labels(direction, missing, polarity), dtype=pl.String
        )
    return frame.with_columns(*results.values(), pl.lit(method).alias("comparison_method"))


def _attach_comparator(
    frame: pl.DataFrame,
    comparator: float | str | pl.DataFrame,
    keys: list[str],
    comparator_value: str,
    function: str,
) -> pl.DataFrame:
    if isinstance(comparator, bool):
        raise StatsInputError(f"{function}: comparator must be a number, column or DataFrame")
    if isinstance(comparator, (int, float)):
        return frame.with_columns(pl.lit(float(comparator), dtype=pl.Float64).alias("comparator"))
    if isinstance(comparator, str):
        require_columns(frame, [comparator], function)
        cast = numeric_columns(frame, [comparator], keys, function)
        return frame.with_columns(cast[comparator].cast(pl.Float64).alias("comparator"))
    reference = ensure_frame(comparator, function)
    if not keys:
        if reference.height != 1:
            raise StatsInputError(
                f"{function}: a comparator table needs 'on' columns unless it has exactly one row"
            )
        value = numeric_columns(reference, [comparator_value], [], function)[comparator_value][0]
        return frame.with_columns(pl.lit(value, dtype=pl.Float64).alias("comparator"))
    require_columns(reference, [*keys, comparator_value], f"{function} (comparator)")
    reference = numeric_columns(reference, [comparator_value], keys, f"{function} (comparator)")
    duplicated = reference.select(pl.struct(keys).is_duplicated()).to_series()
    if duplicated.any():
        row = int(duplicated.arg_true()[0])
        where = ", ".join(f"{k}={reference[k][row]!r}" for k in keys)
        raise StatsInputError(f"{function}: the comparator has more than one row for {where}")
    right = reference.select(*keys, pl.col(comparator_value).cast(pl.Float64).alias("comparator"))
    return frame.join(right, on=keys, how="left", maintain_order="left")
