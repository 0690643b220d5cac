"""Who may read which need groups, needs analyses, needs and dialogues: a region's own, never
another's."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership

from .models import AnalysisIndicator, NeedGroup, NeedsAnalysis, PopulationDialogue


def get_analyses_for_user(user):
    return NeedsAnalysis.objects.filter(region=require_membership(user).region)


def get_analysis_for_user(user, pk) -> NeedsAnalysis:
    """An analysis of the user's own region; another region's work is never readable."""
    return get_object_or_404(get_analyses_for_user(user).select_related("region__area"), pk=pk)


def get_need_groups_for_user(user):
    return NeedGroup.objects.filter(region=require_membership(user).region)


def get_need_group_for_user(user, pk) -> NeedGroup:
    return get_object_or_404(get_need_groups_for_user(user), pk=pk)


def get_needs_for_user(user):
    """The needs (an indicator with its target in an analysis) of the user's region."""
    return AnalysisIndicator.objects.filter(
        analysis__region=require_membership(user).region
    ).select_related("analysis", "indicator")


def get_need_for_user(user, pk) -> AnalysisIndicator:
    return get_object_or_404(get_needs_for_user(user), pk=pk)


def get_dialogues_for_user(user):
    """The dialogues with the population that the user's region recorded."""
    return PopulationDialogue.objects.filter(region=require_membership(user).region)


def get_dialogue_for_user(user, pk) -> PopulationDialogue:
    return get_object_or_404(get_dialogues_for_user(user), pk=pk)
