"""Backup and restore of one region's steering record: ``export_region`` and ``import_region``.

The round trip crosses databases. Once per module, a subprocess migrates a fresh SQLite
database in a temporary directory, loads the whole demo year into it (plus the kinds of rows
the demo does not make), exports Region Stockholm with ``export_region`` and writes a
fingerprint of the record as it stood there: every row of every kind by its content (titles,
codes, names, usernames; never pks) and every many-to-many link. The tests then import that
archive into the test database, which is PostgreSQL in the second run of ``scripts/test``, and
compare. The test database already holds Region Stockholm with its units and personas but no
steering record, which is exactly where the conflict rule lets a region be restored.

The subprocess takes about a minute (the migrations and the demo year); the refusal tests
reuse its archive, so it runs once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import JSONField, Max

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.accounts.models import Membership, Organisation, Role
from halsogap_web.archive.region_archive import (
    LEFT_OUT,
    NATIONAL,
    SCOPE,
    link_fields,
    model_of,
    region_filter,
)

ROOT = Path(__file__).resolve().parents[2]
STOCKHOLM = "Region Stockholm"
SKANE = "Region Skåne"
OWN_CODE = "HG_ARKIV_EGEN"
MARK = "(arkivtest)"

SOURCE_SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connection
# A throwaway database: no need to wait for the disk after every migration.
connection.cursor().execute("PRAGMA synchronous=OFF")
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.web import test_region_archive as t
t.build_source()
call_command("export_region", "01", sys.argv[1])
json.dump(t.source_facts(), open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
"""


# ---------------------------------------------------------------------------------------------
# The source installation (run inside the subprocess)


def build_source() -> None:
    """The demo year, plus one row of each kind the demo leaves empty, so each is carried."""
    from .test_access_probe import _load_demo_year

    _load_demo_year()
    region = Organisation.objects.get(name=STOCKHOLM)
    anna = get_user_model().objects.get(username="anna.analytiker")
    indicator = _own_data(region, anna)
    _more_steering(region, anna, indicator)


def _own_data(region, anna):
    """An own indicator with values from the region's own load batch and a data source."""
    from halsogap_web.observations.models import Indicator, LoadBatch
    from halsogap_web.observations.store import write_observations
    from halsogap_web.sources.models import DataSource, SourceRun

    batch = LoadBatch.objects.create(
        organisation=region,
        created_by=anna,
        file_name=f"egen_enkat.csv {MARK}",
        checksum="a" * 64,
        file_format="tidy",
        row_count=2,
        created_count=2,
    )
    indicator = Indicator.objects.create(
        code=OWN_CODE,
        title=f"Regionens egen enkätfråga {MARK}",
        unit="procent",
        kind=Indicator.Kind.SURVEY,
        source="Regionens egen enkät",
        organisation=region,
    )
    rows = [
        {"indicator": OWN_CODE, "area": "01", "period": p, "sex": "T", "value": v}
        for p, v in (("2021", 31.5), ("2022", 29.25))
    ]
    write_observations(pl.DataFrame(rows), batch_id=batch.id)
    source = DataSource.objects.create(
        organisation=region,
        name=f"Regionens statistikserver {MARK}",
        kind="pxweb2",
        url="https://statistik.example.org/api/v2",
        table="TAB001",
        selection={"Tid": ["2022"], "Region": ["01"]},
        created_by=anna,
    )
    SourceRun.objects.create(source=source, status=SourceRun.Status.DONE, batch=batch)
    return indicator


