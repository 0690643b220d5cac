"""No suppressed count is shown or can be recovered, on any page, export or command.

With the counts of :mod:`small_counts_support`, the test walks every GET URL of the URL
configuration as each persona, with every export format and area, and reads every answer as a
reader would (HTML text, CSV, PDF, Word, Excel).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from .small_counts_support import AREAS, HIDDEN, PEOPLE, SHARE
from .sweep_support import answer_text, csv_rows, every_get_url


def _arguments(objects):
    pks = {
        "analysis": objects["analysis"].pk,
        "assignment": objects["assignment"].pk,
        "decision": objects["decision"].pk,
        "assessment": objects["assessment"].pk,
    }

    def values(name: str, parameter: str) -> list[str]:
        if parameter == "code":
            if name in {"indicator", "indicator_csv", "indicator_equity"}:
                return [SHARE, PEOPLE]
            return ["01"]
        if parameter == "fmt":
            return ["pdf", "docx", "xlsx", "html"]
        if parameter == "version":
            return [str(objects["decision"].version)]
        if parameter == "year":
            return [str(timezone.localdate().year)]
        if parameter == "item_pk":
            return [str(objects["need"].pk)]
        if parameter in {"pk", "evaluation_pk", "statement_pk"}:
            for prefix, key in (
                ("analysis", "analysis"),
                ("assignment", "assignment"),
                ("follow_up", "assignment"),
                ("decision", "decision"),
                ("assessment", "assessment"),
            ):
                if name.startswith(prefix):
                    return [str(pks[key])]
            return ["1"]
        return ["1"]

    return values


def _queries(name: str) -> list[str]:
    if name in {"indicator", "indicator_equity"}:
        return [f"?omrade={a}" for a in AREAS]
    if name == "annual_report":
        return [f"?ar={timezone.localdate().year}"]
    return [""]


PERSONAS = ["analyst", "politician", "provider", "admin", "outsider", "hfs", None]


def _leaks(text: str) -> list[str]:
    return [what for what, pattern in HIDDEN.items() if re.search(rf"(?<![\d,.]){pattern}", text)]


def _recoverable(rows: list[dict]) -> list[str]:
    """Counts a reader could recover from a CSV: from a rate and its denominator, or from a
    shown total minus the other shown stratum."""
    problems = []
    for r in rows:
        value, numerator, denominator = (
            r.get(k, "") for k in ("value", "numerator", "denominator")
        )
        if value and denominator and not numerator and r.get("unit", "procent") != "antal":
            implied = float(value) * float(denominator) / 100
            if 0 < round(implied) < 5:
                problems.append(f"{r['area']} {r['period']}: {value} % of {denominator}")
    groups: dict[tuple, dict] = {}
    for r in rows:
        key = (r["area"], r["period"], r.get("age_band", ""), r.get("socioeconomic_group", ""))
        groups.setdefault(key, {})[r["sex"]] = r["value"]
    for key, sexes in groups.items():
        if {"T", "K", "M"} <= sexes.keys() and sexes["T"]:
            hidden = [s for s in ("K", "M") if not sexes[s]]
            if len(hidden) == 1:
                problems.append(f"{key}: total and one sex shown, {hidden[0]} recoverable")
    return problems


@pytest.mark.django_db
def test_no_suppressed_count_appears_or_can_be_recovered_on_any_url(
    client_for, small_counts, request
):
    users = {name: request.getfixturevalue(name) if name else None for name in PERSONAS}
    urls = every_get_url(_arguments(small_counts))
    assert len(urls) > 60, "the sweep should reach most of the site"
    read, leaks = 0, []
    for persona, user in users.items():
        client = client_for(user)
        for name, url in urls:
            for query in _queries(name):
                try:
                    response = client.get(url + query)
                except Exception as error:  # noqa: BLE001 (the sweep names the URL that broke)
                    raise AssertionError(f"{persona} {url}{query} failed: {error!r}") from error
                if response.status_code != 200:
                    continue
                read += 1
                text = answer_text(response)
                leaks += [f"{persona} {url}{query}: {w}" for w in _leaks(text)]
                if "csv" in response.get("Content-Type", ""):
                    rows = csv_rows(response)
                    leaks += [f"{persona} {url}: {p}" for p in _recoverable(rows)]
                    leaks += [
                        f"{persona} {url}: count {r['value']} in {r['area']} {r['period']}"
                        for r in rows
                        if r["value"]
                        and 0 < float(r["value"]) < 5
                        and url.endswith(f"{PEOPLE}/varden.csv")
                    ]
    assert read > 200, f"only {read} answers were read"
    assert leaks == []


@pytest.mark.django_db
def test_the_gap_table_command_hides_the_same_cells(small_counts):
    out = io.StringIO()
    call_command("needs_gap_table", str(small_counts["analysis"].pk), stdout=out)
    text = out.getvalue()
    assert "Upplands Väsby" in text
    assert _leaks(text) == []


@pytest.mark.django_db
def test_the_sweep_would_see_a_leak(client_for, analyst, small_counts, settings):
    """With the threshold lowered to 1 nothing is hidden: the same walk must find the values."""
    from halsogap_web.evidence import clear_cache

    settings.HALSOGAP_DISCLOSURE_THRESHOLD = 1
    clear_cache()
    response = client_for(analyst).get(f"/indikator/{SHARE}/varden.csv")
    found = _leaks(answer_text(response))
    assert "Upplands Väsby, numerator 3" in found and "Österåker, 17,6 % of 17" in found
    page = client_for(analyst).get(f"/behovsanalys/{small_counts['analysis'].pk}/")
    assert "Upplands Väsby, numerator 3" in _leaks(answer_text(page))
