"""The assignment journey: from a need to a decided, accepted and followed-up assignment."""

from __future__ import annotations

import re

import pytest
from browser_support import assert_accessible, log_in_as
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Webblasartest-uppdrag-2024"  # test-only accounts in a throwaway database


@pytest.fixture
def world(seed, analyst):
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role
    from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis
    from halsogap_web.observations.models import Indicator

    stockholm = Organisation.objects.get(name="Region Stockholm")
    rinkeby = Organisation.objects.get(name="Vårdcentral Rinkeby (demo)")
    group = NeedGroup.objects.create(region=stockholm, name="Hela länet", area_rule="region")
    analysis = NeedsAnalysis.objects.create(region=stockholm, title="Behovsanalys 2027", year=2027)
    analysis.need_groups.add(group)
    AnalysisIndicator.objects.create(
        analysis=analysis, indicator=Indicator.objects.get(code="U01402")
    )
    Indicator.objects.create(
        code="RS_SAMTAL",
        title="Genomförda rökavvänjningssamtal, antal",
        unit="antal",
        kind="activity",
        polarity="higher_better",
        source="Vårdcentralens verksamhetsdata",
        organisation=stockholm,
    )
    users = {}
    for username, org, role in [
        ("politiker", stockholm, Role.FORTROENDEVALD),
        ("utforare", rinkeby, Role.UTFORARE),
        ("skane", Organisation.objects.get(name="Region Skåne"), Role.ANALYTIKER),
    ]:
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, first_name=username.title()
        )
        Membership.objects.create(user=user, organisation=org, role=role)
        users[username] = username
    return {"analysis": analysis, "users": users}


def test_need_to_followed_up_assignment(
    analyst_page: Page, world, new_context, axe_violations, tmp_path
):
    page = analyst_page
    page.goto(f"/behovsanalys/{world['analysis'].pk}/")
    page.get_by_role("link", name="Skriv ett uppdrag för behovet").first.click()
    page.get_by_label("Rubrik").fill("Rökavvänjning i Rinkeby")
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.get_by_role("heading", name="Inte uppföljningsbart än")).to_be_visible()
    assert_accessible(page, axe_violations)

    def add(summary: str, fields: dict, selects: dict) -> None:
        page.locator("details", has_text=summary).evaluate("d => { d.open = true; }")
        form = page.locator("details", has_text=summary).locator("form")
        for label, value in fields.items():
            form.get_by_label(label).fill(value)
        for label, value in selects.items():
            form.get_by_label(label).select_option(label=value)
        form.get_by_role("button", name="Lägg till").click()

    add(
        "Lägg till mottagare",
        {"Ansvar": "Erbjuder samtalen"},
        {"Mottagare": "Vårdcentral Rinkeby (demo)"},
    )
    add("Lägg till mål", {"Mål": "Färre som röker dagligen"}, {"Typ": "Långsiktigt mål"})
    page.locator("details", has_text="uppföljningsplanen").evaluate("d => { d.open = true; }")
    form = page.locator("details", has_text="uppföljningsplanen").locator("form")
    form.get_by_label(re.compile(r"^Mål:?$")).select_option(label="Färre som röker dagligen")
    form.get_by_label("Indikator").select_option(
        label="Genomförda rökavvänjningssamtal, antal (RS_SAMTAL)"
    )
    form.get_by_label(re.compile(r"^Typ:?$")).select_option("effect")
    form.get_by_label("Utgångsvärde").fill("0")
    form.get_by_label("Utgångsperiod").fill("2025")
    form.get_by_label("Målvärde").fill("200")
    form.get_by_label("Måldatum").fill("2027-12-31")
    form.get_by_label("Källa").fill("Vårdcentralens verksamhetsdata")
    form.get_by_label("Frekvens").fill("kvartal")
    form.get_by_label("Rapporteras av").select_option(label="Vårdcentral Rinkeby (demo)")
    form.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("heading", name="Uppföljningsbart")).to_be_visible()
    page.get_by_role("button", name="Skicka till dialog").click()
    page.get_by_role("button", name="Lägg fram som förslag").click()
    url = page.url

    politician = new_context().new_page()
    log_in_as(politician, world["users"]["politiker"], PASSWORD)
    politician.goto(url)
    politician.get_by_label("Beslutande organ").fill("Hälso- och sjukvårdsnämnden")
    politician.get_by_label("Beslutsdatum").fill("2026-11-20")
    politician.get_by_label("Beslutat av").fill("Nämnden")
    politician.get_by_role("button", name="Besluta uppdraget").click()
    expect(politician.locator("[aria-current=step]")).to_contain_text("Beslut")

    provider = new_context().new_page()
    log_in_as(provider, world["users"]["utforare"], PASSWORD)
    provider.goto(url)
    provider.get_by_label("Accepteras genom").select_option("agreement")
    provider.get_by_role("button", name="Acceptera uppdraget").click()
    expect(provider.locator("main")).to_contain_text("Överenskommelse")
    provider.get_by_role("link", name="Rapportera").first.click()
    provider.get_by_label("Period").fill("2026K1")
    provider.get_by_label(re.compile("Värde för RS_SAMTAL")).fill("40")
    provider.get_by_role("button", name="Rapportera", exact=True).click()
    bad = tmp_path / "rapport.csv"
    bad.write_text("indikator;period;värde;kommentar\nRS_SAMTAL;2026K2;x;\n", encoding="utf-8")
    provider.get_by_label("Fil").set_input_files(bad)
    provider.get_by_role("button", name="Ladda upp").click()
    expect(provider.get_by_role("alert")).to_contain_text('rapport.csv, rad 2, kolumn "värde"')
    good = tmp_path / "rapport2.csv"
    good.write_text(
        "indikator;period;värde;kommentar\nRS_SAMTAL;2026K2;95;Bra fart\n", encoding="utf-8"
    )
    provider.get_by_label("Fil").set_input_files(good)
    provider.get_by_role("button", name="Ladda upp").click()
    expect(provider.locator("main")).to_contain_text("Bra fart")
    assert_accessible(provider, axe_violations)

    page.goto(url + "uppfoljning/")
    expect(page.locator(".trace")).to_contain_text("Invånare 16-84 år som röker dagligen")
    expect(page.locator("main")).to_contain_text("Status:")
    assert_accessible(page, axe_violations)

    outsider = new_context().new_page()
    log_in_as(outsider, world["users"]["skane"], PASSWORD)
    assert outsider.goto(url).status == 404
    assert outsider.goto(url + "uppfoljning/").status == 404
