"""Quantile (for example deprivation decile) assignment by OHID's rule, as in phe_quantile."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap.stats._common import (
    StatsInputError,
    as_list,
    ensure_frame,
    numeric_columns,
    require_columns,
)

TOO_FEW_AREAS = "fewer areas with a value than quantiles"


def quantiles(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    value: str = "value",
    n_quantiles: int = 10,
    invert: bool = True,
) -> pl.DataFrame:
    """Add ``quantile`` (1…n_quantiles) per group, and ``quantile_reason`` where not assigned.

    With ``invert=True`` (PHE's default, for "high is bad" scores) the highest values fall in
    quantile 1. Ranks use the minimum for ties; missing values get no quantile and are not
    counted; a group with fewer values than quantiles gets none.

    >>> df = pl.DataFrame({"value": [5.0, 3, 3, 8, 1, 9, 12, 15, 2, 7]})
    >>> quantiles(df, n_quantiles=5, invert=False)["quantile"].to_list()
    [3, 2, 2, 4, 1, 4, 5, 5, 1, 3]
    """
    function = "quantiles"
    if isinstance(n_quantiles, bool) or not isinstance(n_quantiles, int) or n_quantiles < 2:
        raise StatsInputError(f"{function}: n_quantiles must be a whole number of at least 2")
    frame = ensure_frame(data, function)
    keys = as_list(by)
    require_columns(frame, [*keys, value], function)
    values = numeric_columns(frame, [value], keys, function)[value]
    q = n_quantiles
    ranked = (-pl.col("__v") if invert else pl.col("__v")).rank("min")
    count = pl.col("__v").count()
    if keys:
        ranked, count = ranked.over(keys), count.over(keys)
    # OHID's rule: floor((Q + 1) − ceil(((n + 1) − rank) / (n / Q))), with 0 moved into 1.
    raw = (q + 1 - ((count + 1 - ranked) / (count / q)).ceil()).floor()
    assigned = (
        pl.when(count < q)
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
