"""The proposal for a verksamhetsplan and budget, composed from what the region decided.

The page, its PDF and its Word document all call :func:`proposal_content`, so they show one set
of needs, assignments and budgets.
"""

from __future__ import annotations

from django.utils import timezone

from halsogap.assignments.plan_proposal import (
    PlanProposalContent,
    ProposalAssignment,
    ProposalNeed,
)
from halsogap.numbers import format_number
from halsogap_web.assignments.access import get_assignments_for_user
from halsogap_web.assignments.documents import decisions_in_force
from halsogap_web.needs.access import get_analyses_for_user

from .access import get_governing_documents_for_user
from .models import GoverningDocument


def _follow_up_line(plan) -> str:
    target = (
        f"målvärde {format_number(plan.target, 1)}" if plan.target is not None else "inget målvärde"
    )
    how = ", ".join(p for p in (plan.frequency, plan.source or plan.indicator.source) if p)
    return f"{plan.indicator.title} – {target}" + (f" ({how})" if how else "")


def _assignment(assignment, plan: GoverningDocument | None) -> ProposalAssignment:
    documents = list(assignment.governing_documents.all())
    return ProposalAssignment(
        title=assignment.title,
        responsible=", ".join(str(r.organisation) for r in assignment.recipients.all()),
        step=assignment.get_step_display(),
        budget=assignment.budget,
        goals=tuple(g.text for g in assignment.goals.all()),
        follow_up=tuple(_follow_up_line(p) for p in assignment.plan_indicators.all()),
        documents=tuple(str(d) for d in documents),
        in_plan=None if plan is None else plan in documents,
    )


def proposal_content(region, year: int, user) -> PlanProposalContent:
    """The proposal for ``year``: the needs of the year's analysis (or the latest before it)
    with their targets, the decisions in force and every assignment that answers a need."""
    analyses = get_analyses_for_user(user)
    analysis = (
        analyses.filter(year=year).first()
        or analyses.filter(year__lt=year).order_by("-year").first()
    )
    plan = (
        get_governing_documents_for_user(user)
        .filter(kind=GoverningDocument.Kind.OPERATIONAL_PLAN, year=year)
        .first()
    )
    readable = (
        get_assignments_for_user(user)
        .exclude(step="draft")
        .prefetch_related(
            "recipients__organisation",
            "goals",
            "plan_indicators__indicator",
            "governing_documents",
            "needs",
        )
        .order_by("title")
    )
    needs = []
    if analysis is not None:
        for item in analysis.items.select_related("indicator").order_by("indicator__title"):
            linked = [a for a in readable if item in a.needs.all()]
            needs.append(
                ProposalNeed(
                    title=item.indicator.title,
                    target=item.target().describe(item.indicator.unit),
                    assignments=tuple(_assignment(a, plan) for a in linked),
                )
            )
    without_need = [a for a in readable if not a.needs.all()]
    return PlanProposalContent(
        title=f"Förslag till verksamhetsplan och budget {year}",
        region=str(region),
        year=year,
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
        decisions=tuple(
            f"{c.citation} – budget {format_number(c.budget, 0)} kr, finansierat "
            f"{format_number(c.funded_cost, 0)} kr"
            for c in (d.content() for d in decisions_in_force(region, year))
        ),
        needs=tuple(needs),
        plan_title=str(plan) if plan else None,
        assignments_without_need=tuple(_assignment(a, plan) for a in without_need),
    )


def assignment_standing(assignment) -> ProposalAssignment:
    """Where one assignment stands in the region's documents, judged against the
    verksamhetsplan of the year of the analysis its needs come from (the latest such year)."""
    years = [n.analysis.year for n in assignment.needs.select_related("analysis")]
    plan = (
        GoverningDocument.objects.filter(
            region=assignment.region_id,
            kind=GoverningDocument.Kind.OPERATIONAL_PLAN,
            year=max(years),
        ).first()
        if years
        else None
    )
    return _assignment(assignment, plan)
