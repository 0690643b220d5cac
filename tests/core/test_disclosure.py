"""The disclosure rule for observations: primary, implied and complementary suppression."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap.disclosure import (
    REASON_COMPLEMENT,
    REASON_PRODUCER,
    suppress_observations,
)


def frame(rows: list[dict], **columns) -> pl.DataFrame:
    base = {"area": "0115", "period": "2024", "sex": "T", "value": None}
    return pl.DataFrame([base | columns | row for row in rows])


def shown(out: pl.DataFrame, *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r["value"] for r in out.iter_rows(named=True)}


def test_it_suppresses_counts_below_five_with_their_rate_and_limits():
    df = frame(
        [
            {"area": "0114", "numerator": 3.0, "denominator": 22.0, "value": 13.7, "lower": 4.0},
            {"area": "0115", "numerator": 40.0, "denominator": 645.0, "value": 6.2, "lower": 4.5},
        ]
    )
    out = suppress_observations(df, unit="procent")
    hidden = out.row(0, named=True)
    assert (hidden["value"], hidden["numerator"], hidden["lower"]) == (None, None, None)
    assert hidden["denominator"] == 22.0 and hidden["suppressed"]
    assert hidden["suppressed_reason"] == "färre än 5"
    assert out.row(1, named=True)["value"] == 6.2


@pytest.mark.parametrize("unit", ["antal", "personer", "Patienter", "st"])
def test_it_treats_every_count_unit_as_a_count(unit):
    out = suppress_observations(frame([{"value": 4.0}, {"area": "0114", "value": 12.0}]), unit=unit)
    assert out["value"].to_list() == [None, 12.0]


def test_zero_is_shown_because_producers_publish_zero_cells():
    out = suppress_observations(frame([{"value": 0.0}]), unit="antal")
    assert out["value"].to_list() == [0.0] and out["suppressed"].to_list() == [False]


def test_a_rate_with_its_denominator_and_no_numerator_is_hidden_when_it_gives_a_small_count():
    # 17,6 % of 17 people is 3 people.
    df = frame(
        [
            {"value": 17.6, "denominator": 17.0},
            {"area": "0114", "value": 17.6, "denominator": 170.0},
        ]
    )
    out = suppress_observations(df, unit="procent")
    assert out["value"].to_list() == [None, 17.6]


def test_a_row_the_producer_suppressed_loses_its_value_everywhere():
    df = frame([{"value": 42.42, "upper": 50.0, "suppressed": True}])
    out = suppress_observations(df, unit="procent").row(0, named=True)
    assert (out["value"], out["upper"], out["suppressed_reason"]) == (None, None, REASON_PRODUCER)


def test_when_women_are_hidden_men_are_hidden_too_so_total_minus_men_gives_nothing():
    df = frame(
        [{"sex": "T", "value": 12.0}, {"sex": "K", "value": 3.0}, {"sex": "M", "value": 9.0}]
    )
    out = suppress_observations(df, unit="personer")
    assert shown(out, "sex") == {("T",): 12.0, ("K",): None, ("M",): None}
    assert out.filter(pl.col("sex") == "M")["suppressed_reason"][0] == REASON_COMPLEMENT


def test_when_the_total_is_hidden_the_smaller_sex_is_hidden_so_the_sum_gives_nothing():
    df = frame(
        [
            {"sex": "T", "value": 30.0, "suppressed": True},
            {"sex": "K", "value": 14.0},
            {"sex": "M", "value": 16.0},
        ]
    )
    out = suppress_observations(df, unit="personer")
    assert shown(out, "sex") == {("T",): None, ("K",): None, ("M",): 16.0}


def test_a_lone_sex_without_its_complement_needs_no_second_cell():
    df = frame([{"sex": "T", "value": 12.0}, {"sex": "K", "value": 3.0}])
    out = suppress_observations(df, unit="personer")
    assert shown(out, "sex") == {("T",): 12.0, ("K",): None}


def test_a_hidden_kommun_count_takes_the_smallest_other_kommun_with_it():
    df = pl.DataFrame(
        {
            "area": ["01", "0114", "0115", "0117"],
            "parent": ["00", "01", "01", "01"],
            "period": ["2024"] * 4,
            "value": [260.0, 3.0, 57.0, 200.0],
        }
    )
    out = suppress_observations(df, unit="antal")
    assert shown(out, "area") == {
        ("01",): 260.0,
        ("0114",): None,
        ("0115",): None,
        ("0117",): 200.0,
    }


def test_a_region_of_one_kommun_hides_the_region_with_the_kommun():
    df = pl.DataFrame(
        {
            "area": ["09", "0980"],
            "parent": ["00", "09"],
            "period": ["2024"] * 2,
            "value": [4.0, 4.0],
            "numerator": [4.0, 4.0],
            "denominator": [60.0, 60.0],
        }
    )
    out = suppress_observations(df, unit="procent")
    assert out["value"].to_list() == [None, None]


def test_shares_of_kommuner_are_not_treated_as_parts_of_the_region():
    # A kommun's percentage hidden by the producer does not add up to the region's percentage.
    df = pl.DataFrame(
        {
            "area": ["01", "0114", "0115"],
            "parent": ["00", "01", "01"],
            "period": ["2024"] * 3,
            "value": [10.0, 12.0, 9.0],
            "suppressed": [False, True, False],
        }
    )
    out = suppress_observations(df, unit="procent")
    assert out["value"].to_list() == [10.0, None, 9.0]


def test_each_indicator_and_period_is_its_own_whole():
    df = pl.DataFrame(
        {
            "indicator": ["A", "A", "A", "B", "B", "B"],
            "area": ["0115"] * 6,
            "period": ["2024"] * 6,
            "sex": ["T", "K", "M"] * 2,
            "value": [12.0, 3.0, 9.0, 120.0, 60.0, 60.0],
        }
    )
    out = suppress_observations(df, unit="antal")
    assert out.filter(pl.col("indicator") == "B")["suppressed"].to_list() == [False] * 3


def test_the_threshold_is_a_setting():
    out = suppress_observations(frame([{"value": 7.0}]), unit="antal", threshold=10)
    assert out["value"].to_list() == [None]
