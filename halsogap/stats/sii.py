"""Slope and relative index of inequality by PHE's method (PHEindicatormethods ``phe_sii``).

Quantiles (for example deprivation deciles, 1 = most deprived) are placed on a relative rank
scale: each quantile sits at the midpoint of its cumulative population share. The values are
regressed on that rank by least squares weighted by population share (Low & Low 2004):

* SII = slope × multiplier (the modelled gap from the most to the least deprived end);
* RII = (intercept + slope) / intercept, inverted when the multiplier is negative;
* with ``transform=True`` (rates and proportions only) the regression runs on log or logit
  values and SII/RII are computed from the back-transformed ends of the line.

Confidence limits are simulated: each quantile's value is drawn ``repetitions`` times from a
normal distribution with its standard error (on the log/logit scale for rates/proportions), the
regression is refitted to every draw and the limits are order statistics of the simulated
indices at positions round(R·(1−c)/2) and round(R·(1+c)/2). The default is 100 000 simulations,
as in PHE; pass ``seed`` for reproducible limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl

from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    StatsInputError,
    as_list,
    check_multiplier,
    confidence_levels,
    ensure_frame,
    numeric_columns,
    raise_first,
    require_columns,
    result_frame,
)

#: PHE's default number of simulations; fewer than 1 000 gives unstable limits and is refused.
REPETITIONS = 100_000
MIN_REPETITIONS = 1_000
MIN_QUANTILES = 5
MAX_QUANTILES = 100
#: PHE recovers standard errors from 95 % limits with this quantile (qnorm(0.975)).
Z95 = 1.959963984540054
VALUE_TYPES = ("other", "rate", "proportion")

TOO_FEW_QUANTILES = f"fewer than {MIN_QUANTILES} quantiles"
MISSING_QUANTILE = "one or more quantiles missing from the group"
MISSING_VALUES = "missing value, population or standard error"


def _forward(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.log(values)
    if value_type == "proportion":
        return np.log(values / (1 - values))
    return values


def _backward(values: np.ndarray, value_type: str) -> np.ndarray:
    if value_type == "rate":
        return np.exp(values)
    if value_type == "proportion":
        return 1 / (1 + np.exp(-values))
    return values


def _coefficients(share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights turning values into slope and intercept: β = y @ slope_w, α = y @ icpt_w.

    The weighted regression on the midpoint ranks is linear in y, so one pair of weight vectors
    serves the point estimate and every simulated draw (a matrix product instead of 100 000 fits).
    The population-weighted mean rank is exactly 0.5 by construction.
    """
    rank = np.cumsum(share) - share / 2
    centred = rank - 0.5
    slope_w = share * centred / np.sum(share * centred**2)
    icpt_w = share - 0.5 * slope_w
    return slope_w, icpt_w


