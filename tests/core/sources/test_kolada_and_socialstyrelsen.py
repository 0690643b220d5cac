"""Kolada v3 and Socialstyrelsen's statistics database against recorded-shape answers."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from halsogap.imports import parse_observations
from halsogap.sources.http import SourceClient, SourceFetchError
from halsogap.sources.kolada import fetch_kolada
from halsogap.sources.socialstyrelsen import fetch_socialstyrelsen

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
KOLADA = "https://api.kolada.se/v3"
SDB = "https://sdb.socialstyrelsen.se/api/v1/sv"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def client(name: str) -> SourceClient:
    return SourceClient(name, http=httpx.Client(), sleep=lambda s: None)


@respx.mock
def test_kolada_pages_are_followed_ids_become_scb_codes_and_nulls_and_groups_are_left_out():
    # The second page's route first: respx takes the first route that matches.
    second = respx.get(f"{KOLADA}/data/kpi/U01402/year/2022", params={"page": "2"})
    second.respond(json=recorded("kolada_v3_U01402_2022_page2.json"))
    first = respx.get(f"{KOLADA}/data/kpi/U01402/year/2022", params={"per_page": "5000"})
    first.respond(json=recorded("kolada_v3_U01402_2022_page1.json"))
    table = fetch_kolada(client("Kolada"), ["U01402"], [2022])
    values = {(r[0], r[1]): r[2] for r in table.frame.select("område", "kön", "värde").rows()}
    assert values == {
        ("00", "T"): "6.2",
        ("00", "K"): "6.4",
        ("00", "M"): "6",
        ("01", "T"): "5.8",
        ("0180", "K"): "5",
        ("0180", "M"): "4.8",
        ("0180", "T"): "4.9",
    }
    assert table.metadata["source"] == "Kolada/RKA" and table.metadata["request"]["years"] == [2022]
    # The rows pass the same import checks as a typed file.
    rows = table.frame.with_row_index("_row").drop("_row")
    csv = rows.write_csv(separator=";").encode()
    parsed = parse_observations(
        csv, "kolada.csv", known_areas={"00", "01", "0180"}, known_indicators={"U01402"}
    )
    assert parsed.ok, parsed.messages()


@respx.mock
def test_a_kolada_refresh_asks_only_for_values_changed_since_the_last_run():
    route = respx.get(f"{KOLADA}/data/kpi/U01402/municipality/0180/year/2021,2022").respond(
        json={"values": [], "next_url": None, "count": 0}
    )
    table = fetch_kolada(
        client("Kolada"),
        ["U01402"],
        [2021, 2022],
        municipalities=["0180"],
        updated_since="2026-11-01",
    )
    assert route.calls.last.request.url.params["from_date"] == "2026-11-01"
    assert table.frame.height == 0


@respx.mock
def test_kolada_splits_more_than_25_kpis_into_several_calls():
    kpis = [f"N{n:05d}" for n in range(30)]
    route = respx.get(url__regex=rf"{KOLADA}/data/kpi/.*").respond(
        json={"values": [], "next_url": None, "count": 0}
    )
    fetch_kolada(client("Kolada"), kpis, [2022])
    paths = [call.request.url.path for call in route.calls]
    assert len(paths) == 2 and all(len(p.split("/")[4].split(",")) <= 25 for p in paths)


@respx.mock
def test_socialstyrelsens_values_with_decimal_comma_become_rows_and_empty_ones_do_not():
    respx.get(f"{SDB}/dodsorsaker/alder").respond(
        json=[{"id": 18, "text": "85+"}, {"id": 19, "text": "Alla åldrar"}]
    )
    route = respx.get(
        f"{SDB}/dodsorsaker/resultat/matt/2/diagnos/I21/region/0,1/kon/1,2,3/alder/19/ar/2023"
    ).respond(json=recorded("sdb_dodsorsaker_I21.json"))
    selection = {"matt": [2], "diagnos": ["I21"], "region": [0, 1], "kon": [1, 2, 3]}
    selection |= {"alder": [19], "ar": [2023]}
    table = fetch_socialstyrelsen(
        client("Socialstyrelsen"), "dodsorsaker", selection, indicator="HJINF"
    )
    assert route.called
    assert table.frame.select("område", "kön", "åldersgrupp", "värde").rows() == [
        ("00", "T", "", "134.86"),
        ("01", "M", "", "150.2"),
    ]
    assert table.metadata["source"] == "Socialstyrelsen"


def test_socialstyrelsen_needs_a_measure_before_anything_is_asked():
    with pytest.raises(SourceFetchError, match="välj ett mått"):
        fetch_socialstyrelsen(
            client("Socialstyrelsen"), "dodsorsaker", {"ar": [2023]}, indicator="X"
        )


@respx.mock
def test_a_page_that_points_back_to_itself_is_refused_instead_of_read_for_ever():
    url = f"{KOLADA}/data/kpi/U01402/year/2022"
    respx.get(url).respond(json={"values": [], "next_url": f"{url}?page=1", "count": 0})
    with pytest.raises(SourceFetchError, match="kom tillbaka i sidväxlingen"):
        fetch_kolada(client("Kolada"), ["U01402"], [2022])
