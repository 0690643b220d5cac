"""The network level: the secretariat sees what member regions share and nothing else, keeps
the network's verksamhetsplan in five columns with status, manages theme groups with members
from several regions, and asks follow-up questions whose answers are summarised across regions;
process leaders read the network's plan and their own theme groups."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document

from halsogap_web.accounts.models import Membership, Organisation
from halsogap_web.network.models import ActionPlan, PlanActivity
from halsogap_web.network.theme_models import ThemeGroup, ThemeGroupMember
from halsogap_web.selfevaluation.demo import ensure_default_definition
from halsogap_web.selfevaluation.models import Evaluation, FollowUpAnswer, FollowUpQuestion, Score

from .web_support import NETWORK, SKANE, STOCKHOLM, page_text

YEAR = timezone.localdate().year


def _network():
    return Organisation.objects.get(name=NETWORK)


@pytest.fixture
def network(db):
    return _network()


def _finished_evaluation(region_name: str, *, shared: bool, comment: str) -> Evaluation:
    region = Organisation.objects.get(name=region_name)
    evaluation = Evaluation.objects.create(
        region=region, definition=ensure_default_definition(), version="short", shared=shared
    )
    for i, statement in enumerate(evaluation.statements()):
        Score.objects.create(
            evaluation=evaluation, statement=statement, score=4 + i % 3, comment=comment
        )
    evaluation.status, evaluation.finished_at = "finished", timezone.now()
    evaluation.save()
    return evaluation


def _region_plan(region_name: str, *, shared: bool, title: str) -> ActionPlan:
    region = Organisation.objects.get(name=region_name)
    return ActionPlan.objects.create(region=region, year=YEAR, title=title, shared=shared)


def test_the_secretariat_sees_shared_profiles_and_plans_but_never_unshared_ones_or_comments(
    client_for, secretariat, network
):
    shared = _finished_evaluation(STOCKHOLM, shared=True, comment="Hemlig kommentar")
    hidden = _finished_evaluation(SKANE, shared=False, comment="")
    _region_plan(STOCKHOLM, shared=True, title="Stockholms delade plan")
    kept = _region_plan(SKANE, shared=False, title="Skånes egna plan")
    client = client_for(secretariat)
    page = page_text(client.get("/natverket/"))
    assert "Stockholms delade plan" in page and "Skånes egna plan" not in page
    assert "Delar ingen slutförd självevaluering" in page  # Skåne's row
    profile = client.get(f"/natverket/profiler/{shared.pk}/")
    assert profile.status_code == 200
    assert "Hemlig kommentar" not in page_text(profile)
    assert "Källa:" in page_text(profile)
    assert client.get(f"/natverket/profiler/{hidden.pk}/").status_code == 404
    assert client.get(f"/handlingsplaner/{kept.pk}/").status_code == 404
    assert client.get(f"/sjalvevaluering/{shared.pk}/profil/").status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/behovsanalys/", "/prioritering/", "/uppdrag/", "/arshjul/", "/sjalvevaluering/",
     "/dialoger/", "/styrdokument/", "/vardbehov/"],
)  # fmt: skip
def test_the_secretariat_holds_no_region_so_a_regions_pages_refuse_it(client_for, secretariat, url):
    assert client_for(secretariat).get(url).status_code == 403


def test_the_secretariats_start_is_the_networks_overview(client_for, secretariat):
    response = client_for(secretariat).get("/")
    assert response.status_code == 302 and response["Location"] == "/natverket/"


def test_the_network_plan_has_the_five_columns_and_status_through_the_year(
    client_for, secretariat, hfs, politician
):
    client = client_for(secretariat)
    response = client.post("/natverket/verksamhetsplan/ny/", {"year": YEAR + 1})
    plan = ActionPlan.objects.get(title=f"Verksamhetsplan {YEAR + 1} – {NETWORK}")
    assert response["Location"] == f"/handlingsplaner/{plan.pk}/"
    areas = list(plan.focus_areas.all())
    assert [a.perspective for a in areas] == ["styrning", "patient", "befolkning", "medarbetare"]
    assert f"följefrågor till självevalueringsverktyg {YEAR + 1}" in areas[0].follow_up
    client.post(
        f"/handlingsplaner/{plan.pk}/",
        {
            "add_activity": "1",
            "focus_area": areas[1].pk,
            f"new-{areas[1].pk}-description": "Digitimme om hälsofrämjande möten",
            f"new-{areas[1].pk}-responsible": "Sekretariatet",
            f"new-{areas[1].pk}-time_plan": "Hösten",
            f"new-{areas[1].pk}-status": "planned",
        },
    )
    activity = PlanActivity.objects.get(description="Digitimme om hälsofrämjande möten")
    client.post(
        f"/handlingsplaner/aktivitet/{activity.pk}/",
        {
            f"a{activity.pk}-description": activity.description,
            f"a{activity.pk}-responsible": "Sekretariatet",
            f"a{activity.pk}-time_plan": "Hösten",
            f"a{activity.pk}-status": "in_progress",
        },
    )
    activity.refresh_from_db()
    assert activity.status == "in_progress"
    word = Document(
        io.BytesIO(client.get(f"/handlingsplaner/{plan.pk}/handlingsplan.docx").content)
    )
    header = [c.text for c in word.tables[0].rows[0].cells]
    assert header[:5] == ["Fokusområde", "Prioriterade aktiviteter", "Ansvariga", "Tidplan",
                          "Uppföljning"]  # fmt: skip
    assert any("Pågår" in c.text for row in word.tables[0].rows for c in row.cells)
    # A process leader reads the network's plan and cannot change it; a politician sees none.
    reader = client_for(hfs)
    page = reader.get(f"/handlingsplaner/{plan.pk}/")
    assert page.status_code == 200 and "Digitimme om hälsofrämjande möten" in page_text(page)
    assert "Lägg till aktivitet" not in page_text(page)
    assert reader.post(f"/handlingsplaner/aktivitet/{activity.pk}/", {}).status_code == 403
    assert client_for(politician).get(f"/handlingsplaner/{plan.pk}/").status_code == 404


def test_a_theme_group_has_members_from_several_regions_and_its_own_plan(
    client_for, secretariat, hfs, outsider_hfs, analyst
):
    client = client_for(secretariat)
    client.post("/natverket/temagrupper/ny/", {"name": "Levnadsvanor", "description": "Stöd"})
    group = ThemeGroup.objects.get(name="Levnadsvanor")
    for user in (hfs, outsider_hfs):
        seat = Membership.objects.get(user=user)
        answer = client.post(f"/natverket/temagrupper/{group.pk}/", {"membership": seat.pk})
        assert answer.status_code == 302
    assert [r.name for r in group.regions()] == [SKANE, STOCKHOLM]
    assert "Medlemmar från 2 regioner" in page_text(
        client.get(f"/natverket/temagrupper/{group.pk}/")
    )
    # A member drafts the group's plan and keeps it; someone outside the group never sees it.
    member = client_for(outsider_hfs)
    member.post(f"/natverket/temagrupper/{group.pk}/handlingsplan/", {"year": YEAR})
    plan = ActionPlan.objects.get(theme_group=group)
    area = plan.focus_areas.first()
    member.post(
        f"/handlingsplaner/{plan.pk}/",
        {"add_activity": "1", "focus_area": area.pk, f"new-{area.pk}-description": "Kartlägg",
         f"new-{area.pk}-status": "planned"},
    )  # fmt: skip
    assert area.activities.filter(description="Kartlägg").exists()
    assert client_for(analyst).get(f"/natverket/temagrupper/{group.pk}/").status_code == 404
    assert client_for(analyst).get(f"/handlingsplaner/{plan.pk}/").status_code == 404
    # Only the secretariat adds members.
    seat = Membership.objects.get(user=analyst)
    assert (
        member.post(f"/natverket/temagrupper/{group.pk}/", {"membership": seat.pk}).status_code
        == 403
    )
    assert not ThemeGroupMember.objects.filter(membership=seat).exists()


def test_a_duplicate_theme_group_name_is_refused_with_a_message(client_for, secretariat, network):
    ThemeGroup.objects.create(network=network, name="Tobak")
    answer = client_for(secretariat).post("/natverket/temagrupper/ny/", {"name": "tobak"})
    assert "Det finns redan en temagrupp med det namnet." in page_text(answer)
    assert ThemeGroup.objects.filter(name__iexact="tobak").count() == 1


def test_follow_up_answers_are_summarised_across_regions(
    client_for, secretariat, hfs, outsider_hfs
):
    client = client_for(secretariat)
    client.post(
        "/natverket/foljefragor/",
        {"year": YEAR, "text": "Hur väl används resultaten?", "kind": "scale"},
    )
    question = FollowUpQuestion.objects.get(text="Hur väl används resultaten?")
    for user, value in ((hfs, "8"), (outsider_hfs, "5")):
        answer = client_for(user).post(
            f"/sjalvevaluering/foljefragor/?ar={YEAR}",
            {"question": question.pk, f"q{question.pk}-value": value},
        )
        assert answer.status_code == 302
    page = page_text(client.get(f"/natverket/foljefragor/?ar={YEAR}"))
    assert "Medel 6,5 av 10 (2 regioner)" in page
    assert STOCKHOLM in page and SKANE in page
    assert "Medel 6,5 av 10" in page_text(client.get(f"/natverket/?ar={YEAR}"))


def test_a_bad_follow_up_answer_is_refused_and_changes_nothing(client_for, hfs):
    question = FollowUpQuestion.objects.create(
        network=_network(), year=YEAR, text="Ja eller nej?", kind="yes_no"
    )
    answer = client_for(hfs).post(
        f"/sjalvevaluering/foljefragor/?ar={YEAR}",
        {"question": question.pk, f"q{question.pk}-value": "kanske"},
    )
    assert answer.status_code == 200
    assert 'Svaret ska vara "ja" eller "nej", inte "kanske".' in page_text(answer)
    assert not FollowUpAnswer.objects.exists()


def test_a_region_reads_only_its_own_answers_and_cannot_ask_questions(
    client_for, hfs, outsider_hfs
):
    question = FollowUpQuestion.objects.create(
        network=_network(), year=YEAR, text="Fritt?", kind="text"
    )
    FollowUpAnswer.objects.create(
        question=question, region=Organisation.objects.get(name=SKANE), value="Skånes svar"
    )
    page = page_text(client_for(hfs).get(f"/sjalvevaluering/foljefragor/?ar={YEAR}"))
    assert "Fritt?" in page and "Skånes svar" not in page
    assert client_for(hfs).get("/natverket/foljefragor/").status_code == 403
    refused = client_for(hfs).post(
        "/natverket/foljefragor/", {"year": YEAR, "text": "X", "kind": "text"}
    )
    assert refused.status_code == 403
    assert FollowUpQuestion.objects.count() == 1


def test_a_region_shares_its_plan_with_the_secretariat_and_only_its_evaluators_may(
    client_for, hfs, politician, secretariat, outsider_hfs
):
    plan = _region_plan(STOCKHOLM, shared=False, title="Stockholms plan att dela")
    reader = client_for(secretariat)
    assert reader.get(f"/handlingsplaner/{plan.pk}/").status_code == 404
    for refused in (politician, secretariat):
        answer = client_for(refused).post(f"/handlingsplaner/{plan.pk}/dela/", {"shared": "1"})
        assert answer.status_code == 403
    assert (
        client_for(outsider_hfs)
        .post(f"/handlingsplaner/{plan.pk}/dela/", {"shared": "1"})
        .status_code
        == 404
    )
    plan.refresh_from_db()
    assert not plan.shared
    client_for(hfs).post(f"/handlingsplaner/{plan.pk}/dela/", {"shared": "1"})
    page = reader.get(f"/handlingsplaner/{plan.pk}/")
    assert page.status_code == 200 and "Lägg till aktivitet" not in page_text(page)
    assert "Stockholms plan att dela" in page_text(reader.get("/natverket/"))
    client_for(hfs).post(f"/handlingsplaner/{plan.pk}/dela/", {"shared": "0"})
    assert reader.get(f"/handlingsplaner/{plan.pk}/").status_code == 404
