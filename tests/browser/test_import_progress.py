"""The job page follows a queued import until it is done: by htmx, or by refresh without JS.

Here uploads are only queued (django-tasks' dummy backend); the test itself then moves the job
along, as the worker would. The live server and the test share one in-memory SQLite
connection, so the test must not write while the server is answering a request. The steps
therefore run inside a Playwright route handler for the job page: the browser's next request
for the page waits until the step is done, and htmx (like a meta refresh) sends one request at
a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from browser_support import DUMMY_TASKS, GOOD_FILE
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def queue_only(settings):
    settings.TASKS = DUMMY_TASKS


class JobPageRequests:
    """Run queued steps, one per request for the job page, before letting it through."""

    def __init__(self, page: Page, job_id: int):
        self.steps: list[Callable[[], None]] = []
        self.errors: list[BaseException] = []
        page.route(re.compile(rf"/inlasning/{job_id}/$"), self._handle)

    def then(self, step: Callable[[], None]) -> None:
        self.steps.append(step)

    def _handle(self, route: Route) -> None:
        if self.steps:
            try:
                self.steps.pop(0)()
            except BaseException as error:  # reported by the test, not lost in Playwright
                self.errors.append(error)
        route.continue_()


def set_progress(job_id: int, **fields) -> None:
    from halsogap_web.observations.models import ImportJob

    ImportJob.objects.filter(pk=job_id).update(**fields)


def run_worker(job_id: int) -> None:
    from halsogap_web.observations.tasks import process_import_job

    process_import_job.call(job_id)


def test_htmx_progress_area_reaches_klar(
    page: Page, analyst_page: Page, upload, queue_only, js_errors
):
    job_id = upload(page, GOOD_FILE)
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^I kö"))
    expect(progress).to_have_attribute("hx-get", f"/inlasning/{job_id}/")
    expect(progress.locator("progress")).to_have_attribute("value", "0")
    # Marks this document: a full reload would lose it, an htmx swap keeps it.
    page.evaluate("window.__sameDocument = true")
    requests = JobPageRequests(page, job_id)

    # The worker has checked four of nine rows.
    requests.then(
        lambda: set_progress(
            job_id, status="running", stage="Kontrollerar rader", done_rows=4, total_rows=9
        )
    )
    expect(progress.get_by_role("status").first).to_have_text("Pågår: Kontrollerar rader")
    expect(progress).to_contain_text("44 % – 4 av 9 rader")
    expect(progress.locator("progress")).to_have_attribute("value", "44")

    # The worker finishes.
    requests.then(lambda: run_worker(job_id))
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^Klar\b"))
    expect(progress).to_contain_text("9 nya värden, 0 ändrade, 0 oförändrade.")
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    # Polling stops once the job is finished, and the page was never reloaded.
    expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))
    assert page.evaluate("window.__sameDocument") is True
    assert requests.errors == []
    assert js_errors == []


def test_job_page_refreshes_until_done_without_javascript(
    new_context, analyst, log_in, upload, queue_only
):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, analyst)
    job_id = upload(page, GOOD_FILE)
    progress = page.locator("#import-progress")
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^I kö"))
    requests = JobPageRequests(page, job_id)

    # <noscript><meta http-equiv="refresh" content="2"></noscript> reloads the page.
    requests.then(lambda: run_worker(job_id))
    expect(progress.get_by_role("status").first).to_have_text(re.compile(r"^Klar\b"))
    expect(progress).to_contain_text("9 nya värden")
    assert requests.errors == []
