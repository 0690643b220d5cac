"""PX-Web connectors against recorded and recorded-shape responses (no network).

The single-cell TAB638 answer is SCB's real response (tests/fixtures/sources/SOURCE.md); the
metadata and the generated answers for larger selections follow the same JSON-stat 2.0 shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from halsogap.sources.http import SourceClient, SourceFetchError
from halsogap.sources.pxweb import PxWebSelection, fetch_pxweb_v1, fetch_pxweb_v2
from tests.sources_support import jsonstat_answer, metadata_answer, selection_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
BASE = "https://statistikdatabasen.scb.se/api/v2"
CATEGORIES = {
    "Region": {"00": "Riket", "01": "Stockholms län", "0180": "Stockholm"},
    "Civilstand": {"OG": "ogifta", "G": "gifta"},
    "Alder": {"0": "0 år", "1": "1 år"},
    "Kon": {"1": "män", "2": "kvinnor"},
    "ContentsCode": {"BE0101N1": "Folkmängd"},
    "Tid": {"2022": "2022", "2023": "2023", "2024": "2024"},
}


def dataset(selected: dict[str, list[str]]) -> dict:
    """An answer for a selection, with a value that encodes its cell."""
    return jsonstat_answer(
        CATEGORIES, selected, lambda cell: sum(int(c) if c.isdigit() else len(c) for c in cell)
    )


def metadata() -> dict:
    return metadata_answer(CATEGORIES)


def client(**kwargs) -> SourceClient:
    pauses = kwargs.pop("pauses", [])
    return SourceClient("SCB", http=httpx.Client(), sleep=pauses.append, **kwargs)


@respx.mock
def test_scbs_recorded_answer_for_one_cell_is_read_with_the_request_kept():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata())
    recorded = json.loads((FIXTURES / "v2_TAB638_data_jsonstat2.json").read_text())
    data = respx.post(f"{BASE}/tables/TAB638/data").respond(json=recorded)
    wanted = {"Region": ["00"], "Civilstand": ["OG"], "Alder": ["0"], "Kon": ["1"]}
    wanted |= {"ContentsCode": ["BE0101N1"], "Tid": ["top(1)"]}
    table = fetch_pxweb_v2(client(), BASE, PxWebSelection("TAB638", wanted))
    assert table.frame.select("indikator", "område", "period", "kön", "värde").rows() == [
        ("BE0101N1", "00", "2024", "M", "50937")
    ]
    assert selection_of(data.calls.last.request)["Tid"] == ["2024"]
    assert data.calls.last.request.url.params["outputFormat"] == "json-stat2"
    assert table.metadata["table"] == "TAB638" and table.metadata["calls"] == 1
    assert table.metadata["request"]["selection"]["Tid"] == ["top(1)"]
    assert table.metadata["fetched_at"]


@respx.mock
def test_a_selection_larger_than_the_cell_limit_is_split_and_every_cell_arrives_once():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata())
    data = respx.post(f"{BASE}/tables/TAB638/data").mock(
        side_effect=lambda request: httpx.Response(200, json=dataset(selection_of(request)))
    )
    wanted = {"Region": ["*"], "Kon": ["1", "2"], "Tid": ["2023", "2024"]}
    table = fetch_pxweb_v2(
        client(), BASE, PxWebSelection("TAB638", wanted, indicator="BEF"), max_cells=4
    )
    sizes = []
    for call in data.calls:
        asked = selection_of(call.request)
        sizes.append(len(asked["Region"]) * len(asked["Kon"]) * len(asked["Tid"]))
    assert len(data.calls) == 3 and max(sizes) <= 4
    keys = table.frame.select("område", "kön", "period").rows()
    assert len(keys) == 12 and len(set(keys)) == 12
    assert set(table.frame["indikator"]) == {"BEF"}


@respx.mock
def test_a_refusal_carries_the_sources_own_words_and_is_not_retried():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata())
    data = respx.post(f"{BASE}/tables/TAB638/data").respond(
        400, json={"title": "Bad Request", "detail": "Ogiltigt värde för variabeln Kon"}
    )
    with pytest.raises(SourceFetchError, match="HTTP 400: Bad Request – Ogiltigt värde"):
        fetch_pxweb_v2(client(), BASE, PxWebSelection("TAB638", {"Kon": ["1"]}))
    assert data.call_count == 1


@respx.mock
def test_a_timeout_and_a_busy_answer_are_retried_after_growing_pauses():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata())
    data = respx.post(f"{BASE}/tables/TAB638/data").mock(
        side_effect=[
            httpx.ReadTimeout("timeout"),
            httpx.Response(429, text="Too many requests"),
            httpx.Response(200, json=dataset({"Kon": ["2"]})),
        ]
    )
    pauses: list[float] = []
    table = fetch_pxweb_v2(client(pauses=pauses), BASE, PxWebSelection("TAB638", {"Kon": ["2"]}))
    assert data.call_count == 3 and pauses == [1.0, 2.0]
    assert table.frame["kön"].to_list() == ["K"]


@respx.mock
def test_a_source_that_stays_down_gives_up_with_what_it_last_said():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(503, text="Underhåll pågår")
    with pytest.raises(SourceFetchError, match="HTTP 503: Underhåll pågår; gav upp efter 4 försök"):
        fetch_pxweb_v2(client(), BASE, PxWebSelection("TAB638", {"Kon": ["1"]}))


@respx.mock
def test_an_unknown_code_in_the_selection_is_named_before_any_data_call():
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata())
    data = respx.post(f"{BASE}/tables/TAB638/data")
    with pytest.raises(SourceFetchError, match='koden "1999" finns inte i variabeln "Tid"'):
        fetch_pxweb_v2(client(), BASE, PxWebSelection("TAB638", {"Tid": ["1999"]}))
    assert data.call_count == 0


FOHM = "https://fohm-app.folkhalsomyndigheten.se/Folkhalsodata/api/v1/sv/A_Folkhalsodata/B_HLV/x/tobakdagyreg.px"


@respx.mock
def test_folkhalsodata_v1_is_asked_for_json_stat2_and_fills_the_interval():
    variables = [
        {
            "code": "Region",
            "text": "Region",
            "values": ["00", "01"],
            "valueTexts": ["Riket", "Stockholms län"],
        },
        {
            "code": "Kön",
            "text": "Kön",
            "values": ["00", "01", "02"],
            "valueTexts": ["Totalt", "Kvinnor", "Män"],
        },
        {
            "code": "År",
            "text": "År",
            "values": ["2019-2022"],
            "valueTexts": ["2019-2022"],
            "time": True,
        },
        {
            "code": "Andel och konfidensintervall",
            "text": "Andel och konfidensintervall",
            "values": ["01", "02", "03", "04"],
            "valueTexts": ["Andel", "KI nedre", "KI övre", "Antal svar"],
        },
    ]
    respx.get(FOHM).respond(json={"title": "Tobaksrökning", "variables": variables})
    answer = json.loads((FIXTURES / "folkhalsodata_rokning.json").read_text())
    data = respx.post(FOHM).respond(json=answer)
    wanted = {
        "Region": ["*"],
        "Kön": ["*"],
        "År": ["top(1)"],
        "Andel och konfidensintervall": ["*"],
    }
    table = fetch_pxweb_v1(client(), FOHM, PxWebSelection("tobakdagyreg", wanted, indicator="ROK"))
    body = json.loads(data.calls.last.request.content)
    assert body["response"] == {"format": "json-stat2"}
    assert body["query"][0] == {
        "code": "Region",
        "selection": {"filter": "item", "values": ["00", "01"]},
    }
    riket = table.frame.filter((table.frame["område"] == "00") & (table.frame["kön"] == "T")).row(
        0, named=True
    )
    assert (riket["värde"], riket["nedre"], riket["övre"], riket["nämnare"]) == (
        "6",
        "5.7",
        "6.3",
        "90000",
    )
    assert table.metadata["source"] == "Folkhälsomyndigheten"
    assert table.metadata["table"] == "tobakdagyreg"
