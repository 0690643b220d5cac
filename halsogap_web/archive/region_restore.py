"""Restore of a region's steering record from an archive made by :mod:`.region_archive`.

Everything happens in one transaction, and every check that can refuse runs before the first
write: the format and its version, the database structure, the national objects the archive
refers to, and conflicts (the region already has a steering record here, an own indicator's
code is taken, a username belongs to someone outside the region). Primary keys are not
portable: each restored row gets a new pk, and every reference is mapped from old to new.
"""

from __future__ import annotations

import json
from collections import defaultdict

from auditlog import get_logentry_model
from auditlog.context import disable_auditlog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Lower

from halsogap_web import evidence
from halsogap_web.accounts.access import get_membership_for_user

from .region_archive import (
    FORMAT,
    NATIONAL,
    SCOPE,
    VERSION,
    ArchiveError,
    find_region,
    key_tuple,
    link_fields,
    migration_state,
    model_of,
    model_order,
    plain_fields,
    region_filter,
    relation_fields,
)

#: Rows written per INSERT; keeps every statement within SQLite's limit on parameters.
BATCH = 500
#: How many names a refusal lists before it says how many more there are.
SHOWN = 10
NOTHING_CHANGED = "Importen avbröts; inget ändrades."


def read_archive(data: bytes) -> dict:
    """The archive held in ``data``; refuses what is not a JSON object."""
    try:
        archive = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(
            f"Filen är inte ett Hälsogap-arkiv: den går inte att läsa som JSON ({exc})."
        ) from exc
    if not isinstance(archive, dict):
        raise ArchiveError("Filen är inte ett Hälsogap-arkiv för en region.")
    return archive


def check_header(archive: dict) -> None:
    """Refuse another format, a version this code cannot read, or a newer database structure."""
    if archive.get("format") != FORMAT:
        raise ArchiveError(
            f"Filen är inte ett Hälsogap-arkiv för en region: formatet "
            f"”{archive.get('format')}” är okänt (väntade ”{FORMAT}”). {NOTHING_CHANGED}"
        )
    version = archive.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ArchiveError(f"Arkivet saknar ett giltigt versionsnummer. {NOTHING_CHANGED}")
    if version > VERSION:
        raise ArchiveError(
            f"Arkivet har formatversion {version}, men den här installationen av Hälsogap kan "
            f"bara läsa version {VERSION}. Uppdatera Hälsogap och försök igen. {NOTHING_CHANGED}"
        )
    if version < VERSION:
        raise ArchiveError(
            f"Arkivet har formatversion {version}, som den här installationen inte kan läsa "
            f"(den läser version {VERSION}). Exportera regionen på nytt. {NOTHING_CHANGED}"
        )
    applied = migration_state()
    missing = [
        f"{app}.{name}"
        for app, names in sorted((archive.get("migrations") or {}).items())
        for name in names
        if name not in applied.get(app, ())
    ]
    if missing:
        raise ArchiveError(
            "Arkivet kommer från en nyare databasstruktur än den här installationens; här "
            f"saknas migreringarna {_listing(missing)}. Uppdatera Hälsogap och kör migrate "
            f"först. {NOTHING_CHANGED}"
        )
    unknown = sorted(set(archive.get("objects") or {}) - set(SCOPE))
    if unknown:
        raise ArchiveError(f"Arkivet innehåller okända slags objekt: {_listing(unknown)}.")


def import_region(archive: dict) -> dict[str, int]:
    """Restore the archive's region in one transaction; returns how many rows of each kind.

    Raises :class:`ArchiveError`, and changes nothing, when the archive is refused.
    """
    check_header(archive)
    # The restored rows bring their own history (the archived audit entries); an entry per
    # restored row, written now, would bury it.
    with transaction.atomic(), disable_auditlog():
        restore = _Restore(archive)
        try:
            restore.check()
            summary = restore.run()
        except KeyError as exc:
            raise ArchiveError(
                f"Arkivet är trasigt: det hänvisar till {exc}, som inte finns i arkivet. "
                f"{NOTHING_CHANGED}"
            ) from exc
    # The evidence reader caches frames by a data version; a restore changes a whole region.
    evidence.clear_cache()
    return summary


