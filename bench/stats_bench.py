"""Benchmark of halsogap.stats at national scale (issue 3).

Run: .venv/bin/python bench/stats_bench.py [--large]

Builds the DSR input the issue describes — 6 000 areas × 2 sexes × 19 age bands × 5 indicators
(1.14 million rows, 60 000 groups) with string keys, as an analyst has it — and times
``dsr`` with 95 % and 99.8 % Dobson limits. ``--large`` adds the 50-indicator case (11.4 million
rows). Peak memory is the process's peak resident set size (includes building the input).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from halsogap import stats  # noqa: E402


def build_dsr_input(areas: int, indicators: int, seed: int = 1) -> pl.DataFrame:
    """A synthetic DSR input with string keys and plausible counts and populations."""
    rng = np.random.default_rng(seed)
    bands = stats.load_standard("esp2013")["age_band"].to_list()
    n_bands = len(bands)
    groups = areas * 2 * indicators
    rows = groups * n_bands
    area_codes = np.array([f"A{i:05d}" for i in range(areas)])
    indicator_codes = np.array([f"IND{i:02d}" for i in range(indicators)])
    group = np.repeat(np.arange(groups), n_bands)
    population = rng.integers(50, 2_000, size=rows)
    count = rng.binomial(population, 0.01)
    return pl.DataFrame(
        {
            "indicator": indicator_codes[group // (areas * 2)],
            "area": area_codes[(group // 2) % areas],
            "sex": np.where(group % 2 == 0, "K", "M"),
            "age_band": np.tile(np.array(bands), groups),
            "count": count,
            "population": population,
        }
    )


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_dsr(frame: pl.DataFrame, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = stats.dsr(frame, ["indicator", "area", "sex"], confidence=(0.95, 0.998))
        best = min(best, time.perf_counter() - start)
    assert out.height == frame.height // 19
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also run 11.4 million rows")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cases = [("dsr 5 indicators", 5)] + ([("dsr 50 indicators", 50)] if args.large else [])
    print(f"{'case':<20} {'rows':>12} {'groups':>8} {'seconds':>9} {'rows/s':>14} {'peak MiB':>9}")
    for name, indicators in cases:
        frame = build_dsr_input(6_000, indicators)
        seconds = time_dsr(frame, args.repeats if indicators <= 5 else 2)
        print(
            f"{name:<20} {frame.height:>12,} {frame.height // 19:>8,} {seconds:>9.3f} "
            f"{frame.height / seconds:>14,.0f} {peak_mib():>9.0f}"
        )
        del frame


if __name__ == "__main__":
    main()
