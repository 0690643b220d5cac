"""The politician's thread: a target set by an elected official, a priority decision that keeps
its weights, an assignment followed up for its need group, and one trace of the need.

The claims about what the pages show are collected rather than stopped at, so that one run
names every link of the thread that does not hold (with a screenshot under /tmp/journey_shots/).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from browser_support import assert_accessible, log_in_as, table_rows
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Webblasartest-politiker-2024"  # test-only accounts in a throwaway database
SHOTS = Path("/tmp/journey_shots")
LOW_EDUCATION = ["0127", "0181", "0191", "0188", "0192", "0140"]  # Botkyrka … Nykvarn
GROUP = "Kommuner med lägst utbildningsnivå"
SMOKING = "Invånare 16-84 år som röker dagligen, andel (%)"
ASSIGNMENT = "Rökfri vardag i utsatta kommuner"
#: The weights the politician moves to, far from the defaults (30, 30, 20, 10, 10).
WEIGHTS = {"Behovets storlek": "10", "Svårighetsgrad": "50", "Ojämlikhet": "10"}
WEIGHTS |= {"Kostnadseffektivitet": "10", "Kunskapsunderlag": "20"}
#: The decision as the committee records it.
DECISION = {"Beslutande organ": "Hälso- och sjukvårdsnämnden", "Beslutsdatum": "2026-11-20"}
DECISION |= {"Paragraf": "14", "Diarienummer": "HSN 2026-0412", "Beslutade av": "Nämnden"}
DECISION |= {"Motivering": "Alkoholen först: störst svårighetsgrad."}
#: Words of the code or of Django's English defaults that must never reach a Swedish reader.
ENGLISH = re.compile(
    r"\b(None|True|False|nan|null|undefined|draft|dialogue|proposal|follow_up|effect|Submit)\b"
)


class Findings:
    """The claims that did not hold, each with its page and a screenshot."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, page: Page, ok: bool, claim: str) -> None:
        if ok:
            return
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"politicians_thread_{len(self.failures) + 1}.png"
        page.screenshot(path=str(shot), full_page=True)
        self.failures.append(f"{claim}\n    at {page.url} (screenshot {shot})")

    def swedish_page(self, page: Page) -> None:
        """No English UI word on the page, and no number cell left empty."""
        text = page.locator("main").inner_text()
        leaked = sorted(set(ENGLISH.findall(text)))
        self.check(page, not leaked, f"English words on the page: {leaked}")
        empty = page.locator("main td.num").evaluate_all(
            "cells => cells.filter(c => !c.innerText.trim()).map(c => c.closest('tr').innerText)"
        )
        self.check(page, not empty, f"Empty number cells in the rows: {empty}")


# --------------------------------------------------------------------------------------------
# The data set: the seed plus alcohol values, population, groups, needs and assessments
# --------------------------------------------------------------------------------------------


def _load_alcohol_and_population() -> None:
    """Alcohol values (a second need) and the population that weighs the group's kommuner."""
    from halsogap_web.observations.demo import demo_dir
    from halsogap_web.observations.store import write_observations

    kolada = demo_dir() / "kolada"
    wanted = pl.col("area").is_in(["00", "01"]) | pl.col("area").str.contains(r"^01\d\d$")
    alcohol = pl.read_parquet(kolada / "values.parquet").filter(pl.col("kpi") == "U01404")
    population = pl.read_parquet(kolada / "population.parquet").filter(pl.col("year") >= 2020)
    population = population.rename({"population": "value"})
    rows = pl.concat(
        [
            alcohol.rename({"kpi": "indicator"}),
            population.with_columns(indicator=pl.lit("HG_BEFOLKNING")),
        ],
        how="diagonal_relaxed",
    ).filter(wanted)
    period = pl.col("year").cast(pl.Utf8).alias("period")
    write_observations(
        rows.with_columns(period, pl.col("value").cast(pl.Float64)).drop("year"), batch_id=None
    )


def _users(region) -> dict:
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Organisation, Role

    users = {}
    for username, organisation, role in [
        ("politiker", region, Role.FORTROENDEVALD),
        ("utforare", Organisation.objects.get(name="Vårdcentral Rinkeby (demo)"), Role.UTFORARE),
    ]:
        user = get_user_model().objects.create_user(
            username, password=PASSWORD, first_name=username.title(), last_name="Test"
        )
        Membership.objects.create(user=user, organisation=organisation, role=role)
        users[username] = user
    users["analytiker"] = get_user_model().objects.get(username="test.analytiker")
    return users


