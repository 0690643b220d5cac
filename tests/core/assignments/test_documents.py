"""The assignment documents open in every format and carry the expected text and sources."""

from __future__ import annotations

import re

import pytest
from assignments_support import (
    PROVIDER,
    SOURCE,
    annual_content,
    assignment_content,
    docx_text,
    follow_up_content,
    pdf_text,
    xlsx_values,
)

from halsogap.assignments import RULE_SV
from halsogap.assignments.documents_html import (
    render_annual_report_html,
    render_annual_report_pdf,
    render_assignment_html,
    render_assignment_pdf,
    render_follow_up_html,
    render_follow_up_pdf,
)
from halsogap.assignments.documents_office import (
    render_annual_report_docx,
    render_annual_report_xlsx,
    render_assignment_docx,
    render_follow_up_docx,
    render_follow_up_xlsx,
)
from halsogap.assignments.followable import Gap

ASSIGNMENT_TEXTS = [
    "Uppdrag: rökfri vardag i Nacka",
    "Hälso- och sjukvårdsnämnden, Region Stockholm",
    "mellan huvudmän (region och kommun)",
    "Vårdcentralen Fisksätra",
    "når unga vuxna via fritidsgårdar",
    "Bakgrund: behov och hälsogap",
    "27 540",
    "Kvalificerat rådgivande samtal",
    "förebyggande",
    "Långsiktiga mål",
    "Andelen vuxna som röker dagligen ska minska till 4,0 %",
    "Kortsiktiga mål",
    "Första 100 samtalen",
    "Uppföljningsplan",
    "Daglig rökning 16–84 år (U01402)",
    "2028-12-31",
    "Vårdcentralen Fisksätra",
    "överenskommelse",
    "Verksamhetschef Eva Ek",
    "HSN 2026/12 § 4",
    "1 250 000 kr",
    f"Källa: {SOURCE}",
    f"Källa: {SOURCE}; {PROVIDER}",
]


