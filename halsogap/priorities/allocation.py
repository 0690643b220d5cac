"""Resource allocation: choose measures that maximise health gain within the budget, exactly.

Each row of ``options`` is a funding option: a measure (``measure``) offered to a need group
(``need_group``), possibly in several variants (e.g. group vs individual counselling). The
model is a 0–1 integer programme solved to proven optimality by HiGHS through SciPy's
:func:`scipy.optimize.milp` (``mip_rel_gap = 0``):

Variables
    ``x_i`` ∈ {0, 1}: option *i* is funded; ``z`` ∈ {0, 1}: options outside ranks 1–3 may be
    funded (the priority gate).
Objective
    maximise Σ v_i x_i with v_i = effect_i × (1 + λ × need_g(i)). ``effect`` is the health gain
    (``qaly``, or ``reach`` × ``effect_per_person`` [× ``uptake``]); need_g ∈ [0, 1] is the need
    group's need score (e.g. the ``score`` of :func:`~halsogap.priorities.horizontal.rank_horizontal`)
    and λ = ``solidarity`` ≥ 0 (need–solidarity weight). λ = 0 counts every QALY alike; λ = 1
    makes a QALY in the group with the greatest need (score 1) count twice as much as one in a
    group with no measured need (score 0). It expresses prop. 1996/97:60's order — need before
    cost-effectiveness — as a premium, and is shown with the result.
Constraint families (each can be named when the problem is infeasible)
    ``budget``        Σ cost_i x_i ≤ B.
    ``priority``      ranks 1–3 before others (lexicographic): for every measure × need group
                      slot with a rank 1–3 variant, Σ_{rank 1–3 variants} x_i ≥ z; for every
                      option ranked 4–10 or unranked, x_j ≤ z. So no lower-ranked option is
                      funded unless every rank 1–3 slot is. Which slots count is the rule
                      ``priority_gate`` (see below).
    ``one_variant``   Σ_{i in slot} x_i ≤ 1 for each measure × need group with several variants.
    ``min_share:p``   Σ_{i in perspective p} cost_i x_i ≥ share_p × B.
    ``min_count:p``   Σ_{i in perspective p} x_i ≥ n_p.

The priority gate has two rules (``priority_gate``, Swedish names in :data:`PRIORITY_GATES`):

``"strict"`` (the default)
    every slot with a rank 1–3 variant must be funded before any rank ≥ 4 option. A rank 1–3
    option dearer than the whole budget can then never be funded, so it keeps every rank ≥ 4
    option out and may leave money unused; the result says so in a note that names the option
    and its cost against the budget.
``"affordable"`` — fund the affordable rank 1–3 options first
    a slot whose every rank 1–3 variant costs more than the whole budget is left out of the
    gate (it cannot be funded in any case), so it does not block the others. Every rank 1–3
    slot that fits in the budget on its own must still be funded before any rank ≥ 4 option,
    even when they do not all fit together (then, as under the strict rule, the gate stays
    shut).

Solving: the gate z is decided by solving the two branches z = 1 (gate open) and z = 0 (only
rank 1–3) as separate 0–1 programmes, each to proven optimality, and keeping the better one
(the open gate on a tie). That is the same optimum as one programme with z free, but each branch
is a knapsack with side constraints whose LP relaxation is tight, whereas with z free the
relaxation can take z fractional, fund half of every rank 1–3 slot and half of the rest, and
leave HiGHS a wide gap to close by branching.

Options are excluded, with a Swedish reason, when the effect or cost is missing (never taken as
zero), or the rank is icke-göra or FoU. An infeasible problem is diagnosed by dropping constraint
families one, then two, at a time and reporting the smallest sets whose removal makes it
solvable, plus how much more money the budget would need.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from halsogap.numbers import format_kr
from halsogap.priorities._common import (
    PrioritiesInputError,
    ensure_frame,
    require_columns,
)
from halsogap.priorities.catalogue import PERSPECTIVES

FIRST_LABEL = "rang 1–3"
#: The rules for the priority gate (``allocate(priority_gate=…)``), with their Swedish names.
PRIORITY_GATES = {
    "strict": "strikt: alla åtgärder med rang 1–3 finansieras före övriga",
    "affordable": "de åtgärder med rang 1–3 som ryms i budgeten finansieras först",
}
STATUS_SV = {
    "optimal": "Optimal lösning (bevisat bästa möjliga).",
    "infeasible": "Problemet saknar lösning: villkoren går inte att uppfylla samtidigt.",
    "time_limit": "Tidsgränsen nåddes; bästa hittade lösning visas men är inte bevisat optimal.",
    "error": "Lösaren kunde inte lösa problemet.",
}


def family_label(family: str) -> str:
    """Swedish name of a constraint family.

    >>> family_label("min_share:population")
    'minsta budgetandel för perspektivet befolkning'
    """
    if family.startswith(("min_share:", "min_count:")):
        kind, perspective = family.split(":", 1)
        name = PERSPECTIVES.get(perspective, perspective)
        what = "budgetandel" if kind == "min_share" else "antal åtgärder"
        return f"minsta {what} för perspektivet {name}"
    return {
        "budget": "budgettaket",
        "priority": "prioritetsordningen (rang 1–3 finansieras före övriga)",
        "one_variant": "högst en variant per åtgärd och behovsgrupp",
    }[family]


@dataclass
class Conflict:
    """A smallest set of constraint families whose removal makes the problem solvable."""

    families: tuple[str, ...]
    text: str


@dataclass
class Allocation:
    """The result of :func:`allocate`; ``options`` holds every input row with its outcome."""

    status: str
    message: str
    budget: float
    objective: float | None
    health_gain: float | None
    cost: float | None
    options: pl.DataFrame
    by_perspective: pl.DataFrame
    conflicts: list[Conflict] = field(default_factory=list)
    budget_shortfall: float | None = None
    priority_gate_open: bool | None = None
    notes: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def funded(self) -> pl.DataFrame:
        """The funded options."""
        return self.options.filter(pl.col("funded").fill_null(False))


def _rank_text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in ("icke-göra", "icke-gora", "ickegöra"):
        return "icke-göra"
    if text.lower() == "fou":
        return "FoU"
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        raise PrioritiesInputError(
            f"allocate: rang {value!r} ska vara 1–10, icke-göra eller FoU"
        ) from None
    if number != int(number) or not 1 <= number <= 10:
        raise PrioritiesInputError(f"allocate: rang {value!r} ska vara 1–10, icke-göra eller FoU")
    return str(int(number))


def _column(frame: pl.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(frame.height, np.nan)
    series = frame[name]
    if not (series.dtype.is_numeric() or series.dtype == pl.Null):
        raise PrioritiesInputError(f"allocate: {name!r} måste vara tal")
    return series.cast(pl.Float64).fill_null(np.nan).to_numpy().astype(float)


def prepare_options(
    options: pl.DataFrame,
    *,
    years: float = 1.0,
    need_scores: Mapping[str, float] | None = None,
    solidarity: float = 0.0,
    first_ranks: int = 3,
) -> pl.DataFrame:
    """Options with ``cost``, ``effect``, ``value``, ``rank_text``, ``first_rank``, ``eligible``
    and ``excluded_reason`` (Swedish), before any solving.

    ``cost`` is the given ``cost`` or ``cost_one_off`` + ``cost_yearly`` × ``years``; ``effect``
    the given ``qaly`` or ``reach`` × ``effect_per_person`` (× ``uptake`` where given).

    >>> opts = pl.DataFrame({"measure": ["A", "B"], "need_group": ["g", "g"], "rank": [2, 5],
    ...     "perspective": ["individual"] * 2, "cost": [10.0, 20.0], "qaly": [1.0, None]})
    >>> prepare_options(opts).select("option", "eligible", "excluded_reason").rows()
    [('A|g', True, None), ('B|g', False, 'Effektskattning saknas – tas inte med (räknas inte som noll).')]
    """
    function = "allocate"
    frame = ensure_frame(options, function)
    require_columns(frame, ["measure", "need_group", "rank", "perspective"], function=function)
    if "option" not in frame.columns:
        parts = [pl.col("measure").cast(pl.String), pl.col("need_group").cast(pl.String)]
        if "variant" in frame.columns:
            parts.append(pl.col("variant").cast(pl.String).fill_null(""))
        frame = frame.with_columns(pl.concat_str(parts, separator="|").alias("option"))
    if frame["option"].is_duplicated().any():
        raise PrioritiesInputError(f"{function}: 'option' har dubbletter")
    unknown = sorted(set(frame["perspective"].drop_nulls().unique().to_list()) - set(PERSPECTIVES))
    if unknown or frame["perspective"].null_count():
        raise PrioritiesInputError(
            f"{function}: perspective ska vara en av {', '.join(PERSPECTIVES)} (fick {unknown or 'tomt'})"
        )
    if "cost" in frame.columns:
        cost = _column(frame, "cost")
    elif "cost_one_off" in frame.columns or "cost_yearly" in frame.columns:
        # A missing part of the cost is unknown, not free: the sum stays NaN.
        cost = _column(frame, "cost_one_off") + _column(frame, "cost_yearly") * years
    else:
        raise PrioritiesInputError(
            f"{function}: kolumnen 'cost' (eller cost_one_off/cost_yearly) saknas"
        )
    if "qaly" in frame.columns:
        effect = _column(frame, "qaly")
    elif "reach" in frame.columns and "effect_per_person" in frame.columns:
        effect = _column(frame, "reach") * _column(frame, "effect_per_person")
        if "uptake" in frame.columns:
            uptake = _column(frame, "uptake")
            effect = effect * np.where(np.isnan(uptake), 1.0, uptake)
    else:
        raise PrioritiesInputError(
            f"{function}: kolumnen 'qaly' (eller reach och effect_per_person) saknas"
        )
    if (cost < 0).any() or (effect < 0).any():
        raise PrioritiesInputError(
            f"{function}: kostnad och effekt kan inte vara negativa (en skadlig åtgärd är icke-göra)"
        )
    if solidarity < 0:
        raise PrioritiesInputError(f"{function}: solidarity ska vara ≥ 0")
    groups = frame["need_group"].cast(pl.String).to_list()
    if solidarity > 0:
        scores = dict(need_scores or {})
        missing = sorted({g for g in groups if g not in scores or scores[g] is None})
        if missing:
            raise PrioritiesInputError(
                f"{function}: behovspoäng saknas för behovsgrupperna {', '.join(missing)} "
                "(krävs när solidarity > 0)"
            )
        need = np.array([float(scores[g]) for g in groups])
        if ((need < 0) | (need > 1)).any():
            raise PrioritiesInputError(f"{function}: behovspoängen ska ligga mellan 0 och 1")
    else:
        need = np.zeros(frame.height)
    ranks = [_rank_text(v) for v in frame["rank"].to_list()]
    reasons = []
    for c, e, r in zip(cost, effect, ranks, strict=True):
        if np.isnan(e):
            reasons.append("Effektskattning saknas – tas inte med (räknas inte som noll).")
        elif np.isnan(c):
            reasons.append("Kostnad saknas – tas inte med.")
        elif r == "icke-göra":
            reasons.append("Icke-göra: ska inte finansieras.")
        elif r == "FoU":
            reasons.append("FoU: endast inom forskning och utveckling; ingår inte i fördelningen.")
        else:
            reasons.append(None)
    first = [r is not None and r.isdigit() and int(r) <= first_ranks for r in ranks]
    return frame.with_columns(
        pl.Series("need_group", groups, dtype=pl.String),
        pl.Series("cost", cost).fill_nan(None),
        pl.Series("effect", effect).fill_nan(None),
        pl.Series("need_score", need),
        pl.Series("value", effect * (1 + solidarity * need)).fill_nan(None),
        pl.Series("rank_text", ranks, dtype=pl.String),
        pl.Series("first_rank", first, dtype=pl.Boolean),
        pl.Series("eligible", [r is None for r in reasons], dtype=pl.Boolean),
        pl.Series("excluded_reason", reasons, dtype=pl.String),
    )


@dataclass
class _Model:
    value: np.ndarray
    families: dict[str, LinearConstraint]
    n: int  # option variables; the gate z is variable n


def _slots(eligible: pl.DataFrame) -> np.ndarray:
    """Slot number (measure × need group) of each eligible option, 0-based."""
    return eligible.select(
        pl.struct("measure", "need_group").rank("dense").cast(pl.Int64).alias("s") - 1
    )["s"].to_numpy()


def _unaffordable_first(eligible: pl.DataFrame, budget: float) -> np.ndarray:
    """Mask of the rank 1–3 options in slots where every rank 1–3 variant costs more than the
    whole budget: they can never be funded."""
    if not eligible.height:
        return np.zeros(0, dtype=bool)
    first = eligible["first_rank"].to_numpy()
    cost = eligible["cost"].to_numpy().astype(float)
    slot = _slots(eligible)
    cheapest = np.full(int(slot.max()) + 1, np.inf)
    np.minimum.at(cheapest, slot[first], cost[first])
    return first & (cheapest[slot] > budget)


def _build(
    eligible: pl.DataFrame,
    budget: float,
    min_share: Mapping[str, float],
    min_count: Mapping[str, int],
    priority_gate: str = "strict",
) -> _Model:
    n = eligible.height
    cost = eligible["cost"].to_numpy().astype(float)
    value = eligible["value"].to_numpy().astype(float)
    first = eligible["first_rank"].to_numpy()
    # Rank 1–3 options that gate the others: all of them (strict), or those in slots that fit in
    # the budget (affordable). Ungated rank 1–3 options are neither gated nor gating.
    gating = (
        first & ~_unaffordable_first(eligible, budget) if priority_gate == "affordable" else first
    )
    families: dict[str, LinearConstraint] = {}
    families["budget"] = LinearConstraint(
        sparse.csr_array(np.append(cost, 0.0)[None, :]), -np.inf, budget
    )
    slot = _slots(eligible) if n else np.zeros(0, dtype=int)
    n_slots = int(slot.max()) + 1 if n else 0
    # Gate rows: one per slot that has a rank 1–3 variant (Σ x_first − z ≥ 0) and one per other
    # option (x_j − z ≤ 0). Rows per option, not one aggregated row, keep the LP relaxation tight.
    high_slots = np.unique(slot[gating])
    low = np.flatnonzero(~first)
    if high_slots.size and low.size:
        index = {s: r for r, s in enumerate(high_slots)}
        rows_h = [index[s] for s in slot[gating]]
        cols_h = np.flatnonzero(gating)
        m_h = high_slots.size
        rows = np.concatenate(
            [rows_h, np.arange(m_h), m_h + np.arange(low.size), m_h + np.arange(low.size)]
        )
        cols = np.concatenate([cols_h, np.full(m_h, n), low, np.full(low.size, n)])
        data = np.concatenate(
            [np.ones(cols_h.size), -np.ones(m_h), np.ones(low.size), -np.ones(low.size)]
        )
        matrix = sparse.csr_array((data, (rows, cols)), shape=(m_h + low.size, n + 1))
        lower = np.concatenate([np.zeros(m_h), np.full(low.size, -np.inf)])
        upper = np.concatenate([np.full(m_h, np.inf), np.zeros(low.size)])
        families["priority"] = LinearConstraint(matrix, lower, upper)
    counts = np.bincount(slot, minlength=n_slots) if n else np.array([], dtype=int)
    shared = np.flatnonzero(counts > 1)
    if shared.size:
        index = {s: r for r, s in enumerate(shared)}
        members = np.flatnonzero(np.isin(slot, shared))
        rows = [index[s] for s in slot[members]]
        matrix = sparse.csr_array(
            (np.ones(members.size), (rows, members)), shape=(shared.size, n + 1)
        )
        families["one_variant"] = LinearConstraint(matrix, -np.inf, 1.0)
    perspective = eligible["perspective"].to_numpy()
    for name, share in sorted(min_share.items()):
        mask = (perspective == name).astype(float)
        row = np.append(cost * mask, 0.0)[None, :]
        families[f"min_share:{name}"] = LinearConstraint(
            sparse.csr_array(row), share * budget, np.inf
        )
    for name, count in sorted(min_count.items()):
        row = np.append((perspective == name).astype(float), 0.0)[None, :]
        families[f"min_count:{name}"] = LinearConstraint(sparse.csr_array(row), count, np.inf)
    return _Model(np.append(value, 0.0), families, n)


@dataclass
class _Solution:
    """What :func:`_solve` returns: SciPy's ``milp`` status code and the 0–1 vector (or None)."""

    status: int  # 0 optimal, 1 time limit, 2 infeasible, other: solver error
    x: np.ndarray | None


