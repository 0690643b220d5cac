"""Journeys of the annual wheel and the HFS network's self-evaluation and action plan."""

from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, log_in_as
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Webblasartest-natverk-2024"  # test-only accounts in a throwaway database


@pytest.fixture
def members(seed):
    """An HFS-processledare in Stockholm and one in Skåne, and the shipped definition."""
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role
    from halsogap_web.selfevaluation.demo import ensure_default_definition

    ensure_default_definition()
    users = {}
    for username, region in [("hfs.stockholm", "Region Stockholm"), ("hfs.skane", "Region Skåne")]:
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(
            user=user,
            organisation=Organisation.objects.get(name=region),
            role=Role.HFS_PROCESSLEDARE,
        )
        users[region] = username
    return users


def test_analyst_starts_the_wheel_and_sees_the_current_step(analyst_page: Page, axe_violations):
    page = analyst_page
    page.get_by_role("link", name="Årshjul").first.click()
    page.get_by_role("button", name="Starta årshjulet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Årshjul")
    status = page.locator(".wheel-now")
    expect(status).to_contain_text(re.compile(r"Nu:|Näst på tur:|Inget steg pågår"))
    expect(page.locator("svg.wheel")).to_be_visible()
    expect(page.locator("ol.steps > li")).to_have_count(9)
    assert_accessible(page, axe_violations)
    page.goto("/region/01/")
    expect(page.locator("#wheel-heading")).to_contain_text("Årshjulet")


def test_hfs_evaluates_drafts_an_action_plan_and_exports_it_and_skane_sees_only_means(
    new_context, members, axe_violations, tmp_path
):
    stockholm = new_context(accept_downloads=True).new_page()
    log_in_as(stockholm, members["Region Stockholm"], PASSWORD)
    stockholm.goto("/sjalvevaluering/")
    stockholm.get_by_role("button", name="Starta").click()
    expect(stockholm).to_have_url(re.compile(r"/sjalvevaluering/\d+/$"))
    assert_accessible(stockholm, axe_violations)

    scores = [3, 8, 6, 2, 9, 7, 5, 4, 8, 6, 7, 9, 3, 5]
    selects = stockholm.locator("fieldset.statement select")
    expect(selects).to_have_count(14)
    for select, score in zip(selects.all(), scores, strict=True):
        select.select_option(str(score))
    # The answers save as they change (htmx); the first one says so.
    expect(stockholm.locator("fieldset.statement .saved").first).to_contain_text("Sparat")
    # The comment saves on change too; let that save finish before the form is sent, as a
    # person leaving the field would, so that the two writes do not meet in the test database.
    with stockholm.expect_response(lambda r: "/svar/" in r.url):
        stockholm.get_by_label("Kommentar").first.fill("Intern kommentar: styrgruppen saknas")
        stockholm.get_by_label("Kommentar").first.blur()
    stockholm.get_by_role("button", name="Spara och slutför").click()

    expect(stockholm).to_have_url(re.compile(r"/profil/$"))
    expect(stockholm.locator("svg.chart")).to_have_count(2)
    expect(stockholm.get_by_role("heading", name=re.compile("Utvecklingsområden"))).to_be_visible()
    assert_accessible(stockholm, axe_violations)
    stockholm.get_by_role("button", name="Dela profilen med nätverket").click()
    stockholm.get_by_role("button", name="Skapa utkast till handlingsplan").click()
    expect(stockholm).to_have_url(re.compile(r"/handlingsplaner/\d+/$"))
    expect(stockholm.locator("section.focus-area")).not_to_have_count(0)
    assert_accessible(stockholm, axe_violations)
    with stockholm.expect_download() as download:
        stockholm.get_by_role("link", name="Exportera PDF").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    skane = new_context().new_page()
    log_in_as(skane, members["Region Skåne"], PASSWORD)
    skane.goto("/sjalvevaluering/")
    skane.get_by_role("button", name="Starta").click()
    skane.locator("fieldset.statement select").first.select_option("5")
    skane.get_by_role("button", name="Spara och slutför").click()
    comparison = skane.locator("table", has_text="Region Stockholm")
    expect(comparison).to_be_visible()
    expect(skane.locator("main")).not_to_contain_text("styrgruppen saknas")
