"""The needs analysis (behovsanalys) as a document: the basis politicians read and comment on.

Content dataclasses → standalone HTML (the source of the PDF, via WeasyPrint); Word and Excel
come from :mod:`halsogap.reports.needs_analysis_office` through :func:`render_docx` and
:func:`render_xlsx`. Every table and chart carries a "Källa: …" line, numbers use the Swedish
format of :func:`halsogap.numbers.format_number`, and a missing value prints as "–".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape, unescape

from halsogap.needs.dialogues import SECTION_TITLE, DialogueContent
from halsogap.numbers import format_number, gap_unit, unit_label
from halsogap.reports.cells import csv_text
from halsogap.reports.population_voice import voice_html


@dataclass(frozen=True)
class GapRow:
    area: str
    current: float | None
    desired: float | None
    gap_to_close: float | None  # positive = worse than desired
    persons: float | None
    status: str | None
    distinguishable: bool | None
    note: str | None


@dataclass(frozen=True)
class NeedItem:
    indicator_code: str
    indicator_title: str
    unit: str
    source: str
    year: int | None
    target_text: str
    target_set_by: str | None
    target_set_on: str | None
    target_rationale: str | None
    optimal_text: str | None
    severity: int
    rows: list[GapRow]
    total: GapRow | None
    trend_text: str | None
    equity_text: str | None
    quality_note: str | None
    chart_svg: str | None
    map_svg: str | None
    #: Decimals for the current value, target and gap (persons are always whole).
    decimals: int = 1
    #: Attribution of the map's boundaries, printed after the data source under the map.
    map_source: str | None = None
    #: Whether the politicians have approved the target, and the target's earlier versions.
    target_status: str = ""
    target_history: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedGroupSection:
    name: str
    description: str
    area_text: str
    sex_text: str
    age_band: str
    condition: str
    items: list[NeedItem]


@dataclass(frozen=True)
class NeedsAnalysisContent:
    title: str
    region: str
    year: int
    introduction: str
    dialogue_notes: str
    groups: list[NeedGroupSection]
    ranking: list[dict]
    comments: list[tuple[str, str, str]]
    generated_on: str
    #: How the ranking score is weighted, so readers can see what drives the order.
    ranking_note: str | None = None
    #: Who composed the analysis (analyst, unit), printed on the title page.
    author: str | None = None
    #: The population's voice: dialogues and surveys linked to the analysis's groups or needs.
    dialogues: list[DialogueContent] = field(default_factory=list)

    @property
    def ranking_columns(self) -> list[str]:
        return RANKING_COLUMNS

    @property
    def ranking_rows(self) -> list[list[str]]:
        """The ranking as the page and every document show it (:func:`ranking_cells`)."""
        return [ranking_cells(entry) for entry in self.ranking]

    @property
    def ranking_source(self) -> str:
        return ranking_source(self)


GAP_COLUMNS = [
    "Område",
    "Nuvärde",
    "Målvärde",
    "Gap kvar att sluta",
    "Personer",
    "Status",
    "Kommentar",
]
RANKING_COLUMNS = ["Rang", "Behov", "Nu", "Mål", "Poäng", "Huvudkriterium", "Gap i personer"]
SEVERITY_LABELS = {1: "låg", 2: "måttlig", 3: "hög", 4: "mycket hög"}
DASH = "–"


def text(value: object) -> str:
    """Any value as text, with None (or an empty string) as "–".

    >>> text(None), text(""), text(2022)
    ('–', '–', '2022')
    """
    return DASH if value is None or value == "" else str(value)


def source_line(source: str | None) -> str:
    """The source line printed under every table and chart.

    >>> source_line("Kolada/RKA (Folkhälsomyndigheten (HLV))")
    'Källa: Kolada/RKA (Folkhälsomyndigheten (HLV))'
    >>> source_line(None)
    'Källa: uppgift saknas'
    """
    return f"Källa: {source.strip() if source and source.strip() else 'uppgift saknas'}"


def map_source_line(item: NeedItem) -> str:
    """Source line under the map: the data, then who drew the boundaries.

    >>> item = NeedItem("U01402", "Daglig rökning", "procent", "Kolada/RKA", 2022, "bästa region",
    ...     None, None, None, None, 3, [], None, None, None, None, None, None,
    ...     map_source="Valmyndigheten")
    >>> map_source_line(item)
    'Källa: Kolada/RKA. Kartunderlag: Valmyndigheten'
    """
    line = source_line(item.source)
    return f"{line}. Kartunderlag: {item.map_source}" if item.map_source else line


def status_text(row: GapRow) -> str:
    """Status with whether the gap is statistically distinguishable from zero.

    >>> status_text(GapRow("X", 5.8, 4.0, 1.8, None, "sämre än målet", True, None))
    'sämre än målet; statistiskt säkerställt'
    >>> status_text(GapRow("X", None, 4.0, None, None, None, None, "nuvärde saknas"))
    '–'
    """
    parts = [text(row.status)]
    if row.distinguishable is True:
        parts.append("statistiskt säkerställt")
    elif row.distinguishable is False:
        parts.append("inte statistiskt säkerställt")
    return "; ".join(parts)


def gap_cells(row: GapRow, decimals: int = 1) -> list[str]:
    """The seven cells of a gap-table row (see ``GAP_COLUMNS``) as text.

    A missing persons figure prints "–" and the row's note says why, never a zero.

    >>> gap_cells(GapRow("Nynäshamn", 8.2, 4.0, 4.2, None, "sämre än målet", None,
    ...     "befolkning saknas för området"))
    ['Nynäshamn', '8,2', '4,0', '4,2', '–', 'sämre än målet', 'befolkning saknas för området']
    """
    return [
        row.area,
        format_number(row.current, decimals),
        format_number(row.desired, decimals),
        format_number(row.gap_to_close, decimals),
        format_number(row.persons, 0),
        status_text(row),
        # An empty comment cell reads better than a column of dashes; a note is never None text.
        row.note or "",
    ]


def table_total(item: NeedItem) -> GapRow | None:
    """The total row to print under the gap table, or None.

    A need group of one area has a total equal to its only row; it is printed once.

    >>> row = GapRow("Region X", 5.8, 4.0, 1.8, 100.0, "sämre än målet", None, None)
    >>> item = NeedItem("U01402", "Rökning", "procent", "K", 2022, "", None, None, None, None,
    ...     2, [row], row, None, None, None, None, None)
    >>> table_total(item) is None
    True
    """
    return None if item.total is None or item.total in item.rows else item.total


def severity_text(severity: int) -> str:
    """Severity as "3 av 4 (hög)".

    >>> severity_text(4)
    '4 av 4 (mycket hög)'
    """
    label = SEVERITY_LABELS.get(severity)
    return f"{severity} av 4 ({label})" if label else text(severity)


def item_facts(item: NeedItem) -> list[tuple[str, str]]:
    """Label–text pairs describing one indicator's need, the same in every format.

    >>> item = NeedItem("U01402", "Daglig rökning", "procent", "Kolada/RKA", 2022, "bästa region",
    ...     None, None, None, None, 3, [], None, None, None, None, None, None,
    ...     map_source="Valmyndigheten")
    >>> item_facts(item)[:2]
    [('Mål', 'bästa region'), ('Målet satt av', '–')]
    """
    set_by = ", ".join(str(p) for p in (item.target_set_by, item.target_set_on) if p) or None
    return [
        ("Mål", text(item.target_text)),
        ("Målet satt av", text(set_by)),
        ("Målets status", text(item.target_status)),
        ("Motivering", text(item.target_rationale)),
        ("Optimalt läge", text(item.optimal_text)),
        ("Allvarlighetsgrad", severity_text(item.severity)),
        ("Utveckling över tid", text(item.trend_text)),
        ("Jämlikhet", text(item.equity_text)),
        ("Datakvalitet", text(item.quality_note)),
    ]


def group_facts(group: NeedGroupSection) -> list[tuple[str, str]]:
    """Label–text pairs defining a need group.

    >>> group_facts(NeedGroupSection("G", "", "Regionens alla kommuner (26)", "Alla",
    ...     "16–84 år", "", []))[-1]
    ('Villkor', '–')
    """
    return [
        ("Område", text(group.area_text)),
        ("Kön", text(group.sex_text)),
        ("Ålder", text(group.age_band)),
        ("Villkor", text(group.condition)),
    ]


def table_caption(item: NeedItem) -> str:
    """What the gap table shows, with its units and year.

    >>> item = NeedItem("U01402", "Daglig rökning", "procent", "Kolada/RKA", 2022, "bästa region",
    ...     None, None, None, None, 3, [], None, None, None, None, None, None,
    ...     map_source="Valmyndigheten")
    >>> table_caption(item)[:65]
    'Hälsogap per område, 2022. Nuvärde och målvärde i %, gap i procen'
    """
    unit = unit_label(item.unit)
    return (
        f"Hälsogap per område, {text(item.year)}. Nuvärde och målvärde i {unit}, gap i "
        f"{gap_unit(item.unit)}; personer = gapet omräknat till antal personer i behovsgruppen."
    )


def ranking_source(content: NeedsAnalysisContent) -> str:
    """The ranking is computed from the analysis's indicators, so it cites their sources.

    >>> ranking_source(NeedsAnalysisContent("B", "Region X", 2026, "", "", [], [], [], ""))
    'Källa: Hälsogaps behovsrangordning, beräknad från uppgift saknas'
    """
    sources = sorted({i.source for g in content.groups for i in g.items if i.source})
    basis = "; ".join(sources) if sources else "uppgift saknas"
    return f"Källa: Hälsogaps behovsrangordning, beräknad från {basis}"


def ranking_cells(entry: dict) -> list[str]:
    """One ranking row as text (rank, title, now, target, score, main criterion, persons).

    >>> ranking_cells({"rank": 1, "title": "Daglig rökning", "score": 0.8123, "current": 5.8,
    ...     "desired": 4.0, "unit": "procent", "main_criterion": "gap i personer",
    ...     "gap_persons": 41234.4})
    ['1', 'Daglig rökning', '5,8\xa0%', '4,0\xa0%', '0,81', 'gap i personer', '41\xa0234']
    """
    decimals = entry.get("decimals")
    decimals = 1 if decimals is None else int(decimals)
    unit = unit_label(entry.get("unit"))

    def value(v) -> str:
        shown = format_number(v, decimals)
        return f"{shown}\u00a0{unit}" if unit and v is not None else shown

    return [
        text(entry.get("rank")),
        text(entry.get("title")),
        value(entry.get("current")),
        value(entry.get("desired")),
        format_number(entry.get("score"), 2),
        text(entry.get("main_criterion")),
        format_number(entry.get("gap_persons"), 0),
    ]


def svg_title(svg: str | None) -> str:
    """The chart's or map's own title (its ``<title>``), used as the visible caption.

    >>> svg_title('<svg><title id="a">Daglig rökning &amp; snus</title></svg>')
    'Daglig rökning & snus'
    """
    found = re.search(r"<title[^>]*>(.*?)</title>", svg or "", re.S)
    return unescape(found.group(1)).strip() if found else ""


def svg_description(svg: str | None) -> str:
    """The chart's text alternative: its ``<desc>`` after its title (alt text in Word).

    >>> svg_description('<svg><title>Rökning</title><desc>Riket: 6,2 % år 2022.</desc></svg>')
    'Rökning Riket: 6,2 % år 2022.'
    """
    found = re.search(r"<desc[^>]*>(.*?)</desc>", svg or "", re.S)
    desc = unescape(found.group(1)).strip() if found else ""
    return " ".join(p for p in (svg_title(svg), desc) if p)


def paragraphs(value: str | None) -> list[str]:
    """Free text split on blank lines, so analysts' paragraphs survive every format.

    >>> paragraphs("Första.\\n\\nAndra\\nrad.")
    ['Första.', 'Andra\\nrad.']
    """
    return [p.strip() for p in re.split(r"\n\s*\n", value or "") if p.strip()]


def comment_heading(author: str, date: str) -> str:
    """Who commented and when.

    >>> comment_heading("Anna Politiker", "2026-03-02")
    'Anna Politiker, 2026-03-02'
    """
    return f"{text(author)}, {text(date)}"


# --- HTML and PDF ---------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 2cm 1.8cm 2.2cm;
  @top-right { content: string(doctitle); font: 8pt "DejaVu Sans", sans-serif; color: #555; }
  @bottom-center { content: "Sida " counter(page) " av " counter(pages);
    font: 8pt "DejaVu Sans", sans-serif; } }
@page :first { @top-right { content: none; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.35;
  color: #1a1a1a; }
h1 { font-size: 20pt; margin: 0 0 6pt; string-set: doctitle content(); }
h2 { font-size: 14pt; margin: 18pt 0 6pt; border-bottom: 1.5pt solid #0072B2;
  padding-bottom: 2pt; break-after: avoid; }
h2.group { break-before: page; }
h3 { font-size: 11.5pt; margin: 14pt 0 4pt; break-after: avoid; }
.meta { color: #444; }
dl.facts { display: grid; grid-template-columns: 11em 1fr; gap: 1pt 8pt; margin: 4pt 0; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 8pt; font-size: 8.5pt; }
caption { caption-side: top; text-align: left; font-size: 8.5pt; color: #333;
  padding-bottom: 3pt; }
th, td { border: 0.6pt solid #999; padding: 2.5pt 4pt; vertical-align: top; text-align: left; }
thead th { background: #e8f1f8; }
td.num { text-align: right; white-space: nowrap; }
tfoot th, tfoot td { font-weight: bold; background: #f4f4f4; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.source { font-size: 8pt; font-style: italic; color: #333; margin: 2pt 0 8pt; }
table.gaps { table-layout: fixed; }
table.gaps col.area { width: 17%; } table.gaps col.num { width: 11%; }
table.gaps col.status { width: 21%; } table.gaps col.note { width: 18%; }
/* A name breaks only when a single word is wider than its cell. */
table.gaps th { overflow-wrap: break-word; } table.gaps thead th { font-size: 8pt; }
figure { margin: 8pt 0; break-inside: avoid; }
figcaption { font-size: 8.5pt; }
/* Sizes keep the charts' 12–13 unit text at 7 pt or more when printed. */
svg.chart { width: 11cm; height: auto; }
svg.map { width: 8.8cm; height: auto; }
nav ol { list-style: none; padding: 0; }
nav a { color: inherit; text-decoration: none; }
nav a::after { content: leader(".") target-counter(attr(href), page); }
blockquote { margin: 6pt 0 10pt; padding: 4pt 8pt; border-left: 3pt solid #0072B2;
  background: #f7f9fb; }
blockquote p { margin: 2pt 0; } .who { font-weight: bold; }
"""


