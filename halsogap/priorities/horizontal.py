"""Horizontal prioritisation: needs ranked across need groups, and how stable the ranks are.

Politicians weigh five criteria and can see and move the weights:

=======================  ======================  ===============================================
criterion                input column            normalised to 0–1
=======================  ======================  ===============================================
``need_size``            ``gap_persons``         value ÷ the largest in the set (negatives → 0)
``severity``             ``severity``            (level − 1) ÷ 3; level 4 = mycket stor … 1 =
                                                 liten (labels or the needs engine's 1–4)
``inequity``             ``inequity``            value ÷ the largest in the set (≥ 0 required)
``cost_effectiveness``   ``cost_per_qaly`` (kr)  band låg 1, måttlig ⅔, hög ⅓, mycket hög 0
                         or ``cost_band``        (bands as in :mod:`~halsogap.priorities.ranking`)
``evidence``             ``evidence``            hög 1, måttlig ⅔, låg ⅓, mycket låg 0
=======================  ======================  ===============================================

The default weights put the need principle first, as prop. 1996/97:60 orders the principles:
need size 0.30, severity 0.30, inequity 0.20 (need–solidarity: the groups with the worst
conditions), cost-effectiveness 0.10 and evidence 0.10. score = Σ weight × normalised value;
a missing criterion is left out for that need and its remaining weights rescaled (listed in
``missing_criteria``), so missing data neither lowers nor raises a need silently.

:func:`weight_sensitivity` samples weight vectors around the chosen ones (seeded) and reports
each need's rank range, the share of samples where it keeps its rank or stays within a band of
positions, and the single weight change that would swap it with the need just below.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import rankdata

from halsogap.numbers import format_number
from halsogap.priorities._common import (
    COST_BAND,
    EVIDENCE,
    SEVERITY,
    PrioritiesInputError,
    ensure_frame,
    normalised_weights,
    require_columns,
    scale_value,
)
from halsogap.priorities.ranking import DEFAULT_PARAMS, cost_band

CRITERIA: dict[str, str] = {
    "need_size": "behovets storlek",
    "severity": "svårighetsgrad",
    "inequity": "ojämlikhet",
    "cost_effectiveness": "kostnadseffektivitet",
    "evidence": "kunskapsunderlag",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "need_size": 0.30,
    "severity": 0.30,
    "inequity": 0.20,
    "cost_effectiveness": 0.10,
    "evidence": 0.10,
}
_SEVERITY_SCORE = {label: (3 - i) / 3 for i, label in enumerate(SEVERITY)}
_COST_SCORE = {label: (3 - i) / 3 for i, label in enumerate(COST_BAND)}
_EVIDENCE_SCORE = {label: (3 - i) / 3 for i, label in enumerate(EVIDENCE)}


def _by_max(values: np.ndarray) -> np.ndarray:
    clipped = np.clip(values, 0, None)
    top = np.nanmax(clipped) if np.isfinite(clipped).any() else np.nan
    if not top > 0:
        # Nobody has a gap on this criterion: everyone scores 0, the missing stay missing.
        return np.where(np.isnan(clipped), np.nan, 0.0)
    return clipped / top


def _numbers(frame: pl.DataFrame, column: str, function: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(frame.height, np.nan)
    series = frame[column]
    if not (series.dtype.is_numeric() or series.dtype == pl.Null):
        raise PrioritiesInputError(f"{function}: {column!r} måste vara tal")
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)


def _labels(values: list, scale: tuple[str, ...], scores: dict, what: str) -> np.ndarray:
    return np.array(
        [
            np.nan if v is None or v == "" else scores[scale_value(v, scale, what=what)]
            for v in values
        ],
        dtype=float,
    )


def criteria_matrix(
    needs: pl.DataFrame, *, function: str = "criteria_matrix"
) -> tuple[np.ndarray, list[str]]:
    """The n × 5 matrix of normalised criteria (NaN = missing), columns in :data:`CRITERIA` order.

    >>> m, names = criteria_matrix(pl.DataFrame({"gap_persons": [100, 50], "severity": [4, 2]}))
    >>> m[:, :2].tolist(), names[0]
    ([[1.0, 1.0], [0.5, 0.3333333333333333]], 'need_size')
    """
    frame = ensure_frame(needs, function)
    columns = {}
    columns["need_size"] = _by_max(_numbers(frame, "gap_persons", function))
    if "severity" in frame.columns:
        values = frame["severity"].to_list()
        columns["severity"] = _labels(values, SEVERITY, _SEVERITY_SCORE, f"{function}: severity")
    else:
        columns["severity"] = np.full(frame.height, np.nan)
    inequity = _numbers(frame, "inequity", function)
    if (inequity < 0).any():
        raise PrioritiesInputError(f"{function}: inequity måste vara ≥ 0")
    columns["inequity"] = _by_max(inequity)
    if "cost_per_qaly" in frame.columns:
        costs = _numbers(frame, "cost_per_qaly", function)
        bands = [None if np.isnan(c) else cost_band(float(c), params=DEFAULT_PARAMS) for c in costs]
    elif "cost_band" in frame.columns:
        bands = frame["cost_band"].to_list()
    else:
        bands = [None] * frame.height
    columns["cost_effectiveness"] = _labels(bands, COST_BAND, _COST_SCORE, f"{function}: kostnad")
    if "evidence" in frame.columns:
        values = frame["evidence"].to_list()
        columns["evidence"] = _labels(values, EVIDENCE, _EVIDENCE_SCORE, f"{function}: evidence")
    else:
        columns["evidence"] = np.full(frame.height, np.nan)
    names = list(CRITERIA)
    return np.column_stack([columns[n] for n in names]), names


def _scores(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Scores for one (K,) or many (S, K) weight vectors; rows with no criterion are NaN."""
    present = ~np.isnan(matrix)
    filled = np.nan_to_num(matrix)
    w = np.atleast_2d(weights).T
    numerator = filled @ w
    denominator = present.astype(float) @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(denominator > 0, numerator / denominator, np.nan)
    return out[:, 0] if np.ndim(weights) == 1 else out


