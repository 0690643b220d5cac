"""WHO HEAT summary measures of health inequality (HEAT / HEAT Plus, R package healthequal).

Each group (an indicator, year and dimension) holds one row per subgroup with an estimate, its
standard error and a population. Ordered dimensions (``order`` given: 1 = most disadvantaged)
get D, R, ACI, RCI, SII, RII, PAF and PAR; non-ordered dimensions get D, R, BGV, BGSD, COV,
IDISU/IDISW, MDBU/MDBW, MDMU/MDMW, MDRU/MDRW (with a reference subgroup), MLD, TI, PAF and PAR.
Limits are computed as HEAT does: analytic (z = 1.96 at 95 %) for D, R, ACI, RCI, SII/RII (HC1
delta method on HEAT's logistic model), PAF/PAR, BGV, MLD and TI; a parametric bootstrap for
the others.

All groups are computed together: the subgroups of every group lie back to back in flat arrays
and every measure is a handful of segment sums (``np.add.reduceat``), also the RCI regression and
the SII's logistic fit (iterated for all groups at once). The bootstrap is in
:mod:`halsogap.stats._heat_bootstrap`.

Deliberate differences from HEAT (``heat_scaling=True`` reproduces HEAT's numbers exactly):

* MLD and TI are reported × 1000 but HEAT's standard errors are those of the unscaled index, and
  the Walter standard error of PAF is on the 0–1 scale while PAF is in per cent. HEAT's limits
  are therefore about 1000× (MLD, TI) and 100× (PAF) too narrow. By default we scale the standard
  error like the estimate (× 1000, × 100), so the limits mean what they say.
* The bootstrap (BGSD, COV, IDIS*, MD*) uses NumPy's generator (``seed``), not R's, so its
  limits agree with HEAT's only up to simulation noise; the number of replicates defaults to
  HEAT's 100 and can be raised with ``repetitions``. Like HEAT, which reseeds in every measure
  function, every group is simulated from the same seeded stream (common random numbers), so a
  group's limits do not depend on the other groups in the call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import polars as pl
from scipy import stats as sps

from halsogap.stats import _heat_bootstrap
from halsogap.stats._common import (
    DEFAULT_CONFIDENCE,
    StatsInputError,
    as_list,
    confidence_levels,
    describe_row,
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
BOOTSTRAP = set(_heat_bootstrap.MEASURES)
#: Measures computed without populations (when a setting average is given instead).
WITHOUT_POPULATION = {"d", "r", "idisu", "mdbu", "mdmu", "mdru"}
#: HEAT's number of bootstrap replicates and seed.
REPETITIONS = 100
SEED = 123456

WRONG_DIMENSION = "measure not defined for this kind of dimension"
TOO_FEW_SUBGROUPS = "complex measures need more than 2 subgroups"
NO_REFERENCE = "no reference subgroup"
MISSING = "missing estimate, standard error or population"
OUTSIDE_SCALE = "estimates outside 0–scale"


def _expit(x):
    return 1 / (1 + np.exp(-x))


class _Groups:
    """Subgroups of all groups back to back: ``starts``/``sizes`` per group, ``gid`` per row."""

    def __init__(self, sizes: np.ndarray) -> None:
        self.sizes = sizes
        self.starts = np.cumsum(sizes) - sizes
        self.n = int(sizes.sum())
        self.gid = np.repeat(np.arange(len(sizes)), sizes)
        self.index = np.arange(self.n)

    def sum(self, x: np.ndarray) -> np.ndarray:
        return np.add.reduceat(x, self.starts)

    def first(self, mask: np.ndarray) -> np.ndarray:
        """Flat position of each group's first row where ``mask`` holds (−1 if none)."""
        hit = np.minimum.reduceat(np.where(mask, self.index, self.n), self.starts)
        return np.where(hit < self.n, hit, -1)

    def ranks(self, share: np.ndarray) -> np.ndarray:
        """Midpoint of each subgroup's cumulative share within its (ordered) group."""
        total = np.cumsum(share)
        before = total[self.starts] - share[self.starts]
        return total - before[self.gid] - share / 2