def _milp(model: _Model, constraints: list, objective: np.ndarray, gate, time_limit: float):
    lower, upper = np.zeros(model.n + 1), np.ones(model.n + 1)
    if gate is not None:
        lower[model.n] = upper[model.n] = gate
    result = milp(
        -objective,
        integrality=np.ones(model.n + 1),
        bounds=Bounds(lower, upper),
        constraints=constraints,
        options={"mip_rel_gap": 0.0, "time_limit": time_limit, "presolve": True},
    )
    return _Solution(int(result.status), result.x)


def _solve(
    model: _Model, families: list[str], *, objective: np.ndarray, time_limit: float
) -> _Solution:
    """Maximise ``objective`` under ``families``, to proven optimality.

    With the priority family the gate z is fixed in turn to 1 and to 0 and the better branch
    kept (the open gate on a tie): the same optimum as leaving z free, found much faster (see
    the module docstring)."""
    constraints = [model.families[f] for f in families if f in model.families]
    if "priority" not in families or "priority" not in model.families:
        return _milp(model, constraints, objective, None, time_limit)
    started = time.perf_counter()
    branches = []
    for gate in (1.0, 0.0):
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            branches.append(_Solution(1, None))
            continue
        branches.append(_milp(model, constraints, objective, gate, remaining))
    found = [b for b in branches if b.x is not None]
    best = None
    for branch in found:  # open gate first, so a tie keeps it
        if best is None or objective @ branch.x > objective @ best.x + 1e-9 * max(
            1.0, abs(objective @ best.x)
        ):
            best = branch
    codes = {b.status for b in branches}
    if codes <= {0, 2}:
        status = 0 if best is not None else 2
    elif codes <= {0, 1, 2}:
        status = 1
    else:
        status = max(codes - {0, 1, 2})
    return _Solution(status, best.x if best is not None else None)


