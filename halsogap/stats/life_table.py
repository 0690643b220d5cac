"""Life expectancy from an abridged life table (Chiang II) with Silcocks' confidence limits.

The rules are PHE's: exactly 20 age bands starting at 0, 1, 5, 10, …, 85 and 90 (the last open),
a total population above 5 000, and no value (but limits) when the 95 % interval is wider than
20 years. Swedish kommuner are small, so these rules will trigger; each row says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    StatsInputError,
    as_list,
    confidence_levels,
    ensure_frame,
    numeric_columns,
    raise_first,
    reasons,
    require_columns,
    result_frame,
    z_value,
)

START_AGES = (0, 1, *range(5, 95, 5))
WIDTHS = np.array([1.0, 4.0] + [5.0] * 18)
FRACTION = np.array([0.1] + [0.5] * 19)
MIN_POPULATION = 5_000
MAX_HALF_WIDTH = 10.0

POPULATION_ZERO = "population of 0 in an age band"
DEATHS_ABOVE_POPULATION = "deaths above population in an age band"
SMALL_POPULATION = "total population 5 000 or less"
NO_OLDEST_DEATHS = "no deaths in the oldest age band"
WIDE_INTERVAL = "95 % confidence interval wider than 20 years"
METHOD = "Chiang II, Silcocks limits"


def _life_table(deaths: np.ndarray, pops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Life expectancy and its standard error at each band's start age, row-wise over groups."""
    with np.errstate(invalid="ignore", divide="ignore"):
        m = deaths / pops
        n = np.tile(WIDTHS, (len(deaths), 1))
        n[:, -1] = 2 / m[:, -1]
        a = FRACTION
        q = m * n / (1 + m * n * (1 - a))
        # More deaths than the band could hold at the assumed timing means everyone dies in it.
        q = np.where(deaths <= pops / n / a, q, 1.0)
        q[:, -1] = 1.0
        survivors = np.ones_like(q)
        survivors[:, 1:] = np.cumprod(1 - q[:, :-1], axis=1)
        l = 100_000 * survivors  # noqa: E741 - l is the life-table symbol.
        l_next = np.concatenate([l[:, 1:], np.zeros((len(l), 1))], axis=1)
        d = l - l_next
        big_l = n * (l_next + a * d)
        big_l[:, -1] = l[:, -1] / m[:, -1]
        t = np.cumsum(big_l[:, ::-1], axis=1)[:, ::-1]
        e = np.where(l > 0, t / l, 0.0)
        var_p = np.where(d > 0, q * q * (1 - q) / deaths, 0.0)
        var_p[:, -1] = 4 / (deaths[:, -1] * m[:, -1] ** 2)
        e_next = np.concatenate([e[:, 1:], np.zeros((len(e), 1))], axis=1)
        w = var_p * l * l * ((1 - a) * n + e_next) ** 2
        w[:, -1] = (l[:, -1] / 2) ** 2 * var_p[:, -1]
        w_tail = np.cumsum(w[:, ::-1], axis=1)[:, ::-1]
        se = np.sqrt(w_tail / (l * l))
    return e, se


