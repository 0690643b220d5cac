"""Marginal analysis and consequences of an allocation, in the words a politician reads.

PBMA's "marginal" question (what if the budget rose or fell?) is answered by solving the same
exact model again at budget ± ``step`` and diffing the funded sets: with whole measures the
answer is not "more of the same" — a larger budget may swap a cheap measure for a better,
dearer one — so both the options added and the options dropped are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from halsogap.numbers import format_kr, format_number
from halsogap.priorities._common import PrioritiesInputError
from halsogap.priorities.allocation import Allocation, allocate


@dataclass
class Change:
    """How the funded set changes from the base allocation to another budget."""

    budget: float
    allocation: Allocation
    added: pl.DataFrame
    dropped: pl.DataFrame
    gain_change: float | None
    value_change: float | None
    cost_change: float | None
    text: str


@dataclass
class Marginal:
    """Base allocation and the changes at budget + step (``more``) and budget − step (``less``)."""

    base: Allocation
    more: Change
    less: Change | None
    step: float


def _columns(frame: pl.DataFrame) -> pl.DataFrame:
    keep = [
        "option",
        "measure",
        "need_group",
        "perspective",
        "rank_text",
        "cost",
        "effect",
        "value",
    ]
    return frame.select([c for c in keep if c in frame.columns])


def _change(base: Allocation, other: Allocation, verb: str) -> Change:
    before = set(base.funded["option"].to_list())
    after = set(other.funded["option"].to_list())
    added = _columns(other.options.filter(pl.col("option").is_in(sorted(after - before))))
    dropped = _columns(base.options.filter(pl.col("option").is_in(sorted(before - after))))
    if other.status not in ("optimal", "time_limit") or base.health_gain is None:
        text = f"Med {format_kr(other.budget)}: {other.message}"
        return Change(other.budget, other, added, dropped, None, None, None, text)
    gain = other.health_gain - base.health_gain
    value = other.objective - base.objective
    cost = other.cost - base.cost
    parts = [f"{verb} ({format_kr(other.budget)}):"]
    if added.height:
        parts.append(f"tillkommer {', '.join(added['option'].to_list())};")
    if dropped.height:
        parts.append(f"faller bort {', '.join(dropped['option'].to_list())};")
    if not added.height and not dropped.height:
        parts.append("ingen förändring av vilka åtgärder som finansieras;")
    parts.append(f"hälsovinst {'+' if gain >= 0 else ''}{format_number(gain, 2)} QALY.")
    return Change(other.budget, other, added, dropped, gain, value, cost, " ".join(parts))


def marginal_analysis(
    options: pl.DataFrame, *, budget: float, step: float = 1_000_000.0, **constraints
) -> Marginal:
    """What the next ``step`` kronor buys and what a cut of ``step`` loses (exact re-solves).

    ``constraints`` are passed on to :func:`~halsogap.priorities.allocation.allocate` (the
    minimums, ``solidarity``, the gate rule ``priority_gate`` …), so all three solves use the same
    rules. When the budget is below ``step`` there is no cut to analyse (``less`` is ``None``).

    Hand check: A (rank 2, cost 1 mnkr, 3 QALY), B (rank 5, 1 mnkr, 2 QALY), C (rank 5, 2 mnkr,
    5 QALY); budget 2 mnkr funds A (rank 1–3 first) and B. One more million: A + C (8 QALY,
    3 mnkr), so C comes in and B goes out, +3 QALY. One million less: only A, −2 QALY.

    >>> opts = pl.DataFrame({"measure": ["A", "B", "C"], "need_group": ["g"] * 3,
    ...     "rank": [2, 5, 5], "perspective": ["individual"] * 3,
    ...     "cost": [1e6, 1e6, 2e6], "qaly": [3.0, 2.0, 5.0]})
    >>> m = marginal_analysis(opts, budget=2e6)
    >>> m.more.added["measure"].to_list(), m.more.dropped["measure"].to_list(), m.more.gain_change
    (['C'], ['B'], 3.0)
    >>> m.less.dropped["measure"].to_list(), m.less.gain_change
    (['B'], -2.0)
    """
    if step <= 0:
        raise PrioritiesInputError("marginal_analysis: step ska vara större än 0")
    base = allocate(options, budget=budget, **constraints)
    more = allocate(options, budget=budget + step, **constraints)
    more_change = _change(base, more, f"Med {format_kr(step)} till")
    less_change = None
    if budget >= step:
        less = allocate(options, budget=budget - step, **constraints)
        less_change = _change(base, less, f"Med {format_kr(step)} mindre")
    return Marginal(base, more_change, less_change, step)


def consequences(allocation: Allocation, *, needs: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per need group: what is funded, what is not, and whether the need is left unmet.

    ``needs`` (optional) has ``need_group`` and any of ``gap_persons``/``title``; groups in it
    without options are listed too ("ingen åtgärd föreslagen"). ``status`` is one of
    "åtgärd finansierad", "ej tillgodosett" (eligible options, none funded), "ingen finansierbar
    åtgärd" (only excluded options) and "ingen åtgärd föreslagen". ``unfunded_first_rank``
    counts rank 1–3 options left out; ``text`` says it in Swedish.

    >>> opts = pl.DataFrame({"measure": ["A", "B"], "need_group": ["g1", "g2"], "rank": [2, 5],
    ...     "perspective": ["individual"] * 2, "cost": [60.0, 50.0], "qaly": [5.0, 4.0]})
    >>> consequences(allocate(opts, budget=100)).select("need_group", "status").rows()
    [('g1', 'åtgärd finansierad'), ('g2', 'ej tillgodosett')]
    """
    frame = allocation.options.with_columns(pl.col("funded").fill_null(False))
    per_group = frame.group_by("need_group", maintain_order=True).agg(
        pl.len().alias("options"),
        pl.col("eligible").sum().alias("eligible"),
        pl.col("funded").sum().alias("funded"),
        pl.col("cost").filter(pl.col("funded")).sum().alias("funded_cost"),
        pl.col("effect").filter(pl.col("funded")).sum().alias("health_gain"),
        (pl.col("eligible") & ~pl.col("funded") & pl.col("first_rank"))
        .sum()
        .alias("unfunded_first_rank"),
        pl.col("option").filter(pl.col("eligible") & ~pl.col("funded")).alias("unfunded_options"),
        pl.col("option").filter(~pl.col("eligible")).alias("excluded_options"),
    )
    if needs is not None:
        if "need_group" not in needs.columns:
            raise PrioritiesInputError("consequences: needs saknar kolumnen 'need_group'")
        extra = needs.with_columns(pl.col("need_group").cast(pl.String))
        per_group = extra.join(per_group, on="need_group", how="full", coalesce=True)
        per_group = per_group.with_columns(
            pl.col("options", "eligible", "funded", "unfunded_first_rank").fill_null(0),
            pl.col("funded_cost", "health_gain").fill_null(0.0),
        )
    solved = allocation.status in ("optimal", "time_limit")
    status = (
        pl.when(pl.col("options") == 0)
        .then(pl.lit("ingen åtgärd föreslagen"))
        .when(pl.col("eligible") == 0)
        .then(pl.lit("ingen finansierbar åtgärd"))
        .when(pl.col("funded") > 0)
        .then(pl.lit("åtgärd finansierad"))
        .otherwise(pl.lit("ej tillgodosett" if solved else "ej löst"))
    )
    out = per_group.with_columns(status.alias("status"))
    texts = []
    for row in out.iter_rows(named=True):
        text = f"{row['need_group']}: {row['status']}"
        if row["funded"]:
            text += f" ({row['funded']} åtgärd(er), {format_kr(row['funded_cost'])})"
        if row["unfunded_first_rank"]:
            text += f"; {row['unfunded_first_rank']} åtgärd(er) med rang 1–3 ryms inte"
        if row.get("gap_persons") is not None and row["status"] != "åtgärd finansierad":
            text += f"; gap {format_number(row['gap_persons'], 0)} personer kvarstår"
        texts.append(text + ".")
    return out.with_columns(pl.Series("text", texts, dtype=pl.String)).sort("need_group")


def unmet_needs(allocation: Allocation, *, needs: pl.DataFrame | None = None) -> list[str]:
    """Need groups with no funded option, for the "behov som lämnas ofillda" list.

    >>> opts = pl.DataFrame({"measure": ["A"], "need_group": ["g1"], "rank": [2],
    ...     "perspective": ["individual"], "cost": [60.0], "qaly": [None]})
    >>> unmet_needs(allocate(opts, budget=100))
    ['g1']
    """
    table = consequences(allocation, needs=needs)
    return sorted(table.filter(pl.col("status") != "åtgärd finansierad")["need_group"].to_list())