def _listing(items, shown: int = SHOWN) -> str:
    items = [str(i) for i in items]
    more = f" och {len(items) - shown} till" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more


def _key_text(key: tuple) -> str:
    return " / ".join(str(part) for part in key)


def _model_for(content_type_key) -> type[Model] | None:
    """The model a content type's natural key (app label, model name) names, if it exists."""
    try:
        return apps.get_model(*key_tuple(content_type_key))
    except (LookupError, TypeError, ValueError):
        return None


class _Restore:
    """One restore: the checks, then the writes, with the map from old pks to new."""

    def __init__(self, archive: dict):
        self.archive = archive
        self.objects: dict[str, list[dict]] = archive.get("objects") or {}
        self.code = (archive.get("region") or {}).get("code")
        self.region = find_region(self.code) if self.code else None
        self.user_model = get_user_model()
        self.pks: dict[str, dict[int, int]] = defaultdict(dict)
        self.national: dict[str, dict[tuple, int]] = {}
        self.users: dict[str, int] = {}
        self.summary: dict[str, int] = {}

    # --- Checks (no writes) ------------------------------------------------------------------

    def check(self) -> None:
        """Every reason to refuse, checked before anything is written."""
        if not self.code:
            raise ArchiveError(f"Arkivet anger ingen region. {NOTHING_CHANGED}")
        self._check_region_is_free()
        self._check_national()
        self._check_own_indicators()
        self._check_users()

    def _check_region_is_free(self) -> None:
        if self.region is None:
            return
        found = {}
        for label, scope in SCOPE.items():
            if label == "accounts.Organisation":
                continue
            count = model_of(label).objects.filter(region_filter(label, self.region)).count()
            if count:
                found[scope.name] = count
        if found:
            listed = _listing(f"{n} {name}" for name, n in found.items())
            raise ArchiveError(
                f"{self.region} har redan ett styrningsunderlag i den här installationen "
                f"({listed}). En region återställs bara där den saknas eller ännu inte har "
                f"något underlag. {NOTHING_CHANGED}"
            )

    def _check_national(self) -> None:
        wanted: dict[str, set[tuple]] = defaultdict(set)
        sources = [(model_of(label), rows) for label, rows in self.objects.items()]
        sources.append((get_logentry_model(), self.archive.get("audit") or []))
        for model, rows in sources:
            fields = [
                f
                for f in relation_fields(model) + link_fields(model)
                if f.related_model._meta.label in NATIONAL
            ]
            for row, f in ((row, f) for row in rows for f in fields):
                value = row["fields"].get(f.name)
                for ref in value if f.many_to_many else [value]:
                    if isinstance(ref, (str, list)):
                        wanted[f.related_model._meta.label].add(key_tuple(ref))
        missing = {}
        for label, keys in sorted(wanted.items()):
            self.national[label] = self._lookup(label, keys)
            absent = sorted(_key_text(k) for k in keys - set(self.national[label]))
            if absent:
                missing[NATIONAL[label].name] = absent
        if missing:
            listed = "; ".join(f"{name}: {_listing(keys)}" for name, keys in missing.items())
            raise ArchiveError(
                "Den här installationen saknar nationella uppgifter som arkivet hänvisar till "
                f"– {listed}. Läs in dem först (områden, indikatorer, åtgärdskatalogen och "
                f"standarddefinitionen). {NOTHING_CHANGED}"
            )

    def _lookup(self, label: str, keys: set[tuple]) -> dict[tuple, int]:
        """The pks of the national objects with these natural keys: {key: pk}."""
        spec = NATIONAL[label]
        rows = model_of(label).objects.filter(
            **spec.only, **{f"{spec.key[0]}__in": {k[0] for k in keys}}
        )
        found = {tuple(r[1:]): r[0] for r in rows.values_list("pk", *spec.key)}
        return {key: pk for key, pk in found.items() if key in keys}

    def _check_own_indicators(self) -> None:
        codes = [r["fields"]["code"] for r in self.objects.get("observations.Indicator", [])]
        Indicator = model_of("observations.Indicator")
        taken = sorted(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
        if taken:
            raise ArchiveError(
                "Regionens egna indikatorkoder används redan i den här installationen: "
                f"{_listing(taken)}. {NOTHING_CHANGED}"
            )

    def _check_users(self) -> None:
        # Logins ignore case, so "Anna" and "anna" are the same person here too.
        archived = {u["username"].lower(): u["username"] for u in self.archive.get("users", [])}
        existing = (
            self.user_model.objects.annotate(lowered=Lower("username"))
            .filter(lowered__in=list(archived))
            .prefetch_related("memberships__organisation")
        )
        refused = []
        for user in existing:
            membership = get_membership_for_user(user)
            home = membership.region if membership else None
            if self.region is not None and home is not None and home.pk == self.region.pk:
                self.users[archived[user.username.lower()]] = user.pk
            else:
                refused.append(f"{user.username} ({home or 'ingen region'})")
        if refused:
            raise ArchiveError(
                "Användarnamn i arkivet finns redan i den här installationen och hör inte till "
                f"regionen: {_listing(sorted(refused))}. {NOTHING_CHANGED}"
            )

    # --- Writes ------------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """Write the region's record, parents before children; returns the counts."""
        self._restore_organisations()
        self._restore_users()
        order = [label for label in model_order() if label != "accounts.Organisation"]
        for label in order:
            self._restore_model(label)
        for label in order:
            self._restore_links(label)
        self._restore_audit()
        return self.summary

    def resolve(self, field, value):
        """The pk in this installation of the object an archived reference names."""
        if value is None:
            return None
        if field.related_model is self.user_model:
            return self.users.get(value)
        label = field.related_model._meta.label
        if isinstance(value, int):
            return self.pks[label][value]
        return self.national[label][key_tuple(value)]

    def _build(self, model: type[Model], row: dict, deferred: list | None = None) -> Model:
        """An unsaved instance from an archived row, its references mapped.

        References to rows of the same model are put in ``deferred`` (when given): the row
        they point to may not have its new pk yet.
        """
        obj, values = model(), row["fields"]
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name not in values:
                continue
            value = values[f.name]
            if f.is_relation:
                if deferred is not None and f.related_model is model and isinstance(value, int):
                    deferred.append((obj, f, value))
                    continue
                value = self.resolve(f, value)
            else:
                value = f.to_python(value)
            setattr(obj, f.attname, value)
        return obj

    def _restore_organisations(self) -> None:
        """The region (found by its area code, else created) and its units, matched by name."""
        label = "accounts.Organisation"
        Organisation = model_of(label)
        rows = self.objects.get(label, [])
        regions = [r for r in rows if r["fields"].get("region") is None]
        if len(regions) != 1:
            raise ArchiveError(f"Arkivet är trasigt: regionen själv saknas. {NOTHING_CHANGED}")
        created = 0
        if self.region is None:
            self.region = self._build(Organisation, regions[0])
            self.region.save()
            created += 1
        self.pks[label][regions[0]["pk"]] = self.region.pk
        existing = {(o.name, o.kind): o.pk for o in Organisation.objects.filter(region=self.region)}
        for row in rows:
            if row is regions[0]:
                continue
            match = existing.get((row["fields"]["name"], row["fields"]["kind"]))
            if match is None:
                unit = self._build(Organisation, row)
                unit.save()
                match, created = unit.pk, created + 1
            self.pks[label][row["pk"]] = match
        self.summary[label] = created
        self.summary["accounts.Organisation.existing"] = len(rows) - created

    def _restore_users(self) -> None:
        """New users get no usable password: they set one through the ordinary reset."""
        Membership = model_of("accounts.Membership")
        memberships = self.pks["accounts.Membership"]
        created, made = 0, {}
        for archived in self.archive.get("users", []):
            organisation = self.pks["accounts.Organisation"][archived["organisation"]]
            if archived["username"] in made:
                # A second place of a user this restore created: it is theirs here too.
                membership = Membership.objects.create(
                    user_id=made[archived["username"]],
                    organisation_id=organisation,
                    role=archived["role"],
                    chosen=archived.get("chosen", False),
                )
                memberships[archived.get("membership")] = membership.pk
                continue
            if archived["username"] in self.users:
                user_pk = self.users[archived["username"]]
                # A user this installation has already keeps their places here: the archived
                # place is theirs if they hold it, else it points to the one they act in.
                existing = Membership.objects.filter(
                    user=user_pk, organisation=organisation, role=archived["role"]
                ).first() or get_membership_for_user(self.user_model.objects.get(pk=user_pk))
                memberships[archived.get("membership")] = existing.pk
                continue
            user = self.user_model(
                username=archived["username"],
                first_name=archived.get("first_name", ""),
                last_name=archived.get("last_name", ""),
                email=archived.get("email", ""),
            )
            user.set_unusable_password()
            user.save()
            membership = Membership.objects.create(
                user=user,
                organisation_id=organisation,
                role=archived["role"],
                chosen=archived.get("chosen", False),
            )
            memberships[archived.get("membership")] = membership.pk
            self.users[archived["username"]] = made[archived["username"]] = user.pk
            created += 1
        self.summary["users.created"] = created
        self.summary["users.existing"] = len(self.users) - created

    def _restore_model(self, label: str) -> None:
        model, rows = model_of(label), self.objects.get(label, [])
        deferred: list = []
        instances = [self._build(model, row, deferred) for row in rows]
        model.objects.bulk_create(instances, batch_size=BATCH)
        if any(obj.pk is None for obj in instances):
            raise ArchiveError("Databasen gav inte de nya raderna deras nycklar; importen avbröts.")
        self.pks[label] = {row["pk"]: obj.pk for row, obj in zip(rows, instances, strict=True)}
        # bulk_create stamps auto_now(_add) fields with the present moment, but the archived
        # moments are the record; they are written back with the self references, whose rows
        # all have their new pks now.
        stamped = [
            f
            for f in plain_fields(model)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for obj, row in zip(instances, rows, strict=True):
            for f in stamped:
                if f.name in row["fields"]:
                    setattr(obj, f.attname, f.to_python(row["fields"][f.name]))
        for obj, f, old in deferred:
            setattr(obj, f.attname, self.pks[label][old])
        names = sorted({f.name for f in stamped} | {f.name for _obj, f, _old in deferred})
        if names and instances:
            model.objects.bulk_update(instances, names, batch_size=BATCH)
        self.summary[label] = len(instances)

    def _restore_links(self, label: str) -> None:
        model, rows = model_of(label), self.objects.get(label, [])
        for field in link_fields(model):
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            target_field = through._meta.get_field(target)
            links = [
                through(
                    **{
                        f"{source}_id": self.pks[label][row["pk"]],
                        f"{target}_id": self.resolve(target_field, ref),
                    }
                )
                for row in rows
                for ref in row["fields"].get(field.name, [])
            ]
            through.objects.bulk_create(links, batch_size=BATCH)
            self.summary[f"{label}.{field.name}"] = len(links)

    def _restore_audit(self) -> None:
        """The region's audit entries, pointing at the restored objects and the region here."""
        LogEntry = get_logentry_model()
        rows = self.archive.get("audit") or []
        found = self._audited_national_objects(rows)
        entries = []
        for row in rows:
            values = dict(row["fields"])
            ref = values.pop("object", None)
            entry = self._build(LogEntry, {"fields": values})
            model = _model_for(values.get("content_type"))
            pk = self._audited_object(model, ref, found)
            entry.object_pk, entry.object_id = ("" if pk is None else str(pk)), pk
            entry.additional_data = {**(entry.additional_data or {}), "region_id": self.region.pk}
            entries.append(entry)
        LogEntry.objects.bulk_create(entries, batch_size=BATCH)
        self.summary["audit"] = len(entries)

    def _audited_national_objects(self, rows: list[dict]) -> dict[str, dict[tuple, int]]:
        # History about national objects keeps its object where it exists here; it is not
        # required, since a line of history must not stop a restore.
        wanted: dict[str, set[tuple]] = defaultdict(set)
        for row in rows:
            ref, model = row["fields"].get("object"), _model_for(row["fields"]["content_type"])
            if isinstance(ref, (str, list)) and model and model._meta.label in NATIONAL:
                wanted[model._meta.label].add(key_tuple(ref))
        return {label: self._lookup(label, keys) for label, keys in wanted.items()}

    def _audited_object(self, model, ref, found: dict) -> int | None:
        if ref is None or model is None:
            return None
        label = model._meta.label
        if isinstance(ref, int):
            return self.pks.get(label, {}).get(ref)
        return found.get(label, {}).get(key_tuple(ref))