def _more_steering(region, anna, indicator) -> None:
    """A milestone, a waiver, a dialogue comment, a second decision and a measure variant."""
    from halsogap_web.assignments.models import Assignment, DialogueComment, Milestone, Waiver
    from halsogap_web.priorities.models import Measure, PriorityDecision

    assignment = Assignment.objects.filter(region=region).order_by("pk").first()
    Milestone.objects.create(
        assignment=assignment, due_on=date(2027, 3, 31), text=f"Delrapport {MARK}"
    )
    Waiver.objects.create(
        assignment=assignment, key="process", reason=f"Mäts först nästa år {MARK}", waived_by=anna
    )
    DialogueComment.objects.create(
        assignment=assignment, author=anna, step="dialogue", text=f"Hur når vi fler? {MARK}"
    )
    first = PriorityDecision.objects.filter(region=region).order_by("version").first()
    PriorityDecision.objects.create(
        region=region,
        version=first.version + 1,
        previous=first,
        body=first.body,
        decided_on=first.decided_on,
        decided_by=first.decided_by,
        rationale=f"Justerad budget efter delårsrapporten {MARK}",
        budget=first.budget * 1.1,
        weights=first.weights,
        ranking=first.ranking,
        allocation=first.allocation,
        recorded_by=anna,
    )
    own = Measure.objects.filter(region=region).order_by("pk").first()
    Measure.objects.create(
        region=region,
        code="RS-ARKIV-01",
        title=f"Variant av regionens åtgärd {MARK}",
        kind=own.kind,
        perspective=own.perspective,
        source="Arkivtestet",
        based_on=own,
        effect_indicator=indicator,
    )


def source_facts() -> dict:
    """What the test compares with: Stockholm's record and Skåne's texts in the source."""
    region = Organisation.objects.get(name=STOCKHOLM)
    return {
        "fingerprint": fingerprint(region),
        "samples": samples(region),
        "skane_texts": sorted(
            set(other_region_texts(Organisation.objects.get(name=SKANE)))
            - set(other_region_texts(region))
        ),
        "hashes": list(get_user_model().objects.values_list("password", flat=True)),
    }


# ---------------------------------------------------------------------------------------------
# Describing a region's record by content


def _text(field, value) -> str:
    if field.is_relation:
        # A related object by what it shows (title, code, name, username), never by its pk.
        return "–" if value is None else str(value)
    if isinstance(field, JSONField):
        # PostgreSQL's jsonb orders keys its own way; sorted, the two databases agree.
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def describe(obj) -> str:
    """Every stored field of ``obj`` but its pk, references by their related object's text."""
    return "; ".join(
        f"{f.name}={_text(f, getattr(obj, f.name))}"
        for f in obj._meta.concrete_fields
        if not f.primary_key
    )


def fingerprint(region, *, audit_after: int = 0) -> dict[str, list[str]]:
    """The region's record by content: each kind's rows and links, its users, its audit log."""
    from auditlog.models import LogEntry

    result: dict[str, list[str]] = {}
    for label in SCOPE:
        model = model_of(label)
        rows = list(model.objects.filter(region_filter(label, region)))
        result[label] = sorted(describe(obj) for obj in rows)
        for field in link_fields(model):
            result[f"{label}.{field.name}"] = sorted(
                f"{obj} → {target}" for obj in rows for target in getattr(obj, field.name).all()
            )
    members = Membership.objects.filter(organisation__in=region_filter_orgs(region))
    result["users"] = sorted(
        f"{m.user.username}; {m.user.get_full_name()}; {m.user.email}; {m.role}; {m.organisation}"
        for m in members.select_related("user", "organisation")
    )
    entries = LogEntry.objects.filter(additional_data__region_id=region.pk, pk__gt=audit_after)
    result["audit"] = sorted(_audit_line(e) for e in entries.select_related("content_type"))
    return result


def region_filter_orgs(region):
    return Organisation.objects.filter(region_filter("accounts.Organisation", region))


def _audit_line(entry) -> str:
    model = entry.content_type.model_class()
    current = None
    if model is not None and entry.object_id is not None:
        current = model.objects.filter(pk=entry.object_id).first()
    changes = json.dumps(entry.changes, sort_keys=True, ensure_ascii=False)
    return (
        f"{entry.content_type.app_label}.{entry.content_type.model} | {entry.object_repr} | "
        f"{entry.action} | {entry.actor} | {entry.timestamp.isoformat()} | {changes} | "
        f"nu: {current if current is not None else '–'}"
    )


