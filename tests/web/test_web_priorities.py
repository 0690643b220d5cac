"""Priority setting: assessments with explained ranks, the dignity guard, allocation, decisions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from halsogap_web.needs.models import NeedGroup
from halsogap_web.observations.models import Indicator
from halsogap_web.priorities.demo import load_catalogue
from halsogap_web.priorities.models import Assessment, Measure, PriorityDecision

from .web_support import page_text


@pytest.fixture
def setup(db, stockholm):
    load_catalogue()
    groups = {
        name: NeedGroup.objects.create(region=stockholm, name=name, area_rule="region")
        for name in ("Vuxna som röker", "Vuxna med fetma")
    }
    base = Measure.objects.get(region=None, code="LV-TOB-01")
    smoking = Measure.objects.create(
        region=stockholm,
        code="RS-TOB",
        title="Rökavvänjning på vårdcentral",
        kind="preventive",
        perspective="individual",
        cost_one_off=2_000_000,
        reach=4000,
        effect_per_person=0.01,
        uptake=0.5,
        source="Regionens skattning",
        based_on=base,
    )
    obesity = Measure.objects.create(
        region=stockholm,
        code="RS-FET",
        title="Levnadsvaneprogram",
        kind="health_promoting",
        perspective="population",
        cost_one_off=3_000_000,
        reach=10000,
        effect_per_person=0.004,
        uptake=0.5,
        source="Regionens skattning",
    )
    unknown = Measure.objects.create(
        region=stockholm,
        code="RS-OKAND",
        title="Ny metod utan effektskattning",
        kind="preventive",
        perspective="individual",
        cost_one_off=1_000_000,
        source="Regionens skattning",
    )
    return groups, smoking, obesity, unknown


def assess(client, group, indicator, measure, **fields):
    data = {
        "need_group": group.pk,
        "indicator": Indicator.objects.get(code=indicator).pk,
        "measure": measure.pk,
        "severity": "stor",
        "benefit": "måttlig",
        "cost_band": "låg",
        "evidence": "måttlig",
        "criteria": "",
    } | fields
    return client.post("/prioritering/", data)


def test_an_assessment_gets_a_rank_with_each_step_of_the_model_shown(client_for, analyst, setup):
    groups, smoking, _, _ = setup
    response = assess(client_for(analyst), groups["Vuxna som röker"], "U01402", smoking)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    # stor → 3, nytta måttlig +2 → 5, kostnad låg +0, evidens måttlig +0: rank 5.
    assert assessment.suggested_rank == "5"
    page = page_text(client_for(analyst).get(f"/prioritering/bedomning/{assessment.pk}/"))
    assert 'Startnivå från svårighetsgrad "stor": 3.' in page
    assert "riktlinjens prioritet: okänd" in page


def test_criteria_that_lower_priority_on_lifestyle_or_age_are_refused_with_the_reason(
    client_for, analyst, setup
):
    groups, smoking, _, _ = setup
    response = assess(
        client_for(analyst),
        groups["Vuxna som röker"],
        "U01402",
        smoking,
        criteria="Lägre prioritet för rökare eftersom de orsakat sin ohälsa själva",
    )
    assert response.status_code == 200
    assert "prop. 1996/97:60" in page_text(response)
    assert not Assessment.objects.exists()


def test_allocation_funds_rank_one_to_three_first_and_flags_a_missing_effect(
    client_for, analyst, politician, setup
):
    groups, smoking, obesity, unknown = setup
    client = client_for(analyst)
    assess(
        client, groups["Vuxna som röker"], "U01402", smoking, severity="mycket stor", benefit="stor"
    )  # 1 + 1 = rank 2
    assess(client, groups["Vuxna med fetma"], "U01411", obesity)  # rank 5
    assess(client, groups["Vuxna med fetma"], "U01411", unknown)
    response = client_for(politician).get("/prioritering/fordelning/", {"budget": 4_000_000})
    options = {o["measure"]: o for o in response.context["options"]}
    # 4 mnkr: the rank-2 measure (2 mnkr) must come first; 2 mnkr left cannot buy RS-FET (3).
    assert options["RS-TOB"]["funded"] is True
    assert not options["RS-FET"]["funded"]
    assert "Effektskattning saknas" in options["RS-OKAND"]["excluded_reason"]
    assert response.context["result"].status == "optimal"
    more = response.context["marginal"].more.text
    assert "1 mnkr" in more


def test_allocation_says_where_the_strict_gate_blocks_and_offers_the_affordable_rule(
    client_for, analyst, politician, setup
):
    groups, smoking, obesity, _ = setup
    client = client_for(analyst)
    assess(
        client, groups["Vuxna med fetma"], "U01411", obesity, severity="mycket stor", benefit="stor"
    )  # rank 2 but 3 mnkr, dearer than the whole budget
    assess(client, groups["Vuxna som röker"], "U01402", smoking)  # rank 5, 2 mnkr
    politician_client = client_for(politician)
    strict = politician_client.get("/prioritering/fordelning/", {"budget": "2 500 000"})
    funded = {o["measure"] for o in strict.context["options"] if o["funded"]}
    assert funded == set()
    text = page_text(strict)
    assert "mer än hela budgeten" in text and "2,5 mnkr av budgeten används inte" in text
    assert "som ryms i budgeten" in text
    affordable = politician_client.get(
        "/prioritering/fordelning/", {"budget": "2 500 000", "regel": "ryms"}
    )
    funded = {o["measure"] for o in affordable.context["options"] if o["funded"]}
    assert funded == {"RS-TOB"}
    assert 'value="ryms" selected' in affordable.content.decode()
    unknown = politician_client.get("/prioritering/fordelning/", {"regel": "snabb"})
    assert "ska vara ”strikt” eller ”ryms”" in page_text(unknown)


def test_a_decision_is_recorded_immutably_and_a_change_is_a_new_version_with_its_difference(
    client_for, analyst, politician, setup
):
    groups, smoking, obesity, _ = setup
    client = client_for(analyst)
    assess(client, groups["Vuxna som röker"], "U01402", smoking)
    assess(client, groups["Vuxna med fetma"], "U01411", obesity)
    decide = {
        "body": "Hälso- och sjukvårdsnämnden",
        "decided_on": "2026-11-20",
        "decided_by": "Per Politiker (ordf.)",
        "rationale": "Störst behov först.",
        "published": "on",
    }
    politician_client = client_for(politician)
    first = politician_client.post("/prioritering/fordelning/?budget=2500000", decide)
    assert first.status_code == 302
    second = politician_client.post("/prioritering/fordelning/?budget=5500000", decide)
    v1, v2 = PriorityDecision.objects.order_by("version")
    assert (v1.version, v2.version, v2.previous) == (1, 2, v1)
    assert {a["measure"] for a in v2.allocation} == {"RS-TOB", "RS-FET"}
    page = page_text(politician_client.get(second["Location"]))
    assert "Skillnad mot version 1" in page and "Ny åtgärd: " in page
    assert "Budget: +3\xa0000\xa0000 kr" in page
    with pytest.raises(ValidationError):
        v1.rationale = "Ändrat i efterhand"
        v1.save()
    with pytest.raises(ValidationError):
        v1.delete()
    assert PriorityDecision.objects.get(pk=v1.pk).rationale == "Störst behov först."
    assert v1.decided_on == datetime.date(2026, 11, 20)


def test_the_public_reads_published_decisions_and_outsiders_cannot_change_them(
    client_for, analyst, politician, outsider, setup
):
    groups, smoking, _, _ = setup
    assess(client_for(analyst), groups["Vuxna som röker"], "U01402", smoking)
    client_for(politician).post(
        "/prioritering/fordelning/?budget=2500000",
        {
            "body": "Regionfullmäktige",
            "decided_on": "2026-11-20",
            "decided_by": "Fullmäktige",
            "rationale": "Öppen motivering",
            "published": "on",
        },
    )
    public = client_for(None)
    listing = page_text(public.get("/region/01/prioriteringar/"))
    assert "Version 1: Regionfullmäktige" in listing
    detail = page_text(public.get("/region/01/prioriteringar/1/"))
    assert "Öppen motivering" in detail and "Rökavvänjning på vårdcentral" in detail
    decision = PriorityDecision.objects.get()
    assert client_for(outsider).get(f"/prioritering/beslut/{decision.pk}/").status_code == 404
    assert (
        client_for(outsider)
        .post(
            "/prioritering/fordelning/?budget=1",
            {"body": "x", "decided_on": "2026-01-01", "decided_by": "x", "rationale": "x"},
        )
        .status_code
        == 403
    )
    assert PriorityDecision.objects.filter(region__name="Region Skåne").count() == 0
    assert (
        client_for(analyst)
        .post(
            "/prioritering/fordelning/?budget=1",
            {"body": "x", "decided_on": "2026-01-01", "decided_by": "x", "rationale": "x"},
        )
        .status_code
        == 403
    )


def test_an_unpublished_decision_stays_internal(client_for, analyst, politician, setup):
    groups, smoking, _, _ = setup
    assess(client_for(analyst), groups["Vuxna som röker"], "U01402", smoking)
    client_for(politician).post(
        "/prioritering/fordelning/?budget=2500000",
        {
            "body": "Nämnden",
            "decided_on": "2026-11-20",
            "decided_by": "Nämnden",
            "rationale": "Internt",
        },
    )
    assert client_for(None).get("/region/01/prioriteringar/1/").status_code == 404


def test_horizontal_ranking_shows_weights_and_rank_stability(
    client_for, analyst, politician, setup
):
    groups, smoking, obesity, _ = setup
    client = client_for(analyst)
    assess(client, groups["Vuxna som röker"], "U01402", smoking, severity="mycket stor")
    assess(client, groups["Vuxna med fetma"], "U01411", obesity, severity="liten")
    response = client_for(politician).get("/prioritering/horisontell/")
    rows = response.context["rows"]
    assert rows[0]["need"].startswith("Vuxna som röker")
    assert response.context["sensitivity"]
    assert "Känslighet" in page_text(response)


def test_a_region_measure_without_a_known_guideline_number_says_so(client_for, analyst, setup):
    text = page_text(client_for(analyst).get("/prioritering/atgarder/"))
    assert "okänd" in text
    tob02 = Measure.objects.get(region=None, code="LV-TOB-02")
    assert tob02.guideline_priority == "3"