@pytest.fixture
def thread(seed, analyst) -> dict:
    """Two need groups, an analysis with two needs whose targets the analyst proposed, two
    measures and three assessments, all made through the forms the demo goes through."""
    from halsogap_web.demo import steering as s

    _load_alcohol_and_population()
    region, users = seed.stockholm, _users(seed.stockholm)
    by = users["analytiker"]
    whole = {"name": "Hela länet", "area_rule": "region", "sex": "T"}
    chosen = {"name": GROUP, "area_rule": "chosen", "area_codes": LOW_EDUCATION, "sex": "T"}
    groups = [s.need_group(region, f"t:{g['name']}", g, by=by) for g in (whole, chosen)]
    fields = {"title": "Behovsanalys 2027", "year": 2027, "optimal_method": "best_region"}
    analysis = s.analysis(region, "t:analysis", fields, by=by)
    analysis.need_groups.set(groups)
    # Alcohol is the graver need until the politician gives smoking a target with a gap.
    best = {"target_kind": "best", "best_n": 1, "target_rationale": "Förslag."}
    needs = {
        code: s.need(analysis, code, code, best | {"severity": sev}, by=by, approves=False)
        for code, sev in (("U01402", 3), ("U01404", 4))
    }
    _priorities(region, groups, by)
    return {"region": region, "analysis": analysis, "needs": needs, "users": users}


def _priorities(region, groups, by) -> None:
    """Smoking in the group and in the whole region, and alcohol in the whole region."""
    from halsogap_web.demo import steering as s
    from halsogap_web.observations.models import Indicator
    from halsogap_web.priorities.demo import load_catalogue

    load_catalogue()
    measures = {}
    for key, base, cost in (("tobak", "LV-TOB-01", "1800000"), ("alkohol", "LV-ALK-01", "1500000")):
        data = {"code": f"RS-{key}", "evidence": "måttlig", "cost_yearly": cost, "reach": "2000"}
        data |= {"uptake": "0,5", "effect_per_person": "0,04", "source": s.DEMO_NOTE}
        measures[key] = s.measure(region, f"t:measure:{key}", base, data, by=by)
    whole, chosen = groups
    for group, code, measure, severity, benefit, evidence in [
        (chosen, "U01402", "tobak", "stor", "måttlig", "måttlig"),
        (whole, "U01402", "tobak", "måttlig", "måttlig", "måttlig"),
        (whole, "U01404", "alkohol", "mycket stor", "stor", "hög"),
    ]:
        data = {"need_group": group.pk, "measure": measures[measure].pk, "cost_band": "låg"}
        data |= {"indicator": Indicator.objects.get(code=code).pk, "severity": severity}
        data |= {"benefit": benefit, "evidence": evidence, "criteria": ""}
        s.assessment(region, f"t:assessment:{group.pk}:{code}", data, by=by)


def _quarter(today: date, back: int) -> str:
    """The quarter ``back`` quarters before the current one (1 = the last that has ended)."""
    index = today.year * 4 + (today.month - 1) // 3 - back
    return f"{index // 4}K{index % 4 + 1}"


def _plan(today: date) -> tuple[list[dict], dict]:
    """The follow-up plan and its reports: the effect line takes its baseline from the data,
    140 + 185 talks in the last two quarters meet a yearly 300, and the interpreter talks
    were last reported six quarters before the current one."""
    first, last, old = _quarter(today, 2), _quarter(today, 1), _quarter(today, 6)
    effect = {"goal": "long", "indicator": "U01402", "role": "effect", "source": "Kolada/RKA"}
    effect |= {"frequency": "årligen", "period_kind": "år", "reporter": "Region Stockholm"}
    effect |= {"target": "5,0", "target_date": f"{today.year + 3}-12-31"}
    process = {"goal": "short", "role": "process", "source": "Utförarens data", "baseline": "0"}
    process |= {"frequency": "kvartal", "period_kind": "kvartal", "aggregation": "sum"}
    process |= {"reporter": "Vårdcentral Rinkeby (demo)"}
    talks = {"indicator": "RS_SAMTAL", "baseline_period": str(int(first[:4]) - 1)}
    talks |= {"target": "300", "target_date": f"{last[:4]}-12-31"}
    stale = {"indicator": "RS_TOLK", "baseline_period": str(int(old[:4]) - 1), "target": "100"}
    stale |= {"target_date": f"{today.year + 1}-12-31"}
    reports = {
        "RS_SAMTAL": [(first, 140.0, "Fler språk."), (last, 185.0, "Fler remisser.")],
        "RS_TOLK": [(old, 20.0, "Tolk anlitad.")],
    }
    return [effect, process | talks, process | stale], reports


