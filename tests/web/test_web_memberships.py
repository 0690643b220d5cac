"""More than one role: a user holding two memberships acts in the chosen one, the access rules
follow it, the header offers the switch, and the audit log records each change."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.accounts.models import Membership, Role
from halsogap_web.api.models import ApiToken

from .web_support import page_text


def _second_place(hfs, stockholm) -> Membership:
    return Membership.objects.create(user=hfs, organisation=stockholm, role=Role.ANALYTIKER)


def test_a_process_leader_who_is_an_analyst_too_acts_in_one_role_at_a_time(
    client_for, hfs, stockholm
):
    analyst_place = _second_place(hfs, stockholm)
    client = client_for(hfs)
    start = page_text(client.get("/behovsanalys/"))
    assert "HFS-processledare, Region Stockholm" in start
    assert "Byt roll" in start
    assert client.get("/inlasning/").status_code == 403  # uploads are the analyst's
    switched = client.post("/konto/roll/", {"membership": analyst_place.pk}, follow=True)
    assert "Du agerar nu som analytiker, Region Stockholm." in page_text(switched)
    assert client.get("/inlasning/").status_code == 200
    assert "Analytiker, Region Stockholm" in page_text(client.get("/behovsanalys/"))
    # The choice is kept: a new session acts in it too.
    assert client_for(hfs).get("/inlasning/").status_code == 200


def test_each_change_of_role_is_in_the_audit_log_with_who_made_it(client_for, hfs, stockholm):
    analyst_place = _second_place(hfs, stockholm)
    client_for(hfs).post("/konto/roll/", {"membership": analyst_place.pk})
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Membership), object_pk=str(analyst_place.pk)
    )
    change = entries.latest("timestamp")
    assert change.actor == hfs
    assert change.changes_dict["chosen"] == ["False", "True"]


def test_nobody_acts_in_another_users_membership(client_for, hfs, analyst, stockholm):
    _second_place(hfs, stockholm)
    theirs = get_membership_for_user(analyst)
    answer = client_for(hfs).post("/konto/roll/", {"membership": theirs.pk})
    assert answer.status_code == 404
    assert get_membership_for_user(hfs).role == Role.HFS_PROCESSLEDARE
    assert not Membership.objects.filter(user=hfs, chosen=True).exists()


def test_a_user_with_one_membership_is_offered_no_switch(client_for, analyst):
    assert "Byt roll" not in page_text(client_for(analyst).get("/behovsanalys/"))


def test_an_api_key_acts_in_the_chosen_membership(client, client_for, hfs, stockholm):
    analyst_place = _second_place(hfs, stockholm)
    _token, key = ApiToken.issue(hfs, "skript")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = '{"file_name": "x.csv", "content": "indicator;area;period;value\\n"}'
    before = client.post(
        "/api/v1/observations/import", body, content_type="application/json", **headers
    )
    assert before.status_code == 403  # a process leader does not import
    client_for(hfs).post("/konto/roll/", {"membership": analyst_place.pk})
    after = client.post(
        "/api/v1/observations/import", body, content_type="application/json", **headers
    )
    assert after.status_code != 403
