"""The needs analysis journey: two need groups, export, a politician's comment, an outsider."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from browser_support import assert_accessible, log_in_as
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Webblasartest-behov-2024"  # test-only accounts in a throwaway database


@pytest.fixture
def people(seed):
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role

    made = {}
    for username, region, role in [
        ("politiker", "Region Stockholm", Role.FORTROENDEVALD),
        ("skane.analytiker", "Region Skåne", Role.ANALYTIKER),
    ]:
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, first_name=username.title()
        )
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(name=region), role=role
        )
        made[username] = username
    return made


def new_group(page: Page, name: str, rule: str, kommuner: list[str] = ()) -> None:
    page.goto("/behovsanalys/behovsgrupp/ny/")
    page.get_by_label("Namn").fill(name)
    page.get_by_label("Områden").select_option(rule)
    for kommun in kommuner:
        page.get_by_label(kommun, exact=True).check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text(name)


def test_analyst_builds_and_exports_a_needs_analysis_that_a_politician_comments(
    analyst_page: Page, people, new_context, axe_violations, tmp_path
):
    page = analyst_page
    new_group(page, "Hela länet", "region")
    new_group(page, "Södra kommunerna", "chosen", ["Botkyrka", "Södertälje", "Nynäshamn"])
    page.goto("/behovsanalys/")
    assert_accessible(page, axe_violations)
    page.get_by_label("Rubrik").fill("Behovsanalys tobak 2027")
    page.get_by_role("button", name="Skapa").click()
    expect(page).to_have_url(re.compile(r"/behovsanalys/\d+/$"))
    page.get_by_label("Hela länet").check()
    page.get_by_label("Södra kommunerna").check()
    page.get_by_role("button", name="Spara urvalet").click()
    page.get_by_label("Indikator").select_option(
        label="Invånare 16-84 år som röker dagligen, andel (%) (U01402)"
    )
    page.get_by_label("Motivering").fill("Rökningen ska ner till bästa regionens nivå")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("heading", name="Behovsgrupp: Hela länet")).to_be_visible()
    expect(page.get_by_role("heading", name="Behovsgrupp: Södra kommunerna")).to_be_visible()
    gap_table = page.locator("table", has_text="Södra kommunerna (totalt)")
    expect(gap_table).to_contain_text("Botkyrka")
    expect(page.locator("main")).to_contain_text("Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))")
    assert_accessible(page, axe_violations)

    url = page.url
    for fmt, check in (("PDF", b"%PDF"), ("Word (DOCX)", b"PK")):
        with page.expect_download() as download:
            page.get_by_role("link", name=fmt, exact=True).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        data = path.read_bytes()
        assert data.startswith(check)
        if fmt.startswith("Word"):
            document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
            assert "Gap kvar att sluta" in document and "Botkyrka" in document

    politician = new_context().new_page()
    log_in_as(politician, people["politiker"], PASSWORD)
    politician.goto(url)
    expect(politician.get_by_role("heading", level=1)).to_have_text("Behovsanalys tobak 2027")
    politician.get_by_label("Kommentar").fill("Viktigt underlag inför budgeten.")
    politician.get_by_role("button", name="Kommentera").click()
    expect(politician.locator("blockquote")).to_contain_text("Viktigt underlag inför budgeten.")
    expect(politician.get_by_role("button", name="Spara urvalet")).to_have_count(0)

    outsider = new_context().new_page()
    log_in_as(outsider, people["skane.analytiker"], PASSWORD)
    response = outsider.goto(url)
    assert response.status == 404
    expect(outsider.locator("main")).not_to_contain_text("Behovsanalys tobak 2027")


def test_ranking_equity_and_cni_pages_are_accessible(analyst_page: Page, axe_violations):
    page = analyst_page
    for path in (
        "/behovsanalys/rangordning/",
        "/indikator/U01402/jamlikhet/?omrade=01",
        "/vardbehov/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, axe_violations)
