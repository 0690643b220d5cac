"""axe-core on the start pages, the indicator pages and the import pages.

No violation of impact "serious" or "critical" is allowed. Collapsed ``<details>`` are opened
first, so that the text alternatives (tables behind the charts and the map) are checked too.
"""

from __future__ import annotations

import pytest
from browser_support import (
    BAD_FILE,
    GOOD_FILE,
    KOLADA_INDICATOR,
    REGION_INDICATOR,
    assert_accessible,
    describe_violations,
    open_all_details,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/region/01/",
        f"/indikator/{KOLADA_INDICATOR}/?omrade=01",
        f"/indikator/{KOLADA_INDICATOR}/?omrade=0180",  # a kommun: three series in the chart
        f"/indikator/{KOLADA_INDICATOR}/?omrade=00",  # riket: the map of all regions
        "/konto/logga-in/",
    ],
)
def test_public_pages_have_no_serious_axe_violations(page: Page, seed, axe_violations, path):
    response = page.goto(path)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, axe_violations)


def test_analyst_pages_have_no_serious_axe_violations(
    page: Page, analyst_page: Page, upload, axe_violations
):
    """The member's start page, the upload page, both job pages and the indicator page."""
    failures = []

    def check(what: str) -> None:
        open_all_details(page)
        blocking, _ = axe_violations(page)
        if blocking:
            failures.append(f"--- {what} ({page.url})\n{describe_violations(blocking)}")

    page.goto("/")  # a member's start page is the region overview
    check("start page of Region Stockholm")
    page.goto("/inlasning/")
    check("upload page")
    upload(page, BAD_FILE)
    expect(page.get_by_role("alert")).to_be_visible()
    check("job page with row-level errors")
    upload(page, GOOD_FILE)
    expect(page.locator("#import-progress")).to_contain_text("nya värden")
    check("job page, finished")
    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
    check("indicator page of the region's own indicator")
    page.goto("/inlasning/")  # now with the lists of uploads and loaded files
    check("upload page with history")

    assert not failures, "axe-core: serious or critical violations:\n" + "\n".join(failures)


def test_axe_harness_reports_known_violations(chromium):
    """Guard against a silent no-op: axe must flag a page that is known to be inaccessible."""
    from axe_playwright_python.sync_playwright import Axe

    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html><head><title>t</title></head><body><main><h1>Test</h1><img src="x.png">'
            '<p style="color:#bbb;background:#fff">Svag kontrast</p>'
            '<input type="text"></main></body></html>'
        )
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    found = {v["id"]: v["impact"] for v in violations}
    assert found.get("image-alt") == "critical", found
    assert found.get("color-contrast") == "serious", found
    assert found.get("label") == "critical", found
