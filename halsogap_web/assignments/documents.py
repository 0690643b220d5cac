"""Building the assignment's decision document and the annual report from the database."""

from __future__ import annotations

from django.utils import timezone

from halsogap.assignments import documents as docs
from halsogap.assignments.followable import GoalSpec

from .logic import plan_spec, plan_status, plan_statuses
from .models import Assignment, PlanIndicator


def assignment_content(assignment: Assignment) -> docs.AssignmentContent:
    plans = list(assignment.plan_indicators.select_related("indicator", "reporter"))
    return docs.AssignmentContent(
        title=assignment.title,
        issuer=str(assignment.issuer),
        recipients=[
            docs.Recipient(str(r.organisation), r.responsibility, r.organisation.get_kind_display())
            for r in assignment.recipients.select_related("organisation")
        ],
        needs=[
            docs.NeedBackground(
                title=n.analysis.title,
                indicator_title=n.indicator.title,
                unit=n.indicator.unit,
                current=None,
                desired=None,
                gap_to_close=None,
                persons=None,
                year=n.analysis.year,
                source=n.indicator.source_line,
                target_text=n.target().describe(n.indicator.unit),
            )
            for n in assignment.needs.select_related("analysis", "indicator")
        ],
        measures=[
            docs.MeasureContent(m.title, m.get_kind_display(), m.evidence, m.source)
            for m in assignment.measures.all()
        ],
        goals=[GoalSpec(str(g.pk), g.text, g.kind) for g in assignment.goals.all()],
        plans=[plan_spec(p) for p in plans],
        description=assignment.description,
        time_plan=assignment.time_plan,
        milestones=[docs.Milestone(m.due_on, m.text) for m in assignment.milestones.all()],
        budget=assignment.budget,
        perspective=assignment.perspective,
        kind=assignment.kind,
        between_principals=assignment.between_principals,
        acceptance=docs.AcceptanceContent(
            assignment.acceptance_form,
            assignment.accepted_by.get_full_name() if assignment.accepted_by else None,
            assignment.accepted_at.date() if assignment.accepted_at else None,
        )
        if assignment.acceptance_form
        else None,
        decision=docs.DecisionContent(
            assignment.decision_body, assignment.decided_on, assignment.decided_by
        )
        if assignment.decided_on
        else None,
        reference=f"Uppdrag {assignment.pk}, version {assignment.version}",
        region=str(assignment.region),
        status=assignment.get_step_display(),
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
    )


def annual_content(region, year: int) -> docs.AnnualReportContent:
    """Goal fulfilment of the region's decided assignments, as of the end of ``year``."""
    assignments = list(
        Assignment.objects.filter(region=region, decided_on__isnull=False)
        .prefetch_related("recipients__organisation", "needs__indicator")
        .order_by("title")
    )
    plans = list(
        PlanIndicator.objects.filter(assignment__in=assignments).select_related(
            "indicator", "reporter"
        )
    )
    statuses = plan_statuses(plans, region)
    by_assignment: dict[int, list] = {}
    for plan in plans:
        by_assignment.setdefault(plan.assignment_id, []).append(plan)
    items = []
    for assignment in assignments:
        results = []
        for plan in by_assignment.get(assignment.pk, []):
            status, values = statuses[plan.pk]
            results.append(
                docs.IndicatorResult.from_status(
                    plan_spec(plan),
                    status,
                    series=[(r["period"], r["value"]) for r in values.to_dicts()],
                    decimals=plan.indicator.decimals,
                )
            )
        items.append(
            docs.AnnualAssignment(
                key=str(assignment.pk),
                title=assignment.title,
                recipient=", ".join(str(r.organisation) for r in assignment.recipients.all()),
                need="; ".join(n.indicator.title for n in assignment.needs.all()) or "–",
                indicators=results,
            )
        )
    return docs.AnnualReportContent(
        title=f"Årsredovisning {year}: uppdragens måluppfyllelse",
        region=str(region),
        year=year,
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        assignments=items,
    )


def follow_up_content(
    assignment: Assignment, backgrounds: list[dict]
) -> docs.FollowUpReportContent:
    """The follow-up report of one assignment: every indicator against its target."""
    results = []
    for plan in assignment.plan_indicators.select_related("indicator", "reporter"):
        status, values, _ = plan_status(plan)
        results.append(
            docs.IndicatorResult.from_status(
                plan_spec(plan),
                status,
                series=[(r["period"], r["value"]) for r in values.to_dicts()],
                decimals=plan.indicator.decimals,
            )
        )
    return docs.FollowUpReportContent(
        title=f"Uppföljning: {assignment.title}",
        assignment_title=assignment.title,
        issuer=str(assignment.issuer),
        recipients=", ".join(str(r.organisation) for r in assignment.recipients.all()),
        period=f"{timezone.localdate():%Y-%m-%d}",
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        indicators=results,
        gaps=[
            docs.GapLine(
                b["need"].indicator.title,
                b["closing"] or b["note"] or "–",
                f"Källa: {b['need'].indicator.source_line}",
            )
            for b in backgrounds
        ],
        comments=[
            (f"{c.created_at:%Y-%m-%d}", c.author.get_full_name() if c.author else "–", c.text)
            for c in assignment.dialogue.select_related("author")
        ],
    )
