"""The trace of one need, from the gap to the results, as a politician reads it without clicking.

:func:`compose_trace` puts together what the other links composed: the need group's gap and
whether it closes (a :class:`~halsogap.assignments.documents.NeedBackground`), the need's rank
in the priority decision with its rationale and weights, the funded measures and their budget,
the assignments that answer it with their step and acceptance, and each indicator's results
against its target line. :func:`process_steps` says where the need stands in the seeds' seven
steps. The page and its one-page PDF render :class:`TraceContent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from halsogap.assignments.documents import IndicatorResult, NeedBackground, result_cells
from halsogap.charts import line_chart_svg
from halsogap.numbers import format_money, format_number, gap_unit, unit_label
from halsogap.periods import period_year
from halsogap.priorities.decision import DecisionContent

#: The seeds' seven steps of steering, each with what shows it is done.
STEPS = (
    ("Underlag", "tjänstepersoner tar fram underlag om befolkningens hälsa och behov"),
    ("Politisk prioritering", "förtroendevalda sätter målet och prioriterar behovet"),
    ("Dialog", "politiker och tjänstepersoner skapar en gemensam bild"),
    ("Utkast", "tjänstepersoner skriver ett utkast till uppdrag"),
    ("Dialog om utkastet", "dialog med utföraren om uppdraget"),
    ("Beslut", "uppdraget beslutas"),
    ("Uppföljning", "aktiviteter och effekter följs upp"),
)
DONE, CURRENT, UPCOMING = "klart", "pågår", "kommer"


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    description: str
    state: str
    evidence: str = ""
    url: str = ""


def process_steps(
    *,
    has_gap: bool,
    target_approved: bool,
    prioritised: bool,
    dialogue: int,
    assignment_steps: Sequence[str],
    reported: bool,
    links: dict[int, str] | None = None,
) -> list[Step]:
    """Where the need stands in the seven steps, from what has happened.

    ``assignment_steps`` are the steps of the assignments answering the need (``draft``,
    ``dialogue``, ``proposal``, ``decision``, ``acceptance``, ``follow_up``, ``closed``);
    ``dialogue`` counts the comments on the need. The first step not done is the current one.

    >>> [s.state for s in process_steps(has_gap=True, target_approved=True, prioritised=True,
    ...     dialogue=2, assignment_steps=["dialogue"], reported=False)]
    ['klart', 'klart', 'klart', 'klart', 'pågår', 'kommer', 'kommer']
    """
    order = ["draft", "dialogue", "proposal", "decision", "acceptance", "follow_up", "closed"]
    furthest = max((order.index(s) for s in assignment_steps if s in order), default=-1)
    done = [
        has_gap,
        target_approved and prioritised,
        dialogue > 0 or furthest >= 0,
        furthest >= 0,
        furthest >= order.index("proposal"),
        furthest >= order.index("decision"),
        reported and furthest >= order.index("acceptance"),
    ]
    evidence = [
        "behovsgruppens gap är beräknat" if has_gap else "gapet saknas",
        ("målet är fastställt" if target_approved else "målet är inte fastställt")
        + (", behovet finns i prioriteringsbeslutet" if prioritised else ""),
        f"{dialogue} inlägg i dialogen" if dialogue else "",
        "uppdrag finns" if furthest >= 0 else "",
        "",
        "",
        "värden är rapporterade" if reported else "",
    ]
    steps, current_found = [], False
    for i, ((title, description), ok) in enumerate(zip(STEPS, done, strict=True), start=1):
        if ok:
            state = DONE
        elif not current_found:
            state, current_found = CURRENT, True
        else:
            state = UPCOMING
        steps.append(Step(i, title, description, state, evidence[i - 1], (links or {}).get(i, "")))
    return steps


@dataclass(frozen=True)
class TraceAssignment:
    title: str
    step: str
    acceptance: str
    recipients: str
    url: str = ""
    budget: float | None = None


@dataclass(frozen=True)
class TraceContent:
    title: str
    need: NeedBackground
    optimal_text: str | None
    chart_svg: str
    steps: list[Step]
    rank_text: str
    decision: DecisionContent | None
    #: The short rank, "2 av 5", or in words why there is none.
    rank_short: str = "inte prioriterat"
    funded: list[dict] = field(default_factory=list)
    assignments: list[TraceAssignment] = field(default_factory=list)
    results: list[IndicatorResult] = field(default_factory=list)
    dialogue: list[tuple[str, str, str, str]] = field(default_factory=list)
    generated_on: str = ""

    @property
    def funded_cost(self) -> float:
        return float(sum(f.get("cost") or 0.0 for f in self.funded))

    @property
    def gap_text(self) -> str:
        """The gap in one sentence (:func:`gap_sentence`)."""
        return gap_sentence(self.need)

    @property
    def line(self) -> TraceLine:
        """The trace in one line, as the region overview lists each need."""
        step = next((s for s in self.steps if s.state == CURRENT), None)
        if step is None and self.steps and all(s.state == DONE for s in self.steps):
            step = self.steps[-1]
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        return TraceLine(
            need=self.need.indicator_title,
            group=self.need.group,
            gap=self.gap_text,
            rank=self.rank_short,
            budget=format_money(self.funded_cost) if self.funded else "ingen budget",
            assignments=(
                "; ".join(f"{a.title} ({a.step})" for a in self.assignments) or "inget uppdrag"
            ),
            results=" · ".join(f"{s}: {n}" for s, n in counts.items()) or "inga indikatorer",
            step=f"{step.number}. {step.title}" if step else "",
        )


@dataclass(frozen=True)
class TraceLine:
    """One need on the region overview: the trace's parts in words, each column one text."""

    need: str
    group: str
    gap: str
    rank: str
    budget: str
    assignments: str
    results: str
    step: str


