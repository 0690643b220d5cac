"""The API's description is the API: every operation, fuzzed with requests generated from the
OpenAPI document (schemathesis), answers without a server error and as described.

It runs as an analyst with a personal key, on the session's data plus a small steering record,
so that the generated ids sometimes hit real objects and mostly do not.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from halsogap_web.api.models import ApiToken


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction on PostgreSQL; Django's own test client unhooks it the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def analyst_key(analyst):
    _token, key = ApiToken.issue(analyst, "fuzz")
    return key


def _schema():
    from django.core.wsgi import get_wsgi_application

    # Read from the application, as a client would read it (not halsogap_web.wsgi, whose
    # background warmer would read the database outside the test's transaction).
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


schema = _schema()


def _holds_nul(values) -> bool:
    """Whether any generated value (a string, or a list of them) holds a NUL character; the
    values' repr would spell it as a backslash escape, so each value is looked at itself."""
    for value in (values or {}).values():
        for item in value if isinstance(value, list | tuple) else [value]:
            if "\x00" in str(item):
                return True
    return False


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_described_and_never_with_a_server_error(case, analyst_key, db):
    # A generated key is replaced by the analyst's real one; a case that leaves the key out on
    # purpose (negative testing) is sent without one, and must then be refused.
    sent = case.headers or {}
    headers = {"Authorization": f"Bearer {analyst_key}"} if "Authorization" in sent else {}
    if _holds_nul(case.path_parameters) or _holds_nul(case.query):
        # A NUL character is refused before any operation reads it (PostgreSQL cannot hold
        # one), however valid the rest of the request is.
        response = case.call(headers=headers)
        assert response.status_code == 400, response.text
        return
    case.call_and_validate(headers=headers)
