"""WHO HEAT summary measures of health inequality (HEAT / HEAT Plus, R package healthequal).

Each group (an indicator, year and dimension) holds one row per subgroup with an estimate, its
standard error and a population. Ordered dimensions (``order`` given: 1 = most disadvantaged)
get D, R, ACI, RCI, SII, RII, PAF and PAR; non-ordered dimensions get D, R, BGV, BGSD, COV,
IDISU/IDISW, MDBU/MDBW, MDMU/MDMW, MDRU/MDRW (with a reference subgroup), MLD, TI, PAF and PAR.
Limits are computed as HEAT does: analytic (z = 1.96 at 95 %) for D, R, ACI, RCI, SII/RII (HC1
delta method on HEAT's logistic model), PAF/PAR, BGV, MLD and TI; a parametric bootstrap for
the others.

Deliberate differences from HEAT (``heat_scaling=True`` reproduces HEAT's numbers exactly):

* MLD and TI are reported × 1000 but HEAT's standard errors are those of the unscaled index, and
  the Walter standard error of PAF is on the 0–1 scale while PAF is in per cent. HEAT's limits
  are therefore about 1000× (MLD, TI) and 100× (PAF) too narrow. By default we scale the standard
  error like the estimate (× 1000, × 100), so the limits mean what they say.
* The bootstrap (BGSD, COV, IDIS*, MD*) uses NumPy's generator (``seed``), not R's, so its
  limits agree with HEAT's only up to simulation noise; the number of replicates defaults to
  HEAT's 100 and can be raised with ``repetitions``.
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
    raise_first,
    require_columns,
)

ORDERED = ("d", "r", "aci", "rci", "sii", "rii", "paf", "par")
NON_ORDERED = (
    "d", "r", "bgv", "bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw",
    "mdmu", "mdmw", "mdru", "mdrw", "mld", "ti", "paf", "par",
)  # fmt: skip
COMPLEX = {"aci", "rci", "sii", "rii", "bgv", "bgsd", "cov", "mld", "ti", "idisu", "idisw"}
BOOTSTRAP = {"bgsd", "cov", "idisu", "idisw", "mdbu", "mdbw", "mdmu", "mdmw", "mdru", "mdrw"}
#: HEAT's number of bootstrap replicates and seed.
REPETITIONS = 100
SEED = 123456

WRONG_DIMENSION = "measure not defined for this kind of dimension"
TOO_FEW_SUBGROUPS = "complex measures need more than 2 subgroups"
NO_REFERENCE = "no reference subgroup"
MISSING = "missing estimate, standard error or population"
NOT_FINITE = "not finite (division by zero)"


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _ranks(p: np.ndarray) -> np.ndarray:
    """Midpoint of each subgroup's cumulative population share (ordered subgroups)."""
    return np.cumsum(p) - p / 2


def _concentration(y, pop, mu):
    """RCI and its regression SE; ACI = μ·RCI with SE μ·SE (HEAT's Gaussian GLM form)."""
    p = pop / pop.sum()
    r = _ranks(p)
    var_r = np.sum(p * (r - 0.5) ** 2)
    root = np.sqrt(pop)
    x = np.column_stack([r * root, root])
    lhs = 2 * var_r * (y / mu) * root
    coef, *_ = np.linalg.lstsq(x, lhs, rcond=None)
    resid = lhs - x @ coef
    sigma2 = resid @ resid / (len(y) - 2)
    cov = sigma2 * np.linalg.inv(x.T @ x)
    return coef[0], np.sqrt(cov[0, 0])


def _logistic_sii(y, pop, scale):
    """HEAT's SII and RII: logistic model of reconstructed counts on rank, HC1 delta method.

    Counts are round(y/scale × ceil(pop)) (R rounds half to even, as does NumPy). HEAT passes
    the populations both as prior weights and as binomial totals, so the effective weights are
    pop²; reproducing WHO's published numbers requires the same.
    """
    n = np.ceil(pop)
    events = np.round(y / scale * n)
    if np.any(events < 0) or np.any(events > n):
        return None
    rank = _ranks(n / n.sum())
    x = np.column_stack([np.ones_like(rank), rank])
    w = n * n
    prop = events / n
    beta = np.zeros(2)
    for _ in range(100):
        mu = _expit(x @ beta)
        weight = w * mu * (1 - mu)
        step = np.linalg.solve(x.T @ (weight[:, None] * x), x.T @ (w * (prop - mu)))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-12:
            break
    mu = _expit(x @ beta)
    bread = np.linalg.inv(x.T @ ((w * mu * (1 - mu))[:, None] * x))
    scores = (w * (prop - mu))[:, None] * x
    k = len(y)
    cov = k / (k - 2) * bread @ (scores.T @ scores) @ bread
    p0, p1 = _expit(beta[0]), _expit(beta[0] + beta[1])
    grad_sii = np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])
    grad_log_rii = np.array([p0 - p1, 1 - p1])
    se_sii = np.sqrt(grad_sii @ cov @ grad_sii)
    se_log_rii = np.sqrt(grad_log_rii @ cov @ grad_log_rii)
    return (p1 - p0) * scale, se_sii * scale, p1 / p0, se_log_rii


