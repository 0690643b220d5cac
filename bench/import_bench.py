"""Time halsogap.imports on a synthetic 500 000-row file.

Run: ``.venv/bin/python bench/import_bench.py [--rows N]``. Prints rows, seconds and peak
traced memory for a tidy CSV (';' and decimal comma, Windows-1252), a Kolada-style CSV
(',' and decimal point, UTF-8) and the same tidy file with one bad row, which must still be
found. No database is involved: this measures reading and validation only.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from halsogap.imports import parse_observations  # noqa: E402 - after the path fix above


def synthetic(rows: int) -> tuple[pl.DataFrame, set[str], set[str]]:
    """A frame with unique keys: indicators × areas × years × sexes, cut to ``rows``."""
    areas = ["00"] + [f"{i:02d}" for i in range(1, 26)] + [f"{i:04d}" for i in range(114, 2600)]
    indicators = [f"N{i:05d}" for i in range(60)]
    years = [str(y) for y in range(1990, 2023)]
    per_indicator = len(areas) * len(years) * 3
    needed = -(-rows // per_indicator)
    frame = (
        pl.DataFrame({"indicator": indicators[:needed]})
        .join(pl.DataFrame({"area": areas}), how="cross")
        .join(pl.DataFrame({"period": years}), how="cross")
        .join(pl.DataFrame({"sex": ["T", "K", "M"]}), how="cross")
        .head(rows)
        .with_columns(
            (pl.int_range(pl.len()) % 1000 / 10).alias("value"),
            (pl.int_range(pl.len()) % 50).alias("numerator"),
            pl.lit(100).alias("denominator"),
        )
    )
    return frame, set(areas), set(indicators)


def run(label: str, data: bytes, name: str, areas: set[str], indicators: set[str]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    result = parse_observations(data, name, known_areas=areas, known_indicators=indicators)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<34} rows={result.row_count:>8,}  seconds={seconds:6.2f}  "
        f"errors={result.error_count}  bytes={len(data):>11,}  peak_py_mib={peak / 2**20:6.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=500_000)
    rows = parser.parse_args().rows
    frame, areas, indicators = synthetic(rows)

    tidy = frame.with_columns(pl.col("value").cast(pl.String).str.replace(".", ",", literal=True))
    tidy_bytes = tidy.write_csv(separator=";").encode("utf-8").decode("utf-8").encode("cp1252")
    run("tidy ; decimal comma cp1252", tidy_bytes, "bench.csv", areas, indicators)

    kolada = frame.select(
        pl.col("indicator").alias("kpi"),
        pl.col("area").str.zfill(4).alias("kolada_id"),
        pl.col("period").alias("year"),
        "sex",
        "value",
    )
    run(
        "kolada , decimal point utf-8", kolada.write_csv().encode(), "kolada.csv", areas, indicators
    )

    lines = tidy_bytes.split(b"\n")
    middle = lines[len(lines) // 2].split(b";")
    middle[4] = b"abc"  # the value column
    lines[len(lines) // 2] = b";".join(middle)
    run("tidy with one bad row", b"\n".join(lines), "bad.csv", areas, indicators)
    # tracemalloc misses Polars' Rust allocations; the process peak RSS covers them.
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"process peak RSS (all runs, incl. synthesis): {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
