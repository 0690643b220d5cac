"""The politician's thread (issue 11): targets set by elected officials, decisions that keep
their weights, effects followed for the need group, activity that adds up, a status read on
today's date, and one trace per need as a page, a PDF and a line on the region overview.

Session data (see web_support): U01402, daily smokers 16-84, is 5,8 % in Region Stockholm,
4,9 % in Stockholms stad (0180), 6,2 % in riket and 6,9 % in Skåne in 2022. The tests add the
population (2022) so that gaps have persons.
"""

from __future__ import annotations

import io
import re
from datetime import date

import polars as pl
import pytest
from pypdf import PdfReader

from halsogap.priorities.horizontal import CRITERIA
from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.models import ActivityReport, Assignment
from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis, TargetStatus
from halsogap_web.observations.models import Indicator
from halsogap_web.observations.store import write_observations
from halsogap_web.priorities.models import Measure, PriorityDecision

from .web_support import RINKEBY, page_text

SMOKING = "U01402"
#: The app's today where periods are judged: two quarters of 2026 are over, the fourth ahead.
TODAY = date(2026, 8, 15)
DECIDE = {"body": "Hälso- och sjukvårdsnämnden", "decided_on": "2026-03-10", "paragraph": "12"}
DECIDE |= {"reference": "HSN 2026-0042", "decided_by": "Per Politiker (ordf.)"}
DECIDE |= {"rationale": "Störst behov först.", "published": "on"}
#: Every weight but the knowledge base's at zero: a ranking the defaults would not give.
EVIDENCE_ONLY = {f"w_{name}": "0" for name in CRITERIA} | {"w_evidence": "100", "budget": "6000000"}
#: The politician's target for smoking.
TARGET = {"target_kind": "absolute", "target_value": "4,0", "target_rationale": "Under 4 %"}
SMOKING_IN_THE_CITY = "Stockholms stad: Invånare 16-84 år som röker dagligen, andel (%)"
OBESITY = "Hela länet: Invånare med fetma, andel (%)"
#: What a version history must never show: the stored values instead of Swedish words.
RAW_WORDS = ("'draft'", "'dialogue'", "'proposal'", "(effect)", "'sum'", "'latest'", "'long'")


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, entities resolved, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page_text(response)))


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def store(rows) -> None:
    """Write observations given as (indicator, area, period, value, sex, age band)."""
    from halsogap_web.evidence import clear_cache

    columns = ("indicator", "area", "period", "value", "sex", "age_band")
    frame = pl.DataFrame([dict(zip(columns, row, strict=True)) for row in rows])
    write_observations(frame, batch_id=None)
    clear_cache()


# --- Needs and targets ----------------------------------------------------------------------


@pytest.fixture
def groups(stockholm):
    """The whole county and Stockholms stad, with the population the persons are counted in."""
    bands = {"16-19": 0.05, "20-44": 0.35, "45-64": 0.25, "65-79": 0.12, "80+": 0.05}
    people = {"00": 10_500_000, "01": 2_400_000, "0180": 980_000, "12": 1_400_000}
    store(
        ("HG_BEFOLKNING", area, "2022", round(total * share * part), sex, band)
        for area, total in people.items()
        for band, share in bands.items()
        for sex, part in (("T", 1.0), ("K", 0.5), ("M", 0.5))
    )
    county = NeedGroup.objects.create(region=stockholm, name="Hela länet", area_rule="region")
    city = NeedGroup.objects.create(
        region=stockholm, name="Stockholms stad", area_rule="chosen", area_codes=["0180"]
    )
    return {"county": county, "city": city}


@pytest.fixture
def analysis(stockholm, groups):
    analysis = NeedsAnalysis.objects.create(region=stockholm, title="Behovsanalys 2027", year=2027)
    analysis.need_groups.set([groups["county"], groups["city"]])
    return analysis


def add_need(client, analysis, code=SMOKING, **target):
    fields = {"target_kind": "best", "best_n": 1, "best_level": "region", "severity": 3} | target
    data = {"add_item": "1", "item-indicator": Indicator.objects.get(code=code).pk}
    data |= {f"item-{name}": value for name, value in fields.items()}
    return client.post(f"/behovsanalys/{analysis.pk}/behov/", data)


