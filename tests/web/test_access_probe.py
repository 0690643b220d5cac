"""Zero leaks, proven: every URL pattern, read and written, by everyone who must not.

On the whole demo year (Region Stockholm's and Region Skåne's steering records, made as users
make them), the probe walks every URL pattern of the URL configuration with the pks of
Stockholm's objects of every kind, as Skåne's analyst, politician and administrator, as the
network's secretariat, as the provider of a Stockholm vårdcentral that receives no assignment,
and as the anonymous public:

- a GET must not answer 200 with Stockholm's private work (for the provider: with assignments
  its unit does not receive), and never 500;
- every form that Stockholm's own members are shown is replayed by each prober, and a POST with
  no data is sent to every pattern: nothing stored may change, and nothing answers 500.

The same test runs on PostgreSQL (``scripts/test`` runs ``tests/web`` on both databases).
"""

from __future__ import annotations

import re

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.accounts.models import Membership, Organisation, Role
from halsogap_web.priorities.models import PriorityDecision

from .probe_support import fingerprint, foreign_changes, page_forms
from .sweep_support import SKIPPED, _argument_names, answer_text, named_patterns

#: Pages that are open to everyone by design: what they show is published.
PUBLIC = {"start", "region", "open_priorities", "open_decision", "indicator", "indicator_csv"}
PUBLIC |= {"indicator_equity", "example_index", "import_format", "login"}
STOCKHOLM = "Region Stockholm"
SECRET_CODE = "HG_SOND_HEMLIG"
SECRET_TITLE = "Sondens hemliga indikator"


def _load_demo_year():
    from halsogap_web.accounts.demo import ensure_demo_users
    from halsogap_web.demo import load_living_demo
    from halsogap_web.needs.demo import load_demo_care_units
    from halsogap_web.observations.demo import load_demo_data
    from halsogap_web.priorities.demo import load_catalogue
    from halsogap_web.selfevaluation.demo import ensure_default_definition

    load_demo_data()
    ensure_default_definition()
    load_catalogue()
    ensure_demo_users()
    load_demo_care_units()
    load_living_demo()


def _probers(stockholm, skane) -> dict[str, object]:
    User = get_user_model()
    unit = Organisation.objects.create(
        name="Vårdcentral Sondby (test)", kind=Organisation.Kind.VARDCENTRAL, region=stockholm
    )
    made = {}
    for name, organisation, role in (
        ("skane_politician", skane, Role.FORTROENDEVALD),
        ("other_unit_provider", unit, Role.UTFORARE),
    ):
        user = User.objects.create(username=name, first_name=name, last_name="Sond")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        made[name] = user
    return {
        "outsider": User.objects.get(username="outsider"),
        "outsider_admin": User.objects.get(username="outsider_admin"),
        "skane_politician": made["skane_politician"],
        "other_unit_provider": made["other_unit_provider"],
        "secretariat": User.objects.get(username="secretariat"),
        "anonymous": None,
    }


def _stockholm_objects(stockholm) -> dict[str, list[str]]:
    """The pks (as URL arguments) of Stockholm's objects of every kind, a few of each."""
    from halsogap_web.assignments.models import Assignment, Goal, PlanIndicator
    from halsogap_web.cycles.models import Cycle, CycleStep
    from halsogap_web.governance.models import GoverningDocument
    from halsogap_web.needs.models import AnalysisIndicator, NeedsAnalysis, PopulationDialogue
    from halsogap_web.network.models import ActionPlan, GoodExample, PlanActivity
    from halsogap_web.network.theme_models import ThemeGroup
    from halsogap_web.observations.models import ImportJob
    from halsogap_web.priorities.models import Assessment, PriorityDecision
    from halsogap_web.selfevaluation.models import Evaluation, Score
    from halsogap_web.sources.models import DataSource, SourceRun

    def pks(queryset, n=1):
        return [str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True)[:n]]

    return {
        "analysis": pks(NeedsAnalysis.objects.filter(region=stockholm)),
        "dialogue": pks(PopulationDialogue.objects.filter(region=stockholm), 2),
        "governing_document": pks(GoverningDocument.objects.filter(region=stockholm), 2),
        "need": pks(AnalysisIndicator.objects.filter(analysis__region=stockholm)),
        "assignment": pks(Assignment.objects.filter(region=stockholm), 3),
        "goal": pks(Goal.objects.filter(assignment__region=stockholm)),
        "plan_line": pks(PlanIndicator.objects.filter(assignment__region=stockholm)),
        "decision": pks(PriorityDecision.objects.filter(region=stockholm)),
        "assessment": pks(Assessment.objects.filter(region=stockholm)),
        "evaluation": pks(Evaluation.objects.filter(region=stockholm)),
        "statement": pks(
            Score.objects.filter(evaluation__region=stockholm).values("statement_id"), 1
        )
        or ["1"],
        "plan": pks(ActionPlan.objects.filter(region=stockholm)),
        "activity": pks(PlanActivity.objects.filter(focus_area__plan__region=stockholm)),
        "example": pks(GoodExample.objects.filter(region=stockholm)),
        # The network's own, with a Stockholm member: no region's other members may see it.
        "theme_group": pks(ThemeGroup.objects.all()),
        "import_job": pks(ImportJob.objects.filter(organisation=stockholm)),
        "source": pks(DataSource.objects.filter(organisation=stockholm)),
        "source_run": pks(SourceRun.objects.filter(source__organisation=stockholm)),
        "step": pks(CycleStep.objects.filter(cycle__region=stockholm)),
        "year": [
            str(y) for y in Cycle.objects.filter(region=stockholm).values_list("year", flat=True)
        ],
    }


