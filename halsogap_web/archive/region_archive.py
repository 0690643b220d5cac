"""Backup of one region's steering record as a portable, versioned archive (one JSON file).

The archive is one JSON object::

    {
      "format": "halsogap-region", "version": 1,
      "exported_at": "2026-03-01T09:12:00+00:00",
      "migrations": {"needs": ["0001_initial", ...], ...},
      "region": {"code": "01", "name": "Region Stockholm"},
      "national": {"observations.Indicator": ["U01402", ...], ...},
      "users": [{"username": ..., "first_name": ..., "last_name": ..., "email": ...,
                 "role": ..., "organisation": 3, "membership": 5}],
      "objects": {"needs.NeedGroup": [{"pk": 7, "fields": {...}}, ...], ...},
      "audit": [{"pk": 91, "fields": {..., "object": 7}}, ...],
      "counts": {"needs.NeedGroup": 4, ...}
    }

A reference in ``fields`` is ``null``, a whole number (the pk, in the exporting installation,
of a row of this archive of the model the field points to) or a text or list (the natural key
of a national object that must exist where the archive is restored: an area's code, an
indicator's code, a catalogue measure's code, a standards definition's checksum, a statement's
checksum and code). Users are referred to by username and carry no password. ``national``
lists every national object the archive refers to, for the reader; the import derives the
same list from the rows themselves.

:func:`export_region` builds the archive; :mod:`.region_restore` reads it back.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from auditlog import get_logentry_model
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model, Q
from django.utils import timezone

FORMAT = "halsogap-region"
VERSION = 1

#: The apps whose migration state the archive records: Hälsogap's own and the audit log's.
MIGRATED_APPS = ("auditlog",)


class ArchiveError(Exception):
    """An export or import that cannot be done; the message says why, in Swedish."""


class Scope(NamedTuple):
    lookup: str  # From the model to the region organisation.
    name: str  # What the rows are called in Swedish, plural.


#: The rows of a region's steering record, with how each model reaches its region. The order
#: is only a tiebreak: :func:`model_order` puts every model after the models it points to.
SCOPE: dict[str, Scope] = {
    "accounts.Organisation": Scope("region", "organisationer (regionen och dess enheter)"),
    "observations.Indicator": Scope("organisation", "egna indikatorer"),
    "observations.LoadBatch": Scope("organisation", "inläsningar"),
    "observations.Observation": Scope("indicator__organisation", "observationer"),
    "needs.NeedGroup": Scope("region", "behovsgrupper"),
    "needs.NeedsAnalysis": Scope("region", "behovsanalyser"),
    "needs.AnalysisIndicator": Scope("analysis__region", "behov i analyser"),
    "needs.TargetVersion": Scope("need__analysis__region", "målversioner"),
    "needs.NeedComment": Scope("need__analysis__region", "dialoginlägg om behov"),
    "needs.AnalysisComment": Scope("analysis__region", "kommentarer till analyser"),
    "needs.PopulationDialogue": Scope("region", "dialoger med befolkningen"),
    "needs.CareUnit": Scope("region", "vårdenheter (CNI)"),
    "needs.EligibilityRule": Scope("region", "regler för tilläggsuppdrag"),
    "priorities.Measure": Scope("region", "egna åtgärder"),
    "priorities.Assessment": Scope("region", "bedömningar"),
    "priorities.PriorityDecision": Scope("region", "prioriteringsbeslut"),
    "assignments.Assignment": Scope("region", "uppdrag"),
    "assignments.Recipient": Scope("assignment__region", "mottagare"),
    "assignments.Goal": Scope("assignment__region", "mål"),
    "assignments.Milestone": Scope("assignment__region", "delmål"),
    "assignments.PlanIndicator": Scope("assignment__region", "rader i uppföljningsplaner"),
    "assignments.Waiver": Scope("assignment__region", "undantag"),
    "assignments.DialogueComment": Scope("assignment__region", "dialoginlägg om uppdrag"),
    "assignments.AssignmentVersion": Scope("assignment__region", "uppdragsversioner"),
    "assignments.ActivityReport": Scope("plan__assignment__region", "rapporterade värden"),
    "governance.GoverningDocument": Scope("region", "styrdokument"),
    "cycles.WheelTemplateStep": Scope("region", "steg i årshjulets mall"),
    "cycles.Cycle": Scope("region", "årshjul"),
    "cycles.CycleStep": Scope("cycle__region", "steg i årshjul"),
    "cycles.ArtefactLink": Scope("step__cycle__region", "länkar till resultat"),
    "selfevaluation.Evaluation": Scope("region", "självevalueringar"),
    "selfevaluation.Score": Scope("evaluation__region", "skattningar"),
    "network.ActionPlan": Scope("region", "handlingsplaner"),
    "network.FocusArea": Scope("plan__region", "fokusområden"),
    "network.PlanActivity": Scope("focus_area__plan__region", "aktiviteter i handlingsplaner"),
    "network.GoodExample": Scope("region", "goda exempel"),
    "sources.DataSource": Scope("organisation", "datakällor"),
    "sources.SourceRun": Scope("source__organisation", "körningar av datakällor"),
}


class National(NamedTuple):
    key: tuple[str, ...]  # The fields that name one object in every installation.
    only: dict  # Which rows of the model are national.
    name: str  # What they are called in Swedish, plural.


#: Objects shared by every region, referred to by natural key and never exported.
NATIONAL: dict[str, National] = {
    "observations.Area": National(("code",), {}, "områden"),
    "observations.Indicator": National(("code",), {}, "indikatorer"),
    "priorities.Measure": National(
        ("code",), {"region__isnull": True}, "åtgärder i den nationella katalogen"
    ),
    "selfevaluation.StandardsDefinition": National(
        ("checksum",), {}, "standarddefinitioner (kontrollsumma)"
    ),
    "selfevaluation.StatementItem": National(
        ("definition__checksum", "code"), {}, "påståenden i standarddefinitioner"
    ),
    "contenttypes.ContentType": National(("app_label", "model"), {}, "innehållstyper"),
}

#: Hälsogap's models that are deliberately not in the archive, and why.
LEFT_OUT = {
    "accounts.Membership": "ingår som användarnas roll och organisation",
    "observations.Area": "nationell, hänvisas till med kod",
    "observations.ImportJob": "uppladdade filer är rådata, inte styrning",
    "selfevaluation.StandardsDefinition": "nationell, hänvisas till med kontrollsumma",
    "selfevaluation.StandardItem": "nationell, hör till standarddefinitionen",
    "selfevaluation.StatementItem": "nationell, hänvisas till med kod",
    "api.ApiToken": "hemliga nycklar ska aldrig lämna installationen",
    "demo.DemoRecord": "demons markeringar hör till installationen",
    # The network's own level: kept by its secretariat, not part of one region's record.
    "network.ThemeGroup": "nätverkets temagrupper hör till nätverket, inte till en region",
    "network.ThemeGroupMember": "hör till nätverkets temagrupper",
    "selfevaluation.FollowUpQuestion": "nätverkets följefrågor hör till nätverket",
    "selfevaluation.FollowUpAnswer": "svaren är lämnade till nätverket och hör till dess frågor",
}


# ---------------------------------------------------------------------------------------------
# What the export and the import share


def model_of(label: str) -> type[Model]:
    return apps.get_model(label)


def region_filter(label: str, region) -> Q:
    """The rows of ``label`` that belong to ``region``."""
    if label == "accounts.Organisation":
        return Q(pk=region.pk) | Q(region=region)
    return Q(**{SCOPE[label].lookup: region})


def relation_fields(model: type[Model]) -> list:
    """The model's stored foreign keys (and one-to-one keys)."""
    return [f for f in model._meta.concrete_fields if f.is_relation and not f.primary_key]