def edit_target(client, need, **fields):
    data = {"severity": 3, "best_n": 1, "best_level": "region"} | fields
    return client.post(f"/behovsanalys/{need.analysis_id}/behov/{need.pk}/mal/", data)


def analysis_page(client, need):
    return client.get(f"/behovsanalys/{need.analysis_id}/")


def county_row(response):
    """The smoking need in the county group and its Region Stockholm row, as the page has it."""
    county = next(g for g in response.context["content"].groups if g.name == "Hela länet")
    item = next(i for i in county.items if i.indicator_code == SMOKING)
    return item, item.rows[0]


@pytest.fixture
def proposed(client_for, analyst, analysis):
    """Smoking in the analysis, proposed by the analyst as good as the best region (no gap)."""
    assert add_need(client_for(analyst), analysis).status_code == 302
    return AnalysisIndicator.objects.get(analysis=analysis, indicator__code=SMOKING)


def test_a_politician_setting_a_target_stores_who_when_and_why_and_the_gap_follows(
    client_for, politician, proposed
):
    client = client_for(politician)
    _, row = county_row(analysis_page(client, proposed))
    assert (row.current, row.gap_to_close, row.persons) == (5.8, 0.0, 0.0)
    response = edit_target(client, proposed, **TARGET)
    assert response["Location"] == f"/behovsanalys/{proposed.analysis_id}/#behov-{proposed.pk}"
    version = proposed.target_versions.get(number=2)
    assert version.changed_by == politician and version.changed_at is not None
    assert version.status == TargetStatus.APPROVED and version.rationale == "Under 4 %"
    assert version.snapshot["target_kind"] == "absolute" and version.snapshot["target_value"] == 4
    after = analysis_page(client, proposed)
    item, row = county_row(after)
    assert row.desired == 4.0 and row.gap_to_close == pytest.approx(1.8)
    assert row.persons == pytest.approx(35_424)  # 1,8 % of the county's 1 968 000 aged 16-84
    page = text_of(after)
    assert "Mål: 4,0 % fastställt av Politician Testsson" in page
    assert "Region Stockholm 5,8 4,0 1,8 35 424" in page
    assert "Målet ändrades från ”lika bra som den bästa regionen” till ”4,0 %”" in page
    assert "Motivering: Under 4 %" in item.target_history[0]


def test_the_ranking_of_the_analysis_follows_the_politicians_target(
    client_for, politician, proposed, make_indicator
):
    # A second need with a gap to the best region: 10,0 % here, 8,0 % in Skåne.
    values = {("01", "2022"): 10.0, ("12", "2022"): 8.0, ("00", "2022"): 9.0}
    fields = {"title": "Testandel med fetma 16-84 år", "polarity": "lower_better"}
    make_indicator("HG_TEST_FETMA", organisation=None, is_published=True, values=values, **fields)
    client = client_for(politician)
    add_need(client, proposed.analysis, code="HG_TEST_FETMA")
    ranking = analysis_page(client, proposed).context["content"].ranking
    assert ranking[0]["title"] == "Testandel med fetma 16-84 år"
    edit_target(client, proposed, **TARGET | {"target_value": "1,0"})
    response = analysis_page(client, proposed)
    _, row = county_row(response)
    smoking = next(r for r in response.context["content"].ranking if r["title"].startswith("Inv"))
    # Smoking's gap is now 4,8 percentage points, about 94 000 people: it must rank first.
    assert smoking["gap_persons"] == pytest.approx(row.persons)
    assert smoking["rank"] == 1