def rank_horizontal(
    needs: pl.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    id_column: str = "need",
) -> pl.DataFrame:
    """Rank needs across need groups by the weighted criteria (see the module docstring).

    Output, best first: ``rank`` (1 = highest; ties share the lower rank), ``score`` 0–1, per
    criterion ``norm_<c>``, ``weight_<c>`` (after rescaling for missing criteria) and
    ``contribution_<c>``; ``missing_criteria`` and ``main_criterion`` in Swedish. Other columns
    are kept.

    >>> needs = pl.DataFrame({"need": ["rökning", "fetma"], "gap_persons": [40_000, 10_000],
    ...     "severity": ["mycket stor", "måttlig"], "inequity": [0.3, 0.1],
    ...     "cost_per_qaly": [80_000, 300_000], "evidence": ["hög", "låg"]})
    >>> rank_horizontal(needs).select("need", "rank", pl.col("score").round(4)).rows()
    [('rökning', 1, 1.0), ('fetma', 2, 0.3417)]
    """
    function = "rank_horizontal"
    frame = ensure_frame(needs, function)
    require_columns(frame, [id_column], function=function)
    if frame[id_column].is_duplicated().any():
        raise PrioritiesInputError(f"{function}: {id_column!r} har dubbletter")
    weight = normalised_weights(
        DEFAULT_WEIGHTS if weights is None else weights, CRITERIA, function=function
    )
    matrix, names = criteria_matrix(frame, function=function)
    w = np.array([weight[n] for n in names])
    present = ~np.isnan(matrix)
    available = present.astype(float) @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        effective = np.where(present & (available[:, None] > 0), w / available[:, None], 0.0)
    contribution = effective * np.nan_to_num(matrix)
    score = np.where(available > 0, contribution.sum(axis=1), np.nan)
    labels = list(CRITERIA.values())
    # A need that scores nothing on every criterion has no criterion that "weighs most".
    main = [
        labels[int(np.argmax(contribution[i]))]
        if available[i] > 0 and contribution[i].max() > 0
        else None
        for i in range(frame.height)
    ]
    missing = [
        ", ".join(labels[k] for k in range(len(names)) if not present[i, k]) or None
        for i in range(frame.height)
    ]
    columns = [pl.Series("score", score, dtype=pl.Float64).fill_nan(None)]
    for k, name in enumerate(names):
        columns += [
            pl.Series(f"norm_{name}", matrix[:, k], dtype=pl.Float64).fill_nan(None),
            pl.Series(f"weight_{name}", effective[:, k], dtype=pl.Float64),
            pl.Series(f"contribution_{name}", contribution[:, k], dtype=pl.Float64),
        ]
    columns += [
        pl.Series("missing_criteria", missing, dtype=pl.String),
        pl.Series("main_criterion", main, dtype=pl.String),
    ]
    out = frame.with_columns(columns).with_columns(
        pl.col("score").rank(method="min", descending=True).cast(pl.Int64).alias("rank")
    )
    first = [id_column, "rank", "score"]
    return out.select(first + [c for c in out.columns if c not in first]).sort(
        ["rank", id_column], nulls_last=True, maintain_order=True
    )


