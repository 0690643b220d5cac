"""Funnel limits and significance against PHEindicatormethods' published funnel test files.

Tolerances: proportion limits are published to 6 decimals, so 5e-7 absolute. Ratio and rate
limits: PHE finds them by bisection stopped at a 1e-7 step, we use the exact chi-square values,
and the two agree to 5e-5 relative (METHODS.md §7). Significance labels must be identical.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from stats_support import read_fixture

from halsogap import stats
from halsogap.stats import StatsInputError
from halsogap.stats.funnel import funnel_axis

LIMITS = ["lower_95", "upper_95", "lower_99_8", "upper_99_8"]
PROPORTIONS = read_fixture("funnel_proportion_inputs.csv")


@pytest.mark.parametrize(
    ("variant", "rows"),
    [
        ("all", PROPORTIONS),
        ("denominator_below_31000", PROPORTIONS.filter(pl.col("denominator") < 31000)),
    ],
)
def test_proportion_funnel_axis_and_limits_match_phe_to_six_decimals(variant, rows):
    expected = read_fixture("funnel_proportion_limits.csv").filter(pl.col("variant") == variant)
    out = stats.funnel_limits(rows)
    assert out["population"].to_list() == expected["population"].to_list()
    for column in [*LIMITS, "baseline"]:
        np.testing.assert_allclose(out[column], expected[column], rtol=0, atol=5e-7)


def test_proportion_significance_matches_all_303_phe_labels():
    out = stats.funnel_significance(PROPORTIONS)
    assert out["funnel_significance"].to_list() == PROPORTIONS["significance"].to_list()


@pytest.mark.parametrize("ratio_type", ["count", "isr"])
def test_ratio_funnel_limits_match_phe_within_bisection_tolerance(ratio_type):
    expected = read_fixture("funnel_ratio_limits.csv")
    out = stats.funnel_limits(
        statistic="ratio", axis=expected["observed"].to_list(), ratio_type=ratio_type
    )
    for column in LIMITS:
        np.testing.assert_allclose(out[column], expected[f"{column}_{ratio_type}"], rtol=5e-5)
        np.testing.assert_allclose(
            out[f"expected_{column}"], expected[f"expected_{column}"], rtol=5e-5
        )


def test_ratio_significance_matches_all_300_phe_labels():
    cases = read_fixture("funnel_ratio_inputs.csv")
    out = stats.funnel_significance(cases, statistic="ratio", numerator="observed")
    assert out["funnel_significance"].to_list() == cases["significance"].to_list()


def test_dsr_funnel_limits_and_per_year_populations_match_phe():
    data = read_fixture("funnel_rate_inputs.csv")
    expected = read_fixture("funnel_rate_limits.csv").filter(pl.col("variant") == "dsr")
    out = stats.funnel_limits(
        data,
        statistic="rate",
        numerator="ev",
        rate="rate",
        axis=expected["events"].to_list(),
        years_of_data=3,
    )
    columns = [c for c in expected.columns if c.startswith(("lower_", "upper_", "population_"))]
    for column in [*columns, "baseline"]:
        np.testing.assert_allclose(out[column], expected[column], rtol=5e-5)


SIGNIFICANCE = read_fixture("funnel_rate_significance.csv")


@pytest.mark.parametrize("column", SIGNIFICANCE.columns[6:])
def test_rate_significance_matches_phe_for_all_eight_variants(column):
    # "without_0" variants are PHE's run on the data without the zero-event area.
    rows = SIGNIFICANCE if "with_0" in column else SIGNIFICANCE.filter(pl.col("count") > 0)
    multiplier = 100_000 if "100000" in column else 100
    kind = "dsr" if column.startswith("dsr") else "crude"
    rate = "rate_dsr" if kind == "dsr" else f"rate_crude_per_{multiplier}"
    rows = rows.with_columns(pl.col(rate).cast(pl.Float64, strict=False))
    out = stats.funnel_significance(
        rows,
        statistic="rate",
        numerator="count",
        rate=rate,
        denominator="pop",
        multiplier=multiplier,
        rate_type=kind,
    )
    assert out["funnel_significance"].to_list() == rows[column].to_list()


def test_funnel_outside_95_limits_is_the_wilson_interval_excluding_the_average():
    av = 0.3
    out = stats.funnel_limits(pl.DataFrame({"numerator": [30], "denominator": [100]}), axis=[250])
    low = out["lower_95"][0] / 100
    just_below = stats.proportion(
        pl.DataFrame({"numerator": [low * 250 - 1e-6], "denominator": [250]}), confidence=0.95
    )
    assert just_below["upper_95"][0] == pytest.approx(av, abs=1e-8)
    assert just_below["upper_95"][0] < av


def test_funnel_axis_starts_at_one_for_wide_ranges_and_rejects_bad_input():
    assert funnel_axis([16386, 102950])[:3] == [1, 2, 3]
    with pytest.raises(StatsInputError, match="numerator' above 'denominator' in row 2"):
        stats.funnel_significance(pl.DataFrame({"numerator": [1, 5], "denominator": [2, 4]}))
    with pytest.raises(StatsInputError, match="statistic must be one of"):
        stats.funnel_limits(PROPORTIONS, statistic="mean")
