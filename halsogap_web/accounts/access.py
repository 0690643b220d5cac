"""Who may see what: the one place that turns a user into a region and a role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import Membership, Organisation


def get_membership_for_user(user) -> Membership | None:
    """The user's membership, or None for the public and for users without one."""
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def get_region_for_user(user) -> Organisation | None:
    membership = get_membership_for_user(user)
    return membership.region if membership else None


def require_membership(user, *, allowed=None) -> Membership:
    """Return the membership or refuse: logged-in users without a role see nothing private."""
    membership = get_membership_for_user(user)
    if membership is None or (allowed is not None and membership.role not in allowed):
        raise PermissionDenied
    return membership