@dataclass
class Sensitivity:
    """The per-need stability table and how the weights were sampled (for the page and audit)."""

    table: pl.DataFrame
    weights: dict[str, float]
    method: str
    spread: float
    concentration: float
    samples: int
    seed: int
    band: int


def _sample_weights(
    w: np.ndarray, method: str, spread: float, concentration: float, samples: int, seed: int
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    positive = w > 0
    out = np.zeros((samples, w.size))
    if method == "uniform":
        factors = rng.uniform(1 - spread, 1 + spread, size=(samples, int(positive.sum())))
        out[:, positive] = w[positive] * factors
    elif method == "dirichlet":
        # A weight the politicians set to 0 stays 0: "not a criterion" is a decision, not noise.
        out[:, positive] = rng.dirichlet(concentration * w[positive], size=samples)
    else:
        raise PrioritiesInputError(
            "weight_sensitivity: method ska vara 'uniform' eller 'dirichlet'"
        )
    return out / out.sum(axis=1, keepdims=True)


def _swap_deltas(
    matrix: np.ndarray, upper: np.ndarray, lower: np.ndarray, w: np.ndarray
) -> np.ndarray:
    """For each (upper, lower) pair and criterion k, the new normalised weight of k at which the
    two scores become equal when only w_k moves (NaN if no such weight exists).

    score(w) = Σ w_j x_j / Σ w_j p_j per need (x filled values, p present), so adding δ to w_k
    gives (A + δ x_a)/(B + δ p_a) = (C + δ x_b)/(D + δ p_b), a quadratic in δ.
    """
    present = (~np.isnan(matrix)).astype(float)
    filled = np.nan_to_num(matrix)
    A, B = filled[upper] @ w, present[upper] @ w
    C, D = filled[lower] @ w, present[lower] @ w
    xa, pa, xb, pb = filled[upper], present[upper], filled[lower], present[lower]
    a2 = xa * pb - xb * pa
    a1 = A[:, None] * pb + xa * D[:, None] - C[:, None] * pa - xb * B[:, None]
    a0 = np.broadcast_to((A * D - C * B)[:, None], a2.shape)
    best = np.full(a2.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        linear = -a0 / a1
        disc = a1**2 - 4 * a2 * a0
        root = np.sqrt(np.where(disc >= 0, disc, np.nan))
        quad_1 = (-a1 + root) / (2 * a2)
        quad_2 = (-a1 - root) / (2 * a2)
    is_linear = np.abs(a2) < 1e-12
    candidates = np.stack(
        [np.where(is_linear, linear, quad_1), np.where(is_linear, np.nan, quad_2)], axis=-1
    )
    valid = np.isfinite(candidates) & (w[None, :, None] + candidates >= -1e-12)
    candidates = np.where(valid, candidates, np.inf)
    delta = np.take_along_axis(candidates, np.argmin(np.abs(candidates), axis=-1)[..., None], -1)[
        ..., 0
    ]
    finite = np.isfinite(delta)
    with np.errstate(divide="ignore", invalid="ignore"):
        best[finite] = ((w[None, :] + delta) / (1 + delta))[finite]
    return np.clip(best, 0.0, 1.0)


def weight_sensitivity(
    needs: pl.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    id_column: str = "need",
    method: str = "uniform",
    spread: float = 0.2,
    concentration: float = 200.0,
    samples: int = 2000,
    seed: int = 20170,
    band: int = 1,
) -> Sensitivity:
    """How stable each need's rank is when the weights move.

    ``method="uniform"`` multiplies each weight by a factor drawn from 1 ± ``spread`` (±20 % by
    default); ``"dirichlet"`` draws weight vectors from a Dirichlet centred on the weights with
    ``concentration`` (higher = tighter). Weights set to 0 stay 0. Seeded, so the page shows the
    same figures every time. Per need: ``rank`` and ``score`` at the chosen weights,
    ``rank_min``/``rank_max`` and ``rank_p05``/``rank_p95`` over the samples, ``share_same_rank``,
    ``share_in_band`` (within ± ``band`` positions), ``stability`` (Swedish label), and for the
    need just below: ``swap_with``, ``swap_criterion``, ``swap_weight_from``/``_to`` (the one
    weight, moved alone, that makes the two change places; the smallest such move) and
    ``swap_text``. Needs with no criterion at all are left out.

    >>> needs = pl.DataFrame({"need": ["a", "b", "c"], "gap_persons": [100, 90, 10],
    ...     "severity": [2, 4, 1], "inequity": [0.1, 0.1, 0.5]})
    >>> s = weight_sensitivity(needs, samples=500)
    >>> s.table.select("need", "rank", "rank_min", "rank_max", "swap_with", "swap_criterion").rows()
    [('b', 1, 1, 1, 'a', 'svårighetsgrad'), ('a', 2, 2, 2, 'c', 'ojämlikhet'), ('c', 3, 3, 3, None, None)]
    """
    function = "weight_sensitivity"
    if not 0 <= spread < 1:
        raise PrioritiesInputError(f"{function}: spread ska vara minst 0 och under 1")
    if samples < 1 or band < 0 or concentration <= 0:
        raise PrioritiesInputError(f"{function}: samples ≥ 1, band ≥ 0 och concentration > 0")
    ranked = rank_horizontal(needs, weights=weights, id_column=id_column)
    ranked = ranked.filter(pl.col("score").is_not_null())
    weight = normalised_weights(
        DEFAULT_WEIGHTS if weights is None else weights, CRITERIA, function=function
    )
    matrix, names = criteria_matrix(ranked, function=function)
    w = np.array([weight[n] for n in names])
    sampled = _sample_weights(w, method, spread, concentration, samples, seed)
    scores = _scores(matrix, sampled)
    ranks = rankdata(-scores, axis=0, method="min")
    base = ranked["rank"].to_numpy()
    same = (ranks == base[:, None]).mean(axis=1)
    in_band = (np.abs(ranks - base[:, None]) <= band).mean(axis=1)
    n = ranked.height
    labels = list(CRITERIA.values())
    ids = ranked[id_column].to_list()
    swap_with: list = [None] * n
    swap_crit: list = [None] * n
    swap_from: list = [None] * n
    swap_to: list = [None] * n
    swap_text: list = [None] * n
    if n > 1:
        upper, lower = np.arange(n - 1), np.arange(1, n)
        target = _swap_deltas(matrix, upper, lower, w)
        change = np.abs(target - w[None, :])
        for i in range(n - 1):
            swap_with[i] = ids[i + 1]
            if not np.isfinite(change[i]).any():
                swap_text[i] = f"Ingen enskild viktändring får {ids[i + 1]} att gå förbi."
                continue
            k = int(np.nanargmin(change[i]))
            swap_crit[i], swap_from[i], swap_to[i] = labels[k], float(w[k]), float(target[i, k])
            if change[i, k] < 1e-12:
                swap_text[i] = f"Lika poäng som {ids[i + 1]}: de delar redan plats."
            else:
                swap_text[i] = (
                    f"Byter plats med {ids[i + 1]} om vikten för {labels[k]} ändras från "
                    f"{format_number(w[k], 2)} till {format_number(target[i, k], 2)}."
                )
    stability = np.where(
        in_band >= 0.9, "stabil", np.where(in_band >= 0.6, "ganska stabil", "osäker")
    )
    table = ranked.select(id_column, "rank", "score").with_columns(
        pl.Series("rank_min", ranks.min(axis=1).astype(np.int64)),
        pl.Series("rank_max", ranks.max(axis=1).astype(np.int64)),
        pl.Series("rank_p05", np.percentile(ranks, 5, axis=1)),
        pl.Series("rank_p95", np.percentile(ranks, 95, axis=1)),
        pl.Series("share_same_rank", same),
        pl.Series("share_in_band", in_band),
        pl.Series("stability", stability.tolist(), dtype=pl.String),
        pl.Series("swap_with", swap_with, dtype=ranked[id_column].dtype),
        pl.Series("swap_criterion", swap_crit, dtype=pl.String),
        pl.Series("swap_weight_from", swap_from, dtype=pl.Float64),
        pl.Series("swap_weight_to", swap_to, dtype=pl.Float64),
        pl.Series("swap_text", swap_text, dtype=pl.String),
    )
    return Sensitivity(table, weight, method, spread, concentration, samples, seed, band)
