"""Benchmark of halsogap.stats at national scale (issue 3).

Run: .venv/bin/python bench/stats_bench.py [--large]

Demo cases (the issue's "compare, trend and inequality over all demo indicators × kommuner ×
years in under 1 s"): the real Kolada demo data, data/demo/kolada/values.parquet (825 245
values: 71 KPIs × riket, 21 regions and 290 kommuner × 1994–2022 × K/M/T). Kolada publishes no
limits or denominators, so for timing we derive them: the denominator is the area's population
for the year and sex (data/demo/kolada/population.parquet, T = K + M, years outside 2015–2022
take the nearest year), every value is read as a proportion — value/100 for per-cent KPIs,
value/(the KPI's largest value) for the others, so these limits are synthetic — and
``proportion`` gives Wilson 95 % and 99.8 % limits. Then

* ``compare``: every row against riket (area 00) of the same KPI, year and sex, CI overlap at
  95 % and 99.8 %, by the KPI's polarity from kpis.csv (one call per polarity); and, as a
  second case, the SPC method for proportions (needs only the denominator);
* ``trend``: the recent-trend marker (proportion kind) of every KPI × area × sex series;
* ``inequality``: all 17 WHO HEAT measures for a non-ordered dimension (the kommuner) per KPI ×
  year × sex, estimate = value, se = half-width of the 95 % interval / 1.96, population = the
  denominator, with ``inequality``'s defaults: the full HEAT parametric bootstrap for BGSD, COV,
  IDIS* and MD* (100 replicates, HEAT's default; seed 123456; HEAT's redraws of values outside
  0–100), analytic limits for the others, 95 % and 99.8 %. No shortcut option is used.

DSR cases: the input the issue describes — 6 000 areas × 2 sexes × 19 age bands × 5 indicators
(1.14 million rows, 60 000 groups) with string keys, as an analyst has it — and ``dsr`` with
95 % and 99.8 % Dobson limits. ``--large`` adds the 50-indicator case (11.4 million rows).

Seconds are the best of ``--repeats`` runs (inequality and the large DSR: of 2). Peak memory is
the process's peak resident set size so far (it includes building the inputs and the earlier
cases; the DSR cases run first so that the 11.4-million-row figure is the DSR's own).
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

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo" / "kolada"
KEYS = ["kpi", "year", "sex"]
POLARITY = {"higher_better": "high_is_good", "lower_better": "low_is_good", "none": "none"}


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


def build_demo_input() -> pl.DataFrame:
    """Kolada demo values with a derived denominator and numerator (see the module docstring)."""
    values = pl.read_parquet(DEMO / "values.parquet")
    kpis = pl.read_csv(DEMO / "kpis.csv").select(pl.col("code").alias("kpi"), "unit", "polarity")
    by_sex = (
        pl.read_parquet(DEMO / "population.parquet")
        .group_by("area", "year", "sex")
        .agg(pl.col("population").sum())
    )
    both = by_sex.group_by("area", "year").agg(pl.col("population").sum(), sex=pl.lit("T"))
    population = pl.concat([by_sex, both.select(by_sex.columns)]).rename(
        {"year": "pop_year", "population": "denominator"}
    )
    first, last = population["pop_year"].min(), population["pop_year"].max()
    scale = (
        pl.when(pl.col("unit") == "procent")
        .then(100.0)
        .otherwise(pl.col("value").max().over("kpi"))
    )
    return (
        values.join(kpis, on="kpi", how="left")
        .with_columns(pl.col("year").clip(first, last).alias("pop_year"))
        .join(population, on=["area", "pop_year", "sex"], how="left")
        .with_columns((pl.col("value") / scale).clip(0, 1).alias("share"))
        .select(
            "kpi", "area", "year", "sex", "polarity", "denominator",
            (pl.col("share") * pl.col("denominator")).alias("numerator"),
        )
    )  # fmt: skip


def best_of(repeats: int, run) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = run()
        best = min(best, time.perf_counter() - start)
    return best, out


def compare_by_polarity(limits: pl.DataFrame, method: str) -> pl.DataFrame:
    riket = limits.filter(pl.col("area") == "00").select(*KEYS, "value")
    parts = [
        stats.compare(
            limits.filter(pl.col("polarity") == polarity),
            riket,
            on=KEYS,
            polarity=POLARITY[polarity],
            method=method,
            multiplier=100,
        )
        for polarity in POLARITY
    ]
    return pl.concat(parts)


def report(name: str, rows: int, groups: int, seconds: float) -> None:
    print(
        f"{name:<28} {rows:>12,} {groups:>8,} {seconds:>9.3f} "
        f"{rows / seconds:>14,.0f} {peak_mib():>9.0f}",
        flush=True,
    )


def run_demo(repeats: int) -> None:
    seconds, demo = best_of(repeats, build_demo_input)
    report("demo: build input", demo.height, 0, seconds)
    seconds, limits = best_of(repeats, lambda: stats.proportion(demo, multiplier=100))
    report("demo: proportion limits", demo.height, demo.height, seconds)

    total = 0.0
    seconds, compared = best_of(repeats, lambda: compare_by_polarity(limits, "ci_overlap"))
    assert compared.height == demo.height
    report("demo: compare ci_overlap", demo.height, demo.height, seconds)
    total += seconds
    seconds, _ = best_of(repeats, lambda: compare_by_polarity(limits, "spc_proportion"))
    report("demo: compare spc_proportion", demo.height, demo.height, seconds)

    series = limits.select("kpi", "area", "sex", "year", "numerator", "denominator")
    seconds, trends = best_of(
        repeats, lambda: stats.trend(series, ["kpi", "area", "sex"], kind="proportion")
    )
    report("demo: trend", series.height, trends.height, seconds)
    total += seconds

    kommuner = limits.filter(pl.col("area").str.len_chars() == 4).with_columns(
        ((pl.col("upper_95") - pl.col("lower_95")) / (2 * 1.959964)).alias("se")
    )
    with np.errstate(all="ignore"):
        seconds, unequal = best_of(
            min(repeats, 2),
            lambda: stats.inequality(
                kommuner, KEYS, estimate="value", se="se", population="denominator"
            ),
        )
    groups = kommuner.select(KEYS).n_unique()
    report("demo: inequality (HEAT, 17)", kommuner.height, groups, seconds)
    total += seconds
    report("demo: compare+trend+inequality", demo.height, groups, total)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also run 11.4 million rows")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-demo", action="store_true", help="skip the Kolada demo cases")
    args = parser.parse_args()
    cases = [("dsr 5 indicators", 5)] + ([("dsr 50 indicators", 50)] if args.large else [])
    print(f"{'case':<28} {'rows':>12} {'groups':>8} {'seconds':>9} {'rows/s':>14} {'peak MiB':>9}")
    for name, indicators in cases:
        frame = build_dsr_input(6_000, indicators)
        seconds = time_dsr(frame, args.repeats if indicators <= 5 else 2)
        report(name, frame.height, frame.height // 19, seconds)
        del frame
    if not args.no_demo:
        run_demo(args.repeats)


if __name__ == "__main__":
    main()
