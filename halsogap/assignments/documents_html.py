"""HTML (and so PDF) of the assignment documents; content in :mod:`.documents`.

Charts are inline SVG from :mod:`halsogap.charts`, which escapes its own text; everything else
is escaped here.
"""

from __future__ import annotations

from html import escape

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
from halsogap.charts import bar_chart_svg, line_chart_svg
from halsogap.numbers import format_money
from halsogap.periods import HALF_YEAR, MONTH, QUARTER, period_end, period_kind
from halsogap.reports.needs_analysis import CSS, paragraphs, source_line, svg_title, text

EXTRA_CSS = """
td.status-i-fas, td.status-målet-nått { background: #e3f2e8; }
td.status-risk { background: #fff4d6; }
td.status-ej-i-fas { background: #fbe3dc; }
.rule { font-size: 8.5pt; background: #f7f9fb; padding: 4pt 8pt; border-left: 3pt solid #0072B2; }
.signature { margin-top: 24pt; }
"""


def status_chart_svg(counts: dict[str, int], title: str) -> str:
    """Indicators per status as bars with the count written on each.

    >>> "målet nått: 2 st" in status_chart_svg({"målet nått": 2, "i fas": 1}, "Status")
    True
    """
    return bar_chart_svg(
        [(s, float(n)) for s, n in counts.items() if n], title=title, unit="st", decimals=0
    )


def _as_kind(day, kind: str) -> str:
    """A date as a period label of the series' kind, so one axis never mixes 2026 and 2026K2."""
    if kind == QUARTER:
        return f"{day.year}K{(day.month - 1) // 3 + 1}"
    if kind == HALF_YEAR:
        return f"{day.year}H{1 if day.month <= 6 else 2}"
    if kind == MONTH:
        return f"{day.year}M{day.month:02d}"
    return str(day.year)


def result_chart_svg(result: IndicatorResult) -> str | None:
    """Reported values beside the planned line from baseline to target; None without values.

    >>> from datetime import date
    >>> r = IndicatorResult("P1", "Samtal", "antal", "process", 0.0, "2025", 400.0,
    ...     date(2027, 12, 31), 310.0, "2026", "i fas", "", "Utföraren",
    ...     series=[("2026", 310.0)])
    >>> "Linje mot målet" in result_chart_svg(r)
    True
    """
    points = [(p, v) for p, v in result.series if v is not None]
    if not points:
        return None
    series = {"Utfall": points}
    if (
        result.baseline is not None
        and result.baseline_period
        and result.target is not None
        and result.target_date
    ):
        kind = period_kind(points[0][0])
        start = _as_kind(period_end(result.baseline_period), kind)
        end = _as_kind(result.target_date, kind)
        series["Linje mot målet"] = [(start, result.baseline), (end, result.target)]
    return line_chart_svg(
        series, title=f"{result.title} över tid", unit=result.unit, decimals=result.decimals
    )


def _table(
    columns: list[str], rows: list[list[str]], caption: str, status_col: int | None = None
) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = []
    for cells in rows:
        out = [f'<th scope="row">{escape(cells[0])}</th>']
        for i, cell in enumerate(cells[1:], start=1):
            css = f' class="status-{cell.replace(" ", "-")}"' if i == status_col else ""
            out.append(f"<td{css}>{escape(cell)}</td>")
        body.append("<tr>" + "".join(out) + "</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}">Inga rader.</td></tr>')
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _source(line: str) -> str:
    return f'<p class="source">{escape(line)}</p>'


def _figure(svg: str, source: str) -> str:
    return (
        f'<figure class="chart">{svg}<figcaption>{escape(svg_title(svg))}'
        f"{_source(source)}</figcaption></figure>"
    )


def _ps(value: str | None, empty: str = "–") -> str:
    parts = paragraphs(value) or [empty]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)


