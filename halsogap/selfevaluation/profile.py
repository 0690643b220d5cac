"""Turning scores into a profile per standard and perspective, drawn with a text alternative."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from halsogap.numbers import format_number
from halsogap.selfevaluation.definition import PERSPECTIVES, Definition, Statement


@dataclass(frozen=True)
class ProfileRow:
    key: str
    label: str
    mean: float | None
    scored: int
    total: int


@dataclass(frozen=True)
class Profile:
    by_standard: list[ProfileRow]
    by_perspective: list[ProfileRow]
    overall: float | None
    scored: int
    total: int
    #: Standards this version has no statements for ("2. Tillgång till vården"), said once
    #: instead of shown as an unanswerable row.
    not_covered: tuple[str, ...] = ()


def _row(key: str, label: str, statements: list[Statement], scores) -> ProfileRow:
    values = [scores[s.code] for s in statements if scores.get(s.code) is not None]
    mean = sum(values) / len(values) if values else None
    return ProfileRow(key, label, mean, len(values), len(statements))


def profile(
    definition: Definition, scores: Mapping[str, int | None], *, short: bool = False
) -> Profile:
    """Mean score (1–10) per standard and per perspective over the statements answered.

    >>> from halsogap.selfevaluation import parse_definition
    >>> d = parse_definition(
    ...     "standard;standard_title;statement;text;perspective;short\\n"
    ...     "1;Ledning;1.1;A;styrning;ja\\n1;Ledning;1.2;B;patient;ja\\n".encode(), "d.csv")
    >>> p = profile(d, {"1.1": 4, "1.2": 8})
    >>> p.by_standard[0].mean, p.overall, [r.mean for r in p.by_perspective if r.total]
    (6.0, 6.0, [4.0, 8.0])
    """
    statements = definition.short_version() if short else definition.statements
    rows = [
        _row(
            st.code,
            f"{st.code}. {st.swedish_title}",
            [s for s in statements if s.standard == st.code],
            scores,
        )
        for st in definition.standards
    ]
    by_standard = [r for r in rows if r.total]
    not_covered = tuple(r.label for r in rows if not r.total)
    by_perspective = [
        _row(key, label, [s for s in statements if s.perspective == key], scores)
        for key, label in PERSPECTIVES.items()
    ]
    overall = _row("all", "Totalt", statements, scores)
    return Profile(
        by_standard,
        by_perspective,
        overall.mean,
        overall.scored,
        overall.total,
        not_covered=not_covered,
    )


def weakest_statements(
    definition: Definition,
    scores: Mapping[str, int | None],
    *,
    threshold: int = 5,
    short: bool = False,
) -> list[tuple[Statement, int]]:
    """Statements scored at or below ``threshold``, lowest first: the action plan's candidates.

    >>> from halsogap.selfevaluation import parse_definition
    >>> d = parse_definition(
    ...     "standard;standard_title;statement;text;perspective\\n"
    ...     "1;L;1.1;A;styrning\\n1;L;1.2;B;patient\\n".encode(), "d.csv")
    >>> [(s.code, v) for s, v in weakest_statements(d, {"1.1": 3, "1.2": 9})]
    [('1.1', 3)]
    """
    statements = definition.short_version() if short else definition.statements
    weak = [
        (s, scores[s.code])
        for s in statements
        if scores.get(s.code) is not None and scores[s.code] <= threshold
    ]
    return sorted(weak, key=lambda pair: (pair[1], pair[0].code))


def profile_svg(
    rows: list[ProfileRow],
    *,
    title: str,
    previous: list[ProfileRow] | None = None,
    width: int = 560,
) -> str:
    """Horizontal bars on the 1–10 scale; a previous evaluation is drawn as a black tick.

    >>> svg = profile_svg([ProfileRow("1", "Ledning", 6.0, 2, 2)], title="Profil")
    >>> "Ledning: 6,0" in svg
    True
    """
    left, bar_h, gap = 230, 22, 12
    plot_w = width - left - 20
    height = 30 + len(rows) * (bar_h + gap) + 30
    label_id = "profile-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    before = {r.key: r.mean for r in previous or []}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{label_id}">',
        f'<title id="{label_id}">{escape(title)}</title>',
    ]
    for tick in range(1, 11):
        x = left + plot_w * (tick - 1) / 9
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="20" y2="{height - 24}" stroke="#e0e0e0"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="12" text-anchor="middle">{tick}</text>'
        )
    for i, row in enumerate(rows):
        y = 24 + i * (bar_h + gap)
        # The full title is in the table beside the chart; the bar needs only its short name.
        short_label = row.label.split(" (")[0]
        label = short_label if len(short_label) <= 27 else short_label[:26] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h * 0.7:.1f}" font-size="13" text-anchor="end">'
            f"{escape(label)}</text>"
        )
        summary = f"{row.label}: {format_number(row.mean)}"
        if row.mean is None:
            parts.append(
                f'<text x="{left + 4}" y="{y + bar_h * 0.7:.1f}" font-size="12">'
                f"<title>{escape(summary)}</title>inte besvarad</text>"
            )
        else:
            w = plot_w * (row.mean - 1) / 9
            parts.append(
                f'<rect x="{left}" y="{y}" width="{max(w, 2):.1f}" height="{bar_h}" '
                f'fill="#0072B2"><title>{escape(summary)}</title></rect>'
            )
        if before.get(row.key) is not None:
            x = left + plot_w * (before[row.key] - 1) / 9
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + bar_h + 3}" '
                f'stroke="#1a1a1a" stroke-width="3"><title>Förra utvärderingen: '
                f"{format_number(before[row.key])}</title></line>"
            )
    parts.append("</svg>")
    return "".join(parts)
