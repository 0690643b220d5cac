"""The "uppföljningsbar" check: can this assignment be followed up once it is decided?

The source documents ask that the follow-up be planned when the assignment is written, and that
both activities and effects can be followed. An assignment with gaps may not go to decision
until each gap is closed or explicitly waived with a reason, so the check returns every gap as
a :class:`Gap` with a stable :attr:`Gap.key` that a waiver refers to.

The rules, one gap code each (:data:`GAP_CODES`):

* ``no_goals`` – the assignment has no goal at all;
* ``no_effect_indicator`` – no effect indicator anywhere (activities alone are not enough);
* ``goal_without_effect_indicator`` – a long-term goal with no effect indicator;
* ``goal_without_process_indicator`` – a short-term (activity) goal with no process indicator;
* ``unknown_goal`` – an indicator plan pointing at a goal that does not exist;
* ``missing_baseline``, ``missing_target``, ``missing_target_date``, ``missing_source``,
  ``missing_reporter`` – a plan lacking that field;
* ``missing_polarity`` – a plan whose indicator says neither higher nor lower is better, so no
  status can be judged;
* ``target_contradicts_polarity`` – the target is worse than the baseline in the indicator's
  own direction (e.g. a higher smoking rate as the target).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from halsogap.numbers import decimals_for, format_number
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER, normalise_polarity

GOAL_KINDS = ("long", "short")
ROLES = ("effect", "process")
GOAL_KIND_LABELS = {"long": "långsiktigt mål", "short": "kortsiktigt mål"}
ROLE_LABELS = {"effect": "effektindikator", "process": "processindikator"}

GAP_CODES = (
    "no_goals",
    "no_effect_indicator",
    "goal_without_effect_indicator",
    "goal_without_process_indicator",
    "unknown_goal",
    "missing_baseline",
    "missing_target",
    "missing_target_date",
    "missing_source",
    "missing_reporter",
    "missing_polarity",
    "target_contradicts_polarity",
)
#: The assignment itself is the subject of assignment-wide gaps.
ASSIGNMENT = "uppdraget"


@dataclass(frozen=True)
class GoalSpec:
    """A goal of the assignment: ``kind`` is "long" (effect) or "short" (activities)."""

    key: str
    text: str
    kind: str = "long"


@dataclass(frozen=True)
class IndicatorPlan:
    """One row of the follow-up plan: what is measured for which goal, from what, to what, when.

    ``role`` is "effect" (health effect, result) or "process" (activity). ``polarity`` is
    ``higher_better`` or ``lower_better`` (the spellings ``high_is_good``/``low_is_good`` also
    work). ``frequency`` is free text ("årligen", "kvartalsvis"); ``reporter`` names who reports.
    """

    key: str
    goal_key: str
    indicator_code: str
    role: str = "effect"
    baseline: float | None = None
    baseline_period: str | None = None
    target: float | None = None
    target_date: date | None = None
    polarity: str = "none"
    source: str = ""
    frequency: str = ""
    reporter: str = ""
    #: The indicator's name and unit, for documents and messages (the code is used when empty).
    indicator_title: str = ""
    unit: str = ""
    #: How values add up against the target, and the kind of period they are reported per
    #: (:mod:`halsogap.assignments.activity`).
    aggregation: str = "latest"
    period_kind: str = ""
    #: The indicator's own number of decimals; None reads it from the unit.
    precision: int | None = None

    @property
    def decimals(self) -> int:
        return decimals_for(self.unit, precision=self.precision)

    @property
    def name(self) -> str:
        """The indicator as a reader knows it.

        >>> IndicatorPlan("p1", "g1", "U01402").name
        'U01402'
        """
        return self.indicator_title or self.indicator_code


@dataclass(frozen=True)
class Gap:
    """Something missing before the assignment can be followed up."""

    code: str
    message_sv: str
    subject_key: str
    waived: bool = False
    waiver_reason: str | None = None

    @property
    def key(self) -> str:
        """What a waiver refers to: code and subject, stable across edits of the text.

        >>> Gap("missing_target", "…", "p1").key
        'missing_target:p1'
        """
        return f"{self.code}:{self.subject_key}"


def _plan_label(plan: IndicatorPlan) -> str:
    return f"{ROLE_LABELS.get(plan.role, plan.role).capitalize()} {plan.name!r}"


def _blank(value: str | None) -> bool:
    return value is None or not str(value).strip()


def _contradicts(plan: IndicatorPlan, polarity: str) -> bool:
    # Equal target and baseline is allowed: holding a good level can be a goal in itself.
    if plan.baseline is None or plan.target is None:
        return False
    if polarity == HIGHER_BETTER:
        return plan.target < plan.baseline
    if polarity == LOWER_BETTER:
        return plan.target > plan.baseline
    return False


def _plan_gaps(plan: IndicatorPlan) -> list[Gap]:
    label = _plan_label(plan)
    gaps: list[Gap] = []

    def add(code: str, message: str) -> None:
        gaps.append(Gap(code, message, plan.key))

    if plan.baseline is None:
        add("missing_baseline", f"{label} saknar utgångsvärde.")
    if plan.target is None:
        add("missing_target", f"{label} saknar målvärde.")
    if plan.target_date is None:
        add("missing_target_date", f"{label} saknar måldatum.")
    if _blank(plan.source):
        add("missing_source", f"{label} saknar källa (var värdena hämtas).")
    if _blank(plan.reporter):
        add("missing_reporter", f"{label} saknar vem som rapporterar.")
    try:
        polarity = normalise_polarity(plan.polarity)
    except ValueError:
        polarity = "none"
    if polarity not in (HIGHER_BETTER, LOWER_BETTER):
        add(
            "missing_polarity",
            f"{label} saknar riktning (om högre eller lägre är bättre), så måluppfyllelsen "
            "kan inte bedömas.",
        )
    elif _contradicts(plan, polarity):
        better = "högre" if polarity == HIGHER_BETTER else "lägre"
        worse = "lägre" if polarity == HIGHER_BETTER else "högre"
        add(
            "target_contradicts_polarity",
            f"{label}: målvärdet {format_number(plan.target, decimals=1)} är {worse} än "
            f"utgångsvärdet {format_number(plan.baseline, decimals=1)}, men för indikatorn är "
            f"{better} värden bättre. Målet pekar åt fel håll.",
        )
    return gaps


def check_followable(
    goals: Sequence[GoalSpec],
    plans: Sequence[IndicatorPlan],
    *,
    waivers: Mapping[str, str] | None = None,
) -> list[Gap]:
    """Every gap in the follow-up plan, goal by goal then plan by plan, waivers applied.

    ``waivers`` maps a :attr:`Gap.key` to the reason it is accepted; a waiver with a blank
    reason does not count (a reason is what makes the exception reviewable). Waivers for keys
    that no longer match a gap are ignored.

    >>> goals = [GoalSpec("g1", "Minska daglig rökning", "long")]
    >>> plans = [IndicatorPlan("p1", "g1", "U01402", baseline=5.8, baseline_period="2022",
    ...     target=4.0, target_date=None, polarity="lower_better", source="Kolada/RKA",
    ...     frequency="årligen", reporter="Analysenheten")]
    >>> gaps = check_followable(goals, plans)
    >>> [(g.key, g.message_sv) for g in gaps]
    [('missing_target_date:p1', "Effektindikator 'U01402' saknar måldatum.")]
    >>> is_followable(gaps)
    False
    >>> waived = check_followable(goals, plans,
    ...     waivers={"missing_target_date:p1": "Sätts i dialogen med utföraren i mars."})
    >>> is_followable(waived), waived[0].waived
    (True, True)
    """
    waivers = dict(waivers or {})
    for goal in goals:
        if goal.kind not in GOAL_KINDS:
            raise ValueError(
                f"goal {goal.key!r}: kind must be 'long' or 'short', not {goal.kind!r}"
            )
    for plan in plans:
        if plan.role not in ROLES:
            raise ValueError(f"plan {plan.key!r}: role must be 'effect' or 'process'")

    gaps: list[Gap] = []
    if not goals:
        gaps.append(Gap("no_goals", "Uppdraget har inga mål.", ASSIGNMENT))
    if not any(p.role == "effect" for p in plans):
        gaps.append(
            Gap(
                "no_effect_indicator",
                "Uppföljningsplanen saknar effektindikator: bara aktiviteter följs upp, inte "
                "om hälsan förbättras.",
                ASSIGNMENT,
            )
        )
    roles_by_goal: dict[str, set[str]] = {}
    for plan in plans:
        roles_by_goal.setdefault(plan.goal_key, set()).add(plan.role)
    for goal in goals:
        roles = roles_by_goal.get(goal.key, set())
        if goal.kind == "long" and "effect" not in roles:
            gaps.append(
                Gap(
                    "goal_without_effect_indicator",
                    f"Det långsiktiga målet {goal.text!r} saknar effektindikator.",
                    goal.key,
                )
            )
        if goal.kind == "short" and "process" not in roles:
            gaps.append(
                Gap(
                    "goal_without_process_indicator",
                    f"Det kortsiktiga målet {goal.text!r} saknar processindikator för "
                    "aktiviteterna.",
                    goal.key,
                )
            )
    known = {g.key for g in goals}
    for plan in plans:
        if plan.goal_key not in known:
            gaps.append(
                Gap(
                    "unknown_goal",
                    f"{_plan_label(plan)} hör till ett mål som inte finns ({plan.goal_key!r}).",
                    plan.key,
                )
            )
        gaps.extend(_plan_gaps(plan))
    return [_apply_waiver(g, waivers) for g in gaps]


def _apply_waiver(gap: Gap, waivers: Mapping[str, str]) -> Gap:
    reason = waivers.get(gap.key)
    if reason is None or not reason.strip():
        return gap
    return replace(gap, waived=True, waiver_reason=reason.strip())


def is_followable(gaps: Iterable[Gap]) -> bool:
    """True when no gap is left open: every gap is closed or waived with a reason.

    >>> is_followable([])
    True
    >>> is_followable([Gap("missing_target", "…", "p1", waived=True, waiver_reason="")])
    False
    """
    return all(g.waived and not _blank(g.waiver_reason) for g in gaps)


def open_gaps(gaps: Iterable[Gap]) -> list[Gap]:
    """The gaps that still stop the assignment from going to decision.

    >>> open_gaps([Gap("a", "x", "p1"), Gap("b", "y", "p1", True, "skäl")])[0].code
    'a'
    """
    return [g for g in gaps if not (g.waived and not _blank(g.waiver_reason))]
