"""Assignment glue: snapshots for versions, the follow-up check, and status per indicator."""

from __future__ import annotations

import polars as pl
from django.db import transaction
from django.utils import timezone

from halsogap.assignments.followable import GoalSpec, IndicatorPlan, check_followable
from halsogap.assignments.status import follow_up_status
from halsogap_web.observations.models import Observation

from .models import Assignment, AssignmentVersion

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


def snapshot(assignment: Assignment) -> dict:
    """Everything a version keeps, as plain values that compare and diff."""
    return {
        "title": assignment.title,
        "description": assignment.description,
        "time_plan": assignment.time_plan,
        "budget": assignment.budget,
        "perspective": assignment.perspective,
        "kind": assignment.kind,
        "between_principals": assignment.between_principals,
        "partner_principal": assignment.partner_principal,
        "step": assignment.step,
        "recipients": sorted(
            f"{r.organisation}: {r.responsibility}" for r in assignment.recipients.all()
        ),
        "goals": [f"{g.get_kind_display()}: {g.text}" for g in assignment.goals.all()],
        "milestones": [f"{m.due_on}: {m.text}" for m in assignment.milestones.all()],
        "plan": [
            f"{p.indicator.code} ({p.role}) {p.baseline}→{p.target} {p.target_date or ''}"
            for p in assignment.plan_indicators.select_related("indicator")
        ],
    }


@transaction.atomic
def record_version(assignment: Assignment, user) -> AssignmentVersion | None:
    """Store a new version when anything changed since the last one."""
    current = snapshot(assignment)
    last = assignment.versions.first()
    if last is not None and last.snapshot == current:
        return None
    number = (last.number + 1) if last else 1
    Assignment.objects.filter(pk=assignment.pk).update(version=number)
    return AssignmentVersion.objects.create(
        assignment=assignment, number=number, snapshot=current, changed_by=user
    )


def followable_gaps(assignment: Assignment):
    goals = [GoalSpec(str(g.pk), g.text, g.kind) for g in assignment.goals.all()]
    plans = [
        IndicatorPlan(
            key=str(p.pk),
            goal_key=str(p.goal_id or ""),
            indicator_code=p.indicator.code,
            role=p.role,
            baseline=p.baseline,
            baseline_period=p.baseline_period or None,
            target=p.target,
            target_date=p.target_date,
            polarity=p.indicator.polarity,
            source=p.source,
            frequency=p.frequency,
            reporter=str(p.reporter) if p.reporter else "",
            indicator_title=p.indicator.title,
            unit=p.indicator.unit,
        )
        for p in assignment.plan_indicators.select_related("indicator", "reporter")
    ]
    waivers = dict(assignment.waivers.values_list("key", "reason"))
    return check_followable(goals, plans, waivers=waivers)


def plan_status(plan, *, region_area=None, today=None):
    """The follow-up of one plan line: reported values, or the indicator's own data."""
    reported = list(plan.reports.values_list("period", "value"))
    if reported:
        values = pl.DataFrame(
            reported, schema={"period": pl.Utf8, "value": pl.Float64}, orient="row"
        )
        origin = "rapporterat av utföraren"
    else:
        area = region_area or plan.assignment.region.area
        rows = Observation.objects.filter(
            indicator=plan.indicator,
            area=area,
            sex="T",
            age_band="",
            socioeconomic_group="",
        ).values_list("period", "value", "lower", "upper")
        values = pl.DataFrame(
            list(rows),
            schema={
                "period": pl.Utf8,
                "value": pl.Float64,
                "lower_95": pl.Float64,
                "upper_95": pl.Float64,
            },
            orient="row",
        )
        if plan.baseline_period:
            values = values.filter(pl.col("period") > plan.baseline_period)
        origin = f"Källa: {plan.indicator.source_line}"
    status = follow_up_status(
        values,
        baseline=plan.baseline,
        target=plan.target,
        target_date=plan.target_date,
        polarity=plan.indicator.polarity,
        baseline_date=plan.baseline_period or None,
        today=today or timezone.localdate(),
    )
    return status, values, origin


def refresh_status(plan) -> str:
    """Recompute and store one plan line's status; returns it."""
    status, _, _ = plan_status(plan)
    type(plan).objects.filter(pk=plan.pk).update(
        status=status.status, status_updated=timezone.now()
    )
    plan.status = status.status
    return status.status