def test_an_analysts_change_is_a_proposal_only_a_politician_approves(
    client_for, analyst, politician, proposed
):
    edit_target(client_for(politician), proposed, **TARGET)
    proposal = TARGET | {"target_value": "5,0", "target_rationale": "Realistiskt"}
    response = edit_target(client_for(analyst), proposed, **proposal)
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.target_value == 5.0 and proposed.target_status == TargetStatus.PROPOSED
    assert proposed.approved_by is None
    latest = proposed.target_versions.first()
    assert (latest.changed_by, latest.status) == (analyst, TargetStatus.PROPOSED)
    approve = f"/behovsanalys/{proposed.analysis_id}/behov/{proposed.pk}/faststall/"
    assert "Fastställ målet" not in page_text(analysis_page(client_for(analyst), proposed))
    assert client_for(analyst).post(approve).status_code == 403
    proposed.refresh_from_db()
    assert proposed.target_status == TargetStatus.PROPOSED
    client = client_for(politician)
    page = text_of(analysis_page(client, proposed))
    assert "föreslaget av Analyst Testsson, ej fastställt" in page and "Fastställ målet" in page
    assert client.post(approve).status_code == 302
    proposed.refresh_from_db()
    assert (proposed.target_status, proposed.approved_by) == (TargetStatus.APPROVED, politician)
    approval = proposed.target_versions.first()
    assert approval.number == latest.number + 1 and approval.changed_by == politician
    assert approval.status == TargetStatus.APPROVED
    assert "Målet fastställdes av Politician Testsson." in proposed.history()[0]


def test_adding_an_indicator_already_in_the_analysis_opens_its_target_instead(
    client_for, politician, proposed
):
    client = client_for(politician)
    response = add_need(client, proposed.analysis, target_kind="absolute", target_value="3")
    edit = f"/behovsanalys/{proposed.analysis_id}/behov/{proposed.pk}/mal/"
    assert response.status_code == 302 and response["Location"] == edit
    assert AnalysisIndicator.objects.filter(analysis=proposed.analysis).count() == 1
    assert proposed.target_versions.count() == 1
    page = client.get(edit)
    assert page.status_code == 200
    text = text_of(page)
    assert "finns redan i analysen: ändra dess mål här" in text
    assert "Nu: lika bra som den bästa regionen – föreslaget av Analyst Testsson" in text


# --- Priority decisions -------------------------------------------------------------------


MEASURE = {"kind": "preventive", "perspective": "individual", "reach": 4000, "uptake": 0.5}
MEASURE |= {"effect_per_person": 0.01, "source": "Regionens skattning"}
MEASURES = (
    ("RS-TOB", "Rökavvänjning i Stockholms stad", 2e6),
    ("RS-FET", "Levnadsvaneprogram", 3e6),
)


def assess(client, group, code, measure, severity, evidence):
    data = {"need_group": group.pk, "indicator": Indicator.objects.get(code=code).pk}
    data |= {"measure": measure.pk, "severity": severity, "evidence": evidence}
    data |= {"benefit": "stor", "cost_band": "låg", "criteria": ""}
    assert client.post("/prioritering/", data).status_code == 302


@pytest.fixture
def assessed(client_for, analyst, stockholm, groups):
    """Smoking in Stockholms stad: very severe, weak evidence; obesity in the county: mild,
    strong evidence. The default weights put smoking first, the knowledge base alone obesity."""
    client = client_for(analyst)
    smoking, obesity = (
        Measure.objects.create(
            region=stockholm, code=code, title=title, cost_one_off=cost, **MEASURE
        )
        for code, title, cost in MEASURES
    )
    assess(client, groups["city"], SMOKING, smoking, "mycket stor", "låg")
    assess(client, groups["county"], "U01411", obesity, "liten", "hög")
    return smoking, obesity


def decide(client, query: dict, **fields):
    """The allocation page with the politician's weights, then the decision posted from it."""
    shown = client.get("/prioritering/fordelning/", query)
    assert shown.status_code == 200 and not shown.context["problems"]
    # The decision form posts back to the page with the weights in its query string.
    action = re.search(r'method="post" action="\?([^"]*)"', shown.content.decode())[1]
    response = client.post(
        f"/prioritering/fordelning/?{action.replace('&amp;', '&')}", DECIDE | fields
    )
    assert response.status_code == 302
    return shown, response


