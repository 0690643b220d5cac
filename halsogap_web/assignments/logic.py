"""Assignment glue: snapshots for versions, the follow-up check, and status per indicator."""

from __future__ import annotations

import polars as pl
from django.db import transaction
from django.utils import timezone

from halsogap.assignments.followable import GoalSpec, IndicatorPlan, check_followable
from halsogap.assignments.status import follow_up_status
from halsogap_web.observations.models import Observation

from .models import ActivityReport, Assignment, AssignmentVersion

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


def plan_spec(p) -> IndicatorPlan:
    """A plan line as the core sees it (for the check and the documents)."""
    return IndicatorPlan(
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


def followable_gaps(assignment: Assignment):
    goals = [GoalSpec(str(g.pk), g.text, g.kind) for g in assignment.goals.all()]
    plans = [
        plan_spec(p) for p in assignment.plan_indicators.select_related("indicator", "reporter")
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


def need_backgrounds(assignment, user) -> list[dict]:
    """Each linked need with its health gap (as the needs analysis computes it) and whether the
    gap is closing: the link from the assignment back to the need it answers."""
    from halsogap.assignments.status import gap_closing
    from halsogap.needs import NeedsInputError, indicator_gaps
    from halsogap.needs.groups import group_total
    from halsogap_web.needs.analysis import group_areas
    from halsogap_web.needs.data import needs_data_for_user

    needs = list(assignment.needs.select_related("analysis__region__area", "indicator"))
    if not needs:
        return []
    data = needs_data_for_user(user, region=assignment.region)
    backgrounds = []
    for need in needs:
        group = assignment.need_group or need.analysis.need_groups.first()
        row = {"need": need, "group": group, "gap": None, "closing": None, "note": None}
        try:
            areas = group_areas(group, data) if group else [assignment.region.area.code]
            gaps = indicator_gaps(
                data,
                indicator=need.indicator.code,
                target=need.target(),
                areas=areas,
                sex=group.sex if group else "T",
            )
            row["gap"] = (
                group_total(gaps)
                if gaps.height > 1
                else (gaps.row(0, named=True) if gaps.height else None)
            )
            if len(areas) == 1 and gaps.height and gaps["desired"][0] is not None:
                history = data.values.filter(
                    (pl.col("kpi") == need.indicator.code)
                    & (pl.col("area") == areas[0])
                    & (pl.col("sex") == (group.sex if group else "T"))
                ).select(pl.col("year").cast(pl.Utf8).alias("period"), "value")
                row["closing"] = gap_closing(
                    history, desired=float(gaps["desired"][0]), polarity=need.indicator.polarity
                ).sentence_sv
        except NeedsInputError as error:
            row["note"] = str(error)
        backgrounds.append(row)
    return backgrounds


def plan_statuses(plans, region, *, today=None) -> dict[int, tuple]:
    """``plan_status`` for many plan lines with two queries and one batch computation.

    Returns {plan pk: (status, values frame)}; the annual report of hundreds of assignments
    would otherwise run one query and one trend test per indicator.
    """
    from halsogap.assignments.status import follow_up_statuses

    plans = list(plans)
    reported = pl.DataFrame(
        list(
            ActivityReport.objects.filter(plan__in=plans).values_list("plan_id", "period", "value")
        ),
        schema={"plan": pl.Int64, "period": pl.Utf8, "value": pl.Float64},
        orient="row",
    )
    with_reports = set(reported["plan"].to_list())
    data_plans = [p for p in plans if p.pk not in with_reports]
    observed = pl.DataFrame(
        list(
            Observation.objects.filter(
                indicator__in={p.indicator_id for p in data_plans},
                area=region.area,
                sex="T",
                age_band="",
                socioeconomic_group="",
            ).values_list("indicator_id", "period", "value", "lower", "upper")
        ),
        schema={
            "indicator_id": pl.Int64,
            "period": pl.Utf8,
            "value": pl.Float64,
            "lower_95": pl.Float64,
            "upper_95": pl.Float64,
        },
        orient="row",
    )
    parts = [reported.with_columns(pl.col("plan").cast(pl.Utf8))]
    for p in data_plans:
        part = observed.filter(pl.col("indicator_id") == p.indicator_id).drop("indicator_id")
        if p.baseline_period:
            part = part.filter(pl.col("period") > p.baseline_period)
        parts.append(part.with_columns(pl.lit(str(p.pk)).alias("plan")))
    values = pl.concat(parts, how="diagonal_relaxed")
    statuses = follow_up_statuses(
        values, [plan_spec(p) for p in plans], today=today or timezone.localdate()
    )
    return {
        p.pk: (
            statuses[str(p.pk)],
            values.filter(pl.col("plan") == str(p.pk)).select("period", "value"),
        )
        for p in plans
    }