def _facts(facts: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    return f'<dl class="facts">{items}</dl>'


def _document(title: str, meta: str, body: str) -> str:
    return f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>{CSS}{EXTRA_CSS}</style></head><body>
<header><h1>{escape(title)}</h1><p class="meta">{escape(meta)}</p></header>
{body}
</body></html>"""


def assignment_html(content: AssignmentContent) -> str:
    """The decision document; see :func:`.documents.render_assignment_pdf`.

    >>> html = assignment_html(AssignmentContent("Uppdrag: rökfri vardag", "Nämnden"))
    >>> "<h1>Uppdrag: rökfri vardag</h1>" in html and "Uppföljningsplan" in html
    True
    """
    goals = {g.key: g for g in content.goals}
    parts = [_facts(assignment_facts(content))]

    parts.append("<h2>Bakgrund: behov och hälsogap</h2>")
    if content.needs:
        parts.append(
            _table(
                NEED_COLUMNS,
                [need_cells(n) for n in content.needs],
                "Behovet uppdraget svarar mot, med hälsogapet (positivt = sämre än målet).",
            )
        )
        parts.append(_source(needs_source(content)))
        for need in content.needs:
            notes = need_notes(need)
            if notes:
                parts.append(
                    f"<p><strong>{escape(need.title)}:</strong> {escape(' '.join(notes))}</p>"
                )
    else:
        parts.append("<p>Inget behov är kopplat till uppdraget.</p>")

    parts.append("<h2>Åtgärder</h2>")
    if content.measures:
        items = "".join(
            f"<li><strong>{escape(m.title)}</strong> ({escape(label(MEASURE_KINDS, m.kind))})"
            f"{' – ' + escape(m.evidence) + ' evidens.' if m.evidence else ''}"
            f"{' ' + escape(source_line(m.source)) if m.source else ''}</li>"
            for m in content.measures
        )
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>–</p>")

    parts.append("<h2>Mottagare och ansvarsfördelning</h2>")
    if content.recipients:
        rows = [
            [r.name, text(r.organisation_kind), text(r.responsibility)] for r in content.recipients
        ]
        parts.append(_table(["Mottagare", "Slag", "Ansvar"], rows, "Vem ansvarar för vad."))
    else:
        parts.append("<p>–</p>")

    parts.append("<h2>Beskrivning</h2>" + _ps(content.description))
    for kind, heading in (("long", "Långsiktiga mål"), ("short", "Kortsiktiga mål")):
        items = [g for g in content.goals if g.kind == kind]
        body = "".join(f"<li>{escape(g.text)}</li>" for g in items)
        parts.append(f"<h2>{heading}</h2>" + (f"<ol>{body}</ol>" if items else "<p>–</p>"))

    parts.append("<h2>Tidplan</h2>" + _ps(content.time_plan))
    if content.milestones:
        rows = [[day(m.when), m.text, text(m.responsible)] for m in content.milestones]
        parts.append(_table(["Datum", "Milstolpe", "Ansvarig"], rows, "Milstolpar."))

    parts.append("<h2>Uppföljningsplan</h2>")
    rows = [plan_cells(p, goals) for p in content.plans]
    parts.append(
        _table(
            PLAN_COLUMNS,
            rows,
            "Effekt- och processindikatorer med utgångsvärde, mål, källa och vem som rapporterar.",
        )
    )
    parts.append(_source(plans_source(content.plans)))
    if content.waived_gaps:
        items = "".join(
            f"<li>{escape(g.message_sv)} <em>Undantag: {escape(text(g.waiver_reason))}</em></li>"
            for g in content.waived_gaps
        )
        parts.append(f"<h3>Godkända undantag i uppföljningsplanen</h3><ul>{items}</ul>")

    acceptance = content.acceptance
    parts.append("<h2>Accept</h2>")
    if acceptance:
        parts.append(
            _facts(
                [
                    ("Form", label(ACCEPTANCE_FORMS, acceptance.form)),
                    ("Accepterat av", text(acceptance.accepted_by)),
                    ("Datum", day(acceptance.accepted_on)),
                ]
            )
        )
    else:
        parts.append("<p>Uppdraget är inte accepterat ännu.</p>")

    decision = content.decision
    parts.append("<h2>Beslut</h2>")
    if decision:
        parts.append(_ps(decision.wording, ""))
        parts.append(
            _facts(
                [
                    ("Beslutande organ", text(decision.body)),
                    ("Datum", day(decision.decided_on)),
                    ("Beslutat av", text(decision.decided_by)),
                    ("Paragraf/diarienummer", text(decision.reference)),
                ]
            )
        )
    else:
        parts.append("<p>Uppdraget är inte beslutat ännu.</p>")
    meta = " · ".join(p for p in (content.region, "Uppdrag", content.generated_on) if p)
    return _document(content.title, meta, "".join(parts))


def _result_section(results: list[IndicatorResult], caption: str) -> str:
    rows = [result_cells(r) for r in results]
    return _table(RESULT_COLUMNS, rows, caption, status_col=5) + _source(results_source(results))


def follow_up_html(content: FollowUpReportContent) -> str:
    """The follow-up report; see :func:`.documents.render_follow_up_pdf`.

    >>> html = follow_up_html(FollowUpReportContent("Uppföljning", "Rökfri", "N", "VC", "2026", ""))
    >>> "Så bedöms status" in html
    True
    """
    parts = [
        _facts(
            [
                ("Uppdrag", text(content.assignment_title)),
                ("Uppdragsgivare", text(content.issuer)),
                ("Mottagare", text(content.recipients)),
                ("Läget per", text(content.period)),
            ]
        ),
        _ps(content.summary, ""),
        "<h2>Måluppfyllelse per indikator</h2>",
        _result_section(content.indicators, f"Senaste värde mot mål, {content.period}."),
    ]
    counts = status_counts(content.indicators)
    if content.indicators:
        parts.append(
            _figure(
                status_chart_svg(counts, "Indikatorer per status"),
                results_source(content.indicators),
            )
        )
    parts.append("<h2>Förklaring per indikator</h2>")
    for result in content.indicators:
        parts.append(f"<h3>{escape(result.title)} ({escape(result.code)})</h3>")
        parts.append(f"<p>{escape(text(result.explanation))}</p>")
        chart = result_chart_svg(result)
        if chart:
            parts.append(_figure(chart, source_line(result.source)))
    parts.append("<h2>Minskar hälsogapet?</h2>")
    if content.gaps:
        for gap in content.gaps:
            parts.append(
                f"<p><strong>{escape(gap.need)}:</strong> {escape(gap.sentence)}</p>"
                + _source(source_line(gap.source))
            )
    else:
        parts.append("<p>Inget behov med hälsogap är kopplat.</p>")
    parts.append("<h2>Utförarens kommentarer</h2>")
    if content.comments:
        for period, author, body in content.comments:
            parts.append(
                f'<blockquote><p class="who">{escape(text(period))}, {escape(text(author))}</p>'
                f"{_ps(body)}</blockquote>"
            )
    else:
        parts.append("<p>Inga kommentarer.</p>")
    parts.append(f'<h2>Så bedöms status</h2><p class="rule">{escape(content.rule)}</p>')
    # The title already names the assignment, and the state is as of the day it is made.
    meta = " · ".join(p for p in (content.issuer, f"Framtagen {content.generated_on}") if p)
    return _document(content.title, meta, "".join(parts))


#: Above this many assignments the PDF lists one line per assignment instead of a table per
#: indicator: WeasyPrint lays out about 2 000 table cells a second, so 500 assignments in full
#: detail would take over 20 s. Word and Excel always carry every indicator.
DETAIL_LIMIT = 50


def _compact_rows(content: AnnualReportContent) -> str:
    statuses = list(content.counts())
    header = "".join(f'<th scope="col">{escape(s)}</th>' for s in statuses)
    rows = []
    for item in content.assignments:
        counts = dict.fromkeys(statuses, 0)
        for result in item.indicators:
            counts[result.status] = counts.get(result.status, 0) + 1
        effects = [r for r in item.indicators if r.role == "effect"]
        order = {status: i for i, status in enumerate(reversed(statuses))}
        worst = min(effects, key=lambda r: order.get(r.status, 0), default=None)
        rows.append(
            f"<tr><td>{escape(item.title)}</td><td>{escape(text(item.recipient))}</td>"
            + "".join(f'<td class="num">{counts.get(s, 0)}</td>' for s in statuses)
            + f"<td>{escape(worst.title + ': ' + worst.status) if worst else '–'}</td></tr>"
        )
    return (
        "<table><caption>Indikatorer per status och uppdrag.</caption><thead><tr>"
        f'<th scope="col">Uppdrag</th><th scope="col">Mottagare</th>{header}'
        '<th scope="col">Sämsta effektindikator</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table><p>Resultat per indikator finns i Word- och Excelversionerna.</p>"
    )


def annual_html(content: AnnualReportContent, *, detail: bool = True) -> str:
    """The annual report; see :func:`.documents.render_annual_report_pdf`.

    >>> html = annual_html(AnnualReportContent("Årsredovisning 2026", "Region X", 2026, ""))
    >>> "Måluppfyllelse sammanfattad" in html
    True
    """
    source = annual_source(content)
    all_counts, effect_counts = content.counts(), content.counts("effect")
    header = "".join(f'<th scope="col">{escape(s)}</th>' for s in all_counts)
    summary_rows = "".join(
        f'<tr><th scope="row">{name}</th>'
        + "".join(f'<td class="num">{n}</td>' for n in counts.values())
        + "</tr>"
        for name, counts in (
            ("Alla indikatorer", all_counts),
            ("Effektindikatorer", effect_counts),
            ("Processindikatorer", content.counts("process")),
        )
    )
    parts = [
        _ps(content.introduction, ""),
        "<h2>Måluppfyllelse sammanfattad</h2>",
        f"<p>{len(content.assignments)} uppdrag med {len(content.results)} indikatorer följs upp "
        f"för {content.year}.</p>",
        f"<table><caption>Antal indikatorer per status.</caption><thead><tr><th></th>{header}"
        f"</tr></thead><tbody>{summary_rows}</tbody></table>",
        _source(source),
        _figure(
            status_chart_svg(all_counts, f"Alla indikatorer per status {content.year}"), source
        ),
        _figure(
            status_chart_svg(effect_counts, f"Effektindikatorer per status {content.year}"), source
        ),
        f'<h2>Så bedöms status</h2><p class="rule">{escape(content.rule)}</p>',
        "<h2>Behoven och deras mål</h2>",
        _table(
            ANNUAL_NEED_COLUMNS,
            [annual_need_cells(n) for n in content.needs],
            "Behovsgruppernas hälsogap mot de politiska målen, och om gapet sluts.",
        )
        if content.needs
        else "<p>Ingen behovsanalys att redovisa.</p>",
        _source(source_line("; ".join(sorted({n.source for n in content.needs})) or None))
        if content.needs
        else "",
        "<h2>Prioriteringar och budget</h2>",
        "".join(
            f"<p><strong>{escape(d.citation)}</strong>: budget {escape(format_money(d.budget))}"
            f", fördelat {escape(format_money(d.funded))}. {escape(d.rationale)}</p>"
            for d in content.decisions
        )
        or "<p>Inget prioriteringsbeslut under året.</p>",
        "<h2>Uppdragen</h2>",
    ]
    if not detail and content.assignments:
        parts.append(_compact_rows(content))
        parts.append(_source(source))
    for item in content.assignments if detail else []:
        parts.append(
            f'<section><h3>{escape(item.title)}</h3><p class="meta">Mottagare: '
            f"{escape(text(item.recipient))} · Behov: {escape(text(item.need))}</p>"
            + _result_section(item.indicators, f"Måluppfyllelse {content.year}.")
            + (f"<p>{escape(item.comment)}</p>" if item.comment else "")
            + "</section>"
        )
    if not content.assignments:
        parts.append("<p>Inga uppdrag att redovisa.</p>")
    meta = " · ".join(
        p
        for p in (
            content.region,
            f"Årsredovisning {content.year}",
            content.generated_on,
            content.author or "",
        )
        if p
    )
    return _document(content.title, meta, "".join(parts))


# --- Public renderers: HTML and PDF -----------------------------------------------------------


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_assignment_html(content: AssignmentContent) -> str:
    """The decision document as standalone Swedish HTML (the source of the PDF)."""
    return assignment_html(content)


def render_assignment_pdf(content: AssignmentContent) -> bytes:
    """The decision document as an A4 PDF.

    >>> render_assignment_pdf(AssignmentContent("Uppdrag", "Nämnden"))[:4]
    b'%PDF'
    """
    return _pdf(render_assignment_html(content))


def render_follow_up_html(content: FollowUpReportContent) -> str:
    """The follow-up report of one assignment as HTML."""
    return follow_up_html(content)


def render_follow_up_pdf(content: FollowUpReportContent) -> bytes:
    """The follow-up report as PDF.

    >>> render_follow_up_pdf(FollowUpReportContent("U", "A", "N", "VC", "2026", ""))[:4]
    b'%PDF'
    """
    return _pdf(render_follow_up_html(content))


def render_annual_report_html(content: AnnualReportContent) -> str:
    """The annual report as HTML."""
    return annual_html(content)


def render_annual_report_pdf(content: AnnualReportContent) -> bytes:
    """The annual report as PDF; above :data:`DETAIL_LIMIT` assignments, one line each.

    >>> render_annual_report_pdf(AnnualReportContent("Årsredovisning", "Region X", 2026, ""))[:4]
    b'%PDF'
    """
    return _pdf(annual_html(content, detail=len(content.assignments) <= DETAIL_LIMIT))