def _diagnose(
    model: _Model, budget: float, time_limit: float
) -> tuple[list[Conflict], float | None]:
    """Smallest sets of families whose removal makes the problem feasible, and the shortfall."""
    names = list(model.families)
    zero = np.zeros(model.n + 1)
    conflicts: list[Conflict] = []
    for size in (1, 2, 3):
        for dropped in itertools.combinations(names, size):
            if any(set(c.families) <= set(dropped) for c in conflicts):
                continue  # a smaller set already works; only minimal sets are reported
            kept = [f for f in names if f not in dropped]
            if _solve(model, kept, objective=zero, time_limit=time_limit).status == 0:
                labels = " och ".join(family_label(f) for f in dropped)
                conflicts.append(Conflict(dropped, f"Lösbart om {labels} släpps eller ändras."))
        if conflicts:
            break
    shortfall = None
    if "budget" in names and any(c.families == ("budget",) for c in conflicts):
        # Elastic budget: the cheapest selection meeting every other family.
        cost = model.families["budget"].A.toarray()[0]
        kept = [f for f in names if f != "budget"]
        result = _solve(model, kept, objective=-cost, time_limit=time_limit)
        if result.status == 0:
            shortfall = float(cost @ np.round(result.x) - budget)
    return conflicts, shortfall


