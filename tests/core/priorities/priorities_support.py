"""Helpers for the priority-setting tests: small option tables and a brute-force allocator.

A plain module rather than conftest.py so that its name cannot clash with other conftests.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import polars as pl


def options(rows: list[tuple], **extra: list) -> pl.DataFrame:
    """Options from (measure, need_group, rank, perspective, cost, qaly[, variant]) tuples."""
    columns = ["measure", "need_group", "rank", "perspective", "cost", "qaly", "variant"]
    padded = [tuple(r) + (None,) * (len(columns) - len(r)) for r in rows]
    data = {c: [r[i] for r in padded] for i, c in enumerate(columns)}
    data["rank"] = [None if r is None else str(r) for r in data["rank"]]
    data["cost"] = [None if c is None else float(c) for c in data["cost"]]
    data["qaly"] = [None if q is None else float(q) for q in data["qaly"]]
    data["variant"] = [v or "" for v in data["variant"]]
    return pl.DataFrame(
        {**data, **extra}, schema_overrides={"qaly": pl.Float64, "cost": pl.Float64}
    )


def brute_force(
    frame: pl.DataFrame,
    *,
    budget: float,
    first_ranks: int = 3,
    min_share: Mapping[str, float] | None = None,
    min_count: Mapping[str, int] | None = None,
    priority_gate: str = "strict",
) -> tuple[float | None, set[str]]:
    """Best total QALY and the funded option ids by trying every subset (small problems only).

    ``priority_gate="affordable"``: rank 1–3 options dearer than the whole budget do not hold
    back the others (every *affordable* rank 1–3 slot must be funded first)."""
    rows = frame.with_columns(
        pl.concat_str(["measure", "need_group", "variant"], separator="|").alias("option")
    ).to_dicts()
    best: tuple[float | None, set[str]] = (None, set())
    for size in range(len(rows) + 1):
        for subset in itertools.combinations(rows, size):
            if sum(r["cost"] for r in subset) > budget + 1e-9:
                continue
            slots = [(r["measure"], r["need_group"]) for r in subset]
            if len(slots) != len(set(slots)):
                continue
            first_slots = {
                (r["measure"], r["need_group"])
                for r in rows
                if r["rank"] is not None
                and int(r["rank"]) <= first_ranks
                and (priority_gate == "strict" or r["cost"] <= budget)
            }
            funded_first = {
                (r["measure"], r["need_group"])
                for r in subset
                if r["rank"] is not None and int(r["rank"]) <= first_ranks
            }
            has_low = any(r["rank"] is None or int(r["rank"]) > first_ranks for r in subset)
            if has_low and funded_first != first_slots:
                continue
            ok = all(
                sum(r["cost"] for r in subset if r["perspective"] == p) >= s * budget - 1e-9
                for p, s in (min_share or {}).items()
            ) and all(
                sum(1 for r in subset if r["perspective"] == p) >= n
                for p, n in (min_count or {}).items()
            )
            if not ok:
                continue
            gain = sum(r["qaly"] for r in subset)
            if best[0] is None or gain > best[0] + 1e-9:
                best = (gain, {r["option"] for r in subset})
    return best
