"""The annual wheel (årshjul) of needs steering, priorities and budget.

The steps and their order come from the network's wheel "Årshjul för behovsstyrning,
prioritering och budget" (seed 004). The seed draws no months; the defaults below follow the
usual Swedish regional budget year (annual report in spring, priorities before summer, council
decision on the coming year's budget in November) and every region can move them.
"""

from __future__ import annotations

import calendar
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass(frozen=True)
class WheelStep:
    """One step of the wheel: what is done, in which month, by whom, producing what."""

    key: str
    title: str
    month: int
    owner_role: str
    artefact_kind: str


DEFAULT_STEPS: tuple[WheelStep, ...] = (
    WheelStep(
        "identifiera",
        "På befolkningsnivå identifiera behovsgrupper eller områden och ta "
        "fram relevanta underlag för nästa års budget",
        1,
        "analytiker",
        "needs_analysis",
    ),
    WheelStep(
        "brister",
        "Identifierade brister avseende hälsofrämjande, förebyggande, vård, "
        "omvårdnad, rehabilitering och palliation",
        2,
        "analytiker",
        "needs_analysis",
    ),
    WheelStep(
        "arsredovisning",
        "Årsredovisning med uppföljning av föregående års resultat och måluppfyllelse",
        3,
        "analytiker",
        "annual_report",
    ),
    WheelStep(
        "beskriva",
        "Beskriva utvalda behov med rangordnade åtgärder inför beslut",
        4,
        "analytiker",
        "needs_analysis",
    ),
    WheelStep(
        "dialog_behov",
        "Dialog med verksamheter och behovsgrupper om utvalda behov",
        5,
        "fortroendevald",
        "dialogue",
    ),
    WheelStep(
        "prioritera",
        "Prioritera och besluta om utvalda behov och åtgärder samt resursfördelning",
        6,
        "fortroendevald",
        "priority_decision",
    ),
    WheelStep(
        "dialog_konsekvenser",
        "Dialog med verksamheter och behovsgrupper om konsekvenser av resursfördelningen",
        9,
        "fortroendevald",
        "dialogue",
    ),
    WheelStep(
        "forslag",
        "Sammanställning och förslag till verksamhetsplan och budget",
        10,
        "analytiker",
        "operational_plan",
    ),
    WheelStep(
        "fullmaktige",
        "Fullmäktigebeslut om verksamhetsplan och detaljbudget för kommande år",
        11,
        "fortroendevald",
        "budget_decision",
    ),
)


