"""Assignment documents: the decision document, the follow-up report and the annual report.

Content dataclasses here; HTML (the source of the PDF, via WeasyPrint) in
:mod:`halsogap.assignments.documents_html`, Word and Excel in
:mod:`halsogap.assignments.documents_office`. The same text helpers feed every format, so a
table reads the same in PDF, Word and Excel: Swedish headings and numbers, "–" for anything
missing, and a "Källa: …" line under every table and chart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from halsogap.assignments.followable import ROLE_LABELS, Gap, GoalSpec, IndicatorPlan
from halsogap.assignments.status import RULE_SV, STATUSES, FollowUpStatus
from halsogap.numbers import format_money, format_number, unit_label
from halsogap.reports.needs_analysis import source_line, text

PERSPECTIVES = {
    "individual": "individ/patient",
    "population": "befolkning",
    "staff": "personal",
    "governance": "styrning och ledning",
}
MEASURE_KINDS = {
    "preventive": "förebyggande",
    "health_promoting": "hälsofrämjande",
    "treatment": "behandling",
    "rehabilitation": "rehabilitering",
    "care": "omvårdnad",
    "palliative": "palliation",
}
ACCEPTANCE_FORMS = {"contract": "avtal", "agreement": "överenskommelse", "trust": "tillit"}
POLARITY_LABELS = {
    "lower_better": "lägre är bättre",
    "low_is_good": "lägre är bättre",
    "higher_better": "högre är bättre",
    "high_is_good": "högre är bättre",
}
PLAN_COLUMNS = [
    "Mål",
    "Indikator",
    "Typ",
    "Utgångsvärde",
    "Målvärde",
    "Måldatum",
    "Källa",
    "Frekvens",
    "Rapporteras av",
]
RESULT_COLUMNS = [
    "Indikator",
    "Typ",
    "Utgångsvärde",
    "Senaste värde",
    "Målvärde",
    "Status",
    "Trend",
]
NEED_COLUMNS = ["Behov", "Indikator", "År", "Nuvärde", "Målvärde", "Gap kvar", "Personer"]
SYSTEM_SOURCE = "Hälsogap, uppföljningsplaner och rapporterade värden"


def label(mapping: dict[str, str], value: str | None) -> str:
    """A code as its Swedish label; an unknown code is shown as written, nothing as "–".

    >>> label(ACCEPTANCE_FORMS, "agreement"), label(MEASURE_KINDS, "egen"), label(PERSPECTIVES, "")
    ('överenskommelse', 'egen', '–')
    """
    return mapping.get(value or "", text(value))


def day(value: date | str | None) -> str:
    """A date as ISO text, "–" when missing.

    >>> day(date(2026, 12, 31)), day(None), day("2026-03-01")
    ('2026-12-31', '–', '2026-03-01')
    """
    return value.isoformat() if isinstance(value, date) else text(value)


# --- The assignment ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who carries out (part of) the assignment, and what they answer for."""

    name: str
    responsibility: str = ""
    organisation_kind: str = ""  # "vårdcentral", "kommun", "klinik", …


@dataclass(frozen=True)
class NeedBackground:
    """The need an assignment answers, with its health gap as the needs analysis gave it."""

    title: str
    indicator_title: str
    unit: str
    current: float | None
    desired: float | None
    gap_to_close: float | None  # positive = worse than desired
    persons: float | None
    year: int | str | None
    source: str
    target_text: str = ""
    #: The sentence from :func:`halsogap.assignments.status.gap_closing`, if computed.
    gap_closing_text: str | None = None
    #: Where it stands in the priority decision, e.g. "Rang 2 av 7, beslut 2026-02-10".
    priority_text: str | None = None
    decimals: int = 1
    #: The needs analysis the need comes from, and the need group whose gap this is.
    analysis_title: str = ""
    group: str = ""
    #: Why a figure is missing or what the group's total leaves out.
    note: str | None = None
    #: The indicator's code, which ties the need to the measures funded for it.
    indicator: str = ""


@dataclass(frozen=True)
class MeasureContent:
    title: str
    kind: str = ""
    evidence: str = ""
    source: str = ""


@dataclass(frozen=True)
class Milestone:
    when: date | str | None
    text: str
    responsible: str = ""


@dataclass(frozen=True)
class AcceptanceContent:
    """How the recipient accepts: ``form`` is contract, agreement or trust."""

    form: str
    accepted_by: str | None = None
    accepted_on: date | str | None = None


