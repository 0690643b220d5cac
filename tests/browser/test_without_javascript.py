"""Pages work without JavaScript: the charts and the map are server-side SVG, forms are forms."""

from __future__ import annotations

import re

import pytest
from browser_support import GOOD_FILE, KOLADA_INDICATOR, REGION_INDICATOR, table_rows, values_table
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def no_js_page(new_context) -> Page:
    return new_context(java_script_enabled=False).new_page()


def test_indicator_page_without_javascript_shows_chart_map_and_table(no_js_page: Page, seed):
    page = no_js_page
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=01")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invånare 16-84 år som röker dagligen, andel (%)"
    )

    chart = page.locator("svg.chart").first
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute("role", "img")
    expect(chart.locator("path")).not_to_have_count(0)  # the lines are drawn

    kommun_map = page.locator("svg.map")
    expect(kommun_map).to_be_visible()
    # One shape per kommun in Stockholms län (each shape is a <path> with its own <title>).
    expect(kommun_map.locator("path")).to_have_count(26)
    expect(
        page.get_by_role("heading", name=re.compile(r"^Kommunerna i Region Stockholm, 20\d\d$"))
    ).to_be_visible()

    table = values_table(page)
    expect(table).to_be_visible()
    rows = table_rows(table)
    assert {r[0] for r in rows} == {"Region Stockholm", "Riket"}
    assert all(r[-1] == "Kolada/RKA (Folkhälsomyndigheten (HLV))" for r in rows)

    # The text alternatives open without JavaScript (native <details>).
    page.get_by_text("Tabell över tid (textalternativ till diagrammet)").click()
    expect(page.locator("details[open] table").first).to_be_visible()

    # The area picker is a plain GET form.
    page.get_by_label("Område").select_option("0180")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(rf"/indikator/{KOLADA_INDICATOR}/\?omrade=0180$"))
    expect(page.locator("svg.chart").first).to_contain_text("Stockholm")
    assert {r[0] for r in table_rows(values_table(page))} == {
        "Stockholm",
        "Region Stockholm",
        "Riket",
    }


def test_analyst_logs_in_uploads_and_reads_values_without_javascript(
    no_js_page: Page, analyst, log_in, upload
):
    page = no_js_page
    log_in(page, analyst)
    upload(page, GOOD_FILE)
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^Klar\b"))
    expect(progress).to_contain_text("9 nya värden")

    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.locator("svg.map")).to_be_visible()
    assert ["Region Stockholm", "2022", "61,4", "60,2–62,6 (producentens)"] in [
        r[:4] for r in table_rows(values_table(page))
    ]