def allocate(
    options: pl.DataFrame,
    *,
    budget: float,
    need_scores: Mapping[str, float] | None = None,
    solidarity: float = 0.0,
    first_ranks: int = 3,
    min_share: Mapping[str, float] | None = None,
    min_count: Mapping[str, int] | None = None,
    priority_gate: str = "strict",
    years: float = 1.0,
    time_limit: float = 60.0,
) -> Allocation:
    """Choose the options that maximise (need-weighted) health gain under the constraints.

    ``options`` needs ``measure``, ``need_group``, ``rank`` (1–10, icke-göra, FoU or null),
    ``perspective`` (individual/population/staff/governance), a cost and an effect (see
    :func:`prepare_options`); ``option`` (unique id) and ``variant`` are optional. ``min_share``
    maps a perspective to its minimum share of the budget, ``min_count`` to a minimum number
    of funded options. ``priority_gate`` is the rule for ranks 1–3 before the others:
    ``"strict"`` (default: every rank 1–3 slot first) or ``"affordable"`` (the rank 1–3 slots
    that fit in the budget first; one dearer than the whole budget does not block the rest).
    See the module docstring for the model.

    Hand check: budget 100; A (rank 2, cost 60, 5 QALY), B (rank 5, cost 30, 4 QALY), C (rank 6,
    cost 40, 6 QALY). B + C = 70 kr for 10 QALY would beat A, but A is rank 1–3 and must be
    funded first; then 40 kr remain: C (6) beats B (4). Best: A + C = 11 QALY for 100 kr.

    >>> opts = pl.DataFrame({"measure": ["A", "B", "C"], "need_group": ["g1", "g1", "g2"],
    ...     "rank": [2, 5, 6], "perspective": ["individual", "population", "population"],
    ...     "cost": [60.0, 30.0, 40.0], "qaly": [5.0, 4.0, 6.0]})
    >>> result = allocate(opts, budget=100)
    >>> result.status, result.funded["measure"].to_list(), result.health_gain
    ('optimal', ['A', 'C'], 11.0)

    The two gate rules, by hand: budget 100; A (rank 2, cost 150, 8 QALY) is dearer than the
    whole budget, B (rank 1, cost 40, 3 QALY), C (rank 5, cost 50, 6 QALY), D (rank 7, cost 30,
    2 QALY). Strict: A can never be funded, so no rank ≥ 4 option may be: B alone, 3 QALY for
    40 kr, 60 kr unused — and a note says why. Affordable: B first, then 60 kr remain; C (6)
    beats D (2) and C + D = 80 kr does not fit: B + C = 9 QALY for 90 kr.

    >>> opts = pl.DataFrame({"measure": ["A", "B", "C", "D"], "need_group": ["g1", "g2", "g1", "g3"],
    ...     "rank": [2, 1, 5, 7], "perspective": ["individual"] * 4,
    ...     "cost": [150.0, 40.0, 50.0, 30.0], "qaly": [8.0, 3.0, 6.0, 2.0]})
    >>> strict = allocate(opts, budget=100)
    >>> strict.funded["measure"].to_list(), strict.health_gain, strict.priority_gate_open
    (['B'], 3.0, False)
    >>> print(strict.notes[-1])  # doctest: +NORMALIZE_WHITESPACE
    A|g1 har rang 1–3 men kostar 150 kr, mer än hela budgeten (100 kr), och kan aldrig
    finansieras. Med den strikta prioritetsordningen stänger den därför alla åtgärder med lägre
    rang eller utan rang: 60 kr av budgeten används inte. Med regeln att först finansiera de
    åtgärder med rang 1–3 som ryms i budgeten hindrar den inte de övriga.
    >>> affordable = allocate(opts, budget=100, priority_gate="affordable")
    >>> affordable.funded["measure"].to_list(), affordable.health_gain, affordable.cost
    (['B', 'C'], 9.0, 90.0)
    """
    started = time.perf_counter()
    if budget is None or not np.isfinite(budget) or budget < 0:
        raise PrioritiesInputError("allocate: budget ska vara ett tal ≥ 0")
    min_share = dict(min_share or {})
    min_count = dict(min_count or {})
    for name in (*min_share, *min_count):
        if name not in PERSPECTIVES:
            raise PrioritiesInputError(f"allocate: okänt perspektiv {name!r}")
    if any(not 0 <= s <= 1 for s in min_share.values()) or any(c < 0 for c in min_count.values()):
        raise PrioritiesInputError("allocate: minsta andel ska vara 0–1 och minsta antal ≥ 0")
    if priority_gate not in PRIORITY_GATES:
        raise PrioritiesInputError(
            f"allocate: priority_gate ska vara en av {', '.join(PRIORITY_GATES)} "
            f"(fick {priority_gate!r})"
        )
    prepared = prepare_options(
        options,
        years=years,
        need_scores=need_scores,
        solidarity=solidarity,
        first_ranks=first_ranks,
    )
    params = {
        "budget": float(budget),
        "solidarity": solidarity,
        "first_ranks": first_ranks,
        "min_share": min_share,
        "min_count": min_count,
        "priority_gate": priority_gate,
        "years": years,
        "solver": "HiGHS (scipy.optimize.milp), mip_rel_gap = 0",
    }
    eligible = prepared.filter(pl.col("eligible"))
    model = _build(eligible, float(budget), min_share, min_count, priority_gate)
    result = _solve(model, list(model.families), objective=model.value, time_limit=time_limit)
    notes = _notes(prepared, priority_gate)
    # Rank 1–3 options dearer than the whole budget: they block the rest under the strict rule.
    unaffordable = eligible.filter(pl.Series(_unaffordable_first(eligible, float(budget))))
    strict_blocked = (
        priority_gate == "strict" and unaffordable.height > 0 and "priority" in model.families
    )
    blocking_text = None
    status = {0: "optimal", 1: "time_limit", 2: "infeasible"}.get(result.status, "error")
    if status == "time_limit" and result.x is None:
        status = "error"
    funded = np.zeros(eligible.height, dtype=bool)
    gate = None
    conflicts: list[Conflict] = []
    shortfall = None
    if result.x is not None:
        chosen = np.round(result.x).astype(bool)
        funded = chosen[: eligible.height]
        gate = bool(chosen[-1]) if "priority" in model.families else None
        if gate is False and strict_blocked:
            unused = float(budget) - float(eligible["cost"].to_numpy() @ funded)
            blocking_text = _blocking_note(unaffordable, float(budget), unused)
        elif gate is False:
            notes.append(
                f"Alla åtgärder med {FIRST_LABEL} ryms inte samtidigt, så inga lägre rangordnade "
                "åtgärder finansieras (prioritetsordningen)."
            )
    elif status == "infeasible":
        conflicts, shortfall = _diagnose(model, float(budget), time_limit)
        if strict_blocked:
            blocking_text = _blocking_note(unaffordable, float(budget), None)
    if blocking_text is not None:
        notes.append(blocking_text)
    if priority_gate == "affordable" and unaffordable.height and (~eligible["first_rank"]).any():
        notes.append(_unaffordable_note(unaffordable, float(budget)))
    flags = dict(zip(eligible["option"].to_list(), funded.tolist(), strict=True))
    out = prepared.with_columns(
        pl.when(pl.col("eligible"))
        .then(pl.col("option").replace_strict(flags, default=False, return_dtype=pl.Boolean))
        .otherwise(None)
        .alias("funded")
    )
    if status == "infeasible":
        out = out.with_columns(pl.lit(None, dtype=pl.Boolean).alias("funded"))
    chosen_rows = out.filter(pl.col("funded").fill_null(False))
    solved = status in ("optimal", "time_limit")
    message = STATUS_SV[status]
    if conflicts:
        involved = sorted(
            {f for c in conflicts for f in c.families}, key=list(model.families).index
        )
        message += (
            f" Villkor i konflikt: {'; '.join(family_label(f) for f in involved)}. "
            + " ".join(c.text for c in conflicts)
        )
    if shortfall is not None:
        message += f" Budgeten behöver öka med minst {format_kr(shortfall)}."
    if status == "infeasible" and blocking_text is not None:
        message += " " + blocking_text
    return Allocation(
        status=status,
        message=message,
        budget=float(budget),
        objective=float(chosen_rows["value"].sum()) if solved else None,
        health_gain=float(chosen_rows["effect"].sum()) if solved else None,
        cost=float(chosen_rows["cost"].sum()) if solved else None,
        options=out,
        by_perspective=_by_perspective(out, float(budget), min_share, min_count),
        conflicts=conflicts,
        budget_shortfall=shortfall,
        priority_gate_open=gate,
        notes=notes,
        params=params,
        seconds=time.perf_counter() - started,
    )


