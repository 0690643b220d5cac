"""Input the site cannot read is refused with a 400 or the form's message, never a 500, and
no "back to" parameter sends anyone to another site.

Every query parameter any view reads is found in the views' source, so that a parameter added
tomorrow is swept too; each is sent with values people and attackers type, on every page.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .sweep_support import every_get_url, named_patterns

ROOT = Path(__file__).resolve().parents[2] / "halsogap_web"
BAD_VALUES = ["abc", "-5", "1e309", "/\\evil.example/", "javascript:alert(1)", "9" * 30, "01\x00"]


def _query_names() -> list[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"request\.GET(?:\.get\(|\[|\.getlist\()\"([a-z_]+)\"", text))
        found |= set(re.findall(r"_query\(\s*request\.GET,\s*\"([a-z_]+)\"", text))
    return sorted(found)


def test_the_sweep_knows_the_parameters_that_were_once_a_500():
    names = _query_names()
    for name in ["utgar_fran", "behov", "aktivitet", "ar", "budget", "tillbaka", "sida"]:
        assert name in names


def _arguments(objects):
    def values(name: str, parameter: str) -> list[str]:
        if parameter == "code":
            return ["HG_TEST_ANDEL"] if name.startswith("indicator") else ["01"]
        if parameter == "fmt":
            return ["pdf"]
        if parameter == "item_pk":
            return [str(objects["need"].pk)]
        for prefix, key in (
            ("analysis", "analysis"),
            ("need", "analysis"),
            ("assignment", "assignment"),
            ("follow_up", "assignment"),
            ("decision", "decision"),
            ("assessment", "assessment"),
        ):
            if name.startswith(prefix):
                return [str(objects[key].pk)]
        return ["1"]

    return values


@pytest.mark.parametrize("persona", ["analyst", "politician"])
def test_no_query_parameter_value_gives_a_server_error(small_counts, client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))
    names = _query_names() + ["w_severity", "sida"]
    problems = []
    for _name, url in every_get_url(_arguments(small_counts)):
        if url.endswith((".pdf", ".docx", ".xlsx")):
            continue
        for value in BAD_VALUES:
            query = urlencode(dict.fromkeys(names, value))
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                problems.append(f"GET {url}?…={value!r}: {response.status_code}")
            location = response.get("Location", "")
            if re.match(r"^(?:[a-z]+:|//|/\\)", location):
                problems.append(f"GET {url}?…={value!r} redirects to {location}")
    assert problems == []


def test_one_bad_parameter_is_a_400_that_names_it(small_counts, client_for, analyst):
    client = client_for(analyst)
    for url in [
        "/prioritering/atgarder/?utgar_fran=abc",
        "/goda-exempel/dela/?aktivitet=abc",
        "/uppdrag/nytt/?behov=abc",
    ]:
        response = client.get(url)
        if response.status_code == 403:
            continue  # the analyst may not share examples; the page refuses before reading
        assert response.status_code == 400, url
        assert "abc" in response.content.decode()


def test_a_nul_character_is_a_400_on_pages_and_in_the_api_never_a_database_error(client_for, db):
    client = client_for(None)
    page = client.get("/region/01/prioriteringar/", {"region": "01\x00"})
    assert page.status_code == 400
    assert "NUL-tecken" in page.content.decode()
    answer = client.get("/api/v1/priority-decisions", {"region": "1\x00"})
    assert answer.status_code == 400
    assert "NUL" in answer.json()["detail"]


def test_posts_with_unreadable_ids_give_a_message_not_a_server_error(
    small_counts, client_for, analyst
):
    client = client_for(analyst)
    data = {"group": "abc", "measures": ["abc", "-1"], "need_group": "abc", "indicator": "x"}
    problems = []
    for _name, url in every_get_url(_arguments(small_counts)):
        response = client.post(f"{url}?tillbaka=https://evil.example/", data)
        if response.status_code >= 500:
            problems.append(f"POST {url}: {response.status_code}")
        if "evil.example" in response.get("Location", ""):
            problems.append(f"POST {url} redirects to {response['Location']}")
    assert problems == []
    assert len(named_patterns()) > 80