def _target_line(results: Sequence[IndicatorResult], unit: str) -> list[tuple[str, float]]:
    """The planned path of the first effect indicator in the need's unit: baseline → target."""
    for r in results:
        if r.role != "effect" or r.baseline is None or r.target is None or not r.target_date:
            continue
        if r.unit != unit:
            continue
        start = period_year(r.baseline_period) if r.baseline_period else None
        end = r.target_date.year
        if start is None or end <= start:
            continue
        return [
            (str(y), r.baseline + (r.target - r.baseline) * (y - start) / (end - start))
            for y in range(start, end + 1)
        ]
    return []


def compose_trace(
    *,
    need: NeedBackground,
    history: Sequence[tuple[str, float | None]],
    riket: Sequence[tuple[str, float | None]] = (),
    optimal: tuple[str | None, float | None] = (None, None),
    steps: list[Step],
    decision: DecisionContent | None = None,
    assignments: Sequence[TraceAssignment] = (),
    results: Sequence[IndicatorResult] = (),
    dialogue: Sequence[tuple[str, str, str, str]] = (),
    generated_on: str = "",
) -> TraceContent:
    """The whole trace of one need for one need group (see the module docstring).

    ``history`` is the group's value per year; ``optimal`` the optimal state's description and
    value. The chart shows the group's values, riket, the political target, the optimal state
    and the first effect indicator's target line.

    >>> b = NeedBackground("Rökning, Länet", "Daglig rökning", "procent", 5.8, 4.0, 1.8, 27540.0,
    ...     2022, "Kolada/RKA", group="Länet")
    >>> t = compose_trace(need=b, history=[("2021", 6.0), ("2022", 5.8)], steps=[])
    >>> t.title, t.rank_text
    ('Spåret: Daglig rökning, Länet', 'Behovet finns inte i något prioriteringsbeslut ännu.')
    >>> t.line.rank, t.line.budget, t.line.assignments
    ('inte prioriterat', 'ingen budget', 'inget uppdrag')
    """
    rank_text = "Behovet finns inte i något prioriteringsbeslut ännu."
    rank_short = "inte prioriterat"
    funded: list[dict] = []
    if decision is not None:
        name = f"{need.group}: {need.indicator_title}"
        entry = next((r for r in decision.ranking if r.get("need") == name), None)
        if entry is not None:
            rank_text = (
                f"Rang {entry['rank']} av {len(decision.ranking)} i {decision.citation} "
                f"(väger tyngst: {entry.get('main_criterion') or '–'})."
            )
            rank_short = f"{entry['rank']} av {len(decision.ranking)}"
        else:
            rank_text = f"Behovet rangordnades inte i {decision.citation}."
        # A measure is the need's when funded for its group and its indicator; decisions
        # recorded before the indicator was stored match on the group alone.
        funded = [
            a
            for a in decision.allocation
            if a.get("need_group") == need.group
            and a.get("indicator") in (None, need.indicator or a.get("indicator"))
        ]
    years = [p for p, _ in history] or [p for p, _ in riket]
    series: dict[str, list] = {need.group or "Behovsgruppen": list(history)}
    if riket:
        series["Riket"] = list(riket)
    if need.desired is not None and years:
        series["Politiskt mål"] = [(y, need.desired) for y in years]
    if optimal[1] is not None and years:
        series["Optimalt läge"] = [(y, optimal[1]) for y in years]
    line = _target_line(results, need.unit)
    if line:
        series["Mållinje i uppdraget"] = line
    chart = line_chart_svg(
        series,
        title=f"{need.indicator_title}: {need.group}",
        unit=need.unit,
        decimals=need.decimals,
    )
    return TraceContent(
        title=f"Spåret: {need.indicator_title}, {need.group}",
        need=need,
        optimal_text=optimal[0],
        chart_svg=chart,
        steps=steps,
        rank_text=rank_text,
        decision=decision,
        rank_short=rank_short,
        funded=funded,
        assignments=list(assignments),
        results=list(results),
        dialogue=list(dialogue),
        generated_on=generated_on,
    )


