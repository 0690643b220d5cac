"""The analyst's journey of issue 2, point 9, in headless Chromium.

Log in through the form, upload a file with errors and read the row-level messages on the job
page, upload a good file, and find the new values on the region overview and the indicator page.
"""

from __future__ import annotations

import re

import pytest
from browser_support import BAD_FILE, GOOD_FILE, REGION_INDICATOR, table_rows, values_table
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ERRORS_SCREENSHOT = "/tmp/halsogap-errors.png"
INDICATOR_SCREENSHOT = "/tmp/halsogap-indicator.png"
BAD = BAD_FILE.name
EXPECTED_ERRORS = [
    f'{BAD}, rad 3, kolumn "area": förväntade en känd SCB-områdeskod '
    '(t.ex. "00" riket, "01" län, "0180" kommun), fick "9999"',
    f'{BAD}, rad 4, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5), fick "ungefär 60"',
    # A national Kolada KPI is not the analyst's to change, so it is not a known target.
    f'{BAD}, rad 5, kolumn "indicator": förväntade en av regionens egna indikatorer (U01402 är '
    "nationell; nationella värden läses bara in av den nationella inläsningen och källorna), "
    'fick "U01402"',
    f'{BAD}, rad 6, kolumn "lower": förväntade högst den övre gränsen ("upper" = 55,0), fick "59,0"',
]


def region_observation_count() -> int:
    from halsogap_web.observations.models import Observation

    return Observation.objects.filter(indicator__code=REGION_INDICATOR).count()


def test_analyst_uploads_bad_then_good_file_and_sees_new_values(
    page: Page, analyst_page: Page, upload, js_errors
):
    # Logged in through the form: the header names the analyst, the menu offers uploads.
    header = page.locator("header.site")
    expect(header).to_contain_text("Test Analytiker, Analytiker, Region Stockholm")
    expect(header.get_by_role("link", name="Läs in data")).to_be_visible()

    # Before any upload the indicator page has only the seeded 2020 values.
    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
    expect(values_table(page)).to_be_visible()
    assert [r[:3] for r in table_rows(values_table(page))] == [
        ["Riket", "2020", "62,0"],
        ["Region Stockholm", "2020", "59,5"],
    ]

    # 1. A file with errors: the job page lists every row-level error, and nothing is saved.
    upload(page, BAD_FILE)
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("status").first).to_have_text(
        re.compile(r"^Avvisad\b.*inget sparades")
    )
    alert = progress.get_by_role("alert")
    expect(alert.get_by_role("heading")).to_have_text("Filen avvisades – ingenting sparades")
    expect(alert.get_by_role("listitem")).to_have_text(EXPECTED_ERRORS)
    expect(alert.get_by_role("link", name="Rätta filen och försök igen")).to_be_visible()
    page.screenshot(path=ERRORS_SCREENSHOT, full_page=True)
    assert region_observation_count() == 2, "a rejected file must not write anything"

    # The one good row of the rejected file (01, 2022, 61,4) did not reach the page either.
    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
    expect(values_table(page)).not_to_contain_text("2022")

    # 2. The good file: the job finishes with nine new values.
    upload(page, GOOD_FILE)
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^Klar\b"))
    expect(progress).to_contain_text("9 nya värden, 0 ändrade, 0 oförändrade.")
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))  # polling has stopped
    assert region_observation_count() == 11

    # 3. The region overview (start page of a member) shows the new latest value.
    page.get_by_role("link", name="Till startsidan").click()
    expect(page).to_have_url(re.compile(r"/region/01/$"))
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name=re.compile("Fysiskt aktiva"))
    )
    expect(row.get_by_role("cell")).to_have_text(
        [
            re.compile(r"Fysiskt aktiva minst 150 minuter i veckan, andel \(%\)\s+opublicerad"),
            "2022",
            "61,4",
            re.compile(r"\+1,9\s+\(sedan 2020\)"),
            "63,8",
            "sämre (95 %)",  # the producer's limits lie wholly below riket
            "Källa: Regionens folkhälsoenkät (testdata) (Region Stockholm)",
        ]
    )

    # 4. The indicator page, reached from the overview, shows the new values in its table.
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/indikator/{REGION_INDICATOR}/\?omrade=01$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Fysiskt aktiva minst 150 minuter i veckan, andel (%)"
    )
    source = "Regionens folkhälsoenkät (testdata) (Region Stockholm)"
    # Columns: area, period, value, 95 % interval, against riket, note, source. The file gave
    # the producer's limits for 2022, so that year is tested; 2020 has none: direction only.
    assert table_rows(values_table(page)) == [
        ["Riket", "2022", "63,8", "63,5–64,1 (producentens)", "", "", source],
        [
            "Region Stockholm",
            "2022",
            "61,4",
            "60,2–62,6 (producentens)",
            "sämre (95 %)",
            "",
            source,
        ],
        ["Riket", "2020", "62,0", "–", "", "", source],
        [
            "Region Stockholm",
            "2020",
            "59,5",
            "–",
            "sämre (ej statistiskt prövat)",
            "",
            source,
        ],
    ]
    # The chart, the by-sex chart and the kommun map are drawn from the same values.
    expect(page.locator("svg.chart")).to_have_count(2)
    expect(page.get_by_role("heading", name="Kommunerna i Region Stockholm, 2022")).to_be_visible()
    expect(page.locator("figure").filter(has=page.locator("svg.map"))).to_contain_text(
        "Högst: Solna (66,8). Lägst: Botkyrka (52,6). 5 av 26 områden har värden."
    )
    page.screenshot(path=INDICATOR_SCREENSHOT, full_page=True)

    # 5. Re-uploading the same file changes nothing.
    upload(page, GOOD_FILE)
    expect(progress).to_contain_text("Samma fil lästes redan in")
    assert region_observation_count() == 11

    assert js_errors == []


def test_wrong_password_is_refused_on_the_login_form(page: Page, analyst):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(analyst.username)
    page.get_by_label("Lösenord").fill("inte-rätt-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/konto/logga-in/$"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("header.site")).to_contain_text("Logga in")


def test_upload_page_needs_a_login(page: Page, seed):
    page.goto("/inlasning/")
    expect(page).to_have_url(re.compile(r"/konto/logga-in/\?next=/inlasning/$"))
