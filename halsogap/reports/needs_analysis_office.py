"""Word and Excel versions of the needs analysis (see :mod:`halsogap.reports.needs_analysis`).

Charts and maps are SVG; Word and Excel cannot be relied on to show SVG, so CairoSVG turns
them into PNG at twice their drawn size (sharp when printed).
"""

from __future__ import annotations

import io
import math
import re
from datetime import date

from halsogap.needs.dialogues import SECTION_TITLE
from halsogap.reports.cells import workbook_bytes
from halsogap.reports.population_voice import voice_docx, voice_sheet

from .needs_analysis import (
    DASH,
    GAP_COLUMNS,
    RANKING_COLUMNS,
    SUMMARY_COLUMNS,
    GapRow,
    NeedItem,
    NeedsAnalysisContent,
    comment_heading,
    gap_cells,
    group_facts,
    item_facts,
    map_source_line,
    paragraphs,
    ranking_cells,
    ranking_source,
    severity_text,
    source_line,
    status_text,
    summary_rows,
    svg_description,
    svg_title,
    table_caption,
    table_total,
    text,
)

NUMERIC_COLUMNS = {1, 2, 3, 4}  # Nuvärde, Målvärde, Gap, Personer: right-aligned
GAP_WIDTHS_CM = [3.2, 1.8, 1.8, 1.8, 1.8, 3.6, 3.0]  # 17 cm: A4 less 2 cm margins


def svg_png(svg: str, scale: float = 2.0) -> bytes:
    """PNG bytes of an SVG chart or map, on white so it prints the same as in the PDF.

    >>> png = svg_png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>')
    >>> png[:4]
    b'\\x89PNG'
    """
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")


def _png_size(png: bytes) -> tuple[int, int]:
    # Width and height sit at fixed offsets in a PNG's IHDR chunk.
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# --- Word -----------------------------------------------------------------------------------


def _swedish_and_small_source_style(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    # Marking the text as Swedish gives Word's spelling check and hyphenation the right language.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    normal.element.get_or_add_rPr().append(lang)
    source = document.styles.add_style("Källa", WD_STYLE_TYPE.PARAGRAPH)
    source.base_style = normal
    source.font.size, source.font.italic = Pt(8), True
    source.paragraph_format.space_after = Pt(10)


def _page_numbers(section) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = 1  # centred
    for kind, value in (("t", "Sida "), ("f", "PAGE"), ("t", " av "), ("f", "NUMPAGES")):
        if kind == "t":
            paragraph.add_run(value)
            continue
        # A simple field: Word fills in the page number when it lays the document out.
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), value)
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        run.append(t)
        fld.append(run)
        paragraph._p.append(fld)