@dataclass(frozen=True)
class DecisionContent:
    """Who decided, when, and the wording of the decision."""

    body: str
    decided_on: date | str | None
    decided_by: str = ""
    wording: str = ""
    reference: str | None = None


@dataclass(frozen=True)
class AssignmentContent:
    title: str
    issuer: str
    recipients: list[Recipient] = field(default_factory=list)
    needs: list[NeedBackground] = field(default_factory=list)
    measures: list[MeasureContent] = field(default_factory=list)
    goals: list[GoalSpec] = field(default_factory=list)
    plans: list[IndicatorPlan] = field(default_factory=list)
    description: str = ""
    time_plan: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    budget: float | None = None
    budget_note: str = ""
    perspective: str = ""
    kind: str = ""
    #: True for an assignment between principals (region and kommun together).
    between_principals: bool = False
    acceptance: AcceptanceContent | None = None
    decision: DecisionContent | None = None
    reference: str | None = None
    region: str = ""
    status: str = ""
    generated_on: str = ""
    #: Follow-up gaps accepted with a reason; printed so the exception stays visible.
    waived_gaps: list[Gap] = field(default_factory=list)
    #: The priority decision the assignment rests on, cited with body, date, § and dnr.
    priority_decision: str = ""


def assignment_facts(content: AssignmentContent) -> list[tuple[str, str]]:
    """The head facts of the decision document, the same in every format.

    >>> facts = assignment_facts(AssignmentContent("Uppdrag", "Hälso- och sjukvårdsnämnden"))
    >>> facts[:3]
    [('Uppdragsgivare', 'Hälso- och sjukvårdsnämnden'), ('Diarienummer', '–'), ('Mottagare', '–')]
    """
    scope = (
        "mellan huvudmän (region och kommun)"
        if content.between_principals
        else "inom den egna organisationen"
    )
    return [
        ("Uppdragsgivare", text(content.issuer)),
        ("Diarienummer", text(content.reference)),
        ("Mottagare", text(", ".join(r.name for r in content.recipients))),
        ("Uppdragets art", scope),
        ("Typ av insats", label(MEASURE_KINDS, content.kind)),
        ("Perspektiv", label(PERSPECTIVES, content.perspective)),
        ("Tidplan", text(content.time_plan)),
        (
            "Budget",
            format_money(content.budget)
            + (f" ({content.budget_note})" if content.budget_note else ""),
        ),
        ("Status", text(content.status)),
        ("Prioriteringsbeslut", text(content.priority_decision)),
    ]


def need_notes(need: NeedBackground) -> list[str]:
    """The sentences under a need's row: its target, its priority and whether the gap closes,
    each ending with a full stop so that they read as sentences one after another.

    >>> need_notes(NeedBackground("Rökning", "Daglig rökning", "procent", 8.9, 4.0, 4.9, None,
    ...     2022, "Kolada/RKA", target_text="4,0 %", gap_closing_text="Gapet minskar."))
    ['Mål: 4,0 %.', 'Gapet minskar.']
    >>> need_notes(NeedBackground("Rökning", "Daglig rökning", "procent", 8.9, 4.0, 4.9, None,
    ...     2022, "Kolada/RKA", target_text="mål 4,0 %"))
    ['Mål 4,0 %.']
    """
    target = need.target_text or ""
    parts = [target if target.lower().startswith("mål") else f"Mål: {target}" if target else ""]
    parts += [need.priority_text or "", need.gap_closing_text or ""]
    return [
        p if p.endswith(".") else f"{p[:1].upper()}{p[1:]}."
        for p in (p.strip() for p in parts)
        if p
    ]


def need_cells(need: NeedBackground) -> list[str]:
    """One row of the need background table (see ``NEED_COLUMNS``).

    >>> need_cells(NeedBackground("Rökning, vuxna", "Daglig rökning", "procent", 5.8, 4.0, 1.8,
    ...     27540.0, 2022, "Kolada/RKA"))
    ['Rökning, vuxna', 'Daglig rökning (%)', '2022', '5,8', '4,0', '1,8', '27\xa0540']
    """
    return [
        need.title,
        f"{need.indicator_title} ({unit_label(need.unit)})"
        if need.unit and f"({unit_label(need.unit)})" not in need.indicator_title
        else need.indicator_title,
        text(need.year),
        format_number(need.current, need.decimals),
        format_number(need.desired, need.decimals),
        format_number(need.gap_to_close, need.decimals),
        format_number(need.persons, 0),
    ]


def needs_source(content: AssignmentContent) -> str:
    """The source line under the need table: every source its rows came from.

    >>> needs_source(AssignmentContent("U", "N"))
    'Källa: uppgift saknas'
    """
    sources = sorted({n.source for n in content.needs if n.source})
    return source_line("; ".join(sources) or None)


