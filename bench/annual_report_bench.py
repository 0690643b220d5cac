"""Benchmark of the annual report and the follow-up status (issue 6).

Run: .venv/bin/python bench/annual_report_bench.py [--assignments 500] [--indicators 5]

Builds synthetic content in the script (no database): ``--assignments`` assignments with
``--indicators`` indicators each, five yearly values per indicator (every other series with
95 % limits, so both trend methods run). Times

* :func:`halsogap.assignments.follow_up_status` over every series (2 500 by default), and
* the annual report in PDF, DOCX and XLSX (target: all three under 10 s together).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import polars as pl  # noqa: E402

from halsogap.assignments import IndicatorPlan, follow_up_status, follow_up_statuses  # noqa: E402
from halsogap.assignments.documents import (  # noqa: E402
    AnnualAssignment,
    AnnualReportContent,
    IndicatorResult,
)
from halsogap.assignments.documents_html import render_annual_report_pdf  # noqa: E402
from halsogap.assignments.documents_office import (  # noqa: E402
    render_annual_report_docx,
    render_annual_report_xlsx,
)

LIMIT_SECONDS = 10.0
YEARS = ["2021", "2022", "2023", "2024", "2025"]


def synthetic(assignments: int, indicators: int, seed: int = 6):
    """(plans, series) for every indicator: a drifting series around a falling target."""
    rng = random.Random(seed)
    out = []
    for a in range(assignments):
        for i in range(indicators):
            role = "effect" if i < 2 else "process"
            polarity = "lower_better" if role == "effect" else "higher_better"
            baseline = rng.uniform(5, 40)
            step = rng.uniform(-1.5, 1.5)
            target = baseline * (0.7 if polarity == "lower_better" else 1.4)
            plan = IndicatorPlan(
                f"a{a}-p{i}",
                f"a{a}-g{min(i, 1)}",
                f"IND{i:02d}",
                role=role,
                baseline=round(baseline, 1),
                baseline_period="2020",
                target=round(target, 1),
                target_date=date(2027, 12, 31),
                polarity=polarity,
                source="Kolada/RKA" if role == "effect" else "Utförarens rapportering",
                frequency="årligen",
                reporter="Utföraren",
                indicator_title=f"Indikator {i + 1}",
                unit="procent" if role == "effect" else "antal",
            )
            values = [baseline + step * (k + 1) + rng.gauss(0, 0.5) for k in range(len(YEARS))]
            frame = {"period": YEARS, "value": values}
            if (a + i) % 2 == 0:
                frame["lower_95"] = [v - 1.0 for v in values]
                frame["upper_95"] = [v + 1.0 for v in values]
            out.append((a, plan, pl.DataFrame(frame)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=500)
    parser.add_argument("--indicators", type=int, default=5)
    args = parser.parse_args(argv)

    series = synthetic(args.assignments, args.indicators)
    today = date(2026, 3, 1)
    follow_up_status(
        series[0][2],
        baseline=1.0,
        target=0.5,
        target_date=date(2027, 1, 1),
        polarity="lower_better",
        baseline_date="2020",
        today=today,
    )  # warm-up
    started = time.perf_counter()
    statuses = [
        follow_up_status(
            frame,
            baseline=plan.baseline,
            target=plan.target,
            target_date=plan.target_date,
            polarity=plan.polarity,
            baseline_date=plan.baseline_period,
            today=today,
        )
        for _, plan, frame in series
    ]
    status_seconds = time.perf_counter() - started
    print(
        f"follow_up_status × {len(series)} series: {status_seconds:.2f} s "
        f"({status_seconds / len(series) * 1000:.2f} ms each)"
    )

    values = pl.concat(
        [frame.with_columns(pl.lit(plan.key).alias("plan")) for _, plan, frame in series],
        how="diagonal_relaxed",
    )
    plans = [plan for _, plan, _ in series]
    started = time.perf_counter()
    batch = follow_up_statuses(values, plans, today=today)
    batch_seconds = time.perf_counter() - started
    assert [batch[p.key] for p in plans] == statuses
    print(f"follow_up_statuses (batch) × {len(plans)} series: {batch_seconds:.2f} s")

    by_assignment: dict[int, list[IndicatorResult]] = {}
    for (a, plan, frame), status in zip(series, statuses, strict=True):
        points = list(zip(frame["period"].to_list(), frame["value"].to_list(), strict=True))
        by_assignment.setdefault(a, []).append(
            IndicatorResult.from_status(plan, status, series=points)
        )
    content = AnnualReportContent(
        title="Årsredovisning 2025: måluppfyllelse i uppdragen",
        region="Region Benchmark",
        year=2025,
        generated_on="2026-03-01",
        introduction="Syntetiskt underlag för prestandamätning.",
        assignments=[
            AnnualAssignment(
                f"a{a}",
                f"Uppdrag {a + 1}: hälsofrämjande insatser",
                f"Vårdcentral {a + 1}",
                "Daglig rökning, vuxna",
                results,
            )
            for a, results in by_assignment.items()
        ],
    )
    total = 0.0
    for name, render in (
        ("PDF", render_annual_report_pdf),
        ("DOCX", render_annual_report_docx),
        ("XLSX", render_annual_report_xlsx),
    ):
        started = time.perf_counter()
        data = render(content)
        seconds = time.perf_counter() - started
        total += seconds
        print(f"annual report {name}: {seconds:.2f} s, {len(data) / 1024:.0f} KiB")
    verdict = "OK" if total < LIMIT_SECONDS else "TOO SLOW"
    print(
        f"annual report, {args.assignments} assignments × {args.indicators} indicators, all three "
        f"formats: {total:.2f} s (target < {LIMIT_SECONDS:.0f} s) {verdict}"
    )
    return 0 if total < LIMIT_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