def _facts(document, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph().paragraph_format.space_after = 0


def _table(document, header, rows, numeric: set[int], widths_cm: list[float], bold_last=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    # The header row repeats on every page a long table spans.
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)
    for r, values in enumerate([header, *rows]):
        cells = table.rows[0].cells if r == 0 else table.add_row().cells
        for c, value in enumerate(values):
            paragraph = cells[c].paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(8.5)
            run.bold = r == 0 or (bold_last and r == len(rows))
            if r and c in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # Word takes column widths from the cells; equal widths would squeeze the text columns.
    for column, width in zip(table.columns, widths_cm, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)
    return table


def _picture(document, svg: str, width_cm: float, source: str) -> None:
    from docx.shared import Cm

    document.add_paragraph(svg_title(svg)).paragraph_format.keep_with_next = True
    shape = document.add_picture(io.BytesIO(svg_png(svg)), width=Cm(width_cm))
    # Alt text: the chart's own text alternative, for screen readers (DOS-lagen).
    shape._inline.docPr.set("descr", svg_description(svg))
    document.add_paragraph(source, style="Källa")


def _docx_item(document, item: NeedItem) -> None:
    document.add_heading(f"{item.indicator_title} ({item.indicator_code})", level=2)
    _facts(document, item_facts(item))
    document.add_paragraph(table_caption(item)).paragraph_format.keep_with_next = True
    rows = [gap_cells(r, item.decimals) for r in item.rows]
    total = table_total(item)
    if total:
        rows.append(gap_cells(total, item.decimals))
    _table(document, GAP_COLUMNS, rows, NUMERIC_COLUMNS, GAP_WIDTHS_CM, bold_last=bool(total))
    document.add_paragraph(source_line(item.source), style="Källa")
    if item.chart_svg:
        _picture(document, item.chart_svg, 15.5, source_line(item.source))
    if item.map_svg:
        _picture(document, item.map_svg, 9.0, map_source_line(item))


def docx_bytes(content: NeedsAnalysisContent) -> bytes:
    """The Word document; see :func:`halsogap.reports.needs_analysis.render_docx`.

    >>> doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    >>> import zipfile
    >>> archive = zipfile.ZipFile(io.BytesIO(docx_bytes(doc)))
    >>> "Behovsanalys" in archive.read("word/document.xml").decode()
    True
    """
    from docx import Document
    from docx.shared import Cm

    document = Document()
    _swedish_and_small_source_style(document)
    document.core_properties.title = content.title
    document.core_properties.language = "sv-SE"
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    _page_numbers(section)

    document.add_heading(content.title, level=0)
    meta = [content.region, f"Behovsanalys {content.year}", f"Framtagen {content.generated_on}"]
    document.add_paragraph(" · ".join(p for p in [*meta, content.author or ""] if p))
    document.add_heading("Behov, mål och gap", level=1)
    summary = summary_rows(content)
    if summary:
        _table(
            document, SUMMARY_COLUMNS, summary, {3, 4, 5, 6}, [3.0, 3.6, 3.6, 1.6, 1.6, 1.6, 2.0]
        )
        sources = "; ".join(sorted({i.source for g in content.groups for i in g.items}))
        document.add_paragraph(source_line(sources or None), style="Källa")
    else:
        document.add_paragraph("Analysen har ännu inga behovsgrupper med behov.")
    document.add_heading("Inledning", level=1)
    for p in paragraphs(content.introduction) or ["Ingen inledning är skriven."]:
        document.add_paragraph(p)

    for group in content.groups:
        heading = document.add_heading(f"Behovsgrupp: {group.name}", level=1)
        heading.paragraph_format.page_break_before = True  # a new page per group, as in the PDF
        for p in paragraphs(group.description):
            document.add_paragraph(p)
        _facts(document, group_facts(group))
        for item in group.items:
            _docx_item(document, item)

    document.add_heading("Behoven i rangordning", level=1).paragraph_format.page_break_before = True
    if content.ranking_note:
        document.add_paragraph(content.ranking_note)
    if content.ranking:
        rows = [ranking_cells(e) for e in content.ranking]
        _table(
            document, RANKING_COLUMNS, rows, {0, 2, 3, 4, 6}, [1.0, 5.4, 1.6, 1.6, 1.3, 3.4, 2.4]
        )
        document.add_paragraph(ranking_source(content), style="Källa")
    else:
        document.add_paragraph("Ingen rangordning är beräknad.")
    document.add_heading(SECTION_TITLE, level=1)
    voice_docx(document, content.dialogues, table=_table)
    document.add_heading("Underlag från dialoger", level=1)
    for p in paragraphs(content.dialogue_notes) or ["Inga anteckningar från dialoger."]:
        document.add_paragraph(p)

    document.add_heading("Kommentarer", level=1)
    for author, when, body in content.comments:
        document.add_paragraph().add_run(comment_heading(author, when)).bold = True
        for p in paragraphs(body) or [DASH]:
            document.add_paragraph(p)
    if not content.comments:
        document.add_paragraph("Inga kommentarer ännu.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Excel ----------------------------------------------------------------------------------

GAP_WIDTHS = [30, 12, 12, 16, 12, 34, 44]
ROW_PX = 20  # openpyxl's default row height (15 pt) in pixels, for placing images


def _decimals(entry: dict) -> int:
    return 1 if entry.get("decimals") is None else int(entry["decimals"])


def number_format(decimals: int) -> str:
    """An Excel format; Swedish Excel shows it with a space between thousands and a comma.

    >>> number_format(1), number_format(0)
    ('#,##0.0', '#,##0')
    """
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters and none of ``[]:*?/\\``.

    >>> sheet_title("Låg utbildning: 16–84 år / kvinnor", {"Låg utbildning 16–84 år kvinnor"})
    'Låg utbildning 16–84 år kvi (2)'
    """
    base = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", name)).strip()[:31] or "Behovsgrupp"
    title, n = base, 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(title)
    return title


def _cell(ws, row: int, col: int, value, fmt: str | None = None, bold=False):
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        # Missing numbers are shown as a dash (never "None" or an empty that reads as zero).
        cell.value, cell.alignment = DASH, Alignment(horizontal="right")
    else:
        cell.value = value
        if fmt:
            cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(ws, row: int, names: list[str]) -> None:
    from openpyxl.styles import PatternFill

    for col, name in enumerate(names, start=1):
        _cell(ws, row, col, name, bold=True).fill = PatternFill("solid", fgColor="E8F1F8")


def _gap_row(ws, row: int, gap: GapRow, decimals: int, bold=False) -> None:
    fmt = number_format(decimals)
    values = [gap.area, gap.current, gap.desired, gap.gap_to_close, gap.persons]
    for col, value in enumerate(values, start=1):
        _cell(ws, row, col, value, None if col == 1 else fmt, bold)
    if gap.persons is not None:
        ws.cell(row=row, column=5).number_format = number_format(0)
    _cell(ws, row, 6, status_text(gap), bold=bold)
    _cell(ws, row, 7, gap.note or "", bold=bold)


def _source_row(ws, row: int, line: str) -> None:
    from openpyxl.styles import Font

    _cell(ws, row, 1, "Källa", bold=True)
    ws.cell(row=row, column=2, value=line.removeprefix("Källa: ")).font = Font(italic=True)


def _image(ws, anchor: str, svg: str, width_px: int) -> int:
    """Place a chart or map; returns its height in rows so the next block goes below it."""
    from openpyxl.drawing.image import Image

    png = svg_png(svg)
    w, h = _png_size(png)
    image = Image(io.BytesIO(png))
    image.width, image.height = width_px, round(h * width_px / w)
    ws.add_image(image, anchor)
    return image.height // ROW_PX + 2


def _xlsx_item(ws, row: int, item: NeedItem) -> int:
    from openpyxl.styles import Font

    heading = ws.cell(row=row, column=1, value=f"{item.indicator_title} ({item.indicator_code})")
    heading.font = Font(bold=True, size=12)
    row += 1
    for label, value in item_facts(item):
        _cell(ws, row, 1, label, bold=True)
        _cell(ws, row, 2, value)
        row += 1
    ws.cell(row=row, column=1, value=table_caption(item))
    _header(ws, row + 1, GAP_COLUMNS)
    row += 2
    for gap in item.rows:
        _gap_row(ws, row, gap, item.decimals)
        row += 1
    if total := table_total(item):
        _gap_row(ws, row, total, item.decimals, bold=True)
        row += 1
    _source_row(ws, row, source_line(item.source))
    row += 2
    heights = [0]
    if item.chart_svg:
        ws.cell(row=row, column=1, value=f"Diagram: {svg_title(item.chart_svg)}")
        _source_row(ws, row + 1, source_line(item.source))
        heights.append(_image(ws, f"A{row + 2}", item.chart_svg, 560) + 2)
    if item.map_svg:
        # The map sits beside the chart (column F onwards) to keep the sheet short.
        col = "F" if item.chart_svg else "A"
        ws[f"{col}{row}"] = f"Karta: {svg_title(item.map_svg)}"
        ws[f"{col}{row + 1}"] = map_source_line(item)
        heights.append(_image(ws, f"{col}{row + 2}", item.map_svg, 300) + 2)
    return row + max(heights) + 1


def _summary(ws, content: NeedsAnalysisContent) -> None:
    from openpyxl.styles import Alignment, Font

    ws["A1"] = content.title
    ws["A1"].font = Font(bold=True, size=16)
    try:
        generated = date.fromisoformat(content.generated_on)
    except ValueError:
        generated = content.generated_on or None
    facts = [
        ("Region", content.region),
        ("År", content.year),
        ("Framtagen", generated),
        ("Framtagen av", content.author),
        ("Inledning", "\n\n".join(paragraphs(content.introduction)) or None),
        ("Underlag från dialoger", "\n\n".join(paragraphs(content.dialogue_notes)) or None),
    ]
    for row, (label, value) in enumerate(facts, start=3):
        _cell(ws, row, 1, label, bold=True)
        cell = _cell(ws, row, 2, value, "yyyy-mm-dd" if isinstance(value, date) else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
    row = 3 + len(facts) + 1
    ws.cell(row=row, column=1, value="Behov per behovsgrupp").font = Font(bold=True, size=12)
    header = ["Behovsgrupp", "Indikator", "År", "Mål", *GAP_COLUMNS[1:6], "Allvarlighetsgrad"]
    header.append("Källa")
    _header(ws, row + 1, header)
    row += 2
    for group in content.groups:
        for item in group.items:
            total = item.total or GapRow("", None, None, None, None, None, None, None)
            fmt = number_format(item.decimals)
            values = [
                (group.name, None),
                (f"{item.indicator_title} ({item.indicator_code})", None),
                (item.year, "0"),
                (item.target_text, None),
                (total.current, fmt),
                (total.desired, fmt),
                (total.gap_to_close, fmt),
                (total.persons, number_format(0)),
                (status_text(total), None),
                (severity_text(item.severity), None),
                (source_line(item.source).removeprefix("Källa: "), None),
            ]
            for col, (value, f) in enumerate(values, start=1):
                _cell(ws, row, col, value, f)
            row += 1
    ws.cell(row=row, column=1, value="Värdena gäller behovsgruppen som helhet.")
    sources = sorted({i.source for g in content.groups for i in g.items if i.source})
    _source_row(ws, row + 1, "; ".join(sources) or source_line(None))
    row += 3
    ws.cell(row=row, column=1, value="Kommentarer").font = Font(bold=True, size=12)
    _header(ws, row + 1, ["Författare", "Datum", "Kommentar"])
    row += 2
    for author, when, body in content.comments:
        _cell(ws, row, 1, text(author))
        _cell(ws, row, 2, text(when))
        _cell(ws, row, 3, body or None).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    if not content.comments:
        ws.cell(row=row, column=1, value="Inga kommentarer ännu.")
    widths = [26, 40, 8, 30, 10, 10, 14, 12, 30, 18, 45]
    for col, width in zip("ABCDEFGHIJK", widths, strict=True):
        ws.column_dimensions[col].width = width


def _ranking(ws, content: NeedsAnalysisContent) -> None:
    from openpyxl.styles import Font

    ws["A1"] = "Behoven i rangordning"
    ws["A1"].font = Font(bold=True, size=14)
    row = 2
    if content.ranking_note:
        ws.cell(row=row, column=1, value=content.ranking_note)
        row += 1
    _header(ws, row + 1, RANKING_COLUMNS)
    row += 2
    for entry in content.ranking:
        values = [
            (entry.get("rank"), "0"),
            (entry.get("title"), None),
            (entry.get("current"), number_format(_decimals(entry))),
            (entry.get("desired"), number_format(_decimals(entry))),
            (entry.get("score"), "0.00"),
            (entry.get("main_criterion"), None),
            (entry.get("gap_persons"), number_format(0)),
        ]
        for col, (value, fmt) in enumerate(values, start=1):
            _cell(ws, row, col, value, fmt)
        row += 1
    if not content.ranking:
        ws.cell(row=row, column=1, value="Ingen rangordning är beräknad.")
        row += 1
    _source_row(ws, row, ranking_source(content))
    for col, width in zip("ABCDE", [8, 40, 10, 30, 16], strict=True):
        ws.column_dimensions[col].width = width


def xlsx_bytes(content: NeedsAnalysisContent) -> bytes:
    """The workbook; see :func:`halsogap.reports.needs_analysis.render_xlsx`.

    >>> from openpyxl import load_workbook
    >>> doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    >>> load_workbook(io.BytesIO(xlsx_bytes(doc))).sheetnames
    ['Sammanfattning', 'Rangordning', 'Befolkningens synpunkter']
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.title = content.title
    workbook.properties.language = "sv-SE"
    summary = workbook.active
    summary.title = "Sammanfattning"
    _summary(summary, content)
    taken = {"Sammanfattning", "Rangordning", SECTION_TITLE}
    for group in content.groups:
        ws = workbook.create_sheet(sheet_title(group.name, taken))
        ws["A1"] = f"Behovsgrupp: {group.name}"
        ws["A1"].font = Font(bold=True, size=14)
        row = 2
        for p in paragraphs(group.description):
            ws.cell(row=row, column=1, value=p)
            row += 1
        for label, value in group_facts(group):
            _cell(ws, row, 1, label, bold=True)
            _cell(ws, row, 2, value)
            row += 1
        row += 1
        for item in group.items:
            row = _xlsx_item(ws, row, item)
        for col, width in zip("ABCDEFG", GAP_WIDTHS, strict=True):
            ws.column_dimensions[col].width = width
    _ranking(workbook.create_sheet("Rangordning"), content)
    voice_sheet(workbook.create_sheet(SECTION_TITLE), content.dialogues)
    return workbook_bytes(workbook)


def render_docx(content: NeedsAnalysisContent) -> bytes:
    """The analysis as a Word document (regions' decision documents are written in Word).

    >>> doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    >>> render_docx(doc)[:2]
    b'PK'
    """
    return docx_bytes(content)


def render_xlsx(content: NeedsAnalysisContent) -> bytes:
    """The analysis as an Excel workbook: summary, one sheet per need group, ranking.

    >>> doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    >>> render_xlsx(doc)[:2]
    b'PK'
    """
    return xlsx_bytes(content)
