"""Health gaps: sign convention, limits, persons, reasons, trend, and need-group population."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import NO_AGE_RANGE, load_data, population_for
from halsogap.needs.gaps import gap_trend, health_gaps
from halsogap.needs.pipeline import needs_analysis
from halsogap.needs.population import age_range_from_title, age_range_of, population_for_ages
from halsogap.needs.targets import Target, resolve_target

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "needs" / "gaps"


def current(**columns) -> pl.DataFrame:
    base = {"area": ["01", "13"], "value": [8.0, 4.0]}
    base.update(columns)
    return pl.DataFrame(base)


def test_gap_is_desired_minus_current_and_gap_to_close_is_positive_when_worse_lower_better():
    out = health_gaps(current(), desired=5.0, polarity="lower_better", unit="procent")
    assert out.select("area", "gap", "gap_to_close", "status", "at_or_better").rows() == [
        ("01", -3.0, 3.0, "sämre än målet", False),
        ("13", 1.0, -1.0, "bättre än målet", True),
    ]


def test_gap_to_close_is_positive_when_worse_higher_better():
    out = health_gaps(
        current(value=[70.0, 95.0]), desired=90.0, polarity="higher_better", unit="procent"
    )
    assert out.select("gap", "gap_to_close", "status").rows() == [
        (20.0, 20.0, "sämre än målet"),
        (-5.0, -5.0, "bättre än målet"),
    ]


def test_area_exactly_at_target_is_marked_as_reaching_it():
    out = health_gaps(current(value=[5.0, 4.0]), desired=5.0, polarity="lower_better", unit="%")
    assert out.select("status", "at_or_better").row(0) == ("når målet", True)


def test_gap_limits_come_from_the_current_values_limits():
    out = health_gaps(
        current(
            lower_95=[7.0, 3.5], upper_95=[9.0, 4.5], lower_99_8=[6.5, 3.0], upper_99_8=[9.5, 5]
        ),
        desired=5.0,
        polarity="lower_better",
        unit="procent",
    )
    row = out.row(0, named=True)
    assert (row["gap_lower_95"], row["gap"], row["gap_upper_95"]) == (-4.0, -3.0, -2.0)
    assert (row["gap_to_close_lower_95"], row["gap_to_close_upper_95"]) == (2.0, 4.0)
    assert (row["gap_lower_99_8"], row["gap_upper_99_8"]) == (-4.5, -1.5)


def test_gap_is_distinguishable_from_zero_only_when_desired_is_outside_the_95_interval():
    out = health_gaps(
        current(lower_95=[7.0, 3.0], upper_95=[9.0, 5.5]),
        desired=5.0,
        polarity="lower_better",
        unit="procent",
    )
    assert out["distinguishable"].to_list() == [True, False]
    assert out["distinguishable_reason"].to_list() == [None, None]


def test_without_limits_distinguishability_is_unknown_with_a_reason():
    out = health_gaps(current(), desired=5.0, polarity="lower_better", unit="procent")
    assert out["distinguishable"].to_list() == [None, None]
    assert out["distinguishable_reason"][0] == "konfidensintervall saknas för nuvärdet"


def test_persons_for_a_percentage_is_abs_gap_times_population_over_100():
    pop = pl.DataFrame({"area": ["01", "13"], "population": [1_000_000, 200_000]})
    out = health_gaps(
        current(), desired=5.0, polarity="lower_better", unit="procent", population=pop
    )
    assert out["persons"].to_list() == [30_000.0, 2_000.0]
    assert out["persons_reason"].to_list() == [None, None]


def test_persons_for_a_rate_per_100_000_divides_by_100_000():
    pop = pl.DataFrame({"area": ["01", "13"], "population": [1_000_000, 200_000]})
    out = health_gaps(
        current(value=[250.0, 150.0]),
        desired=200.0,
        polarity="lower_better",
        unit="per 100 000 invånare",
        population=pop,
    )
    assert out["persons"].to_list() == [500.0, 100.0]


def test_other_units_get_no_persons_figure_but_a_reason():
    pop = pl.DataFrame({"area": ["01", "13"], "population": [1_000_000, 200_000]})
    out = health_gaps(
        current(value=[82.0, 84.0]),
        desired=84.0,
        polarity="higher_better",
        unit="år",
        population=pop,
    )
    assert out["persons"].to_list() == [None, None]
    assert out["persons_reason"][0] == "enheten 'år' kan inte räknas om till personer"


def test_missing_population_gives_a_swedish_reason_never_a_zero():
    out = health_gaps(current(), desired=5.0, polarity="lower_better", unit="procent")
    assert out["persons"].to_list() == [None, None]
    assert out["persons_reason"][0] == (
        "befolkning för behovsgruppen saknas (ingen befolkning angiven)"
    )
    pop = pl.DataFrame({"area": ["01"], "population": [1_000_000]})
    partial = health_gaps(
        current(), desired=5.0, polarity="lower_better", unit="procent", population=pop
    )
    assert partial["persons"].to_list() == [30_000.0, None]
    assert partial["persons_reason"].to_list() == [None, "befolkning saknas för området"]


def test_missing_current_or_desired_gives_reasons_and_no_gap():
    desired = pl.DataFrame({"area": ["01", "13"], "desired": [5.0, None]})
    out = health_gaps(
        current(value=[None, 4.0]), desired=desired, polarity="lower_better", unit="procent"
    )
    assert out["gap"].to_list() == [None, None]
    assert out["reason"].to_list() == ["nuvärde saknas", "målvärde saknas"]
    assert out["status"].to_list() == [None, None]


def test_relative_gap_is_the_relative_change_still_needed():
    out = health_gaps(current(), desired=6.0, polarity="lower_better", unit="procent")
    assert out["relative_gap"].to_list() == [0.25, -0.5]


def test_gaps_per_need_group_join_desired_and_population_on_sex():
    cur = pl.DataFrame({"area": ["01", "01"], "sex": ["K", "M"], "value": [8.0, 6.0]})
    desired = pl.DataFrame({"sex": ["K", "M"], "desired": [5.0, 4.0]})
    pop = pl.DataFrame({"area": ["01", "01"], "sex": ["K", "M"], "population": [100, 200]})
    out = health_gaps(
        cur, desired=desired, polarity="lower_better", unit="procent", population=pop, by="sex"
    )
    assert out.select("sex", "gap_to_close", "persons").rows() == [("K", 3.0, 3.0), ("M", 2.0, 4.0)]


def test_target_descriptions_and_warnings_travel_from_resolve_target_to_the_gap_table():
    values = pl.DataFrame({"area": ["01", "13"], "year": [2022, 2022], "value": [8.0, 4.0]})
    desired = resolve_target(Target.best(1), values=values, polarity="lower_better")
    out = health_gaps(
        values.select("area", "value"),
        desired=desired.drop("current"),
        polarity="lower_better",
        unit="procent",
    )
    assert out["target"].to_list() == ["lika bra som den bästa regionen"] * 2
    assert out["desired"].to_list() == [4.0, 4.0]


def test_gap_needs_a_polarity_and_unique_rows():
    with pytest.raises(NeedsInputError, match="polaritet"):
        health_gaps(current(), desired=5.0, polarity="none", unit="procent")
    with pytest.raises(NeedsInputError, match="more than one"):
        health_gaps(
            pl.DataFrame({"area": ["01", "01"], "value": [1.0, 2.0]}),
            desired=5.0,
            polarity="lower_better",
            unit="procent",
        )


def test_hand_worked_fixture_matches():
    # tests/fixtures/needs/gaps/hand_worked.csv was computed by hand (see its header comment).
    with (FIXTURES / "hand_worked.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(line for line in handle if not line.startswith("#"))]
    cur = pl.DataFrame(
        {
            "area": [r["area"] for r in rows],
            "value": [float(r["current"]) for r in rows],
            "lower_95": [float(r["lower_95"]) for r in rows],
            "upper_95": [float(r["upper_95"]) for r in rows],
        }
    )
    pop = pl.DataFrame(
        {"area": [r["area"] for r in rows], "population": [int(r["population"]) for r in rows]}
    )
    out = health_gaps(cur, desired=5.0, polarity="lower_better", unit="procent", population=pop)
    for row, got in zip(rows, out.iter_rows(named=True), strict=True):
        assert got["gap"] == pytest.approx(float(row["gap"]), abs=1e-12)
        assert got["gap_to_close"] == pytest.approx(float(row["gap_to_close"]), abs=1e-12)
        assert got["persons"] == pytest.approx(float(row["persons"]), rel=1e-12)
        assert str(got["distinguishable"]) == row["distinguishable"]
        assert got["status"] == row["status"]


# --- over time ----------------------------------------------------------------------------


def history(values, years=(2018, 2019, 2020, 2021, 2022), area="01") -> pl.DataFrame:
    return pl.DataFrame({"area": [area] * len(values), "year": list(years), "value": values})


def test_gap_trend_closing_gives_pace_per_year_and_the_year_it_closes():
    out = gap_trend(history([10.0, 9.5, 9.0, 8.5, 8.0]), desired=5.0, polarity="lower_better")
    row = out.row(0, named=True)
    assert (row["gap_latest"], row["pace_per_year"], row["closing"]) == (3.0, 0.5, True)
    assert row["closes_year"] == 2028
    assert row["status"] == "gapet minskar"
    assert row["pace_lower_95"] == pytest.approx(0.5) == row["pace_upper_95"]


def test_gap_trend_rounds_the_closing_year_up_to_a_whole_year():
    out = gap_trend(history([9.0, 8.6, 8.2, 7.8, 7.4]), desired=5.0, polarity="lower_better")
    # 2.4 left at 0.4 a year is 6 years: 2028; not 2027.
    assert out["closes_year"][0] == 2028


def test_gap_trend_widening_has_no_closing_year():
    out = gap_trend(history([6.0, 6.5, 7.0, 7.5, 8.0]), desired=5.0, polarity="lower_better")
    assert out.select("closing", "closes_year", "status").row(0) == (False, None, "gapet ökar")
    assert out["pace_per_year"][0] == pytest.approx(-0.5)


def test_gap_trend_for_higher_is_better_closes_when_values_rise():
    out = gap_trend(history([80.0, 82.0, 84.0, 86.0, 88.0]), desired=90.0, polarity="higher_better")
    assert out.select("pace_per_year", "closes_year").row(0) == (2.0, 2023)


def test_gap_trend_already_at_target_is_reached_without_a_closing_year():
    out = gap_trend(history([6.0, 5.5, 5.0, 4.5, 4.0]), desired=5.0, polarity="lower_better")
    assert out.select("status", "closes_year").row(0) == ("målet nått", None)


def test_gap_trend_uses_only_the_last_n_periods_with_real_year_spacing():
    # Old rising values are outside the last five points; 2019 is missing (a survey gap).
    years = (2010, 2011, 2016, 2017, 2018, 2020, 2021)
    out = gap_trend(
        history([1.0, 2.0, 10.0, 9.0, 8.0, 6.0, 5.0], years), desired=3.0, polarity="lower_better"
    )
    row = out.row(0, named=True)
    assert (row["first_period"], row["last_period"], row["points"]) == (2016, 2021, 5)
    assert row["pace_per_year"] == pytest.approx(1.0)


def test_gap_trend_with_too_few_points_says_so():
    out = gap_trend(history([8.0, 7.0], (2021, 2022)), desired=5.0, polarity="lower_better")
    assert out.select("status", "closing", "pace_per_year").row(0) == (
        "för få mätpunkter",
        None,
        None,
    )


def test_gap_trend_per_area_and_sex_with_a_desired_frame():
    hist = pl.concat(
        [
            history([10.0, 9.0, 8.0], (2020, 2021, 2022)).with_columns(sex=pl.lit("K")),
            history([6.0, 7.0, 8.0], (2020, 2021, 2022)).with_columns(sex=pl.lit("M")),
        ]
    )
    desired = pl.DataFrame({"sex": ["K", "M"], "desired": [5.0, 5.0]})
    out = gap_trend(hist, desired=desired, polarity="lower_better", by="sex")
    assert out.select("sex", "status", "closes_year").rows() == [
        ("K", "gapet minskar", 2025),
        ("M", "gapet ökar", None),
    ]


# --- need-group population ------------------------------------------------------------------

BANDS = ["0-5", "6-15", "16-19", "20-44", "45-64", "65-79", "80+"]


def population_frame(missing: str | None = None) -> pl.DataFrame:
    rows = [
        ("13", 2022, sex, band, 10 * (i + 1) + (1 if sex == "M" else 0))
        for sex in ("K", "M")
        for i, band in enumerate(BANDS)
        if not (missing and sex == "M" and band == missing)
    ]
    return pl.DataFrame(
        rows, schema=["area", "year", "sex", "age_band", "population"], orient="row"
    )


def test_population_16_84_is_approximated_by_the_16_plus_bands_including_80_plus():
    out = population_for_ages(population_frame(), age_from=16, age_to=84)
    # K: 30+40+50+60+70 = 250; M: one more per band = 255.
    assert out.select("sex", "population", "ages").rows() == [
        ("K", 250, "16+"),
        ("M", 255, "16+"),
        ("T", 505, "16+"),
    ]
    assert out["age_bands"][0] == "16-19, 20-44, 45-64, 65-79, 80+"


def test_population_16_84_can_instead_leave_out_80_plus():
    out = population_for_ages(population_frame(), age_from=16, age_to=84, partial="exclude")
    assert out.filter(pl.col("sex") == "T").select("population", "ages").row(0) == (
        364,
        "16-79",
    )  # 180 + 184


def test_population_refuses_a_closed_band_that_would_badly_overstate_the_group():
    with pytest.raises(NeedsInputError, match="20-44 only partly covers"):
        population_for_ages(population_frame(), age_from=16, age_to=24)


def test_population_with_a_missing_band_is_missing_not_smaller():
    out = population_for_ages(population_frame(missing="45-64"), age_from=16, age_to=84)
    assert out.select("sex", "population").rows() == [("K", 250), ("M", None), ("T", None)]


def test_age_range_is_read_from_kolada_titles():
    assert age_range_from_title("Invånare 16-84 år som röker dagligen, andel (%)") == (16, 84)
    assert age_range_from_title("Incidens av hjärtinfarkter, åldersstandardiserat 20+ år") == (
        20,
        None,
    )
    assert age_range_from_title("MPR-vaccinerade 2-åringar, andel (%)") is None


def test_an_age_range_stated_only_in_the_description_still_counts_persons():
    # U01405 (self-rated health) names its samples, 16–84 and 18–84 år, in the description only.
    demo = load_data()
    info = demo.indicator("U01405")
    assert age_range_from_title(info["title"]) is None
    assert age_range_of(info["title"], info["description"]) == (16, 84)
    ranking, _ = needs_analysis(demo, regions=["13"])
    row = ranking.filter(pl.col("need") == "U01405").row(0, named=True)
    assert row["gap_to_close"] > 0 and row["gap_persons"] > 0


def test_without_any_age_range_no_persons_are_counted_and_the_reason_is_given():
    demo = load_data()
    population, _, why = population_for(
        demo, {"title": "Ohälsotal, dagar", "description": "Antal dagar"}, 2022, "T"
    )
    assert population is None and why == NO_AGE_RANGE
