"""Marginal analysis (re-solve at budget ± step and diff) and consequences per need group."""

from __future__ import annotations

import polars as pl
from priorities_support import options

from halsogap.priorities import allocate, consequences, marginal_analysis, unmet_needs


def test_next_million_and_a_cut_by_hand():
    """A (rank 2) 1 mnkr 3 QALY; B (rank 5) 1 mnkr 2 QALY; C (rank 5) 2 mnkr 5 QALY; budget 2 mnkr.
    Base: A first, then B (C does not fit) = 5 QALY. +1 mnkr: A + C = 8 QALY (C in, B out, +3).
    −1 mnkr: A alone = 3 QALY (B out, −2)."""
    opts = options(
        [
            ("A", "g", 2, "individual", 1e6, 3),
            ("B", "g", 5, "individual", 1e6, 2),
            ("C", "h", 5, "population", 2e6, 5),
        ]
    )
    result = marginal_analysis(opts, budget=2e6)
    assert result.base.health_gain == 5.0
    assert result.more.added["measure"].to_list() == ["C"] and result.more.dropped[
        "measure"
    ].to_list() == ["B"]
    assert result.more.gain_change == 3.0 and result.more.cost_change == 1e6
    assert result.less.dropped["measure"].to_list() == ["B"] and result.less.gain_change == -2.0
    assert result.more.text.startswith(
        "Med 1 mnkr till (3 mnkr): tillkommer C|h|; faller bort B|g|;"
    )
    assert (
        result.less.text == "Med 1 mnkr mindre (1 mnkr): faller bort B|g|; hälsovinst −2,00 QALY."
    )


def test_no_cut_below_zero_and_constraints_pass_through():
    opts = options([("A", "g", 2, "individual", 1e6, 3), ("P", "g", 2, "population", 1e6, 1)])
    result = marginal_analysis(opts, budget=5e5, min_count={"population": 0})
    assert result.less is None and result.more.added["measure"].to_list() == ["A"]


def test_consequences_list_unmet_needs_and_groups_without_options():
    """Budget 100: A (g1, rank 2, 60 kr) funded; B (g2, rank 2, 50 kr) does not fit; g3 has only an
    option without effect; g4 is in the needs list without any option."""
    opts = options(
        [
            ("A", "g1", 2, "individual", 60, 5),
            ("B", "g2", 2, "individual", 50, 4),
            ("C", "g3", 2, "individual", 10, None),
        ]
    )
    needs = pl.DataFrame(
        {"need_group": ["g1", "g2", "g3", "g4"], "gap_persons": [100, 200, 300, 400]}
    )
    result = allocate(opts, budget=100)
    table = consequences(result, needs=needs)
    status = dict(table.select("need_group", "status").iter_rows())
    assert status == {
        "g1": "åtgärd finansierad",
        "g2": "ej tillgodosett",
        "g3": "ingen finansierbar åtgärd",
        "g4": "ingen åtgärd föreslagen",
    }
    g2 = table.filter(pl.col("need_group") == "g2").row(0, named=True)
    assert g2["unfunded_first_rank"] == 1 and g2["unfunded_options"] == ["B|g2|"]
    assert "1 åtgärd(er) med rang 1–3 ryms inte" in g2["text"] and "200 personer" in g2["text"]
    assert unmet_needs(result, needs=needs) == ["g2", "g3", "g4"]
