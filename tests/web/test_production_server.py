"""Production settings work on the real application server: gunicorn with two workers, DEBUG
off, static files collected and served by WhiteNoise from the hashed manifest, a
Content-Security-Policy, no caching of private pages, and a health endpoint.

The server runs as ``scripts/start`` and README's production section run it, on a migrated
database of its own in a temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from .server_support import free_port, wait_until_up

# The server runs on a SQLite database of its own, so the PostgreSQL run would repeat it.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="startar en egen server på egen SQLite; körs en gång, i SQLite-körningen",
)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "Drift-lösenord-för-test-4417"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("produktion")
    env = {
        **os.environ,
        "HALSOGAP_PRODUCTION": "1",
        "SECRET_KEY": "test-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp}/prod.sqlite3",
        "HALSOGAP_STATIC_ROOT": str(tmp / "static"),
        "HALSOGAP_EVIDENCE_CACHE": "",
        "DJANGO_SETTINGS_MODULE": "halsogap_web.settings",
    }
    env.pop("DEBUG", None)
    port = free_port()
    env["CSRF_TRUSTED_ORIGINS"] = f"https://127.0.0.1:{port}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["collectstatic", "--no-input", "-v0"],
        ["createsuperuser", "--no-input", "--username", "drift", "--email", "drift@example.se"],
    ):
        subprocess.run(
            manage + command,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            cwd=ROOT,
            check=True,
        )
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "halsogap_web.wsgi:application"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    # Behind the load balancer TLS ends there; it says so in X-Forwarded-Proto.
    client = httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https"}, timeout=10)
    wait_until_up(client)
    yield client
    process.terminate()
    process.wait(timeout=10)


def test_the_start_page_is_served_with_a_content_security_policy(server):
    page = server.get("/")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in page.text  # no inline script for the policy to forbid


def test_static_files_come_from_the_collected_manifest(server):
    page = server.get("/").text
    css = re.search(r'href="(/static/halsogap\.[0-9a-f]{12}\.css)"', page)
    assert css, "the stylesheet is not named by its hashed manifest entry"
    answer = server.get(css.group(1))
    assert answer.status_code == 200 and "max-age" in answer.headers["Cache-Control"]


def test_the_health_endpoint_checks_the_database(server):
    answer = server.get("/halsa/")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "sqlite"}


def test_an_error_shows_the_swedish_page_not_a_traceback(server):
    answer = server.get("/indikator/FINNS_INTE/")
    assert answer.status_code == 404
    assert "Traceback" not in answer.text and "<html" in answer.text


def test_private_pages_are_never_cached(server):
    login = server.get("/konto/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    # The cookies are Secure, so they are sent by hand over the test's plain connection.
    cookies = {"csrftoken": login.cookies["csrftoken"]}
    answer = server.post(
        "/konto/logga-in/",
        data={"username": "DRIFT", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={
            "Origin": str(server.base_url).replace("http:", "https:"),
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    assert answer.status_code == 302, answer.text[:300]
    session = answer.cookies["sessionid"]
    page = server.get("/", headers={"Cookie": f"sessionid={session}"})
    assert "drift" in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    public = server.get("/")
    assert "no-store" not in public.headers.get("Cache-Control", "")


def test_plain_http_is_sent_to_https(server):
    answer = httpx.get(str(server.base_url) + "/", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["Location"].startswith("https://")
