"""Needs ranking: normalisation, visible weights, contributions, missing criteria, demo run."""

from __future__ import annotations

import math
from dataclasses import replace

import polars as pl
import pytest

from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import load_data
from halsogap.needs.pipeline import needs_analysis
from halsogap.needs.ranking import CRITERIA, DEFAULT_WEIGHTS, rank_needs, trend_score

NEEDS = pl.DataFrame(
    {
        "need": ["rökning", "fetma", "stress"],
        "gap_persons": [40_000.0, 10_000.0, -500.0],
        "relative_gap": [0.4, 0.1, 0.2],
        "severity": [4, 2, 1],
        "inequity": [0.3, 0.1, 0.0],
        "trend_score": [0.0, 1.0, -1.0],
    }
)


def test_default_weights_are_documented_and_sum_to_one():
    assert DEFAULT_WEIGHTS == {
        "gap_persons": 0.30,
        "relative_gap": 0.20,
        "severity": 0.25,
        "inequity": 0.15,
        "trend": 0.10,
    }
    assert math.isclose(sum(DEFAULT_WEIGHTS.values()), 1.0)


def test_size_criteria_are_divided_by_the_largest_and_negatives_count_as_no_gap():
    out = rank_needs(NEEDS).sort("need")
    assert out["norm_gap_persons"].to_list() == [0.25, 1.0, 0.0]  # fetma, rökning, stress
    assert out["norm_relative_gap"].to_list() == [0.25, 1.0, 0.5]


def test_severity_and_trend_use_fixed_scales():
    out = rank_needs(NEEDS).sort("need")
    assert out["norm_severity"].to_list() == [1 / 3, 1.0, 0.0]
    assert out["norm_trend"].to_list() == [1.0, 0.5, 0.0]


def test_score_is_the_sum_of_contributions_and_each_is_weight_times_normalised_value():
    out = rank_needs(NEEDS)
    for row in out.iter_rows(named=True):
        parts = [row[f"contribution_{c}"] for c in CRITERIA]
        assert row["score"] == pytest.approx(sum(parts))
        for c in CRITERIA:
            assert row[f"contribution_{c}"] == pytest.approx(row[f"weight_{c}"] * row[f"norm_{c}"])


def test_ranking_puts_the_largest_need_first_and_names_the_main_criterion():
    out = rank_needs(NEEDS)
    assert out.select("need", "rank").rows() == [("rökning", 1), ("fetma", 2), ("stress", 3)]
    assert out["main_criterion"][0] == "gap i personer"


def test_weights_are_adjustable_and_rescaled_to_sum_to_one():
    out = rank_needs(NEEDS, weights={"trend": 3, "relative_gap": 1})
    assert out["need"][0] == "fetma"  # widening trend now outweighs rökning's larger gap
    row = out.row(0, named=True)
    assert (row["weight_trend"], row["weight_relative_gap"], row["weight_severity"]) == (
        0.75,
        0.25,
        0.0,
    )


def test_a_missing_criterion_is_left_out_and_the_other_weights_rescaled():
    needs = pl.DataFrame(
        {"need": ["a", "b"], "gap_persons": [100.0, None], "relative_gap": [0.5, 0.5]}
    )
    out = rank_needs(needs, weights={"gap_persons": 0.5, "relative_gap": 0.5}).sort("need")
    b = out.row(1, named=True)
    assert b["weight_gap_persons"] == 0.0
    assert b["weight_relative_gap"] == 1.0
    assert b["score"] == 1.0
    assert b["missing_criteria"] == "gap i personer, svårighetsgrad, ojämlikhet, trend"


def test_ties_share_the_higher_rank():
    needs = pl.DataFrame({"need": ["a", "b", "c"], "relative_gap": [0.5, 0.5, 0.1]})
    assert rank_needs(needs)["rank"].to_list() == [1, 1, 3]