def _concentration(grp: _Groups, y, pop, mu):
    """RCI and its regression SE (HEAT's Gaussian GLM form); ACI = μ·RCI with SE μ·SE.

    The regression of 2·var(r)·(y/μ)·√pop on [r·√pop, √pop] (no intercept) is solved from its
    2 × 2 normal equations for all groups at once.
    """
    p = pop / grp.sum(pop)[grp.gid]
    r = grp.ranks(p)
    var_r = grp.sum(p * (r - 0.5) ** 2)
    a_, b_ = r * np.sqrt(pop), np.sqrt(pop)
    lhs = (2 * var_r / mu)[grp.gid] * y * b_
    saa, sab, sbb = grp.sum(a_ * a_), grp.sum(a_ * b_), grp.sum(b_ * b_)
    sal, sbl = grp.sum(a_ * lhs), grp.sum(b_ * lhs)
    det = saa * sbb - sab**2
    coef_a = (sbb * sal - sab * sbl) / det
    coef_b = (saa * sbl - sab * sal) / det
    resid = lhs - coef_a[grp.gid] * a_ - coef_b[grp.gid] * b_
    sigma2 = grp.sum(resid**2) / (grp.sizes - 2)
    return coef_a, np.sqrt(sigma2 * sbb / det)


def _inverse2(h00, h01, h11):
    det = h00 * h11 - h01**2
    return h11 / det, -h01 / det, h00 / det


def _logistic_sii(grp: _Groups, y, pop, scale):
    """HEAT's SII and RII: logistic model of reconstructed counts on rank, HC1 delta method.

    Counts are round(y/scale × ceil(pop)) (R rounds half to even, as does NumPy). HEAT passes
    the populations both as prior weights and as binomial totals, so the effective weights are
    pop²; reproducing WHO's published numbers requires the same. Newton–Raphson runs for all
    groups together; each group stops when its step falls below 1e-12. Groups whose counts fall
    outside 0…population are flagged in ``bad``.
    """
    n = np.ceil(pop)
    events = np.round(y / scale * n)
    bad = grp.sum(((events < 0) | (events > n)).astype(np.int64)) > 0
    rank = grp.ranks(n / grp.sum(n)[grp.gid])
    w = n * n
    prop = events / n
    beta0 = np.zeros(len(grp.sizes))
    beta1 = np.zeros(len(grp.sizes))
    active = ~bad & np.isfinite(grp.sum(w * prop + rank))

    def fitted():
        return _expit(beta0[grp.gid] + beta1[grp.gid] * rank)

    def hessian(mu):
        h = w * mu * (1 - mu)
        return grp.sum(h), grp.sum(h * rank), grp.sum(h * rank * rank)

    for _ in range(100):
        if not active.any():
            break
        mu = fitted()
        i00, i01, i11 = _inverse2(*hessian(mu))
        score = w * (prop - mu)
        g0, g1 = grp.sum(score), grp.sum(score * rank)
        step0, step1 = i00 * g0 + i01 * g1, i01 * g0 + i11 * g1
        beta0 = np.where(active, beta0 + step0, beta0)
        beta1 = np.where(active, beta1 + step1, beta1)
        active &= np.maximum(np.abs(step0), np.abs(step1)) >= 1e-12
    mu = fitted()
    b00, b01, b11 = _inverse2(*hessian(mu))
    s2 = (w * (prop - mu)) ** 2
    m00, m01, m11 = grp.sum(s2), grp.sum(s2 * rank), grp.sum(s2 * rank * rank)
    # cov = k/(k − 2) · bread · meat · bread, written out for symmetric 2 × 2 matrices.
    t00, t01 = b00 * m00 + b01 * m01, b00 * m01 + b01 * m11
    t10, t11 = b01 * m00 + b11 * m01, b01 * m01 + b11 * m11
    k = grp.sizes
    c00 = k / (k - 2) * (t00 * b00 + t01 * b01)
    c01 = k / (k - 2) * (t00 * b01 + t01 * b11)
    c11 = k / (k - 2) * (t10 * b01 + t11 * b11)
    p0, p1 = _expit(beta0), _expit(beta0 + beta1)
    g_a, g_b = p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)
    l_a, l_b = p0 - p1, 1 - p1
    se_sii = np.sqrt(g_a**2 * c00 + 2 * g_a * g_b * c01 + g_b**2 * c11)
    se_log_rii = np.sqrt(l_a**2 * c00 + 2 * l_a * l_b * c01 + l_b**2 * c11)
    return (p1 - p0) * scale, se_sii * scale, p1 / p0, se_log_rii, bad


def _walter_paf_se(ref, n_ref, mu, total, scale):
    """Walter (1978) SE of PAF on the 0–1 scale, from reconstructed 2×2 counts."""
    c = ref / scale * n_ref
    d = n_ref - c
    a = mu / scale * total - c
    b = total - a - n_ref
    big_n = a + b + c + d
    return np.sqrt(c * big_n * (a * d * (big_n - c) + b * c**2) / ((a + c) ** 3 * (c + d) ** 3))


