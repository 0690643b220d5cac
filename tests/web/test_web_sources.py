"""Sources in the web: an analyst adds a PX-Web table, previews it, runs it, and a second run
with one changed value shows what changed; a failing source changes nothing.

SCB's API is replaced by respx routes answering in PxWebApi 2.0's JSON-stat shape (as the
recorded responses in tests/fixtures/sources/); the runs use the immediate task backend.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from halsogap_web.observations.models import Observation
from halsogap_web.sources.models import DataSource, SourceRun
from tests.sources_support import jsonstat_answer, metadata_answer, selection_of

from .web_support import page_text, snapshot

BASE = "https://statistikdatabasen.scb.se/api/v2"
CATEGORIES = {
    "Region": {"01": "Stockholms län", "0180": "Stockholm"},
    "Kon": {"1": "män", "2": "kvinnor"},
    "ContentsCode": {"BE0101N1": "Folkmängd"},
    "Tid": {"2023": "2023", "2024": "2024"},
}
VALUES = {("01", "1", "2024"): 1_230_000, ("01", "2", "2024"): 1_240_000}
VALUES |= {("0180", "1", "2024"): 492_929, ("0180", "2", "2024"): 491_819}
DEFINITION = {
    "name": "Folkmängd i länet (SCB)",
    "kind": "pxweb2",
    "url": BASE,
    "table": "TAB638",
    "selection_text": "Region: *\nKon: 1, 2\nTid: top(1)",
    "indicator_code": "HG_FOLKMANGD",
    "schedule": "weekly",
}


def answer(selected: dict[str, list[str]], values: dict) -> dict:
    """The answer for a selection, each cell's value from ``values`` by (region, sex, year)."""
    return jsonstat_answer(
        CATEGORIES,
        selected,
        lambda cell: values.get((cell[0], cell[1], cell[3])),
        label="Folkmängd efter region, kön och år",
        updated="2025-02-21T07:00:00Z",
    )


def scb(values: dict):
    """Routes for the table's metadata and data; the data answers what was asked."""
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(json=metadata_answer(CATEGORIES))

    def data(request):
        return httpx.Response(200, json=answer(selection_of(request), values))

    return respx.post(f"{BASE}/tables/TAB638/data").mock(side_effect=data)


@pytest.fixture
def own(make_indicator, stockholm):
    return make_indicator("HG_FOLKMANGD", organisation=stockholm, unit="antal")


@respx.mock
def test_an_analyst_adds_previews_runs_and_sees_what_changed_on_the_second_run(
    client_for, analyst, own
):
    client = client_for(analyst)
    scb(VALUES)
    response = client.post("/kallor/", DEFINITION)
    source = DataSource.objects.get()
    assert response.status_code == 302 and source.selection["Tid"] == ["top(1)"]
    assert source.organisation.name == "Region Stockholm" and source.next_run_at is None

    preview = page_text(client.get(f"/kallor/{source.pk}/", {"forhandsgranska": "1"}))
    assert "4 värden" in preview and "492929" in preview
    assert "Källa: SCB (tabell TAB638)" in preview
    assert not Observation.objects.filter(indicator=own).exists()  # a preview writes nothing

    first = client.post(f"/kallor/{source.pk}/kor/", follow=True)
    run = first.context["run"]
    assert run.status == SourceRun.Status.DONE, run.errors
    assert "4 nya värden, 0 ändrade, 0 oförändrade." in page_text(first)
    assert "Källa: SCB (tabell TAB638, uppdaterad 2025-02-21)" in page_text(first)
    assert run.batch.source["request"]["selection"]["Tid"] == ["top(1)"]
    stored = Observation.objects.get(indicator=own, area__code="0180", sex="M", period="2024")
    assert stored.value == 492_929
    own.refresh_from_db()
    assert own.source_line.endswith(", tabell TAB638")
    source.refresh_from_db()  # weekly: the next run is a week from now
    assert timezone.now() + timedelta(days=6) < source.next_run_at

    respx.reset()
    scb(VALUES | {("0180", "1", "2024"): 493_000})
    second = client.post(f"/kallor/{source.pk}/kor/", follow=True)
    text = page_text(second)
    assert "0 nya värden, 1 ändrade, 3 oförändrade." in text
    assert "Vad ändrades sedan förra gången" in text
    assert "492\u00a0929" in text and "493\u00a0000" in text
    change = second.context["changes"][0]
    assert (change["area"], change["area_name"], change["sex_word"]) == ("0180", "Stockholm", "män")