def normalise(text: str) -> str:
    # Thin and no-break spaces in numbers compare as plain spaces.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def squash(text: str) -> str:
    """Text without whitespace: a PDF line may break a table cell after "16–" or a space."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def assignment_texts() -> dict[str, str]:
    content = assignment_content(
        waived_gaps=[
            Gap(
                "missing_target_date",
                "Processindikatorn saknar måldatum.",
                "p",
                True,
                "Sätts i dialogen.",
            )
        ]
    )
    html = render_assignment_html(content)
    assert render_assignment_pdf(content)[:5] == b"%PDF-"
    return {
        "pdf": normalise(pdf_text(html)),
        "docx": normalise(docx_text(render_assignment_docx(content))),
    }


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("expected", ASSIGNMENT_TEXTS)
def test_the_decision_document_contains_each_part(assignment_texts, fmt, expected):
    assert squash(expected) in squash(assignment_texts[fmt])


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_decision_document_shows_waivers_and_never_none(assignment_texts, fmt):
    text = assignment_texts[fmt]
    assert squash("Undantag: Sätts i dialogen.") in squash(text)
    assert "None" not in text


def test_an_empty_assignment_prints_dashes_not_none():
    html = render_assignment_html(
        assignment_content(
            budget=None, reference=None, decision=None, acceptance=None, milestones=[]
        )
    )
    text = pdf_text(html)
    assert "None" not in text
    assert squash("Uppdraget är inte beslutat ännu.") in squash(text)
    assert "Budget–" in squash(text)


@pytest.fixture(scope="module")
def follow_up_texts() -> dict[str, str]:
    content = follow_up_content()
    assert render_follow_up_pdf(content)[:5] == b"%PDF-"
    sheets = xlsx_values(render_follow_up_xlsx(content))
    xlsx = "\n".join(
        str(v) for rows in sheets.values() for row in rows for v in row if v is not None
    )
    return {
        "pdf": normalise(pdf_text(render_follow_up_html(content))),
        "docx": normalise(docx_text(render_follow_up_docx(content))),
        "xlsx": normalise(xlsx),
    }


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
@pytest.mark.parametrize(
    "expected",
    [
        "Uppdrag: rökfri vardag i Nacka",
        "Daglig rökning 16–84 år",
        "i fas",
        "inga värden",
        "minskar och blir bättre (ej statistiskt prövad)",
        "Gapet minskar: 1,20 kvar till målet 2025.",
        "Två tjänster vakanta under hösten.",
        SOURCE,
        RULE_SV[:60],
    ],
)
def test_the_follow_up_report_contains_results_gap_comments_rule_and_sources(
    follow_up_texts, fmt, expected
):
    assert squash(expected) in squash(follow_up_texts[fmt])


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_follow_up_report_has_charts_with_sources(follow_up_texts, fmt):
    text = follow_up_texts[fmt]
    for expected in ("Indikatorer per status", "Daglig rökning 16–84 år över tid", SOURCE):
        assert squash(expected) in squash(text)


def test_the_follow_up_chart_shows_values_and_the_line_to_the_target():
    html = render_follow_up_html(follow_up_content())
    assert "Linje mot målet" in html and "Utfall" in html


@pytest.fixture(scope="module")
def annual():
    return annual_content()


def test_the_annual_report_counts_every_status(annual):
    counts = annual.counts()
    assert (counts["i fas"], counts["risk"], counts["ej i fas"], counts["målet nått"]) == (
        1,
        1,
        1,
        0,
    )
    assert annual.counts("process")["ej i fas"] == 1


def test_the_annual_report_pdf_lists_each_assignment_with_its_indicators(annual):
    assert render_annual_report_pdf(annual)[:5] == b"%PDF-"
    text = normalise(pdf_text(render_annual_report_html(annual)))
    for expected in (
        "Måluppfyllelse sammanfattad",
        "Rökfri vardag",
        "Fysisk aktivitet på recept",
        "Utskrivna FaR (FAR)",
        "Alla indikatorer per status 2025",
        "Källa: Hälsogap, uppföljningsplaner och rapporterade värden",
        "Så bedöms status",
        "5,2 (2025)",
        "4,0 (2028-12-31)",
    ):
        assert squash(expected) in squash(text)
    assert "None" not in text


def test_the_annual_report_docx_has_summary_chart_and_tables(annual):
    text = normalise(docx_text(render_annual_report_docx(annual)))
    for expected in (
        "Måluppfyllelse sammanfattad",
        "Effektindikatorer",
        "Rökfri vardag",
        "Vårdcentralen Orminge",
        "ej i fas",
        f"Källa: {PROVIDER}",
    ):
        assert expected in text
    assert "None" not in text


def test_the_annual_report_xlsx_has_one_typed_row_per_indicator(annual):
    sheets = xlsx_values(render_annual_report_xlsx(annual))
    assert list(sheets) == ["Sammanfattning", "Indikatorer", "Behov", "Prioriteringar"]
    header, *rows = sheets["Indikatorer"]
    assert header[:4] == ["Uppdrag", "Mottagare", "Behov", "Indikator"]
    data = [r for r in rows if r[0] in ("Rökfri vardag", "Fysisk aktivitet på recept")]
    assert len(data) == 3
    first = dict(zip(header, data[0], strict=True))
    assert first["Senaste värde"] == 5.2 and first["Status"] == "i fas"
    missing = dict(zip(header, data[2], strict=True))
    assert missing["Senaste värde"] == "–"
    assert [
        "Källa",
        f"Hälsogap, uppföljningsplaner och rapporterade värden; {SOURCE}; {PROVIDER}",
    ] == [v for v in rows[-1] if v is not None]
    summary = "\n".join(str(v) for row in sheets["Sammanfattning"] for v in row if v is not None)
    assert "Antal indikatorer per status" in summary and "Så bedöms status" in summary
    assert "None" not in summary
