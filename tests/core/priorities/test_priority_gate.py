"""The priority gate: strict (every rank 1–3 slot first) or affordable (those that fit first).

The hand-worked example (also in ``allocate``'s docstring): budget 100 kr.

    A  rank 2  150 kr  8 QALY   dearer than the whole budget: can never be funded
    B  rank 1   40 kr  3 QALY
    C  rank 5   50 kr  6 QALY
    D  rank 7   30 kr  2 QALY

Strict: A's slot can never be funded, so the gate stays shut and only rank 1–3 options may be
funded: B alone, 3 QALY for 40 kr, 60 kr unused. Affordable: B (the affordable rank 1–3) first,
then 60 kr remain: C (6 QALY, 50 kr) beats D (2 QALY, 30 kr) and both do not fit (80 kr):
B + C = 9 QALY for 90 kr.
"""

from __future__ import annotations

import numpy as np
import pytest
from priorities_support import brute_force, options

from halsogap.priorities import PrioritiesInputError, allocate, marginal_analysis
from halsogap.priorities.allocation import PRIORITY_GATES


def funded(result) -> list[str]:
    return sorted(result.funded["measure"].to_list())


EXAMPLE = [
    ("A", "g1", 2, "individual", 150, 8),
    ("B", "g2", 1, "individual", 40, 3),
    ("C", "g1", 5, "population", 50, 6),
    ("D", "g3", 7, "population", 30, 2),
]


def test_strict_gate_is_the_default_and_names_the_blocking_option():
    result = allocate(options(EXAMPLE), budget=100)
    assert result.params["priority_gate"] == "strict"
    assert funded(result) == ["B"] and result.health_gain == 3.0 and result.cost == 40.0
    assert result.priority_gate_open is False
    (note,) = [n for n in result.notes if "A|g1|" in n]
    assert "150 kr" in note and "100 kr" in note and "hela budgeten" in note
    assert "60 kr av budgeten används inte" in note
    assert "som ryms" in note  # points to the other rule


def test_affordable_gate_lets_the_rest_be_funded():
    result = allocate(options(EXAMPLE), budget=100, priority_gate="affordable")
    assert result.status == "optimal" and result.params["priority_gate"] == "affordable"
    assert funded(result) == ["B", "C"] and result.health_gain == 9.0 and result.cost == 90.0
    assert result.priority_gate_open is True
    (note,) = [n for n in result.notes if "A|g1|" in n]
    assert "150 kr" in note and "100 kr" in note and "hindrar den inte" in note


def test_affordable_gate_still_funds_the_affordable_rank_1_to_3_first():
    """Budget 100. X (rank 2, 200 kr) cannot be funded. A1 (rank 1, 60 kr, 5 QALY) can, so it
    comes first (the gate is open once it is funded); L (rank 5, 50 kr, 10 QALY) no longer fits
    beside it: A1 alone, 5 QALY."""
    opts = options(
        [
            ("X", "g", 2, "individual", 200, 9),
            ("A1", "h", 1, "individual", 60, 5),
            ("L", "g", 5, "individual", 50, 10),
        ]
    )
    result = allocate(opts, budget=100, priority_gate="affordable")
    assert funded(result) == ["A1"] and result.priority_gate_open is True
    assert funded(allocate(opts, budget=100, first_ranks=0)) == ["L"]


def test_rank_1_to_3_options_that_fit_alone_but_not_together_block_under_both_rules():
    """A1 and A2 (rank 1–2, 60 kr each) each fit in 100 kr but not together: both rules keep L
    (rank 5) out, as before; no option is dearer than the budget, so no such note."""
    opts = options(
        [
            ("A1", "g", 1, "individual", 60, 5),
            ("A2", "g", 2, "individual", 60, 5),
            ("L", "g", 5, "individual", 30, 10),
        ]
    )
    for gate in PRIORITY_GATES:
        result = allocate(opts, budget=100, priority_gate=gate)
        assert result.health_gain == 5.0 and result.priority_gate_open is False
        assert not any("hela budgeten" in note for note in result.notes)


