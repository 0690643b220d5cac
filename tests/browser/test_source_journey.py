"""An analyst adds a PX-Web table as a source, previews it, runs it, finds the values on the
indicator page, and a second run with one changed value shows it under "what changed".

SCB's PxWebApi 2.0 is answered by respx in the live server's process, in the JSON-stat 2.0
shape of the recorded responses (tests/fixtures/sources/SOURCE.md).
"""

from __future__ import annotations

import httpx
import pytest
import respx
from browser_support import REGION_INDICATOR, assert_accessible, table_rows, values_table
from playwright.sync_api import Page, expect

from tests.sources_support import jsonstat_answer, metadata_answer, selection_of

pytestmark = pytest.mark.browser

BASE = "https://statistikdatabasen.scb.se/api/v2"
CATEGORIES = {
    "Region": {"00": "Riket", "01": "Stockholms län"},
    "ContentsCode": {"FYS150": "Fysiskt aktiva minst 150 minuter"},
    "Tid": {"2023": "2023", "2024": "2024"},
}


def serve(router: respx.Router, values: dict) -> None:
    """SCB's metadata and data routes; the data answers what was asked, by (region, year)."""
    label = "Fysisk aktivitet efter region och år (testdata)"
    router.get(f"{BASE}/tables/TAB9999/metadata").respond(
        json=metadata_answer(CATEGORIES, table="TAB9999", label=label)
    )

    def data(request):
        answer = jsonstat_answer(
            CATEGORIES,
            selection_of(request),
            lambda cell: values.get((cell[0], cell[2])),
            table="TAB9999",
            label=label,
        )
        return httpx.Response(200, json=answer)

    router.post(f"{BASE}/tables/TAB9999/data").mock(side_effect=data)


def test_an_analyst_runs_a_pxweb_source_twice_and_sees_the_changed_value(
    page: Page, analyst_page: Page, axe_violations
):
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()
        router.route(host="localhost").pass_through()
        serve(router, {("00", "2024"): 63.5, ("01", "2024"): 61.2})
        page.goto("/inlasning/")
        page.get_by_role("link", name="Datakällor").click()
        page.get_by_label("Namn").fill("Fysisk aktivitet (SCB)")
        page.get_by_label("Typ av källa").select_option("pxweb2")
        page.get_by_label("Adress").fill(BASE)
        page.get_by_label("Tabell, databas eller KPI:er").fill("TAB9999")
        page.get_by_label("Indikatorkod").fill(REGION_INDICATOR)
        page.get_by_label("Urval").fill("Region: 00, 01\nTid: top(1)")
        page.get_by_role("button", name="Spara källan").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Fysisk aktivitet (SCB)")

        page.get_by_role("link", name="Förhandsgranska").click()
        expect(page.get_by_text("2 värden; de första 2 visas")).to_be_visible()
        expect(page.get_by_text("Källa: SCB (tabell TAB9999)")).to_be_visible()
        assert_accessible(page, axe_violations)

        page.get_by_role("button", name="Kör nu").click()
        expect(page.get_by_role("status")).to_have_text("Klar")
        expect(page.get_by_text("2 nya värden, 0 ändrade, 0 oförändrade.")).to_be_visible()

        page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
        expect(page.locator("main p.source").first).to_contain_text("tabell TAB9999")
        rows = [r[:3] for r in table_rows(values_table(page))]
        assert ["Region Stockholm", "2024", "61,2"] in rows and ["Riket", "2024", "63,5"] in rows

        router.routes.clear()
        router.route(host="127.0.0.1").pass_through()
        router.route(host="localhost").pass_through()
        serve(router, {("00", "2024"): 63.5, ("01", "2024"): 61.9})
        page.goto("/kallor/")
        page.get_by_role("link", name="Fysisk aktivitet (SCB)").click()
        page.get_by_role("button", name="Kör nu").click()
        expect(page.get_by_text("0 nya värden, 1 ändrade, 1 oförändrade.")).to_be_visible()
        changes = page.get_by_role("table", name="Vad ändrades sedan förra gången")
        title = "Fysiskt aktiva minst 150 minuter i veckan, andel (%)"
        assert table_rows(changes) == [
            [title, "Region Stockholm", "2024", "totalt", "61,2", "61,9"]
        ]
        assert_accessible(page, axe_violations)
