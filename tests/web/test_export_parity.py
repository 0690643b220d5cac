"""Every export shows the figures of its page: the needs analysis, the priority decision, an
assignment's follow-up and the annual report, in PDF, Word, Excel and CSV.

Each answer is read back as rows of a table (a label and the numbers written after it, as the
reader sees them: Excel cells formatted by their own number format) and compared with the rows
of the page. Both are rendered from one content object, so any figure computed by a view, a
template or a renderer on its own would show up here as a difference.
"""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from halsogap.numbers import format_number

NUMBER = re.compile(r"(?<![\w.,])[−-]?\d+(?:[\u00a0 ]\d{3})*(?:,\d+)?(?![\w])|(?<!\w)–(?!\w)")


def _figures(cells: list[str]) -> list[str]:
    """The numbers (and "–") written in a row after its label, spaces made plain."""
    text = " | ".join(cells)
    return [n.replace("\u00a0", " ") for n in NUMBER.findall(text)]


def _html_rows(data: bytes) -> list[list[str]]:
    page = data.decode("utf-8")
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return rows


def _docx_rows(data: bytes) -> list[list[str]]:
    from docx import Document

    return [
        [cell.text.strip() for cell in row.cells]
        for table in Document(io.BytesIO(data)).tables
        for row in table.rows
    ]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    rows = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = cell.value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    # What Excel shows: the cell's own number format, in Swedish.
                    places = (
                        cell.number_format.split(".")[1].count("0")
                        if "." in (cell.number_format or "")
                        else 0
                    )
                    cells.append(format_number(value, places))
                else:
                    cells.append("" if value is None else str(value))
            rows.append(cells)
    return rows


class PdfText(str):
    """A PDF's text with all white space as single spaces.

    WeasyPrint writes a table cell by cell, each cell's lines together, so a row whose label
    wraps ("Upplands / Väsby") still reads "Upplands Väsby 9,1 8,0 …" once lines are joined.
    """


def _pdf_lines(data: bytes) -> PdfText:
    from pypdf import PdfReader

    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return PdfText(" ".join(text.replace("\u00a0", " ").split()))


def _csv_rows(text: str) -> list[list[str]]:
    return [line.split(";") for line in text.splitlines()]


def _by_label(rows: list[list[str]], labels: set[str]) -> list[tuple[str, list[str]]]:
    """Rows whose first cell (or, for PDF lines, whose start) is one of ``labels``."""
    found = []
    for row in rows:
        if not row:
            continue
        first = row[0]
        label = next(
            (x for x in sorted(labels, key=len, reverse=True) if first.startswith(x)), None
        )
        if label is None:
            continue
        rest = [first[len(label) :], *row[1:]]
        found.append((label, _figures(rest)))
    return found


def _same_rows(page, document, labels, *, columns: int | None = None, fmt: str = ""):
    want = _by_label(page, labels)
    if isinstance(document, PdfText):
        if columns is not None:
            want = [(label, figures[:columns]) for label, figures in want]
        missing = [(lbl, f) for lbl, f in want if f"{lbl} {' '.join(f)}" not in document]
        assert missing == [], f"pdf: rows of the page not in the document: {missing}"
        return
    got = _by_label(document, labels)
    assert want, "the page has no rows to compare"
    if columns is not None:
        want = [(label, figures[:columns]) for label, figures in want]
        got = [(label, figures[:columns]) for label, figures in got]
    missing = [row for row in want if row not in got]
    assert missing == [], f"{fmt}: rows of the page not in the document: {missing}, got {got}"


@pytest.fixture
def analyst_client(client_for, analyst):
    return client_for(analyst)


@pytest.mark.django_db
def test_the_needs_analysis_exports_show_the_gap_rows_of_its_page(analyst_client, small_counts):
    analysis = small_counts["analysis"]
    page = analyst_client.get(f"/behovsanalys/{analysis.pk}/")
    content = page.context["content"]
    labels = {
        row.area
        for group in content.groups
        for item in group.items
        for row in [*item.rows, *([item.total] if item.total else [])]
    }
    page_rows = _html_rows(page.content)
    # Current, desired, gap to close and persons: the four figures of every gap row.
    for fmt, read in (("docx", _docx_rows), ("xlsx", _xlsx_rows), ("pdf", _pdf_lines)):
        answer = analyst_client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.{fmt}")
        assert answer.status_code == 200
        _same_rows(page_rows, read(answer.content), labels, columns=4, fmt=fmt)
    exported = analyst_client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.html")
    _same_rows(page_rows, _html_rows(exported.content), labels, columns=4)
    out = io.StringIO()
    call_command("needs_gap_table", str(analysis.pk), stdout=out)
    csv_rows = [[row[5], *(c or "–" for c in row[6:10])] for row in _csv_rows(out.getvalue())[1:]]
    # The CSV writes numbers without the thousands space, so compare with spaces removed.
    plain = [
        (label, [f.replace(" ", "") for f in figures])
        for label, figures in _by_label(page_rows, labels)
    ]
    got = [
        (label, [f.replace(" ", "") for f in figures])
        for label, figures in _by_label(csv_rows, labels)
    ]
    assert [row for row in [(lbl, f[:4]) for lbl, f in plain] if row not in got] == []