def make_assignment(thread: dict, decision):
    """The assignment for the need group, decided, accepted and reported on."""
    from django.utils import timezone

    from halsogap_web.assignments.models import Step
    from halsogap_web.demo import steering as s
    from halsogap_web.priorities.models import Measure

    region, users, today = thread["region"], thread["users"], timezone.localdate()
    for code, title in [("RS_SAMTAL", "Rådgivande samtal om tobak"), ("RS_TOLK", "Tolksamtal")]:
        data = {"code": code, "title": f"{title}, antal", "description": title, "unit": "antal"}
        data |= {"polarity": "higher_better", "kind": "activity", "source": "Utförarens data"}
        s.activity_indicator(region, f"t:indicator:{code}", data | {"producer": "Region"})
    plan, reports = _plan(today)
    analyst, provider = users["analytiker"], users["utforare"]
    need = thread["needs"]["U01402"]
    fields = {"title": ASSIGNMENT, "description": "Samtal om tobak.", "budget": "1800000"}
    fields |= {"time_plan": "Tre år", "perspective": "population", "kind": "preventive"}
    spec = {
        "fields": fields,
        "group": need.analysis.need_groups.get(name=GROUP),
        "needs": [need],
        "measures": [Measure.objects.get(code="RS-tobak")],
        "decision": decision,
        "recipients": [("Vårdcentral Rinkeby (demo)", "Genomför samtalen.")],
        "goals": [("long", "Färre som röker dagligen."), ("short", "300 samtal per år.")],
        "plan": plan,
        "reports": reports,
        "step": Step.FOLLOW_UP,
        "decided": s.decided(today, "Hälso- och sjukvårdsnämnden", "22", "HSN 2026-0513", "HSN"),
        "acceptance": "agreement",
        "actors": {Step.DIALOGUE: analyst, Step.PROPOSAL: analyst, Step.FOLLOW_UP: analyst}
        | {Step.DECISION: users["politiker"], Step.ACCEPTANCE: provider, "report": provider},
    }
    with s.actor_context(analyst.username):
        return s.assignment(region, "t:assignment", spec, by=analyst)


# --------------------------------------------------------------------------------------------
# Reading the pages
# --------------------------------------------------------------------------------------------


def text_of(locator) -> str:
    """A locator's text with no-break spaces read as spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", locator.inner_text())


def cells(table) -> list[list[str]]:
    """The cell texts of a table's body rows, with no-break spaces read as spaces."""
    return [[re.sub(r"[\u00a0\u202f]", " ", c) for c in row] for row in table_rows(table)]


def need_order(table) -> list[str]:
    """The needs of a ranking table (rank, need, score, …), best first."""
    return [row[1] for row in cells(table)]


def ranking_on_analysis_page(page: Page) -> list[str] | None:
    """The analysis page's ranking of its needs (a table with a "Rang" column), if any."""
    table = page.locator("main table").filter(has=page.get_by_role("columnheader", name="Rang"))
    if table.count() == 0:
        return None
    return [" ".join(row) for row in cells(table.first)]


def accessible(page: Page, axe_violations, findings: Findings) -> None:
    """The axe-core check of the other journeys, recorded instead of raised."""
    try:
        assert_accessible(page, axe_violations)
    except AssertionError as error:
        findings.check(page, False, str(error))


# --------------------------------------------------------------------------------------------
# The journey
# --------------------------------------------------------------------------------------------


def read_analysis(page: Page, need) -> tuple[list[str], list[str], list[str] | None]:
    """The region's row and the group's total row of the need's gap tables, and the ranking."""
    region = cells(page.locator(f"#behov-{need.pk} table"))[0]
    group = cells(page.locator(f"#behov-{need.pk}-2 table"))[-1]
    return region, group, ranking_on_analysis_page(page)


