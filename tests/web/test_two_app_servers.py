"""Past one machine: two app server processes against one PostgreSQL share everything that
matters. A value written through one is read through the other (its cached evidence frames
are rebuilt, not served stale), and a login made on one is valid on the other.

Runs in the PostgreSQL run of ``scripts/test``, on a database of its own on the same server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from .server_support import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgres"), reason="två appservrar mot en PostgreSQL; körs i PG-körningen"
)

SETUP = """
from django.contrib.auth import get_user_model
from halsogap_web.accounts.demo import ensure_demo_organisations
from halsogap_web.accounts.models import Membership, Role
from halsogap_web.api.models import ApiToken
from halsogap_web.observations.demo import load_areas
from halsogap_web.observations.models import Indicator
load_areas()
region = ensure_demo_organisations()["Region Stockholm"]
Indicator.objects.create(code="HG_TVA", title="Två servrar", unit="procent", kind="register",
                         source="Regionens egna data", organisation=region)
user = get_user_model().objects.create_user("tva.analytiker", password="Tva-servrar-lösen-5521")
Membership.objects.create(user=user, organisation=region, role=Role.ANALYTIKER)
print(ApiToken.issue(user, "två servrar")[1])
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import psycopg

    name = f"halsogap_tva_{uuid.uuid4().hex[:8]}"
    admin_url = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": URL.rsplit("/", 1)[0] + "/" + name,
        "HALSOGAP_EVIDENCE_CACHE": str(tmp_path_factory.mktemp("delad-cache")),
        "DJANGO_SETTINGS_MODULE": "halsogap_web.settings",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        manage + ["shell", "-c", SETUP],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    key = done.stdout.strip().splitlines()[-1]
    servers, clients = [], []
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    for _ in range(2):
        port = free_port()
        servers.append(
            subprocess.Popen(
                [gunicorn, "halsogap_web.wsgi:application", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", "1", "--log-level", "warning"],
                env=env,
                cwd=ROOT,
            )
        )
        clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30))
    for client in clients:
        wait_until_up(client)
    yield {"a": clients[0], "b": clients[1], "auth": {"Authorization": f"Bearer {key}"}}
    for server in servers:
        server.terminate()
        server.wait(timeout=10)
    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _values(client, auth) -> list:
    answer = client.get("/api/v1/indicators/HG_TVA/observations", headers=auth)
    assert answer.status_code == 200, answer.text
    return [(r["area"], r["period"], r["value"]) for r in answer.json()["items"]]


def _import(client, auth, content: str, name: str) -> dict:
    answer = client.post(
        "/api/v1/observations/import",
        headers=auth,
        content=json.dumps({"file_name": name, "content": content}),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_value_written_through_one_server_is_read_through_the_other(cluster):
    a, b, auth = cluster["a"], cluster["b"], cluster["auth"]
    assert _values(b, auth) == []  # b has built and cached its frame
    _import(a, auth, "indicator;area;period;value\nHG_TVA;01;2024;12,5\n", "forsta.csv")
    assert _values(b, auth) == [("01", "2024", 12.5)]
    _import(b, auth, "indicator;area;period;value\nHG_TVA;01;2024;13,5\n", "andra.csv")
    assert _values(a, auth) == [("01", "2024", 13.5)]


def test_a_login_on_one_server_is_valid_on_the_other(cluster):
    a, b = cluster["a"], cluster["b"]
    login = a.get("/konto/logga-in/")
    token = login.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    answer = a.post(
        "/konto/logga-in/",
        data={
            "username": "tva.analytiker",
            "password": "Tva-servrar-lösen-5521",
            "csrfmiddlewaretoken": token,
        },
    )
    assert answer.status_code == 302
    session = {"Cookie": f"sessionid={a.cookies['sessionid']}"}
    page = b.get("/region/01/", headers=session)
    assert "tva.analytiker" in page.text and "Logga ut" in page.text
    assert "Logga ut" not in b.get("/region/01/").text
