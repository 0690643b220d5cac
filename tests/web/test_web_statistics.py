"""Limits, benchmarks and trend markers on the pages, computed from counts where there are any."""

from __future__ import annotations

import csv
import io

import polars as pl

from halsogap.stats import proportion

from .web_support import page_text

YEARS = ["2018", "2019", "2020", "2021", "2022"]


def counts_indicator(make_indicator, stockholm):
    """A region indicator with counts: riket steady at 20 %, Stockholm falling from 30 % to 10 %,
    Solna (0184) close to the region."""
    values = {}
    for i, year in enumerate(YEARS):
        values[("00", year)] = {"value": 20.0, "numerator": 20_000.0, "denominator": 100_000.0}
        share = 30 - 5 * i
        values[("01", year)] = {
            "value": float(share),
            "numerator": share * 100.0,
            "denominator": 10_000.0,
        }
        values[("0184", year)] = {"value": 10.0, "numerator": 100.0, "denominator": 1_000.0}
    return make_indicator(
        "RS_ANDEL",
        organisation=stockholm,
        values=values,
        polarity="lower_better",
        title="Andel med testvana",
    )


def test_limits_are_computed_from_counts_with_wilson(
    client_for, analyst, make_indicator, stockholm
):
    counts_indicator(make_indicator, stockholm)
    response = client_for(analyst).get("/indikator/RS_ANDEL/varden.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    row = next(r for r in rows if r["area"] == "01" and r["period"] == "2022")
    expected = proportion(
        pl.DataFrame({"numerator": [1000.0], "denominator": [10000.0]}), multiplier=100
    )
    assert float(row["lower_95"]) == expected["lower_95"][0]
    assert float(row["upper_99_8"]) == expected["upper_99_8"][0]
    assert row["limits_source"] == "beräknad"


def test_region_is_better_than_riket_and_the_trend_is_falling_and_getting_better(
    client_for, analyst, make_indicator, stockholm
):
    counts_indicator(make_indicator, stockholm)
    response = client_for(analyst).get("/indikator/RS_ANDEL/?omrade=01")
    rows = {(r["area"], r["period"]): r for r in response.context["view"].table_rows}
    assert rows[("01", "2022")]["vs_riket"] == "bättre"
    assert rows[("01", "2018")]["vs_riket"] == "sämre"
    trends = dict(response.context["view"].trends)
    assert trends["Region Stockholm"] == "minskar och blir bättre"
    assert trends["Riket"] == "ingen säker förändring"
    assert "minskar och blir bättre" in page_text(response)


def test_a_kommun_is_compared_with_riket_and_with_its_region(
    client_for, analyst, make_indicator, stockholm
):
    counts_indicator(make_indicator, stockholm)
    response = client_for(analyst).get("/indikator/RS_ANDEL/?omrade=0184")
    rows = {(r["area"], r["period"]): r for r in response.context["view"].table_rows}
    # Solna 10 % (100 of 1 000): far below riket's 20 %, the same as the region's 10 % in 2022.
    assert rows[("0184", "2022")]["vs_riket"] == "bättre"
    assert rows[("0184", "2022")]["vs_region"] == "ingen säker skillnad"
    assert rows[("0184", "2018")]["vs_region"] == "bättre"
    assert "Jämfört med Region Stockholm" in page_text(response)


def test_the_region_page_tests_the_difference_when_there_are_limits(
    client_for, analyst, make_indicator, stockholm
):
    counts_indicator(make_indicator, stockholm)
    response = client_for(analyst).get("/region/01/")
    row = next(r for r in response.context["rows"] if r.indicator.code == "RS_ANDEL")
    assert row.judgement == "bättre (95 %)"
    kolada = next(r for r in response.context["rows"] if r.indicator.code == "U01402")
    assert "(95 %)" not in kolada.judgement


def test_without_limits_only_the_direction_is_given_and_marked_untested(client_for, analyst):
    response = client_for(analyst).get("/indikator/U01402/?omrade=01")
    rows = [r for r in response.context["view"].table_rows if r["area"] == "01"]
    assert {r["vs_riket_tested"] for r in rows} == {False}
    assert all(r["vs_riket_text"].endswith("(ej statistiskt prövat)") for r in rows)
    trend = dict(response.context["view"].trends)["Region Stockholm"]
    assert trend.endswith("(ej statistiskt prövad)")


def test_the_region_page_and_the_indicator_page_say_the_same_about_riket(client_for, analyst):
    """One comparison rule: the region page's judgement is the indicator page's latest row."""
    client = client_for(analyst)
    region = client.get("/region/01/")
    for line in region.context["rows"]:
        if line.period is None:
            continue
        page = client.get(f"/indikator/{line.indicator.code}/?omrade=01")
        row = next(
            r
            for r in page.context["view"].table_rows
            if r["area"] == "01" and r["period"] == line.period
        )
        assert line.judgement == row["vs_riket_text"], line.indicator.code


def test_a_suppressed_count_leaves_no_limits_behind(client_for, analyst, make_indicator, stockholm):
    make_indicator(
        "RS_LITEN",
        organisation=stockholm,
        values={("01", "2022"): {"value": 0.3, "numerator": 3.0, "denominator": 1000.0}},
    )
    response = client_for(analyst).get("/indikator/RS_LITEN/varden.csv")
    row = next(csv.DictReader(io.StringIO(response.content.decode()), delimiter=";"))
    assert (row["value"], row["lower_95"], row["upper_95"], row["numerator"]) == ("", "", "", "")
    assert row["suppressed"] == "True"