def test_a_decision_keeps_the_weights_and_the_ranking_the_politician_saw(
    client_for, politician, assessed
):
    client = client_for(politician)
    shown, response = decide(client, EVIDENCE_ONLY)
    seen = [(r["rank"], r["need"]) for r in shown.context["ranked"]]
    assert seen == [(1, OBESITY), (2, SMOKING_IN_THE_CITY)]
    decision = PriorityDecision.objects.get()
    assert decision.weights == dict.fromkeys(CRITERIA, 0.0) | {"evidence": 100.0}
    page = client.get(response["Location"])
    content = page.context["content"]
    assert [(r["rank"], r["need"]) for r in content.ranking] == seen
    assert [share for _, share in content.weights] == [0, 0, 0, 0, 100]
    text = text_of(page)
    assert "behovets storlek 0 svårighetsgrad 0 ojämlikhet 0 kostnadseffektivitet 0 " in text
    assert "kunskapsunderlag 100" in text
    assert f"1 {OBESITY} 1,00 kunskapsunderlag 2 {SMOKING_IN_THE_CITY}" in text
    assert "§ 12 · dnr HSN 2026-0042" in text


def test_a_second_decision_shows_how_weights_and_ranks_changed(client_for, politician, assessed):
    client = client_for(politician)
    decide(client, EVIDENCE_ONLY)
    severity_only = EVIDENCE_ONLY | {"w_severity": "100", "w_evidence": "0"}
    _, response = decide(client, severity_only, rationale="Svårast först.")
    second = PriorityDecision.objects.get(version=2)
    assert second.previous.version == 1
    assert second.weights["severity"] == 100 and second.weights["evidence"] == 0
    text = text_of(client.get(response["Location"]))
    assert "Skillnad mot version 1" in text
    assert "Vikt svårighetsgrad: 0 % → 100 %" in text
    assert "Vikt kunskapsunderlag: 100 % → 0 %" in text
    assert f"{SMOKING_IN_THE_CITY}: rang 2 → 1" in text
    assert f"{OBESITY}: rang 1 → 2" in text