def _names(options: pl.DataFrame) -> list[str]:
    """How notes name each option: its measure's title and need group where the frame has
    them ("Rökavvänjning för Vuxna som röker"), else its id, so a reader never sees "2, 3"."""
    if "title" not in options.columns:
        return options["option"].to_list()
    names = []
    for row in options.select(
        "option", "title", *(["need_group"] * ("need_group" in options.columns))
    ).iter_rows(named=True):
        if not row["title"]:
            names.append(row["option"])
        elif row.get("need_group"):
            names.append(f"{row['title']} för {row['need_group']}")
        else:
            names.append(row["title"])
    return names


def _listed(options: pl.DataFrame, limit: int = 10) -> str:
    """The options with their costs, e.g. ``A|g (150 kr), B|h (200 kr)``, at most ``limit``."""
    parts = [
        f"{name} ({format_kr(cost)})"
        for name, cost in zip(_names(options), options["cost"].to_list(), strict=True)
    ]
    return ", ".join(parts[:limit]) + (" …" if len(parts) > limit else "")


def _blocking_note(unaffordable: pl.DataFrame, budget: float, unused: float | None) -> str:
    """Strict gate: rank 1–3 options dearer than the whole budget keep the others out."""
    if unaffordable.height == 1:
        option, cost = _names(unaffordable)[0], unaffordable["cost"][0]
        text = (
            f"{option} har {FIRST_LABEL} men kostar {format_kr(cost)}, mer än hela budgeten "
            f"({format_kr(budget)}), och kan aldrig finansieras. Med den strikta "
            "prioritetsordningen stänger den därför alla åtgärder med lägre rang eller utan rang"
        )
        them = "den"
    else:
        text = (
            f"{_listed(unaffordable)} har {FIRST_LABEL} men kostar var för sig mer än hela "
            f"budgeten ({format_kr(budget)}) och kan aldrig finansieras. Med den strikta "
            "prioritetsordningen stänger de därför alla åtgärder med lägre rang eller utan rang"
        )
        them = "de"
    if unused is not None and unused > 1e-9 * max(budget, 1.0):
        text += f": {format_kr(unused)} av budgeten används inte"
    return (
        f"{text}. Med regeln att först finansiera de åtgärder med {FIRST_LABEL} som ryms i "
        f"budgeten hindrar {them} inte de övriga."
    )