def _ps(value: str | None, empty: str) -> str:
    parts = paragraphs(value) or [empty]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _facts_html(facts: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    return f'<dl class="facts">{items}</dl>'


def _row_html(row: GapRow, decimals: int) -> str:
    cells = gap_cells(row, decimals)
    numeric = "".join(f'<td class="num">{escape(c)}</td>' for c in cells[1:5])
    return (
        f'<tr><th scope="row">{escape(cells[0])}</th>{numeric}'
        f"<td>{escape(cells[5])}</td><td>{escape(cells[6])}</td></tr>"
    )


GAP_COLGROUP = (
    '<colgroup><col class="area">' + '<col class="num">' * 4 + '<col class="status">'
    '<col class="note"></colgroup>'
)


def _figure_html(svg: str, source: str, kind: str) -> str:
    # The SVG comes from halsogap.charts / halsogap.maps, which escape their own text, so it
    # goes in as markup; everything else in the document is escaped here.
    caption = escape(svg_title(svg))
    return (
        f'<figure class="{kind}">{svg}<figcaption>{caption}'
        f'<p class="source">{escape(source)}</p></figcaption></figure>'
    )


def _item_html(item: NeedItem) -> str:
    header = "".join(f'<th scope="col">{c}</th>' for c in GAP_COLUMNS)
    body = "".join(_row_html(r, item.decimals) for r in item.rows) or (
        f'<tr><td colspan="{len(GAP_COLUMNS)}">Inga områden att visa.</td></tr>'
    )
    total = table_total(item)
    foot = f"<tfoot>{_row_html(total, item.decimals)}</tfoot>" if total else ""
    parts = [
        f"<h3>{escape(item.indicator_title)} ({escape(item.indicator_code)})</h3>",
        _facts_html(item_facts(item)),
        f'<table class="gaps"><caption>{escape(table_caption(item))}</caption>{GAP_COLGROUP}'
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody>{foot}</table>",
        f'<p class="source">{escape(source_line(item.source))}</p>',
    ]
    if item.chart_svg:
        parts.append(_figure_html(item.chart_svg, source_line(item.source), "chart"))
    if item.map_svg:
        parts.append(_figure_html(item.map_svg, map_source_line(item), "map"))
    return f'<section class="item">{"".join(parts)}</section>'


def _summary_html(content: NeedsAnalysisContent) -> str:
    rows = summary_rows(content)
    if not rows:
        return "<p>Analysen har ännu inga behovsgrupper med behov.</p>"
    head = "".join(
        f'<th scope="col"{" class=num" if i >= 3 else ""}>{escape(c)}</th>'
        for i, c in enumerate(SUMMARY_COLUMNS)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i >= 3 else ''}>{escape(c)}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    sources = "; ".join(sorted({i.source for g in content.groups for i in g.items}))
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f'<p class="source">{escape(source_line(sources or None))}</p>'
    )