def test_rii_inequity_is_compared_as_the_absolute_log():
    needs = pl.DataFrame({"need": ["a", "b"], "inequity": [2.0, 0.5]})
    out = rank_needs(needs, inequity_kind="rii")
    assert out["norm_inequity"].to_list() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("needs", "kwargs", "message"),
    [
        (pl.DataFrame({"need": ["a"], "severity": [5]}), {}, "severity"),
        (pl.DataFrame({"need": ["a"], "trend_score": [2.0]}), {}, "trend_score"),
        (pl.DataFrame({"need": ["a", "a"]}), {}, "duplicates"),
        (pl.DataFrame({"need": ["a"]}), {"weights": {"cost": 1}}, "unknown weight"),
        (pl.DataFrame({"need": ["a"]}), {"weights": {"trend": -1}}, "≥ 0"),
        (pl.DataFrame({"need": ["a"]}), {"weights": {"trend": 0}}, "above 0"),
        (pl.DataFrame({"need": ["a"], "inequity": [0.0]}), {"inequity_kind": "rii"}, "RII"),
    ],
)
def test_bad_needs_or_weights_are_refused(needs, kwargs, message):
    with pytest.raises(NeedsInputError, match=message):
        rank_needs(needs, **kwargs)


def test_trend_score_maps_gap_trend_statuses_and_keeps_unknown_missing():
    frame = pl.DataFrame(
        {"status": ["gapet ökar", "oförändrat", "gapet minskar", "målet nått", "för få mätpunkter"]}
    )
    assert trend_score(frame)["trend_score"].to_list() == [1.0, 0.0, -1.0, -1.0, None]


@pytest.fixture(scope="module")
def demo():
    return load_data()


def test_demo_needs_analysis_ranks_every_health_state_of_a_region(demo):
    ranking, kommun_gaps = needs_analysis(demo, regions=["13"], severity={"U01402": 4})
    judged = demo.indicators.filter(
        (pl.col("polarity") != "none") & (pl.col("health_state") == "1")
    )["code"]
    # Indicators published for riket and kommuner only have no regional need row.
    with_region_values = demo.values.filter(
        pl.col("kpi").is_in(judged.implode()), pl.col("area") == "13", pl.col("sex") == "T"
    )["kpi"].n_unique()
    assert ranking.height == with_region_values
    assert sorted(ranking["rank"].to_list())[0] == 1
    assert set(ranking["region"].to_list()) == {"13"}
    smoking = ranking.filter(pl.col("need") == "U01402").row(0, named=True)
    assert smoking["severity"] == 4
    assert set(kommun_gaps["area"].to_list()) <= set(demo.kommuner_of("13"))


def test_background_gini_and_unemployment_are_not_ranked_as_needs(demo):
    ranking, _ = needs_analysis(demo, regions=["01"])
    ranked = set(ranking["need"].to_list())
    # Gini, unemployment and low economic standard describe need groups, not health states.
    assert not ranked & {"N00997", "N03920", "N03921", "N66078", "N01982"}
    assert {"U01402", "N01451"} <= ranked
    # Without the column (a caller's own indicator list) every directed indicator still counts.
    plain = replace(demo, indicators=demo.indicators.drop("health_state"))
    assert "N00997" in set(needs_analysis(plain, regions=["01"])[0]["need"].to_list())


def test_demo_needs_analysis_for_all_regions_ranks_within_each_region(demo):
    ranking, _ = needs_analysis(demo)
    assert ranking["region"].n_unique() == 21
    firsts = ranking.filter(pl.col("rank") == 1)["region"].n_unique()
    assert firsts == 21


def test_demo_needs_analysis_refuses_unknown_regions_and_absolute_targets(demo):
    from halsogap.needs.targets import Target

    with pytest.raises(NeedsInputError, match="okänd region"):
        needs_analysis(demo, regions=["99"])
    with pytest.raises(NeedsInputError, match="absolute"):
        needs_analysis(demo, target=Target.absolute(5))
