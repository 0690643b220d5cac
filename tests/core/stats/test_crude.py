"""Proportions, rates and means against the published PHEindicatormethods vectors.

Tolerance: 1e-9 relative (the published values carry 15 significant digits).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from stats_support import assert_close, read_fixture

from halsogap import stats
from halsogap.stats.intervals import byar_limits, poisson_limits, wilson_limits


def test_byar_and_wilson_limits_match_phe_vectors():
    cases = read_fixture("byar_wilson.csv")
    assert cases.height == 13
    for row in cases.iter_rows(named=True):
        level = row["confidence_pct"] / 100
        if row["method"] == "Wilson":
            lower, upper = wilson_limits(np.array([row["x"]]), np.array([row["n"]]), level)
        else:
            lower, upper = byar_limits(np.array([float(row["x"])]), level)
        assert_close(lower, [row["lower"]])
        assert_close(upper, [row["upper"]])


def test_proportion_matches_phe_vectors_for_both_levels_and_multipliers():
    cases = read_fixture("proportion.csv")
    results = []
    for multiplier in (1, 100):
        subset = cases.filter(pl.col("multiplier") == multiplier)
        out = stats.proportion(subset, multiplier=multiplier)
        results.append(out)
    out = pl.concat(results)
    expected = pl.concat([cases.filter(pl.col("multiplier") == m) for m in (1, 100)])
    for column in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], expected[column])
    assert (
        out.filter(pl.col("value").is_null())["reason"].to_list()
        == [stats.Reason.MISSING_INPUT] * 3
    )
    assert out.filter(pl.col("value").is_not_null())["reason"].null_count() == 16


def test_proportion_sums_counts_per_group_like_phe_grouped_vectors():
    cases = read_fixture("proportion_grouped.csv")
    rows = read_fixture("proportion.csv").filter(pl.col("multiplier").is_in([1, 100]))
    # Every area appears twice in the ungrouped sheet (once per multiplier); summing them per
    # area is what produces the grouped sheet.
    out = stats.proportion(rows, "area", confidence=0.95)
    joined = cases.join(out, on="area", suffix="_got")
    assert joined.height == 11
    for column in ("numerator", "denominator", "value", "lower_95", "upper_95"):
        assert_close(joined[f"{column}_got"], joined[column])
    assert "lower_99_8" not in out.columns


def test_proportion_edge_cases_match_generated_phe_vectors():
    cases = read_fixture("generated_proportion.csv")
    out = stats.proportion(cases)
    for column in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], cases[column], atol=1e-15)


def test_rate_matches_phe_vectors_including_exact_below_ten_events():
    cases = read_fixture("rate.csv")
    out = pl.concat(
        [
            stats.rate(cases.filter(pl.col("multiplier") == m), multiplier=m)
            for m in cases["multiplier"].unique(maintain_order=True)
        ]
    )
    expected = pl.concat(
        [
            cases.filter(pl.col("multiplier") == m)
            for m in cases["multiplier"].unique(maintain_order=True)
        ]
    )
    for column in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], expected[column])
    computed = out.filter(pl.col("value").is_not_null())
    published = expected.filter(pl.col("value").is_not_null())
    assert computed["method"].to_list() == [
        "exact Poisson" if m == "Exact" else "Byar" for m in published["method"]
    ]


def test_rate_grouped_matches_phe_vectors():
    cases = read_fixture("rate_grouped.csv")
    # Areas 1–8 appear twice in the ungrouped sheet (once per multiplier) and Area12 once, so
    # summing the sheet per area reproduces the grouped sheet.
    out = stats.rate(read_fixture("rate.csv"), "area", confidence=0.95)
    joined = cases.join(out, on="area", suffix="_got")
    assert joined.height == 12
    for column in ("numerator", "denominator", "value", "lower_95", "upper_95"):
        assert_close(joined[f"{column}_got"], joined[column])


def test_rate_edge_cases_match_generated_phe_vectors():
    cases = read_fixture("generated_rate.csv")
    out = stats.rate(cases)
    for column in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], cases[column], atol=1e-13)


def test_poisson_limits_switch_from_exact_to_byar_at_ten():
    lower, upper, exact = poisson_limits(np.array([9.0, 10.0, np.nan]), 0.95)
    assert exact.tolist() == [True, False, False]
    assert np.isnan(lower[2]) and np.isnan(upper[2])


def test_mean_matches_phe_vectors_per_area_and_overall():
    values = read_fixture("mean_values.csv")
    expected = read_fixture("mean_results.csv")
    per_area = stats.mean(values, "area")
    overall = stats.mean(values).with_columns(pl.lit("No grouping").alias("area"))
    out = pl.concat([per_area, overall.select(per_area.columns)])
    joined = expected.join(out, on="area", suffix="_got")
    assert joined.height == 3
    for column in ("value_sum", "value_count", "stdev", "value", "lower_95", "upper_95"):
        assert_close(joined[f"{column}_got"], joined[column])
    for column in ("lower_99_8", "upper_99_8"):
        assert_close(joined[f"{column}_got"], joined[column])


def test_mean_matches_generated_roxygen_example():
    case = read_fixture("generated_mean.csv").row(0, named=True)
    data = pl.DataFrame({"value": [float(v) for v in case["values"].split()]})
    out = stats.mean(data).row(0, named=True)
    for column in ("value_sum", "value_count", "stdev", "value", "lower_95", "upper_95"):
        assert out[column] == pytest.approx(case[column], rel=1e-9)
    assert out["lower_99_8"] == pytest.approx(case["lower_99_8"], rel=1e-9)


def test_mean_of_one_value_gives_value_without_limits_and_a_reason():
    out = stats.mean(pl.DataFrame({"g": ["a", "b", "b"], "value": [3.0, 1.0, 2.0]}), "g")
    first = out.row(0, named=True)
    assert first["value"] == 3.0
    assert first["lower_95"] is None and first["upper_99_8"] is None
    assert first["reason"] == stats.Reason.TOO_FEW_VALUES
    assert out.row(1, named=True)["reason"] is None


def test_for_display_blanks_small_counts_and_their_rates_and_limits():
    out = stats.for_display(
        stats.rate(pl.DataFrame({"numerator": [0, 3, 5], "denominator": [900, 900, 900]}))
    )
    assert out["suppressed"].to_list() == [False, True, False]
    hidden = out.row(1, named=True)
    assert all(hidden[c] is None for c in ("numerator", "value", "lower_95", "upper_99_8"))
    assert out.row(2, named=True)["value"] is not None
    assert out.row(1, named=True)["denominator"] == 900