def _unaffordable_note(unaffordable: pl.DataFrame, budget: float) -> str:
    """Affordable gate: the rank 1–3 options dearer than the whole budget, which do not block."""
    if unaffordable.height == 1:
        option, cost = _names(unaffordable)[0], unaffordable["cost"][0]
        head = (
            f"{option} har {FIRST_LABEL} men kostar {format_kr(cost)}, mer än hela budgeten "
            f"({format_kr(budget)}), och kan inte finansieras"
        )
        them = "den"
    else:
        head = (
            f"{_listed(unaffordable)} har {FIRST_LABEL} men kostar var för sig mer än hela "
            f"budgeten ({format_kr(budget)}) och kan inte finansieras"
        )
        them = "de"
    return (
        f"{head}; med regeln att först finansiera de åtgärder med {FIRST_LABEL} som ryms i "
        f"budgeten hindrar {them} inte övriga åtgärder."
    )


def _notes(prepared: pl.DataFrame, priority_gate: str = "strict") -> list[str]:
    notes = []
    no_effect = _names(prepared.filter(pl.col("effect").is_null()))
    if no_effect:
        notes.append(
            f"{len(no_effect)} åtgärd(er) saknar effektskattning och är inte med: "
            f"{', '.join(no_effect[:10])}{' …' if len(no_effect) > 10 else ''}."
        )
    unranked = prepared.filter(pl.col("rank_text").is_null() & pl.col("eligible")).height
    if unranked:
        notes.append(
            f"{unranked} åtgärd(er) saknar rang och behandlas som rang 4–10 (finansieras först när "
            f"alla med {FIRST_LABEL}{' som ryms i budgeten' if priority_gate == 'affordable' else ''}"
            " är finansierade)."
        )
    return notes


def _by_perspective(
    out: pl.DataFrame, budget: float, min_share: Mapping[str, float], min_count: Mapping[str, int]
) -> pl.DataFrame:
    rows = []
    for code, name in PERSPECTIVES.items():
        part = out.filter(pl.col("perspective") == code)
        chosen = part.filter(pl.col("funded").fill_null(False))
        cost = float(chosen["cost"].sum())
        share = cost / budget if budget > 0 else None
        need_share, need_count = min_share.get(code), min_count.get(code)
        met = (need_share is None or (share is not None and share >= need_share - 1e-9)) and (
            need_count is None or chosen.height >= need_count
        )
        rows.append(
            (code, name, part.height, chosen.height, cost, share, need_share, need_count, met)
        )
    schema = {
        "perspective": pl.String,
        "perspective_sv": pl.String,
        "options": pl.Int64,
        "funded": pl.Int64,
        "cost": pl.Float64,
        "budget_share": pl.Float64,
        "min_share": pl.Float64,
        "min_count": pl.Int64,
        "minimum_met": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
