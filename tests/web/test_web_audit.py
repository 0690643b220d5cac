"""The audit log: creations and imports are recorded with their actor and read by admins."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.observations.models import ImportJob, Indicator, LoadBatch

from .web_support import page_text, upload

NEW_INDICATOR = {
    "code": "HG_REVISION",
    "title": "Fysisk aktivitet bland unga i Stockholm",
    "description": "Andel elever i årskurs 9 som är fysiskt aktiva minst 60 minuter om dagen.",
    "unit": "procent",
    "polarity": "higher_better",
    "kind": "survey",
    "source": "Stockholmsenkäten",
    "producer": "Region Stockholm",
}


def _create_indicator(client):
    response = client.post("/indikatorer/ny/", NEW_INDICATOR)
    assert response.status_code == 302
    assert response["Location"] == "/indikator/HG_REVISION/"
    return Indicator.objects.get(code="HG_REVISION")


def test_creating_an_indicator_is_logged_with_the_analyst_as_actor(client_for, analyst, stockholm):
    indicator = _create_indicator(client_for(analyst))
    assert indicator.organisation == stockholm
    assert indicator.is_published is False
    entry = LogEntry.objects.get_for_object(indicator).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == analyst
    changes = entry.changes_dict
    assert changes["code"][1] == "HG_REVISION"
    assert changes["title"][1] == NEW_INDICATOR["title"]


def test_administrator_reads_the_indicator_entry_on_the_audit_page(
    client_for, analyst, admin, outsider_admin
):
    _create_indicator(client_for(analyst))
    response = client_for(admin).get("/granskning/")
    assert response.status_code == 200
    text = page_text(response)
    entry = next(e for e in response.context["page"] if e.object_repr.endswith("(HG_REVISION)"))
    assert entry.actor == analyst
    assert f"{NEW_INDICATOR['title']} (HG_REVISION)" in text
    assert "<td>analyst</td>" in text or "Analyst Testsson" in text
    assert "skapad" in text
    # Skåne's administrator does not read Stockholm's log.
    other = page_text(client_for(outsider_admin).get("/granskning/"))
    assert "HG_REVISION" not in other
    assert NEW_INDICATOR["title"] not in other


def test_an_import_is_logged_as_a_load_batch(client_for, analyst, admin, make_indicator, stockholm):
    make_indicator("HG_GRANSKAD", organisation=stockholm)
    job = upload(
        client_for(analyst),
        "granskad_inlasning.csv",
        b"indicator;area;period;value\nHG_GRANSKAD;01;2022;31,5\nHG_GRANSKAD;00;2022;30\n",
    ).context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    batch = job.batch
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(LoadBatch),
        object_pk=str(batch.pk),
        action=LogEntry.Action.CREATE,
    )
    assert entry.actor == analyst
    assert entry.changes_dict["checksum"][1] == batch.checksum

    response = client_for(admin).get("/granskning/")
    assert batch.pk in [
        int(e.object_pk) for e in response.context["page"] if e.content_type.model == "loadbatch"
    ]
    text = page_text(response)
    assert f"inläsning: {batch}" in text
    assert "granskad_inlasning.csv" in text
    # The count of new values is recorded when the batch is completed.
    update = LogEntry.objects.get_for_object(batch).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["created_count"][1] == "2"


def test_the_audit_log_is_not_readable_by_non_administrators_of_the_same_region(
    client_for, analyst, politician
):
    _create_indicator(client_for(analyst))
    for user in [analyst, politician]:
        assert client_for(user).get("/granskning/").status_code == 403


def test_audit_entries_stay_with_the_region_when_the_actor_moves(
    client_for, analyst, admin, outsider_admin, skane
):
    _create_indicator(client_for(analyst))
    membership = get_membership_for_user(analyst)
    membership.organisation = skane
    membership.save()

    stockholm_log = page_text(client_for(admin).get("/granskning/"))
    skane_log = page_text(client_for(outsider_admin).get("/granskning/"))
    assert NEW_INDICATOR["title"] not in skane_log
    assert NEW_INDICATOR["title"] in stockholm_log


def test_the_audit_page_names_fields_and_choices_in_swedish_never_python_words(
    client_for, analyst, admin
):
    _create_indicator(client_for(analyst))
    response = client_for(admin).get("/granskning/")
    changes = dict(
        next(c for e, c in response.context["rows"] if e.object_repr.endswith("(HG_REVISION)"))
    )
    # "kind" is a choice stored as "survey"; "is_published" a boolean; "organisation" a key.
    kind = Indicator._meta.get_field("kind")
    assert changes[str(kind.verbose_name)] == f"– → {Indicator.Kind.SURVEY.label}"
    published = str(Indicator._meta.get_field("is_published").verbose_name)
    assert changes[published] == "– → nej"
    text = "\n".join(f"{field}: {change}" for field, change in changes.items())
    for word in ("None", "True", "False", "survey", "higher_better"):
        assert word not in text, text
