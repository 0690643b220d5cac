"""Benchmark of the projection before a decision (issue 15): 100 needs × 50 funded measures ×
10 000 draws × 10 years, each measure with ranges for reach, uptake, effect and QALYs per
person, a start year, ramp-up and fading. Target under 2 s.

Run: .venv/bin/python bench/projection_bench.py [--repeats 3] [--needs 100] [--measures 50]

The figure is the best of ``--repeats`` runs after one warm-up.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from halsogap.projection import MeasureEffect, NeedBaseline, Range, project_needs  # noqa: E402

LIMIT = 2.0


def problem(needs: int, measures: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    work = []
    for n in range(needs):
        baseline = NeedBaseline(
            key=f"behov-{n}",
            name=f"Behov {n}",
            latest_year=2025,
            latest_value=float(rng.uniform(5, 30)),
            slope=float(rng.normal(-0.2, 0.2)),
            slope_se=float(rng.uniform(0.05, 0.3)),
            population=float(rng.integers(5_000, 200_000)),
            series_years=int(rng.integers(5, 15)),
            target=float(rng.uniform(3, 20)),
        )
        funded = []
        for m in range(measures):
            reach = float(rng.integers(50, 2_000))
            funded.append(
                MeasureEffect(
                    key=f"atgard-{m}",
                    name=f"Åtgärd {m}",
                    reach=Range(reach * 0.7, reach, reach * 1.2, source="bench"),
                    uptake=Range(0.2, 0.4, 0.6, source="bench"),
                    effect=Range(0.02, 0.05, 0.1),
                    kind="relative" if m % 5 == 0 else "absolute",
                    start_year=2026 + m % 3,
                    ramp_years=1 + m % 3,
                    fade_per_year=0.1 * (m % 4),
                    cost_per_year=float(rng.integers(100_000, 2_000_000)),
                    qaly_per_person=Range(0.05, 0.1, 0.3, source="bench"),
                )
            )
        work.append((baseline, funded))
    return work


def run(work, draws: int) -> list:
    return project_needs(work, horizon=10, draws=draws, seed=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--needs", type=int, default=100)
    parser.add_argument("--measures", type=int, default=50)
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    work = problem(args.needs, args.measures)
    run(work[:2], args.draws)  # Warm-up.
    best = float("inf")
    for _ in range(args.repeats):
        started = time.perf_counter()
        results = run(work, args.draws)
        best = min(best, time.perf_counter() - started)
    cells = args.needs * args.measures * args.draws * 10
    reached = sum(r.likely_target_year is not None for r in results)
    print(
        f"Prognos: {args.needs} behov × {args.measures} åtgärder × {args.draws} dragningar × "
        f"10 år: {best:.2f} s (mål < {LIMIT:.0f} s), {cells / best / 1e6:.0f} miljoner "
        f"åtgärdsår per sekund; målet troligen nått för {reached} behov."
    )
    return 0 if best < LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
