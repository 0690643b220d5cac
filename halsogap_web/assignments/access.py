"""Who may read which assignments: the region's own members, and a provider only the
assignments its unit is a recipient of."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Organisation, Role

from .models import Assignment


def get_assignments_for_user(user):
    membership = require_membership(user)
    assignments = Assignment.objects.filter(region=membership.region)
    if membership.role == Role.UTFORARE:
        # A vårdcentral sees its own assignments, not those of the unit next door.
        assignments = assignments.filter(recipients__organisation=membership.organisation)
    return assignments.distinct()


def get_assignment_for_user(user, pk) -> Assignment:
    """An assignment the user may read; another region's (or unit's) is a 404."""
    return get_object_or_404(
        get_assignments_for_user(user).select_related("region__area", "issuer"), pk=pk
    )


def organisations_for(region):
    """The organisations an assignment of ``region`` may name: the region and its units."""
    return Organisation.objects.filter(pk=region.pk) | region.units.all()