def test_the_decision_document_exists_as_pdf_and_word_with_its_weights(
    client_for, politician, assessed
):
    client = client_for(politician)
    decide(client, EVIDENCE_ONLY)
    decision = PriorityDecision.objects.get()
    pdf = client.get(f"/prioritering/beslut/{decision.pk}/beslut.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "kunskapsunderlag 100" in pdf_text(pdf.content)
    docx = client.get(f"/prioritering/beslut/{decision.pk}/beslut.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert docx["Content-Type"].endswith("officedocument.wordprocessingml.document")


# --- Assignments ----------------------------------------------------------------------------


@pytest.fixture
def samtal(stockholm):
    fields = {"unit": "antal", "kind": "activity", "polarity": "higher_better"}
    fields |= {"organisation": stockholm, "source": "Journalen"}
    return Indicator.objects.create(code="RS_SAMTAL", title="Antal hälsosamtal", **fields)


@pytest.fixture
def need(client_for, politician, analysis):
    """Smoking in the analysis with the politician's target: 4,0 %."""
    add_need(client_for(politician), analysis, **TARGET)
    return AnalysisIndicator.objects.get(analysis=analysis, indicator__code=SMOKING)


#: 300 health dialogues in 2026, reported per quarter and added up.
DIALOGUES = {"baseline": "0", "baseline_period": "2025", "target": "300", "aggregation": "sum"}
DIALOGUES |= {"target_date": "2026-12-31", "source": "Journalen", "period_kind": "kvartal"}
#: Smoking in the need group: the baseline is left for the data to fill.
FEWER_SMOKERS = {"target": "4,0", "target_date": "2030-12-31", "frequency": "årligen"}


def line_data(goal, indicator, role, fields: dict) -> dict:
    data = {"goal": goal.pk, "indicator": indicator.pk, "role": role}
    data["reporter"] = Organisation.objects.get(name=RINKEBY).pk
    return {f"plan-{k}": v for k, v in (data | fields).items()}


def write_assignment(client, title, *, group, need=None, goals) -> Assignment:
    """An assignment drafted through its forms, for Rinkeby; ``goals`` are (kind, text,
    [(indicator code, role, fields)]) with the follow-up plan lines of each goal."""
    query = f"?behov={need.pk}" if need else ""
    data = {"title": title, "perspective": "population", "kind": "preventive"}
    client.post(f"/uppdrag/nytt/{query}", data | {"need_group": group.pk})
    assignment = Assignment.objects.get(title=title)
    rinkeby = Organisation.objects.get(name=RINKEBY)
    url = f"/uppdrag/{assignment.pk}"
    client.post(f"{url}/mottagare/", {"form": "recipient", "recipient-organisation": rinkeby.pk})
    for kind, text, lines in goals:
        client.post(f"{url}/mal/", {"form": "goal", "goal-kind": kind, "goal-text": text})
        goal = assignment.goals.get(text=text)
        for code, role, fields in lines:
            data = {"form": "plan"} | line_data(
                goal, Indicator.objects.get(code=code), role, fields
            )
            assert client.post(f"{url}/uppfoljningsplan/", data).status_code == 302
    return assignment


def decide_assignment(client_for, analyst, politician, assignment):
    url = f"/uppdrag/{assignment.pk}/nasta-steg/"
    for _ in range(2):  # draft → dialogue → proposal
        client_for(analyst).post(url)
    decision = {"decision_body": "Nämnden", "decided_on": "2026-03-15", "decided_by": "Nämnden"}
    client_for(politician).post(url, decision)
    assignment.refresh_from_db()
    assert assignment.step == "decision"


def accept(client_for, analyst, politician, provider, assignment):
    decide_assignment(client_for, analyst, politician, assignment)
    url = f"/uppdrag/{assignment.pk}/nasta-steg/"
    client_for(provider).post(url, {"acceptance_form": "agreement"})
    assignment.refresh_from_db()
    assert assignment.step == "acceptance"


@pytest.fixture
def smoke_free(client_for, analyst, groups, need, samtal):
    """A draft for the Stockholms stad group: a long goal followed by smoking, a short goal by
    300 health dialogues in 2026."""
    goals = [
        ("long", "Färre rökare", [(SMOKING, "effect", FEWER_SMOKERS)]),
        ("short", "Hälsosamtal med alla rökare", [("RS_SAMTAL", "process", DIALOGUES)]),
    ]
    client, title = client_for(analyst), "Rökfritt i Stockholms stad"
    return write_assignment(client, title, group=groups["city"], need=need, goals=goals)


def part_urls(assignment):
    goal = assignment.goals.get(kind="long")
    line = assignment.plan_indicators.get(role="process")
    base = f"/uppdrag/{assignment.pk}"
    return goal, line, f"{base}/mal/{goal.pk}/", f"{base}/uppfoljningsplan/{line.pk}/"


def history_text(client, assignment) -> str:
    history = client.get(f"/uppdrag/{assignment.pk}/").context["history"]
    return " | ".join(change.text for _, changes in history for change in changes)


def test_goals_and_plan_lines_change_until_the_decision_each_a_version_in_swedish_words(
    client_for, analyst, smoke_free
):
    client = client_for(analyst)
    goal, line, goal_url, line_url = part_urls(smoke_free)
    assert client.get(goal_url).status_code == 200 and client.get(line_url).status_code == 200
    versions = smoke_free.versions.count()
    changed = DIALOGUES | {"target": "350", "aggregation": "cumulative"}
    goal_data = {"goal-kind": "long", "goal-text": "Halvera rökningen"}
    assert client.post(goal_url, goal_data).status_code == 302
    line_fields = line_data(goal, line.indicator, "process", changed)
    assert client.post(line_url, line_fields).status_code == 302
    client.post(f"/uppdrag/{smoke_free.pk}/nasta-steg/")  # draft → dialogue
    assert smoke_free.versions.count() == versions + 3
    text = history_text(client, smoke_free)
    assert "Mål 1 (långsiktigt mål) › Text: 'Färre rökare' → 'Halvera rökningen'" in text
    assert "Uppföljningsplan Antal hälsosamtal (process) › Målvärde: '300' → '350'" in text
    assert (
        "Uppföljningsplan Antal hälsosamtal (process) › Värdena räknas som: "
        "'summa över målperioden' → 'ackumulerat sedan start'" in text
    )
    assert "Steg: '1. Utkast' → '2. Dialog'" in text
    assert not [word for word in RAW_WORDS if word in text]
    line.refresh_from_db()
    assert (line.target, line.aggregation) == (350.0, "cumulative")


def test_after_the_decision_goals_and_plan_lines_cannot_be_edited(
    client_for, analyst, politician, smoke_free
):
    decide_assignment(client_for, analyst, politician, smoke_free)
    client = client_for(analyst)
    goal, line, goal_url, line_url = part_urls(smoke_free)
    versions = smoke_free.versions.count()
    assert client.get(goal_url).status_code == 403
    assert client.post(goal_url, {"goal-kind": "long", "goal-text": "Ändrat"}).status_code == 403
    data = line_data(goal, line.indicator, "process", DIALOGUES | {"target": "10"})
    assert client.post(line_url, data).status_code == 403
    goal.refresh_from_db()
    line.refresh_from_db()
    assert goal.text == "Färre rökare" and line.target == 300
    assert smoke_free.versions.count() == versions


def test_an_effect_line_follows_the_need_groups_value_with_region_and_riket_beside_it(
    client_for, analyst, smoke_free
):
    line = smoke_free.plan_indicators.get(role="effect")
    # Stockholms stad's 4,9 %, not the region's 5,8 %.
    assert (line.baseline, line.baseline_period) == (4.9, "2022")
    newer = (("0180", 4.6), ("01", 5.7), ("00", 6.0))
    store((SMOKING, area, "2023", value, "T", None) for area, value in newer)
    response = client_for(analyst).get(f"/uppdrag/{smoke_free.pk}/uppfoljning/")
    result = next(r for r in response.context["content"].indicators if r.role == "effect")
    assert result.series == [("2023", 4.6)]
    assert result.context == "Region Stockholm: 5,7 (2023); riket: 6,0 (2023)"
    assert result.origin.startswith("Behovsgruppen Stockholms stad")
    text = text_of(response)
    assert "Utgångsvärde: 4,9 (2022)" in text
    assert "Som jämförelse: Region Stockholm: 5,7 (2023); riket: 6,0 (2023)" in text


# --- Reporting and the status on today's date ---------------------------------------------


@pytest.fixture
def today(monkeypatch):
    """The app's today, fixed: mid-August 2026."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def report(client, assignment, period, values: dict):
    data = {"manual": "1", "period": period}
    data |= {f"value-{plan.pk}": value for plan, value in values.items()}
    return client.post(f"/uppdrag/{assignment.pk}/rapportera/", data)


def result_for(response, plan):
    content = response.context["content"]
    return next(r for r in content.indicators if r.title == plan.indicator.title)


def test_140_and_185_dialogues_against_a_yearly_300_reach_the_target(
    client_for, analyst, politician, provider, smoke_free, today
):
    accept(client_for, analyst, politician, provider, smoke_free)
    dialogues = smoke_free.plan_indicators.get(role="process")
    reporter = client_for(provider)
    assert report(reporter, smoke_free, "2026K1", {dialogues: "140"}).status_code == 302
    assert report(reporter, smoke_free, "2026K2", {dialogues: "185"}).status_code == 302
    smoke_free.refresh_from_db()
    assert smoke_free.step == "follow_up"
    response = client_for(analyst).get(f"/uppdrag/{smoke_free.pk}/uppfoljning/")
    result = result_for(response, dialogues)
    assert result.status == "målet nått"
    assert "Summan t.o.m. 2026K2, 325" in result.explanation
    assert "Status: målet nått – Summan t.o.m. 2026K2, 325" in text_of(response)


def test_a_report_for_a_period_after_today_is_refused_by_name_and_nothing_is_stored(
    client_for, analyst, politician, provider, smoke_free, today
):
    accept(client_for, analyst, politician, provider, smoke_free)
    dialogues = smoke_free.plan_indicators.get(role="process")
    response = report(client_for(provider), smoke_free, "2026K4", {dialogues: "90"})
    assert response.status_code == 400
    assert "Perioden 2026K4 har inte börjat ännu (i dag är 2026-08-15)" in page_text(response)
    assert not ActivityReport.objects.filter(plan__assignment=smoke_free).exists()
    smoke_free.refresh_from_db()
    assert smoke_free.step == "acceptance"


def test_an_old_newest_value_is_out_of_date_and_a_passed_target_date_is_not_reached(
    client_for, analyst, politician, provider, groups, samtal, today
):
    # Smoking 6,4 % (2020) → 4,0 % by 2030: 5,8 % in 2022 is ahead of the line (5,9), but the
    # plan is reported yearly and 2022 is more than two years before 2026-08-15.
    smoking = {"baseline": "6,4", "baseline_period": "2020", "source": "Kolada"}
    dialogues = DIALOGUES | {"target_date": "2026-06-30"}
    goals = [
        ("long", "Färre rökare", [(SMOKING, "effect", FEWER_SMOKERS | smoking)]),
        ("short", "Samtal", [("RS_SAMTAL", "process", dialogues)]),
    ]
    client, title = client_for(analyst), "Uppföljning i dag"
    assignment = write_assignment(client, title, group=groups["county"], goals=goals)
    accept(client_for, analyst, politician, provider, assignment)
    effect = assignment.plan_indicators.get(role="effect")
    process = assignment.plan_indicators.get(role="process")
    assert report(client_for(provider), assignment, "2026K1", {process: "100"}).status_code == 302
    response = client_for(analyst).get(f"/uppdrag/{assignment.pk}/uppfoljning/")
    stale, missed = result_for(response, effect), result_for(response, process)
    assert stale.status == "inaktuellt"
    assert "senaste värde 2022" in stale.explanation
    assert missed.status == "ej nått"
    assert "Måldatum 2026-06-30 har passerat" in missed.explanation
    text = text_of(response)
    assert "Status: inaktuellt" in text and "Status: ej nått" in text


# --- The trace and the region overview ----------------------------------------------------


@pytest.fixture
def thread(client_for, analyst, politician, provider, need, assessed, smoke_free):
    """The whole thread for smoking in Stockholms stad: the politician's target, a decision
    with the default weights funding the city's measure, the accepted assignment and two
    quarters of reported dialogues."""
    decide(client_for(politician), {"budget": "6000000"})  # the default weights
    accept(client_for, analyst, politician, provider, smoke_free)
    dialogues = smoke_free.plan_indicators.get(role="process")
    reporter = client_for(provider)
    for period, value in (("2026K1", "140"), ("2026K2", "185")):
        assert report(reporter, smoke_free, period, {dialogues: value}).status_code == 302
    return need


def trace_url(need, suffix="sparet/"):
    return f"/behovsanalys/{need.analysis_id}/behov/{need.pk}/{suffix}"


GAP = "Nu 4,9 % (2022), mål 4,0 %: 0,9 procentenheter kvar, cirka 7 232 personer."
RANK = (
    "Rang 1 av 2 i Prioriteringsbeslut version 1, Hälso- och sjukvårdsnämnden, 2026-03-10, "
    "§ 12, dnr HSN 2026-0042"
)


def test_the_trace_page_shows_gap_target_rank_budget_assignment_and_results(
    client_for, politician, thread
):
    response = client_for(politician).get(trace_url(thread))
    assert response.status_code == 200
    content = response.context["content"]
    assert content.need.group == "Stockholms stad" and "Politiskt mål" in content.chart_svg
    assert [f["title"] for f in content.funded] == ["Rökavvänjning i Stockholms stad"]
    text = text_of(response)
    parts = (GAP, "Mål: 4,0 % fastställt av Politician Testsson", RANK)
    parts += ("Vikter: behovets storlek 30 %, svårighetsgrad 30 %, ojämlikhet 20 %",)
    parts += ("Rökavvänjning i Stockholms stad Stockholms stad 2 000 000",)
    parts += ("Rökfritt i Stockholms stad 6. Uppföljning Överenskommelse, ",)
    parts += ("Antal hälsosamtal process 0 (2025) 325 (2026K2) 300 (2026-12-31) målet nått",)
    parts += ("7. Uppföljning : klart – värden är rapporterade",)
    assert [part for part in parts if part not in text] == []


def test_the_trace_pdf_is_a_real_pdf_with_gap_target_rank_budget_assignment_and_results(
    client_for, politician, thread
):
    response = client_for(politician).get(trace_url(thread, "sparet.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    parts = (GAP, RANK, "Vikter: behovets storlek 30 %", "Överenskommelse")
    parts += ("Rökavvänjning i Stockholms stad Stockholms stad 2 000 000 kr",)
    parts += ("Rökfritt i Stockholms stad 6. Uppföljning",)
    parts += ("Antal hälsosamtal (RS_SAMTAL) process 0 (2025) 325 (2026K2) 300 (2026-12-31)",)
    parts += ("målet nått",)
    assert [part for part in parts if part not in text] == []


def test_the_trace_pdf_of_a_need_with_one_assignment_fits_on_one_page(
    client_for, politician, thread
):
    response = client_for(politician).get(trace_url(thread, "sparet.pdf"))
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert pages == 1, f"the trace of one need with one assignment runs to {pages} pages"


def trace_links(response) -> list[str]:
    return re.findall(r'href="(/behovsanalys/[^"]*/sparet/[^"]*)"', response.content.decode())


def test_the_region_overview_has_one_line_per_need_of_the_latest_analysis_linking_its_trace(
    client_for, analyst, stockholm, groups, thread
):
    older = NeedsAnalysis.objects.create(region=stockholm, title="Behovsanalys 2026", year=2026)
    AnalysisIndicator.objects.create(analysis=older, indicator=Indicator.objects.get(code=SMOKING))
    obesity = AnalysisIndicator.objects.create(
        analysis=thread.analysis, indicator=Indicator.objects.get(code="U01411")
    )
    response = client_for(analyst).get("/region/01/")
    assert trace_links(response) == [
        f"{trace_url(thread)}?grupp={groups['city'].pk}",
        f"{trace_url(obesity)}?grupp={groups['county'].pk}",
    ]
    text = text_of(response)
    assert "Behoven i Behovsanalys 2027" in text and "Behovsanalys 2026" not in text
    assert (
        f"Stockholms stad · steg 7. Uppföljning {GAP} 1 av 2 2 000 000 kr "
        "Rökfritt i Stockholms stad (6. Uppföljning)" in text
    )


def test_another_regions_member_and_the_public_never_see_stockholms_needs(
    client_for, outsider, thread
):
    for client in (client_for(outsider), client_for(None)):
        response = client.get("/region/01/")
        assert response.status_code == 200
        text = text_of(response)
        assert not trace_links(response)
        assert "Behoven i" not in text and "Rökfritt i Stockholms stad" not in text
    for suffix in ("sparet/", "sparet.pdf"):
        assert client_for(outsider).get(trace_url(thread, suffix)).status_code == 404
        anonymous = client_for(None).get(trace_url(thread, suffix))
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")


def overview_line(client, need) -> str:
    """The overview's row of ``need`` as text."""
    page = client.get("/region/01/").content.decode()
    row = next(r for r in page.split("<tr>") if trace_url(need) in r)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_the_overview_keeps_each_need_line_only_until_its_assignments_or_reports_change(
    client_for, analyst, thread
):
    client = client_for(analyst)
    first = overview_line(client, thread)
    assert "Rökfritt i Stockholms stad" in first and "målet nått: 1" in first
    assert overview_line(client, thread) == first  # kept, and the same

    assignment = Assignment.objects.get(needs=thread)
    assignment.title = "Rökfri stad"
    assignment.save()
    renamed = overview_line(client, thread)
    assert "Rökfri stad (6. Uppföljning)" in renamed

    # Reports change only their need's stamp: removing them must still reach the line.
    for report in ActivityReport.objects.filter(plan__assignment=assignment):
        report.delete()
    assert "målet nått" not in overview_line(client, thread)
