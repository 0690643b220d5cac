"""Fixtures for the browser tests: headless Chromium through Playwright against ``live_server``.

Run them on their own: ``.venv/bin/python -m pytest tests/browser -q``.

* Chromium is Debian's (``/usr/bin/chromium``); Playwright's own browser download does not work
  here. One browser is started per test session; every test gets a fresh context (no cookies).
* ``live_server`` uses a transactional database that is emptied after each test, so every test
  loads its own small data set: the area code lists, the Kolada indicator definitions, the demo
  organisations, the Kolada values of one KPI (U01402) for riket, Region Stockholm and its
  kommuner, and one indicator owned by Region Stockholm (``RS_FYSAKT``) for the analyst to
  upload into. The full 860 000-row demo is never loaded.
* Uploads are processed during the request (django-tasks' immediate backend), except where a
  test asks for the dummy backend to watch a queued job make progress.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from browser_support import (  # noqa: E402
    ANALYST_PASSWORD,
    ANALYST_USERNAME,
    BLOCKING_IMPACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IMMEDIATE_TASKS,
    KOLADA_INDICATOR,
    REGION_INDICATOR,
    Credentials,
    Seed,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

# --------------------------------------------------------------------------------------------
# Django side: settings and data
# --------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _process_uploads_during_request(settings):
    """Uploads are checked and loaded inside the upload request, so the job page is final."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _no_evidence_disk_cache(settings):
    """Each test empties the database, so a data version can repeat with other data."""
    settings.HALSOGAP_EVIDENCE_CACHE = ""


@pytest.fixture(autouse=True)
def _fresh_needs_cache():
    """The database is emptied between tests; the needs engine's cached frames must be too."""
    from halsogap_web.evidence import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def seed(transactional_db) -> Seed:
    """A small, real slice of the demo plus one region indicator with two earlier values."""
    from halsogap_web.accounts.demo import ensure_demo_organisations
    from halsogap_web.observations import demo
    from halsogap_web.observations.models import Indicator
    from halsogap_web.observations.store import write_observations

    demo.load_areas()
    demo.load_indicators()
    organisations = ensure_demo_organisations()
    stockholm = organisations["Region Stockholm"]

    region_indicator = Indicator.objects.create(
        code=REGION_INDICATOR,
        title="Fysiskt aktiva minst 150 minuter i veckan, andel (%)",
        description="Andel invånare 16-84 år som är fysiskt aktiva minst 150 minuter i veckan "
        "(påhittade testvärden).",
        unit="procent",
        polarity=Indicator.Polarity.HIGHER_BETTER,
        kind=Indicator.Kind.SURVEY,
        source="Regionens folkhälsoenkät (testdata)",
        producer="Region Stockholm",
        is_health_state=True,
        organisation=stockholm,
        is_published=False,
    )
    # Earlier values, so that the page already has a series before the upload adds 2022.
    write_observations(
        pl.DataFrame(
            {
                "indicator": [REGION_INDICATOR] * 2,
                "area": ["00", "01"],
                "period": ["2020", "2020"],
                "value": [62.0, 59.5],
            }
        ),
        batch_id=None,
    )

    # Real Kolada values of one KPI for riket, Region Stockholm and its kommuner (~600 rows).
    values = pl.read_parquet(demo.demo_dir() / "kolada" / "values.parquet").filter(
        (pl.col("kpi") == KOLADA_INDICATOR)
        & (
            pl.col("area").is_in(["00", "01"])
            | (pl.col("area").str.starts_with("01") & (pl.col("area").str.len_chars() == 4))
        )
    )
    write_observations(
        values.select(
            pl.col("kpi").alias("indicator"),
            "area",
            pl.col("year").cast(pl.Utf8).alias("period"),
            "sex",
            "value",
        ),
        batch_id=None,
    )
    return Seed(
        stockholm=stockholm,
        region_indicator=region_indicator,
        kolada_indicator=Indicator.objects.get(code=KOLADA_INDICATOR),
    )


@pytest.fixture
def analyst(seed) -> Credentials:
    """An analyst of Region Stockholm with a real (hashed) password."""
    from django.contrib.auth import get_user_model

    from halsogap_web.accounts.models import Membership, Role

    user = get_user_model().objects.create_user(
        ANALYST_USERNAME, password=ANALYST_PASSWORD, first_name="Test", last_name="Analytiker"
    )
    Membership.objects.create(user=user, organisation=seed.stockholm, role=Role.ANALYTIKER)
    return Credentials(ANALYST_USERNAME, ANALYST_PASSWORD)


# --------------------------------------------------------------------------------------------
# Browser side
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts on the live server; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def _new(**kwargs) -> BrowserContext:
        kwargs.setdefault("base_url", live_server.url)
        kwargs.setdefault("locale", "sv-SE")
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**kwargs)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield _new
    for context in contexts:
        context.close()


@pytest.fixture
def js_errors() -> list[str]:
    """Uncaught JavaScript errors of ``page`` (htmx failures would show up here)."""
    return []


@pytest.fixture
def page(new_context, js_errors) -> Page:
    page = new_context().new_page()
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    return page


@pytest.fixture
def log_in() -> Callable[[Page, Credentials], None]:
    """Log in through the login form, as a person would."""

    def _log_in(page: Page, who: Credentials) -> None:
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(who.username)
        page.get_by_label("Lösenord").fill(who.password)
        page.get_by_role("button", name="Logga in").click()
        # The start page sends a member on to the region's own overview.
        expect(page).to_have_url(re.compile(r"/region/01/$"))

    return _log_in


@pytest.fixture
def analyst_page(page, analyst, log_in) -> Page:
    log_in(page, analyst)
    return page


@pytest.fixture
def upload() -> Callable[[Page, Path], int]:
    """Upload ``path`` on /inlasning/ and return the import job's id from the job page URL."""

    def _upload(page: Page, path: Path) -> int:
        page.goto("/inlasning/")
        page.get_by_label(re.compile(r"^Fil \(CSV")).set_input_files(path)
        page.get_by_role("button", name="Läs in", exact=True).click()
        expect(page).to_have_url(re.compile(r"/inlasning/\d+/$"))
        return int(re.search(r"/inlasning/(\d+)/$", page.url).group(1))

    return _upload


# --------------------------------------------------------------------------------------------
# axe-core
# --------------------------------------------------------------------------------------------


@pytest.fixture
def axe_violations() -> Callable[[Page], tuple[list[dict], list[dict]]]:
    """Run axe-core on the page; return (serious-or-critical violations, all violations)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _run(page: Page) -> tuple[list[dict], list[dict]]:
        violations = axe.run(page).response["violations"]
        return [v for v in violations if v["impact"] in BLOCKING_IMPACTS], violations

    return _run
