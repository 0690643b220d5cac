"""Who may read measures, assessments and priority decisions: the national catalogue and the
region's own, never another region's."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership

from .models import Assessment, Measure, PriorityDecision


def get_measures_for_user(user):
    membership = require_membership(user)
    return Measure.objects.filter(Q(region__isnull=True) | Q(region=membership.region))


def get_assessment_for_user(user, pk: int) -> Assessment:
    membership = require_membership(user)
    return get_object_or_404(Assessment, pk=pk, region=membership.region)


def get_decision_for_user(user, pk: int) -> PriorityDecision:
    membership = require_membership(user)
    return get_object_or_404(PriorityDecision, pk=pk, region=membership.region)


def get_decisions_for_user(user):
    return PriorityDecision.objects.filter(region=require_membership(user).region)