def _walter_paf_se(ref, n_ref, mu, total, scale):
    """Walter (1978) SE of PAF on the 0–1 scale, from reconstructed 2×2 counts."""
    c = ref / scale * n_ref
    d = n_ref - c
    a = mu / scale * total - c
    b = total - a - n_ref
    big_n = a + b + c + d
    return np.sqrt(c * big_n * (a * d * (big_n - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3))


def _bootstrap_measures(y, p, mu_fixed, favourable, ref_index):
    """Point values of the bootstrap-CI measures for each row of ``y`` (replicates × subgroups).

    The mean is re-derived per replicate from the populations unless it is a fixed setting
    average; the best subgroup is re-derived per replicate, as HEAT does.
    """
    mu = y @ p if mu_fixed is None else np.full(y.shape[0], mu_fixed)
    k = y.shape[1]
    dev = np.abs(y - mu[:, None])
    best = y.max(axis=1) if favourable else y.min(axis=1)
    gap_best = np.abs(y - best[:, None])
    bgv = ((y - mu[:, None]) ** 2) @ p
    out = {
        "bgsd": np.sqrt(bgv),
        "cov": 100 * np.sqrt(bgv) / mu,
        "idisu": 100 * dev.sum(axis=1) / k / mu,
        "idisw": 100 * (dev @ p) / mu,
        "mdbu": gap_best.sum(axis=1) / k,
        "mdbw": gap_best @ p,
        "mdmu": dev.sum(axis=1) / k,
        "mdmw": dev @ p,
    }
    if ref_index is not None:
        gap_ref = np.abs(y - y[:, [ref_index]])
        out["mdru"] = gap_ref.sum(axis=1) / k
        out["mdrw"] = gap_ref @ p
    return out


def _group(
    y, se, pop, order, ref_index, setting_average, *, measures, favourable, scale,
    heat_scaling, repetitions, rng,
):  # fmt: skip
    """All requested measures of one group: {measure: (value, se, lower/upper per z, reason)}."""
    results: dict[str, tuple] = {}
    ordered = order is not None
    k = len(y)
    if ordered:
        idx = np.argsort(order, kind="stable")
        y, se, pop = y[idx], se[idx], pop[idx]
        if ref_index is not None:
            ref_index = int(np.where(idx == ref_index)[0][0])
    have_pop = not np.isnan(pop).any()
    p = pop / pop.sum() if have_pop else None
    mu = float(y @ p) if have_pop else setting_average
    for m in measures:
        if m not in (ORDERED if ordered else NON_ORDERED):
            results[m] = (np.nan, np.nan, None, WRONG_DIMENSION)
            continue
        if m in COMPLEX and k <= 2:
            results[m] = (np.nan, np.nan, None, TOO_FEW_SUBGROUPS)
            continue
        if m in ("mdru", "mdrw") and ref_index is None:
            results[m] = (np.nan, np.nan, None, NO_REFERENCE)
            continue
        needs_pop = m not in ("d", "r", "idisu", "mdbu", "mdmu", "mdru")
        if (needs_pop and not have_pop) or (mu is None or np.isnan(mu)):
            results[m] = (np.nan, np.nan, None, MISSING)
            continue
        results[m] = None
    pending = [m for m, v in results.items() if v is None]

    def put(m, value, error, log=False):
        if m in pending:
            results[m] = (value, error, "log" if log else "analytic", None)

    # D and R: ordered → most advantaged vs most disadvantaged; non-ordered → highest vs lowest
    # or, with a reference subgroup, the reference vs the worst other subgroup.
    if ordered:
        hi, lo = (k - 1, 0) if favourable else (0, k - 1)
    elif ref_index is not None:
        others = [j for j in range(k) if j != ref_index]
        worst = min(others, key=lambda j: y[j]) if favourable else max(others, key=lambda j: y[j])
        hi, lo = (ref_index, worst) if favourable else (worst, ref_index)
    else:
        hi, lo = int(np.argmax(y)), int(np.argmin(y))
    put("d", y[hi] - y[lo], np.hypot(se[hi], se[lo]))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = y[hi] / y[lo]
        se_ratio = np.sqrt((se[hi] ** 2 + ratio**2 * se[lo] ** 2) / y[lo] ** 2)
    put("r", ratio, se_ratio / ratio, log=True)
    if not pending:
        return results
    if ordered:
        if {"aci", "rci"} & set(pending):
            rci, se_rci = _concentration(y, pop, mu)
            put("rci", rci, se_rci)
            put("aci", mu * rci, mu * se_rci)
        if {"sii", "rii"} & set(pending):
            fit = _logistic_sii(y, pop, scale)
            if fit is None:
                for m in ("sii", "rii"):
                    if m in pending:
                        results[m] = (np.nan, np.nan, None, "estimates outside 0–scale")
            else:
                put("sii", fit[0], fit[1])
                put("rii", fit[2], fit[3], log=True)
        ref = k - 1
    else:
        ref = int(np.argmax(y)) if favourable else int(np.argmin(y))
    if have_pop:
        improvable = (y[ref] > mu) if favourable else (y[ref] < mu)
        par = (y[ref] - mu) if improvable else 0.0
        se_paf = _walter_paf_se(y[ref], pop[ref], mu, pop.sum(), scale)
        put("paf", 100 * par / mu, se_paf * (1 if heat_scaling else 100))
        put("par", par, mu * se_paf)
        resid = y - mu
        v = p**2 * se**2
        put(
            "bgv",
            resid**2 @ p,
            np.sqrt(
                4 * np.sum(v * resid**2)
                + 2 * (v.sum() ** 2 - np.sum(v**2) + np.sum(p**2 * (1 - p) ** 2 * se**4))
            ),
        )
        r = np.where(y == 0, 1e-6, y) / mu
        factor = 1 if heat_scaling else 1000
        put(
            "mld",
            1000 * np.sum(p * -np.log(r)),
            factor * np.sqrt(np.sum(se**2 * p**2 / mu**2 * (1 - 1 / r) ** 2)),
        )
        centre = np.sum(p * r * (1 + np.log(r)))
        put(
            "ti",
            1000 * np.sum(p * r * np.log(r)),
            factor * np.sqrt(np.sum((1 + np.log(r) - centre) ** 2 * p**2 * se**2 / mu**2)),
        )
    boot = [m for m in pending if m in BOOTSTRAP]
    if boot:
        weights = p if have_pop else np.full(k, 1 / k)
        fixed = None if have_pop else mu
        point = _bootstrap_measures(y[None, :], weights, fixed, favourable, ref_index)
        draws = rng.normal(y, se, size=(repetitions, k))
        # HEAT redraws values outside the possible range (below 0; above 100 on a % scale).
        for _ in range(1000):
            bad = (draws < 0) | ((draws > 100) if scale == 100 else False)
            if not bad.any():
                break
            draws[bad] = rng.normal(
                np.broadcast_to(y, draws.shape)[bad], np.broadcast_to(se, draws.shape)[bad]
            )
        sims = _bootstrap_measures(draws, weights, fixed, favourable, ref_index)
        for m in boot:
            results[m] = (float(point[m][0]), np.nan, sims[m], None)
    return results


def inequality(
    data: pl.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    measures: Iterable[str] | None = None,
    estimate: str = "estimate",
    se: str = "se",
    population: str = "population",
    order: str | None = None,
    reference: str | None = None,
    setting_average: str | None = None,
    favourable: bool = True,
    scale: float = 100,
    confidence: float | Iterable[float] = DEFAULT_CONFIDENCE,
    heat_scaling: bool = False,
    repetitions: int = REPETITIONS,
    seed: int | None = SEED,
) -> pl.DataFrame:
    """WHO HEAT summary measures per group: one row per group and ``measure``.

    Give ``order`` (1 = most disadvantaged) for an ordered dimension such as income quintiles;
    without it the dimension is non-ordered (regions, country of birth). ``reference`` names a
    0/1 column marking the reference subgroup; ``setting_average`` a column with the national
    average used when populations are missing. Columns: ``measure``, ``value``, ``se`` (on the log
    scale for R and RII, on the estimate's scale for SII where HEAT reports it on 0–1), limits
    per level, ``method`` and ``reason``. ``heat_scaling=True``
    reproduces HEAT's narrow MLD, TI and PAF limits (see the module docstring).

    >>> df = pl.DataFrame({"estimate": [20.0, 30, 40, 50, 60], "se": [5.0, 7, 10, 12, 14],
    ...     "population": [78.0, 91, 162, 103, 105], "order": [1, 2, 3, 4, 5]})
    >>> out = inequality(df, order="order", measures=["d", "aci"], confidence=0.95)
    >>> out.select("measure", pl.col("value").round(4)).rows()
    [('d', 40.0), ('aci', 7.3284)]
    """
    function = "inequality"
    levels = confidence_levels(confidence)
    frame = ensure_frame(data, function)
    keys = as_list(by)
    chosen = list(measures) if measures is not None else list(ORDERED if order else NON_ORDERED)
    unknown = [m for m in chosen if m not in set(ORDERED) | set(NON_ORDERED)]
    if unknown:
        raise StatsInputError(f"{function}: unknown measure(s) {', '.join(unknown)}")
    numbers = [estimate, se, population] + [c for c in (order, reference, setting_average) if c]
    require_columns(frame, [*keys, *numbers], function)
    frame = numeric_columns(frame, numbers, keys, function)
    raise_first(frame, frame[se] < 0, keys, f"{function}: negative standard error {se!r}")
    raise_first(frame, frame[population] < 0, keys, f"{function}: negative {population!r}")
    raise_first(frame, frame[estimate] < 0, keys, f"{function}: negative {estimate!r}")
    rng = np.random.default_rng(seed)
    cols = list(numbers)
    groups = (
        frame.group_by(keys, maintain_order=True).agg(cols)
        if keys
        else frame.select([pl.col(c).implode() for c in cols])
    )
    zs = {level: sps.norm.ppf(0.5 + level / 2) for level in levels}
    percents = [q for level in levels for q in (50 * (1 - level), 50 * (1 + level))]
    rows: list[dict] = []
    for record in groups.iter_rows(named=True):
        y, s, pop = (np.asarray(record[c], dtype=float) for c in (estimate, se, population))
        ref_index = None
        if reference:
            marks = np.asarray(record[reference], dtype=float)
            hits = np.flatnonzero(marks == 1)
            ref_index = int(hits[0]) if len(hits) else None
        avg = None
        if setting_average:
            values = [v for v in record[setting_average] if v is not None]
            avg = float(values[0]) if values else None
        group_order = np.asarray(record[order], dtype=float) if order else None
        if np.isnan(y).any() or np.isnan(s).any():
            found = {m: (np.nan, np.nan, None, MISSING) for m in chosen}
        else:
            found = _group(
                y, s, pop, group_order, ref_index, avg, measures=chosen, favourable=favourable,
                scale=scale, heat_scaling=heat_scaling, repetitions=repetitions, rng=rng,
            )  # fmt: skip
        # HEAT's percentile bootstrap (R quantile type 7 = NumPy's linear rule), every
        # bootstrap measure and level of the group in one call.
        boot = [m for m in chosen if isinstance(found[m][2], np.ndarray)]
        if boot:
            cuts = np.percentile(np.stack([found[m][2] for m in boot]), percents, axis=1)
            boot_limits = {m: cuts[:, i] for i, m in enumerate(boot)}
        for m in chosen:
            value, error, how, reason = found[m]
            row = {k: record[k] for k in keys} | {"measure": m, "value": value}
            row["se"] = error
            for i, (level, z) in enumerate(zs.items()):
                suffix = level_suffix(level)
                lower = upper = np.nan
                if isinstance(how, np.ndarray):
                    lower, upper = boot_limits[m][2 * i], boot_limits[m][2 * i + 1]
                elif how == "log":
                    lower, upper = value * np.exp(-z * error), value * np.exp(z * error)
                elif how == "analytic":
                    lower, upper = value - z * error, value + z * error
                row[f"lower_{suffix}"], row[f"upper_{suffix}"] = lower, upper
            row["method"] = (
                f"HEAT bootstrap ({repetitions} replicates)"
                if isinstance(how, np.ndarray)
                else (
                    "HEAT analytic"
                    + (
                        ""
                        if heat_scaling or m not in ("mld", "ti", "paf")
                        else ", SE scaled like the estimate"
                    )
                )
            )
            row["reason"] = reason
            rows.append(row)
    schema = {k: frame.schema[k] for k in keys} | {
        "measure": pl.String,
        "value": pl.Float64,
        "se": pl.Float64,
    }
    for level in levels:
        suffix = level_suffix(level)
        schema |= {f"lower_{suffix}": pl.Float64, f"upper_{suffix}": pl.Float64}
    schema |= {"method": pl.String, "reason": pl.String}
    out = pl.DataFrame(rows, schema=schema, orient="row")
    limit_cols = [c for c in out.columns if c.startswith(("lower_", "upper_"))]
    return out.with_columns(pl.col(["value", "se", *limit_cols]).fill_nan(None))
