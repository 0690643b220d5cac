"""The equity view: kommuner by socioeconomic quintile and women against men."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap_web.observations.store import write_observations

from .web_support import page_text

KOMMUNER = ["0114", "0115", "0117", "0120", "0123", "0125", "0126", "0127", "0128", "0136"]


@pytest.fixture
def quintile_data(db):
    """Ten Stockholm kommuner: education share rising, smoking falling, equal populations."""
    rows = []
    for i, code in enumerate(KOMMUNER):
        rows.append({"indicator": "N01982", "area": code, "period": "2022", "value": 30.0 + i})
        rows.append({"indicator": "U01402", "area": code, "period": "2022", "value": 12.0 - i})
        for sex in ("K", "M"):
            rows.append(
                {
                    "indicator": "HG_BEFOLKNING",
                    "area": code,
                    "period": "2022",
                    "sex": sex,
                    "age_band": "20-44",
                    "value": 5000.0,
                }
            )
    write_observations(pl.DataFrame(rows), batch_id=None)


def test_kommuner_fall_into_quintiles_with_population_weighted_values(
    client_for, analyst, quintile_data
):
    response = client_for(analyst).get("/indikator/U01402/jamlikhet/?omrade=01&bakgrund=N01982")
    assert response.status_code == 200
    table = response.context["view"].table
    # Quintile 1 (lowest education) holds the two kommuner with the most smoking: 12 and 11.
    assert [row["kommuner"] for row in table] == [2, 2, 2, 2, 2]
    assert table[0]["value"] == pytest.approx(11.5) and table[-1]["value"] == pytest.approx(3.5)
    measures = {m["measure"]: m["value"] for m in response.context["view"].measures}
    assert measures["d"] == pytest.approx(-8.0)
    assert measures["r"] == pytest.approx(3.5 / 11.5)
    text = page_text(response)
    assert "Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))" in text
    assert "Kvintil 1: 11,5" in response.content.decode()


def test_women_and_men_are_compared_with_difference_and_ratio(client_for, analyst):
    response = client_for(analyst).get("/indikator/U01402/jamlikhet/?omrade=01")
    # Session data: Stockholm 2022 women 5,5 %, men 6,1 %.
    sexes = response.context["sexes"]
    assert sexes.difference == pytest.approx(-0.6)
    assert sexes.ratio == pytest.approx(5.5 / 6.1)


def test_the_equity_view_of_an_unpublished_indicator_is_for_its_region_only(
    client_for, outsider, make_indicator, stockholm
):
    make_indicator("RS_EQ", organisation=stockholm, values={("0114", "2022"): 5.0})
    assert client_for(outsider).get("/indikator/RS_EQ/jamlikhet/").status_code == 404
    assert client_for(None).get("/indikator/RS_EQ/jamlikhet/").status_code == 404


def test_a_kommun_is_not_an_equity_area(client_for, analyst):
    assert client_for(analyst).get("/indikator/U01402/jamlikhet/?omrade=0180").status_code == 404
