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


def _phe_crude_inputs(variant: str) -> tuple[pl.DataFrame, dict]:
    """The input of PHE's crude-rate funnel tests, built as testFunnels.R builds it.

    "crude" (test "…rates (crude); with less than 10 events"): the area with the most events
    (988) is given 5 events, its rate unchanged, and the populations are derived from the rates.
    "crude_with_denominator" (test "…with 0 events and denominator supplied"): pop =
    100 000·ev/rate, then that area gets 0 events and rate 0, and only areas with pop above half
    the largest are kept (18 of 50); the populations are passed as denominators. Both use
    years_of_data = 3. Baselines: ΣO/Σpop = 114.8591735 and 95.60285106 per 100 000.
    """
    data = read_fixture("funnel_rate_inputs.csv").select("ev", "rate")
    largest = pl.col("ev") == pl.col("ev").max()
    if variant == "crude":
        return data.with_columns(pl.when(largest).then(5).otherwise(pl.col("ev")).alias("ev")), {}
    data = (
        data.with_columns((100_000 * pl.col("ev") / pl.col("rate")).alias("pop"))
        .with_columns(
            pl.when(largest).then(0).otherwise(pl.col(c)).alias(c) for c in ("ev", "rate")
        )
        .filter(pl.col("pop") > pl.col("pop").max() / 2)
    )
    return data, {"denominator": "pop"}


@pytest.mark.parametrize("variant", ["dsr", "crude", "crude_with_denominator"])
def test_rate_funnel_axis_limits_and_baseline_match_phe(variant):
    expected = read_fixture("funnel_rate_limits.csv").filter(pl.col("variant") == variant)
    if variant == "dsr":
        data, extra = read_fixture("funnel_rate_inputs.csv"), {}
    else:
        data, extra = _phe_crude_inputs(variant)
    out = stats.funnel_limits(
        data,
        statistic="rate",
        numerator="ev",
        rate="rate",
        rate_type="dsr" if variant == "dsr" else "crude",
        years_of_data=3,
        **extra,
    )
    # The axis is PHE's own (no axis passed): 100 event counts, e.g. 286 … 1119 for the last.
    assert out["events"].cast(pl.Int64).to_list() == expected["events"].to_list()
    columns = [c for c in expected.columns if c.startswith(("lower_", "upper_", "population_"))]
    for column in [*columns, "baseline"]:
        np.testing.assert_allclose(out[column], expected[column], rtol=5e-5)
    np.testing.assert_allclose(out["baseline"], expected["baseline"], rtol=1e-9)


def test_ratio_funnel_axis_spans_the_expected_counts_like_phe():
    cases = read_fixture("funnel_ratio_inputs.csv")
    expected = read_fixture("funnel_ratio_limits.csv")
    out = stats.funnel_limits(cases, statistic="ratio", ratio_type="isr")
    # PHE spans the ratio axis with the expected counts (4.29 … 706.8 → 1 … 716, 100 points).
    assert out["observed"].cast(pl.Int64).to_list() == expected["observed"].to_list()
    np.testing.assert_allclose(out["lower_95"], expected["lower_95_isr"], rtol=5e-5)


def test_rate_axis_needs_an_average():
    with pytest.raises(StatsInputError, match="average rate per person"):
        funnel_axis([1000, 5000], statistic="rate")


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


# PHE's calculate_funnel_points tests (testFunnels.R, "calculate_funnel_points works for …"):
# the published rate_chart/denominator_derived columns of testdata_funnel_rate_input_funnels.csv
# (funnel_rate_inputs.csv), with the input modified as each R test modifies it.
POINTS = [
    # dsr: the area with the most events (988) gets 5, so it is not plotted; years_of_data = 3.
    pytest.param("dsr", 5, None, 3, "rate_chart", "denominator_derived", id="dsr"),
    # crude on the unmodified input; years_of_data = 3.
    pytest.param(
        "crude", None, None, 3, "rate_chart_crude", "denominator_derived_crude", id="crude"
    ),
    # crude, that area gets 0 events (its rate kept) and `pop` is the denominator; years 5.
    pytest.param(
        "crude",
        0,
        "pop",
        5,
        "rate_chart_crude_with_denom",
        "denominator_derived_crude_with_denom",
        id="crude_with_denominator",
    ),
]


@pytest.mark.parametrize(
    ("rate_type", "largest_to", "denominator", "years", "chart", "derived"), POINTS
)
def test_funnel_points_match_phe_published_vectors(
    rate_type, largest_to, denominator, years, chart, derived
):
    data = read_fixture("funnel_rate_inputs.csv", null_values="NA")
    if largest_to is not None:
        largest = pl.col("ev") == pl.col("ev").max()
        data = data.with_columns(pl.when(largest).then(largest_to).otherwise("ev").alias("ev"))
    out = stats.funnel_points(
        data.select("ev", "rate", "pop"),
        numerator="ev",
        rate="rate",
        denominator=denominator,
        rate_type=rate_type,
        years_of_data=years,
        multiplier=100_000,
    )
    assert out.columns == ["ev", "rate", "pop", "rate_chart", "denominator_derived"]
    # Missing exactly where PHE's are (the 5-event DSR), equal elsewhere: the chart rate is
    # the rate, the derived denominators are published to 10 significant figures.
    assert out["rate_chart"].is_null().to_list() == data[chart].is_null().to_list()
    np.testing.assert_array_equal(out["rate_chart"].drop_nulls(), data[chart].drop_nulls())
    assert out["denominator_derived"].is_null().to_list() == data[derived].is_null().to_list()
    np.testing.assert_allclose(
        out["denominator_derived"].drop_nulls(), data[derived].drop_nulls(), rtol=1e-9
    )


