"""Who may see which action plan and plan activity: the members of the plan's region, and for
an activity only those who write the self-evaluation."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.selfevaluation.access import EVALUATORS

from .models import ActionPlan, PlanActivity


def get_action_plan_for_user(user, pk: int) -> ActionPlan:
    membership = require_membership(user)
    return get_object_or_404(ActionPlan, pk=pk, region=membership.region)


def get_plan_activity_for_user(user, pk: int) -> PlanActivity:
    membership = require_membership(user, allowed=EVALUATORS)
    return get_object_or_404(
        PlanActivity.objects.select_related("focus_area__plan"),
        pk=pk,
        focus_area__plan__region=membership.region,
    )
