"""Benchmark of the needs engine on the Kolada demo data (issue 4).

Run: .venv/bin/python bench/needs_bench.py [--region 13] [--repeats 5]

Times :func:`halsogap.needs.pipeline.needs_analysis` — gaps to "as good as the best region",
persons, trend, inequity across kommuner and the weighted ranking — for every indicator with a
polarity: once for one region and its kommuner (target under 200 ms) and once nationally, all
21 regions and 290 kommuner (target under 2 s). Reading the Parquet files is timed apart, since
the web app keeps them loaded. Each figure is the best of ``--repeats`` runs after one warm-up;
peak memory is the process's peak resident set size.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from halsogap.needs.data import load_data  # noqa: E402
from halsogap.needs.pipeline import needs_analysis  # noqa: E402

LIMITS = {"region": 0.200, "national": 2.0}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(repeats: int, function):
    function()  # warm-up: imports, Polars thread pool, the population cache
    best, result = float("inf"), None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="13")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = load_data()
    load_seconds = time.perf_counter() - started
    print(f"load demo files: {data.values.height} values in {load_seconds:.3f} s")

    failed = False
    for name, regions in (("region", [args.region]), ("national", None)):
        seconds, (ranking, kommun_gaps) = best_of(
            args.repeats, lambda regions=regions: needs_analysis(data, regions=regions)
        )
        ok = seconds < LIMITS[name]
        failed |= not ok
        label = f"region {args.region}" if name == "region" else "national (21 regions)"
        print(
            f"{label}: {ranking.height} ranked needs, {kommun_gaps.height} kommun gap rows, "
            f"{seconds * 1000:.1f} ms (limit {LIMITS[name] * 1000:.0f} ms) "
            f"{'OK' if ok else 'TOO SLOW'}"
        )
    print(f"peak memory: {peak_mib():.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
