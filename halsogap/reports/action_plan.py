"""The action plan (handlingsplan) as the network writes it: focus area → prioritised
activities → responsible → time plan → follow-up."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

STATUS_LABELS = {"planned": "Planerad", "in_progress": "Pågår", "done": "Klar"}


@dataclass(frozen=True)
class ActivityContent:
    description: str
    responsible: str
    time_plan: str
    status: str = "planned"


@dataclass(frozen=True)
class FocusAreaContent:
    title: str
    perspective: str
    follow_up: str
    activities: list[ActivityContent] = field(default_factory=list)


@dataclass(frozen=True)
class ActionPlanContent:
    title: str
    organisation: str
    year: int
    basis: str
    focus_areas: list[FocusAreaContent] = field(default_factory=list)

    @property
    def progress(self) -> tuple[int, int]:
        """(activities done, all activities).

        >>> plan = ActionPlanContent("P", "Region X", 2026, "", [FocusAreaContent("F", "patient",
        ...     "", [ActivityContent("A", "", "", "done"), ActivityContent("B", "", "")])])
        >>> plan.progress
        (1, 2)
        """
        activities = [a for f in self.focus_areas for a in f.activities]
        return sum(a.status == "done" for a in activities), len(activities)


COLUMNS = [
    "Fokusområde",
    "Prioriterade aktiviteter",
    "Ansvariga",
    "Tidplan",
    "Uppföljning",
    "Status",
]


def render_html(plan: ActionPlanContent) -> str:
    """A standalone HTML document, the source of the PDF.

    >>> plan = ActionPlanContent("Handlingsplan", "Region X", 2026, "Självevaluering")
    >>> "<h1>Handlingsplan</h1>" in render_html(plan)
    True
    """
    done, total = plan.progress
    rows = []
    for area in plan.focus_areas:
        span = max(len(area.activities), 1)
        activities = area.activities or [ActivityContent("–", "", "")]
        for i, activity in enumerate(activities):
            cells = []
            if i == 0:
                cells.append(
                    f'<td rowspan="{span}"><strong>{escape(area.title)}</strong>'
                    f"<br><em>{escape(area.perspective)}</em></td>"
                )
            cells += [
                f"<td>{escape(activity.description)}</td>",
                f"<td>{escape(activity.responsible)}</td>",
                f"<td>{escape(activity.time_plan)}</td>",
            ]
            if i == 0:
                cells.append(f'<td rowspan="{span}">{escape(area.follow_up)}</td>')
            cells.append(f"<td>{STATUS_LABELS.get(activity.status, activity.status)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f"<th>{c}</th>" for c in COLUMNS)
    return f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>{escape(plan.title)}</title><style>
@page {{ size: A4 landscape; margin: 1.5cm; @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 9pt; }} }}
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #888; padding: 4pt; vertical-align: top; text-align: left; }}
th {{ background: #e8f1f8; }}
</style></head><body>
<h1>{escape(plan.title)}</h1>
<p>{escape(plan.organisation)} · {plan.year} · {done} av {total} aktiviteter klara</p>
<p>Underlag: {escape(plan.basis)}</p>
<table><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>
</body></html>"""


def render_pdf(plan: ActionPlanContent) -> bytes:
    """The plan as PDF (A4 landscape), through WeasyPrint."""
    from weasyprint import HTML

    return HTML(string=render_html(plan)).write_pdf()


def render_docx(plan: ActionPlanContent) -> bytes:
    """The plan as a Word document with the network's five-column table.

    >>> data = render_docx(ActionPlanContent("Handlingsplan", "Region X", 2026, "Test"))
    >>> data[:2] == b"PK"
    True
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    document.add_heading(plan.title, level=1)
    done, total = plan.progress
    document.add_paragraph(
        f"{plan.organisation} · {plan.year} · {done} av {total} aktiviteter klara"
    )
    document.add_paragraph(f"Underlag: {plan.basis}")
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    for area in plan.focus_areas:
        for i, activity in enumerate(area.activities or [ActivityContent("–", "", "")]):
            cells = table.add_row().cells
            cells[0].text = f"{area.title} ({area.perspective})" if i == 0 else ""
            cells[1].text = activity.description
            cells[2].text = activity.responsible
            cells[3].text = activity.time_plan
            cells[4].text = area.follow_up if i == 0 else ""
            cells[5].text = STATUS_LABELS.get(activity.status, activity.status)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
