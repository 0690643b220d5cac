"""Shared plumbing for :mod:`halsogap.stats`: errors, confidence levels, validation, output layout.

Every public statistic returns a Polars DataFrame with the same result columns: ``value``,
``lower_<level>`` and ``upper_<level>`` for each confidence level, ``method`` and ``reason``.
Keeping that layout in one place means pages and exports can read any statistic the same way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from scipy import stats as sps

DEFAULT_CONFIDENCE: tuple[float, float] = (0.95, 0.998)


class StatsInputError(ValueError):
    """Raised when input data cannot be used; the message names the column, group and row."""


class Reason:
    """Reasons recorded in the ``reason`` column when a value is not computed.

    They are plain English sentences so that a page can show them verbatim or translate them by
    exact match.
    """

    MISSING_INPUT = "missing numerator or denominator"
    MISSING_VALUES = "missing values"
    TOO_FEW_EVENTS_DSR = "total count below 10: DSR not computed"
    TOO_FEW_VALUES = "fewer than 2 values"
    ZERO_EXPECTED = "expected count is zero"


def confidence_levels(confidence: float | Iterable[float] | None) -> tuple[float, ...]:
    """Normalise a confidence argument to a tuple of levels strictly between 0.5 and 1.

    Percentages (for example 95 or 99.8) are accepted because analysts type them that way;
    anything from 50 upwards is read as a percentage.

    >>> confidence_levels(95)
    (0.95,)
    >>> confidence_levels([0.95, 99.8])
    (0.95, 0.998)
    """
    if confidence is None:
        return ()
    raw = [confidence] if isinstance(confidence, (int, float)) else list(confidence)
    levels: list[float] = []
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, (int, float)) or math.isnan(item):
            raise StatsInputError(f"confidence level {item!r} is not a number")
        level = item / 100 if item >= 50 else float(item)
        if not 0.5 <= level < 1:
            raise StatsInputError(
                f"confidence level {item!r} is outside 0.5–1 (or 50–100 as a percentage)"
            )
        level = round(level, 10)
        if level in levels:
            raise StatsInputError(f"confidence level {item!r} is given twice")
        levels.append(level)
    return tuple(levels)


def level_suffix(level: float) -> str:
    """Column suffix for a confidence level: 0.95 → ``"95"``, 0.998 → ``"99_8"``.

    >>> level_suffix(0.998)
    '99_8'
    """
    return f"{round(level * 100, 8):g}".replace(".", "_")


def limit_columns(levels: Sequence[float]) -> list[str]:
    """Names of the lower and upper limit columns for ``levels``, in output order."""
    names: list[str] = []
    for level in levels:
        suffix = level_suffix(level)
        names += [f"lower_{suffix}", f"upper_{suffix}"]
    return names


def z_value(level: float) -> float:
    """Two-sided standard normal quantile for a confidence level (1.959964 for 95 %)."""
    return float(sps.norm.ppf(0.5 + level / 2))


def check_multiplier(
    multiplier: object, function: str, *, name: str = "multiplier", signed: bool = False
) -> float:
    """Return ``multiplier`` as a float, refusing anything but a finite number above 0.

    A negative multiplier would turn every interval upside down (lower above upper) and 0 would
    make every value 0, so both are refused. ``signed=True`` (PHE's SII/RII, where a negative
    multiplier reverses the direction of the index and the limits stay ordered) allows a
    negative one but still not 0.

    >>> check_multiplier(100, "rate")
    100.0
    >>> check_multiplier(-100, "rate")
    Traceback (most recent call last):
    ...
    halsogap.stats._common.StatsInputError: rate: multiplier must be a finite number above 0, got -100
    """
    valid = (
        not isinstance(multiplier, bool)
        and isinstance(multiplier, numbers.Real)
        and math.isfinite(multiplier)
        and (multiplier != 0 if signed else multiplier > 0)
    )
    if not valid:
        expected = "a finite number other than 0" if signed else "a finite number above 0"
        raise StatsInputError(f"{function}: {name} must be {expected}, got {multiplier!r}")
    return float(multiplier)


def ensure_frame(
    data: object, function: str, *, error: type[Exception] = StatsInputError
) -> pl.DataFrame:
    """Return ``data`` as a Polars DataFrame or raise a clear ``error``."""
    if isinstance(data, pl.LazyFrame):
        return data.collect()
    if isinstance(data, pl.DataFrame):
        return data
    raise error(f"{function}: expected a Polars DataFrame, got {type(data).__name__}")


def as_list(columns: str | Sequence[str] | None) -> list[str]:
    """Grouping columns as a list (``None`` means no grouping)."""
    if columns is None:
        return []
    if isinstance(columns, str):
        return [columns]
    return list(columns)


def require_columns(
    frame: pl.DataFrame,
    columns: Iterable[str],
    function: str,
    *,
    error: type[Exception] = StatsInputError,
) -> None:
    """Raise ``error`` naming the columns absent from ``frame`` and the ones it has."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise error(
            f"{function}: column(s) {', '.join(map(repr, missing))} not found; "
            f"the data has {', '.join(map(repr, frame.columns))}"
        )


