"""Who may run and read self-evaluations: a region's own, never another region's answers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .models import Evaluation

EVALUATORS = {Role.HFS_PROCESSLEDARE, Role.ANALYTIKER, Role.ADMINISTRATOR}
NETWORK_READERS = {Role.HFS_PROCESSLEDARE}


def get_evaluation_for_user(user, pk: int) -> Evaluation:
    """An evaluation of the user's own region; other regions' answers are never readable."""
    membership = require_membership(user)
    return get_object_or_404(
        Evaluation.objects.select_related("definition", "region"), pk=pk, region=membership.region
    )