@pytest.mark.django_db
def test_the_analysis_page_and_its_export_use_the_analysis_severities(analyst_client, small_counts):
    """The page and the export rank with the analysis's own severity (3 here), not none."""
    analysis = small_counts["analysis"]
    page = analyst_client.get(f"/behovsanalys/{analysis.pk}/")
    ranking = {r["title"]: r["score"] for r in page.context["content"].ranking}
    exported = analyst_client.get(f"/behovsanalys/{analysis.pk}/behovsanalys.xlsx")
    rows = {r[1]: r[4] for r in _xlsx_rows(exported.content) if len(r) > 4 and r[1] in ranking}
    assert rows and all(rows[t] == format_number(s, 2) for t, s in ranking.items() if t in rows)


@pytest.mark.django_db
def test_the_decision_documents_show_the_weights_ranking_and_allocation_of_its_page(
    client_for, politician, small_counts
):
    client = client_for(politician)
    decision = small_counts["decision"]
    page = client.get(f"/prioritering/beslut/{decision.pk}/")
    content = page.context["content"]
    labels = {label for label, _ in content.weights}
    for fmt, read in (("docx", _docx_rows), ("pdf", _pdf_lines)):
        answer = client.get(f"/prioritering/beslut/{decision.pk}/beslut.{fmt}")
        assert answer.status_code == 200
        _same_rows(_html_rows(page.content), read(answer.content), labels)


def _results_from_rows(rows: list[list[str]], kind: str) -> dict[tuple[str, str], list[str]]:
    """{(title, role): [baseline, latest, target, status]} from a result table or sheet."""
    out = {}
    for row in rows:
        if kind == "xlsx" and len(row) > 13 and row[5] in {"effekt", "process"}:
            out[(row[3], row[5])] = [row[7], row[9], row[11], row[13]]
        elif kind != "xlsx" and len(row) > 5 and row[1] in {"effekt", "process"}:
            title = re.sub(r" \([A-Z0-9_]+\)$", "", row[0])
            strip = [re.sub(r" \(.*\)$", "", c) for c in row[2:5]]
            out[(title, row[1])] = [*strip, row[5]]
    return out


def _expected(results, kind: str = "docx") -> dict[tuple[str, str], list[str]]:
    """What each format shows: documents say in words why a value is missing; a sheet keeps
    its number cells and leaves the reason to the status column."""
    return {
        (r.title, "effekt" if r.role == "effect" else "process"): [
            format_number(r.baseline, r.decimals),
            format_number(r.latest_value, r.decimals)
            if kind == "xlsx" or r.latest_value is not None
            else r.latest_text,
            format_number(r.target, r.decimals),
            r.status,
        ]
        for r in results
    }


@pytest.mark.django_db
def test_the_follow_up_documents_show_the_results_of_its_page(analyst_client, small_counts):
    assignment = small_counts["assignment"]
    page = analyst_client.get(f"/uppdrag/{assignment.pk}/uppfoljning/")
    results = page.context["content"].indicators
    text = html.unescape(page.content.decode())
    for r in results:
        assert f"{format_number(r.baseline, r.decimals)}" in text
        for period, value in r.series:
            assert f'<td>{period}</td><td class="num">{format_number(value, r.decimals)}</td>' in (
                text
            )
    expected = _expected(results)
    assert len(expected) == len(results) == 3
    for fmt, read in (("docx", _docx_rows), ("xlsx", _xlsx_rows)):
        answer = analyst_client.get(f"/uppdrag/{assignment.pk}/uppfoljning.{fmt}")
        assert _results_from_rows(read(answer.content), fmt) == _expected(results, fmt), fmt
    pdf = _pdf_lines(analyst_client.get(f"/uppdrag/{assignment.pk}/uppfoljning.pdf").content)
    for (title, _role), figures in expected.items():
        assert title in pdf and all(f.replace("\u00a0", " ") in pdf for f in figures), title


@pytest.mark.django_db
def test_the_annual_report_shows_each_assignments_follow_up_figures(analyst_client, small_counts):
    assignment = small_counts["assignment"]
    page = analyst_client.get(f"/uppdrag/{assignment.pk}/uppfoljning/")
    results = page.context["content"].indicators
    year = timezone.localdate().year
    for fmt, read in (("docx", _docx_rows), ("xlsx", _xlsx_rows)):
        answer = analyst_client.get(f"/uppdrag/arsredovisning.{fmt}?ar={year}")
        assert _results_from_rows(read(answer.content), fmt) == _expected(results, fmt), fmt
