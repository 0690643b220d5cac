"""The audit log, readable by a region's administrator."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role


def get_log_entries_for_user(user):
    """Entries about the administrator's region (fixed when written), newest first."""
    membership = require_membership(user, allowed={Role.ADMINISTRATOR})
    return (
        LogEntry.objects.filter(additional_data__region_id=membership.region.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )


@login_required
@require_GET
def audit_log(request):
    entries = get_log_entries_for_user(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    return TemplateResponse(request, "audit/log.html", {"page": page})
