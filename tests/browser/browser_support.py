"""Constants and helpers shared by the browser tests (fixtures live in ``conftest.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium keeps trying hosts it cannot reach from this machine.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "browser"
GOOD_FILE = FIXTURES / "region_fysisk_aktivitet.csv"
BAD_FILE = FIXTURES / "region_fysisk_aktivitet_felaktig.csv"

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

REGION_INDICATOR = "RS_FYSAKT"
KOLADA_INDICATOR = "U01402"  # Invånare 16-84 år som röker dagligen (Folkhälsomyndigheten)
ANALYST_USERNAME = "test.analytiker"
ANALYST_PASSWORD = "Webblasartest-analytiker-2024"  # a test-only account in a throwaway DB


@dataclass(frozen=True)
class Seed:
    stockholm: object  # accounts.Organisation
    region_indicator: object  # observations.Indicator owned by Region Stockholm
    kolada_indicator: object  # observations.Indicator, national


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


BLOCKING_IMPACTS = {"serious", "critical"}


def describe_violations(violations: list[dict]) -> str:
    """Rule id, impact, help text and every failing node (selector, markup, summary)."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


def values_table(page):
    """The indicator page's table of values with sources (named by its caption)."""
    return page.get_by_role("table", name=re.compile(r"värden med källa"))


def table_rows(table) -> list[list[str]]:
    """The cell texts of a table's body rows."""
    return [
        [cell.strip() for cell in row.locator("td, th").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def open_all_details(page) -> None:
    """Open every <details>, so that axe also checks the tables behind the charts and maps."""
    page.locator("details").evaluate_all("els => els.forEach(e => { e.open = true; })")


def assert_accessible(page, axe_violations) -> None:
    """No axe-core violation of impact serious or critical on the page as it is now."""
    open_all_details(page)
    blocking, everything = axe_violations(page)
    assert not blocking, (
        f"axe-core: serious or critical violations on {page.url}:\n"
        + describe_violations(blocking)
        + ("\n\nAll violations:\n" + describe_violations(everything) if everything else "")
    )


def log_in_as(page, username: str, password: str) -> None:
    """Log in through the form and land on the user's region page (the network's secretariat,
    which holds no region, on the network's overview)."""
    import re

    from playwright.sync_api import expect

    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(re.compile(r"/(region/\d\d|natverket)/$"))
