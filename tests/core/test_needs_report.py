"""The needs analysis document in its four formats: HTML, PDF, Word and Excel.

The content is built by hand from real Kolada figures for daily smoking 16–84 (U01402, 2022):
Region Stockholm 5,8 %, the best region (Västerbotten) 4,0 %, and four kommuner in Stockholm
county, persons from the demo population aged 16+ (as in ``needs/test_u01402_gap.py``).
Nynäshamn has no 2022 value, and one kommun is given without a population on purpose.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from halsogap.charts import line_chart_svg
from halsogap.maps import choropleth_svg
from halsogap.reports.needs_analysis import (
    GAP_COLUMNS,
    GapRow,
    NeedGroupSection,
    NeedItem,
    NeedsAnalysisContent,
    render_html,
    render_pdf,
)
from halsogap.reports.needs_analysis_office import render_docx, render_xlsx

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
SOURCE = "Kolada/RKA (Folkhälsomyndigheten (HLV))"
MISSING_POPULATION = "befolkning saknas för området"
COMMENT = "Vi vill se åtgärder riktade till Botkyrka och Södertälje först."


def u01402_item(rows, total, *, chart=True, map_svg=None) -> NeedItem:
    chart_svg = line_chart_svg(
        {
            "Region Stockholm": [("2016", 10.0), ("2018", 8.0), ("2020", 7.0), ("2022", 5.8)],
            "Region Västerbotten": [("2016", 7.0), ("2018", 5.0), ("2020", 3.0), ("2022", 4.0)],
            "Riket": [("2016", 10.0), ("2018", 9.0), ("2020", 7.0), ("2022", 6.2)],
        },
        title="Daglig rökning 16–84 år över tid",
        unit="procent",
    )
    return NeedItem(
        indicator_code="U01402",
        indicator_title="Invånare 16–84 år som röker dagligen, andel (%)",
        unit="procent",
        source=SOURCE,
        year=2022,
        target_text="lika bra som den bästa regionen",
        target_set_by="Hälso- och sjukvårdsnämnden",
        target_set_on="2026-02-10",
        target_rationale="Rökning är den enskilt största påverkbara orsaken till ohälsa.",
        optimal_text="bästa region: Region Västerbotten 4,0 %",
        severity=4,
        rows=rows,
        total=total,
        trend_text="gapet minskar med 0,4 procentenheter per år; slutet år 2027",
        equity_text="RII 1,35 mellan kommunernas utbildningskvintiler",
        quality_note="Enkätdata (HLV) för fyra år sammanslagna; osäkerhet för små kommuner.",
        chart_svg=chart_svg if chart else None,
        map_svg=map_svg,
        map_source="kommungränser från Valmyndigheten via Open Knowledge Sweden",
    )


def stockholm_map() -> str:
    features = json.loads((FIXTURES / "kommuner_01_values_2022.json").read_text("utf-8"))
    return choropleth_svg(
        features["features"],
        features["values"],
        title="Daglig rökning 2022: karta över kommunerna i Region Stockholm",
        unit="%",
    )


def needs_analysis_example() -> NeedsAnalysisContent:
    region_total = GapRow(
        "Region Stockholm", 5.8, 4.0, 1.8, 35535.204, "sämre än målet", True, None
    )
    kommuner = [
        GapRow("Botkyrka", 9.5, 4.0, 5.5, 4148.815, "sämre än målet", True, None),
        GapRow("Södertälje", 10.0, 4.0, 6.0, 4951.38, "sämre än målet", True, None),
        GapRow("Norrtälje", 6.6, 4.0, 2.6, None, "sämre än målet", False, MISSING_POPULATION),
        GapRow("Nynäshamn", None, 4.0, None, None, None, None, "nuvärde saknas"),
    ]
    low_education = GapRow(
        "Kommunerna i lägsta utbildningskvintilen",
        8.4,
        4.0,
        4.4,
        9100.195,
        "sämre än målet",
        None,
        None,
    )
    return NeedsAnalysisContent(
        title="Behovsanalys 2026: daglig rökning",
        region="Region Stockholm",
        year=2026,
        introduction="Underlaget beskriver hälsogapet för daglig rökning.\n\nMålen är satta av "
        "Hälso- och sjukvårdsnämnden.",
        dialogue_notes="Dialog med patientföreningar i Botkyrka den 12 februari 2026.",
        groups=[
            NeedGroupSection(
                name="Hela befolkningen 16–84 år",
                description="Alla invånare i regionen.",
                area_text="Region Stockholm",
                sex_text="Alla",
                age_band="16–84 år",
                condition="",
                items=[u01402_item([region_total], region_total, map_svg=stockholm_map())],
            ),
            NeedGroupSection(
                name="Kommuner med låg utbildningsnivå",
                description="Kommunerna i regionens lägsta utbildningskvintil.",
                area_text="Kommuner i lägsta utbildningskvintilen (4)",
                sex_text="Alla",
                age_band="16–84 år",
                condition="lägsta utbildningskvintilen",
                items=[u01402_item(kommuner, low_education, chart=False)],
            ),
        ],
        ranking=[
            {
                "rank": 1,
                "title": "Daglig rökning, kommuner med låg utbildningsnivå",
                "current": 8.9,
                "desired": 4.0,
                "unit": "procent",
                "decimals": 1,
                "score": 0.87,
                "main_criterion": "ojämlikhet",
                "gap_persons": 9100.195,
            },
            {
                "rank": 2,
                "title": "Daglig rökning, hela befolkningen",
                "score": 0.74,
                "main_criterion": "gap i personer",
                "gap_persons": 35535.204,
            },
        ],
        comments=[("Anna Lind (S)", "2026-03-02", COMMENT)],
        generated_on="2026-03-01",
        ranking_note="Vikter: gap i personer 40 %, relativt gap 20 %, allvarlighetsgrad 20 %, "
        "ojämlikhet 10 %, trend 10 %.",
    )


@pytest.fixture(scope="module")
def content() -> NeedsAnalysisContent:
    return needs_analysis_example()


# --- extracting the text each format shows ---------------------------------------------------


@pytest.fixture(scope="module")
def pdf_pages(content) -> list[str]:
    """Each laid-out page's text, including the margin boxes (page numbers)."""
    from weasyprint import HTML

    document = HTML(string=render_html(content)).render()
    return [
        " ".join(b.text for b in page._page_box.descendants() if getattr(b, "text", None))
        for page in document.pages
    ]


