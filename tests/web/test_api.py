"""The open API: keys, the same access and suppression as the pages, and writes that are all
or nothing and idempotent."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model

from halsogap_web.accounts.models import Membership, Organisation, Role
from halsogap_web.api.models import ApiToken
from halsogap_web.assignments.models import ActivityReport
from halsogap_web.observations.models import Observation

from .small_counts_support import HIDDEN, SHARE
from .sweep_support import csv_rows
from .web_support import snapshot


def _key(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _all(client, url, headers) -> list[dict]:
    items, page = [], 1
    while True:
        answer = client.get(url, {"page": page}, **headers).json()
        items += answer["items"]
        if len(items) >= answer["count"]:
            return items
        page += 1


def test_the_description_is_openapi_3_in_swedish_and_english(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "**Svenska.**" in spec["info"]["description"]
    assert "**English.**" in spec["info"]["description"]
    assert "/api/v1/assignments/{assignment_id}/reports" in spec["paths"]


def test_a_key_acts_as_its_user_and_stops_when_revoked(client, analyst):
    token, key = ApiToken.issue(analyst, "skript")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/needs-analyses", **headers).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert key not in repr(ApiToken.objects.values_list())  # only a digest is stored
    token.revoke()
    answer = client.get("/api/v1/needs-analyses", **headers)
    assert answer.status_code == 401


def test_a_wrong_key_is_refused_not_read_as_the_public(client, db):
    answer = client.get("/api/v1/indicators", HTTP_AUTHORIZATION="Bearer hg_fel")
    assert answer.status_code == 401


def test_the_public_reads_open_data_but_needs_a_key_for_the_regions_work(client, db):
    assert client.get("/api/v1/indicators").status_code == 200
    for url in ["/api/v1/needs-analyses", "/api/v1/assignments"]:
        answer = client.get(url)
        assert answer.status_code == 401, url
        assert "API-nyckel" in answer.json()["detail"]


def test_an_unknown_parameter_is_a_400_that_names_it(client, db):
    answer = client.get("/api/v1/indicators", {"omrde": "01"})
    assert answer.status_code == 400
    assert "omrde" in answer.json()["detail"]


def test_a_user_makes_and_revokes_keys_on_the_account_page(client_for, analyst):
    client = client_for(analyst)
    page = client.post("/konto/api-nycklar/", {"name": "Datalagret"})
    key = re.search(r"hg_[\w-]{20,}", page.content.decode()).group(0)
    assert (
        client.get("/api/v1/needs-analyses", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    )
    token = ApiToken.objects.get(user=analyst, name="Datalagret")
    client.post(f"/konto/api-nycklar/{token.pk}/aterkalla/")
    assert (
        client.get("/api/v1/needs-analyses", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    )


def test_nobody_revokes_another_users_key(client_for, analyst, politician):
    token, _key_text = ApiToken.issue(analyst, "annas")
    answer = client_for(politician).post(f"/konto/api-nycklar/{token.pk}/aterkalla/")
    assert answer.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).is_active


# --- Same access and suppression as the pages ----------------------------------------------


def test_another_region_reads_none_of_stockholms_work(client, small_counts, outsider):
    headers = _key(outsider)
    analysis, assignment = small_counts["analysis"], small_counts["assignment"]
    assert client.get(f"/api/v1/needs-analyses/{analysis.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/assignments/{assignment.pk}", **headers).status_code == 404
    listed = client.get("/api/v1/assignments", **headers).json()["items"]
    assert assignment.title not in json.dumps(listed)


def test_a_provider_of_another_unit_sees_no_assignment_it_does_not_receive(
    client, small_counts, stockholm
):
    unit = Organisation.objects.create(
        name="Vårdcentral Annanstans (test)", kind="vardcentral", region=stockholm
    )
    other = get_user_model().objects.create(username="annan.utforare")
    Membership.objects.create(user=other, organisation=unit, role=Role.UTFORARE)
    headers = _key(other)
    assignment = small_counts["assignment"]
    assert client.get("/api/v1/assignments", **headers).json()["count"] == 0
    assert (
        client.get(f"/api/v1/assignments/{assignment.pk}/follow-up", **headers).status_code == 404
    )


def test_observations_are_suppressed_exactly_as_in_the_csv(client_for, small_counts, analyst):
    client = client_for(analyst)
    headers = _key(analyst)
    api_rows = _all(client, f"/api/v1/indicators/{SHARE}/observations", headers)
    csv = csv_rows(client.get(f"/indikator/{SHARE}/varden.csv"))
    assert len(api_rows) == len(csv)
    text = json.dumps(api_rows)
    assert not [w for w, pattern in HIDDEN.items() if re.search(rf"(?<![\d,.]){pattern}", text)]
    hidden = [r for r in api_rows if r["suppressed"]]
    assert hidden and all(r["value"] is None and r["numerator"] is None for r in hidden)
    assert all(r["source"].startswith("Källa: ") for r in api_rows)


def test_the_analysis_answers_with_the_same_gaps_as_its_csv_command(client, small_counts, analyst):
    from halsogap.reports.needs_analysis import gap_table_rows
    from halsogap_web.needs.content import analysis_content

    analysis = small_counts["analysis"]
    answer = client.get(f"/api/v1/needs-analyses/{analysis.pk}", **_key(analyst)).json()
    expected = analysis_content(analysis, user=analyst)
    assert answer["title"] == expected.title
    gaps = [row["gap_to_close"] for g in answer["groups"] for i in g["items"] for row in i["rows"]]
    assert gaps == [r.gap_to_close for g in expected.groups for i in g.items for r in i.rows]
    assert len(gap_table_rows(expected)) >= len(gaps)


# --- Writing ------------------------------------------------------------------------------


def test_a_providers_report_is_saved_once_however_often_it_is_sent(client, small_counts, provider):
    assignment = small_counts["assignment"]
    plan = assignment.plan_indicators.filter(indicator__code="HG_TEST_PERSONER").last()
    body = {"period": "2026K3", "values": [{"plan_line": plan.pk, "value": 42, "comment": "API"}]}
    headers = _key(provider)
    url = f"/api/v1/assignments/{assignment.pk}/reports"
    for _ in range(2):
        answer = client.post(url, json.dumps(body), content_type="application/json", **headers)
        assert answer.status_code == 200, answer.content
        assert answer.json() | {"problems": []} == {
            "status": "accepted",
            "rows": 1,
            "accepted": 1,
            "refused": 0,
            "problems": [],
            "batch": None,
        }
    assert ActivityReport.objects.filter(plan=plan, period="2026K3").count() == 1


def test_a_report_with_one_bad_line_saves_nothing_and_names_the_line(
    client, small_counts, provider
):
    assignment = small_counts["assignment"]
    plan = assignment.plan_indicators.filter(indicator__code="HG_TEST_PERSONER").last()
    before = ActivityReport.objects.count()
    body = {
        "period": "2026K3",
        "values": [{"plan_line": plan.pk, "value": 5}, {"plan_line": 999999, "value": 1}],
    }
    answer = client.post(
        f"/api/v1/assignments/{assignment.pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **_key(provider),
    )
    assert answer.status_code == 409
    summary = answer.json()
    assert summary["status"] == "refused" and summary["accepted"] == 0
    assert any("999999" in p for p in summary["problems"])
    assert ActivityReport.objects.count() == before


def test_a_report_comment_with_a_nul_character_is_refused_and_saves_nothing(
    client, small_counts, provider
):
    assignment = small_counts["assignment"]
    plan = assignment.plan_indicators.filter(indicator__code="HG_TEST_PERSONER").last()
    before = ActivityReport.objects.count()
    body = {"period": "2026K3", "values": [{"plan_line": plan.pk, "value": 5, "comment": "a\x00b"}]}
    answer = client.post(
        f"/api/v1/assignments/{assignment.pk}/reports",
        json.dumps(body),
        content_type="application/json",
        **_key(provider),
    )
    assert answer.status_code in {400, 422}, answer.content
    assert "comment" in answer.content.decode()
    assert ActivityReport.objects.count() == before


@pytest.fixture
def own_indicator(make_indicator, stockholm):
    return make_indicator("HG_API_EGEN", organisation=stockholm)


def test_an_analysts_import_is_all_or_nothing_and_idempotent(client, analyst, own_indicator):
    headers = _key(analyst)
    good = "indicator;area;period;value\nHG_API_EGEN;01;2024;12,5\nHG_API_EGEN;0180;2024;9\n"
    bad = good + "HG_API_EGEN;01;2025;abc\nU01402;01;2022;77,7\n"
    before = snapshot()
    refused = client.post(
        "/api/v1/observations/import",
        json.dumps({"file_name": "api.csv", "content": bad}),
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 409
    summary = refused.json()
    assert summary["refused"] == 2 and summary["accepted"] == 0
    assert any("rad 4" in p and "abc" in p for p in summary["problems"])
    assert any("rad 5" in p and "nationell" in p for p in summary["problems"])
    assert snapshot() == before
    first = client.post(
        "/api/v1/observations/import",
        json.dumps({"file_name": "api.csv", "content": good}),
        content_type="application/json",
        **headers,
    ).json()
    again = client.post(
        "/api/v1/observations/import",
        json.dumps({"file_name": "api.csv", "content": good}),
        content_type="application/json",
        **headers,
    ).json()
    assert (first["status"], first["accepted"]) == ("accepted", 2)
    assert (again["status"], again["batch"]) == ("already_imported", first["batch"])
    assert Observation.objects.filter(indicator=own_indicator, period="2024").count() == 2


def test_a_politician_cannot_import(client, politician):
    answer = client.post(
        "/api/v1/observations/import",
        json.dumps({"file_name": "x.csv", "content": "a;b\n1;2\n"}),
        content_type="application/json",
        **_key(politician),
    )
    assert answer.status_code == 403


def test_an_unchanged_answer_is_a_304_until_a_value_changes(client, analyst, own_indicator):
    url = f"/api/v1/indicators/{own_indicator.code}/observations"
    headers = _key(analyst)
    first = client.get(url, **headers)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag, **headers)
    assert unchanged.status_code == 304 and unchanged.content == b""
    client.post(
        "/api/v1/observations/import",
        json.dumps(
            {
                "file_name": "ny.csv",
                "content": f"indicator;area;period;value\n{own_indicator.code};01;2024;12,5\n",
            }
        ),
        content_type="application/json",
        **headers,
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag, **headers)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert [o["value"] for o in changed.json()["items"]] == [12.5]


def test_public_answers_revalidate_and_private_pages_are_still_never_stored(client_for, analyst):
    public = client_for(None).get("/api/v1/indicators")
    assert public["Cache-Control"] == "no-cache" and public.has_header("ETag")
    page = client_for(analyst).get("/")
    assert page["Cache-Control"] == "private, no-store" and not page.has_header("ETag")