def _point_bootstrap_measures(grp: _Groups, y, weight, mu, favourable, ref):
    """Point values of the bootstrap measures (float64, the same formulas as the replicates)."""
    g = grp.gid
    k = grp.sizes
    dev = np.abs(y - mu[g])
    best = (np.maximum if favourable else np.minimum).reduceat(y, grp.starts)
    gap = np.abs(y - best[g])
    bgsd = np.sqrt(grp.sum(weight * (y - mu[g]) ** 2))
    out = {
        "bgsd": bgsd,
        "cov": 100 * bgsd / mu,
        "idisu": 100 * grp.sum(dev) / k / mu,
        "idisw": 100 * grp.sum(dev * weight) / mu,
        "mdbu": grp.sum(gap) / k,
        "mdbw": grp.sum(gap * weight),
        "mdmu": grp.sum(dev) / k,
        "mdmw": grp.sum(dev * weight),
    }
    gap_ref = np.abs(y - y[np.maximum(ref, 0)][g])
    out["mdru"] = np.where(ref >= 0, grp.sum(gap_ref) / k, np.nan)
    out["mdrw"] = np.where(ref >= 0, grp.sum(gap_ref * weight), np.nan)
    return out


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

    Give ``order`` (1 = most disadvantaged; each value once per group) for an ordered dimension
    such as income quintiles; without it the dimension is non-ordered (regions, country of
    birth). ``reference`` names a 0/1 column marking the reference subgroup; ``setting_average``
    a column with the national average used when populations are missing. Columns:
    ``measure``, ``value``, ``se`` (on the log scale for R and RII, on the estimate's scale for
    SII where HEAT reports it on 0–1), limits per level, ``method`` and ``reason``.
    ``heat_scaling=True`` reproduces HEAT's narrow MLD, TI and PAF limits (see the module
    docstring). The bootstrap limits use ``repetitions`` replicates from ``seed`` (the same seed
    gives the same limits).

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
    if repetitions < 1:
        raise StatsInputError(f"{function}: repetitions must be at least 1")
    numbers = [estimate, se, population] + [c for c in (order, reference, setting_average) if c]
    require_columns(frame, [*keys, *numbers], function)
    frame = numeric_columns(frame, numbers, keys, function)
    raise_first(frame, frame[se] < 0, keys, f"{function}: negative standard error {se!r}")
    raise_first(frame, frame[population] < 0, keys, f"{function}: negative {population!r}")
    raise_first(frame, frame[estimate] < 0, keys, f"{function}: negative {estimate!r}")
    if order:
        _check_unique_order(frame, keys, order, function)
    if frame.height == 0:
        return _output(frame, keys, levels, chosen, {}, None, repetitions, heat_scaling)
    cols = list(dict.fromkeys(numbers))
    groups = (
        frame.group_by(keys, maintain_order=True).agg(cols)
        if keys
        else frame.select([pl.col(c).implode() for c in cols])
    )
    grp = _Groups(groups[estimate].list.len().to_numpy().astype(np.int64))
    flat = {c: groups[c].explode().cast(pl.Float64).to_numpy() for c in cols}
    if order:
        # Within each group, most disadvantaged first (stable, missing order last).
        sort = np.lexsort((flat[order], grp.gid))
        flat = {c: v[sort] for c, v in flat.items()}
    results = _measures(
        grp, flat, chosen, estimate=estimate, se=se, population=population, order=order,
        reference=reference, setting_average=setting_average, favourable=favourable,
        scale=scale, heat_scaling=heat_scaling, repetitions=repetitions, seed=seed,
        percents=[q for level in levels for q in (50 * (1 - level), 50 * (1 + level))],
    )  # fmt: skip
    return _output(groups, keys, levels, chosen, results, grp, repetitions, heat_scaling)


def _check_unique_order(frame: pl.DataFrame, keys: list[str], order: str, function: str) -> None:
    """Refuse two subgroups of one group with the same order: their ranking would be arbitrary."""
    first = (
        pl.struct([*keys, order]).is_first_distinct() if keys else pl.col(order).is_first_distinct()
    )
    repeated = frame.select(pl.col(order).is_not_null() & ~first).to_series()
    if repeated.any():
        index = int(repeated.arg_true()[0])
        raise StatsInputError(
            f"{function}: {order!r} {frame[order][index]:g} given twice in "
            f"{describe_row(frame, index, keys)}"
        )