def plain_fields(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key]


def link_fields(model: type[Model]) -> list:
    """The model's many-to-many fields whose link rows Django makes (no own through model)."""
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


def model_order() -> list[str]:
    """The scope's models, each after every model its foreign keys point to."""
    order: list[str] = []
    remaining = list(SCOPE)
    while remaining:
        for label in remaining:
            needs = {f.related_model._meta.label for f in relation_fields(model_of(label))}
            if (needs & set(SCOPE)) - {label} <= set(order):
                break
        else:
            raise ImproperlyConfigured(f"Kretsberoende mellan modellerna: {remaining}")
        order.append(label)
        remaining.remove(label)
    return order


def migration_state() -> dict[str, list[str]]:
    """The applied migrations of Hälsogap's apps (and the audit log's), per app."""
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("halsogap_web.")}
    labels |= set(MIGRATED_APPS)
    state: dict[str, list[str]] = defaultdict(list)
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in labels:
            state[app].append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def key_value(key: tuple):
    """A natural key as the archive writes it: one text, or a list for several fields."""
    return key[0] if len(key) == 1 else list(key)


def key_tuple(value) -> tuple:
    return tuple(value) if isinstance(value, list) else (value,)


def natural_keys(label: str, pks) -> dict[int, tuple]:
    """The natural keys of the national objects among ``pks``: {pk: key}."""
    spec = NATIONAL[label]
    rows = model_of(label).objects.filter(pk__in=pks, **spec.only).values_list("pk", *spec.key)
    return {row[0]: tuple(row[1:]) for row in rows}


