"""The standards self-evaluation, its profile and network comparison, and the action plan."""

from __future__ import annotations

import io
import zipfile

import pytest

from halsogap_web.network.models import ActionPlan, GoodExample, PlanActivity
from halsogap_web.selfevaluation.demo import ensure_default_definition
from halsogap_web.selfevaluation.models import Evaluation, Score, StandardsDefinition

from .web_support import page_text


@pytest.fixture
def definition(db):
    return ensure_default_definition()


def start(client, definition, version="short") -> Evaluation:
    response = client.post("/sjalvevaluering/", {"definition": definition.pk, "version": version})
    assert response.status_code == 302, page_text(response)
    return Evaluation.objects.latest("pk")


def answers(evaluation, scores: dict[str, int | str], comments: dict[str, str] | None = None):
    data = {}
    for statement in evaluation.statements():
        data[f"score-{statement.pk}"] = scores.get(statement.code, "")
        data[f"comment-{statement.pk}"] = (comments or {}).get(statement.code, "")
    return data


def test_the_shipped_short_version_has_the_seed_examples(client_for, hfs, definition):
    evaluation = start(client_for(hfs), definition)
    text = page_text(client_for(hfs).get(f"/sjalvevaluering/{evaluation.pk}/"))
    assert "Vid samtal om levnadsvanor inleds samtalet med att utforska" in text
    assert evaluation.statements().count() == 14


def test_the_full_version_is_refused_until_the_networks_file_is_imported(
    client_for, hfs, definition
):
    response = client_for(hfs).post(
        "/sjalvevaluering/", {"definition": definition.pk, "version": "full"}
    )
    assert response.status_code == 200
    assert "bara kortversionens påståenden" in page_text(response)
    assert not Evaluation.objects.exists()


