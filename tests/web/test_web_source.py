"""The source: "Källa: Kolada/RKA" and the producer wherever Kolada's values appear."""

from __future__ import annotations

import csv
import io

from .web_support import page_text

KOLADA_SOURCE = "Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))"


def test_region_page_names_kolada_and_the_producer(client_for):
    response = client_for(None).get("/region/01/")
    assert response.status_code == 200
    text = page_text(response)
    assert KOLADA_SOURCE in text
    assert "Källa: Kolada/RKA (SCB)" in text  # N00923, produced by SCB


def test_indicator_page_names_kolada_and_the_producer(client_for):
    response = client_for(None).get("/indikator/U01402/?omrade=01")
    text = page_text(response)
    assert KOLADA_SOURCE in text
    # Under each chart and the map, and on every row of the values table.
    assert text.count(KOLADA_SOURCE) >= 3
    table_rows = response.context["view"].table_rows
    assert table_rows
    assert text.count('<td class="source">Kolada/RKA (Folkhälsomyndigheten (HLV))</td>') == len(
        table_rows
    )


def test_csv_export_names_kolada_and_the_producer_on_every_row(client_for):
    response = client_for(None).get("/indikator/U01402/varden.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="U01402.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
    assert len(rows) == 14  # the session's U01402 values
    assert {r["source"] for r in rows} == {KOLADA_SOURCE}


def test_a_regions_own_indicator_names_its_own_source(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator(
        "HG_EGEN_KALLA",
        organisation=stockholm,
        source="Region Stockholms folkhälsoenkät",
        producer="Centrum för epidemiologi",
        values={("01", "2022"): 22.0},
    )
    client = client_for(analyst)
    expected = "Källa: Region Stockholms folkhälsoenkät (Centrum för epidemiologi)"
    assert expected in page_text(client.get("/indikator/HG_EGEN_KALLA/"))
    assert expected in page_text(client.get("/region/01/"))
    assert expected in client.get("/indikator/HG_EGEN_KALLA/varden.csv").content.decode()