def life_expectancy(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    deaths: str = "deaths",
    population: str = "population",
    start_age: str = "start_age",
    ages: Iterable[int] | None = None,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
) -> pl.DataFrame:
    """Life expectancy at each band's start age (or only at ``ages``) per group.

    Each group needs the 20 bands 0, 1–4, 5–9, …, 85–89, 90+ identified by ``start_age``. The
    output has one row per group and start age with ``value``, limits (symmetric, normal
    approximation), ``pops_used`` and ``dths_used`` (totals from that age upwards), ``method``
    and ``reason``. Data without rows has no groups and gives an empty result with the same
    columns, as the other statistics do.

    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
    ...         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...           1605, 1936, 1937]
    >>> df = pl.DataFrame({"start_age": [0, 1, *range(5, 95, 5)], "deaths": deaths,
    ...                    "population": pops})
    >>> life_expectancy(df, ages=[0]).select(pl.col("value", "lower_95").round(4)).row(0)
    (80.1696, 79.8827)
    """
    function = "life_expectancy"
    levels = confidence_levels(confidence)
    frame = ensure_frame(data, function)
    keys = as_list(by)
    require_columns(frame, [*keys, deaths, population, start_age], function)
    frame = numeric_columns(frame, [deaths, population, start_age], keys, function)
    for column in (deaths, population):
        raise_first(frame, frame[column].is_null(), keys, f"{function}: missing {column!r}")
        raise_first(frame, frame[column] < 0, keys, f"{function}: negative {column!r}")
    position = {age: i for i, age in enumerate(START_AGES)}
    band = frame[start_age].replace_strict(position, default=-1, return_dtype=pl.Int64)
    raise_first(
        frame,
        band.fill_null(-1) < 0,
        keys,
        f"{function}: start age must be one of {', '.join(map(str, START_AGES))}",
    )
    frame = frame.with_columns(band.alias("__k"))
    group_keys = keys or ["__all"]
    if not keys:
        frame = frame.with_columns(pl.lit(0).alias("__all"))
    duplicated = frame.select(pl.struct([*group_keys, "__k"]).is_duplicated()).to_series()
    if duplicated.any():
        rows = duplicated.arg_true().to_list()
        first = frame.row(rows[0], named=True)
        same = [r for r in rows if all(frame[c][r] == first[c] for c in [*group_keys, "__k"])]
        where = ", ".join(f"{k}={first[k]!r}" for k in keys)
        raise StatsInputError(
            f"{function}: start age {first[start_age]:g} appears more than once "
            f"(rows {', '.join(str(r + 1) for r in same)}){' in group ' + where if where else ''}"
        )
    groups = frame.group_by(group_keys, maintain_order=True).agg(pl.len().alias("__n"))
    incomplete = groups.filter(pl.col("__n") != len(START_AGES))
    if incomplete.height:
        first = incomplete.row(0, named=True)
        where = ", ".join(f"{k}={first[k]!r}" for k in keys) or "the data"
        raise StatsInputError(
            f"{function}: group {where} has {first['__n']} age bands; life expectancy needs the "
            f"20 bands starting at {', '.join(map(str, START_AGES))}"
        )
    indexed = frame.join(
        groups.with_row_index("__g").select(*group_keys, "__g"),
        on=group_keys,
        how="left",
        nulls_equal=True,
    )
    g = indexed["__g"].to_numpy()
    k = indexed["__k"].to_numpy()
    count = groups.height
    dth = np.zeros((count, len(START_AGES)))
    pop = np.zeros((count, len(START_AGES)))
    dth[g, k] = indexed[deaths].cast(pl.Float64).to_numpy()
    pop[g, k] = indexed[population].cast(pl.Float64).to_numpy()

    e, se = _life_table(dth, pop)
    pop_zero = (pop <= 0).any(axis=1)
    too_many = (dth > pop).any(axis=1)
    small = pop.sum(axis=1) <= MIN_POPULATION
    no_oldest = dth[:, -1] <= 0
    group_reason = reasons(
        (pop_zero, POPULATION_ZERO),
        (too_many, DEATHS_ABOVE_POPULATION),
        (small, SMALL_POPULATION),
        (no_oldest, NO_OLDEST_DEATHS),
        size=count,
    )
    # dtype=bool keeps an input without groups (no rows) an empty but well-formed result.
    failed = np.array([r is not None for r in group_reason], dtype=bool)
    wide = z_value(0.95) * se > MAX_HALF_WIDTH
    value = np.where(failed[:, None] | wide, np.nan, e)
    bands = len(START_AGES)
    reason = np.repeat(group_reason, bands).reshape(count, bands)
    reason = np.where(wide & ~failed[:, None], WIDE_INTERVAL, reason)
    limits = {}
    for level in levels:
        z = z_value(level)
        lower = np.where(failed[:, None], np.nan, e - z * se)
        upper = np.where(failed[:, None], np.nan, e + z * se)
        limits[level] = (lower.ravel(), upper.ravel())
    pops_used = np.cumsum(pop[:, ::-1], axis=1)[:, ::-1]
    dths_used = np.cumsum(dth[:, ::-1], axis=1)[:, ::-1]
    base = (
        groups.select(group_keys)
        .select(pl.all().repeat_by(bands).explode())
        .with_columns(
            pl.Series(start_age, np.tile(np.array(START_AGES), count)),
            pl.Series("pops_used", pops_used.ravel()),
            pl.Series("dths_used", dths_used.ravel()),
        )
    )
    out = result_frame(base, value.ravel(), limits, METHOD, reason.ravel().astype(object))
    if not keys:
        out = out.drop("__all")
    if ages is not None:
        wanted = list(ages)
        unknown = [a for a in wanted if a not in position]
        if unknown:
            raise StatsInputError(f"{function}: no age band starts at {unknown[0]!r}")
        out = out.filter(pl.col(start_age).is_in(wanted))
    return out