def month_span(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month.

    >>> month_span(2026, 2)
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def planning_year(months: Sequence[int], today: date, *, started: Sequence[int] = ()) -> int:
    """The year a new wheel should default to: this year while most of its steps are still
    ahead, else the coming planning year; a year already started is skipped.

    Starting this year's wheel in December would open it with nearly every step overdue,
    which is why the coming year is offered once more than half of the steps' months are past.

    >>> months = [2, 3, 4, 5, 6, 8, 9, 10, 10, 11, 12]
    >>> planning_year(months, date(2026, 3, 10)), planning_year(months, date(2026, 12, 1))
    (2026, 2027)
    >>> planning_year(months, date(2026, 3, 10), started=[2026])
    2027
    """
    overdue = sum(1 for m in months if month_span(today.year, m)[1] < today)
    year = today.year if overdue * 2 <= len(months) else today.year + 1
    while year in set(started):
        year += 1
    return year


@dataclass(frozen=True)
class StepState:
    """A step as the wheel draws it: its number, title, dates and status."""

    number: int
    title: str
    start: date
    due: date
    done: bool

    def status(self, today: date) -> str:
        """'done', 'overdue', 'current' or 'planned'.

        >>> s = StepState(1, "Underlag", date(2026, 1, 1), date(2026, 1, 31), done=False)
        >>> s.status(date(2026, 1, 15)), s.status(date(2026, 2, 2)), s.status(date(2025, 12, 1))
        ('current', 'overdue', 'planned')
        """
        if self.done:
            return "done"
        if today > self.due:
            return "overdue"
        if today >= self.start:
            return "current"
        return "planned"


def where_now(steps: Sequence[StepState], today: date) -> tuple[StepState | None, StepState | None]:
    """The unfinished step running now by the calendar, and the next one to start.

    Overdue steps are not "now": they are reported on their own (``status`` is 'overdue'), so
    that a late step does not hide where the year actually is.

    >>> a = StepState(1, "A", date(2026, 1, 1), date(2026, 1, 31), done=False)
    >>> b = StepState(2, "B", date(2026, 2, 1), date(2026, 2, 28), done=False)
    >>> c = StepState(3, "C", date(2026, 3, 1), date(2026, 3, 31), done=False)
    >>> [s.title if s else None for s in where_now([a, b, c], date(2026, 2, 10))]
    ['B', 'C']
    """
    open_steps = sorted((s for s in steps if not s.done), key=lambda s: (s.due, s.number))
    running = [s for s in open_steps if s.start <= today <= s.due]
    coming = [s for s in open_steps if s.start > today]
    return (running[0] if running else None), (coming[0] if coming else None)


STATUS_COLOURS = {
    "done": "#00663a",
    "current": "#005b8f",
    "overdue": "#a4000f",
    "planned": "#6b6b6b",
}
STATUS_LABELS = {
    "done": "klart",
    "current": "pågår",
    "overdue": "försenat",
    "planned": "planerat",
}


def wheel_svg(steps: Sequence[StepState], *, year: int, today: date, size: int = 520) -> str:
    """The wheel as a circle of twelve months with numbered steps on it.

    >>> s = StepState(1, "Underlag", date(2026, 1, 1), date(2026, 1, 31), done=False)
    >>> svg = wheel_svg([s], year=2026, today=date(2026, 1, 5))
    >>> ">jan<" in svg and "1. Underlag (pågår)" in svg
    True
    """
    c = size / 2
    outer, inner, marker_r = c - 8, c * 0.62, c * 0.78
    label_id = "wheel-" + hashlib.sha1(str(year).encode()).hexdigest()[:6]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="wheel" '
        f'viewBox="0 0 {size} {size}" aria-labelledby="{label_id}">',
        f'<title id="{label_id}">Årshjul {year}: {len(steps)} steg över årets tolv månader. '
        "Stegen finns också som lista.</title>",
    ]

    def point(angle: float, radius: float) -> tuple[float, float]:
        # Month 1 starts at twelve o'clock and the wheel turns clockwise, like a clock.
        return c + radius * math.sin(angle), c - radius * math.cos(angle)

    for m in range(12):
        a0, a1 = 2 * math.pi * m / 12, 2 * math.pi * (m + 1) / 12
        (x0, y0), (x1, y1) = point(a0, outer), point(a1, outer)
        (x2, y2), (x3, y3) = point(a1, inner), point(a0, inner)
        fill = (
            "#e8f1f8"
            if (m + 1) == today.month and today.year == year
            else ("#ffffff" if m % 2 else "#f4f4f4")
        )
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f} A{outer:.1f},{outer:.1f} 0 0 1 {x1:.1f},{y1:.1f} '
            f'L{x2:.1f},{y2:.1f} A{inner:.1f},{inner:.1f} 0 0 0 {x3:.1f},{y3:.1f} Z" '
            f'fill="{fill}" stroke="#999"/>'
        )
        lx, ly = point((a0 + a1) / 2, inner - 16)
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="middle" '
            f'dominant-baseline="middle">{MONTHS[m][:3]}</text>'
        )
    by_month: dict[int, list[StepState]] = {}
    for step in steps:
        month = step.due.month if step.due.year == year else (1 if step.due.year > year else 12)
        by_month.setdefault(month, []).append(step)
    for month, group in by_month.items():
        for i, step in enumerate(group):
            share = (i + 1) / (len(group) + 1)
            x, y = point(2 * math.pi * (month - 1 + share) / 12, marker_r)
            status = step.status(today)
            parts.append(
                f"<g><title>{step.number}. {escape(step.title)} ({STATUS_LABELS[status]})</title>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="15" fill="{STATUS_COLOURS[status]}"/>'
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" font-weight="700" fill="#fff" '
                f'text-anchor="middle" dominant-baseline="central">{step.number}</text></g>'
            )
    if today.year == year:
        x, y = point(2 * math.pi * (today.month - 1 + today.day / 31) / 12, outer)
        parts.append(
            f'<line x1="{c:.1f}" y1="{c:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#1a1a1a" '
            'stroke-width="2" stroke-dasharray="4 3"/>'
        )
    parts.append(
        f'<text x="{c}" y="{c - 6}" font-size="22" font-weight="700" text-anchor="middle">'
        f"{year}</text>"
        f'<text x="{c}" y="{c + 16}" font-size="12" text-anchor="middle">årshjul</text></svg>'
    )
    return "".join(parts)