def plan_cells(plan: IndicatorPlan, goals: dict[str, GoalSpec]) -> list[str]:
    """One row of the follow-up plan table (see ``PLAN_COLUMNS``).

    >>> goal = GoalSpec("g1", "Minska rökningen")
    >>> plan = IndicatorPlan("p1", "g1", "U01402", baseline=5.8, target=4.0,
    ...     target_date=date(2028, 12, 31), polarity="lower_better", source="Kolada/RKA",
    ...     frequency="årligen", reporter="Analysenheten", indicator_title="Daglig rökning")
    >>> plan_cells(plan, {"g1": goal})[:6]
    ['Minska rökningen', 'Daglig rökning (U01402)', 'effekt', '5,8', '4,0', '2028-12-31']
    """
    goal = goals.get(plan.goal_key)
    baseline = format_number(plan.baseline)
    if plan.baseline is not None and plan.baseline_period:
        baseline += f" ({plan.baseline_period})"
    name = plan.indicator_title
    return [
        goal.text if goal else text(plan.goal_key),
        f"{name} ({plan.indicator_code})" if name else plan.indicator_code,
        ROLE_LABELS.get(plan.role, plan.role).removesuffix("indikator"),
        baseline,
        format_number(plan.target),
        day(plan.target_date),
        text(plan.source),
        text(plan.frequency),
        text(plan.reporter),
    ]


def plans_source(plans: list[IndicatorPlan]) -> str:
    """Sources of the indicators in a follow-up plan.

    >>> plans_source([IndicatorPlan("p", "g", "X", source="Kolada/RKA")])
    'Källa: Kolada/RKA'
    """
    return source_line("; ".join(sorted({p.source for p in plans if p.source})) or None)


# --- Follow-up and annual report -------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's follow-up as documents show it."""

    code: str
    title: str
    unit: str
    role: str
    baseline: float | None
    baseline_period: str | None
    target: float | None
    target_date: date | None
    latest_value: float | None
    latest_period: str | None
    status: str
    trend: str
    source: str
    explanation: str = ""
    series: list[tuple[str, float | None]] = field(default_factory=list)
    decimals: int = 1
    #: Where the values came from: the provider's reports or the indicator's source.
    origin: str = ""
    rule: str = RULE_SV
    #: The same indicator for the region and riket, beside the need group's values.
    context: str = ""

    @property
    def baseline_text(self) -> str:
        """The baseline with its period, as every table shows it: ``'5,8 (2022)'``."""
        text = format_number(self.baseline, self.decimals)
        if self.baseline is not None and self.baseline_period:
            text += f" ({self.baseline_period})"
        return text

    @property
    def latest_text(self) -> str:
        """The newest value with its period, or in words why there is none."""
        if self.latest_value is None:
            if self.baseline_period:
                return f"inget värde efter {self.baseline_period}"
            return "inget värde ännu"
        text = format_number(self.latest_value, self.decimals)
        return f"{text} ({self.latest_period})" if self.latest_period else text

    @property
    def target_text(self) -> str:
        """The target with its date: ``'4,0 (2026-12-31)'``."""
        text = format_number(self.target, self.decimals)
        if self.target is not None and self.target_date:
            text += f" ({day(self.target_date)})"
        return text

    @classmethod
    def from_status(
        cls,
        plan: IndicatorPlan,
        status: FollowUpStatus,
        *,
        series: list[tuple[str, float | None]] | None = None,
        decimals: int = 1,
        origin: str = "",
    ) -> IndicatorResult:
        """Combine a plan row and its computed status.

        >>> plan = IndicatorPlan("p1", "g1", "P1", role="process", indicator_title="Samtal")
        >>> s = FollowUpStatus("inga värden", RULE_SV, "Inga värden är rapporterade ännu.")
        >>> IndicatorResult.from_status(plan, s).status
        'inga värden'
        """
        return cls(
            plan.indicator_code,
            plan.indicator_title or plan.indicator_code,
            plan.unit,
            plan.role,
            plan.baseline,
            plan.baseline_period,
            plan.target,
            plan.target_date,
            status.latest_value,
            status.latest_period,
            status.status,
            status.trend,
            plan.source,
            status.explanation_sv,
            list(series or []),
            decimals,
            origin,
            status.rule_sv,
        )


