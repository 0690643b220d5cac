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


M2M_OPERATIONS = {"add": "tillagt", "delete": "borttaget", "clear": "tömt"}


def entry_changes(entry: LogEntry) -> list[tuple[str, str]]:
    """Each changed field with its change in words: "gammalt → nytt", or what was linked.

    Many-to-many changes (a need group added to an analysis) are stored as an operation and
    the objects it concerned, not as an old and a new value.
    """
    lines = []
    for field, change in (entry.changes_dict or {}).items():
        if isinstance(change, dict):
            operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation", ""))
            objects = ", ".join(str(o) for o in change.get("objects", []))
            lines.append((field, f"{operation}: {objects}".strip(": ")))
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            lines.append((field, f"{str(change[0])[:60]} → {str(change[1])[:60]}"))
        else:
            lines.append((field, str(change)[:120]))
    return lines


@login_required
@require_GET
def audit_log(request):
    entries = get_log_entries_for_user(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    rows = [(entry, entry_changes(entry)) for entry in page]
    return TemplateResponse(request, "audit/log.html", {"page": page, "rows": rows})