def plain_value(value):
    """A stored value as JSON holds it; moments keep their microseconds and time zone."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


# ---------------------------------------------------------------------------------------------
# Export


def find_region(code: str):
    """The region organisation whose area has SCB code ``code``, or None."""
    Organisation = model_of("accounts.Organisation")
    return Organisation.objects.filter(kind="region", area__code=code).first()


def export_region(region) -> dict:
    """The region's whole steering record as an archive (a dict ready for JSON).

    References to users outside the region (an administrator of the whole installation, say)
    are left empty: only the region's members are exported.
    """
    if region.area is None:
        raise ArchiveError(f"{region} saknar områdeskod och kan inte exporteras.")
    raw = {
        label: list(
            model_of(label).objects.filter(region_filter(label, region)).order_by("pk").values()
        )
        for label in model_order()
    }
    exported = {
        label: {row[model_of(label)._meta.pk.attname] for row in rows}
        for label, rows in raw.items()
    }
    users = _members(exported["accounts.Organisation"])
    # Memberships travel with their users; listing them lets audit entries keep their object.
    exported["accounts.Membership"] = {u["membership"] for u in users}
    refs = _References(exported, {u["pk"]: u["username"] for u in users})
    objects = {label: refs.rows(model_of(label), rows) for label, rows in raw.items()}
    audit = _audit_entries(region, refs)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "migrations": migration_state(),
        "region": {"code": region.area.code, "name": region.name},
        "national": refs.national_listing(),
        "users": [{k: v for k, v in u.items() if k != "pk"} for u in users],
        "objects": objects,
        "audit": audit,
        "counts": {label: len(rows) for label, rows in objects.items()}
        | {"users": len(users), "audit": len(audit)},
    }


#: What the counts of an export or a restore that are not rows of the scope are called.
COUNT_NAMES = {
    "users": "användare (utan lösenord)",
    "users.created": "nya användare (utan användbart lösenord)",
    "users.existing": "användare som redan fanns i regionen",
    "accounts.Organisation.existing": "organisationer som redan fanns (återanvända)",
    "audit": "händelser i granskningsloggen",
}


def describe_counts(counts: dict[str, int]) -> list[str]:
    """Each count as a Swedish line ("12 behovsgrupper"), in the archive's order."""
    lines = []
    for key, count in counts.items():
        if key in COUNT_NAMES:
            name = COUNT_NAMES[key]
        elif key in SCOPE:
            name = SCOPE[key].name
        else:
            label, _dot, field = key.rpartition(".")
            target = model_of(label)._meta.get_field(field).verbose_name
            name = f"kopplingar från {SCOPE[label].name} till {target}"
        lines.append(f"{count} {name}")
    return lines


def archive_bytes(archive: dict) -> bytes:
    """The archive as the file holds it: UTF-8 JSON, readable and diffable."""
    return json.dumps(archive, ensure_ascii=False, indent=1).encode("utf-8")


def _members(organisation_pks: set[int]) -> list[dict]:
    """The region's users without passwords: who they are and their place in the region."""
    Membership = model_of("accounts.Membership")
    memberships = Membership.objects.filter(organisation__in=organisation_pks).select_related(
        "user"
    )
    return [
        {
            "pk": m.user.pk,
            "username": m.user.username,
            "first_name": m.user.first_name,
            "last_name": m.user.last_name,
            "email": m.user.email,
            "role": m.role,
            "organisation": m.organisation_id,
            "membership": m.pk,
            "chosen": m.chosen,
        }
        for m in memberships.order_by("user__username", "pk")
    ]