def _measures(
    grp, flat, chosen, *, estimate, se, population, order, reference, setting_average,
    favourable, scale, heat_scaling, repetitions, seed, percents,
):  # fmt: skip
    """{measure: (value, se, kind, reason, bootstrap limits)} with arrays over groups."""
    g = grp.gid
    n_groups = len(grp.sizes)
    k = grp.sizes
    ordered = order is not None
    y, s, pop = flat[estimate], flat[se], flat[population]
    ref = grp.first(flat[reference] == 1) if reference else np.full(n_groups, -1)
    avg = np.full(n_groups, np.nan)
    if setting_average:
        known = grp.first(~np.isnan(flat[setting_average]))
        avg = np.where(known >= 0, flat[setting_average][np.maximum(known, 0)], np.nan)
    missing = grp.sum((np.isnan(y) | np.isnan(s)).astype(np.int64)) > 0
    have_pop = grp.sum(np.isnan(pop).astype(np.int64)) == 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        total = grp.sum(pop)
        p = pop / total[g]
        mu = np.where(have_pop, grp.sum(p * y), avg)

        reasons = {}
        for m in chosen:
            reason = np.full(n_groups, None, dtype=object)
            if m not in (ORDERED if ordered else NON_ORDERED):
                reason[:] = WRONG_DIMENSION
            else:
                if m in COMPLEX:
                    reason[k <= 2] = TOO_FEW_SUBGROUPS
                if m in ("mdru", "mdrw"):
                    reason[(reason == None) & (ref < 0)] = NO_REFERENCE  # noqa: E711
                lacking = np.isnan(mu) | (~have_pop if m not in WITHOUT_POPULATION else False)
                reason[(reason == None) & lacking] = MISSING  # noqa: E711
            reason[missing] = MISSING
            reasons[m] = reason
        wanted = set(chosen)
        res: dict[str, tuple] = {}

        def put(m, value, error, kind="analytic"):
            if m in wanted:
                res[m] = (value, error, kind)

        # D and R: ordered → most advantaged vs most disadvantaged; non-ordered → highest vs
        # lowest or, with a reference subgroup, the reference vs the worst other subgroup.
        y_safe = np.nan_to_num(y)
        top = grp.first(y_safe == np.maximum.reduceat(y_safe, grp.starts)[g])
        bottom = grp.first(y_safe == np.minimum.reduceat(y_safe, grp.starts)[g])
        last, first = grp.starts + k - 1, grp.starts
        if ordered:
            hi, lo = (last, first) if favourable else (first, last)
        else:
            hi, lo = top, bottom
            if reference:
                is_ref = grp.index == ref[g]
                others = np.where(is_ref, np.inf if favourable else -np.inf, y_safe)
                pick = np.minimum if favourable else np.maximum
                worst = grp.first(others == pick.reduceat(others, grp.starts)[g])
                worst = np.where(worst >= 0, worst, ref)
                has = ref >= 0
                hi = np.where(has, ref if favourable else worst, hi)
                lo = np.where(has, worst if favourable else ref, lo)
        put("d", y[hi] - y[lo], np.hypot(s[hi], s[lo]))
        ratio = y[hi] / y[lo]
        se_ratio = np.sqrt((s[hi] ** 2 + ratio**2 * s[lo] ** 2) / y[lo] ** 2)
        put("r", ratio, se_ratio / ratio, "log")
        if ordered and wanted & {"aci", "rci"}:
            rci, se_rci = _concentration(grp, y, pop, mu)
            put("rci", rci, se_rci)
            put("aci", mu * rci, mu * se_rci)
        if ordered and wanted & {"sii", "rii"}:
            sii, se_sii, rii, se_rii, bad = _logistic_sii(grp, y, pop, scale)
            put("sii", sii, se_sii)
            put("rii", rii, se_rii, "log")
            for m in {"sii", "rii"} & wanted:
                reasons[m][(reasons[m] == None) & bad] = OUTSIDE_SCALE  # noqa: E711
        best = last if ordered else (top if favourable else bottom)
        y_ref = y[best]
        improvable = (y_ref > mu) if favourable else (y_ref < mu)
        par = np.where(improvable, y_ref - mu, 0.0)
        se_paf = _walter_paf_se(y_ref, pop[best], mu, total, scale)
        put("paf", 100 * par / mu, se_paf * (1 if heat_scaling else 100))
        put("par", par, mu * se_paf)
        resid = y - mu[g]
        v = p**2 * s**2
        bgv_se = np.sqrt(
            4 * grp.sum(v * resid**2)
            + 2 * (grp.sum(v) ** 2 - grp.sum(v**2) + grp.sum(p**2 * (1 - p) ** 2 * s**4))
        )
        put("bgv", grp.sum(resid**2 * p), bgv_se)
        r = np.where(y == 0, 1e-6, y) / mu[g]
        factor = 1 if heat_scaling else 1000
        mld_se = factor * np.sqrt(grp.sum(s**2 * p**2 / mu[g] ** 2 * (1 - 1 / r) ** 2))
        put("mld", 1000 * grp.sum(p * -np.log(r)), mld_se)
        centre = grp.sum(p * r * (1 + np.log(r)))
        ti_se = np.sqrt(grp.sum((1 + np.log(r) - centre[g]) ** 2 * p**2 * s**2 / mu[g] ** 2))
        put("ti", 1000 * grp.sum(p * r * np.log(r)), factor * ti_se)

        boot = [m for m in _heat_bootstrap.MEASURES if m in wanted]
        if boot:
            weight = np.where(have_pop[g], p, 1 / k[g])
            point = _point_bootstrap_measures(grp, y, weight, mu, favourable, ref)
            ok = np.zeros(n_groups, dtype=bool)
            for m in boot:
                ok |= reasons[m] == None  # noqa: E711
            limits = _heat_bootstrap.simulate(
                y, s, weight, grp.starts, k, mu, have_pop, ref, np.flatnonzero(ok),
                wanted=boot, favourable=favourable, scale=scale, repetitions=repetitions,
                seed=seed, percents=percents,
            )  # fmt: skip
            for m in boot:
                res[m] = (point[m], np.full(n_groups, np.nan), limits[m])
    return {m: (*res[m], reasons[m]) for m in chosen}