def test_one_answer_saves_on_change_and_the_rest_can_wait(client_for, hfs, definition):
    client = client_for(hfs)
    evaluation = start(client, definition)
    statement = evaluation.statements().get(code="P1")
    response = client.post(
        f"/sjalvevaluering/{evaluation.pk}/svar/{statement.pk}/",
        {f"score-{statement.pk}": "7", f"comment-{statement.pk}": "Motiverande samtal införda"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    score = Score.objects.get(evaluation=evaluation, statement=statement)
    assert (score.score, score.comment) == (7, "Motiverande samtal införda")
    assert Evaluation.objects.get(pk=evaluation.pk).status == "draft"


def test_a_score_outside_one_to_ten_saves_nothing(client_for, hfs, definition):
    client = client_for(hfs)
    evaluation = start(client, definition)
    data = answers(evaluation, {"S1": 4, "P1": 11})
    response = client.post(f"/sjalvevaluering/{evaluation.pk}/", data | {"save": "1"})
    assert response.status_code == 200
    assert "heltal från 1 till 10" in page_text(response)
    assert not Score.objects.filter(evaluation=evaluation).exists()


def test_finishing_gives_a_profile_per_standard_and_perspective(client_for, hfs, definition):
    client = client_for(hfs)
    evaluation = start(client, definition)
    data = answers(evaluation, {"S1": 2, "S2": 4, "P1": 9, "M1": 6})
    response = client.post(f"/sjalvevaluering/{evaluation.pk}/", data | {"finish": "1"})
    assert response["Location"] == f"/sjalvevaluering/{evaluation.pk}/profil/"
    profile = client.get(response["Location"])
    context = profile.context
    by_standard = {r.key: r.mean for r in context["profile"].by_standard}
    assert by_standard["1"] == 3.0 and by_standard["3"] == 9.0 and by_standard["4"] == 6.0
    assert "Profil per standard" in profile.content.decode()
    assert [s.code for s, _ in context["weakest"]] == ["S1", "S2"]


def test_a_finished_evaluation_cannot_be_changed(client_for, hfs, definition):
    client = client_for(hfs)
    evaluation = start(client, definition)
    client.post(
        f"/sjalvevaluering/{evaluation.pk}/", answers(evaluation, {"S1": 5}) | {"finish": "1"}
    )
    statement = evaluation.statements().get(code="S1")
    response = client.post(
        f"/sjalvevaluering/{evaluation.pk}/svar/{statement.pk}/", {f"score-{statement.pk}": "9"}
    )
    assert response.status_code == 404
    assert Score.objects.get(evaluation=evaluation, statement=statement).score == 5


def test_the_profile_compares_with_the_previous_evaluation(client_for, hfs, definition):
    client = client_for(hfs)
    first = start(client, definition)
    client.post(f"/sjalvevaluering/{first.pk}/", answers(first, {"S1": 3}) | {"finish": "1"})
    second = start(client, definition)
    client.post(f"/sjalvevaluering/{second.pk}/", answers(second, {"S1": 7}) | {"finish": "1"})
    response = client.get(f"/sjalvevaluering/{second.pk}/profil/")
    assert response.context["previous_evaluation"].pk == first.pk
    assert "Förra utvärderingen: 3,0" in response.content.decode()


def test_other_regions_see_shared_means_but_never_comments(
    client_for, hfs, outsider_hfs, outsider, definition
):
    stockholm = client_for(hfs)
    evaluation = start(stockholm, definition)
    stockholm.post(
        f"/sjalvevaluering/{evaluation.pk}/",
        answers(evaluation, {"S1": 8, "P1": 6}, {"S1": "Hemlig kommentar om ledningen"})
        | {"finish": "1"},
    )
    skane = client_for(outsider_hfs)
    own = start(skane, definition)
    skane.post(f"/sjalvevaluering/{own.pk}/", answers(own, {"S1": 4}) | {"finish": "1"})

    before = page_text(skane.get(f"/sjalvevaluering/{own.pk}/profil/"))
    assert "Region Stockholm" not in before

    stockholm.post(f"/sjalvevaluering/{evaluation.pk}/dela/", {"shared": "1"})
    after = skane.get(f"/sjalvevaluering/{own.pk}/profil/")
    text = page_text(after)
    assert "Region Stockholm" in text
    assert "Hemlig kommentar" not in text
    assert [row["region"].name for row in after.context["network"]] == ["Region Stockholm"]
    # Skåne's analyst is not the network's coordinator and sees no comparison.
    assert "Region Stockholm" not in page_text(
        client_for(outsider).get(f"/sjalvevaluering/{own.pk}/profil/")
    )
    # No other region can open Stockholm's answers.
    assert skane.get(f"/sjalvevaluering/{evaluation.pk}/").status_code == 404
    assert skane.get(f"/sjalvevaluering/{evaluation.pk}/profil/").status_code == 404


def test_a_bad_definition_file_is_refused_with_line_and_expectation(client_for, hfs):
    data = (
        b"standard;standard_title;statement;text;perspective;short\n"
        b"1;Ledning;1.1;Policy;styrning;ja\n"
        b"1;Ledning;1.2;Rutin;personalen;ja\n"
    )
    response = client_for(hfs).post(
        "/sjalvevaluering/standarder/",
        {"name": "Test", "file": _file("hph.csv", data)},
    )
    assert response.status_code == 200
    assert 'hph.csv, rad 3, kolumn "perspective"' in page_text(response)
    assert not StandardsDefinition.objects.filter(name="Test").exists()


def test_analysts_cannot_replace_the_networks_standards(client_for, analyst):
    assert client_for(analyst).get("/sjalvevaluering/standarder/").status_code == 403


def test_the_action_plan_is_drafted_from_low_scores_tracked_and_exported(
    client_for, hfs, outsider_hfs, definition
):
    client = client_for(hfs)
    evaluation = start(client, definition)
    client.post(
        f"/sjalvevaluering/{evaluation.pk}/",
        answers(evaluation, {"S1": 2, "P1": 3, "B1": 9, "M1": 8}) | {"finish": "1"},
    )
    response = client.post(f"/sjalvevaluering/{evaluation.pk}/handlingsplan/")
    plan = ActionPlan.objects.get()
    assert response["Location"] == f"/handlingsplaner/{plan.pk}/"
    areas = {
        a.perspective: [x.description for x in a.activities.all()] for a in plan.focus_areas.all()
    }
    assert set(areas) == {"styrning", "patient"}
    assert areas["patient"][0].startswith("Vid samtal om levnadsvanor")

    activity = PlanActivity.objects.get(focus_area__perspective="patient")
    client.post(
        f"/handlingsplaner/aktivitet/{activity.pk}/",
        {
            f"a{activity.pk}-description": activity.description,
            f"a{activity.pk}-responsible": "Primärvårdsavdelningen",
            f"a{activity.pk}-time_plan": "Klart hösten",
            f"a{activity.pk}-status": "done",
        },
    )
    activity.refresh_from_db()
    assert (activity.responsible, activity.status) == ("Primärvårdsavdelningen", "done")
    assert "1 av 2 aktiviteter klara" in page_text(client.get(f"/handlingsplaner/{plan.pk}/"))

    pdf = client.get(f"/handlingsplaner/{plan.pk}/handlingsplan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(f"/handlingsplaner/{plan.pk}/handlingsplan.docx")
    document = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Primärvårdsavdelningen" in document and "Fokusområde" in document

    other = client_for(outsider_hfs)
    assert other.get(f"/handlingsplaner/{plan.pk}/").status_code == 404
    assert other.get(f"/handlingsplaner/{plan.pk}/handlingsplan.pdf").status_code == 404


def test_a_good_example_is_shared_and_copied_into_another_regions_plan(
    client_for, hfs, outsider_hfs, definition
):
    stockholm = client_for(hfs)
    evaluation = start(stockholm, definition)
    stockholm.post(
        f"/sjalvevaluering/{evaluation.pk}/", answers(evaluation, {"P1": 2}) | {"finish": "1"}
    )
    stockholm.post(f"/sjalvevaluering/{evaluation.pk}/handlingsplan/")
    activity = PlanActivity.objects.get()
    stockholm.post(
        f"/goda-exempel/dela/?aktivitet={activity.pk}",
        {
            "kind": "activity",
            "title": "Motiverande samtal",
            "perspective": "patient",
            "description": "Utbildning i MI för all personal",
            "achieved": "Andelen samtal med MI steg från 20 till 65 procent",
        },
    )
    example = GoodExample.objects.get()
    assert example.source_activity == activity

    skane = client_for(outsider_hfs)
    # Without an action plan there is nowhere to copy to, and the page says why.
    text = page_text(skane.get("/goda-exempel/"))
    assert "regionen har ingen handlingsplan ännu" in text and ">Kopiera</button>" not in text
    own = start(skane, definition)
    skane.post(f"/sjalvevaluering/{own.pk}/", answers(own, {"P2": 1}) | {"finish": "1"})
    skane.post(f"/sjalvevaluering/{own.pk}/handlingsplan/")
    skane_area = ActionPlan.objects.get(region__name="Region Skåne").focus_areas.get()
    text = page_text(skane.get("/goda-exempel/"))
    assert "Andelen samtal med MI" in text and "ingen handlingsplan" not in text
    assert ">Kopiera</button>" in text
    skane.post(f"/goda-exempel/{example.pk}/kopiera/", {"focus_area": skane_area.pk})
    assert skane_area.activities.filter(description__contains="Motiverande samtal").exists()
    # A region cannot copy into another region's plan.
    stockholm_area = ActionPlan.objects.get(region__name="Region Stockholm").focus_areas.get()
    before = stockholm_area.activities.count()
    skane.post(f"/goda-exempel/{example.pk}/kopiera/", {"focus_area": stockholm_area.pk})
    assert stockholm_area.activities.count() == before


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
