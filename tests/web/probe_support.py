"""Tools for the access probe: the forms a page offers, and a fingerprint of everything stored.

The probe replays, as a persona who must not act, the forms that the rightful owner is shown
(:func:`page_forms`), and proves that nothing changed by comparing :func:`fingerprint` before
and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.db.models import Max


@dataclass
class PageForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name: str, value: str) -> None:
        self._form.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = PageForm(action=a.get("action") or self.page_url)
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form.files.append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in a or kind == "checkbox":
                    self._add(name, a.get("value") or "on")
            elif kind not in {"submit", "button", "reset", "image"}:
                self._add(name, a.get("value") or _filler(kind))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value and self._select_first is None:
                self._select_first = value
            if "selected" in a and value:
                self._add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self._add(self._textarea, self._text.strip() or "Sondens text")
            self._textarea = None


def _filler(kind: str) -> str:
    return {"number": "3", "date": "2027-01-01", "email": "sond@example.se"}.get(kind, "Sond")


def page_forms(html_text: str, page_url: str) -> list[PageForm]:
    """The POST forms of a page, filled as a user who accepts every default would send them."""
    parser = _FormParser(page_url)
    parser.feed(html_text)
    return [f for f in parser.forms if not f.action.startswith(("/i18n/", "/konto/"))]


#: Tables that change on every request, or whose rows are not anyone's data.
_VOLATILE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "admin.logentry"}


@dataclass
class Fingerprint:
    """Enough to see every change cheaply after each of a thousand requests: the count and
    largest id of every table and the newest audit entry (every change to an audited model
    writes one, with the object it concerns)."""

    tables: dict[str, tuple]
    last_entry: int


def fingerprint() -> Fingerprint:
    from auditlog.models import LogEntry
    from django.db.models import Count

    from halsogap_web.observations.models import Observation

    tables = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in _VOLATILE or label in {"auditlog.logentry", "observations.observation"}:
            continue
        # PostgreSQL has no max() of a uuid (the task queue's ids): count those tables only.
        numeric = model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField"}
        summary = model.objects.aggregate(n=Count("pk"), **({"top": Max("pk")} if numeric else {}))
        tables[label] = (summary["n"], summary.get("top"))
    # Observations run to 860 000 rows, too many to count after every request. Values are
    # only ever written in a load batch (audited, with its region), so the newest id and
    # batch show every write.
    tables["observations.observation"] = tuple(
        Observation.objects.aggregate(top=Max("pk"), batch=Max("batch_id")).values()
    )
    last = LogEntry.objects.aggregate(top=Max("pk"))["top"] or 0
    return Fingerprint(tables, last)


def _entry_region(entry) -> int | None:
    """The region an audited change concerns: the object's own, or for a deleted object the
    one written with the entry. National objects (an indicator of Kolada's) have none."""
    model = entry.content_type.model_class()
    obj = model.objects.filter(pk=entry.object_pk).first() if model else None
    if obj is not None and hasattr(obj, "audit_region_id"):
        return obj.audit_region_id()
    return (entry.additional_data or {}).get("region_id")


def foreign_changes(
    before: Fingerprint, after: Fingerprint, *, own_region: int | None
) -> list[str]:
    """What changed that the acting persona had no right to change.

    A member of another region may change its own region's work (``own_region``); nobody in
    the probe may change Stockholm's or national data. Personas with no region of their own
    to work in (the public, a provider that receives nothing) may change nothing at all.
    """
    from auditlog.models import LogEntry

    problems = []
    for entry in LogEntry.objects.filter(pk__gt=before.last_entry).select_related("content_type"):
        region = _entry_region(entry)
        if own_region is None or region != own_region:
            problems.append(
                f"{entry.content_type.model} {entry.object_pk} "
                f"({entry.get_action_display()}, region {region})"
            )
    old, new = before.tables["observations.observation"], after.tables["observations.observation"]
    if old != new and own_region is not None:
        from halsogap_web.observations.models import Observation

        # A batch the persona loaded may hold only its own region's indicators.
        written = Observation.objects.filter(batch_id__gt=old[1] or 0)
        if written.exclude(indicator__organisation=own_region).exists():
            problems.append("observations of another region's or national indicators")
    if own_region is None:
        problems += [
            f"table {label}"
            for label, summary in after.tables.items()
            if before.tables.get(label) != summary
        ]
    return problems
