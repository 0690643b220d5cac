"""Who may see and change which action plan, plan activity, theme group and follow-up question.

- A region's action plans: the members of the region; its evaluators change them. The
  network's secretariat reads a region's plan once the region shares it, and never changes it.
- The network's own verksamhetsplan: the secretariat keeps it; every evaluator of a member
  region (process leaders, analysts, administrators) reads it.
- A theme group's plan: the secretariat and the group's members keep it; no one else reads it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import REGION_ROLES, Membership, Organisation, Role
from halsogap_web.selfevaluation.access import EVALUATORS

from .models import ActionPlan, PlanActivity
from .theme_models import ThemeGroup

SECRETARIAT = {Role.SEKRETARIAT}
#: Everyone with a place in the network: each region's members and the secretariat.
NETWORK_MEMBERS = REGION_ROLES | SECRETARIAT
#: Those the network's own pages are for: the secretariat and each region's evaluators.
NETWORK_WORKERS = EVALUATORS | SECRETARIAT


def get_network_for_user(user) -> Organisation | None:
    """The network the user works in: the secretariat's own, or the one every region is in."""
    membership = require_membership(user, allowed=NETWORK_MEMBERS)
    if membership.organisation.is_network:
        return membership.organisation
    return Organisation.objects.filter(kind=Organisation.Kind.NATVERK).order_by("pk").first()


def _theme_groups_of(user):
    return ThemeGroup.objects.filter(members__membership__user=user.pk)


def get_action_plans_for_user(user):
    """Every action plan the acting membership may read."""
    membership = require_membership(user, allowed=NETWORK_MEMBERS)
    if membership.role in SECRETARIAT:
        return ActionPlan.objects.filter(
            Q(region=membership.organisation) | Q(shared=True, region__kind="region")
        )
    visible = Q(region=membership.region) | Q(theme_group__in=_theme_groups_of(user))
    if membership.role in EVALUATORS:
        visible |= Q(region__kind=Organisation.Kind.NATVERK, theme_group__isnull=True)
    return ActionPlan.objects.filter(visible)


def get_action_plan_for_user(user, pk: int) -> ActionPlan:
    return get_object_or_404(
        get_action_plans_for_user(user).select_related("region", "theme_group"), pk=pk
    )


def can_edit_action_plan(membership: Membership, plan: ActionPlan) -> bool:
    """Whether ``membership`` changes ``plan``; see the module's rules."""
    if plan.is_network_plan:
        if membership.role in SECRETARIAT:
            return plan.region_id == membership.organisation_id
        return (
            plan.theme_group_id is not None
            and plan.theme_group.members.filter(membership__user=membership.user_id).exists()
        )
    return membership.role in EVALUATORS and plan.region_id == membership.region.pk


def can_share_action_plan(membership: Membership, plan: ActionPlan) -> bool:
    """Whether ``membership`` shares ``plan`` with the secretariat: the region's evaluators."""
    return (
        not plan.is_network_plan
        and membership.role in EVALUATORS
        and plan.region_id == membership.region.pk
    )


def get_plan_activity_for_user(user, pk: int) -> PlanActivity:
    """An activity of a plan the user may change; any other is a 404 (or 403 for a reader)."""
    membership = require_membership(user, allowed=NETWORK_MEMBERS)
    activity = get_object_or_404(
        PlanActivity.objects.select_related("focus_area__plan__region"),
        pk=pk,
        focus_area__plan__in=get_action_plans_for_user(user),
    )
    if not can_edit_action_plan(membership, activity.focus_area.plan):
        raise PermissionDenied
    return activity


def get_theme_groups_for_user(user):
    """The secretariat's every group; anyone else's own groups."""
    membership = require_membership(user, allowed=NETWORK_MEMBERS)
    if membership.role in SECRETARIAT:
        return ThemeGroup.objects.filter(network=membership.organisation)
    return _theme_groups_of(user).distinct()


def get_theme_group_for_user(user, pk: int) -> ThemeGroup:
    return get_object_or_404(get_theme_groups_for_user(user), pk=pk)
