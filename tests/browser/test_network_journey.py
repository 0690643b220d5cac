"""The network level in headless Chromium: the secretariat adds a follow-up question to the
year's self-evaluation, the process leaders of two regions answer it, and the secretariat's
summary shows both answers, on the follow-up page and on the network's overview."""

from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, log_in_as
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Nätverk-i-webbläsaren-5521"
QUESTION = "Hur väl är processledarens uppdrag förankrat i ledningen?"


@pytest.fixture
def people(seed):
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role

    User = get_user_model()
    made = {}
    for username, organisation, role in (
        ("sekretariatet", "HFS-nätverket", Role.SEKRETARIAT),
        ("pl.stockholm", "Region Stockholm", Role.HFS_PROCESSLEDARE),
        ("pl.skane", "Region Skåne", Role.HFS_PROCESSLEDARE),
    ):
        user = User.objects.create_user(username, password=PASSWORD, first_name=username)
        Membership.objects.create(
            user=user, organisation=Organisation.objects.get(name=organisation), role=role
        )
        made[username] = user
    return made


def _answer(page: Page, username: str, score: str, comment: str, axe_violations) -> None:
    log_in_as(page, username, PASSWORD)
    page.get_by_role("link", name="Självevaluering", exact=True).click()
    page.get_by_role("link", name="Besvara följefrågorna").click()
    question = page.get_by_role("region", name=QUESTION)
    expect(question).to_contain_text("Inte besvarad ännu")
    assert_accessible(page, axe_violations)
    question.get_by_label("Svar").select_option(score)
    question.get_by_label("Kommentar (frivillig)").fill(comment)
    question.get_by_role("button", name="Spara svaret").click()
    expect(page.locator(".messages")).to_contain_text("Svaret är sparat")
    expect(page.get_by_role("region", name=QUESTION)).to_contain_text("Besvarad")


def test_secretariat_adds_a_follow_up_question_two_regions_answer_the_summary_shows_both(
    page: Page, new_context, people, axe_violations
):
    year = timezone.localdate().year
    log_in_as(page, "sekretariatet", PASSWORD)
    # The secretariat holds no region: it lands on the network's overview.
    expect(page).to_have_url(re.compile(r"/natverket/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("HFS-nätverket")
    assert_accessible(page, axe_violations)
    page.get_by_role("link", name="Följefrågor och alla svar").click()
    expect(page.get_by_label("Självevalueringens år")).to_have_value(str(year))
    page.get_by_label(re.compile(r"^Fråga")).fill(QUESTION)
    page.get_by_label("Svarstyp").select_option(label="Skattning 1–10")
    page.get_by_role("button", name="Lägg till följefrågan").click()
    expect(page.locator(".messages")).to_contain_text(f"självevalueringen för {year}")
    expect(page.get_by_role("region", name=QUESTION)).to_contain_text("Inga svar ännu")
    assert_accessible(page, axe_violations)

    for username, score, comment in (
        ("pl.stockholm", "8", "Förankrat i hälso- och sjukvårdsnämnden."),
        ("pl.skane", "5", "Saknar mandat i ledningsgruppen."),
    ):
        other = new_context().new_page()
        _answer(other, username, score, comment, axe_violations)

    page.reload()
    summary = page.get_by_role("region", name=QUESTION)
    expect(summary).to_contain_text("Medel 6,5 av 10 (2 regioner)")
    expect(summary.get_by_role("row", name=re.compile("Region Stockholm"))).to_contain_text(
        "Förankrat i hälso- och sjukvårdsnämnden."
    )
    expect(summary.get_by_role("row", name=re.compile("Region Skåne"))).to_contain_text("5")
    page.get_by_role("link", name="Tillbaka till nätverkets översikt").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(QUESTION)))).to_contain_text(
        "Alla har svarat"
    )
    assert_accessible(page, axe_violations)
