"""Fingertips benchmarking (compare) and recent-trend markers (trend) against published cases.

Compare: the 8 SPC cases of fingertips-open's unit tests must classify identically at 95 % and
99.8 %. Trend: the PHEindicatormethods trend-marker sheets publish chi-square and gradient to
4 decimals, so those are compared with an absolute tolerance of 5e-5; labels must be identical.
"""

from __future__ import annotations

import polars as pl
import pytest
from stats_support import read_fixture

from halsogap import stats
from halsogap.stats import StatsInputError

WORDS = {"Better": "better", "Same": "similar", "Worse": "worse"}


@pytest.mark.parametrize("method", ["spc_proportion", "spc_dsr"])
def test_spc_comparisons_match_fingertips_unit_tests(method):
    cases = read_fixture("fingertips_spc.csv").filter(pl.col("method") == method)
    out = stats.compare(
        cases,
        "comparator",
        method=method,
        polarity="low_is_good",
        multiplier=cases["unit"][0],
    )
    assert out["compared_95"].to_list() == [WORDS[w] for w in cases["expected_95"]]
    assert out["compared_99_8"].to_list() == [WORDS[w] for w in cases["expected_99_8"]]


def test_ci_overlap_uses_limits_per_level_and_polarity():
    data = pl.DataFrame(
        {
            "kommun": ["a", "b", "c", "d", "e"],
            "value": [20.0, 12.0, 10.0, 15.0, None],
            "lower_95": [18.0, 10.0, 8.0, 15.0, None],
            "upper_95": [22.0, 15.5, 11.0, 16.0, None],
            "lower_99_8": [14.9, 9.0, 7.0, 14.0, None],
            "upper_99_8": [25.0, 16.5, 12.0, 17.0, None],
        }
    )
    low = stats.compare(data, 15.0, polarity="low_is_good")
    assert low["compared_95"].to_list() == ["worse", "similar", "better", "similar", "not compared"]
    # At 99.8 % area a's wider interval reaches the comparator, so it is no longer worse; area d
    # has the comparator exactly on its lower 95 % limit, which counts as similar.
    assert low["compared_99_8"].to_list() == [
        "similar", "similar", "better", "similar", "not compared",
    ]  # fmt: skip
    none = stats.compare(data, 15.0, polarity="none", confidence=0.95)
    assert none["compared_95"].to_list()[:3] == ["higher", "similar", "lower"]
    assert "compared_99_8" not in none.columns
    high = stats.compare(data, 15.0, polarity="high_is_good", confidence=0.95)
    assert high["compared_95"].to_list()[:3] == ["better", "similar", "worse"]


def test_compare_joins_comparator_table_on_keys():
    data = pl.DataFrame(
        {
            "indicator": ["rok", "rok", "fetma"],
            "kommun": ["0114", "0115", "0114"],
            "value": [10.0, 14.0, 20.0],
            "lower_95": [8.0, 12.5, 18.0],
            "upper_95": [12.0, 15.5, 22.0],
        }
    )
    riket = pl.DataFrame({"indicator": ["rok", "fetma"], "value": [11.0, 16.0]})
    out = stats.compare(data, riket, on="indicator", polarity="low_is_good", confidence=95)
    assert out["comparator"].to_list() == [11.0, 11.0, 16.0]
    assert out["compared_95"].to_list() == ["similar", "worse", "worse"]
    with pytest.raises(StatsInputError, match="more than one row for indicator='rok'"):
        stats.compare(data, pl.concat([riket, riket]), on="indicator", confidence=95)


def test_compare_rejects_unknown_polarity():
    with pytest.raises(StatsInputError, match="polarity"):
        stats.compare(pl.DataFrame({"value": [1.0]}), 1.0, polarity="up")


def _expected_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("expected_trend").is_not_null())


def _check_trend(out: pl.DataFrame, expected: pl.DataFrame) -> int:
    joined = expected.join(out, on="series")
    assert joined.height == expected.height
    for row in joined.iter_rows(named=True):
        assert row["trend"] == row["expected_trend"], row["series"]
        assert row["trend_reason"] == row["expected_reason"], row["series"]
        if row["expected_chi_square"] is None:
            assert row["chi_square"] is None
        else:
            assert row["chi_square"] == pytest.approx(row["expected_chi_square"], abs=5e-5)
            assert row["gradient"] == pytest.approx(row["expected_gradient"], abs=5e-5)
    return joined.height


def test_trend_for_proportions_matches_phe_trend_marker_sheets():
    data = read_fixture("trend_proportion.csv")
    out = stats.trend(data, "series", kind="proportion", numerator="count")
    assert _check_trend(out, _expected_rows(data)) == 6


def test_trend_for_other_values_matches_phe_trend_marker_sheets():
    data = read_fixture("trend_other.csv")
    out = stats.trend(data, "series", kind="other")
    assert _check_trend(out, _expected_rows(data)) == 7


def test_trend_with_period_spacing_uses_the_gap_in_the_years():
    data = read_fixture("trend_proportion.csv").filter(
        pl.col("series").str.ends_with("Other ethnic group")
    )
    by_position = stats.trend(data, kind="proportion", numerator="count").row(0, named=True)
    by_period = stats.trend(data, kind="proportion", numerator="count", spacing="period").row(
        0, named=True
    )
    # 2012–2014 then 2016–2017: real years spread the same change over six years, not four.
    assert by_period["gradient"] < by_position["gradient"]
    assert by_period["chi_square"] != pytest.approx(by_position["chi_square"])


def test_trend_label_says_better_or_worse_by_polarity():
    data = read_fixture("trend_other.csv").filter(
        pl.col("series") == "testdata_other_trends:single"
    )
    low = stats.trend(data, kind="other", polarity="low_is_good")["trend_label"].item()
    high = stats.trend(data, kind="other", polarity="high_is_good")["trend_label"].item()
    assert (low, high) == ("Decreasing and getting better", "Decreasing and getting worse")


def test_trend_reports_outlier_when_one_point_reverses_the_slope():
    # A single huge jump at the end makes chi-square large, but without it the series falls.
    data = pl.DataFrame(
        {
            "year": [1, 2, 3, 4, 5],
            "numerator": [300, 295, 290, 285, 900],
            "denominator": [1000] * 5,
        }
    )
    out = stats.trend(data).row(0, named=True)
    assert out["chi_square"] > 9.5495
    assert (out["trend"], out["trend_reason"]) == ("No significant change", "Outlier found")


def test_quantiles_match_generated_phe_quantile_vectors():
    data = read_fixture("quantiles_generated.csv")
    deciles = stats.quantiles(data, n_quantiles=10, invert=True)
    quintiles = stats.quantiles(data, n_quantiles=5, invert=False)
    assert deciles["quantile"].to_list() == data["decile_inverted"].to_list()
    assert quintiles["quantile"].to_list() == data["quintile_not_inverted"].to_list()


def test_quantiles_need_at_least_as_many_values_as_quantiles_per_group():
    data = pl.DataFrame({"region": ["a"] * 4 + ["b"] * 6, "value": list(range(10))})
    out = stats.quantiles(data, "region", n_quantiles=5)
    assert out.filter(pl.col("region") == "a")["quantile"].null_count() == 4
    assert set(out.filter(pl.col("region") == "a")["quantile_reason"]) == {
        "fewer areas with a value than quantiles"
    }
    assert out.filter(pl.col("region") == "b")["quantile"].to_list() == [5, 4, 3, 2, 1, 1]