def _ranking_html(content: NeedsAnalysisContent) -> str:
    if not content.ranking:
        return "<p>Ingen rangordning är beräknad.</p>"
    header = "".join(f'<th scope="col">{c}</th>' for c in RANKING_COLUMNS)
    rows = []
    for entry in content.ranking:
        c = [escape(x) for x in ranking_cells(entry)]
        rows.append(
            f'<tr><td class="num">{c[0]}</td><th scope="row">{c[1]}</th><td class="num">{c[2]}'
            f'</td><td class="num">{c[3]}</td><td class="num">{c[4]}</td><td>{c[5]}</td>'
            f'<td class="num">{c[6]}</td></tr>'
        )
    note = f"<p>{escape(content.ranking_note)}</p>" if content.ranking_note else ""
    return (
        f"{note}<table><caption>Behoven ordnade efter sammanvägd poäng (högst först)."
        f"</caption><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f'<p class="source">{escape(ranking_source(content))}</p>'
    )


def _comments_html(content: NeedsAnalysisContent) -> str:
    if not content.comments:
        return "<p>Inga kommentarer ännu.</p>"
    return "".join(
        f'<blockquote><p class="who">{escape(comment_heading(author, date))}</p>'
        f"{_ps(body, DASH)}</blockquote>"
        for author, date, body in content.comments
    )


