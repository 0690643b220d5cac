"""Input that must not become something else: formulas stay text in every export, a region
never writes national values, a failing import ends as failed, and linking is audited."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from openpyxl import load_workbook

from halsogap_web.observations.models import ImportJob, Indicator, Observation
from halsogap_web.priorities.models import Measure

from .sweep_support import csv_rows
from .web_support import page_text, snapshot, upload

FORMULA = '=HYPERLINK("https://evil.example/","klicka")'


def _cells(data: bytes):
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize(
    "url", ["/behovsanalys/{analysis}/behovsanalys.xlsx", "/uppdrag/{assignment}/uppfoljning.xlsx"]
)
def test_a_title_typed_as_a_formula_stays_text_in_excel(small_counts, client_for, analyst, url):
    for key in ("analysis", "assignment"):
        small_counts[key].title = FORMULA
        small_counts[key].save()
    answer = client_for(analyst).get(
        url.format(analysis=small_counts["analysis"].pk, assignment=small_counts["assignment"].pk)
    )
    assert answer.status_code == 200
    cells = [
        c for c in _cells(answer.content) if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells, "the title is in the workbook"
    assert all(c.data_type == "s" for c in cells)


def test_a_text_field_typed_as_a_formula_is_neutralised_in_the_csv(
    client_for, analyst, make_indicator, stockholm
):
    indicator = make_indicator("HG_FORMEL", organisation=stockholm, values={})
    from halsogap_web.observations.models import Area

    Observation.objects.create(
        indicator=indicator,
        area=Area.objects.get(code="01"),
        period="2024",
        socioeconomic_group=FORMULA[:60],
        value=12.0,
    )
    rows = csv_rows(client_for(analyst).get("/indikator/HG_FORMEL/varden.csv"))
    groups = [r["socioeconomic_group"] for r in rows if r["socioeconomic_group"]]
    assert groups == ["'" + FORMULA[:60]]


def test_a_regions_administrator_cannot_overwrite_national_values(client_for, admin):
    before = snapshot()
    answer = upload(
        client_for(admin),
        "riket.csv",
        b"indicator;area;period;sex;value\nU01402;0001;2022;T;77,7\n",
    )
    text = page_text(answer)
    assert "U01402 är nationell" in text
    assert snapshot() == before


def test_an_import_that_crashes_ends_as_failed_with_its_message(client_for, analyst, monkeypatch):
    from halsogap_web.observations import tasks

    def broken(*args, **kwargs):
        raise RuntimeError("disken är full")

    monkeypatch.setattr(tasks, "run_import", broken)
    answer = upload(client_for(analyst), "krasch.csv", b"indicator;area;period;value\n")
    job = ImportJob.objects.get(file_name="krasch.csv")
    assert job.status == ImportJob.Status.FAILED
    assert "disken är full" in job.errors[0] and "inget sparades" in job.errors[0]
    assert "disken är full" in page_text(answer)


def test_an_import_past_its_time_limit_is_stopped_and_saves_nothing(
    client_for, analyst, settings, make_indicator, stockholm
):
    make_indicator("HG_LANGSAM", organisation=stockholm)
    settings.HALSOGAP_IMPORT_TIME_LIMIT = 0
    before = snapshot()
    upload(client_for(analyst), "lang.csv", b"indicator;area;period;value\nHG_LANGSAM;01;2024;5\n")
    job = ImportJob.objects.get(file_name="lang.csv")
    assert job.status == ImportJob.Status.FAILED
    assert "tog längre än 0 s" in job.errors[0]
    assert snapshot() == before


def test_a_job_whose_worker_died_is_shown_as_failed_not_running(client_for, analyst, stockholm):
    job = ImportJob.objects.create(
        organisation=stockholm,
        created_by=analyst,
        file_name="overgiven.csv",
        content=b"x",
        status=ImportJob.Status.RUNNING,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=3)
    )
    page = page_text(client_for(analyst).get(f"/inlasning/{job.pk}/"))
    assert "avslutades aldrig" in page
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED


def test_linking_need_groups_to_an_analysis_is_audited(small_counts, client_for, analyst):
    analysis, group = small_counts["analysis"], small_counts["group"]
    analysis.need_groups.remove(group)
    client_for(analyst).post(
        f"/behovsanalys/{analysis.pk}/behovsgrupper/",
        {"group": [g.pk for g in analysis.need_groups.all()] + [group.pk]},
    )
    entry = LogEntry.objects.filter(object_pk=str(analysis.pk)).latest("timestamp")
    assert "need_groups" in entry.changes_dict
    assert entry.changes_dict["need_groups"]["operation"] == "add"


def test_the_measure_form_offers_no_other_regions_unpublished_indicator(
    client_for, outsider, make_indicator, stockholm
):
    make_indicator("HG_STHLM_DOLD", organisation=stockholm, title="Stockholms dolda indikator")
    client = client_for(outsider)
    assert "Stockholms dolda" not in page_text(client.get("/prioritering/atgarder/"))
    hidden = Indicator.objects.get(code="HG_STHLM_DOLD")
    answer = client.post(
        "/prioritering/atgarder/",
        {
            "code": "SKANE-1",
            "title": "Skånes åtgärd",
            "kind": "health_promoting",
            "perspective": "population",
            "effect_indicator": hidden.pk,
        },
    )
    assert answer.status_code == 200  # the form again, with the field's message
    assert not Measure.objects.filter(effect_indicator=hidden).exists()
