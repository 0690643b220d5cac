"""Who may run and read self-evaluations: a region's own, never another region's answers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .models import Evaluation

EVALUATORS = {Role.HFS_PROCESSLEDARE, Role.ANALYTIKER, Role.ADMINISTRATOR}
NETWORK_READERS = {Role.HFS_PROCESSLEDARE}
#: Whoever reads the profiles member regions share: process leaders and the secretariat.
SHARED_PROFILE_READERS = NETWORK_READERS | {Role.SEKRETARIAT}


def get_evaluation_for_user(user, pk: int) -> Evaluation:
    """An evaluation of the user's own region; other regions' answers are never readable."""
    membership = require_membership(user)
    return get_object_or_404(
        Evaluation.objects.select_related("definition", "region"), pk=pk, region=membership.region
    )


def get_shared_evaluation_for_user(user, pk: int):
    """A finished evaluation its region shares with the network, and its profile (means only,
    never a comment), for the process leaders and the network's secretariat."""
    from halsogap.selfevaluation import profile

    require_membership(user, allowed=SHARED_PROFILE_READERS)
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("definition", "region"),
        pk=pk,
        shared=True,
        status=Evaluation.Status.FINISHED,
    )
    short = evaluation.version == Evaluation.Version.SHORT
    return evaluation, profile(evaluation.definition.as_core(), evaluation.score_map(), short=short)
