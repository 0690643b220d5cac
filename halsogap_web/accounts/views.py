"""Choosing the membership a user acts in, when they hold more than one."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from halsogap_web.lib.query import pk_from_query
from halsogap_web.lib.redirects import safe_next

from .access import choose_membership


@login_required
@require_POST
def membership_choose(request):
    """Act as another of one's own memberships; the audit log records the change."""
    pk = pk_from_query(request.POST, "membership")
    if pk is None:
        messages.error(request, _("Välj en roll att agera i."))
        return redirect(safe_next(request, request.POST.get("next"), "start"))
    with set_actor(request.user):
        chosen = choose_membership(request.user, pk)
    messages.success(
        request,
        _("Du agerar nu som %(role)s, %(org)s.")
        % {"role": chosen.get_role_display().lower(), "org": chosen.organisation},
    )
    # The page one came from may not be readable in the new role: the start page always is.
    return redirect("start")
