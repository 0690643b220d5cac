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
    # The display dict names fields by their Swedish verbose names and choices by their labels
    # ("1. Utkast", not "draft"); many-to-many changes keep the raw form, handled below.
    raw = entry.changes_dict or {}
    shown = entry.changes_display_dict or {}
    fields = {f.name: f for f in _fields(entry)}
    for field, change in raw.items():
        model_field = fields.get(field)
        label = str(getattr(model_field, "verbose_name", field))
        if model_field is not None and model_field.one_to_many and not isinstance(change, dict):
            # A reverse relation's manager ("observations.Observation.None") says nothing.
            continue
        if isinstance(change, dict):
            operation = M2M_OPERATIONS.get(change.get("operation"), change.get("operation", ""))
            objects = ", ".join(str(o) for o in change.get("objects", []))
            lines.append((label, f"{operation}: {objects}".strip(": ")))
            continue
        change = shown.get(label, change)
        if isinstance(change, (list, tuple)) and len(change) == 2:
            old, new = (_value(v)[:60] for v in change)
            lines.append((label, f"{old} → {new}"))
        else:
            lines.append((label, _value(change)[:120]))
    return lines


#: How stored values read in Swedish: auditlog writes Python's None and booleans as words.
STORED_WORDS = {"None": "–", "True": "ja", "False": "nej", "": "–"}


def _value(value) -> str:
    text = str(value)
    return STORED_WORDS.get(text, text)


def _fields(entry: LogEntry):
    model = entry.content_type.model_class() if entry.content_type_id else None
    return model._meta.get_fields() if model else []


@login_required
@require_GET
def audit_log(request):
    entries = get_log_entries_for_user(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    rows = [(entry, entry_changes(entry)) for entry in page]
    return TemplateResponse(request, "audit/log.html", {"page": page, "rows": rows})