def samples(region) -> dict[str, list[str]]:
    """A few links spelled out, so that a failure reads as what broke."""
    from halsogap_web.assignments.models import Assignment, PlanIndicator
    from halsogap_web.priorities.models import Assessment, Measure, PriorityDecision
    from halsogap_web.selfevaluation.models import Score

    analysis = region.analyses.get()
    assignment = Assignment.objects.filter(region=region).order_by("created_at", "title").first()
    return {
        "need groups of the analysis": sorted(g.name for g in analysis.need_groups.all()),
        "needs of the analysis": sorted(i.indicator.code for i in analysis.items.all()),
        "measures of an assignment": sorted(m.code for m in assignment.measures.all()),
        "needs of an assignment": sorted(str(n) for n in assignment.needs.all()),
        "recipients of an assignment": sorted(str(r) for r in assignment.recipients.all()),
        "goals of the plan lines": sorted(
            f"{p.indicator.code}: {p.goal.text if p.goal else '–'}"
            for p in PlanIndicator.objects.filter(assignment__region=region)
        ),
        "assessments": sorted(
            f"{a.need_group.name} × {a.indicator.code} × {a.measure.code}"
            for a in Assessment.objects.filter(region=region)
        ),
        "decisions": sorted(
            f"{d.version} ← {d.previous.version if d.previous else '–'}"
            for d in PriorityDecision.objects.filter(region=region)
        ),
        "measures based on": sorted(
            f"{m.code} ← {m.based_on.code if m.based_on else '–'}"
            for m in Measure.objects.filter(region=region)
        ),
        "scores": sorted(
            f"{s.statement.code}={s.score}" for s in Score.objects.filter(evaluation__region=region)
        ),
    }


def other_region_texts(region) -> list[str]:
    """Titles and names in a region's record (the caller removes those both regions use)."""
    from halsogap_web.assignments.models import Assignment
    from halsogap_web.needs.models import NeedGroup, NeedsAnalysis
    from halsogap_web.priorities.models import Measure, PriorityDecision

    texts = {region.name}
    texts |= set(NeedsAnalysis.objects.filter(region=region).values_list("title", flat=True))
    texts |= set(NeedGroup.objects.filter(region=region).values_list("name", flat=True))
    texts |= set(Assignment.objects.filter(region=region).values_list("title", flat=True))
    texts |= set(Measure.objects.filter(region=region).values_list("title", flat=True))
    texts |= set(PriorityDecision.objects.filter(region=region).values_list("rationale", flat=True))
    texts |= set(
        Membership.objects.filter(organisation__in=region_filter_orgs(region)).values_list(
            "user__username", flat=True
        )
    )
    return sorted(t for t in texts if t)


def row_counts() -> dict[str, int]:
    """How many rows every table holds: a refused import must leave every one as it was."""
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> SimpleNamespace:
    """Region Stockholm's archive exported from a fresh SQLite database, and its facts."""
    directory = tmp_path_factory.mktemp("region_archive")
    archive, facts = directory / "stockholm.json", directory / "facts.json"
    # The source database (100 MB with the demo's values) is faster in memory where possible.
    shm = Path("/dev/shm")
    memory = shm if shm.is_dir() and os.access(shm, os.W_OK) else directory
    with tempfile.TemporaryDirectory(dir=memory) as scratch:
        done = _build_source(Path(scratch) / "source.sqlite3", archive, facts)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Region Stockholm är exporterad" in done.stdout
    return SimpleNamespace(
        path=archive,
        data=json.loads(archive.read_text(encoding="utf-8")),
        **json.loads(facts.read_text(encoding="utf-8")),
    )


def _build_source(database: Path, archive: Path, facts: Path) -> subprocess.CompletedProcess:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "halsogap_web.settings",
        "HALSOGAP_EVIDENCE_CACHE": "",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-c", SOURCE_SCRIPT, str(archive), str(facts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def national(db):
    """The national objects the demo's archive refers to that the session data lacks."""
    from halsogap_web.priorities.demo import load_catalogue
    from halsogap_web.selfevaluation.demo import ensure_default_definition

    load_catalogue()
    ensure_default_definition()


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import_region", str(path), stdout=out)
    return out.getvalue()


