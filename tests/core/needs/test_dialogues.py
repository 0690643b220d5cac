"""The population's voice: participant lists are read line by line, a small count is never
shown, and the page's section, the PDF's HTML, Word and Excel all show the same dialogue."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from halsogap.needs.dialogues import (
    DialogueInputError,
    DialogueSpec,
    compose_dialogue,
    parse_lines,
    parse_participants,
)
from halsogap.reports.needs_analysis import NeedsAnalysisContent, render_html
from halsogap.reports.needs_analysis_office import render_docx, render_xlsx

SMALL = "Personer med intellektuell funktionsnedsättning"
DIALOGUE = DialogueSpec(
    "Rökning i Botkyrka",
    "Fokusgrupp",
    "2026-08-04",
    participants=(("Boende 25–64 år", 18), (SMALL, 3)),
    hard_to_reach_reached=(SMALL,),
    hard_to_reach_missed=("Unga män utanför skola och arbete",),
    said="Rökavvänjning på fler språk.",
    themes=("rökning", "språk"),
    concerns=("Kommuner med lägst utbildningsnivå",),
)


def test_participant_lines_are_read_with_semicolon_or_tab():
    assert parse_participants("A; 3\nB\t12\n  \nC ; 1 200") == (("A", 3), ("B", 12), ("C", 1200))


@pytest.mark.parametrize(
    ("text", "line"),
    [("A; 3\nB", 2), ("A; 3\n\n; 4", 3), ("A; -1", 1), ("A; 2,5", 1), ("x" * 201 + "; 3", 1)],
)
def test_a_line_that_cannot_be_read_is_refused_with_its_number(text, line):
    with pytest.raises(DialogueInputError, match=f"^rad {line}: förväntade"):
        parse_participants(text)


def test_lines_or_commas_separate_groups_and_themes():
    assert parse_lines("a, b") == ("a", "b")
    assert parse_lines("a, b\nc") == ("a, b", "c")


def test_it_shows_a_count_below_the_threshold_as_fewer_than_and_no_exact_total():
    content = compose_dialogue(DIALOGUE, threshold=5)
    assert content.participant_rows == [
        ["Boende 25–64 år", "18"],
        [SMALL, "färre än 5"],
        ["Alla", "minst 19"],
    ]


def test_the_regions_own_threshold_applies():
    content = compose_dialogue(DIALOGUE, threshold=20)
    assert content.participant_rows[0] == ["Boende 25–64 år", "färre än 20"]
    assert content.participant_rows[-1] == ["Alla", "minst 1"]


def test_with_nothing_hidden_the_total_is_the_sum():
    shown = compose_dialogue(DialogueSpec("E", "Enkät", "2026-01-01", (("K", 612), ("M", 488))))
    assert shown.participant_rows[-1] == ["Alla", "1100"]


def _analysis(dialogues) -> NeedsAnalysisContent:
    return NeedsAnalysisContent(
        "Behovsanalys 2027", "Region Stockholm", 2027, "", "", [], [], [], "2026-12-02",
        dialogues=dialogues,
    )  # fmt: skip


def _docx_rows(data: bytes) -> list[list[str]]:
    from docx import Document

    document = Document(io.BytesIO(data))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data))["Befolkningens synpunkter"]
    return [[str(c.value) for c in row[:2]] for row in sheet.iter_rows() if row[0].value]


def test_every_document_shows_the_same_dialogue_and_hides_the_same_count():
    content = _analysis([compose_dialogue(DIALOGUE, threshold=5)])
    html = render_html(content)
    assert "<h2>Befolkningens synpunkter</h2>" in html
    assert "Fokusgrupp 2026-08-04: Rökning i Botkyrka" in html
    assert f'<th scope="row">{SMALL}</th><td class="num">färre än 5</td>' in html
    word = _docx_rows(render_docx(content))
    excel = _xlsx_rows(render_xlsx(content))
    for rows in (word, excel):
        assert [SMALL, "färre än 5"] in rows
        assert ["Alla", "minst 19"] in rows
        assert [SMALL, "3"] not in rows
    with zipfile.ZipFile(io.BytesIO(render_docx(content))) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "Befolkningens synpunkter" in xml and "Unga män utanför skola och arbete" in xml
    assert any("Svårnådda grupper som inte nåddes" in r[0] for r in excel)


def test_without_dialogues_every_document_says_none_is_linked():
    content = _analysis([])
    assert "Inga dialoger eller enkäter" in render_html(content)
    assert any("Inga dialoger eller enkäter" in r[0] for r in _xlsx_rows(render_xlsx(content)))
