"""Quantile (for example deprivation decile) assignment by OHID's rule, as in phe_quantile."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap.stats._common import (
    StatsInputError,
    as_list,
    describe_row,
    ensure_frame,
    numeric_columns,
    raise_first,
    require_columns,
)

TOO_FEW_AREAS = "fewer areas with a value than quantiles"


def quantiles(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    value: str = "value",
    n_quantiles: int = 10,
    invert: bool | str = True,
) -> pl.DataFrame:
    """Add ``quantile`` (1…n_quantiles) per group, and ``quantile_reason`` where not assigned.

    With ``invert=True`` (PHE's default, for "high is bad" scores) the highest values fall in
    quantile 1. ``invert`` may also name a Boolean column (PHE's ``inverttype="field"``, for
    example derived from each indicator's polarity); it must then hold one value per group.
    Ranks use the minimum for ties; missing values get no quantile and are not counted; a group
    with fewer values than quantiles gets none.

    >>> df = pl.DataFrame({"value": [5.0, 3, 3, 8, 1, 9, 12, 15, 2, 7]})
    >>> quantiles(df, n_quantiles=5, invert=False)["quantile"].to_list()
    [3, 2, 2, 4, 1, 4, 5, 5, 1, 3]
    >>> df = pl.DataFrame({"kpi": ["a"] * 4 + ["b"] * 4, "low_is_good": [True] * 4 + [False] * 4,
    ...     "value": [1.0, 2, 3, 4, 1, 2, 3, 4]})
    >>> quantiles(df, "kpi", n_quantiles=2, invert="low_is_good")["quantile"].to_list()
    [2, 2, 1, 1, 1, 1, 2, 2]
    """
    function = "quantiles"
    if isinstance(n_quantiles, bool) or not isinstance(n_quantiles, int) or n_quantiles < 2:
        raise StatsInputError(f"{function}: n_quantiles must be a whole number of at least 2")
    frame = ensure_frame(data, function)
    keys = as_list(by)
    require_columns(frame, [*keys, value], function)
    values = numeric_columns(frame, [value], keys, function)[value]
    if isinstance(invert, str):
        flip = _invert_column(frame, invert, keys, function)
    elif isinstance(invert, bool):
        flip = pl.lit(invert)
    else:
        raise StatsInputError(f"{function}: invert must be True, False or a column name")
    q = n_quantiles
    ranked = pl.when(flip).then(-pl.col("__v")).otherwise(pl.col("__v")).rank("min")
    count = pl.col("__v").count()
    if keys:
        ranked, count = ranked.over(keys), count.over(keys)
    # OHID's rule: floor((Q + 1) − ceil(((n + 1) − rank) / (n / Q))), with 0 moved into 1.
    raw = (q + 1 - ((count + 1 - ranked) / (count / q)).ceil()).floor()
    assigned = (
        pl.when((count < q) | pl.col("__v").is_null())
        .then(None)
        .otherwise(pl.max_horizontal(raw, pl.lit(1)))
        .cast(pl.Int64)
        .alias("quantile")
    )
    reason = (
        pl.when(pl.col("__v").is_not_null() & (count < q))
        .then(pl.lit(TOO_FEW_AREAS))
        .otherwise(None)
        .alias("quantile_reason")
    )
    return frame.with_columns(values.alias("__v")).with_columns(assigned, reason).drop("__v")


def _invert_column(frame: pl.DataFrame, column: str, keys: list[str], function: str) -> pl.Expr:
    """Validate a per-group invert column: Booleans, no gaps, one value per group."""
    require_columns(frame, [column], function)
    series = frame[column]
    if series.dtype != pl.Boolean:
        raise StatsInputError(
            f"{function}: invert column {column!r} has type {series.dtype}, expected Booleans"
        )
    if series.null_count():
        index = int(series.is_null().arg_true()[0])
        raise StatsInputError(
            f"{function}: invert column {column!r} is empty in {describe_row(frame, index, keys)}"
        )
    first = pl.col(column).first()
    differs = pl.col(column) != (first.over(keys) if keys else first)
    raise_first(
        frame,
        frame.select(differs).to_series(),
        keys,
        f"{function}: invert column {column!r} must have one value per group; it changes",
    )
    return pl.col(column)
