"""Who may read which indicators, load batches and import jobs.

The visibility rule lives here: national data for all, a region's own indicators only for its
members until published. Values are read through :mod:`halsogap_web.evidence`, which applies
this rule together with limits and suppression.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from halsogap_web.accounts.access import get_region_for_user

from .models import ImportJob, Indicator, LoadBatch


def get_indicators_for_user(user, *, region=None):
    """Indicators the user may read on the page of ``region`` (default: the user's region).

    The public sees national indicators and the region's published ones; members of the
    region also see its unpublished ones.
    """
    own_region = get_region_for_user(user)
    region = region or own_region
    visible = Q(organisation__isnull=True)
    if region is not None:
        if own_region is not None and own_region.pk == region.pk:
            visible |= Q(organisation=region)
        else:
            visible |= Q(organisation=region, is_published=True)
    return Indicator.objects.filter(visible)


def get_indicators_for_region_member(region):
    """What a member of ``region`` reads: national indicators and all of the region's own."""
    return Indicator.objects.filter(Q(organisation__isnull=True) | Q(organisation=region))


def get_indicator_for_user(user, code: str) -> Indicator:
    own_region = get_region_for_user(user)
    visible = Q(organisation__isnull=True) | Q(is_published=True)
    if own_region is not None:
        visible |= Q(organisation=own_region)
    try:
        return Indicator.objects.get(visible, code=code)
    except Indicator.DoesNotExist:
        raise Http404("Indikatorn finns inte eller är inte publicerad.") from None


def get_load_batches_for_user(user):
    region = get_region_for_user(user)
    if region is None:
        return LoadBatch.objects.none()
    return LoadBatch.objects.filter(organisation=region)


def get_import_job_for_user(user, pk: int) -> ImportJob:
    region = get_region_for_user(user)
    try:
        return ImportJob.objects.get(pk=pk, organisation=region)
    except ImportJob.DoesNotExist:
        raise Http404("Inläsningen finns inte.") from None
