"""Fixtures for the web tests: a small shared data set and named personas.

The database is built once per test session (areas, Kolada's indicators, the demo
organisations, the personas and a handful of observations); every test then runs inside a
transaction that is rolled back, so tests may create and import freely.

Personas (all log in with ``client.force_login``):

- ``analyst``     analytiker, Region Stockholm
- ``politician``  förtroendevald, Region Stockholm
- ``provider``    utförare, Vårdcentral Rinkeby (demo), a unit of Region Stockholm
- ``admin``       administratör, Region Stockholm
- ``outsider``    analytiker, Region Skåne
- ``outsider_admin`` administratör, Region Skåne (to prove the audit log is per region)
- ``hfs``         HFS-processledare, Region Stockholm
- ``outsider_hfs`` HFS-processledare, Region Skåne
- ``secretariat`` the HFS network's secretariat (the national coordinator), in no region
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from halsogap_web.accounts.models import Membership, Organisation
from halsogap_web.observations.models import Indicator

from .small_counts_support import small_counts  # noqa: F401 (a fixture for several modules)
from .web_support import (
    ANALYST_PASSWORD,
    PERSONAS,
    SESSION_U01402,
    SKANE,
    STOCKHOLM,
)


def pytest_configure(config):
    # WhiteNoise warns on every test client that var/static/ (collectstatic's output) is
    # missing; the tests never serve static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def _session_observations() -> pl.DataFrame:
    rows = [
        {"indicator": "U01402", "area": a, "period": p, "sex": "T", "value": v}
        for (a, p), v in SESSION_U01402.items()
    ]
    rows += [
        {"indicator": "U01402", "area": "01", "period": "2022", "sex": "K", "value": 5.5},
        {"indicator": "U01402", "area": "01", "period": "2022", "sex": "M", "value": 6.1},
    ]
    return pl.DataFrame(rows)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shared data, written once after pytest-django has created the test database."""
    from halsogap_web.accounts.demo import ensure_demo_organisations
    from halsogap_web.observations.demo import load_areas, load_indicators
    from halsogap_web.observations.store import write_observations

    with django_db_blocker.unblock():
        load_areas()
        load_indicators()
        organisations = ensure_demo_organisations()
        User = get_user_model()
        for username, (organisation, role) in PERSONAS.items():
            # get_or_create, so that a kept database (--reuse-db) is not a problem.
            user, _ = User.objects.get_or_create(
                username=username,
                defaults={"first_name": username.capitalize(), "last_name": "Testsson"},
            )
            if username == "analyst":
                user.set_password(ANALYST_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
            Membership.objects.update_or_create(
                user=user, defaults={"organisation": organisations[organisation], "role": role}
            )
        write_observations(_session_observations(), batch_id=None)


@pytest.fixture(autouse=True)
def no_evidence_disk_cache(settings):
    """Tests roll back their writes, so a data version can repeat with other data: no disk."""
    settings.HALSOGAP_EVIDENCE_CACHE = ""


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Process uploads inside the request, so a test sees the finished import job."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def fresh_needs_cache():
    """Each test sees its own data: a rolled-back test's values must not linger in the cache."""
    from halsogap_web.evidence import clear_cache

    clear_cache()
    yield
    clear_cache()


# ---------------------------------------------------------------------------------------------
# Personas and clients


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def analyst(db):
    return _user("analyst")


@pytest.fixture
def politician(db):
    return _user("politician")


@pytest.fixture
def provider(db):
    return _user("provider")


@pytest.fixture
def admin(db):
    return _user("admin")


@pytest.fixture
def outsider(db):
    return _user("outsider")


@pytest.fixture
def outsider_admin(db):
    return _user("outsider_admin")


@pytest.fixture
def hfs(db):
    return _user("hfs")


@pytest.fixture
def outsider_hfs(db):
    return _user("outsider_hfs")


@pytest.fixture
def secretariat(db):
    return _user("secretariat")


@pytest.fixture
def client_for(db) -> Callable[..., Client]:
    """A fresh test client, logged in as the given persona (or anonymous for None)."""

    def make(user=None, **kwargs) -> Client:
        client = Client(**kwargs)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def stockholm(db) -> Organisation:
    return Organisation.objects.get(name=STOCKHOLM)


@pytest.fixture
def skane(db) -> Organisation:
    return Organisation.objects.get(name=SKANE)


# ---------------------------------------------------------------------------------------------
# Helpers


@pytest.fixture
def make_indicator(db) -> Callable[..., Indicator]:
    """Create an indicator (a region's own by default) and optionally its values."""
    from halsogap_web.observations.store import write_observations

    def make(
        code: str,
        *,
        organisation: Organisation | None,
        is_published: bool = False,
        values: dict | None = None,
        **fields,
    ) -> Indicator:
        defaults = {
            "title": f"Testindikator {code}",
            "unit": "procent",
            "kind": Indicator.Kind.SURVEY,
            "source": "Regionens egen enkät",
            "producer": "Testregionen",
            "is_health_state": True,
        }
        indicator = Indicator.objects.create(
            code=code, organisation=organisation, is_published=is_published, **defaults | fields
        )
        if values:
            rows = []
            for key, value in values.items():
                area, period, *rest = key
                row = {"indicator": code, "area": area, "period": period, "sex": "T"}
                if rest:
                    row["sex"] = rest[0]
                if isinstance(value, dict):
                    row |= value
                else:
                    row["value"] = value
                rows.append(row)
            write_observations(pl.DataFrame(rows), batch_id=None)
        return indicator

    return make
