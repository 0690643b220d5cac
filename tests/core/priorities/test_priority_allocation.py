"""The exact allocation against small problems solved by hand (and by brute force)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from priorities_support import brute_force, options

from halsogap.priorities import PrioritiesInputError, allocate


def funded(result) -> list[str]:
    return sorted(result.funded["measure"].to_list())


def test_plain_knapsack():
    """Budget 10. A: 6 kr, 7 QALY; B: 5 kr, 5 QALY; C: 5 kr, 4 QALY (all rank 2).
    A + B = 11 kr is over budget; A alone 7; B + C = 10 kr for 9 QALY — the best."""
    opts = options(
        [
            ("A", "g", 2, "individual", 6, 7),
            ("B", "g", 2, "individual", 5, 5),
            ("C", "g", 2, "individual", 5, 4),
        ]
    )
    result = allocate(opts, budget=10)
    assert result.status == "optimal" and funded(result) == ["B", "C"]
    assert result.health_gain == 9.0 and result.cost == 10.0


def test_ranks_1_to_3_are_funded_before_the_others():
    """Budget 100. A (rank 2) 60 kr 5 QALY; B (rank 5) 30 kr 4; C (rank 6) 40 kr 6.
    Without the rule B + C = 10 QALY for 70 kr wins; with it A must come first, leaving 40 kr:
    C (6) beats B (4). Result A + C = 11 QALY."""
    opts = options(
        [
            ("A", "g1", 2, "individual", 60, 5),
            ("B", "g1", 5, "population", 30, 4),
            ("C", "g2", 6, "population", 40, 6),
        ]
    )
    result = allocate(opts, budget=100)
    assert funded(result) == ["A", "C"] and result.priority_gate_open is True
    assert funded(allocate(opts, budget=70, first_ranks=0)) == ["B", "C"]


def test_when_ranks_1_to_3_do_not_all_fit_no_lower_rank_is_funded():
    """Budget 100. A1 (rank 1) 60 kr 5 QALY and A2 (rank 2) 60 kr 5 QALY cannot both be funded
    (120 kr), so L (rank 5, 30 kr, 10 QALY) may not be funded either: best is one of A1/A2,
    5 QALY. Dropping the rule (first_ranks=0): A1 + L = 15 QALY for 90 kr."""
    opts = options(
        [
            ("A1", "g", 1, "individual", 60, 5),
            ("A2", "g", 2, "individual", 60, 5),
            ("L", "g", 5, "individual", 30, 10),
        ]
    )
    result = allocate(opts, budget=100)
    assert result.health_gain == 5.0 and "L" not in funded(result)
    assert result.priority_gate_open is False
    assert any("prioritetsordningen" in note for note in result.notes)
    assert allocate(opts, budget=100, first_ranks=0).health_gain == 15.0


def test_at_most_one_variant_per_measure_and_need_group():
    """Budget 30. M in g as v1 (10 kr, 5 QALY) or v2 (20 kr, 8 QALY): both would give 13 QALY,
    but only one variant may be chosen, so v2 (8). M in another group h is a separate slot."""
    opts = options(
        [("M", "g", 2, "individual", 10, 5, "v1"), ("M", "g", 2, "individual", 20, 8, "v2")]
    )
    result = allocate(opts, budget=30)
    assert result.funded["option"].to_list() == ["M|g|v2"] and result.health_gain == 8.0
    two_groups = options(
        [("M", "g", 2, "individual", 10, 5, "v1"), ("M", "h", 2, "individual", 20, 8, "v2")]
    )
    assert allocate(two_groups, budget=30).health_gain == 13.0


def test_minimum_budget_share_per_perspective():
    """Budget 100, population must get ≥ 20 % = 20 kr. A (individual) 80 kr 10 QALY; P
    (population) 30 kr 2; Q (individual) 20 kr 4. Without the minimum A + Q = 14. With it P is
    needed (30 kr), leaving 70: A no longer fits, Q does: P + Q = 6 QALY."""
    opts = options(
        [
            ("A", "g", 2, "individual", 80, 10),
            ("P", "g", 2, "population", 30, 2),
            ("Q", "g", 2, "individual", 20, 4),
        ]
    )
    assert allocate(opts, budget=100).health_gain == 14.0
    result = allocate(opts, budget=100, min_share={"population": 0.2})
    assert funded(result) == ["P", "Q"] and result.health_gain == 6.0
    row = result.by_perspective.filter(pl.col("perspective") == "population").row(0, named=True)
    assert row["budget_share"] == pytest.approx(0.3) and row["minimum_met"]


def test_minimum_count_per_perspective():
    """Budget 50. A (individual) 50 kr 9 QALY; G (governance) 10 kr 1; H (individual) 40 kr 7.
    One governance measure required: G + H = 8 QALY (A + G = 60 kr is over budget)."""
    opts = options(
        [
            ("A", "g", 2, "individual", 50, 9),
            ("G", "g", 2, "governance", 10, 1),
            ("H", "g", 2, "individual", 40, 7),
        ]
    )
    assert funded(allocate(opts, budget=50)) == ["A"]
    assert funded(allocate(opts, budget=50, min_count={"governance": 1})) == ["G", "H"]


def test_need_solidarity_weight():
    """Budget 50, one of A (g1, need 0, 10 QALY) and B (g2, need 1, 6 QALY), 50 kr each.
    λ = 0: A (10 > 6). λ = 0.5: B is worth 6 × 1.5 = 9 < 10, still A. λ = 1: B is worth 12: B."""
    opts = options([("A", "g1", 2, "individual", 50, 10), ("B", "g2", 2, "individual", 50, 6)])
    scores = {"g1": 0.0, "g2": 1.0}
    assert funded(allocate(opts, budget=50, need_scores=scores, solidarity=0.0)) == ["A"]
    assert funded(allocate(opts, budget=50, need_scores=scores, solidarity=0.5)) == ["A"]
    result = allocate(opts, budget=50, need_scores=scores, solidarity=1.0)
    assert funded(result) == ["B"] and result.objective == 12.0 and result.health_gain == 6.0


def test_solidarity_needs_a_score_for_every_group():
    opts = options([("A", "g1", 2, "individual", 50, 10), ("B", "g2", 2, "individual", 50, 6)])
    with pytest.raises(PrioritiesInputError, match="g2"):
        allocate(opts, budget=50, need_scores={"g1": 0.5}, solidarity=1.0)


def test_a_measure_without_effect_is_flagged_and_excluded_never_zero():
    """A (rank 2) has no effect estimate: it is excluded with a reason and does not hold back
    L (rank 5), which is funded because every *eligible* rank 1–3 slot (none) is funded."""
    opts = options([("A", "g", 2, "individual", 10, None), ("L", "g", 5, "individual", 10, 3)])
    result = allocate(opts, budget=10)
    a = result.options.filter(pl.col("measure") == "A").row(0, named=True)
    assert a["eligible"] is False and a["funded"] is None and a["effect"] is None
    assert "Effektskattning saknas" in a["excluded_reason"]
    assert funded(result) == ["L"]
    assert any("saknar effektskattning" in note and "A|g|" in note for note in result.notes)


def test_icke_gora_fou_and_missing_cost_are_excluded_with_reasons():
    opts = options(
        [
            ("I", "g", "icke-göra", "individual", 1, 9),
            ("F", "g", "FoU", "individual", 1, 9),
            ("K", "g", 2, "individual", None, 9),
            ("OK", "g", 2, "individual", 1, 1),
        ]
    )
    result = allocate(opts, budget=10)
    reasons = dict(result.options.select("measure", "excluded_reason").iter_rows())
    assert reasons["I"].startswith("Icke-göra") and reasons["F"].startswith("FoU")
    assert reasons["K"].startswith("Kostnad saknas") and reasons["OK"] is None
    assert funded(result) == ["OK"]


def test_unranked_options_wait_behind_ranks_1_to_3():
    opts = options(
        [
            ("A", "g", 2, "individual", 60, 5),
            ("A2", "h", 3, "individual", 60, 5),
            ("U", "g", None, "individual", 10, 50),
        ]
    )
    result = allocate(opts, budget=100)
    assert "U" not in funded(result)
    assert any("saknar rang" in note for note in result.notes)


def test_cost_from_one_off_and_yearly_and_effect_from_reach():
    """Cost 100 + 50 × 2 years = 200; effect 1 000 persons × 0.01 QALY × uptake 0.5 = 5 QALY."""
    opts = pl.DataFrame(
        {
            "measure": ["A"],
            "need_group": ["g"],
            "rank": [2],
            "perspective": ["population"],
            "cost_one_off": [100.0],
            "cost_yearly": [50.0],
            "reach": [1000.0],
            "effect_per_person": [0.01],
            "uptake": [0.5],
        }
    )
    result = allocate(opts, budget=200, years=2)
    assert result.cost == 200.0 and result.health_gain == pytest.approx(5.0)
    assert allocate(opts, budget=199, years=2).funded.height == 0


def test_infeasible_minimum_names_the_family():
    """Population must get 50 % of 100 kr, but its only option costs 10: no budget fixes that;
    only dropping the population minimum does."""
    opts = options([("P", "g", 2, "population", 10, 1), ("A", "g", 2, "individual", 50, 5)])
    result = allocate(opts, budget=100, min_share={"population": 0.5})
    assert result.status == "infeasible" and result.objective is None
    assert [c.families for c in result.conflicts] == [("min_share:population",)]
    assert "minsta budgetandel för perspektivet befolkning" in result.message


def test_infeasible_budget_reports_the_shortfall():
    """Two individual measures required, 60 kr each, budget 100: dropping the budget or the
    count makes it solvable; the budget lacks 120 − 100 = 20 kr."""
    opts = options([("A", "g", 2, "individual", 60, 5), ("B", "h", 2, "individual", 60, 5)])
    result = allocate(opts, budget=100, min_count={"individual": 2})
    assert sorted(c.families for c in result.conflicts) == [("budget",), ("min_count:individual",)]
    assert result.budget_shortfall == pytest.approx(20.0)
    assert "Budgeten behöver öka med minst 20 kr" in result.message


def test_infeasible_priority_order_against_a_perspective_minimum():
    """Staff's only option S is rank 5, so funding it opens the gate, which requires both rank 1–3
    options (60 + 60 kr) within 100 kr: budget, priority order and the staff minimum conflict."""
    opts = options(
        [
            ("A", "g", 1, "individual", 60, 5),
            ("B", "h", 2, "individual", 60, 5),
            ("S", "g", 5, "staff", 10, 1),
        ]
    )
    result = allocate(opts, budget=100, min_count={"staff": 1})
    assert sorted(c.families for c in result.conflicts) == [
        ("budget",),
        ("min_count:staff",),
        ("priority",),
    ]
    assert "prioritetsordningen" in result.message


def test_two_families_must_be_relaxed_together():
    opts = options([("A", "g", 2, "individual", 10, 1)])
    result = allocate(opts, budget=100, min_count={"staff": 1, "governance": 1})
    assert [c.families for c in result.conflicts] == [("min_count:governance", "min_count:staff")]


@pytest.mark.parametrize(
    "bad",
    [
        {"budget": -1},
        {"budget": 10, "min_share": {"population": 1.5}},
        {"budget": 10, "min_count": {"patient": 1}},
        {"budget": 10, "solidarity": -1},
    ],
)
def test_bad_settings_are_refused(bad):
    opts = options([("A", "g", 2, "individual", 10, 1)])
    with pytest.raises(PrioritiesInputError):
        allocate(opts, **bad)


def test_bad_options_are_refused():
    with pytest.raises(PrioritiesInputError, match="dubbletter"):
        allocate(
            options([("A", "g", 2, "individual", 1, 1), ("A", "g", 2, "individual", 1, 1)]),
            budget=1,
        )
    with pytest.raises(PrioritiesInputError, match="negativa"):
        allocate(options([("A", "g", 2, "individual", -1, 1)]), budget=1)
    with pytest.raises(PrioritiesInputError, match="perspective"):
        allocate(options([("A", "g", 2, "patient", 1, 1)]), budget=1)
    with pytest.raises(PrioritiesInputError, match="rang"):
        allocate(options([("A", "g", 11, "individual", 1, 1)]), budget=1)


def test_nothing_eligible_is_an_empty_optimal_allocation():
    result = allocate(options([("A", "g", 2, "individual", 10, None)]), budget=10)
    assert result.status == "optimal" and result.funded.height == 0 and result.health_gain == 0.0


@pytest.mark.parametrize("seed", range(12))
def test_agrees_with_brute_force_on_random_small_problems(seed):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(9):
        measure = f"M{rng.integers(4)}"
        rows.append(
            (
                measure,
                f"g{rng.integers(2)}",
                int(rng.integers(1, 9)),
                str(rng.choice(["individual", "population", "staff"])),
                float(rng.integers(1, 40)),
                float(rng.integers(0, 20)),
                f"v{i}",
            )
        )
    opts = options(rows)
    budget = float(rng.integers(20, 100))
    kwargs = {}
    if seed % 3 == 1:
        kwargs["min_share"] = {"population": 0.1}
    if seed % 3 == 2:
        kwargs["min_count"] = {"staff": 1}
    expected, _ = brute_force(opts, budget=budget, **kwargs)
    result = allocate(opts, budget=budget, **kwargs)
    if expected is None:
        assert result.status == "infeasible" and result.conflicts
    else:
        assert result.status == "optimal"
        assert result.health_gain == pytest.approx(expected)


def test_notes_name_options_by_measure_title_and_need_group_not_by_id():
    opts = pl.DataFrame(
        {
            "option": ["2", "3", "4"],
            "measure": ["A", "B", "C"],
            "title": ["Rökavvänjning", "Fysisk aktivitet på recept", "Kostråd"],
            "need_group": ["Vuxna som röker", "Vuxna med fetma", "Vuxna med fetma"],
            "rank": [2, 3, 5],
            "perspective": ["individual"] * 3,
            "cost": [10.0, 500.0, 10.0],
            "qaly": [None, 2.0, 1.0],
        }
    )
    result = allocate(opts, budget=100)
    text = " ".join(result.notes)
    assert "saknar effektskattning och är inte med: Rökavvänjning för Vuxna som röker." in text
    assert "Fysisk aktivitet på recept för Vuxna med fetma har rang 1–3 men kostar" in text
    assert "2, 3" not in text and not any(n.startswith(("2 ", "3 ")) for n in result.notes)