#: Which kind of object each pattern's ``pk`` names (by the start of the pattern's name).
PK_KIND = [
    ("analysis", "analysis"),
    ("dialogue", "dialogue"),
    ("governing_document", "governing_document"),
    ("need_trace", "analysis"),
    ("need_comment", "analysis"),
    ("assignment", "assignment"),
    ("follow_up", "assignment"),
    ("decision", "decision"),
    ("assessment", "assessment"),
    ("evaluation", "evaluation"),
    ("member_profile", "evaluation"),
    ("theme_", "theme_group"),
    ("plan_draft", "evaluation"),
    ("plan", "plan"),
    ("activity", "activity"),
    ("example", "example"),
    ("import_job", "import_job"),
    ("source_run_detail", "source_run"),
    ("source", "source"),
    ("wheel_step", "step"),
]


def _values(objects, decision_version: str):
    def values(name: str, parameter: str) -> list[str]:
        if parameter == "code":
            return [SECRET_CODE] if name.startswith("indicator") else ["01"]
        if parameter == "fmt":
            return ["pdf", "docx", "xlsx", "html"]
        if parameter == "version":
            return [decision_version]
        if parameter == "year":
            return objects["year"] or [str(timezone.localdate().year)]
        if parameter == "item_pk":
            return objects["need"][:1]
        if parameter == "part_pk":
            return objects["goal"][:1] + objects["plan_line"][:1]
        if parameter == "statement_pk":
            return objects["statement"]
        for prefix, kind in PK_KIND:
            if name.startswith(prefix):
                return objects[kind] or ["999999"]
        return ["999999"]

    return values


def _urls(values) -> list[tuple[str, str]]:
    from django.urls import reverse
    from django.urls.exceptions import NoReverseMatch

    urls = set()
    for pattern in named_patterns():
        combos: list[dict] = [{}]
        for parameter in _argument_names(pattern):
            combos = [{**c, parameter: v} for c in combos for v in values(pattern.name, parameter)]
        for kwargs in combos:
            try:
                urls.add((pattern.name, reverse(pattern.name, kwargs=kwargs)))
            except NoReverseMatch:
                continue
    return sorted(urls)


def _markers(stockholm) -> list[str]:
    """Strings that only Stockholm's members may read: its work is not published."""
    from halsogap_web.assignments.models import Assignment
    from halsogap_web.governance.models import GoverningDocument
    from halsogap_web.needs.models import NeedsAnalysis, PopulationDialogue
    from halsogap_web.observations.models import ImportJob

    titles = [SECRET_TITLE]
    titles += list(NeedsAnalysis.objects.filter(region=stockholm).values_list("title", flat=True))
    titles += list(
        PopulationDialogue.objects.filter(region=stockholm).values_list("title", flat=True)
    )
    titles += list(
        GoverningDocument.objects.filter(region=stockholm).values_list("title", flat=True)
    )
    titles += list(
        ImportJob.objects.filter(organisation=stockholm).values_list("file_name", flat=True)
    )
    titles += list(
        Assignment.objects.filter(region=stockholm, step="draft").values_list("title", flat=True)
    )
    # A title Skåne also uses ("Behovsanalys 2027 (demo)") proves nothing when it shows.
    shared = set(NeedsAnalysis.objects.exclude(region=stockholm).values_list("title", flat=True))
    shared |= set(Assignment.objects.exclude(region=stockholm).values_list("title", flat=True))
    return [t for t in titles if t and len(t) > 12 and t not in shared]


def _assignment_titles(stockholm) -> list[str]:
    from halsogap_web.assignments.models import Assignment

    shared = set(Assignment.objects.exclude(region=stockholm).values_list("title", flat=True))
    titles = Assignment.objects.filter(region=stockholm).values_list("title", flat=True)
    return [t for t in titles if t not in shared]


