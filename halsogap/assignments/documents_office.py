"""Word and Excel versions of the assignment documents; content in :mod:`.documents`.

Tables in Word are written as one block of WordprocessingML rather than cell by cell through
python-docx, whose per-cell access is slow: the annual report has thousands of cells and must
build in seconds. Charts go in as PNG (CairoSVG), because Word and Excel cannot be relied on to
show SVG.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from halsogap.assignments.documents import (
    ACCEPTANCE_FORMS,
    ANNUAL_NEED_COLUMNS,
    MEASURE_KINDS,
    NEED_COLUMNS,
    PLAN_COLUMNS,
    RESULT_COLUMNS,
    AnnualReportContent,
    AssignmentContent,
    FollowUpReportContent,
    IndicatorResult,
    annual_need_cells,
    annual_source,
    assignment_facts,
    day,
    label,
    need_cells,
    need_notes,
    needs_source,
    plan_cells,
    plans_source,
    result_cells,
    results_source,
    status_counts,
)
from halsogap.assignments.documents_html import result_chart_svg, status_chart_svg
from halsogap.numbers import format_money
from halsogap.reports.cells import workbook_bytes
from halsogap.reports.needs_analysis import (
    paragraphs,
    source_line,
    svg_description,
    svg_title,
    text,
)
from halsogap.reports.needs_analysis_office import (
    _page_numbers,  # shared so that every Hälsogap document numbers its pages alike
    _swedish_and_small_source_style,
    number_format,
    svg_png,
)

TEXT_WIDTH_TWIPS = 9638  # 17 cm: A4 less 2 cm margins
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# --- Word -------------------------------------------------------------------------------------


def _new_document(title: str):
    from docx import Document
    from docx.shared import Cm

    document = Document()
    _swedish_and_small_source_style(document)
    document.core_properties.title = title
    document.core_properties.language = "sv-SE"
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    _page_numbers(section)
    document.add_heading(title, level=0)
    return document


def _cell_xml(value: str, width: int, *, bold: bool, shade: bool) -> str:
    shading = '<w:shd w:val="clear" w:color="auto" w:fill="E8F1F8"/>' if shade else ""
    run_bold = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr><w:p>'
        '<w:pPr><w:spacing w:after="0"/></w:pPr>'
        f'<w:r><w:rPr>{run_bold}<w:sz w:val="17"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'
    )


def _table(document, header: list[str], rows: list[list[str]], weights: list[float]) -> None:
    """A grid table with a repeating header row, appended to the document body."""
    from docx.oxml import parse_xml

    total = sum(weights)
    widths = [round(TEXT_WIDTH_TWIPS * w / total) for w in weights]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(
        _cell_xml(h, w, bold=True, shade=True) for h, w in zip(header, widths, strict=True)
    )
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(
            _cell_xml(c, w, bold=False, shade=False) for c, w in zip(row, widths, strict=True)
        )
        + "</w:tr>"
        for row in rows
    )
    xml = (
        f'<w:tbl {W_NS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" '
        f'w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{head}</w:tr>{body}</w:tbl>"
    )
    # Insert before the body's section properties, where python-docx adds its own blocks.
    document.element.body._insert_tbl(parse_xml(xml))


def _facts(document, facts: list[tuple[str, str]]) -> None:
    for name, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)


def _paragraphs(document, value: str | None, empty: str = "–") -> None:
    for p in paragraphs(value) or ([empty] if empty else []):
        document.add_paragraph(p)


def _picture(document, svg: str, source: str, width_cm: float = 15.5) -> None:
    from docx.shared import Cm

    document.add_paragraph(svg_title(svg)).paragraph_format.keep_with_next = True
    shape = document.add_picture(io.BytesIO(svg_png(svg)), width=Cm(width_cm))
    shape._inline.docPr.set("descr", svg_description(svg))  # alt text for screen readers
    document.add_paragraph(source, style="Källa")


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def assignment_docx(content: AssignmentContent) -> bytes:
    """The decision document in Word; see :func:`.documents.render_assignment_docx`.

    >>> import zipfile
    >>> data = assignment_docx(AssignmentContent("Uppdrag Rökfri", "Nämnden"))
    >>> "Uppföljningsplan" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    True
    """
    document = _new_document(content.title)
    meta = " · ".join(p for p in (content.region, "Uppdrag", content.generated_on) if p)
    if meta:
        document.add_paragraph(meta)
    _facts(document, assignment_facts(content))
    document.add_heading("Bakgrund: behov och hälsogap", level=1)
    if content.needs:
        _table(
            document,
            NEED_COLUMNS,
            [need_cells(n) for n in content.needs],
            [3, 4, 1, 1.3, 1.3, 1.3, 1.6],
        )
        document.add_paragraph(needs_source(content), style="Källa")
        for need in content.needs:
            notes = need_notes(need)
            if notes:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{need.title}: ").bold = True
                paragraph.add_run(" ".join(notes))
    else:
        document.add_paragraph("Inget behov är kopplat till uppdraget.")
    document.add_heading("Åtgärder", level=1)
    for m in content.measures:
        line = f"{m.title} ({label(MEASURE_KINDS, m.kind)})"
        line += f" – {m.evidence} evidens." if m.evidence else ""
        line += f" {source_line(m.source)}" if m.source else ""
        document.add_paragraph(line, style="List Bullet")
    if not content.measures:
        document.add_paragraph("–")
    document.add_heading("Mottagare och ansvarsfördelning", level=1)
    if content.recipients:
        rows = [
            [r.name, text(r.organisation_kind), text(r.responsibility)] for r in content.recipients
        ]
        _table(document, ["Mottagare", "Slag", "Ansvar"], rows, [3, 2, 6])
    else:
        document.add_paragraph("–")
    document.add_heading("Beskrivning", level=1)
    _paragraphs(document, content.description)
    for kind, heading in (("long", "Långsiktiga mål"), ("short", "Kortsiktiga mål")):
        document.add_heading(heading, level=1)
        goals = [g for g in content.goals if g.kind == kind]
        for goal in goals:
            document.add_paragraph(goal.text, style="List Number")
        if not goals:
            document.add_paragraph("–")
    document.add_heading("Tidplan", level=1)
    _paragraphs(document, content.time_plan)
    if content.milestones:
        rows = [[day(m.when), m.text, text(m.responsible)] for m in content.milestones]
        _table(document, ["Datum", "Milstolpe", "Ansvarig"], rows, [2, 6, 3])
    document.add_heading("Uppföljningsplan", level=1)
    goals_by_key = {g.key: g for g in content.goals}
    rows = [plan_cells(p, goals_by_key) for p in content.plans]
    _table(document, PLAN_COLUMNS, rows, [3, 3, 1.3, 1.5, 1.3, 1.7, 2, 1.5, 2])
    document.add_paragraph(plans_source(content.plans), style="Källa")
    if content.waived_gaps:
        document.add_heading("Godkända undantag i uppföljningsplanen", level=2)
        for gap in content.waived_gaps:
            document.add_paragraph(
                f"{gap.message_sv} Undantag: {text(gap.waiver_reason)}", style="List Bullet"
            )
    document.add_heading("Accept", level=1)
    if content.acceptance:
        _facts(
            document,
            [
                ("Form", label(ACCEPTANCE_FORMS, content.acceptance.form)),
                ("Accepterat av", text(content.acceptance.accepted_by)),
                ("Datum", day(content.acceptance.accepted_on)),
            ],
        )
    else:
        document.add_paragraph("Uppdraget är inte accepterat ännu.")
    document.add_heading("Beslut", level=1)
    if content.decision:
        _paragraphs(document, content.decision.wording, "")
        _facts(
            document,
            [
                ("Beslutande organ", text(content.decision.body)),
                ("Datum", day(content.decision.decided_on)),
                ("Beslutat av", text(content.decision.decided_by)),
                ("Paragraf/diarienummer", text(content.decision.reference)),
            ],
        )
    else:
        document.add_paragraph("Uppdraget är inte beslutat ännu.")
    return _save(document)


def _results(document, results: list[IndicatorResult]) -> None:
    _table(
        document,
        RESULT_COLUMNS,
        [result_cells(r) for r in results],
        [3.4, 1.2, 1.8, 1.8, 2.2, 1.3, 2.3],
    )
    document.add_paragraph(results_source(results), style="Källa")


def follow_up_docx(content: FollowUpReportContent) -> bytes:
    """The follow-up report in Word; see :func:`.documents.render_follow_up_docx`."""
    document = _new_document(content.title)
    _facts(
        document,
        [
            ("Uppdrag", text(content.assignment_title)),
            ("Uppdragsgivare", text(content.issuer)),
            ("Mottagare", text(content.recipients)),
            ("Läget per", text(content.period)),
        ],
    )
    _paragraphs(document, content.summary, "")
    document.add_heading("Måluppfyllelse per indikator", level=1)
    _results(document, content.indicators)
    if content.indicators:
        chart = status_chart_svg(status_counts(content.indicators), "Indikatorer per status")
        _picture(document, chart, results_source(content.indicators))
    document.add_heading("Förklaring per indikator", level=1)
    for result in content.indicators:
        document.add_heading(f"{result.title} ({result.code})", level=2)
        document.add_paragraph(text(result.explanation))
        chart = result_chart_svg(result)
        if chart:
            _picture(document, chart, source_line(result.source))
    document.add_heading("Minskar hälsogapet?", level=1)
    for gap in content.gaps:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{gap.need}: ").bold = True
        paragraph.add_run(gap.sentence)
        document.add_paragraph(source_line(gap.source), style="Källa")
    if not content.gaps:
        document.add_paragraph("Inget behov med hälsogap är kopplat.")
    document.add_heading("Utförarens kommentarer", level=1)
    for period, author, body in content.comments:
        document.add_paragraph().add_run(f"{text(period)}, {text(author)}").bold = True
        _paragraphs(document, body)
    if not content.comments:
        document.add_paragraph("Inga kommentarer.")
    document.add_heading("Så bedöms status", level=1)
    document.add_paragraph(content.rule)
    return _save(document)


def annual_docx(content: AnnualReportContent) -> bytes:
    """The annual report in Word; see :func:`.documents.render_annual_report_docx`."""
    document = _new_document(content.title)
    meta = [
        content.region,
        f"Årsredovisning {content.year}",
        content.generated_on,
        content.author or "",
    ]
    document.add_paragraph(" · ".join(p for p in meta if p))
    _paragraphs(document, content.introduction, "")
    document.add_heading("Måluppfyllelse sammanfattad", level=1)
    document.add_paragraph(
        f"{len(content.assignments)} uppdrag med {len(content.results)} indikatorer följs upp "
        f"för {content.year}."
    )
    source = annual_source(content)
    counts = content.counts()
    rows = [
        [name, *(str(n) for n in c.values())]
        for name, c in (
            ("Alla indikatorer", counts),
            ("Effektindikatorer", content.counts("effect")),
            ("Processindikatorer", content.counts("process")),
        )
    ]
    _table(document, ["", *counts], rows, [3, *([1.4] * len(counts))])
    document.add_paragraph(source, style="Källa")
    _picture(
        document, status_chart_svg(counts, f"Alla indikatorer per status {content.year}"), source
    )
    effect = content.counts("effect")
    _picture(
        document, status_chart_svg(effect, f"Effektindikatorer per status {content.year}"), source
    )
    document.add_heading("Så bedöms status", level=1)
    document.add_paragraph(content.rule)
    document.add_heading("Behoven och deras mål", level=1)
    if content.needs:
        _table(
            document,
            ANNUAL_NEED_COLUMNS,
            [annual_need_cells(n) for n in content.needs],
            [3.6, 3.0, 1.0, 1.4, 1.4, 1.4, 4.2],
        )
        sources = "; ".join(sorted({n.source for n in content.needs}))
        document.add_paragraph(source_line(sources or None), style="Källa")
    else:
        document.add_paragraph("Ingen behovsanalys att redovisa.")
    document.add_heading("Prioriteringar och budget", level=1)
    for d in content.decisions:
        document.add_paragraph(
            f"{d.citation}: budget {format_money(d.budget)}, fördelat {format_money(d.funded)}. "
            f"{d.rationale}"
        )
    if not content.decisions:
        document.add_paragraph("Inget prioriteringsbeslut under året.")
    document.add_heading("Uppdragen", level=1)
    for item in content.assignments:
        document.add_heading(item.title, level=2)
        document.add_paragraph(f"Mottagare: {text(item.recipient)} · Behov: {text(item.need)}")
        _results(document, item.indicators)
        if item.comment:
            document.add_paragraph(item.comment)
    if not content.assignments:
        document.add_paragraph("Inga uppdrag att redovisa.")
    return _save(document)


# --- Excel ------------------------------------------------------------------------------------

RESULT_SHEET_COLUMNS = [
    "Uppdrag",
    "Mottagare",
    "Behov",
    "Indikator",
    "Kod",
    "Typ",
    "Enhet",
    "Utgångsvärde",
    "Utgångsperiod",
    "Senaste värde",
    "Senaste period",
    "Målvärde",
    "Måldatum",
    "Status",
    "Trend",
    "Förklaring",
    "Källa",
]


def _dash(value):
    # Excel shows "–" for a missing number instead of an empty cell that reads as zero.
    return "–" if value is None else value


def _header(ws, row: int, names: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    fill, bold = PatternFill("solid", fgColor="E8F1F8"), Font(bold=True)
    for col, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=col, value=name)
        cell.fill, cell.font = fill, bold


def _source_row(ws, row: int, line: str) -> None:
    from openpyxl.styles import Font

    ws.cell(row=row, column=1, value="Källa").font = Font(bold=True)
    ws.cell(row=row, column=2, value=line.removeprefix("Källa: ")).font = Font(italic=True)


def _image(ws, anchor: str, svg: str, width_px: int = 520) -> None:
    from openpyxl.drawing.image import Image

    png = svg_png(svg)
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    image = Image(io.BytesIO(png))
    image.width, image.height = width_px, round(h * width_px / w)
    ws.add_image(image, anchor)


def _result_sheet(ws, rows: list[tuple[str, str, str, IndicatorResult]], source: str) -> None:
    from openpyxl.utils import get_column_letter

    ws.title = "Indikatorer"
    _header(ws, 1, RESULT_SHEET_COLUMNS)
    for assignment, recipient, need, r in rows:
        ws.append(
            [
                assignment,
                _dash(recipient or None),
                _dash(need or None),
                r.title,
                r.code,
                "effekt" if r.role == "effect" else "process",
                _dash(r.unit or None),
                _dash(r.baseline),
                _dash(r.baseline_period),
                _dash(r.latest_value),
                _dash(r.latest_period),
                _dash(r.target),
                _dash(r.target_date),
                r.status,
                _dash(r.trend or None),
                _dash(r.explanation or None),
                _dash(r.source or None),
            ]
        )
    last = ws.max_row
    # Each value with its indicator's precision, so the sheet shows what the page shows.
    for index, (*_, r) in enumerate(rows, start=2):
        for col in ("H", "J", "L"):
            ws[f"{col}{index}"].number_format = number_format(r.decimals)
    for (cell,) in ws[f"M2:M{last}"] if last > 1 else []:
        cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(RESULT_SHEET_COLUMNS))}{max(last, 1)}"
    _source_row(ws, last + 2, source)
    widths = [34, 24, 24, 34, 10, 9, 10, 12, 12, 12, 12, 12, 12, 14, 30, 60, 30]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _summary(ws, title: str, facts: list[tuple[str, object]], counts_rows, source: str, rule: str):
    from openpyxl.styles import Alignment, Font

    ws.title = "Sammanfattning"
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=16)
    row = 3
    for name, value in facts:
        ws.cell(row=row, column=1, value=name).font = Font(bold=True)
        ws.cell(row=row, column=2, value=_dash(value if value != "" else None))
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Antal indikatorer per status").font = Font(bold=True, size=12)
    _header(ws, row + 1, ["", *counts_rows[0][1]])
    row += 2
    for name, counts in counts_rows:
        ws.append([name, *counts.values()])
        row += 1
    _source_row(ws, row, source)
    row += 2
    ws.cell(row=row, column=1, value="Så bedöms status").font = Font(bold=True)
    cell = ws.cell(row=row, column=2, value=rule)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[row].height = 90
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60
    return row + 2


def follow_up_xlsx(content: FollowUpReportContent) -> bytes:
    """The follow-up report in Excel; see :func:`.documents.render_follow_up_xlsx`."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = content.title
    source = results_source(content.indicators)
    facts = [
        ("Uppdrag", content.assignment_title),
        ("Uppdragsgivare", content.issuer),
        ("Mottagare", content.recipients),
        ("Läget per", content.period),
        ("Framtagen", content.generated_on),
    ]
    counts = status_counts(content.indicators)
    row = _summary(
        workbook.active, content.title, facts, [("Alla indikatorer", counts)], source, content.rule
    )
    for gap in content.gaps:
        workbook.active.cell(row=row, column=1, value=gap.need)
        workbook.active.cell(row=row, column=2, value=gap.sentence)
        _source_row(workbook.active, row + 1, source_line(gap.source))
        row += 3
    if content.indicators:
        ws = workbook.active
        ws.cell(
            row=row,
            column=1,
            value=f"Diagram: {svg_title(status_chart_svg(counts, 'Indikatorer per status'))}",
        )
        _source_row(ws, row + 1, source)
        _image(ws, f"A{row + 2}", status_chart_svg(counts, "Indikatorer per status"))
    rows = [(content.assignment_title, content.recipients, "", r) for r in content.indicators]
    _result_sheet(workbook.create_sheet(), rows, source)
    values = workbook.create_sheet("Värden")
    _header(values, 1, ["Indikator", "Kod", "Period", "Värde"])
    for r in content.indicators:
        for period, value in r.series:
            values.append([r.title, r.code, period, _dash(value)])
            values.cell(row=values.max_row, column=4).number_format = number_format(r.decimals)
    _source_row(values, values.max_row + 2, source)
    comments = workbook.create_sheet("Kommentarer")
    _header(comments, 1, ["Period", "Författare", "Kommentar"])
    for period, author, body in content.comments:
        comments.append([text(period), text(author), text(body)])
    if not content.comments:
        comments.append(["Inga kommentarer."])
    return workbook_bytes(workbook)


