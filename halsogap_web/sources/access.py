"""Who sees and runs which sources: a region's analysts and administrators their region's;
administrators also the national ones."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .models import DataSource, SourceRun

EDITORS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


def get_sources_for_user(user):
    membership = require_membership(user, allowed=EDITORS)
    visible = Q(organisation=membership.region)
    if membership.role == Role.ADMINISTRATOR:
        visible |= Q(organisation__isnull=True)
    return DataSource.objects.filter(visible)


def get_source_for_user(user, pk: int):
    return get_object_or_404(get_sources_for_user(user), pk=pk)


def get_source_run_for_user(user, pk: int):
    return get_object_or_404(
        SourceRun.objects.select_related("source", "batch").filter(
            source__in=get_sources_for_user(user)
        ),
        pk=pk,
    )