PUBLIC_MARKERS = [SECRET_TITLE, SECRET_CODE]


@pytest.fixture(scope="module")
def demo_year(django_db_setup, django_db_blocker):
    """The demo year, loaded once for the module inside a transaction that is rolled back
    after it; each test's own writes are rolled back to a savepoint within it."""
    from django.db import transaction

    from halsogap_web.observations.models import Indicator
    from halsogap_web.observations.store import write_observations

    with django_db_blocker.unblock(), transaction.atomic():
        _load_demo_year()
        stockholm = Organisation.objects.get(name="Region Stockholm")
        skane = Organisation.objects.get(name="Region Skåne")
        Indicator.objects.create(
            code=SECRET_CODE,
            title=SECRET_TITLE,
            unit="procent",
            kind=Indicator.Kind.REGISTER,
            source="Regionens egna data",
            organisation=stockholm,
        )
        write_observations(
            pl.DataFrame(
                [
                    {
                        "indicator": SECRET_CODE,
                        "area": "01",
                        "period": "2022",
                        "sex": "T",
                        "value": 41.5,
                    }
                ]
            ),
            batch_id=None,
        )
        probers = _probers(stockholm, skane)
        objects = _stockholm_objects(stockholm)
        decision = PriorityDecision.objects.filter(region=stockholm).order_by("version").first()
        urls = _urls(_values(objects, str(decision.version if decision else 1)))
        yield {
            "probers": probers,
            "urls": urls,
            "private": _markers(stockholm),
            "assignments": _assignment_titles(stockholm),
            "forms": _owner_forms(urls),
        }
        transaction.set_rollback(True)


def _owner_forms(urls) -> list[tuple[str, dict]]:
    """Every POST form that Stockholm's own members are shown on an HTML page."""
    from django.test import Client

    forms = {}
    for owner in ["analyst", "politician", "provider", "admin", "hfs"]:
        client = Client()
        client.force_login(get_user_model().objects.get(username=owner))
        for _name, url in urls:
            if "fmt" in url or url.endswith((".csv", ".pdf", ".docx", ".xlsx")):
                continue
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                for form in page_forms(response.content.decode(), url):
                    # One replay per action and set of fields: the values are the owner's.
                    key = (form.action, tuple(sorted(form.fields)))
                    forms[key] = (form.action, form.fields)
    return list(forms.values())


PROBERS = ["outsider", "outsider_admin", "skane_politician", "other_unit_provider", "secretariat"]
PROBERS += ["anonymous"]


@pytest.mark.parametrize("who", PROBERS)
def test_no_one_reads_another_regions_or_units_work(demo_year, client_for, who, db):
    client = client_for(demo_year["probers"][who])
    findings = []
    for name, url in demo_year["urls"]:
        response = client.get(url)
        if response.status_code >= 500:
            findings.append(f"GET {url}: {response.status_code}")
            continue
        if response.status_code != 200:
            continue
        text = answer_text(response)
        watch = PUBLIC_MARKERS if name in PUBLIC else demo_year["private"]
        if who == "other_unit_provider":
            # A provider is a member of Stockholm and reads its unpublished indicators; it
            # must not read the assignments of other units.
            watch = [] if name in PUBLIC else demo_year["assignments"]
        leaked = [m for m in watch if m in text]
        if leaked:
            findings.append(f"GET {url}: 200 showing {leaked[0]!r}")
    assert findings == [], f"as {who}:\n" + "\n".join(findings)


@pytest.mark.parametrize("who", PROBERS)
def test_no_one_changes_another_regions_or_units_work(demo_year, client_for, who, db):
    assert len(demo_year["forms"]) > 40, "the probe found too few forms; its parser is broken"
    posts = list(demo_year["forms"])
    posts += [(url, {}) for name, url in demo_year["urls"] if name not in SKIPPED]
    user = demo_year["probers"][who]
    client = client_for(user)
    # Skåne's members may change Skåne's own work; the public and a provider that receives
    # nothing may change nothing at all.
    membership = get_membership_for_user(user)
    own = membership.region.pk if membership and membership.region.name != STOCKHOLM else None
    findings = []
    before = fingerprint()
    for action, data in posts:
        response = client.post(action, data)
        if response.status_code >= 500:
            findings.append(f"POST {action}: {response.status_code}")
        location = response.get("Location", "")
        if re.match(r"^(https?:)?//|^/\\", location):
            findings.append(f"POST {action}: redirects away to {location}")
        after = fingerprint()
        changed = foreign_changes(before, after, own_region=own)
        if changed:
            findings.append(f"POST {action}: changed {', '.join(changed[:4])}")
        before = after
    assert findings == [], f"as {who}:\n" + "\n".join(findings)
