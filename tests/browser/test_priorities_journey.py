"""Priority setting journey: measures for two needs, weights, allocation, decision, public page."""

from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, log_in_as
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Webblasartest-prio-2024"  # test-only accounts in a throwaway database


@pytest.fixture
def prepared(seed):
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role
    from halsogap_web.needs.models import NeedGroup
    from halsogap_web.priorities.demo import load_catalogue

    load_catalogue()
    stockholm = Organisation.objects.get(name="Region Stockholm")
    for name in ("Vuxna som röker", "Vuxna som är inaktiva"):
        NeedGroup.objects.create(region=stockholm, name=name, area_rule="region")
    users = {}
    for username, region, role in [
        ("politiker", "Region Stockholm", Role.FORTROENDEVALD),
        ("skane.politiker", "Region Skåne", Role.FORTROENDEVALD),
    ]:
        get_user_model().objects.create_user(username, password=PASSWORD)
        Membership.objects.create(
            user=get_user_model().objects.get(username=username),
            organisation=Organisation.objects.get(name=region),
            role=role,
        )
        users[region] = username
    return users


def add_measure(page: Page, code: str, title: str, cost: str, effect: str) -> None:
    page.goto("/prioritering/atgarder/")
    form = page.locator("form", has=page.get_by_role("button", name="Spara"))
    form.get_by_label("Kod").fill(code)
    form.get_by_label(re.compile(r"^Åtgärd:?$")).fill(title)
    form.get_by_label("Typ").select_option("preventive")
    form.get_by_label("Perspektiv").select_option("individual")
    form.get_by_label("Engångskostnad (kr)").fill(cost)
    form.get_by_label("Hälsovinst per nådd person (QALY)").fill(effect)
    form.get_by_label("Antal personer som nås").fill("1000")
    form.get_by_label("Källa").fill("Regionens skattning")
    form.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text(code)


def assess(page: Page, group: str, indicator: str, measure: str, severity: str) -> None:
    page.goto("/prioritering/")
    page.get_by_label("Behovsgrupp").select_option(label=group)
    page.get_by_label("Behov (indikator)").select_option(label=indicator)
    page.get_by_label(re.compile(r"^Åtgärd:?$")).select_option(label=measure)
    page.get_by_label("Svårighetsgrad").select_option(severity)
    page.get_by_label("Patientnytta").select_option("stor")
    page.get_by_label("Kostnad per QALY").select_option("låg")
    page.get_by_label(re.compile(r"^Evidens:?$")).select_option("måttlig")
    page.get_by_role("button", name="Bedöm").click()
    expect(page.locator(".messages")).to_contain_text("föreslagen rang")


def test_from_measures_to_a_published_decision(
    analyst_page: Page, prepared, new_context, axe_violations
):
    page = analyst_page
    add_measure(page, "RS-ROK", "Rökavvänjning", "1500000", "0.02")
    add_measure(page, "RS-FYS", "Fysisk aktivitet på recept", "1000000", "0.01")
    assess(
        page,
        "Vuxna som röker",
        "Invånare 16-84 år som röker dagligen, andel (%) (U01402)",
        "Rökavvänjning (RS-ROK)",
        "mycket stor",
    )
    assess(
        page,
        "Vuxna som är inaktiva",
        "Invånare 16-84 år som är fysiskt aktiva minst 150 min/vecka, andel (%) (U01429)",
        "Fysisk aktivitet på recept (RS-FYS)",
        "måttlig",
    )
    expect(page.locator("table")).to_contain_text("Rökavvänjning")
    assert_accessible(page, axe_violations)

    politician = new_context().new_page()
    log_in_as(politician, prepared["Region Stockholm"], PASSWORD)
    politician.goto("/prioritering/horisontell/")
    politician.get_by_label(re.compile("Svårighetsgrad")).fill("1")
    politician.get_by_role("button", name="Räkna om").click()
    expect(politician.locator("table").first).to_contain_text("Vuxna som röker")
    assert_accessible(politician, axe_violations)

    politician.goto("/prioritering/fordelning/")
    politician.get_by_label("Budget (kr)").fill("2000000")
    politician.get_by_role("button", name="Fördela").click()
    expect(politician.get_by_role("status").first).to_contain_text("Optimal")
    assert_accessible(politician, axe_violations)
    politician.get_by_label("Beslutande organ").fill("Hälso- och sjukvårdsnämnden")
    politician.get_by_label("Beslutsdatum").fill("2026-11-20")
    politician.get_by_label("Beslutade av").fill("Nämndens ledamöter")
    politician.get_by_label("Motivering").fill("Rökning först: störst svårighetsgrad.")
    politician.get_by_role("button", name="Registrera beslut").click()
    expect(politician.get_by_role("heading", level=1)).to_contain_text("version 1")

    public = new_context().new_page()
    public.goto("/region/01/prioriteringar/")
    public.get_by_role("link", name=re.compile("Version 1")).click()
    expect(public.locator("main")).to_contain_text("Rökning först: störst svårighetsgrad.")
    expect(public.locator("main")).to_contain_text("Rökavvänjning")
    assert_accessible(public, axe_violations)

    outsider = new_context().new_page()
    log_in_as(outsider, prepared["Region Skåne"], PASSWORD)
    from halsogap_web.priorities.models import PriorityDecision

    decision = PriorityDecision.objects.get()
    assert outsider.goto(f"/prioritering/beslut/{decision.pk}/").status == 404
    assert PriorityDecision.objects.get().rationale == "Rökning först: störst svårighetsgrad."
