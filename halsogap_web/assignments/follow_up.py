"""An assignment's follow-up and need backgrounds, read through the evidence reader and composed
by the core: the one source of the follow-up page, its documents, the annual report and the
stored statuses of the region overview."""

from __future__ import annotations

import polars as pl
from django.utils import timezone

from halsogap.assignments.documents import FollowUpReportContent, IndicatorResult, NeedBackground
from halsogap.assignments.follow_up import compose_follow_up, indicator_results, need_background
from halsogap.needs.groups import group_series
from halsogap.numbers import format_number
from halsogap_web import evidence

from .models import Assignment, PlanIndicator

#: How version differences name the fields of an assignment.
FIELD_LABELS = {
    "title": "Rubrik",
    "description": "Beskrivning",
    "time_plan": "Tidplan",
    "budget": "Budget",
    "perspective": "Perspektiv",
    "kind": "Typ av insats",
    "between_principals": "Mellan huvudmän",
    "partner_principal": "Samverkande huvudman",
    "goals": "Mål",
    "plan": "Uppföljningsplan",
    "recipients": "Mottagare",
    "milestones": "Delmål",
    "step": "Steg",
    "aggregation": "Värdena räknas som",
    "baseline": "Utgångsvärde",
    "target": "Målvärde",
    "target_date": "Måldatum",
}


def need_group_of(assignment: Assignment):
    """The need group whose gap the assignment answers: its own, else its need's first."""
    if assignment.need_group_id:
        return assignment.need_group
    need = assignment.needs.select_related("analysis").first()
    return need.analysis.need_groups.first() if need else None


def _latest_text(frame, decimals: int) -> str:
    shown = frame.drop_nulls("value").sort("period")
    if shown.height == 0:
        return "–"
    return f"{format_number(shown['value'][-1], decimals)} ({shown['period'][-1]})"


def plan_series(plans, region, *, user=None):
    """Each line's values, where they came from, and the region and riket beside them.

    An effect line of an assignment that answers a need group follows that group: its
    population-weighted value per year, so that the follow-up tells whether *the group's* gap
    closes. The region and riket are shown as context; where the group's value cannot be
    formed, the origin says why.
    """
    plans = list(plans)
    series, origins = evidence.plan_series(plans, region=region, user=user)
    contexts: dict[str, str] = {}
    effect = [
        p
        for p in plans
        if p.role == PlanIndicator.Role.EFFECT and origins.get(str(p.pk)) != evidence.REPORTED
    ]
    if not effect:
        return series, origins, contexts
    data = evidence.needs_data(user, region=region)
    around = evidence.observations(
        user,
        [p.indicator for p in effect],
        region=region,
        areas=[region.area.code, evidence.RIKET],
        totals=True,
    )
    groups: dict[int, object] = {}
    for plan in effect:
        key, decimals = str(plan.pk), plan.indicator.decimals
        part = around.filter(pl.col("indicator") == plan.indicator.code)
        contexts[key] = (
            f"{region}: {_latest_text(part.filter(pl.col('area') == region.area.code), decimals)}"
            f"; riket: {_latest_text(part.filter(pl.col('area') == evidence.RIKET), decimals)}"
        )
        if plan.assignment_id not in groups:
            groups[plan.assignment_id] = need_group_of(plan.assignment)
        group = groups[plan.assignment_id]
        if group is None or group.area_rule == group.AreaRule.REGION:
            continue
        frame, why = group_series(data, group.to_spec(), indicator=plan.indicator.code)
        if plan.baseline_period:
            frame = frame.filter(pl.col("period") > plan.baseline_period)
        series[key] = frame
        origins[key] = (
            f"Behovsgruppen {group.name}, befolkningsviktat. Källa: {plan.indicator.source_line}"
            if why is None
            else f"Behovsgruppens värde kan inte bildas: {why}."
        )
    return series, origins, contexts


def plan_results(plans, region, *, user=None, today=None) -> dict[int, IndicatorResult]:
    """Each plan line's follow-up as the core composes it, keyed by the line's pk."""
    plans = list(plans)
    series, origins, contexts = plan_series(plans, region, user=user)
    results = indicator_results(
        [p.to_spec() for p in plans],
        series,
        origins=origins,
        contexts=contexts,
        today=today or timezone.localdate(),
    )
    return {p.pk: r for p, r in zip(plans, results, strict=True)}


def store_statuses(results: dict[int, IndicatorResult]) -> None:
    """Keep each line's status for the region overview, which never recomputes hundreds."""
    now = timezone.now()
    for pk, result in results.items():
        PlanIndicator.objects.filter(pk=pk).exclude(status=result.status).update(
            status=result.status, status_updated=now
        )


def need_backgrounds(assignment: Assignment, user=None) -> list[NeedBackground]:
    """Each linked need with its need group's gap and whether it is closing."""
    needs = list(assignment.needs.select_related("analysis__region__area", "indicator"))
    if not needs:
        return []
    data = evidence.needs_data(user, region=assignment.region)
    out = []
    for need in needs:
        group = assignment.need_group or need.analysis.need_groups.first()
        spec = group.to_spec() if group else _region_group(assignment)
        out.append(need_background(data, spec, need.to_spec(), analysis_title=need.analysis.title))
    return out


def _region_group(assignment: Assignment):
    from halsogap.needs.specs import NeedGroupSpec

    return NeedGroupSpec(
        "region",
        str(assignment.region),
        region=assignment.region.area.code,
        region_name=str(assignment.region),
        area_rule="region",
    )


def follow_up_content(assignment: Assignment, user=None) -> FollowUpReportContent:
    """The follow-up of one assignment for its page and its documents."""
    plans = list(assignment.plan_indicators.select_related("indicator", "reporter", "assignment"))
    series, origins, contexts = plan_series(plans, assignment.region, user=user)
    content = compose_follow_up(
        title=assignment.title,
        issuer=str(assignment.issuer),
        recipients=", ".join(str(r.organisation) for r in assignment.recipients.all()),
        plans=[p.to_spec() for p in plans],
        series=series,
        origins=origins,
        contexts=contexts,
        backgrounds=need_backgrounds(assignment, user),
        comments=evidence.provider_comments(plans),
        today=timezone.localdate(),
    )
    store_statuses({p.pk: r for p, r in zip(plans, content.indicators, strict=True)})
    return content


def fill_baseline_from_data(plan: PlanIndicator, assignment: Assignment) -> None:
    """Take the baseline from the latest shown value when the analyst left it empty: the need
    group's for an effect line of an assignment that answers a group, else the region's."""
    region = assignment.region
    group = need_group_of(assignment) if plan.role == PlanIndicator.Role.EFFECT else None
    latest = None
    if group is not None and group.area_rule != group.AreaRule.REGION:
        frame, _why = group_series(
            evidence.needs_data(None, region=region), group.to_spec(), indicator=plan.indicator.code
        )
        frame = frame.drop_nulls("value")
        latest = (frame["period"][-1], frame["value"][-1]) if frame.height else None
    if latest is None:
        latest = evidence.latest_value(None, plan.indicator, region.area.code, region=region)
    if latest:
        plan.baseline_period, plan.baseline = latest
        plan.source = plan.source or plan.indicator.source_line