def _output(groups, keys, levels, chosen, results, grp, repetitions, heat_scaling):
    """One row per group and measure (group-major), NaN limits and values turned into nulls."""
    n_groups = len(grp.sizes) if grp is not None else 0
    n_measures = len(chosen)
    size = n_groups * n_measures
    columns: dict[str, np.ndarray | list] = {
        "measure": np.tile(np.array(chosen, dtype=object), n_groups).tolist()
    }
    value = np.full((n_groups, n_measures), np.nan)
    error = np.full((n_groups, n_measures), np.nan)
    limits = {level: np.full((n_groups, n_measures, 2), np.nan) for level in levels}
    reason = np.full((n_groups, n_measures), None, dtype=object)
    methods = []
    for i, m in enumerate(chosen):
        if m in BOOTSTRAP:
            methods.append(f"HEAT bootstrap ({repetitions} replicates)")
        elif heat_scaling or m not in ("mld", "ti", "paf"):
            methods.append("HEAT analytic")
        else:
            methods.append("HEAT analytic, SE scaled like the estimate")
        if not n_groups:
            continue
        val, err, kind, why = results[m]
        computed = why == None  # noqa: E711
        value[:, i] = np.where(computed, val, np.nan)
        error[:, i] = np.where(computed, err, np.nan)
        reason[:, i] = why
        with np.errstate(invalid="ignore", over="ignore"):
            for j, level in enumerate(levels):
                z = sps.norm.ppf(0.5 + level / 2)
                if isinstance(kind, np.ndarray):
                    low, high = kind[:, 2 * j], kind[:, 2 * j + 1]
                elif kind == "log":
                    low, high = val * np.exp(-z * err), val * np.exp(z * err)
                else:
                    low, high = val - z * err, val + z * err
                limits[level][:, i, 0] = np.where(computed, low, np.nan)
                limits[level][:, i, 1] = np.where(computed, high, np.nan)
    out = {"measure": pl.Series("measure", columns["measure"], dtype=pl.String)}
    out["value"] = pl.Series("value", value.ravel())
    out["se"] = pl.Series("se", error.ravel())
    for level in levels:
        suffix = level_suffix(level)
        out[f"lower_{suffix}"] = pl.Series(f"lower_{suffix}", limits[level][..., 0].ravel())
        out[f"upper_{suffix}"] = pl.Series(f"upper_{suffix}", limits[level][..., 1].ravel())
    out["method"] = pl.Series("method", methods * n_groups, dtype=pl.String)
    out["reason"] = pl.Series("reason", reason.ravel().tolist(), dtype=pl.String)
    if keys:
        key_frame = groups.select(keys)
        key_frame = key_frame[np.repeat(np.arange(n_groups), n_measures)] if size else key_frame[:0]
        frame = key_frame.with_columns(list(out.values()))
    else:
        frame = pl.DataFrame(list(out.values()))
    floats = [
        c for c in frame.columns if c == "value" or c == "se" or c.startswith(("lower_", "upper_"))
    ]
    return frame.with_columns(pl.col(floats).cast(pl.Float64).fill_nan(None))
