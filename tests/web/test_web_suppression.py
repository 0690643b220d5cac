"""Small-number suppression: a count below the threshold (5) is never shown, on any path."""

from __future__ import annotations

import csv
import io
import re

import pytest

from .web_support import page_text

COUNT = "HG_FALL"
RATE = "HG_ANDEL"


@pytest.fixture(autouse=True)
def threshold(settings):
    """The default disclosure threshold, whatever the environment says."""
    settings.HALSOGAP_DISCLOSURE_THRESHOLD = 5


@pytest.fixture
def counts(make_indicator):
    """A national count indicator (unit "antal"): Region Stockholm had 3 cases in 2022.

    The other values avoid the digit 3, so that "3" cannot turn up by accident.
    """
    return make_indicator(
        COUNT,
        organisation=None,
        is_published=True,
        title="Fall av testsjukdom",
        unit="antal",
        kind="register",
        values={
            ("00", "2021"): 1250,
            ("00", "2022"): 1260,
            ("01", "2021"): 120,
            ("01", "2022"): {"value": 3, "lower": 1, "upper": 8},
            ("01", "2022", "K"): 2,
            ("01", "2022", "M"): 1,
            ("0180", "2021"): 5,
            ("0180", "2022"): 3,
            ("0114", "2022"): 0,
            ("12", "2022"): 96,
        },
    )


@pytest.fixture
def rate(make_indicator):
    """A share built on a numerator of 2 for Region Stockholm 2022."""
    return make_indicator(
        RATE,
        organisation=None,
        is_published=True,
        title="Andel med testsjukdom",
        unit="procent",
        values={
            ("00", "2022"): {"value": 12.0, "numerator": 1200, "denominator": 10000},
            ("01", "2022"): {"value": 17.7, "numerator": 2, "denominator": 11},
            ("01", "2021"): {"value": 8.4, "numerator": 42, "denominator": 500},
        },
    )


def _csv(client, code) -> list[dict]:
    response = client.get(f"/indikator/{code}/varden.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))


def _row(rows, area, period, sex="T"):
    return next(r for r in rows if (r["area"], r["period"], r["sex"]) == (area, period, sex))


def _values_section(text: str) -> str:
    match = re.search(r'<section aria-labelledby="values-heading">(.*?)</section>', text, re.S)
    assert match
    return match.group(1)


def _words(text: str) -> str:
    """The page without the charts' drawing, but with their titles and descriptions.

    Axis tick labels are derived from the shown values only, and could contain "3,0" by
    chance (693,0), so they are left out.
    """
    described = re.findall(r"<(?:title|desc)[^>]*>(.*?)</(?:title|desc)>", text, re.S)
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S) + "\n".join(described)


def _numbers(html: str) -> set[str]:
    """Every number written in the page's text (not in its markup), as written."""
    texts = " ".join(re.findall(r">([^<]*)<", html))
    return set(re.findall(r"(?<![\w,.\xa0−-])\d[\d\xa0]*(?:,\d+)?(?![\w,])", texts))


def _table_cells(section: str, area_name: str, period: str) -> str:
    match = re.search(
        rf"<tr><td>{re.escape(area_name)}</td><td>{period}</td>(.*?)</tr>", section, re.S
    )
    assert match, (area_name, period)
    return match.group(1)


def test_count_of_three_is_never_shown_on_the_indicator_page(client_for, counts):
    response = client_for(None).get(f"/indikator/{COUNT}/?omrade=01")
    assert response.status_code == 200
    text = page_text(response)
    values = _values_section(text)
    cells = _table_cells(values, "Region Stockholm", "2022")
    assert "Undertryckt" in cells
    assert ">3<" not in cells and "1–8" not in cells  # nor the limits that would betray it
    assert ">120<" in _table_cells(values, "Region Stockholm", "2021")
    # Nowhere in the words of the page: tables, text alternatives, chart descriptions.
    assert "3" not in _numbers(_words(text))
    rows = {r["area"]: r for r in response.context["view"].table_rows if r["period"] == "2022"}
    assert (rows["01"]["value"], rows["01"]["lower_95"], rows["01"]["suppressed"]) == (
        None,
        None,
        True,
    )
    assert rows["00"]["value"] == 1260
    by_period = dict(response.context["view"].series_rows["rows"])
    assert by_period["2022"] == ["–", "1\xa0260"]
    assert all(v == "–" for v in dict(response.context["view"].sex_rows["rows"])["2022"])


def test_count_of_three_is_never_shown_on_a_kommun_page_or_map(client_for, counts):
    response = client_for(None).get(f"/indikator/{COUNT}/?omrade=0180")
    text = page_text(response)
    assert "Undertryckt" in _table_cells(_values_section(text), "Stockholm", "2022")
    map_rows = {r["code"]: r["value"] for r in response.context["view"].map_rows}
    assert map_rows["0180"] == "–"
    assert map_rows["0114"] == "0"  # zero is published, as SCB does; counts are whole
    assert ">5<" in _table_cells(_values_section(text), "Stockholm", "2021")  # 5 is shown


def test_count_of_three_is_blank_and_flagged_in_the_csv(client_for, counts):
    rows = _csv(client_for(None), COUNT)
    stockholm = _row(rows, "01", "2022")
    assert stockholm["value"] == ""
    assert stockholm["lower_95"] == "" and stockholm["upper_95"] == ""
    assert stockholm["suppressed"] == "True"
    assert _row(rows, "01", "2022", "K")["value"] == ""
    assert _row(rows, "01", "2022", "M")["value"] == ""
    assert _row(rows, "0180", "2022")["value"] == ""
    assert _row(rows, "0180", "2021")["value"] == "5.0"
    assert _row(rows, "0180", "2021")["suppressed"] == "False"
    assert _row(rows, "0114", "2022")["value"] == "0.0"
    assert _row(rows, "01", "2021")["value"] == "120.0"
    assert not any(r["value"] in {"3", "3.0", "2.0", "1.0"} for r in rows)


def test_count_of_three_is_never_shown_on_the_region_page(client_for, analyst, counts):
    for client in [client_for(None), client_for(analyst)]:
        response = client.get("/region/01/")
        row = next(r for r in response.context["rows"] if r.indicator.code == COUNT)
        assert row.period == "2022"
        assert row.value is None
        assert row.change is None  # 3 − 120 would give the count away
        assert row.difference is None
        html = page_text(response)
        line = re.search(rf"<tr>\s*<td><a href=\"/indikator/{COUNT}/.*?</tr>", html, re.S)
        assert line
        assert "3,0" not in line.group(0)
        assert "117" not in line.group(0)


def test_numerator_of_two_is_blanked_in_the_csv(client_for, rate):
    rows = _csv(client_for(None), RATE)
    small = _row(rows, "01", "2022")
    assert small["numerator"] == ""
    assert small["value"] == ""  # the share would give the numerator away with the denominator
    assert small["suppressed"] == "True"
    big = _row(rows, "01", "2021")
    assert (big["numerator"], big["value"], big["suppressed"]) == ("42.0", "8.4", "False")


def test_numerator_of_two_hides_the_rate_on_the_pages(client_for, rate):
    client = client_for(None)
    page = page_text(client.get(f"/indikator/{RATE}/?omrade=01"))
    assert "17,7" not in page
    assert "Undertryckt" in _table_cells(_values_section(page), "Region Stockholm", "2022")
    region = client.get("/region/01/")
    row = next(r for r in region.context["rows"] if r.indicator.code == RATE)
    assert row.value is None and row.change is None
