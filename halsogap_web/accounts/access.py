"""Who may see what: the one place that turns a user into a region and a role."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .models import REGION_ROLES, Membership, Organisation

_UNREAD = object()


def get_memberships_for_user(user):
    """Every place the user holds, the one they act in first."""
    return (
        Membership.objects.filter(user=user.pk)
        .select_related("organisation")
        .order_by("-chosen", "pk")
    )


def get_membership_for_user(user) -> Membership | None:
    """The membership the user acts in, or None for the public (also ``None``) and for users
    without one.

    Read once per user object: every access helper asks, and the request's user is one object.
    """
    if user is None or not user.is_authenticated:
        return None
    found = getattr(user, "_acting_membership", _UNREAD)
    if found is _UNREAD:
        found = get_memberships_for_user(user).first()
        user._acting_membership = found
    return found


def choose_membership(user, pk) -> Membership:
    """Act in the user's own membership ``pk`` from now on; another user's is a 404."""
    from django.shortcuts import get_object_or_404

    membership = get_object_or_404(get_memberships_for_user(user), pk=pk)
    membership.choose()
    user._acting_membership = membership
    return membership


def get_region_for_user(user) -> Organisation | None:
    membership = get_membership_for_user(user)
    return membership.region if membership else None


def require_membership(user, *, allowed=None) -> Membership:
    """Return the membership or refuse: logged-in users without a role see nothing private.

    Without ``allowed`` every role inside a region passes and the network's secretariat does
    not: it holds no region, so a region's pages have nothing of its own to show it.
    """
    membership = get_membership_for_user(user)
    allowed = REGION_ROLES if allowed is None else allowed
    if membership is None or membership.role not in allowed:
        raise PermissionDenied
    return membership