def annual_xlsx(content: AnnualReportContent) -> bytes:
    """The annual report in Excel; see :func:`.documents.render_annual_report_xlsx`.

    >>> from openpyxl import load_workbook
    >>> data = annual_xlsx(AnnualReportContent("Årsredovisning", "Region X", 2026, ""))
    >>> load_workbook(io.BytesIO(data)).sheetnames
    ['Sammanfattning', 'Indikatorer', 'Behov', 'Prioriteringar']
    """
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = content.title
    source = annual_source(content)
    facts = [
        ("Region", content.region),
        ("År", content.year),
        ("Framtagen", content.generated_on),
        ("Framtagen av", content.author),
        ("Antal uppdrag", len(content.assignments)),
        ("Antal indikatorer", len(content.results)),
    ]
    counts_rows = [
        ("Alla indikatorer", content.counts()),
        ("Effektindikatorer", content.counts("effect")),
        ("Processindikatorer", content.counts("process")),
    ]
    ws = workbook.active
    row = _summary(ws, content.title, facts, counts_rows, source, content.rule)
    chart = status_chart_svg(content.counts(), f"Alla indikatorer per status {content.year}")
    ws.cell(row=row, column=1, value=f"Diagram: {svg_title(chart)}")
    _source_row(ws, row + 1, source)
    _image(ws, f"A{row + 2}", chart)
    rows = [(a.title, a.recipient, a.need, r) for a in content.assignments for r in a.indicators]
    _result_sheet(workbook.create_sheet(), rows, source)
    needs = workbook.create_sheet("Behov")
    _header(needs, 1, ANNUAL_NEED_COLUMNS)
    for need in content.needs:
        cells = annual_need_cells(need)
        needs.append(
            [
                *cells[:3],
                _dash(need.current),
                _dash(need.desired),
                _dash(need.gap_to_close),
                cells[6],
            ]
        )
        for col in (4, 5, 6):
            needs.cell(row=needs.max_row, column=col).number_format = number_format(need.decimals)
    decisions = workbook.create_sheet("Prioriteringar")
    _header(decisions, 1, ["Beslut", "Budget (kr)", "Fördelat (kr)", "Motivering"])
    for d in content.decisions:
        decisions.append([d.citation, d.budget, d.funded, d.rationale])
    return workbook_bytes(workbook)