@respx.mock
def test_a_failing_source_keeps_its_own_message_changes_nothing_and_is_tried_again_later(
    client_for, analyst, own
):
    client = client_for(analyst)
    client.post("/kallor/", DEFINITION)
    source = DataSource.objects.get()
    respx.get(f"{BASE}/tables/TAB638/metadata").respond(
        400, json={"title": "Bad Request", "detail": "Tabellen TAB638 finns inte på språket sv"}
    )
    before = snapshot()
    response = client.post(f"/kallor/{source.pk}/kor/", follow=True)
    assert response.context["run"].status == SourceRun.Status.FAILED
    assert "SCB svarade inte som väntat: HTTP 400: Bad Request – Tabellen TAB638" in page_text(
        response
    )
    assert snapshot() == before
    source.refresh_from_db()
    assert source.last_error.startswith("SCB svarade inte som väntat")
    assert timezone.now() + timedelta(minutes=50) < source.next_run_at
    assert source.next_run_at < timezone.now() + timedelta(minutes=70)


@respx.mock
def test_rows_that_do_not_pass_the_import_checks_are_refused_whole(client_for, analyst, own):
    client = client_for(analyst)
    client.post("/kallor/", DEFINITION | {"indicator_code": "FINNS_INTE"})
    source = DataSource.objects.get()
    scb(VALUES)
    response = client.post(f"/kallor/{source.pk}/kor/", follow=True)
    assert response.context["run"].status == SourceRun.Status.FAILED
    assert 'kolumn "indikator": förväntade en känd indikatorkod, fick "FINNS_INTE"' in page_text(
        response
    )
    assert not Observation.objects.filter(indicator=own).exists()


def test_a_selection_that_cannot_be_read_is_refused_with_its_line(client_for, analyst):
    response = client_for(analyst).post(
        "/kallor/", DEFINITION | {"selection_text": "Region: 01\nTid top(1)"}
    )
    assert response.status_code == 200
    assert "Rad 2: skriv variabel: värde, värde" in page_text(response)
    assert not DataSource.objects.exists()


def test_sources_are_the_regions_own(client_for, analyst, outsider, politician):
    client_for(analyst).post("/kallor/", DEFINITION)
    source = DataSource.objects.get()
    assert client_for(outsider).get(f"/kallor/{source.pk}/").status_code == 404
    assert client_for(politician).get("/kallor/").status_code == 403


@respx.mock
def test_a_scheduled_source_queues_its_next_run_on_the_database_backend_once(
    client_for, analyst, own, settings
):
    from django_tasks_db.models import DBTaskResult

    from halsogap_web.sources.running import execute_run
    from halsogap_web.sources.tasks import schedule_next

    client_for(analyst).post("/kallor/", DEFINITION)
    source = DataSource.objects.get()
    scb(VALUES)
    execute_run(SourceRun.objects.create(source=source))
    source.refresh_from_db()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = schedule_next(source)
    assert queued is not None and schedule_next(source) is None  # one queued run per source
    task = DBTaskResult.objects.get()
    assert task.run_after == source.next_run_at and task.args_kwargs["args"] == [queued.pk]


@respx.mock
def test_run_due_sources_runs_what_is_due_and_leaves_the_rest(client_for, analyst, own):
    from django.core.management import call_command

    client = client_for(analyst)
    client.post("/kallor/", DEFINITION)
    client.post("/kallor/", DEFINITION | {"name": "Senare", "schedule": "monthly"})
    due, later = DataSource.objects.order_by("name")
    due, later = (due, later) if due.name.startswith("Folk") else (later, due)
    DataSource.objects.filter(pk=due.pk).update(next_run_at=timezone.now() - timedelta(hours=1))
    DataSource.objects.filter(pk=later.pk).update(next_run_at=timezone.now() + timedelta(days=3))
    scb(VALUES)
    call_command("run_due_sources")
    assert due.runs.get().status == SourceRun.Status.DONE
    assert not later.runs.exists()