class _References:
    """Writes the references of exported rows: archive pks, natural keys or usernames."""

    def __init__(self, exported: dict[str, set[int]], usernames: dict[int, str]):
        self.exported = exported
        self.usernames = usernames
        self.user_model = get_user_model()
        self.keys: dict[str, dict[int, tuple]] = {}
        self.used: dict[str, set[tuple]] = defaultdict(set)

    def rows(self, model: type[Model], rows: list[dict]) -> list[dict]:
        """The rows with their plain values, references and many-to-many links."""
        relations, plain = relation_fields(model), plain_fields(model)
        pk = model._meta.pk.attname
        self._prefetch(relations, rows)
        links = {f.name: self._links(f, [r[pk] for r in rows]) for f in link_fields(model)}
        result = []
        for row in rows:
            fields = {f.name: plain_value(row[f.attname]) for f in plain}
            for f in relations:
                fields[f.name] = self.reference(f, row[f.attname])
            for name, by_row in links.items():
                fields[name] = by_row.get(row[pk], [])
            result.append({"pk": row[pk], "fields": fields})
        return result

    def reference(self, field, pk):
        """How the archive names the object ``pk`` that ``field`` points to."""
        if pk is None:
            return None
        target = field.related_model
        label = target._meta.label
        if target is self.user_model:
            # A user outside the region is not exported; the reference is left empty.
            return self.usernames.get(pk)
        if pk in self.exported.get(label, ()):
            return pk
        key = self.natural_key(label, pk)
        if key is not None:
            self.used[label].add(key)
            return key_value(key)
        if field.null:
            return None
        raise ArchiveError(
            f"{field.model._meta.verbose_name.capitalize()} pekar på ett objekt "
            f"({target._meta.verbose_name} {pk}) som varken hör till regionen eller är "
            "nationellt; exporten avbröts."
        )

    def national_listing(self) -> dict[str, list]:
        return {
            label: sorted(key_value(k) for k in keys) for label, keys in sorted(self.used.items())
        }

    def natural_key(self, label: str, pk: int) -> tuple | None:
        """The natural key of the national object ``pk``, or None if it is not national."""
        if label not in NATIONAL:
            return None
        if pk not in self.keys.setdefault(label, {}):
            self.keys[label].update(natural_keys(label, [pk]) or {pk: None})
        return self.keys[label][pk]

    def _prefetch(self, relations: list, rows: list[dict]) -> None:
        # One query per national model rather than one per reference.
        wanted: dict[str, set[int]] = defaultdict(set)
        for f in relations:
            label = f.related_model._meta.label
            if label in NATIONAL:
                wanted[label] |= {r[f.attname] for r in rows} - self.exported.get(label, set())
        for label, pks in wanted.items():
            known = self.keys.setdefault(label, {})
            pks = {pk for pk in pks if pk is not None and pk not in known}
            found = natural_keys(label, pks)
            known.update({pk: found.get(pk) for pk in pks})

    def _links(self, field, pks: list[int]) -> dict[int, list]:
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        target_field = through._meta.get_field(target)
        pairs = through.objects.filter(**{f"{source}__in": pks}).order_by("pk")
        pairs = list(pairs.values_list(f"{source}_id", f"{target}_id"))
        self._prefetch([target_field], [{target_field.attname: t} for _s, t in pairs])
        links: dict[int, list] = defaultdict(list)
        for source_pk, target_pk in pairs:
            links[source_pk].append(self.reference(target_field, target_pk))
        return links


def _audit_entries(region, refs: _References) -> list[dict]:
    """The audit log's entries about the region, each naming its object as a reference."""
    LogEntry = get_logentry_model()
    entries = LogEntry.objects.filter(additional_data__region_id=region.pk).order_by("pk")
    content_types = {
        (c.app_label, c.model): c.model_class()
        for c in model_of("contenttypes.ContentType").objects.all()
    }
    rows = refs.rows(LogEntry, list(entries.values()))
    for row in rows:
        fields = row["fields"]
        # The object's pk is only meaningful here; the import writes the new one.
        fields.pop("object_id", None)
        object_pk = fields.pop("object_pk", "")
        model = content_types.get(key_tuple(fields["content_type"]))
        fields["object"] = _audit_object(refs, model, object_pk)
    return rows


def _audit_object(refs: _References, model: type[Model] | None, object_pk: str):
    """The entry's object as a reference; None when it is gone or outside the archive.

    A national object is named by its natural key when it still exists, but the import does
    not require it: a line of history must not stop a restore.
    """
    if model is None or not str(object_pk).isdigit():
        return None
    pk, label = int(object_pk), model._meta.label
    if pk in refs.exported.get(label, ()):
        return pk
    key = refs.natural_key(label, pk)
    return key_value(key) if key is not None else None