# --- Public renderers: Word and Excel ---------------------------------------------------------


def render_assignment_docx(content: AssignmentContent) -> bytes:
    """The decision document in Word (regions write their decisions in Word).

    >>> render_assignment_docx(AssignmentContent("Uppdrag", "Nämnden"))[:2]
    b'PK'
    """
    return assignment_docx(content)


def render_follow_up_docx(content: FollowUpReportContent) -> bytes:
    """The follow-up report in Word.

    >>> render_follow_up_docx(FollowUpReportContent("U", "A", "N", "VC", "2026", ""))[:2]
    b'PK'
    """
    return follow_up_docx(content)


def render_follow_up_xlsx(content: FollowUpReportContent) -> bytes:
    """The follow-up report in Excel.

    >>> render_follow_up_xlsx(FollowUpReportContent("U", "A", "N", "VC", "2026", ""))[:2]
    b'PK'
    """
    return follow_up_xlsx(content)


def render_annual_report_docx(content: AnnualReportContent) -> bytes:
    """The annual report in Word.

    >>> render_annual_report_docx(AnnualReportContent("Årsredovisning", "Region X", 2026, ""))[:2]
    b'PK'
    """
    return annual_docx(content)


def render_annual_report_xlsx(content: AnnualReportContent) -> bytes:
    """The annual report in Excel: summary, one row per indicator, and the rule.

    >>> render_annual_report_xlsx(AnnualReportContent("Årsredovisning", "Region X", 2026, ""))[:2]
    b'PK'
    """
    return annual_xlsx(content)