def _indices(
    alpha: np.ndarray, beta: np.ndarray, value_type: str, transform: bool, multiplier: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SII, RII and intercept (value at rank 0) from fitted intercept(s) and slope(s).

    As in PHE, only the back-transformed intercept is scaled (× |multiplier|); without
    ``transform`` the intercept is α itself, in the units of the input values.
    """
    if transform:
        y0, y1 = _backward(alpha, value_type), _backward(alpha + beta, value_type)
    else:
        y0, y1 = alpha, alpha + beta
    sii = (y1 - y0) * multiplier
    with np.errstate(divide="ignore", invalid="ignore"):
        rii = y0 / y1 if multiplier < 0 else y1 / y0
    return sii, rii, y0 * abs(multiplier) if transform else y0


def _order_statistics(draws: np.ndarray, levels: Sequence[float]) -> dict[float, tuple]:
    """PHE's percentile limits: 1-based order statistics round(R(1−c)/2), round(R(1+c)/2)."""
    reps = draws.shape[0]
    positions = {}
    for level in levels:
        low = max(int(np.round(reps * (1 - level) / 2)), 1)
        high = min(int(np.round(reps * (level + (1 - level) / 2))), reps)
        positions[level] = (low - 1, high - 1)
    kth = sorted({p for pair in positions.values() for p in pair})
    ordered = np.partition(draws, kth)
    return {level: (ordered[lo], ordered[hi]) for level, (lo, hi) in positions.items()}


def _prepare(
    data: object,
    by: str | Sequence[str] | None,
    *,
    quantile: str,
    population: str,
    value: str,
    value_type: str,
    lower_cl: str | None,
    upper_cl: str | None,
    se: str | None,
    transform: bool,
    function: str,
) -> tuple[pl.DataFrame, list[str]]:
    """Validate rows and add ``__se`` (standard error on the regression's scale of draws)."""
    if value_type not in VALUE_TYPES:
        raise StatsInputError(f"{function}: value_type must be one of {', '.join(VALUE_TYPES)}")
    if transform and value_type == "other":
        raise StatsInputError(f"{function}: transform=True needs value_type 'rate' or 'proportion'")
    if se is None and (lower_cl is None or upper_cl is None):
        raise StatsInputError(f"{function}: give either se or both lower_cl and upper_cl")
    if transform and se is not None:
        raise StatsInputError(f"{function}: transform=True needs lower_cl and upper_cl, not se")
    frame = ensure_frame(data, function)
    keys = as_list(by)
    numbers = [population, value] + ([se] if se else [lower_cl, upper_cl])
    require_columns(frame, [*keys, quantile, *numbers], function)
    frame = numeric_columns(frame, [quantile, *numbers], keys, function)
    raise_first(frame, frame[population] <= 0, keys, f"{function}: {population!r} must be above 0")
    q = frame[quantile]
    raise_first(
        frame, (q < 1) | (q != q.round()), keys, f"{function}: {quantile!r} must be 1, 2, …"
    )
    raise_first(frame, q > MAX_QUANTILES, keys, f"{function}: more than {MAX_QUANTILES} quantiles")
    if se:
        raise_first(frame, frame[se] < 0, keys, f"{function}: negative standard error {se!r}")
        se_expr = pl.col(se).cast(pl.Float64)
    else:
        lo, hi = pl.col(lower_cl).cast(pl.Float64), pl.col(upper_cl).cast(pl.Float64)
        # Limits are 95 % by PHE's convention; SE on the scale the draws are made on.
        if value_type == "rate":
            lo, hi = lo.log(), hi.log()
        elif value_type == "proportion":
            lo, hi = (lo / (1 - lo)).log(), (hi / (1 - hi)).log()
        se_expr = (hi - lo) / (2 * Z95)
    if value_type == "proportion":
        checks = [value] + ([lower_cl, upper_cl] if not se else [])
        for column in checks:
            c = frame[column]
            raise_first(frame, (c < 0) | (c > 1), keys, f"{function}: {column!r} outside 0–1")
    if value_type == "rate":
        raise_first(frame, frame[value] <= 0, keys, f"{function}: rates must be above 0")
    frame = frame.with_columns(se_expr.alias("__se"))
    if keys:
        dup = frame.select(~pl.struct([*keys, quantile]).is_first_distinct()).to_series()
    else:
        dup = ~frame[quantile].is_first_distinct()
    raise_first(frame, dup, keys, f"{function}: quantile given twice")
    return frame, keys


def _sii_rii(
    data: object,
    by: str | Sequence[str] | None,
    *,
    quantile: str,
    population: str,
    value: str,
    value_type: str,
    lower_cl: str | None,
    upper_cl: str | None,
    se: str | None,
    multiplier: float,
    transform: bool,
    confidence: float | Iterable[float],
    repetitions: int,
    seed: int | np.random.Generator | None,
    function: str,
) -> tuple[pl.DataFrame, dict[str, np.ndarray], dict[str, dict], np.ndarray]:
    levels = confidence_levels(confidence)
    if isinstance(repetitions, bool) or not isinstance(repetitions, int):
        raise StatsInputError(f"{function}: repetitions must be a whole number")
    if repetitions < MIN_REPETITIONS:
        raise StatsInputError(f"{function}: repetitions must be at least {MIN_REPETITIONS}")
    # A negative multiplier is PHE's way to reverse the index; the limits are order statistics
    # of the simulated indices, so they stay ordered either way.
    multiplier = check_multiplier(multiplier, function, signed=True)
    frame, keys = _prepare(
        data,
        by,
        quantile=quantile,
        population=population,
        value=value,
        value_type=value_type,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        se=se,
        transform=transform,
        function=function,
    )
    # The number of quantiles is the highest one in the data, as in PHE: a group lacking one of
    # them gets no value rather than a silently different ranking.
    n_quantiles = int(frame[quantile].max() or 0)
    # Groups keep their input order; rows within a group are ordered by quantile.
    members = [pl.col(c).sort_by(quantile) for c in (quantile, population, value, "__se")]
    if keys:
        groups = frame.group_by(keys, maintain_order=True).agg(members)
    else:
        groups = frame.select([m.implode() for m in members])
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    size = groups.height
    out = {name: np.full(size, np.nan) for name in ("sii", "rii", "intercept")}
    limits = {
        name: {lv: (np.full(size, np.nan), np.full(size, np.nan)) for lv in levels}
        for name in ("sii", "rii")
    }
    reason = np.full(size, None, dtype=object)
    columns = zip(
        groups[quantile].to_list(),
        groups[population].to_list(),
        groups[value].to_list(),
        groups["__se"].to_list(),
        strict=True,
    )
    for i, (qs, pops, values, ses) in enumerate(columns):
        if n_quantiles < MIN_QUANTILES:
            reason[i] = TOO_FEW_QUANTILES
            continue
        if len(qs) != n_quantiles:
            reason[i] = MISSING_QUANTILE
            continue
        arrays = [np.asarray(v, dtype=float) for v in (pops, values, ses)]
        if any(np.isnan(a).any() for a in arrays):
            reason[i] = MISSING_VALUES
            continue
        pop, y, sd = arrays
        slope_w, icpt_w = _coefficients(pop / pop.sum())
        centre = _forward(y, value_type)
        fitted = centre if transform else y
        alpha, beta = fitted @ icpt_w, fitted @ slope_w
        out["sii"][i], out["rii"][i], out["intercept"][i] = _indices(
            np.array(alpha), np.array(beta), value_type, transform, multiplier
        )
        draws = centre + sd * rng.standard_normal((repetitions, len(y)))
        if transform:
            # PHE re-centres each simulated slope on the fitted midpoint before back-transforming.
            middle = alpha + beta / 2
            sim_beta = draws @ slope_w
            sim_alpha = middle - sim_beta / 2
        else:
            draws = _backward(draws, value_type)
            sim_alpha, sim_beta = draws @ icpt_w, draws @ slope_w
        sim_sii, sim_rii, _ = _indices(sim_alpha, sim_beta, value_type, transform, multiplier)
        for name, sims in (("sii", sim_sii), ("rii", sim_rii)):
            for level, (lo, hi) in _order_statistics(sims, levels).items():
                limits[name][level][0][i], limits[name][level][1][i] = lo, hi
    counts = pl.Series("quantiles", [len(q) for q in groups[quantile]], dtype=pl.Int64)
    base = groups.select(keys).with_columns(counts) if keys else pl.DataFrame([counts])
    return base, out, limits, reason


def _method(value_type: str, transform: bool, repetitions: int) -> str:
    scale = {"rate": "log", "proportion": "logit"}.get(value_type)
    fit = f"WLS on {scale} values" if transform else "WLS"
    return f"PHE SII ({fit}; {repetitions} simulations)"


def sii(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    quantile: str = "quantile",
    population: str = "population",
    value: str = "value",
    value_type: str = "other",
    lower_cl: str | None = "lower_95",
    upper_cl: str | None = "upper_95",
    se: str | None = None,
    multiplier: float = 1,
    transform: bool = False,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    repetitions: int = REPETITIONS,
    seed: int | np.random.Generator | None = None,
) -> pl.DataFrame:
    """Slope index of inequality per group, with simulated limits (PHE ``phe_sii``).

    One row per group of ``by`` holding quantiles 1 (most deprived) … k with a population, a
    value and either 95 % limits (``lower_cl``/``upper_cl``) or a standard error ``se`` (on the
    log scale for rates, logit for proportions). ``value_type`` is ``"other"`` (for example life
    expectancy), ``"rate"`` or ``"proportion"`` (0–1). Adds ``intercept`` (the fitted value at
    rank 0 in the input's units; × |multiplier| only with ``transform=True``, as PHE does) and
    ``quantiles``. Limits come from ``repetitions`` simulations (100 000 by
    default); pass ``seed`` to make them reproducible.

    >>> df = pl.DataFrame({"quantile": [1, 2, 3, 4, 5], "population": [100.0] * 5,
    ...     "value": [70.0, 72, 74, 76, 78], "se": [1.0] * 5})
    >>> out = sii(df, se="se", lower_cl=None, upper_cl=None, repetitions=10_000, seed=1)
    >>> round(out["value"][0], 6), out["lower_95"][0] < 10 < out["upper_95"][0]
    (10.0, True)
    """
    base, out, limits, reason = _sii_rii(
        data,
        by,
        quantile=quantile,
        population=population,
        value=value,
        value_type=value_type,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        se=se,
        multiplier=multiplier,
        transform=transform,
        confidence=confidence,
        repetitions=repetitions,
        seed=seed,
        function="sii",
    )
    method = _method(value_type, transform, repetitions)
    return result_frame(
        base, out["sii"], limits["sii"], method, reason, extra={"intercept": out["intercept"]}
    )


def rii(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    quantile: str = "quantile",
    population: str = "population",
    value: str = "value",
    value_type: str = "other",
    lower_cl: str | None = "lower_95",
    upper_cl: str | None = "upper_95",
    se: str | None = None,
    multiplier: float = 1,
    transform: bool = False,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    repetitions: int = REPETITIONS,
    seed: int | np.random.Generator | None = None,
) -> pl.DataFrame:
    """Relative index of inequality per group (PHE ``phe_sii`` with ``rii=TRUE``).

    Same input and simulation as :func:`sii`; the value is the ratio of the fitted values at the
    least and most deprived ends, inverted when ``multiplier`` is negative. The same ``seed``
    gives the same draws as :func:`sii`, so the two sets of limits are consistent.

    >>> df = pl.DataFrame({"quantile": [1, 2, 3, 4, 5], "population": [100.0] * 5,
    ...     "value": [70.0, 72, 74, 76, 78], "se": [1.0] * 5})
    >>> out = rii(df, se="se", lower_cl=None, upper_cl=None, repetitions=10_000, seed=1)
    >>> round(out["value"][0], 6)
    1.144928
    """
    base, out, limits, reason = _sii_rii(
        data,
        by,
        quantile=quantile,
        population=population,
        value=value,
        value_type=value_type,
        lower_cl=lower_cl,
        upper_cl=upper_cl,
        se=se,
        multiplier=multiplier,
        transform=transform,
        confidence=confidence,
        repetitions=repetitions,
        seed=seed,
        function="rii",
    )
    method = _method(value_type, transform, repetitions).replace("SII", "RII")
    return result_frame(
        base, out["rii"], limits["rii"], method, reason, extra={"intercept": out["intercept"]}
    )