def render_html(content: NeedsAnalysisContent) -> str:
    """A standalone Swedish HTML document with inline SVG charts; the source of the PDF.

    >>> doc = NeedsAnalysisContent("Behovsanalys 2026", "Region X", 2026, "", "", [], [], [],
    ...     "2026-03-01")
    >>> html = render_html(doc)
    >>> '<html lang="sv">' in html and "<h1>Behovsanalys 2026</h1>" in html
    True
    """
    summary = _summary_html(content)
    sections = [
        ("sammanfattning", "Behov, mål och gap", summary),
        ("inledning", "Inledning", _ps(content.introduction, "Ingen inledning är skriven.")),
    ]
    for i, group in enumerate(content.groups, start=1):
        body = (
            _ps(group.description, "")
            + _facts_html(group_facts(group))
            + ("".join(_item_html(item) for item in group.items) or "<p>Inga indikatorer.</p>")
        )
        sections.append((f"grupp-{i}", f"Behovsgrupp: {group.name}", body))
    sections += [
        ("rangordning", "Behoven i rangordning", _ranking_html(content)),
        ("befolkningen", SECTION_TITLE, voice_html(content.dialogues)),
        (
            "dialoger",
            "Underlag från dialoger",
            _ps(content.dialogue_notes, "Inga anteckningar från dialoger."),
        ),
        ("kommentarer", "Kommentarer", _comments_html(content)),
    ]
    toc = "".join(f'<li><a href="#{sid}">{escape(title)}</a></li>' for sid, title, _ in sections)
    body = "".join(
        f'<section id="{sid}"><h2{" class=group" if sid.startswith("grupp") else ""}>'
        f"{escape(title)}</h2>{html}</section>"
        for sid, title, html in sections
    )
    meta = " · ".join(
        p
        for p in (
            escape(content.region),
            f"Behovsanalys {content.year}",
            f"Framtagen {escape(content.generated_on)}",
            escape(content.author or ""),
        )
        if p
    )
    return f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>{escape(content.title)}</title><style>{CSS}</style></head><body>