def _refused(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("import_region", str(path), stdout=StringIO())
    return str(refused.value)


def _variant(tmp_path: Path, data: dict, **changes) -> Path:
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(data | changes, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The round trip


def test_a_region_exported_from_sqlite_is_restored_here_with_every_object_and_link(
    source, national, stockholm, monkeypatch
):
    from auditlog.models import LogEntry

    from halsogap_web import evidence

    cleared = []
    monkeypatch.setattr(evidence, "clear_cache", lambda: cleared.append(True))
    audit_before = LogEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    personas = set(Membership.objects.filter(organisation__in=region_filter_orgs(stockholm)))

    output = _import(source.path)

    restored = fingerprint(stockholm, audit_after=audit_before)
    expected = source.fingerprint
    # The test database's own personas are Stockholm's too; the restored users come beside.
    restored["users"] = [u for u in restored["users"] if u not in {_persona(m) for m in personas}]
    assert connection.vendor in {"sqlite", "postgresql"}
    for kind in expected:
        assert restored[kind] == expected[kind], f"{kind} skiljer sig efter återställningen"
    assert all(expected[kind] for kind in SCOPE), "varje slag ska finnas i källan"
    links = [kind for kind in expected if kind.count(".") == 2]
    # Every many-to-many link of every archived model, each one present in the source.
    m2m = [f for kind in SCOPE for f in model_of(kind)._meta.many_to_many]
    assert len(links) == len(m2m) == 6, links
    assert all(expected[kind] for kind in links), "kopplingarna saknas"
    assert samples(stockholm) == source.samples
    assert "Region Stockholm är återställd" in output and "behovsanalyser" in output
    assert cleared, "evidensläsarens cache tömdes inte"


def _persona(membership) -> str:
    user = membership.user
    return (
        f"{user.username}; {user.get_full_name()}; {user.email}; {membership.role}; "
        f"{membership.organisation}"
    )


def test_restored_users_have_no_usable_password_and_keep_their_role(source, national):
    _import(source.path)
    anna = get_user_model().objects.get(username="anna.analytiker")
    assert not anna.has_usable_password()
    assert get_membership_for_user(anna).role == Role.ANALYTIKER
    assert get_membership_for_user(anna).region.name == STOCKHOLM


def test_a_username_already_in_the_region_is_kept_and_not_duplicated(source, national, stockholm):
    User = get_user_model()
    anna = User.objects.create(username="Anna.Analytiker", first_name="Anna")
    anna.set_password("ett-eget-lösenord-1234")
    anna.save()
    Membership.objects.create(user=anna, organisation=stockholm, role=Role.ANALYTIKER)

    output = _import(source.path)

    assert User.objects.filter(username__iexact="anna.analytiker").count() == 1
    anna.refresh_from_db()
    assert anna.has_usable_password()
    assert "1 användare som redan fanns i regionen" in output
    assert stockholm.analyses.get().created_by == anna


def test_it_creates_the_region_its_units_and_users_when_the_target_lacks_the_region(
    source, national
):
    old = Organisation.objects.get(name=STOCKHOLM)
    Organisation.objects.filter(pk=old.pk).update(name="Gamla regionen", area=None)

    _import(source.path)

    region = Organisation.objects.get(kind="region", area__code="01")
    assert region.pk != old.pk and region.name == STOCKHOLM
    restored = fingerprint(region, audit_after=0)
    for kind in SCOPE:
        assert restored[kind] == source.fingerprint[kind], kind
    assert restored["users"] == source.fingerprint["users"]
    assert restored["audit"] == source.fingerprint["audit"]


# ---------------------------------------------------------------------------------------------
# Refusals change nothing


def test_it_refuses_an_archive_of_a_newer_version_and_changes_nothing(source, national, tmp_path):
    before = row_counts()
    message = _refused(_variant(tmp_path, source.data, version=2))
    assert "formatversion 2" in message and "kan bara läsa version 1" in message
    assert row_counts() == before


def test_it_refuses_an_archive_of_an_older_version_and_changes_nothing(source, national, tmp_path):
    before = row_counts()
    message = _refused(_variant(tmp_path, source.data, version=0))
    assert "formatversion 0" in message and "inte kan läsa" in message
    assert row_counts() == before


def test_it_refuses_a_file_of_another_format_and_changes_nothing(source, tmp_path, db):
    before = row_counts()
    assert "formatet ”annat” är okänt" in _refused(_variant(tmp_path, source.data, format="annat"))
    broken = tmp_path / "trasig.json"
    broken.write_text("{inte json", encoding="utf-8")
    assert "inte ett Hälsogap-arkiv" in _refused(broken)
    assert row_counts() == before


def test_it_refuses_an_archive_from_a_newer_database_structure(source, national, tmp_path):
    migrations = source.data["migrations"] | {"needs": ["0999_framtida_falt"]}
    before = row_counts()
    message = _refused(_variant(tmp_path, source.data, migrations=migrations))
    assert "nyare databasstruktur" in message and "needs.0999_framtida_falt" in message
    assert row_counts() == before


def test_it_refuses_an_archive_whose_national_indicator_is_missing_and_changes_nothing(
    source, national
):
    from halsogap_web.observations.models import Indicator

    code = source.data["national"]["observations.Indicator"][0]
    Indicator.objects.filter(code=code).delete()
    before = row_counts()
    message = _refused(source.path)
    assert "saknar nationella uppgifter" in message and f"indikatorer: {code}" in message
    assert row_counts() == before


def test_it_refuses_an_archive_whose_catalogue_measures_are_missing(source, db):
    before = row_counts()
    message = _refused(source.path)
    assert "åtgärder i den nationella katalogen" in message
    assert "standarddefinitioner" in message
    assert row_counts() == before


def test_it_refuses_a_region_that_already_has_a_steering_record_and_changes_nothing(
    source, national, stockholm
):
    from halsogap_web.needs.models import NeedsAnalysis

    NeedsAnalysis.objects.create(region=stockholm, title="Redan här", year=2026)
    before = row_counts()
    message = _refused(source.path)
    assert "Region Stockholm har redan ett styrningsunderlag" in message
    assert "1 behovsanalyser" in message and "inget ändrades" in message
    assert row_counts() == before


def test_it_refuses_a_username_that_belongs_to_another_region_and_changes_nothing(
    source, national, skane
):
    user = get_user_model().objects.create(username="anna.analytiker")
    Membership.objects.create(user=user, organisation=skane, role=Role.ANALYTIKER)
    before = row_counts()
    message = _refused(source.path)
    assert "anna.analytiker (Region Skåne)" in message and "inget ändrades" in message
    assert row_counts() == before


# ---------------------------------------------------------------------------------------------
# What the archive holds


def test_the_archive_holds_no_password_hashes(source):
    text = source.path.read_text(encoding="utf-8")
    hashes = [h for h in source.hashes if h and not h.startswith("!")]
    assert hashes, "källan borde ha riktiga lösenord (demoanvändarna)"
    assert not [h for h in hashes if h in text]
    assert '"password"' not in text and "pbkdf2_" not in text and "argon2" not in text
    assert {u["username"] for u in source.data["users"]} >= {"anna.analytiker", "adam.admin"}


def test_the_archive_of_stockholm_holds_nothing_of_skane(source):
    text = source.path.read_text(encoding="utf-8")
    assert len(source.skane_texts) >= 4 and "otto.skane" in source.skane_texts
    assert [t for t in source.skane_texts if t in text] == []
    assert source.data["region"] == {"code": "01", "name": STOCKHOLM}


def test_the_archive_names_its_format_version_and_migration_state(source):
    data = source.data
    assert (data["format"], data["version"]) == ("halsogap-region", 1)
    assert "needs" in data["migrations"] and "auditlog" in data["migrations"]
    assert data["exported_at"][:4].isdigit()
    assert set(data["national"]) >= {"observations.Area", "observations.Indicator"}


def test_every_model_of_halsogap_is_exported_national_or_left_out_with_a_reason():
    models = [m for m in apps.get_models() if m.__module__.startswith("halsogap_web.")]
    unplaced = [
        m._meta.label
        for m in models
        if m._meta.label not in SCOPE
        and m._meta.label not in LEFT_OUT
        and m._meta.label not in NATIONAL
    ]
    assert unplaced == []