def test_a_slot_with_an_affordable_rank_1_to_3_variant_is_not_unaffordable():
    """Slot M|g has a rank 2 variant at 150 kr and one at 40 kr: the slot can be funded, so it
    gates under both rules (and L waits for it). Slot N|g's only rank 1–3 variant costs 150 kr;
    its rank 6 variant (30 kr) is a lower-ranked option like any other."""
    opts = options(
        [
            ("M", "g", 2, "individual", 150, 9, "dear"),
            ("M", "g", 2, "individual", 40, 3, "cheap"),
            ("N", "g", 2, "individual", 150, 9, "dear"),
            ("N", "g", 6, "individual", 30, 4, "cheap"),
            ("L", "h", 5, "individual", 50, 5),
        ]
    )
    strict = allocate(opts, budget=100)
    assert strict.funded["option"].to_list() == ["M|g|cheap"]
    assert any("N|g|dear" in note for note in strict.notes)
    assert not any("M|g|dear" in note for note in strict.notes)
    affordable = allocate(opts, budget=100, priority_gate="affordable")
    assert sorted(affordable.funded["option"].to_list()) == ["L|h|", "M|g|cheap"]
    assert affordable.health_gain == 8.0


def test_an_unaffordable_rank_1_to_3_option_behind_an_infeasible_minimum_is_named():
    """Staff's only option S is rank 5: under the strict rule it needs A (rank 2, 150 kr) first,
    which exceeds the budget, so the staff minimum cannot be met; the message names A and its
    cost. Under the affordable rule S is funded."""
    opts = options([("A", "g", 2, "individual", 150, 8), ("S", "g", 5, "staff", 10, 1)])
    strict = allocate(opts, budget=100, min_count={"staff": 1})
    assert strict.status == "infeasible"
    assert ("priority",) in [c.families for c in strict.conflicts]
    assert "A|g|" in strict.message and "150 kr" in strict.message
    affordable = allocate(opts, budget=100, min_count={"staff": 1}, priority_gate="affordable")
    assert affordable.status == "optimal" and funded(affordable) == ["S"]


def test_marginal_analysis_passes_the_rule_on():
    m = marginal_analysis(options(EXAMPLE), budget=100, step=30, priority_gate="affordable")
    assert m.base.health_gain == 9.0 and m.base.params["priority_gate"] == "affordable"
    assert m.more.allocation.params["priority_gate"] == "affordable"


def test_an_unknown_rule_is_refused():
    with pytest.raises(PrioritiesInputError, match="priority_gate"):
        allocate(options(EXAMPLE), budget=100, priority_gate="lenient")


def test_the_rules_have_swedish_labels():
    assert set(PRIORITY_GATES) == {"strict", "affordable"}
    assert all(isinstance(label, str) and label for label in PRIORITY_GATES.values())


@pytest.mark.parametrize("seed", range(16))
@pytest.mark.parametrize("gate", ["strict", "affordable"])
def test_both_rules_agree_with_brute_force_with_dear_rank_1_to_3_options(seed, gate):
    rng = np.random.default_rng(100 + seed)
    budget = float(rng.integers(30, 90))
    rows = []
    for i in range(9):
        rank = int(rng.integers(1, 9))
        dear = rank <= 3 and rng.random() < 0.4
        rows.append(
            (
                f"M{rng.integers(4)}",
                f"g{rng.integers(2)}",
                rank,
                str(rng.choice(["individual", "population", "staff"])),
                float(budget + rng.integers(1, 50)) if dear else float(rng.integers(1, 40)),
                float(rng.integers(0, 20)),
                f"v{i}",
            )
        )
    opts = options(rows)
    kwargs = {}
    if seed % 3 == 1:
        kwargs["min_share"] = {"population": 0.1}
    if seed % 3 == 2:
        kwargs["min_count"] = {"staff": 1}
    expected, _ = brute_force(opts, budget=budget, priority_gate=gate, **kwargs)
    result = allocate(opts, budget=budget, priority_gate=gate, **kwargs)
    if expected is None:
        assert result.status == "infeasible" and result.conflicts
    else:
        assert result.status == "optimal"
        assert result.health_gain == pytest.approx(expected)


def test_the_gate_is_reported_open_when_every_rank_1_to_3_slot_is_funded():
    """Budget 100. A (rank 3, 47 kr, 17 QALY) and B (rank 2, 38 kr, 5 QALY) are both funded;
    L (rank 5, 10 kr, 0 QALY) adds nothing, so funding it or not ties. The gate is open (every
    rank 1–3 slot is funded) and no note claims that the rank 1–3 options do not fit."""
    opts = options(
        [
            ("A", "g", 3, "individual", 47, 17),
            ("B", "h", 2, "individual", 38, 5),
            ("L", "g", 5, "individual", 10, 0),
        ]
    )
    for gate in PRIORITY_GATES:
        result = allocate(opts, budget=100, priority_gate=gate)
        assert result.health_gain == 22.0 and {"A", "B"} <= set(funded(result))
        assert result.priority_gate_open is True
        assert not any("ryms inte samtidigt" in note for note in result.notes)
