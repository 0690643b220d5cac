"""Optimal (achievable) health state: what somebody comparable already reaches.

In the needs model the optimal state is what is achievable; the analyst shows it beside the
political target so the officials can see whether a target is ambitious or timid. Three
methods, configurable per analysis:

* ``best_region`` — the best region's value (ties are all named);
* ``best_decile`` — the threshold of the best tenth of kommuner: with ``n`` kommuner, the
  ``ceil(n / 10)``-th best value, i.e. what a kommun must reach to be in the best decile (the
  same "N-th best" reading as :class:`~halsogap.needs.targets.Target`);
* ``best_subgroup`` — per area, the best subgroup (by default the better sex), because a gap
  between women and men in the same place shows what that place already achieves for some.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import polars as pl

from halsogap.needs._common import (
    SEX_NAMES,
    NeedsInputError,
    area_name,
    as_list,
    ensure_frame,
    level_expr,
    require_columns,
    require_judged,
)
from halsogap.needs.targets import best_of_pool
from halsogap.numbers import format_value
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER

METHODS = ("best_region", "best_decile", "best_subgroup")


def optimal_state(
    values: pl.DataFrame,
    *,
    method: str,
    polarity: str,
    period: str = "year",
    at: int | None = None,
    by: str | Sequence[str] | None = None,
    among: Sequence[str] | None = None,
    subgroup: str = "sex",
    total: str | None = "T",
    unit: str | None = None,
    names: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """The achievable value with a Swedish description of where it comes from.

    ``values`` holds ``area``, ``period``, ``value`` (+ ``by``). ``at`` defaults to the latest
    period. For ``best_region`` and ``best_decile`` the result has one row per group of ``by``
    with ``optimal``, ``source`` (area codes behind the value), ``pool_size``, ``method`` and
    ``description``; ``among`` narrows the pool (e.g. the kommuner of one region). For
    ``best_subgroup`` there is one row per area (and remaining ``by`` group) and ``source`` is
    the best subgroup's label; the ``total`` label (``"T"``) is not a subgroup.

    >>> values = pl.DataFrame({"area": ["01", "13", "14"], "year": [2022] * 3,
    ...     "value": [7.0, 5.1, 6.4]})
    >>> out = optimal_state(values, method="best_region", polarity="lower_better",
    ...     unit="procent", names={"13": "Region Halland"})
    >>> out.select("optimal", "description").row(0)
    (5.1, 'bästa region: Region Halland 5,1 %')
    """
    function = "optimal_state"
    if method not in METHODS:
        raise NeedsInputError(f"{function}: method {method!r} is not one of {', '.join(METHODS)}")
    polarity = require_judged(polarity, function)
    frame = ensure_frame(values, function)
    keys = as_list(by)
    needed = ["area", period, "value", *keys]
    if method == "best_subgroup":
        needed.append(subgroup)
        if subgroup in keys:
            raise NeedsInputError(f"{function}: {subgroup!r} cannot also be in by")
    require_columns(frame, needed, function)
    if at is None:
        at = frame[period].max()
    frame = frame.filter(pl.col(period) == at).with_columns(
        pl.col("value").cast(pl.Float64).fill_nan(None)
    )
    if method == "best_subgroup":
        return _best_subgroup(frame, keys, polarity, subgroup, total, unit)

    level = "region" if method == "best_region" else "kommun"
    pool = frame.filter(level_expr("area") == level)
    if among is not None:
        pool = pool.filter(pl.col("area").is_in(list(among)))
    if method == "best_region":
        best = best_of_pool(pool, keys, polarity=polarity, n=1, rule="nth")
    else:
        sizes = (
            pool.filter(pl.col("value").is_not_null()).group_by(keys, maintain_order=True).len()
            if keys
            else pl.DataFrame({"len": [pool["value"].drop_nulls().len()]})
        )
        parts = []
        # The decile rank depends on each group's pool size, so groups are resolved one by one
        # (there are few groups: one per sex or need group).
        for row in sizes.iter_rows(named=True):
            count = row["len"]
            n = max(math.ceil(count / 10), 1)
            sub = pool
            for key in keys:
                sub = sub.filter(pl.col(key) == row[key])
            parts.append(best_of_pool(sub, keys, polarity=polarity, n=n, rule="nth"))
        best = (
            pl.concat(parts)
            if parts
            else best_of_pool(pool, keys, polarity=polarity, n=1, rule="nth")
        )
    descriptions = []
    for value, codes, size in best.select("best_value", "best_areas", "pool_size").iter_rows():
        if value is None:
            descriptions.append(f"inget värde att jämföra med ({level})")
        elif method == "best_region":
            who = " och ".join(area_name(code, names) for code in codes)
            descriptions.append(f"bästa region: {who} {format_value(value, unit)}")
        else:
            better = "lägre" if polarity == LOWER_BETTER else "högre"
            tenth = max(math.ceil(size / 10), 1)
            descriptions.append(
                f"bästa tiondelen av kommunerna ({tenth} av {size}): "
                f"{format_value(value, unit)} eller {better}"
            )
    return best.select(
        *keys,
        pl.col("best_value").alias("optimal"),
        pl.col("best_areas").alias("source"),
        "pool_size",
        pl.lit(method).alias("method"),
        pl.Series("description", descriptions, dtype=pl.String),
    )


def _best_subgroup(
    frame: pl.DataFrame,
    keys: list[str],
    polarity: str,
    subgroup: str,
    total: str | None,
    unit: str | None,
) -> pl.DataFrame:
    rows = frame.filter(pl.col("value").is_not_null())
    if total is not None:
        rows = rows.filter(pl.col(subgroup).cast(pl.String) != total)
    descending = polarity == HIGHER_BETTER
    group = ["area", *keys]
    best = (
        rows.sort([*group, "value"], descending=[False] * len(group) + [descending])
        .group_by(group, maintain_order=True)
        .agg(
            pl.col("value").first().alias("optimal"),
            pl.col(subgroup).filter(pl.col("value") == pl.col("value").first()).alias("source"),
            pl.len().cast(pl.UInt32).alias("pool_size"),
        )
        .sort(group)
    )
    noun = "kön" if subgroup == "sex" else f"undergrupp ({subgroup})"
    descriptions = [
        f"bästa {noun}: {' och '.join(SEX_NAMES.get(str(s), str(s)) for s in source)} "
        f"{format_value(value, unit)}"
        for value, source in best.select("optimal", "source").iter_rows()
    ]
    return best.with_columns(
        pl.col("source").cast(pl.List(pl.String)),
        pl.lit("best_subgroup").alias("method"),
        pl.Series("description", descriptions, dtype=pl.String),
    )