def set_target(page: Page, thread: dict, findings: Findings) -> dict:
    """Step 1: the politician sets smoking's target to 4,0 % through the page's edit control,
    and the gaps of the whole region and of the group follow at once."""
    need = thread["needs"]["U01402"]
    page.goto(f"/behovsanalys/{thread['analysis'].pk}/")
    region, group, ranking = read_analysis(page, need)
    findings.check(page, ranking is not None, "The analysis page shows no ranking of its needs.")
    page.locator(f"#behov-{need.pk}").get_by_role("link", name="Sätt eller ändra målet").click()
    page.get_by_label(re.compile(r"^Mål:?$")).select_option("absolute")
    page.get_by_label("Målvärde").fill("4,0")
    page.get_by_label("Motivering").fill("Halvera skillnaden mot riket till 2030.")
    page.get_by_role("button", name="Spara målet").click()
    expect(page.locator(".messages")).to_contain_text("är sparat")
    region_now, group_now, ranking_now = read_analysis(page, need)
    gap = f"{float(group[1].replace(',', '.')) - 4.0:.1f}".replace(".", ",")
    ok = region_now[2:4] == ["4,0", "1,8"] and region_now[4] not in ("0", "–", "")
    findings.check(page, ok, f"The region's gap follows the target: {region} → {region_now}")
    ok = group_now[2:4] == ["4,0", gap]
    findings.check(page, ok, f"The group's gap follows the target: {group} → {group_now}")
    ok = "fastställt av Politiker Test" in text_of(page.locator(f"#behov-{need.pk}"))
    findings.check(page, ok, "The need's target reads as set (fastställt) by the politician.")
    if ranking is not None and ranking_now is not None:
        ok = "röker" in ranking_now[0] and ranking_now != ranking
        findings.check(page, ok, f"Smoking, now with a gap, ranks first: {ranking_now}")
    return {"group_current": group[1], "region_current": region[1]}


def allocate(page: Page) -> tuple[list[str], list[str], list[list[str]]]:
    """The politician moves the weights and allocates: the default order of the needs, the
    moved order, and the ranking the allocation page says the decision will record."""
    page.goto("/prioritering/horisontell/")
    default = need_order(page.get_by_role("table", name="Behov i rangordning"))
    for label, value in WEIGHTS.items():
        page.get_by_label(re.compile("^" + label)).fill(value)
    page.get_by_role("button", name="Räkna om").click()
    moved = need_order(page.get_by_role("table", name="Behov i rangordning"))
    assert moved != default, "the test data must rank differently with the moved weights"
    page.get_by_role("link", name="Fördela budgeten och besluta med dessa vikter").click()
    page.get_by_label("Budget (kr)").fill("6000000")
    page.get_by_role("button", name="Fördela").click()
    expect(page.get_by_role("status").first).to_contain_text("Optimal")
    seen = cells(page.get_by_role("table", name=re.compile("Behoven i rangordning med dessa")))
    return default, moved, seen


def decide_priorities(page: Page, findings: Findings, axe_violations) -> list[str]:
    """Step 2: the decision shows the moved weights and the ranking the politician saw."""
    default, moved, seen = allocate(page)
    findings.check(page, [r[1] for r in seen] == moved, f"Allocation ranks as moved: {seen}")
    for label, value in DECISION.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Registrera beslut").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 1")
    weights = dict(cells(page.get_by_role("table", name=re.compile("Så vägdes kriterierna"))))
    wanted = {label.lower(): value for label, value in WEIGHTS.items()}
    findings.check(page, weights == wanted, f"The decision shows the moved weights: {weights}")
    ranking = cells(page.locator("h2:has-text('Rangordnade behov') + table"))
    findings.check(page, ranking == seen, f"The decision keeps the ranking seen: {ranking}")
    ok = [r[1] for r in ranking] != default
    findings.check(page, ok, f"The decision's ranking is not the default one: {default}")
    head = text_of(page.locator("main p").first)
    findings.check(page, "§ 14" in head and "HSN 2026-0412" in head, f"Citation: {head}")
    findings.swedish_page(page)
    accessible(page, axe_violations, findings)
    return [r[1] for r in ranking]