@pytest.fixture(scope="module")
def docx_xml(content) -> str:
    with zipfile.ZipFile(io.BytesIO(render_docx(content))) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def docx_paragraphs(xml: str) -> list[str]:
    return [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    ]


@pytest.fixture(scope="module")
def workbook(content):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(render_xlsx(content)))


def sheet_values(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def sheet_text(ws) -> str:
    return "\n".join(str(v) for row in sheet_values(ws) for v in row if v is not None)


@pytest.fixture(scope="module")
def texts(content, pdf_pages, docx_xml, workbook) -> dict[str, str]:
    from html import unescape

    return {
        "html": unescape(render_html(content)),
        "pdf": "\n".join(pdf_pages),
        "docx": "\n".join(docx_paragraphs(docx_xml)),
        "xlsx": "\n".join(sheet_text(ws) for ws in workbook.worksheets),
    }


FORMATS = ["html", "pdf", "docx", "xlsx"]


# --- every format ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_the_swedish_headings_gap_headers_and_comments(texts, fmt):
    text = texts[fmt]
    for heading in (
        "Behovsgrupp: Hela befolkningen 16–84 år",
        "Behovsgrupp: Kommuner med låg utbildningsnivå",
        "Invånare 16–84 år som röker dagligen, andel (%) (U01402)",
        "lika bra som den bästa regionen",
        "bästa region: Region Västerbotten 4,0 %",
        "RII 1,35 mellan kommunernas utbildningskvintiler",
        "gapet minskar med 0,4 procentenheter per år; slutet år 2027",
    ):
        assert heading in text
    if fmt != "xlsx":  # Excel has the need groups on sheets, the headings as sheet titles
        for heading in ("Inledning", "Underlag från dialoger", "Behoven i rangordning"):
            assert heading in text
    for column in GAP_COLUMNS:
        assert column in text
    assert COMMENT in text and "Anna Lind (S)" in text and "2026-03-02" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_prints_a_dash_for_missing_values_and_never_none(texts, fmt):
    assert "None" not in texts[fmt]
    assert "–" in texts[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_shows_why_a_persons_figure_is_missing(texts, fmt):
    assert MISSING_POPULATION in texts[fmt]
    assert "nuvärde saknas" in texts[fmt]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_text_formats_show_the_gap_values_in_swedish_number_format(texts, fmt):
    text = texts[fmt]
    for value in ("5,8", "4,0", "1,8", "35\xa0535", "9,5", "5,5", "4\xa0149", "4\xa0951"):
        assert value in text
    assert "sämre än målet; statistiskt säkerställt" in text


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_text_formats_put_a_source_line_under_every_table_and_chart(texts, fmt):
    text = texts[fmt]
    # The opening summary, two gap tables, one chart and one map (each with the indicator's
    # source), and one ranking.
    assert text.count(f"Källa: {SOURCE}") == 5
    assert "Kartunderlag: kommungränser från Valmyndigheten" in text
    assert f"Källa: Hälsogaps behovsrangordning, beräknad från {SOURCE}" in text


# --- HTML and PDF ----------------------------------------------------------------------------


def test_html_is_a_swedish_standalone_document_with_the_chart_and_map_inline(content):
    html = render_html(content)
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert '<th scope="row">Botkyrka</th>' in html
    assert "<tfoot>" in html and "Kommunerna i lägsta utbildningskvintilen" in html


def test_html_escapes_text_from_analysts():
    doc = NeedsAnalysisContent(
        "Behovsanalys <test>", "Region X", 2026, "a & b", "", [], [], [], "2026-01-01"
    )
    html = render_html(doc)
    assert "Behovsanalys &lt;test&gt;" in html and "a &amp; b" in html


def test_pdf_opens_and_each_need_group_starts_a_numbered_page(content, pdf_pages):
    assert render_pdf(content)[:5] == b"%PDF-"
    total = len(pdf_pages)
    assert total >= 3
    for number, page in enumerate(pdf_pages, start=1):
        assert f"Sida {number} av {total}" in page
    # The page body comes before the margin boxes, so a group's page starts with its heading.
    group_pages = [p for p in pdf_pages if p.startswith("Behovsgrupp:")]
    assert len(group_pages) == 2
    assert group_pages[0].startswith("Behovsgrupp: Hela befolkningen 16–84 år")
    assert group_pages[1].startswith("Behovsgrupp: Kommuner med låg utbildningsnivå")


def test_pdf_table_of_contents_lists_the_sections(pdf_pages):
    assert "Innehåll" in pdf_pages[0]
    for section in ("Inledning", "Behoven i rangordning", "Kommentarer"):
        assert section in pdf_pages[0]


# --- Word ------------------------------------------------------------------------------------


def test_docx_has_headings_per_need_group_and_indicator(docx_xml):
    headings = re.findall(
        r'<w:pStyle w:val="(Heading\d|Title)"/>.*?</w:pPr>(.*?)</w:p>', docx_xml, re.S
    )
    by_level = {}
    for style, body in headings:
        by_level.setdefault(style, []).append("".join(re.findall(r"<w:t[^>]*>([^<]*)<", body)))
    assert by_level["Title"] == ["Behovsanalys 2026: daglig rökning"]
    assert "Behovsgrupp: Kommuner med låg utbildningsnivå" in by_level["Heading1"]
    assert by_level["Heading2"] == ["Invånare 16–84 år som röker dagligen, andel (%) (U01402)"] * 2


def test_docx_gap_table_is_a_word_table_with_the_swedish_headers(docx_xml):
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", docx_xml, re.S)
    assert len(tables) == 4  # the opening summary, two gap tables, the ranking
    rows = [docx_paragraphs(row) for row in re.findall(r"<w:tr[ >].*?</w:tr>", tables[2], re.S)]
    assert rows[0] == GAP_COLUMNS
    assert rows[3] == ["Norrtälje", "6,6", "4,0", "2,6", "–", rows[3][5], MISSING_POPULATION]
    assert rows[4][:5] == ["Nynäshamn", "–", "4,0", "–", "–"]
    assert rows[-1][0] == "Kommunerna i lägsta utbildningskvintilen"


def test_docx_has_the_chart_and_map_as_png_with_alt_text_and_page_numbers(content):
    with zipfile.ZipFile(io.BytesIO(render_docx(content))) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 2
        assert all(archive.read(n)[:4] == b"\x89PNG" for n in media)
        xml = archive.read("word/document.xml").decode("utf-8")
        footers = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if "footer" in n
        )
    assert 'descr="Daglig rökning 16–84 år över tid Region Stockholm: 10,0' in xml
    assert 'w:instr="PAGE"' in footers and 'w:instr="NUMPAGES"' in footers


# --- Excel -----------------------------------------------------------------------------------


def test_xlsx_has_summary_one_sheet_per_need_group_ranking_and_the_populations_voice(workbook):
    assert workbook.sheetnames == [
        "Sammanfattning",
        "Hela befolkningen 16–84 år",
        "Kommuner med låg utbildningsniv",
        "Rangordning",
        "Befolkningens synpunkter",
    ]


def test_xlsx_gap_tables_hold_numbers_with_number_formats_and_a_source_row(workbook):
    ws = workbook["Kommuner med låg utbildningsniv"]
    rows = sheet_values(ws)
    header = rows.index(GAP_COLUMNS)
    botkyrka = rows[header + 1]
    assert botkyrka[:5] == ["Botkyrka", 9.5, 4.0, 5.5, 4148.815]
    assert ws.cell(row=header + 2, column=2).number_format == "#,##0.0"
    assert ws.cell(row=header + 2, column=5).number_format == "#,##0"
    assert rows[header + 3][4] == "–" and rows[header + 3][6] == MISSING_POPULATION
    assert rows[header + 4][1] == "–"  # Nynäshamn has no current value
    source_rows = [r for r in rows if r[0] == "Källa"]
    assert source_rows == [["Källa", SOURCE, None, None, None, None, None]]


def test_xlsx_every_group_sheet_has_a_source_row_per_table_and_its_charts(workbook):
    whole = workbook["Hela befolkningen 16–84 år"]
    sources = [r for r in sheet_values(whole) if r[0] == "Källa"]
    assert len(sources) == 2  # the gap table and the chart
    assert len(whole._images) == 2  # chart and map
    assert len(workbook["Kommuner med låg utbildningsniv"]._images) == 0


def test_xlsx_ranking_and_summary_keep_numbers_as_numbers(workbook):
    ranking = sheet_values(workbook["Rangordning"])
    first = next(r for r in ranking if r[0] == 1)
    assert first[1:] == [
        "Daglig rökning, kommuner med låg utbildningsnivå",
        8.9,
        4.0,
        0.87,
        "ojämlikhet",
        9100.195,
    ]
    assert any(r[0] == "Källa" and "behovsrangordning" in r[1] for r in ranking)
    summary = sheet_values(workbook["Sammanfattning"])
    row = next(r for r in summary if r[0] == "Hela befolkningen 16–84 år")
    assert row[4:8] == [5.8, 4.0, 1.8, 35535.204]
    assert row[-1] == SOURCE
    assert [v for v in next(r for r in summary if r[0] == "Källa") if v] == ["Källa", SOURCE]


def test_an_empty_analysis_still_renders_in_every_format():
    doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    assert "Inga kommentarer ännu." in render_html(doc)
    assert render_pdf(doc)[:4] == b"%PDF"
    assert render_docx(doc)[:2] == b"PK"
    assert render_xlsx(doc)[:2] == b"PK"


def test_a_nan_from_polars_prints_as_a_dash_in_word_and_excel():
    nan = float("nan")
    row = GapRow("Region X", nan, 4.0, nan, nan, None, None, "nuvärde saknas")
    item = NeedItem(
        "U01402",
        "Rökning",
        "procent",
        SOURCE,
        2022,
        "bästa region",
        None,
        None,
        None,
        None,
        2,
        [row],
        None,
        None,
        None,
        None,
        None,
        None,
    )
    group = NeedGroupSection("Alla", "", "Region X", "Alla", "16–84 år", "", [item])
    ranking = [{"rank": 1, "title": "Rökning", "score": nan, "main_criterion": None}]
    doc = NeedsAnalysisContent("B", "Region X", 2026, "", "", [group], ranking, [], "")
    with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert "nan" not in " ".join(docx_paragraphs(xml)).lower()
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(render_xlsx(doc)))
    rows = sheet_values(workbook["Alla"])
    assert rows[rows.index(GAP_COLUMNS) + 1][:5] == ["Region X", "–", 4.0, "–", "–"]
    first = next(r for r in sheet_values(workbook["Rangordning"]) if r[0] == 1)
    assert first[2:5] == ["–"] * 3


def test_the_document_opens_with_this_analysis_need_groups_targets_and_gaps(content):
    html = render_html(content)
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    assert headings[1] == "Behov, mål och gap"  # after the table of contents
    first = html[html.index('id="sammanfattning"') :][:2000]
    assert "röker dagligen" in first and "lika bra som den bästa regionen" in first
