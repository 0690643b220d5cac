"""Assignments: the follow-up check, the seven steps with their roles, reporting, follow-up."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.models import ActivityReport, Assignment, PlanIndicator
from halsogap_web.observations.models import Indicator

from .web_support import page_text


@pytest.fixture
def activity_indicator(stockholm):
    return Indicator.objects.create(
        code="RS_SAMTAL",
        title="Antal hälsosamtal",
        unit="antal",
        kind="activity",
        polarity="higher_better",
        source="Regionens verksamhetsdata",
        organisation=stockholm,
    )


@pytest.fixture
def drafted(client_for, analyst, stockholm, activity_indicator):
    client = client_for(analyst)
    response = client.post(
        "/uppdrag/nytt/",
        {"title": "Hälsosamtal i Rinkeby", "perspective": "population", "kind": "health_promoting"},
    )
    assignment = Assignment.objects.get(title="Hälsosamtal i Rinkeby")
    assert response["Location"] == f"/uppdrag/{assignment.pk}/"
    return assignment


def complete(client, assignment, indicator):
    rinkeby = Organisation.objects.get(name="Vårdcentral Rinkeby (demo)")
    post = client.post
    post(
        f"/uppdrag/{assignment.pk}/mottagare/",
        {
            "form": "recipient",
            "recipient-organisation": rinkeby.pk,
            "recipient-responsibility": "Genomför samtalen",
        },
    )
    post(
        f"/uppdrag/{assignment.pk}/mal/",
        {"form": "goal", "goal-kind": "long", "goal-text": "Fler invånare med goda levnadsvanor"},
    )
    goal = assignment.goals.get()
    post(
        f"/uppdrag/{assignment.pk}/uppfoljningsplan/",
        {
            "form": "plan",
            "plan-goal": goal.pk,
            "plan-indicator": indicator.pk,
            "plan-role": "effect",
            "plan-baseline": "100",
            "plan-baseline_period": "2025",
            "plan-target": "400",
            "plan-target_date": "2027-12-31",
            "plan-source": "Vårdcentralens journal",
            "plan-frequency": "kvartal",
            "plan-reporter": rinkeby.pk,
        },
    )
    return goal


def test_the_check_lists_what_is_missing_and_blocks_the_decision_until_closed(
    client_for, analyst, politician, drafted, activity_indicator
):
    client = client_for(analyst)
    client.post(
        f"/uppdrag/{drafted.pk}/mal/",
        {"form": "goal", "goal-kind": "long", "goal-text": "Bättre levnadsvanor"},
    )
    page = client.get(f"/uppdrag/{drafted.pk}/")
    assert not page.context["followable"]
    assert any(not g.waived for g in page.context["gaps"])
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")  # draft → dialogue
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")  # dialogue → proposal
    response = client_for(politician).post(
        f"/uppdrag/{drafted.pk}/nasta-steg/",
        {"decision_body": "Nämnden", "decided_on": "2026-11-20", "decided_by": "Nämnden"},
        follow=True,
    )
    assert "inte uppföljningsbart" in page_text(response)
    assert Assignment.objects.get(pk=drafted.pk).step == "proposal"


def test_the_seven_steps_each_by_their_role_and_every_change_a_version(
    client_for, analyst, politician, provider, drafted, activity_indicator
):
    client = client_for(analyst)
    complete(client, drafted, activity_indicator)
    assert client.get(f"/uppdrag/{drafted.pk}/").context["followable"]
    assert client_for(politician).post(f"/uppdrag/{drafted.pk}/nasta-steg/").status_code == 403
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client_for(politician).post(
        f"/uppdrag/{drafted.pk}/nasta-steg/",
        {
            "decision_body": "Hälso- och sjukvårdsnämnden",
            "decided_on": "2026-11-20",
            "decided_by": "Per Politiker",
        },
    )
    assert client.post(f"/uppdrag/{drafted.pk}/nasta-steg/").status_code == 403
    client_for(provider).post(
        f"/uppdrag/{drafted.pk}/nasta-steg/", {"acceptance_form": "agreement"}
    )
    assignment = Assignment.objects.get(pk=drafted.pk)
    assert (assignment.step, assignment.acceptance_form, assignment.accepted_by) == (
        "acceptance",
        "agreement",
        provider,
    )
    assert assignment.decision_body == "Hälso- och sjukvårdsnämnden"
    assert assignment.versions.count() >= 6
    history = client.get(f"/uppdrag/{drafted.pk}/").context["history"]
    assert any("Steg" in change.text for _, changes in history for change in changes)


def test_the_provider_reports_by_form_and_file_and_a_bad_row_saves_nothing(
    client_for, analyst, politician, provider, drafted, activity_indicator
):
    client = client_for(analyst)
    complete(client, drafted, activity_indicator)
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client_for(politician).post(
        f"/uppdrag/{drafted.pk}/nasta-steg/",
        {"decision_body": "Nämnden", "decided_on": "2026-11-20", "decided_by": "Nämnden"},
    )
    reporter = client_for(provider)
    reporter.post(f"/uppdrag/{drafted.pk}/nasta-steg/", {"acceptance_form": "agreement"})
    plan = PlanIndicator.objects.get(assignment=drafted)
    reporter.post(
        f"/uppdrag/{drafted.pk}/rapportera/",
        {
            "manual": "1",
            "period": "2026K1",
            f"value-{plan.pk}": "150",
            f"comment-{plan.pk}": "Kom igång i februari",
        },
    )
    bad = "indikator;period;värde;kommentar\nRS_SAMTAL;2026K2;210;\nRS_SAMTAL;2026K3;abc;\n"
    response = reporter.post(
        f"/uppdrag/{drafted.pk}/rapportera/",
        {"upload": "1", "file": SimpleUploadedFile("rapport.csv", bad.encode())},
    )
    assert 'rapport.csv, rad 3, kolumn "värde"' in page_text(response)
    assert ActivityReport.objects.filter(plan=plan).count() == 1
    good = bad.replace("abc", "260")
    reporter.post(
        f"/uppdrag/{drafted.pk}/rapportera/",
        {"upload": "1", "file": SimpleUploadedFile("rapport.csv", good.encode())},
    )
    assert list(ActivityReport.objects.filter(plan=plan).values_list("period", "value")) == [
        ("2026K1", 150.0),
        ("2026K2", 210.0),
        ("2026K3", 260.0),
    ]
    follow_up = client.get(f"/uppdrag/{drafted.pk}/uppfoljning/")
    row = follow_up.context["content"].indicators[0]
    assert row.status in {"i fas", "risk", "ej i fas", "målet nått"}
    assert row.rule
    assert "Spårbarhet" in page_text(follow_up)
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK")):
        assert client.get(f"/uppdrag/{drafted.pk}/uppfoljning.{fmt}").content.startswith(magic)
    overview = client.get("/uppdrag/").context["assignments"][0]
    assert overview.status_counts == [(row.status, 1)]


def test_outsiders_read_and_change_nothing(client_for, outsider, drafted):
    other = client_for(outsider)
    for path in (
        f"/uppdrag/{drafted.pk}/",
        f"/uppdrag/{drafted.pk}/uppfoljning/",
        f"/uppdrag/{drafted.pk}/rapportera/",
    ):
        assert other.get(path).status_code == 404
    assert (
        other.post(f"/uppdrag/{drafted.pk}/dialog/", {"form": "dialogue", "text": "x"}).status_code
        == 404
    )
    assert other.post(f"/uppdrag/{drafted.pk}/nasta-steg/").status_code == 404
    assert not drafted.dialogue.exists()
    assert "Hälsosamtal i Rinkeby" not in page_text(other.get("/uppdrag/"))


def test_a_waiver_needs_a_reason_and_then_closes_the_gap(
    client_for, analyst, drafted, activity_indicator
):
    client = client_for(analyst)
    client.post(
        f"/uppdrag/{drafted.pk}/mal/",
        {"form": "goal", "goal-kind": "short", "goal-text": "Starta samtalen"},
    )
    gaps = client.get(f"/uppdrag/{drafted.pk}/").context["gaps"]
    first = next(g for g in gaps if not g.waived)
    key = first.key
    client.post(f"/uppdrag/{drafted.pk}/undantag/", {"form": "waiver", "key": key, "reason": ""})
    assert not drafted.waivers.exists()
    client.post(
        f"/uppdrag/{drafted.pk}/undantag/",
        {"form": "waiver", "key": key, "reason": "Mäts i nästa års uppdrag"},
    )
    assert drafted.waivers.get().reason == "Mäts i nästa års uppdrag"
    after = client.get(f"/uppdrag/{drafted.pk}/").context["gaps"]
    waived = next(g for g in after if g.key == key)
    assert waived.waived and waived.waiver_reason == "Mäts i nästa års uppdrag"


def test_the_cni_supplementary_assignment_is_drafted_for_every_eligible_unit_once(
    client_for, analyst
):
    from halsogap_web.needs.demo import load_demo_care_units

    load_demo_care_units()
    client = client_for(analyst)
    eligible = sum(r["eligible"] for r in client.get("/vardbehov/").context["rows"])
    client.post("/uppdrag/tillaggsuppdrag/")
    drafts = Assignment.objects.filter(title__startswith="Tilläggsuppdrag")
    assert drafts.count() == eligible > 0
    first = drafts.first()
    assert first.recipients.count() == 1
    assert set(first.plan_indicators.values_list("role", flat=True)) == {"effect", "process"}
    client.post("/uppdrag/tillaggsuppdrag/")
    assert Assignment.objects.filter(title__startswith="Tilläggsuppdrag").count() == eligible


def test_the_decision_document_and_the_annual_report_open_in_every_format(
    client_for, analyst, politician, drafted, activity_indicator
):
    import io
    import zipfile

    import openpyxl

    client = client_for(analyst)
    complete(client, drafted, activity_indicator)
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client.post(f"/uppdrag/{drafted.pk}/nasta-steg/")
    client_for(politician).post(
        f"/uppdrag/{drafted.pk}/nasta-steg/",
        {"decision_body": "Nämnden", "decided_on": "2026-11-20", "decided_by": "Nämnden"},
    )
    pdf = client.get(f"/uppdrag/{drafted.pk}/uppdrag.pdf")
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(f"/uppdrag/{drafted.pk}/uppdrag.docx")
    text = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Hälsosamtal i Rinkeby" in text and "Vårdcentral Rinkeby" in text
    assert client.get("/uppdrag/arsredovisning.pdf").content.startswith(b"%PDF")
    annual = client.get("/uppdrag/arsredovisning.docx")
    assert (
        "Hälsosamtal i Rinkeby"
        in zipfile.ZipFile(io.BytesIO(annual.content)).read("word/document.xml").decode()
    )
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get("/uppdrag/arsredovisning.xlsx").content)
    )
    cells = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "Hälsosamtal i Rinkeby" in cells


def test_an_assignment_from_a_need_shows_the_gap_and_links_measures_and_the_decision(
    client_for, analyst, stockholm
):
    from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis
    from halsogap_web.priorities.demo import load_catalogue
    from halsogap_web.priorities.models import Measure

    load_catalogue()
    group = NeedGroup.objects.create(region=stockholm, name="Länet", area_rule="region")
    analysis = NeedsAnalysis.objects.create(region=stockholm, title="Analys 2027", year=2027)
    analysis.need_groups.add(group)
    need = AnalysisIndicator.objects.create(
        analysis=analysis, indicator=Indicator.objects.get(code="U01402")
    )
    client = client_for(analyst)
    response = client.post(
        f"/uppdrag/nytt/?behov={need.pk}",
        {
            "title": "Rökfritt län",
            "perspective": "population",
            "kind": "preventive",
            "need_group": group.pk,
        },
    )
    assignment = Assignment.objects.get(title="Rökfritt län")
    assert response["Location"] == f"/uppdrag/{assignment.pk}/"
    page = client.get(f"/uppdrag/{assignment.pk}/")
    background = page.context["backgrounds"][0]
    # Session data: Stockholm 5,8 % in 2022 is the best region among those loaded: no gap.
    assert background.current == pytest.approx(5.8) and background.gap_to_close == 0
    assert "Källa: Kolada/RKA" in page_text(page)
    measure = Measure.objects.get(region=None, code="LV-TOB-01")
    client.post(
        f"/uppdrag/{assignment.pk}/kopplingar/", {"form": "links", "measures": [measure.pk]}
    )
    assert list(assignment.measures.all()) == [measure]
    follow_up = client.get(f"/uppdrag/{assignment.pk}/uppfoljning/")
    assert "Sluts gapet?" in page_text(follow_up)


def test_an_empty_baseline_is_taken_from_the_regions_latest_value(client_for, analyst, drafted):
    client = client_for(analyst)
    client.post(
        f"/uppdrag/{drafted.pk}/mal/",
        {"form": "goal", "goal-kind": "long", "goal-text": "Färre rökare"},
    )
    goal = drafted.goals.get()
    client.post(
        f"/uppdrag/{drafted.pk}/uppfoljningsplan/",
        {
            "form": "plan",
            "plan-goal": goal.pk,
            "plan-indicator": Indicator.objects.get(code="U01402").pk,
            "plan-role": "effect",
            "plan-target": "4",
            "plan-target_date": "2030-12-31",
        },
    )
    plan = PlanIndicator.objects.get(assignment=drafted)
    # Session data: Region Stockholm's latest U01402 value is 5,8 % (2022).
    assert (plan.baseline, plan.baseline_period) == (5.8, "2022")
    assert plan.source.startswith("Kolada/RKA")


def test_the_follow_up_page_and_the_annual_report_give_each_line_the_same_result(
    client_for, analyst, drafted, activity_indicator, stockholm
):
    from halsogap_web.assignments.documents import annual_content
    from halsogap_web.assignments.follow_up import follow_up_content

    client = client_for(analyst)
    goal = complete(client, drafted, activity_indicator)
    client.post(
        f"/uppdrag/{drafted.pk}/uppfoljningsplan/",
        {
            "form": "plan",
            "plan-goal": goal.pk,
            "plan-indicator": Indicator.objects.get(code="U01402").pk,
            "plan-role": "effect",
            "plan-target": "4",
            "plan-target_date": "2030-12-31",
        },
    )
    reported = PlanIndicator.objects.get(assignment=drafted, indicator=activity_indicator)
    ActivityReport.objects.create(plan=reported, period="2026K1", value=150)
    Assignment.objects.filter(pk=drafted.pk).update(decided_on="2026-01-15")
    page = follow_up_content(drafted)
    annual = annual_content(stockholm, 2026).assignments[0].indicators
    assert [(r.code, r.status, r.latest_value, r.series) for r in page.indicators] == [
        (r.code, r.status, r.latest_value, r.series) for r in annual
    ]