def follow_up(page: Page, assignment, figures: dict, findings: Findings) -> None:
    """Steps 3 and 4: the group's baseline, the talks that add up, the line out of date."""
    page.goto(f"/uppdrag/{assignment.pk}/uppfoljning/")
    sections = page.locator("section.need-item")
    effect = text_of(sections.filter(has_text=SMOKING))
    group, region = figures["group_current"], figures["region_current"]
    ok = f"Utgångsvärde: {group} (" in effect
    findings.check(page, ok, f"The baseline is the group's {group}, not {region}: {effect}")
    talks = text_of(sections.filter(has_text="Rådgivande samtal om tobak"))
    ok = "Status: målet nått" in talks and "325" in talks
    findings.check(page, ok, f"140 + 185 against a yearly 300 is reached: {talks}")
    stale = text_of(sections.filter(has_text="Tolksamtal"))
    findings.check(page, "Status: inaktuellt" in stale, f"A line a year old: {stale}")
    findings.swedish_page(page)


def trace(page: Page, thread: dict, figures: dict, findings: Findings, axe_violations) -> None:
    """Step 5 and 6: the need's trace page and its PDF, accessible and in Swedish."""
    need = thread["needs"]["U01402"]
    page.goto(f"/behovsanalys/{thread['analysis'].pk}/")
    page.locator(f"#behov-{need.pk}").get_by_role("link", name="Spåret").click()
    expect(page).to_have_url(re.compile(rf"/behov/{need.pk}/sparet/"))
    main = text_of(page.locator("main"))
    group, rank = figures["group_current"], figures["rank"]
    for claim, part in [
        ("the group in the heading", GROUP),
        ("the group's gap to the new target", f"Nu {group} % (2022), mål 4,0 %"),
        ("the target set by the politician", "fastställt av Politiker Test"),
        ("the rank in the decision", f"Rang {rank[0]} av {rank[1]} i Prioriteringsbeslut"),
        ("the decision's weights", "svårighetsgrad 50 %"),
        ("the funded measure's budget", "1 800 000"),
        ("the assignment and its step", f"{ASSIGNMENT}\t6. Uppföljning\tÖverenskommelse"),
        ("the effect baseline", f"effekt\t{group} (2022)"),
        ("the talks' result", "325 ("),
    ]:
        findings.check(page, part in main, f"The trace shows {claim} ({part!r}).")
    results = cells(page.locator("h2:has-text('Resultat mot mållinjen') + table"))
    statuses = [row[-1] for row in results]
    findings.check(page, statuses[1:] == ["målet nått", "inaktuellt"], f"Results: {results}")
    findings.swedish_page(page)
    accessible(page, axe_violations, findings)
    with page.expect_download() as download:
        page.get_by_role("link", name="Spåret som PDF (en sida)").click()
    pdf_check(page, Path(download.value.path()), figures, findings)


def pdf_check(page: Page, path: Path, figures: dict, findings: Findings) -> None:
    """The one-page PDF holds what the page holds: gap, target, rank, budget, assignment."""
    from pypdf import PdfReader

    data = path.read_bytes()
    findings.check(page, data[:4] == b"%PDF", f"The download is a PDF: {data[:20]!r}")
    if data[:4] != b"%PDF":
        return
    reader = PdfReader(path)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    if len(reader.pages) != 1:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "sparet.pdf").write_bytes(data)
        last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())[:300]
        findings.check(
            page, False, f"The PDF has {len(reader.pages)} pages, the last begins: {last!r}"
        )
    group, (rank, of) = figures["group_current"], figures["rank"]
    for part in (f"{group} %", "4,0 %", f"Rang {rank} av {of}", "1 800 000", ASSIGNMENT):
        findings.check(page, part in text, f"The PDF shows {part!r}: {text[:600]}")
    for part in ("målet nått", "inaktuellt"):
        findings.check(page, part in text, f"The PDF shows {part!r}: {text[:600]}")


def test_politicians_thread(new_context, thread, axe_violations):
    from halsogap_web.priorities.models import PriorityDecision

    findings = Findings()
    page = new_context().new_page()
    log_in_as(page, "politiker", PASSWORD)
    figures = set_target(page, thread, findings)
    ranking = decide_priorities(page, findings, axe_violations)
    mine = next(i for i, need in enumerate(ranking, 1) if need == f"{GROUP}: {SMOKING}")
    figures["rank"] = (mine, len(ranking))
    assignment = make_assignment(thread, PriorityDecision.objects.get())
    follow_up(page, assignment, figures, findings)
    trace(page, thread, figures, findings, axe_violations)
    assert not findings.failures, "\n".join(findings.failures)
