"""Tables from PX-Web uploaded as they were downloaded: JSON-stat 2.0 and PC-Axis files go
through the same all-or-nothing import, and the batch remembers the source's table."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.observations.models import ImportJob, Observation

from .web_support import ROOT, page_text, snapshot

SOURCES = ROOT / "tests" / "fixtures" / "sources"


def _upload(client, name: str, **fields):
    data = (SOURCES / name).read_bytes()
    return client.post(
        "/inlasning/", {"file": SimpleUploadedFile(name, data), **fields}, follow=True
    )


def test_a_pc_axis_file_is_read_into_the_chosen_indicator_with_its_source(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator("HG_FOLKMANGD", organisation=stockholm, unit="antal")
    response = _upload(client_for(analyst), "folkmangd.px", indicator="HG_FOLKMANGD")
    job = response.context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.batch.file_format == "px"
    assert job.batch.source["table"] == "BE0101A1"
    assert "Källa: SCB (tabell BE0101A1)" in page_text(response)
    values = dict(
        Observation.objects.filter(indicator__code="HG_FOLKMANGD")
        .values_list("sex", "value")
        .filter(area__code="0180")
    )
    assert values == {"M": 492929, "K": 491819}
    hidden = Observation.objects.get(indicator__code="HG_FOLKMANGD", area__code="0162", sex="K")
    assert hidden.suppressed and hidden.value is None


def test_a_json_stat_file_for_an_unknown_content_code_is_refused_and_writes_nothing(
    client_for, analyst
):
    before = snapshot()
    response = _upload(client_for(analyst), "v2_TAB638_data_jsonstat2.json")
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    text = page_text(response)
    assert 'v2_TAB638_data_jsonstat2.json, rad 2, kolumn "indikator"' in text
    assert '"BE0101N1"' in text
    assert snapshot() == before
