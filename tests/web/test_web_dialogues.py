"""Dialogues with the population as evidence: an analyst records one, it shows in the needs
analysis and in each of its documents with a small count hidden, and only the region's own
members read it or link it to their own groups."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from halsogap_web.needs.models import NeedGroup, PopulationDialogue

from .web_support import page_text

SMALL = "Nyanlända kvinnor med tolk"


def _form(small_counts, **changes) -> dict:
    data = {
        "kind": "fokusgrupp",
        "held_on": "2026-09-14",
        "title": "Fokusgrupp om rökning i Botkyrka",
        "participants_text": f"Boende 25–64 år; 18\n{SMALL}; 3",
        "reached_text": SMALL,
        "missed_text": "Unga män utanför skola och arbete",
        "themes_text": "rökning, språk",
        "said": "Rökavvänjning på fler språk, på kvällstid.",
        "need_groups": [small_counts["group"].pk],
        "needs": [small_counts["need"].pk],
    }
    return data | changes


def test_an_analyst_records_a_dialogue_and_the_analysis_and_its_documents_show_it(
    small_counts, client_for, analyst
):
    client = client_for(analyst)
    analysis = small_counts["analysis"]
    saved = client.post(
        f"/dialoger/ny/?analys={analysis.pk}&tillbaka=/behovsanalys/{analysis.pk}/",
        _form(small_counts),
    )
    assert saved.status_code == 302 and saved["Location"] == f"/behovsanalys/{analysis.pk}/"
    dialogue = PopulationDialogue.objects.get()
    assert dialogue.region == analysis.region and dialogue.created_by == analyst
    assert dialogue.participants == [["Boende 25–64 år", 18], [SMALL, 3]]
    page = page_text(client.get(f"/behovsanalys/{analysis.pk}/"))
    assert "Fokusgrupp 2026-09-14: Fokusgrupp om rökning i Botkyrka" in page
    assert f'{SMALL}</th><td class="num">färre än 5</td>' in page
    assert "Unga män utanför skola och arbete" in page
    base = f"/behovsanalys/{analysis.pk}/behovsanalys"
    html = page_text(client.get(f"{base}.html"))
    assert f'{SMALL}</th><td class="num">färre än 5</td>' in html
    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").content))[
        "Befolkningens synpunkter"
    ]
    cells = [[c.value for c in row[:2]] for row in sheet.iter_rows()]
    assert [SMALL, "färre än 5"] in cells and [SMALL, "3"] not in cells
    assert client.get(f"{base}.docx").status_code == 200
    assert client.get(f"{base}.pdf")["Content-Type"] == "application/pdf"


def test_a_participant_line_without_a_count_is_refused_with_its_line_and_saves_nothing(
    small_counts, client_for, analyst
):
    answer = client_for(analyst).post(
        "/dialoger/ny/", _form(small_counts, participants_text="Boende; 18\nNyanlända kvinnor")
    )
    assert answer.status_code == 400
    assert 'rad 2: förväntade "grupp; antal"' in page_text(answer)
    assert not PopulationDialogue.objects.exists()


def test_politicians_read_the_dialogues_but_only_analysts_record_them(
    small_counts, client_for, analyst, politician
):
    client_for(analyst).post("/dialoger/ny/", _form(small_counts))
    dialogue = PopulationDialogue.objects.get()
    reader = client_for(politician)
    assert "Fokusgrupp om rökning i Botkyrka" in page_text(reader.get("/dialoger/"))
    detail = page_text(reader.get(f"/dialoger/{dialogue.pk}/"))
    assert "Svepanalys" in detail  # the analysis it is evidence in
    assert "Ändra dialogen" not in detail
    assert reader.get("/dialoger/ny/").status_code == 403
    assert reader.post(f"/dialoger/{dialogue.pk}/andra/", _form(small_counts)).status_code == 403


def test_another_region_neither_reads_nor_links_stockholms_groups(
    small_counts, client_for, analyst, outsider
):
    client_for(analyst).post("/dialoger/ny/", _form(small_counts))
    dialogue = PopulationDialogue.objects.get()
    other = client_for(outsider)
    assert other.get(f"/dialoger/{dialogue.pk}/").status_code == 404
    assert other.get(f"/dialoger/{dialogue.pk}/andra/").status_code == 404
    assert "Fokusgrupp om rökning" not in page_text(other.get("/dialoger/"))
    form = other.get("/dialoger/ny/")
    assert small_counts["group"].name not in page_text(form)
    refused = other.post("/dialoger/ny/", _form(small_counts, title="Skånes försök"))
    assert refused.status_code == 400
    assert not PopulationDialogue.objects.filter(title="Skånes försök").exists()


def test_an_edit_keeps_the_lists_and_changes_what_the_analysis_shows(
    small_counts, client_for, analyst
):
    client = client_for(analyst)
    client.post("/dialoger/ny/", _form(small_counts))
    dialogue = PopulationDialogue.objects.get()
    form = page_text(client.get(f"/dialoger/{dialogue.pk}/andra/"))
    assert f"Boende 25–64 år; 18\n{SMALL}; 3" in form
    other_group = NeedGroup.objects.create(
        region=small_counts["analysis"].region, name="Ingen analys har mig", area_rule="region"
    )
    client.post(
        f"/dialoger/{dialogue.pk}/andra/",
        _form(small_counts, need_groups=[other_group.pk], needs=[]),
    )
    page = page_text(client.get(f"/behovsanalys/{small_counts['analysis'].pk}/"))
    assert "Fokusgrupp om rökning i Botkyrka" not in page
    assert "Inga dialoger eller enkäter med befolkningen" in page
