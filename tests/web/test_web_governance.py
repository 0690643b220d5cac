"""Governing documents carry the assignments: the proposal for a verksamhetsplan lists every
decided assignment per need and flags one the year's plan leaves out, on the page, in Word and
in the PDF; the assignment says where it stands; another region sees none of it."""

from __future__ import annotations

import io

from docx import Document
from pypdf import PdfReader

from halsogap_web.assignments.models import Assignment, Step
from halsogap_web.governance.models import GoverningDocument

from .web_support import page_text

MISSING = "uppdraget finns inte i verksamhetsplanen"


def _second_assignment(small_counts) -> Assignment:
    first = small_counts["assignment"]
    second = Assignment.objects.create(
        region=first.region, issuer=first.region, title="Andra svepuppdraget",
        step=Step.DECISION, budget=250_000,
    )  # fmt: skip
    second.needs.set([small_counts["need"]])
    return second


def _record_plan(client, carried, *, year=2027) -> None:
    answer = client.post(
        "/styrdokument/ny/",
        {
            "kind": "verksamhetsplan",
            "title": f"Verksamhetsplan {year}",
            "year": year,
            "url": "",
            "assignments": [a.pk for a in carried],
        },
    )
    assert answer.status_code == 302, page_text(answer)[:1500]


def test_the_proposal_lists_each_assignment_and_flags_one_the_plan_leaves_out(
    small_counts, client_for, analyst
):
    client = client_for(analyst)
    second = _second_assignment(small_counts)
    before = page_text(client.get("/verksamhetsplan/2027/forslag/"))
    assert "Ingen verksamhetsplan för året är registrerad" in before
    assert MISSING not in before
    _record_plan(client, [small_counts["assignment"]])
    page = page_text(client.get("/verksamhetsplan/2027/forslag/"))
    assert "Svepuppdrag" in page and "Andra svepuppdraget" in page
    assert "Saknas i verksamhetsplanen:</strong> Andra svepuppdraget" in page
    assert "finns i Verksamhetsplan 2027" in page
    assert "Prioriteringsbeslut version 1" in page
    word = Document(io.BytesIO(client.get("/verksamhetsplan/2027/forslag.docx").content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Saknas i verksamhetsplanen: Andra svepuppdraget" in text
    pdf = PdfReader(io.BytesIO(client.get("/verksamhetsplan/2027/forslag.pdf").content))
    assert "Andra svepuppdraget" in "".join(p.extract_text() for p in pdf.pages)
    detail = page_text(client.get(f"/uppdrag/{second.pk}/"))
    assert MISSING in detail
    carried = page_text(client.get(f"/uppdrag/{small_counts['assignment'].pk}/"))
    assert "finns i Verksamhetsplan 2027" in carried


def test_politicians_read_the_documents_but_only_analysts_record_them(
    small_counts, client_for, analyst, politician
):
    _record_plan(client_for(analyst), [small_counts["assignment"]])
    document = GoverningDocument.objects.get()
    reader = client_for(politician)
    assert "Verksamhetsplan 2027" in page_text(reader.get("/styrdokument/"))
    assert reader.get(f"/styrdokument/{document.pk}/").status_code == 200
    assert reader.get("/styrdokument/ny/").status_code == 403
    changed = reader.post(
        f"/styrdokument/{document.pk}/",
        {"kind": "annat", "title": "Ändrad", "year": 2027, "assignments": []},
    )
    assert changed.status_code == 403
    assert GoverningDocument.objects.get().title == "Verksamhetsplan 2027"


def test_another_region_neither_reads_the_documents_nor_attaches_stockholms_assignments(
    small_counts, client_for, analyst, outsider
):
    _record_plan(client_for(analyst), [small_counts["assignment"]])
    document = GoverningDocument.objects.get()
    other = client_for(outsider)
    assert other.get(f"/styrdokument/{document.pk}/").status_code == 404
    assert "Verksamhetsplan 2027" not in page_text(other.get("/styrdokument/"))
    assert "Svepuppdrag" not in page_text(other.get("/verksamhetsplan/2027/forslag/"))
    refused = other.post(
        "/styrdokument/ny/",
        {
            "kind": "verksamhetsplan",
            "title": "Skånes plan",
            "year": 2027,
            "assignments": [small_counts["assignment"].pk],
        },
    )
    assert refused.status_code == 400
    assert not GoverningDocument.objects.filter(title="Skånes plan").exists()


def test_a_year_outside_any_plan_is_a_404(client_for, analyst):
    assert client_for(analyst).get("/verksamhetsplan/1899/forslag/").status_code == 404
