"""A priority decision as one content object: what was decided, with the weights and ranking
exactly as the politicians saw them, and how it differs from the previous version.

The decision page, its PDF and its Word document render :class:`DecisionContent`; the
difference between versions (measures in and out, budget, weights and ranks) is computed here
once, in Swedish words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from halsogap.numbers import format_kr, format_money, format_number, format_signed
from halsogap.priorities.horizontal import CRITERIA


@dataclass(frozen=True)
class DecisionSpec:
    """A stored decision as plain values (the model's ``to_spec()``)."""

    region: str
    version: int
    body: str
    decided_on: str
    decided_by: str
    rationale: str
    budget: float
    weights: dict[str, float]
    ranking: list[dict]
    allocation: list[dict]
    published: bool = True
    paragraph: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Difference:
    """What changed since the previous version, each line in Swedish."""

    previous_version: int
    budget_change: float
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    weight_changes: list[str] = field(default_factory=list)
    rank_changes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        budget = f"Budget: {format_signed(self.budget_change, 0)} kr"
        return [
            budget,
            *(f"Ny åtgärd: {m}" for m in self.added),
            *(f"Borttagen åtgärd: {m}" for m in self.removed),
            *self.weight_changes,
            *self.rank_changes,
        ]


@dataclass(frozen=True)
class DecisionContent:
    title: str
    region: str
    version: int
    body: str
    decided_on: str
    decided_by: str
    paragraph: str
    reference: str
    rationale: str
    budget: float
    #: (criterion in Swedish, share of the total weight in per cent), as the politicians set it.
    weights: list[tuple[str, float]]
    ranking: list[dict]
    allocation: list[dict]
    difference: Difference | None
    published: bool
    source: str = (
        "Källa: Kolada/RKA med respektive producent; åtgärder: Socialstyrelsens nationella "
        "riktlinjer och regionens egna skattningar"
    )

    @property
    def funded_cost(self) -> float:
        return float(sum(a.get("cost") or 0.0 for a in self.allocation))

    @property
    def citation(self) -> str:
        """How an assignment cites this decision: body, date, paragraph, diarienummer."""
        parts = [f"Prioriteringsbeslut version {self.version}", self.body, self.decided_on]
        if self.paragraph:
            parts.append(f"§ {self.paragraph.lstrip('§ ')}")
        if self.reference:
            parts.append(f"dnr {self.reference}")
        return ", ".join(p for p in parts if p)


def weight_shares(weights: dict[str, float]) -> list[tuple[str, float]]:
    """Each criterion's share of the total weight in per cent, in the criteria's order.

    >>> weight_shares({"need_size": 3, "severity": 1})[:2]
    [('behovets storlek', 75.0), ('svårighetsgrad', 25.0)]
    """
    total = sum(weights.values()) or 1.0
    return [(label, 100 * weights.get(name, 0.0) / total) for name, label in CRITERIA.items()]


def _measure(entry: dict) -> str:
    return f"{entry.get('title') or entry['measure']} ({entry['need_group']})"


def difference(decision: DecisionSpec, previous: DecisionSpec) -> Difference:
    """Measures in and out, budget, weights and ranks between two versions.

    >>> a = DecisionSpec("R", 1, "HSN", "2026-02-10", "HSN", "", 1e6, {"need_size": 1.0},
    ...     [{"rank": 1, "need": "Rökning"}], [])
    >>> b = DecisionSpec("R", 2, "HSN", "2026-03-10", "HSN", "", 2e6,
    ...     {"need_size": 1.0, "severity": 1.0}, [{"rank": 2, "need": "Rökning"}], [])
    >>> difference(b, a).lines
    ['Budget: +1\\xa0000\\xa0000 kr', 'Vikt behovets storlek: 100 % → 50 %', 'Vikt svårighetsgrad: 0 % → 50 %', 'Rökning: rang 1 → 2']
    """
    before = {_measure(a) for a in previous.allocation}
    after = {_measure(a) for a in decision.allocation}
    old_weights, new_weights = (
        dict(weight_shares(previous.weights)),
        dict(weight_shares(decision.weights)),
    )
    weight_changes = [
        f"Vikt {label}: {format_number(old_weights[label], 0)} % → "
        f"{format_number(new_weights[label], 0)} %"
        for label in new_weights
        if format_number(old_weights[label], 0) != format_number(new_weights[label], 0)
    ]
    ranks_before = {r["need"]: r["rank"] for r in previous.ranking}
    rank_changes = [
        f"{r['need']}: rang {ranks_before.get(r['need'], 'ny')} → {r['rank']}"
        for r in decision.ranking
        if ranks_before.get(r["need"]) != r["rank"]
    ]
    return Difference(
        previous_version=previous.version,
        budget_change=decision.budget - previous.budget,
        added=sorted(after - before),
        removed=sorted(before - after),
        weight_changes=weight_changes,
        rank_changes=rank_changes,
    )


def compose_decision(
    decision: DecisionSpec, previous: DecisionSpec | None = None
) -> DecisionContent:
    """The decision's content for its page and documents.

    >>> d = DecisionSpec("Region X", 1, "HSN", "2026-02-10", "HSN", "Rökning först.", 5e6,
    ...     {"need_size": 0.3, "severity": 0.3, "inequity": 0.2, "cost_effectiveness": 0.1,
    ...      "evidence": 0.1}, [], [], paragraph="12", reference="HSN 2026-0042")
    >>> compose_decision(d).citation
    'Prioriteringsbeslut version 1, HSN, 2026-02-10, § 12, dnr HSN 2026-0042'
    """
    return DecisionContent(
        title=f"Prioriteringsbeslut, version {decision.version} – {decision.region}",
        region=decision.region,
        version=decision.version,
        body=decision.body,
        decided_on=decision.decided_on,
        decided_by=decision.decided_by,
        paragraph=decision.paragraph,
        reference=decision.reference,
        rationale=decision.rationale,
        budget=decision.budget,
        weights=weight_shares(decision.weights),
        ranking=list(decision.ranking),
        allocation=list(decision.allocation),
        difference=difference(decision, previous) if previous is not None else None,
        published=decision.published,
    )


# --- Rendering -------------------------------------------------------------------------------

RANKING_COLUMNS = ["Rang", "Behov", "Poäng", "Väger tyngst"]
ALLOCATION_COLUMNS = ["Åtgärd", "Behovsgrupp", "Rang", "Kostnad (kr)"]
WEIGHT_COLUMNS = ["Kriterium", "Vikt (%)"]


def ranking_cells(entry: dict) -> list[str]:
    return [
        str(entry.get("rank", "–")),
        entry.get("need", "–"),
        format_number(entry.get("score"), 2),
        entry.get("main_criterion") or "–",
    ]


def allocation_cells(entry: dict) -> list[str]:
    return [
        entry.get("title") or entry.get("measure", "–"),
        entry.get("need_group", "–"),
        str(entry.get("rank") or "–"),
        format_number(entry.get("cost"), 0),
    ]


def facts(content: DecisionContent) -> list[tuple[str, str]]:
    return [
        ("Beslutande organ", content.body or "–"),
        ("Beslutsdatum", content.decided_on or "–"),
        ("Paragraf", content.paragraph or "–"),
        ("Diarienummer", content.reference or "–"),
        ("Beslutade av", content.decided_by or "–"),
        ("Budget", f"{format_money(content.budget)} ({format_kr(content.budget)})"),
        ("Fördelat", format_money(content.funded_cost)),
    ]


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    head = "".join(
        f'<th scope="col"{" class=num" if i in numeric else ""}>{escape(h)}</th>'
        for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=num' if i in numeric else ''}>{escape(c)}</td>" for i, c in enumerate(r)
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_decision_html(content: DecisionContent) -> str:
    """The decision as standalone Swedish HTML (the source of the PDF)."""
    from halsogap.reports.needs_analysis import CSS

    fact_rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts(content))
    weights = [[label, format_number(share, 0)] for label, share in content.weights]
    parts = [
        f"<header><h1>{escape(content.title)}</h1></header>",
        f"<dl class='facts'>{fact_rows}</dl>",
        "<h2>Motivering</h2>",
        "".join(f"<p>{escape(p)}</p>" for p in content.rationale.splitlines() if p.strip())
        or "<p>–</p>",
        "<h2>Vikter i rangordningen</h2>",
        _table(WEIGHT_COLUMNS, weights, {1}),
        "<h2>Rangordnade behov</h2>",
        _table(RANKING_COLUMNS, [ranking_cells(r) for r in content.ranking], {0, 2}),
        "<h2>Resursfördelning</h2>",
        _table(ALLOCATION_COLUMNS, [allocation_cells(a) for a in content.allocation], {3}),
        f'<p class="source">{escape(content.source)}</p>',
    ]
    if content.difference is not None:
        items = "".join(f"<li>{escape(line)}</li>" for line in content.difference.lines)
        parts += [
            f"<h2>Skillnad mot version {content.difference.previous_version}</h2>",
            f"<ul>{items}</ul>",
        ]
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>'
        f"{escape(content.title)}</title><style>{CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )


def render_decision_pdf(content: DecisionContent) -> bytes:
    """The decision as an A4 PDF.

    >>> d = DecisionSpec("Region X", 1, "HSN", "2026-02-10", "HSN", "Motivering.", 1e6, {}, [], [])
    >>> render_decision_pdf(compose_decision(d))[:4]
    b'%PDF'
    """
    from weasyprint import HTML

    return HTML(string=render_decision_html(content)).write_pdf()


def render_decision_docx(content: DecisionContent) -> bytes:
    """The decision as a Word document, for the committee's papers.

    >>> d = DecisionSpec("Region X", 1, "HSN", "2026-02-10", "HSN", "Motivering.", 1e6, {}, [], [])
    >>> render_decision_docx(compose_decision(d))[:2]
    b'PK'
    """
    import io

    from docx import Document

    document = Document()
    document.add_heading(content.title, level=1)
    table = document.add_table(rows=0, cols=2)
    for key, value in facts(content):
        row = table.add_row().cells
        row[0].text, row[1].text = key, value
    document.add_heading("Motivering", level=2)
    for paragraph in content.rationale.splitlines() or ["–"]:
        document.add_paragraph(paragraph)
    sections = [
        (
            "Vikter i rangordningen",
            WEIGHT_COLUMNS,
            [[label, format_number(share, 0)] for label, share in content.weights],
        ),
        ("Rangordnade behov", RANKING_COLUMNS, [ranking_cells(r) for r in content.ranking]),
        ("Resursfördelning", ALLOCATION_COLUMNS, [allocation_cells(a) for a in content.allocation]),
    ]
    for heading, header, rows in sections:
        document.add_heading(heading, level=2)
        grid = document.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        for cell, name in zip(grid.rows[0].cells, header, strict=True):
            cell.text = name
        for values in rows:
            for cell, value in zip(grid.add_row().cells, values, strict=True):
                cell.text = value
    document.add_paragraph(content.source)
    if content.difference is not None:
        document.add_heading(f"Skillnad mot version {content.difference.previous_version}", 2)
        for line in content.difference.lines:
            document.add_paragraph(line, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