def test_funnel_points_feed_the_rate_funnel_axis():
    # The derived populations per year are what funnel_limits spans the rate axis with.
    data = read_fixture("funnel_rate_inputs.csv")
    points = stats.funnel_points(data, numerator="ev", rate="rate", years_of_data=3)
    expected = read_fixture("funnel_rate_limits.csv").filter(pl.col("variant") == "dsr")
    average = data["ev"].sum() / (points["denominator_derived"].sum() * 3)
    axis = funnel_axis(
        (points["denominator_derived"] * 3).to_list(),
        statistic="rate",
        average=average,
        years_of_data=3,
    )
    assert axis == expected["events"].to_list()


def test_funnel_points_reject_bad_input():
    df = pl.DataFrame({"ev": [3, -1], "rate": [10.0, 5.0]})
    with pytest.raises(StatsInputError, match="negative 'ev' in row 2"):
        stats.funnel_points(df, numerator="ev", rate="rate")
    with pytest.raises(StatsInputError, match="rate_type must be"):
        stats.funnel_points(df, numerator="ev", rate="rate", rate_type="isr")


def test_funnel_without_usable_denominators_raises_stats_input_error_not_zero_division():
    no_rows = pl.DataFrame(schema={"numerator": pl.Int64, "denominator": pl.Int64})
    no_denominators = pl.DataFrame(
        {"numerator": [1, 2], "denominator": [None, None]},
        schema={"numerator": pl.Int64, "denominator": pl.Int64},
    )
    message = "funnel_limits: no row has both 'numerator' and 'denominator'"
    for data in (no_rows, no_denominators):
        for axis in (None, [100]):
            with pytest.raises(StatsInputError, match=message):
                stats.funnel_limits(data, axis=axis)
    with pytest.raises(StatsInputError, match="funnel_significance: no row has both"):
        stats.funnel_significance(no_denominators)
    # With no rows there is nothing to label: an empty result with the label column, as the
    # other statistics give for empty input.
    out = stats.funnel_significance(no_rows)
    assert out.height == 0
    assert out.schema == {**no_rows.schema, "funnel_significance": pl.String}


def test_rate_funnel_refuses_years_of_data_not_above_zero_and_data_without_events():
    data = read_fixture("funnel_rate_inputs.csv")
    for years in (0, -3):
        with pytest.raises(StatsInputError, match="funnel_limits: years_of_data must be above 0"):
            stats.funnel_limits(
                data, statistic="rate", numerator="ev", rate="rate", years_of_data=years
            )
        with pytest.raises(StatsInputError, match="funnel_axis: years_of_data must be above 0"):
            funnel_axis([1000, 5000], statistic="rate", average=0.001, years_of_data=years)
    kw = {"statistic": "rate", "numerator": "ev", "rate": "rate", "axis": [10]}
    no_events = pl.DataFrame({"ev": [0, 0], "rate": [0.0, 0.0]})
    with pytest.raises(StatsInputError, match="no area has events and a 'rate' to average"):
        stats.funnel_limits(no_events, **kw)
    crude = pl.DataFrame({"ev": [0, 0], "pop": [100.0, 200.0]})
    with pytest.raises(StatsInputError, match="average rate is 0"):
        stats.funnel_limits(crude, **kw, rate_type="crude", denominator="pop")
    with pytest.raises(StatsInputError, match="'pop' must be above 0 in row 1"):
        stats.funnel_limits(
            crude.with_columns(pop=pl.lit(0.0)), **kw, rate_type="crude", denominator="pop"
        )
    with pytest.raises(
        StatsInputError, match="'rate' must be above 0 where 'ev' is above 0 in row 1"
    ):
        stats.funnel_limits(pl.DataFrame({"ev": [5, 10], "rate": [0.0, 100.0]}), **kw)


@pytest.mark.parametrize("statistic", ["proportion", "ratio", "rate"])
def test_funnel_limits_refuse_axis_points_not_above_zero(statistic):
    data = {
        "proportion": pl.DataFrame({"numerator": [1], "denominator": [10]}),
        "ratio": None,
        "rate": pl.DataFrame({"numerator": [5], "value": [100.0]}),
    }[statistic]
    with pytest.raises(StatsInputError, match=r"axis points must be above 0 \(point 1 is 0\)"):
        stats.funnel_limits(data, statistic=statistic, axis=[0, 10])


def test_funnel_significance_does_not_call_a_zero_expected_count_significant():
    # Three events against an expected count of 0 used to be "High (0.001)": a ratio with no
    # expected events cannot be assessed, and a negative expected count is impossible.
    data = pl.DataFrame({"numerator": [0, 3, 12], "expected": [0.0, 0.0, 4.0]})
    out = stats.funnel_significance(data, statistic="ratio")
    not_assessed = "Not applicable for an expected count of 0"
    assert out["funnel_significance"].to_list() == [not_assessed, not_assessed, "High (0.001)"]
    negative = data.with_columns(expected=pl.Series([1.0, -2.0, 4.0]))
    with pytest.raises(StatsInputError, match="funnel_significance: negative 'expected' in row 2"):
        stats.funnel_significance(negative, statistic="ratio")


def test_funnel_average_leaves_out_rows_missing_either_count():
    # A row without a numerator used to keep its denominator in Σdenominator, diluting the
    # average (the baseline) that the whole funnel is drawn around.
    data = pl.DataFrame({"numerator": [40, None, 300], "denominator": [50, 100, 400]})
    out = stats.funnel_limits(data, axis=[100])
    assert out["baseline"][0] == pytest.approx(100 * 340 / 450, rel=1e-12)