def describe_row(frame: pl.DataFrame, index: int, by: Sequence[str]) -> str:
    """Human description of row ``index`` (0-based in the input) including its group keys."""
    keys = ", ".join(f"{k}={frame[k][index]!r}" for k in by)
    group = f"group {keys}, " if keys else ""
    return f"{group}row {index + 1}"


def numeric_columns(
    frame: pl.DataFrame, columns: Iterable[str], by: Sequence[str], function: str
) -> pl.DataFrame:
    """Cast ``columns`` to Float64, raising on the first value that is not a finite number.

    Text columns are accepted when every non-empty value parses as a number, because CSV files
    from statistics portals often arrive as text; NaN is treated as missing. Infinity is
    refused: no count, population or limit is infinite, and x/∞ would pass for a real 0.
    """
    casts = []
    floats = []
    for column in columns:
        series = frame[column]
        if series.dtype.is_integer():
            # Integers cannot hold NaN, and leaving them uncast saves a copy of large columns.
            continue
        if series.dtype.is_numeric():
            casts.append(pl.col(column).cast(pl.Float64).fill_nan(None))
            floats.append(column)
            continue
        if series.dtype not in (pl.String, pl.Null):
            raise StatsInputError(
                f"{function}: column {column!r} has type {series.dtype}, expected numbers"
            )
        stripped = series.cast(pl.String).str.strip_chars()
        parsed = stripped.cast(pl.Float64, strict=False)
        bad = parsed.is_null() & stripped.is_not_null() & (stripped != "")
        if bad.any():
            index = int(bad.arg_true()[0])
            raise StatsInputError(
                f"{function}: {column!r} is not a number ({series[index]!r}) in "
                f"{describe_row(frame, index, by)}"
            )
        casts.append(
            pl.col(column)
            .cast(pl.String)
            .str.strip_chars()
            .cast(pl.Float64, strict=False)
            .fill_nan(None)
        )
        floats.append(column)
    if not casts:
        return frame
    frame = frame.with_columns(casts)
    infinite = frame.select(pl.col(c).is_infinite().any() for c in floats).row(0)
    for column, found in zip(floats, infinite, strict=True):
        if found:
            index = int(frame[column].is_infinite().arg_true()[0])
            raise StatsInputError(
                f"{function}: {column!r} is not a finite number ({frame[column][index]}) in "
                f"{describe_row(frame, index, by)}"
            )
    return frame


def raise_first(
    frame: pl.DataFrame, mask: np.ndarray | pl.Series, by: Sequence[str], message: str
) -> None:
    """Raise ``StatsInputError`` naming the first row where ``mask`` is true, if any."""
    series = mask if isinstance(mask, pl.Series) else pl.Series(mask)
    series = series.fill_null(False)
    if series.any():
        index = int(series.arg_true()[0])
        raise StatsInputError(f"{message} in {describe_row(frame, index, by)}")


def null_if_any_null(column: str) -> pl.Expr:
    """Group sum that stays missing when any member is missing.

    PHEindicatormethods returns NA for a group containing an NA count, and silently summing the
    rest would understate the count without telling anyone.
    """
    return (
        pl.when(pl.col(column).null_count() > 0)
        .then(None)
        .otherwise(pl.col(column).sum())
        .alias(column)
    )


def result_frame(
    base: pl.DataFrame,
    value: np.ndarray,
    limits: dict[float, tuple[np.ndarray, np.ndarray]],
    method: np.ndarray | str,
    reason: np.ndarray | None,
    *,
    extra: dict[str, np.ndarray | str] | None = None,
) -> pl.DataFrame:
    """Attach value, limits, method and reason columns to ``base`` in the standard order.

    NaN is converted to null so that "not computed" is a single state in the output.
    """
    columns: dict[str, pl.Series] = {}
    height = base.height

    def series(name: str, data: np.ndarray | str) -> pl.Series:
        if isinstance(data, str):
            return pl.Series(name, [data] * height, dtype=pl.String)
        if data.dtype.kind in "fi":
            return pl.Series(name, data, dtype=pl.Float64).fill_nan(None)
        if data.dtype.kind == "O":
            return pl.Series(name, data.tolist(), dtype=pl.String)
        return pl.Series(name, data)

    for name, data in (extra or {}).items():
        columns[name] = series(name, data)
    columns["value"] = series("value", value)
    for level, (lower, upper) in limits.items():
        suffix = level_suffix(level)
        columns[f"lower_{suffix}"] = series(f"lower_{suffix}", lower)
        columns[f"upper_{suffix}"] = series(f"upper_{suffix}", upper)
    columns["method"] = series("method", method)
    if reason is None:
        columns["reason"] = pl.Series("reason", [None] * height, dtype=pl.String)
    else:
        columns["reason"] = pl.Series("reason", reason.tolist(), dtype=pl.String)
    existing = [c for c in base.columns if c not in columns]
    return base.select(existing).with_columns(list(columns.values()))


def reasons(*pairs: tuple[np.ndarray, str], size: int) -> np.ndarray:
    """Combine boolean masks into one reason array; the first matching reason wins."""
    out = np.full(size, None, dtype=object)
    for mask, text in reversed(pairs):
        out[np.asarray(mask, dtype=bool)] = text
    return out
