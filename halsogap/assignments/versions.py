"""Differences between two versions of an assignment, as Swedish lines for the version history.

A version is a plain dict (what the web layer serialises: title, goals, follow-up plan, …).
Nested dicts are compared field by field; lists of dicts that carry a ``key`` (goals, indicator
plans, recipients) are matched by that key, so a reordered list is not a change and an edited
goal reads as one line; any other list is compared as a whole.

>>> old = {"title": "Rökfri", "goals": [{"key": "g1", "text": "Minska rökning"}]}
>>> new = {"title": "Rökfri 2030", "goals": [{"key": "g1", "text": "Halvera rökning"}]}
>>> [c.text for c in diff_versions(old, new)]
["Titel: 'Rökfri' → 'Rökfri 2030'", "Mål g1 › Text: 'Minska rökning' → 'Halvera rökning'"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from halsogap.numbers import format_number

CHANGED, ADDED, REMOVED = "ändrad", "tillagd", "borttagen"

#: Labels for the fields an assignment version carries; callers add or override through
#: ``labels``. Unknown fields fall back to the field name, never to nothing.
DEFAULT_LABELS: dict[str, str] = {
    "title": "Titel",
    "reference": "Diarienummer",
    "issuer": "Uppdragsgivare",
    "recipients": "Mottagare",
    "responsibility": "Ansvar",
    "name": "Namn",
    "needs": "Behov",
    "measures": "Åtgärder",
    "goals": "Mål",
    "text": "Text",
    "kind": "Typ",
    "time_plan": "Tidplan",
    "milestones": "Milstolpar",
    "description": "Beskrivning",
    "budget": "Budget",
    "perspective": "Perspektiv",
    "between_principals": "Mellan huvudmän",
    "follow_up_plan": "Uppföljningsplan",
    "plans": "Uppföljningsplan",
    "indicator_code": "Indikator",
    "role": "Roll",
    "baseline": "Utgångsvärde",
    "baseline_period": "Utgångsperiod",
    "target": "Målvärde",
    "target_date": "Måldatum",
    "polarity": "Riktning",
    "source": "Källa",
    "frequency": "Frekvens",
    "reporter": "Rapporteras av",
    "acceptance_form": "Accepteras genom",
    "status": "Status",
    "waivers": "Undantag",
}


@dataclass(frozen=True)
class Change:
    """One difference: ``path`` is the field's place (e.g. ``goals[g1].text``)."""

    path: str
    label: str
    old: object
    new: object
    kind: str = CHANGED

    @property
    def text(self) -> str:
        """The line shown in the version history.

        >>> Change("budget", "Budget", None, 250000, ADDED).text
        "Budget: tillagd '250\xa0000'"
        """
        if self.kind == ADDED:
            return f"{self.label}: tillagd '{show(self.new)}'"
        if self.kind == REMOVED:
            return f"{self.label}: borttagen (var '{show(self.old)}')"
        return f"{self.label}: '{show(self.old)}' → '{show(self.new)}'"


def show(value: object) -> str:
    """A value as the history prints it: Swedish numbers, ISO dates, "–" for nothing.

    >>> show(None), show(4.25), show(True), show(date(2026, 12, 31)), show(["a", "b"])
    ('–', '4,25', 'ja', '2026-12-31', 'a, b')
    """
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return format_number(value, decimals=0)
    if isinstance(value, float):
        text = f"{value:.6g}"
        decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
        return format_number(value, decimals=decimals)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(show(v) for v in value)
    if isinstance(value, Mapping):
        # An added or removed goal or plan reads by its text, not as a dump of its fields.
        for field in ("text", "title", "name", "indicator_code"):
            if value.get(field):
                return str(value[field])
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items() if k != "key")
    return str(value)


def _keyed(value: object) -> dict[str, Mapping] | None:
    """A list of dicts with unique ``key`` values as a dict by key; otherwise None."""
    if not isinstance(value, list | tuple) or not value:
        return None
    if not all(isinstance(v, Mapping) and "key" in v for v in value):
        return None
    keys = [str(v["key"]) for v in value]
    return dict(zip(keys, value, strict=True)) if len(set(keys)) == len(keys) else None


def _item_name(item: Mapping) -> str:
    # A goal is recognised by its text, a plan by its indicator; the key is the fallback.
    for field in ("text", "title", "name", "indicator_code"):
        if item.get(field):
            return str(item["key"]) if field == "text" else f"{item['key']} ({item[field]})"
    return str(item["key"])


def _walk(
    old: Mapping, new: Mapping, path: str, label: str, labels: Mapping[str, str], out: list[Change]
) -> None:
    for field in list(dict.fromkeys([*old.keys(), *new.keys()])):
        if field == "key":
            continue
        name = labels.get(field, field)
        sub_path = f"{path}.{field}" if path else field
        sub_label = f"{label} › {name}" if label else name
        a, b = old.get(field), new.get(field)
        if a == b:
            continue
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            _walk(a, b, sub_path, sub_label, labels, out)
            continue
        ka, kb = _keyed(a), _keyed(b)
        if (ka is not None or not a) and (kb is not None or not b) and (ka or kb):
            ka, kb = ka or {}, kb or {}
            for key in list(dict.fromkeys([*ka, *kb])):
                item_path = f"{sub_path}[{key}]"
                if key not in kb:
                    item_label = f"{name} {_item_name(ka[key])}"
                    out.append(
                        Change(item_path, _prefix(label, item_label), ka[key], None, REMOVED)
                    )
                elif key not in ka:
                    item_label = f"{name} {_item_name(kb[key])}"
                    out.append(Change(item_path, _prefix(label, item_label), None, kb[key], ADDED))
                elif ka[key] != kb[key]:
                    item_label = _prefix(label, f"{name} {_item_name(kb[key])}")
                    _walk(ka[key], kb[key], item_path, item_label, labels, out)
            continue
        kind = ADDED if a in (None, "", [], {}) else REMOVED if b in (None, "", [], {}) else CHANGED
        out.append(Change(sub_path, sub_label, a, b, kind))


def _prefix(label: str, name: str) -> str:
    return f"{label} › {name}" if label else name


def diff_versions(
    old: Mapping, new: Mapping, *, labels: Mapping[str, str] | None = None
) -> list[Change]:
    """Every difference from ``old`` to ``new``, in the order the fields appear.

    ``labels`` maps field names to the Swedish labels shown (merged over
    :data:`DEFAULT_LABELS`). A field going from nothing (None, "", empty list) to a value is
    "tillagd", the reverse "borttagen".

    >>> old = {"target": 4.0, "goals": [{"key": "g1", "text": "A"}], "budget": None}
    >>> new = {"target": 3.5, "goals": [{"key": "g1", "text": "A"}, {"key": "g2", "text": "B"}],
    ...     "budget": 120000}
    >>> for change in diff_versions(old, new):
    ...     print(change.text)
    Målvärde: '4' → '3,5'
    Mål g2: tillagd 'B'
    Budget: tillagd '120\xa0000'
    """
    merged = {**DEFAULT_LABELS, **(labels or {})}
    out: list[Change] = []
    _walk(old, new, "", "", merged, out)
    return out