<header><h1>{escape(content.title)}</h1><p class="meta">{meta}</p></header>
<nav aria-label="Innehåll"><h2>Innehåll</h2><ol>{toc}</ol></nav>
{body}
</body></html>"""


def render_pdf(content: NeedsAnalysisContent) -> bytes:
    """The analysis as an A4 PDF with page numbers, through WeasyPrint.

    >>> doc = NeedsAnalysisContent("Behovsanalys", "Region X", 2026, "", "", [], [], [], "")
    >>> render_pdf(doc)[:4]
    b'%PDF'
    """
    from weasyprint import HTML

    return HTML(string=render_html(content)).write_pdf()


SUMMARY_COLUMNS = ["Behovsgrupp", "Behov", "Mål", "Nuvärde", "Målvärde", "Gap kvar", "Personer"]


def summary_rows(content: NeedsAnalysisContent) -> list[list[str]]:
    """One row per need group and need: the target and the group's gap, as the document opens.

    >>> row = GapRow("Region X", 5.8, 4.0, 1.8, 27540.0, "sämre än målet", None, None)
    >>> item = NeedItem("U01402", "Daglig rökning", "procent", "Kolada/RKA", 2022,
    ...     "lika bra som den bästa regionen", None, None, None, None, 3, [row], None, None, None,
    ...     None, None, None)
    >>> doc = NeedsAnalysisContent("B", "Region X", 2027, "", "", [NeedGroupSection("Länet", "",
    ...     "Hela regionen (1)", "Alla", "", "", [item])], [], [], "")
    >>> summary_rows(doc)[0][3:]
    ['5,8', '4,0', '1,8', '27\\xa0540']
    """
    rows = []
    for group in content.groups:
        for item in group.items:
            gap = item.total or (item.rows[0] if item.rows else None)
            figures = (
                [
                    format_number(gap.current, item.decimals),
                    format_number(gap.desired, item.decimals),
                    format_number(gap.gap_to_close, item.decimals),
                    format_number(gap.persons, 0),
                ]
                if gap is not None
                else [DASH] * 4
            )
            rows.append([group.name, item.indicator_title, item.target_text, *figures])
    return rows


GAP_TABLE_HEADER = [
    "Behovsgrupp",
    "Indikator",
    "Kod",
    "År",
    "Mål",
    "Område",
    "Nuvärde",
    "Målvärde",
    "Gap kvar att sluta",
    "Personer",
    "Status",
    "Kommentar",
    "Källa",
]


def gap_table_rows(content: NeedsAnalysisContent) -> list[list[str]]:
    """Every gap row of the analysis (each area and each group total) as CSV cells.

    The same figures and precision as the page and the documents; a missing number is empty
    rather than "–" so that spreadsheets read the column as numbers.

    >>> row = GapRow("Region X", 5.8, 4.0, 1.8, 27540.0, "sämre än målet", None, None)
    >>> item = NeedItem("U01402", "Daglig rökning", "procent", "Kolada/RKA", 2022, "bästa region",
    ...     None, None, None, None, 3, [row], None, None, None, None, None, None)
    >>> doc = NeedsAnalysisContent("B", "Region X", 2027, "", "", [NeedGroupSection("Länet", "",
    ...     "Hela regionen (1)", "Alla", "", "", [item])], [], [], "")
    >>> gap_table_rows(doc)[0][5:10]
    ['Region X', '5,8', '4,0', '1,8', '27540']
    """
    out = []
    for group in content.groups:
        for item in group.items:
            for row in [*item.rows, *([item.total] if item.total else [])]:
                numbers = [
                    format_number(v, item.decimals, grouping=False) if v is not None else ""
                    for v in (row.current, row.desired, row.gap_to_close)
                ]
                out.append(
                    [
                        group.name,
                        item.indicator_title,
                        item.indicator_code,
                        "" if item.year is None else str(item.year),
                        item.target_text,
                        row.area,
                        *numbers,
                        format_number(row.persons, 0, grouping=False)
                        if row.persons is not None
                        else "",
                        row.status or "",
                        row.note or "",
                        source_line(item.source),
                    ]
                )
    # Group names and targets are typed by users; none may run as a formula in Excel.
    return [[csv_text(cell) for cell in row] for row in out]
