"""Förslag till verksamhetsplan och budget: what was decided, composed for a planning year.

The seeds draw the chain "uppdrag, värdegrund, vision → regionplan → verksamhetsplaner →
handlingsplaner → verksamheten" and ask that "uppdragen följer med i alla styrdokument". The
proposal lists, per need, the target the elected officials set, the priority decisions in force
with their budgets, and the assignments with goals, follow-up plans and responsible units; each
assignment says which of the region's governing documents carry it, and one that the year's
verksamhetsplan leaves out is flagged. The page, the PDF and the Word document render the one
:class:`PlanProposalContent`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

from halsogap.numbers import format_money
from halsogap.reports.needs_analysis import CSS

MISSING = "uppdraget finns inte i verksamhetsplanen"
NO_PLAN = "ingen verksamhetsplan för året är registrerad i Hälsogap"


@dataclass(frozen=True)
class ProposalAssignment:
    """An assignment as the proposal lists it, with where it stands in the documents."""

    title: str
    responsible: str
    step: str
    budget: float | None = None
    goals: tuple[str, ...] = ()
    follow_up: tuple[str, ...] = ()
    #: Titles of the region's governing documents that record this assignment.
    documents: tuple[str, ...] = ()
    #: Whether the year's verksamhetsplan carries it (None: no plan is recorded).
    in_plan: bool | None = None

    @property
    def budget_text(self) -> str:
        return _money(self.budget)

    @property
    def standing(self) -> str:
        """Where the assignment stands in the documents, as one sentence.

        >>> ProposalAssignment("U", "VC", "Beslutat", in_plan=False).standing
        'uppdraget finns inte i verksamhetsplanen'
        >>> ProposalAssignment("U", "VC", "Beslutat", documents=("Regionplan",), in_plan=True).standing
        'finns i Regionplan'
        """
        if self.in_plan is False:
            return MISSING + (f" (finns i {', '.join(self.documents)})" if self.documents else "")
        if self.documents:
            return f"finns i {', '.join(self.documents)}"
        return NO_PLAN


@dataclass(frozen=True)
class ProposalNeed:
    title: str
    target: str
    assignments: tuple[ProposalAssignment, ...] = ()

    @property
    def budget(self) -> float:
        return sum(a.budget or 0 for a in self.assignments)


@dataclass(frozen=True)
class PlanProposalContent:
    title: str
    region: str
    year: int
    generated_on: str
    #: The priority decisions in force, each as a citation with its budget.
    decisions: tuple[str, ...] = ()
    needs: tuple[ProposalNeed, ...] = ()
    #: The verksamhetsplan recorded for the year, if any.
    plan_title: str | None = None
    source: str = "Källa: Hälsogap – regionens behovsanalys, prioriteringsbeslut och uppdrag."
    assignments_without_need: tuple[ProposalAssignment, ...] = field(default=())

    @property
    def missing(self) -> list[str]:
        """Titles of the year's assignments that the recorded verksamhetsplan leaves out.

        >>> a = ProposalAssignment("Rökfri vardag", "VC Rinkeby", "Beslutat", in_plan=False)
        >>> PlanProposalContent("F", "R", 2027, "", needs=(ProposalNeed("N", "T", (a,)),)).missing
        ['Rökfri vardag']
        """
        every = [a for n in self.needs for a in n.assignments] + list(self.assignments_without_need)
        return list(dict.fromkeys(a.title for a in every if a.in_plan is False))

    @property
    def total_budget(self) -> float:
        every = {a.title: a for n in self.needs for a in n.assignments}
        every.update({a.title: a for a in self.assignments_without_need})
        return sum(a.budget or 0 for a in every.values())

    @property
    def total_budget_text(self) -> str:
        return _money(self.total_budget)


def _money(value: float | None) -> str:
    return format_money(value) if value else "ingen budget angiven"


def _assignment_html(a: ProposalAssignment) -> str:
    goals = "".join(f"<li>{escape(g)}</li>" for g in a.goals) or "<li>inga mål angivna</li>"
    plan = "".join(f"<li>{escape(p)}</li>" for p in a.follow_up) or (
        "<li>ingen uppföljningsplan</li>"
    )
    flag = ' class="missing"' if a.in_plan is False else ""
    return (
        f'<article><h4>{escape(a.title)}</h4><dl class="facts">'
        f"<dt>Ansvarig</dt><dd>{escape(a.responsible or '–')}</dd>"
        f"<dt>Steg</dt><dd>{escape(a.step)}</dd>"
        f"<dt>Budget</dt><dd>{escape(a.budget_text)}</dd>"
        f"<dt>I styrdokumenten</dt><dd{flag}>{escape(a.standing)}</dd></dl>"
        f"<p><strong>Mål</strong></p><ul>{goals}</ul>"
        f"<p><strong>Uppföljningsplan</strong></p><ul>{plan}</ul></article>"
    )


def render_proposal_html(content: PlanProposalContent) -> str:
    """The proposal as a standalone Swedish HTML document (the source of the PDF).

    >>> html = render_proposal_html(PlanProposalContent("Förslag 2027", "Region X", 2027, ""))
    >>> "<h1>Förslag 2027</h1>" in html and "Inga behov" in html
    True
    """
    parts = [
        f"<p>{escape(content.region)} · planeringsår {content.year} · framtagen "
        f"{escape(content.generated_on)}</p>",
        "<h2>Prioriteringsbeslut och budget</h2>",
        "<ul>" + "".join(f"<li>{escape(d)}</li>" for d in content.decisions) + "</ul>"
        if content.decisions
        else "<p>Inget prioriteringsbeslut gäller för året.</p>",
        f"<p>Uppdragens budget sammanlagt: {escape(content.total_budget_text)}.</p>",
    ]
    if content.missing:
        parts.append(
            '<p class="missing"><strong>Saknas i verksamhetsplanen:</strong> '
            + escape(", ".join(content.missing))
            + "</p>"
        )
    parts.append("<h2>Behov, mål och uppdrag</h2>")
    for need in content.needs:
        parts.append(
            f"<section><h3>{escape(need.title)}</h3><p><strong>Mål:</strong> "
            f"{escape(need.target)} · <strong>Budget i uppdragen:</strong> "
            f"{escape(_money(need.budget))}</p>"
            + ("".join(_assignment_html(a) for a in need.assignments) or "<p>Inga uppdrag.</p>")
            + "</section>"
        )
    if not content.needs:
        parts.append("<p>Inga behov med mål för året.</p>")
    if content.assignments_without_need:
        parts.append("<h2>Uppdrag utan kopplat behov</h2>")
        parts += [_assignment_html(a) for a in content.assignments_without_need]
    parts.append(f'<p class="source">{escape(content.source)}</p>')
    style = CSS + ".missing { color: #a4000f; font-weight: 600; }"
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>'
        f"{escape(content.title)}</title><style>{style}</style></head><body>"
        f"<h1>{escape(content.title)}</h1>{''.join(parts)}</body></html>"
    )


def render_proposal_pdf(content: PlanProposalContent) -> bytes:
    """The proposal as an A4 PDF.

    >>> render_proposal_pdf(PlanProposalContent("Förslag 2027", "Region X", 2027, ""))[:4]
    b'%PDF'
    """
    from weasyprint import HTML

    return HTML(string=render_proposal_html(content)).write_pdf()


def render_proposal_docx(content: PlanProposalContent) -> bytes:
    """The proposal as an editable Word document, to be completed into the plan itself.

    >>> render_proposal_docx(PlanProposalContent("Förslag 2027", "Region X", 2027, ""))[:2]
    b'PK'
    """
    from docx import Document

    document = Document()
    document.core_properties.title = content.title
    document.core_properties.language = "sv-SE"
    document.add_heading(content.title, level=0)
    document.add_paragraph(
        f"{content.region} · planeringsår {content.year} · framtagen {content.generated_on}"
    )
    document.add_heading("Prioriteringsbeslut och budget", level=1)
    for line in content.decisions or ("Inget prioriteringsbeslut gäller för året.",):
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph(f"Uppdragens budget sammanlagt: {content.total_budget_text}.")
    if content.missing:
        run = document.add_paragraph().add_run(
            "Saknas i verksamhetsplanen: " + ", ".join(content.missing)
        )
        run.bold = True
    document.add_heading("Behov, mål och uppdrag", level=1)
    for need in content.needs:
        document.add_heading(need.title, level=2)
        document.add_paragraph(f"Mål: {need.target} · Budget i uppdragen: {_money(need.budget)}")
        for a in need.assignments:
            _docx_assignment(document, a)
    if content.assignments_without_need:
        document.add_heading("Uppdrag utan kopplat behov", level=1)
        for a in content.assignments_without_need:
            _docx_assignment(document, a)
    document.add_paragraph(content.source)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_assignment(document, a: ProposalAssignment) -> None:
    document.add_heading(a.title, level=3)
    for label, value in (
        ("Ansvarig", a.responsible or "–"),
        ("Steg", a.step),
        ("Budget", a.budget_text),
        ("I styrdokumenten", a.standing),
    ):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = 0
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value).bold = a.in_plan is False and label == "I styrdokumenten"
    document.add_paragraph("Mål:").runs[0].bold = True
    for goal in a.goals or ("inga mål angivna",):
        document.add_paragraph(goal, style="List Bullet")
    document.add_paragraph("Uppföljningsplan:").runs[0].bold = True
    for line in a.follow_up or ("ingen uppföljningsplan",):
        document.add_paragraph(line, style="List Bullet")