def result_cells(result: IndicatorResult) -> list[str]:
    """One row of a result table (see ``RESULT_COLUMNS``).

    >>> r = IndicatorResult("P1", "Hälsosamtal", "antal", "process", 0.0, "2025", 400.0,
    ...     date(2026, 12, 31), 310.0, "2026K3", "i fas", "ökar och blir bättre", "Utföraren")
    >>> result_cells(r)
    ['Hälsosamtal (P1)', 'process', '0,0 (2025)', '310,0 (2026K3)', '400,0 (2026-12-31)', 'i fas', 'ökar och blir bättre']
    """
    return [
        f"{result.title} ({result.code})" if result.title != result.code else result.code,
        ROLE_LABELS.get(result.role, result.role).removesuffix("indikator"),
        result.baseline_text,
        result.latest_text,
        result.target_text,
        text(result.status),
        text(result.trend),
    ]


def results_source(results: list[IndicatorResult]) -> str:
    """Sources of the values in a result table.

    >>> results_source([])
    'Källa: uppgift saknas'
    """
    return source_line("; ".join(sorted({r.source for r in results if r.source})) or None)


def status_counts(results: list[IndicatorResult]) -> dict[str, int]:
    """Indicators per status, every status present (zero when none), best first.

    >>> status_counts([])["i fas"]
    0
    """
    counted = Counter(r.status for r in results)
    out = {s: counted.get(s, 0) for s in STATUSES}
    out.update({s: n for s, n in counted.items() if s not in out})
    return out


@dataclass(frozen=True)
class GapLine:
    """ "Is the gap closing?" for one need, with the source of the need's data."""

    need: str
    sentence: str
    source: str


@dataclass(frozen=True)
class FollowUpReportContent:
    title: str
    assignment_title: str
    issuer: str
    recipients: str
    period: str
    generated_on: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    gaps: list[GapLine] = field(default_factory=list)
    #: Provider comments: (period, author, text).
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    summary: str = ""
    rule: str = RULE_SV


@dataclass(frozen=True)
class PriorityLine:
    """A priority decision as the annual report cites it."""

    citation: str
    budget: float
    funded: float
    rationale: str = ""


ANNUAL_NEED_COLUMNS = ["Behov", "Mål", "År", "Nuvärde", "Målvärde", "Gap kvar", "Sluts gapet?"]


def annual_need_cells(need: NeedBackground) -> list[str]:
    """One row of the annual report's needs table.

    >>> annual_need_cells(NeedBackground("Rökning, Länet", "Daglig rökning", "procent", 5.8,
    ...     4.0, 1.8, None, 2022, "Kolada/RKA", target_text="mål 4,0 %",
    ...     gap_closing_text="Gapet minskar."))
    ['Rökning, Länet', 'mål 4,0 %', '2022', '5,8', '4,0', '1,8', 'Gapet minskar.']
    """
    return [
        need.title,
        text(need.target_text),
        text(need.year),
        format_number(need.current, need.decimals),
        format_number(need.desired, need.decimals),
        format_number(need.gap_to_close, need.decimals),
        text(need.gap_closing_text or need.note),
    ]


@dataclass(frozen=True)
class AnnualAssignment:
    key: str
    title: str
    recipient: str
    need: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    comment: str = ""


@dataclass(frozen=True)
class AnnualReportContent:
    """Årsredovisning: goal fulfilment of ``year`` over many assignments."""

    title: str
    region: str
    year: int
    generated_on: str
    assignments: list[AnnualAssignment] = field(default_factory=list)
    introduction: str = ""
    author: str | None = None
    rule: str = RULE_SV
    #: The needs of the year's analysis with their targets and whether each gap is closing.
    needs: list[NeedBackground] = field(default_factory=list)
    #: The priority decisions in force, each as "citation – budget, funded" lines.
    decisions: list[PriorityLine] = field(default_factory=list)

    @property
    def results(self) -> list[IndicatorResult]:
        return [r for a in self.assignments for r in a.indicators]

    def counts(self, role: str | None = None) -> dict[str, int]:
        """Indicators per status over all assignments (only ``role`` when given).

        >>> AnnualReportContent("Å", "Region X", 2026, "").counts()["målet nått"]
        0
        """
        return status_counts([r for r in self.results if role is None or r.role == role])


def annual_source(content: AnnualReportContent) -> str:
    """The source of the summary tables and charts: the system and the indicators' sources.

    >>> annual_source(AnnualReportContent("Å", "Region X", 2026, ""))
    'Källa: Hälsogap, uppföljningsplaner och rapporterade värden'
    """
    sources = sorted({r.source for r in content.results if r.source})
    return source_line("; ".join([SYSTEM_SOURCE, *sources]))