def gap_sentence(need: NeedBackground) -> str:
    """The gap in one sentence: now, target, gap and persons.

    >>> gap_sentence(NeedBackground("R", "Daglig rökning", "procent", 5.8, 4.0, 1.8, 27540.0,
    ...     2022, "Kolada/RKA"))
    'Nu 5,8\\xa0% (2022), mål 4,0\\xa0%: 1,8 procentenheter kvar, cirka 27\\xa0540 personer.'
    """
    if need.current is None:
        return need.note or "Behovsgruppens värde kan inte bildas."
    # A no-break space keeps "68,1 %" on one line.
    unit = f"\u00a0{unit_label(need.unit)}" if unit_label(need.unit) else ""
    text = (
        f"Nu {format_number(need.current, need.decimals)}{unit} ({need.year}), "
        f"mål {format_number(need.desired, need.decimals)}{unit}"
    )
    if need.gap_to_close is not None:
        if need.gap_to_close <= 0:
            text += ": målet är nått"
        else:
            text += (
                f": {format_number(need.gap_to_close, need.decimals)} {gap_unit(need.unit)} kvar"
            )
    if need.persons:
        text += f", cirka {format_number(need.persons, 0)} personer"
    return text + "."


def render_trace_html(content: TraceContent) -> str:
    """The trace as one page of Swedish HTML (the source of the PDF)."""
    from halsogap.reports.needs_analysis import CSS

    def table(header, rows, empty, css=""):
        if not rows:
            return f"<p>{escape(empty)}</p>"
        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
        )
        return f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    need = content.need
    # The steps carry their own numbers, as on the page, so the list is not numbered again.
    steps = " · ".join(
        f"<span class='{escape(s.state)}'><strong>{s.number}. {escape(s.title)}</strong>: "
        f"{escape(s.state)}{' – ' + escape(s.evidence) if s.evidence else ''}</span>"
        for s in content.steps
    )
    decision = content.decision
    weights = (
        ", ".join(f"{label} {format_number(share, 0)} %" for label, share in decision.weights)
        if decision
        else "–"
    )
    parts = [
        f"<h1>{escape(content.title)}</h1>",
        f"<p>{escape(content.gap_text)} {escape(need.gap_closing_text or '')}</p>",
        content.chart_svg,
        f"<p class='source'>Källa: {escape(need.source)}</p>",
        f"<p><strong>Optimalt läge:</strong> {escape(content.optimal_text or '–')}</p>",
        f"<h2>Prioritering</h2><p>{escape(content.rank_text)}</p>",
        f"<p><strong>Motivering:</strong> {escape(decision.rationale if decision else '–')}</p>",
        f"<p><strong>Vikter:</strong> {escape(weights)}</p>",
        "<h2>Finansierade åtgärder</h2>",
        table(
            ["Åtgärd", "Behovsgrupp", "Kostnad"],
            [
                [
                    f.get("title") or f.get("measure"),
                    f.get("need_group"),
                    format_money(f.get("cost")),
                ]
                for f in content.funded
            ],
            "Ingen åtgärd är finansierad för behovsgruppen i beslutet.",
            css="funded",
        ),
        "<h2>Uppdrag som svarar mot behovet</h2>",
        table(
            ["Uppdrag", "Steg", "Accepterat", "Mottagare"],
            [[a.title, a.step, a.acceptance, a.recipients] for a in content.assignments],
            "Inget uppdrag svarar mot behovet ännu.",
        ),
        "<h2>Resultat mot mållinjen</h2>",
        table(
            ["Indikator", "Typ", "Utgångsvärde", "Senaste värde", "Målvärde", "Status", "Trend"],
            [result_cells(r) for r in content.results],
            "Inga indikatorer följs upp ännu.",
        ),
        f"<h2>Processen</h2><p class='steps'>{steps}</p>",
        f"<p class='source'>Framtagen {escape(content.generated_on)} i Hälsogap.</p>",
    ]
    return (
        f'<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>'
        f"{escape(content.title)}</title><style>{CSS}\n@page {{ size: A4; margin: 1cm 1.2cm; }}"
        " body { font-size: 8.5pt; } svg { max-height: 5.6cm; } h1 { font-size: 14pt; }"
        " h2 { font-size: 10.5pt; margin: 0.5em 0 0.2em; } table { font-size: 8pt; }"
        " td { padding: 2px 4px; } .funded td:last-child { white-space: nowrap; }"
        " p { margin: 0.3em 0; }"
        "</style></head><body>" + "".join(parts) + "</body></html>"
    )


def render_trace_pdf(content: TraceContent) -> bytes:
    """The trace as a one-page A4 PDF (a second page only when there are many assignments).

    >>> b = NeedBackground("R", "Daglig rökning", "procent", 5.8, 4.0, 1.8, None, 2022, "Kolada")
    >>> render_trace_pdf(compose_trace(need=b, history=[], steps=[]))[:4]
    b'%PDF'
    """
    from weasyprint import HTML

    return HTML(string=render_trace_html(content)).write_pdf()
