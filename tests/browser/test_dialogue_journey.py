"""The population's voice, in headless Chromium: from a needs analysis an analyst records a
focus group that reached a hard-to-reach group in small numbers, and it shows in the analysis
and in its Word document with the small count hidden."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from browser_support import assert_accessible
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SMALL = "Personer med intellektuell funktionsnedsättning"


@pytest.fixture
def analysis(seed):
    from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis

    group = NeedGroup.objects.create(
        region=seed.stockholm, name="Södra kommunerna", area_rule="chosen",
        area_codes=["0127", "0181"],
    )  # fmt: skip
    made = NeedsAnalysis.objects.create(region=seed.stockholm, title="Behovsanalys 2027", year=2027)
    made.need_groups.set([group])
    AnalysisIndicator.objects.create(analysis=made, indicator=seed.kolada_indicator, severity=3)
    return made


def test_analyst_records_a_dialogue_that_shows_in_the_analysis_and_its_document(
    analyst_page: Page, analysis, axe_violations, tmp_path
):
    page = analyst_page
    page.goto(f"/behovsanalys/{analysis.pk}/")
    section = page.locator("#befolkningen")
    expect(section).to_contain_text("Inga dialoger eller enkäter")
    section.get_by_role("link", name="Registrera en dialog för analysens behovsgrupper").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en dialog")
    # Coming from the analysis, its need group is ticked already.
    expect(page.get_by_label("Södra kommunerna")).to_be_checked()
    assert_accessible(page, axe_violations)
    page.get_by_label("Slag").select_option(label="Fokusgrupp")
    page.get_by_label("Datum").fill("2026-09-14")
    page.get_by_label("Rubrik").fill("Rökning och rörelse i Botkyrka")
    page.get_by_label("Vilka dialogen nådde").fill(f"Boende 25–64 år; 18\n{SMALL}")
    page.get_by_role("button", name="Spara").click()
    # A line without a count is refused with its line number, and the form keeps the text.
    expect(page.locator(".errorlist")).to_contain_text('rad 2: förväntade "grupp; antal"')
    page.get_by_label("Vilka dialogen nådde").fill(f"Boende 25–64 år; 18\n{SMALL}; 3")
    page.get_by_label("Svårnådda grupper som deltog").fill(SMALL)
    page.get_by_label("Svårnådda grupper som inte nåddes").fill("Unga män 16–24 år")
    page.get_by_label("Vad som sades").fill("Rökavvänjning på lätt svenska och med bildstöd.")
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(re.compile(rf"/behovsanalys/{analysis.pk}/#befolkningen$"))
    section = page.locator("#befolkningen")
    expect(section).to_contain_text("Fokusgrupp 2026-09-14: Rökning och rörelse i Botkyrka")
    row = section.get_by_role("row", name=SMALL)
    expect(row).to_contain_text("färre än 5")
    expect(section).to_contain_text("Unga män 16–24 år")
    assert_accessible(page, axe_violations)

    with page.expect_download() as download:
        page.get_by_role("link", name="Word (DOCX)", exact=True).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    xml = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("word/document.xml").decode()
    assert "Befolkningens synpunkter" in xml
    assert "Rökavvänjning på lätt svenska och med bildstöd." in xml
    assert "färre än 5" in xml
