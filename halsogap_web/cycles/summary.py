"""Where a region is in this year's annual wheel: the summary the region page shows."""

from __future__ import annotations

from django.utils import timezone

from halsogap.arshjul import where_now
from halsogap_web.accounts.access import get_membership_for_user

from .models import Cycle


def wheel_summary_for_user(user):
    """Where the user's region is in this year's wheel, for the region page; None if not started."""
    membership = get_membership_for_user(user)
    if membership is None:
        return None
    today = timezone.localdate()
    cycle = Cycle.objects.filter(region=membership.region, year=today.year).first()
    if cycle is None:
        return {"cycle": None, "year": today.year}
    steps = list(cycle.steps.all())
    now, upcoming = where_now([s.state for s in steps], today)
    overdue = [s for s in steps if s.state.status(today) == "overdue"]
    return {
        "cycle": cycle,
        "now": now,
        "upcoming": upcoming,
        "overdue": overdue,
        "year": today.year,
    }
