"""An assignment's follow-up and need backgrounds, read through the evidence reader and composed
by the core: the one source of the follow-up page, its documents, the annual report and the
stored statuses of the region overview."""

from __future__ import annotations

from django.utils import timezone

from halsogap.assignments.documents import FollowUpReportContent, IndicatorResult, NeedBackground
from halsogap.assignments.follow_up import compose_follow_up, indicator_results, need_background
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
}


def plan_results(plans, region, *, user=None, today=None) -> dict[int, IndicatorResult]:
    """Each plan line's follow-up as the core composes it, keyed by the line's pk."""
    plans = list(plans)
    series, origins = evidence.plan_series(plans, region=region, user=user)
    results = indicator_results(
        [p.to_spec() for p in plans],
        series,
        origins=origins,
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
    plans = list(assignment.plan_indicators.select_related("indicator", "reporter"))
    series, origins = evidence.plan_series(plans, region=assignment.region, user=user)
    content = compose_follow_up(
        title=assignment.title,
        issuer=str(assignment.issuer),
        recipients=", ".join(str(r.organisation) for r in assignment.recipients.all()),
        plans=[p.to_spec() for p in plans],
        series=series,
        origins=origins,
        backgrounds=need_backgrounds(assignment, user),
        comments=evidence.provider_comments(plans),
        today=timezone.localdate(),
    )
    store_statuses({p.pk: r for p, r in zip(plans, content.indicators, strict=True)})
    return content


def fill_baseline_from_data(plan: PlanIndicator, region) -> None:
    """Take the baseline from the region's latest shown value when the analyst left it empty."""
    latest = evidence.latest_value(None, plan.indicator, region.area.code, region=region)
    if latest:
        plan.baseline_period, plan.baseline = latest
        plan.source = plan.source or plan.indicator.source_line
