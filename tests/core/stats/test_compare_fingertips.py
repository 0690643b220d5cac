"""compare() against every numeric benchmarking case of fingertips-open's AnalysisTest.

fingertips_comparisons.csv holds the comparer tests for the CI-overlap methods (one level,
two levels, two intervals) and fingertips_quantile_categories.csv the quintile/quartile bound
and category tests (ukhsa-collaboration/fingertips-open @ 67808972, MIT,
PholioVisualisationWS/AnalysisTest/*.cs; the `source` column names file and test method). The
SPC cases are in test_benchmark_trend.py. Fingertips' "None" significance and category 0 are
our "not compared". Labels must be identical.
"""

from __future__ import annotations

import polars as pl
import pytest
from stats_support import read_fixture

from halsogap import stats
from halsogap.stats import StatsInputError
from halsogap.stats.benchmark import category_bounds

WORDS = {
    "Best": "best",
    "Better": "better",
    "Same": "similar",
    "Worse": "worse",
    "Worst": "worst",
    "None": "not compared",
}
CASES = read_fixture("fingertips_comparisons.csv", infer_schema_length=0).with_columns(
    pl.exclude("source", "method", "polarity", "expected").cast(pl.Float64)
)


@pytest.mark.parametrize("method", ["ci_overlap", "ci_overlap_two_levels", "ci_overlap_double"])
def test_ci_comparisons_match_fingertips_unit_tests(method):
    cases = CASES.filter(pl.col("method") == method)
    got = []
    for row in cases.iter_rows(named=True):
        one = pl.DataFrame([row]).drop("comparator_lower_95", "comparator_upper_95")
        if method == "ci_overlap":
            out = stats.compare(one, "comparator", polarity=row["polarity"], confidence=0.95)
            got.append(out["compared_95"].item())
        elif method == "ci_overlap_two_levels":
            out = stats.compare(one, "comparator", polarity=row["polarity"], method=method)
            got.append(out["compared"].item())
        else:
            # The comparator ("parent") comes as a one-row table with its own interval.
            parent = pl.DataFrame(
                {
                    "value": [row["comparator"]],
                    "lower_95": [row["comparator_lower_95"]],
                    "upper_95": [row["comparator_upper_95"]],
                }
            )
            out = stats.compare(
                one, parent, polarity=row["polarity"], method=method, confidence=0.95
            )
            got.append(out["compared_95"].item())
    assert got == [WORDS[w] for w in cases["expected"]]
    assert (
        len(got) == {"ci_overlap": 31, "ci_overlap_two_levels": 10, "ci_overlap_double": 10}[method]
    )


def test_two_level_comparison_vectorised_with_per_level_columns_and_no_polarity():
    cases = CASES.filter(
        (pl.col("method") == "ci_overlap_two_levels") & (pl.col("polarity") == "low_is_good")
    )
    out = stats.compare(cases, "comparator", method="ci_overlap_two_levels")
    assert out["compared"].to_list() == ["lowest", "lower", "similar", "higher", "highest"]
    assert out["compared_95"].to_list() == ["lower", "lower", "similar", "higher", "higher"]
    assert out["compared_99_8"].to_list() == ["lower", "similar", "similar", "similar", "higher"]
    with pytest.raises(StatsInputError, match="exactly two confidence levels"):
        stats.compare(cases, "comparator", method="ci_overlap_two_levels", confidence=0.95)


def test_double_overlap_joins_comparator_limits_on_keys_or_reads_columns():
    data = pl.DataFrame(
        {
            "year": [2021, 2022],
            "value": [4.0, 3.0],
            "lower_95": [3.5, 2.7],
            "upper_95": [4.5, 3.1],
        }
    )
    riket = pl.DataFrame(
        {"year": [2021, 2022], "value": [3.0, 4.0], "lower_95": [2.7, 3.5], "upper_95": [3.1, 4.5]}
    )
    out = stats.compare(
        data, riket, on="year", method="ci_overlap_double", confidence=0.95, polarity="low_is_good"
    )
    assert out["compared_95"].to_list() == ["worse", "better"]
    assert out["comparator_upper_95"].to_list() == [3.1, 4.5]
    by_column = stats.compare(
        out.drop("comparison_method", "compared_95"),
        "comparator",
        method="ci_overlap_double",
        confidence=0.95,
    )
    assert by_column["compared_95"].to_list() == ["higher", "lower"]
    with pytest.raises(StatsInputError, match="comparator's limits"):
        stats.compare(data, 3.0, method="ci_overlap_double", confidence=0.95)


QUANTILE_CASES = read_fixture("fingertips_quantile_categories.csv", infer_schema_length=0)


def _values(spec: str | None) -> list[float]:
    if not spec:
        return []
    low, high = spec.split("..")
    return [float(v) for v in range(int(low), int(high) + 1)]


def test_quintile_and_quartile_bounds_match_fingertips():
    rows = QUANTILE_CASES.filter(pl.col("source").str.contains("CalculatorTest"))
    for row in rows.iter_rows(named=True):
        n = {"quintiles": 5, "quartiles": 4}[row["method"]]
        expected = (
            [float(b) for b in row["expected_bounds"].split("|")] if row["expected_bounds"] else []
        )
        assert category_bounds(_values(row["values"]), n) == expected, row["source"]


