"""Benchmark: 10 million person rows to a directly standardised rate per DeSO.

Run with ``.venv/bin/python bench/microdata_bench.py [--rows N]``. It writes a synthetic
person-level Parquet extract (about 6 000 DeSO, sex, age 0–99, one year, a 0/1 condition)
into a temporary folder, then aggregates it with :func:`halsogap.microdata.aggregate_microdata`
and standardises with :func:`halsogap.microdata.microdata_dsr` in a child process, so that the
peak memory printed is the aggregation's own, not the generator's. Targets: under 10 s and
under 2 GiB on this 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_extract(path: Path, rows: int) -> None:
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(2026)
    desos = np.array([f"{k:04d}C{d:04d}" for k in range(100, 400) for d in range(20)])
    chunk = 2_000_000
    parts = []
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        age = rng.integers(0, 100, n)
        parts.append(
            pl.DataFrame(
                {
                    "deso": desos[rng.integers(0, len(desos), n)],
                    "kon": rng.choice(np.array(["1", "2"]), n),
                    "alder": age,
                    "ar": np.full(n, 2024, dtype=np.int32),
                    "diabetes": (rng.random(n) < 0.02 + age / 2000).astype(np.int8),
                }
            )
        )
    pl.concat(parts).write_parquet(path, row_group_size=500_000)


CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from halsogap.microdata import MicrodataSpec, aggregate_microdata, microdata_dsr
started = time.perf_counter()
agg = aggregate_microdata({path!r}, MicrodataSpec("deso", "alder", "ar", ["diabetes"], sex="kon"))
middle = time.perf_counter()
rates = microdata_dsr(agg, "diabetes", by=["area"])
done = time.perf_counter()
aggregate_microdata({path!r}, MicrodataSpec("deso", "alder", "ar", ["diabetes"], sex="kon"))
again = time.perf_counter() - done
print(agg.height, rates.height, rates["value"].is_not_null().sum(), middle - started, done - started, again)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "personer.parquet"
        t = time.perf_counter()
        write_extract(path, rows)
        print(
            f"synthetic extract: {rows:,} person rows, {path.stat().st_size / 1e6:.0f} MB "
            f"({time.perf_counter() - t:.1f} s to write, not measured)"
        )
        out = subprocess.run(
            [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
            capture_output=True,
            text=True,
            check=True,
        )
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB → GiB
    # The last line is the child's figures; an engine may print progress above it.
    last = out.stdout.strip().splitlines()[-1].split()
    cells, areas, rated, aggregate_s, total_s, again_s = last
    total = float(total_s)
    print(
        f"aggregated to {int(cells):,} cells in {float(aggregate_s):.2f} s; "
        f"DSR for {int(rated):,} of {int(areas):,} DeSO"
    )
    print(
        f"total {total:.2f} s, {rows / total / 1e6:.2f} million rows/s, peak memory {peak:.2f} GiB"
    )
    print(f"a second aggregation in the same process (engine loaded): {float(again_s):.2f} s")
    ok = total < 10 and peak < 2
    print(f"target: under 10 s and 2 GiB: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
