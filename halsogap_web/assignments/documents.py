"""The assignment's decision document and the annual report, from the models and the core."""

from __future__ import annotations

from django.utils import timezone

from halsogap.assignments import documents as docs
from halsogap.assignments.followable import GoalSpec

from .follow_up import need_backgrounds, plan_results
from .models import Assignment, PlanIndicator


def assignment_content(assignment: Assignment, user=None) -> docs.AssignmentContent:
    plans = list(assignment.plan_indicators.select_related("indicator", "reporter"))
    decision = assignment.priority_decision
    return docs.AssignmentContent(
        title=assignment.title,
        issuer=str(assignment.issuer),
        recipients=[
            docs.Recipient(str(r.organisation), r.responsibility, r.organisation.get_kind_display())
            for r in assignment.recipients.select_related("organisation")
        ],
        needs=need_backgrounds(assignment, user),
        measures=[
            docs.MeasureContent(m.title, m.get_kind_display(), m.evidence, m.source)
            for m in assignment.measures.all()
        ],
        goals=[GoalSpec(str(g.pk), g.text, g.kind) for g in assignment.goals.all()],
        plans=[p.to_spec() for p in plans],
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
            assignment.decision_body,
            assignment.decided_on,
            assignment.decided_by,
            reference=", ".join(
                part
                for part in (
                    f"§ {assignment.decision_paragraph}" if assignment.decision_paragraph else "",
                    f"dnr {assignment.decision_reference}" if assignment.decision_reference else "",
                )
                if part
            )
            or None,
        )
        if assignment.decided_on
        else None,
        reference=f"Uppdrag {assignment.pk}, version {assignment.version}",
        region=str(assignment.region),
        status=assignment.get_step_display(),
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        priority_decision=decision.content().citation if decision else "",
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
    results = plan_results(plans, region)
    by_assignment: dict[int, list] = {}
    for plan in plans:
        by_assignment.setdefault(plan.assignment_id, []).append(results[plan.pk])
    items = [
        docs.AnnualAssignment(
            key=str(assignment.pk),
            title=assignment.title,
            recipient=", ".join(str(r.organisation) for r in assignment.recipients.all()),
            need="; ".join(n.indicator.title for n in assignment.needs.all()) or "–",
            indicators=by_assignment.get(assignment.pk, []),
        )
        for assignment in assignments
    ]
    return docs.AnnualReportContent(
        title=f"Årsredovisning {year}: uppdragens måluppfyllelse",
        region=str(region),
        year=year,
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        assignments=items,
    )