def test_quintile_and_quartile_categories_match_fingertips():
    rows = QUANTILE_CASES.filter(pl.col("source").str.contains("ComparerTest"))
    for row in rows.iter_rows(named=True):
        peers = _values(row["values"])
        area = None if row["value"] is None else float(row["value"])
        # The area is one of its peers; where Fingertips' list lacks the area's value (the
        # empty list) it is added, which keeps the group below the minimum all the same.
        values = peers if area in peers else [*peers, area]
        frame = pl.DataFrame({"value": values, "is_area": [v == area for v in values]})
        if area is None:
            frame = pl.DataFrame(
                {"value": [*peers, None], "is_area": [False] * len(peers) + [True]}
            )
        out = stats.compare(frame, method=row["method"]).filter(pl.col("is_area"))
        category = out["compared_category"].item()
        assert (category or 0) == int(row["expected_category"]), row["source"]


def test_quintiles_per_peer_group_with_polarity_labels_and_reasons():
    data = pl.DataFrame(
        {
            "year": [2020] * 10 + [2021] * 4,
            "value": [float(v) for v in range(1, 11)] + [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = stats.compare(data, on="year", method="quintiles", polarity="high_is_good")
    first = out.filter(pl.col("year") == 2020)
    assert first["compared_category"].to_list() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert first["compared"].to_list()[::2] == [
        "lowest quintile", "2nd lowest quintile", "middle quintile", "2nd highest quintile",
        "highest quintile",
    ]  # fmt: skip
    assert set(out.filter(pl.col("year") == 2021)["compared"]) == {"not compared"}
    quartiles = stats.compare(data, on="year", method="quartiles")
    assert quartiles.filter(pl.col("year") == 2021)["compared_category"].to_list() == [1, 2, 3, 4]
    with pytest.raises(StatsInputError, match="give no comparator"):
        stats.compare(data, 3.0, method="quintiles")
    with pytest.raises(StatsInputError, match="needs a comparator"):
        stats.compare(data, method="ci_overlap")


def test_compare_refuses_a_lower_limit_above_the_upper_limit_naming_the_row():
    data = pl.DataFrame(
        {
            "indicator": ["rok", "rok", "fetma"],
            "value": [10.0, 14.0, 20.0],
            "lower_95": [8.0, 15.5, 18.0],
            "upper_95": [12.0, 12.5, 22.0],
        }
    )
    with pytest.raises(
        StatsInputError, match=r"compare: 'lower_95' \(15.5\) above 'upper_95' \(12.5\) in row 2"
    ):
        stats.compare(data, 11.0, confidence=0.95)
    riket = pl.DataFrame({"indicator": ["rok", "fetma"], "value": [11.0, 16.0]})
    with pytest.raises(StatsInputError, match=r"in group indicator='rok', row 2"):
        stats.compare(data, riket, on="indicator", confidence=0.95)
    # The comparator's own interval (two-interval comparison) is checked the same way.
    ordered = data.with_columns(lower_95=pl.Series([8.0, 12.5, 18.0]))
    parent = riket.with_columns(lower_95=pl.Series([10.0, 17.0]), upper_95=pl.Series([12.0, 15.0]))
    with pytest.raises(
        StatsInputError,
        match=r"compare \(comparator\): 'lower_95' \(17.0\) above 'upper_95' \(15.0\) "
        r"in group indicator='fetma', row 2",
    ):
        stats.compare(ordered, parent, on="indicator", method="ci_overlap_double", confidence=95)


def test_compare_refuses_proportions_outside_0_to_100_percent_for_spc_proportion():
    data = pl.DataFrame(
        {"value": [7.7, 120.0], "comparator": [8.96, 8.96], "denominator": [5930, 2273]}
    )
    kw = {"method": "spc_proportion", "multiplier": 100}
    with pytest.raises(
        StatsInputError,
        match=r"compare: spc_proportion needs proportions from 0 to 100 \(the multiplier\); "
        r"'value' is 120 in row 2",
    ):
        stats.compare(data, "comparator", **kw)
    with pytest.raises(StatsInputError, match=r"'comparator' is 108.96 in row 1"):
        stats.compare(data.head(1).with_columns(comparator=pl.lit(108.96)), "comparator", **kw)
    with pytest.raises(StatsInputError, match=r"'value' is -1 in row 1"):
        stats.compare(data.head(1).with_columns(value=pl.lit(-1.0)), "comparator", **kw)
    # A percentage compared with the default multiplier 1 is the usual slip; the message says so.
    with pytest.raises(StatsInputError, match=r"from 0 to 1 \(the multiplier\); 'value' is 7.7"):
        stats.compare(data, "comparator", method="spc_proportion")
    # spc_dsr compares rates, which may exceed the multiplier.
    rates = stats.compare(data, "comparator", method="spc_dsr", multiplier=100)
    assert rates["compared_95"].to_list()[1] == "higher"
