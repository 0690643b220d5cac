"""The assignment's decision document and the annual report, from the models and the core."""

from __future__ import annotations

from django.utils import timezone

from halsogap.assignments import documents as docs
from halsogap.assignments.followable import GoalSpec

from .access import get_assignments_for_user
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
        # The diarienummer the committee gave it; before a decision, which version this is.
        reference=assignment.decision_reference
        or f"inget ännu (uppdrag {assignment.pk}, version {assignment.version})",
        region=str(assignment.region),
        status=assignment.get_step_display(),
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        priority_decision=decision.content().citation if decision else "",
    )


def annual_content(region, year: int, user=None) -> docs.AnnualReportContent:
    """Goal fulfilment of the region's decided assignments, as of the end of ``year``.

    A provider's report holds only the assignments its unit received (as the pages do).
    """
    readable = Assignment.objects if user is None else get_assignments_for_user(user)
    assignments = list(
        readable.filter(region=region, decided_on__isnull=False)
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
        title=f"Årsredovisning {year}: behov, prioriteringar och måluppfyllelse",
        region=str(region),
        year=year,
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        assignments=items,
        needs=_annual_needs(region, year, user),
        decisions=[
            docs.PriorityLine(
                content.citation, content.budget, content.funded_cost, content.rationale
            )
            for content in (d.content() for d in decisions_in_force(region, year))
        ],
        introduction=(
            f"Uppföljning av föregående års resultat och måluppfyllelse för {region}: behoven och "
            "de mål de förtroendevalda satt, prioriteringarna och budgeten, och hur uppdragens "
            "aktiviteter och effekter når sina mål."
        ),
    )


def decisions_in_force(region, year: int):
    """The decisions of the year, or the latest one before it that still applies."""
    from halsogap_web.priorities.models import PriorityDecision

    decisions = PriorityDecision.objects.filter(region=region).order_by("-version")
    of_year = [d for d in decisions if d.decided_on.year == year]
    return of_year or list(decisions.filter(decided_on__year__lt=year)[:1])


def _annual_needs(region, year: int, user) -> list[docs.NeedBackground]:
    """The needs of the year's analysis (or the latest), each for each of its need groups."""
    from halsogap.assignments.follow_up import need_background
    from halsogap_web import evidence
    from halsogap_web.needs.models import NeedsAnalysis

    analyses = NeedsAnalysis.objects.filter(region=region)
    analysis = analyses.filter(year=year).first() or analyses.order_by("-year").first()
    if analysis is None:
        return []
    data = evidence.needs_data(user, region=region)
    needs = list(analysis.items.select_related("indicator", "target_set_by"))
    return [
        need_background(data, group.to_spec(), need.to_spec(), analysis_title=analysis.title)
        for group in analysis.need_groups.select_related("region__area", "background_indicator")
        for need in needs
    ]
