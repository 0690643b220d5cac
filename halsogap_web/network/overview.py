"""What the network's secretariat sees of its member regions: each region's latest shared
self-evaluation profile, the action plans it shares, and its answers to the year's questions.

Nothing here reads a region's unshared work: an evaluation counts only when the region shares
it and has finished it, a plan only when the region shares it, and never a score's comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from halsogap.selfevaluation import Profile, profile
from halsogap_web.accounts.models import Organisation
from halsogap_web.selfevaluation.models import Evaluation, FollowUpAnswer, FollowUpQuestion

from .models import ActionPlan


@dataclass
class MemberRegion:
    region: Organisation
    evaluation: Evaluation | None = None
    profile: Profile | None = None
    plans: list[ActionPlan] = field(default_factory=list)
    answered: int = 0


def member_regions() -> list[Organisation]:
    """The network's member regions: every region (huvudman) of the installation."""
    return list(Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("name"))


def shared_evaluations():
    """Finished evaluations their regions share with the network, newest first."""
    return (
        Evaluation.objects.filter(shared=True, status=Evaluation.Status.FINISHED)
        .select_related("region", "definition")
        .order_by("-finished_at", "-pk")
    )


def member_region_rows(questions: list[FollowUpQuestion]) -> list[MemberRegion]:
    """One row per member region, as the secretariat's overview shows them."""
    rows = {r.pk: MemberRegion(r) for r in member_regions()}
    for evaluation in shared_evaluations():
        row = rows.get(evaluation.region_id)
        if row is not None and row.evaluation is None:
            row.evaluation = evaluation
            row.profile = profile(
                evaluation.definition.as_core(),
                evaluation.score_map(),
                short=evaluation.version == Evaluation.Version.SHORT,
            )
    for plan in ActionPlan.objects.filter(shared=True, region__in=list(rows)):
        rows[plan.region_id].plans.append(plan)
    answers = FollowUpAnswer.objects.filter(question__in=questions).values_list(
        "region_id", flat=True
    )
    for region_id in answers:
        if region_id in rows:
            rows[region_id].answered += 1
    return list(rows.values())
