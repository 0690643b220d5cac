"""Login throttling, CSRF on every form, hashed passwords and a clean ``check --deploy``."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, get_hashers_by_algorithm, identify_hasher
from django.core.files.uploadedfile import SimpleUploadedFile

from halsogap_web.accounts.models import Role
from halsogap_web.observations.models import ImportJob, Indicator

from .web_support import ANALYST_PASSWORD, ROOT, page_text, upload

LOGIN = "/konto/logga-in/"


def _login(client, password: str, username: str = "analyst"):
    return client.post(LOGIN, {"username": username, "password": password})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Login throttling ---------------------------------------------------------------------


def test_right_password_logs_in(client_for, analyst):
    client = client_for()
    response = _login(client, ANALYST_PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)
    assert client.get("/").headers["Location"] == "/region/01/"


def test_login_is_throttled_after_five_failures(client_for, analyst):
    client = client_for()
    for attempt in range(1, 5):
        response = _login(client, f"fel-{attempt}")
        assert response.status_code == 200, attempt  # the form again, with an error
        assert not _logged_in(client)
    fifth = _login(client, "fel-5")
    assert "spärrad" in page_text(fifth)

    refused = _login(client, ANALYST_PASSWORD)
    assert refused.status_code in {403, 429}
    assert "spärrad" in page_text(refused)
    assert not _logged_in(client)
    # A new browser from the same address is refused too.
    other = client_for()
    assert "spärrad" in page_text(_login(other, ANALYST_PASSWORD))
    assert not _logged_in(other)


def test_a_user_name_is_the_same_name_in_any_case(client_for, analyst):
    client = client_for()
    assert _login(client, ANALYST_PASSWORD, username="ANALYST").status_code == 302
    assert _logged_in(client)


def test_changing_the_case_of_a_locked_name_gives_no_more_tries(client_for, analyst):
    client = client_for()
    for attempt in range(5):
        _login(client, f"fel-{attempt}", username=["analyst", "Analyst", "ANALYST"][attempt % 3])
    for name in ("ANALYST", "aNaLySt", "analyst"):
        refused = _login(client_for(), ANALYST_PASSWORD, username=name)
        assert "spärrad" in page_text(refused), name


def test_throttling_one_user_does_not_lock_out_another(client_for, analyst):
    client = client_for()
    for attempt in range(5):
        _login(client, f"fel-{attempt}", username="politician")
    assert _login(client, ANALYST_PASSWORD).status_code == 302
    assert _logged_in(client)


# --- CSRF ---------------------------------------------------------------------------------


def _csrf_forms():
    upload = {"file": SimpleUploadedFile("csrf.csv", b"indicator;area;period;value\n")}
    indicator = {
        "code": "HG_CSRF",
        "title": "CSRF",
        "kind": "survey",
        "polarity": "none",
        "source": "x",
    }
    return [
        ("/inlasning/", upload),
        ("/indikatorer/ny/", indicator),
        ("/i18n/setlang/", {"language": "en", "next": "/"}),
        ("/konto/logga-ut/", {}),
    ]


def test_csrf_is_enforced_on_the_upload_form(client_for, analyst):
    client = client_for(analyst, enforce_csrf_checks=True)
    response = client.post(
        "/inlasning/",
        {
            "file": SimpleUploadedFile(
                "csrf.csv", b"indicator;area;period;value\nU01402;01;2022;1\n"
            )
        },
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_csrf_is_enforced_on_every_form(client_for, analyst):
    client = client_for(analyst, enforce_csrf_checks=True)
    for path, data in _csrf_forms():
        assert client.post(path, data).status_code == 403, path
    assert not Indicator.objects.filter(code="HG_CSRF").exists()
    assert _logged_in(client)  # logging out needs the token too
    anonymous = client_for(enforce_csrf_checks=True)
    assert _login(anonymous, ANALYST_PASSWORD).status_code == 403
    assert not _logged_in(anonymous)


def test_forms_carry_a_csrf_token_that_is_accepted(client_for, analyst):
    client = client_for(analyst, enforce_csrf_checks=True)
    page = client.get("/indikatorer/ny/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token
    assert 'name="csrfmiddlewaretoken"' in client.get("/inlasning/").content.decode()
    response = client.post(
        "/indikatorer/ny/",
        {
            "csrfmiddlewaretoken": token.group(1),
            "code": "HG_CSRF",
            "title": "Med token",
            "kind": "survey",
            "polarity": "none",
            "source": "x",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(code="HG_CSRF").exists()


# --- Passwords ----------------------------------------------------------------------------


def test_passwords_are_stored_hashed(analyst, settings):
    stored = analyst.password
    assert stored != ANALYST_PASSWORD
    assert ANALYST_PASSWORD not in stored
    hasher = identify_hasher(stored)
    assert stored.startswith(f"{hasher.algorithm}$")
    assert hasher.algorithm in get_hashers_by_algorithm()
    assert hasher.algorithm in {"pbkdf2_sha256", "argon2", "bcrypt_sha256", "scrypt"}
    assert check_password(ANALYST_PASSWORD, stored)
    # The project's default is a slow, salted hasher, and new users get it too.
    user = get_user_model().objects.create_user("ny_person", password="Ett-annat-lösenord-42")
    assert identify_hasher(user.password).algorithm == identify_hasher(stored).algorithm
    assert "Ett-annat-lösenord-42" not in user.password


def test_demo_users_are_created_with_hashed_passwords(db):
    from halsogap_web.accounts.demo import DEMO_USERS, ensure_demo_users

    ensure_demo_users()
    for demo in DEMO_USERS:
        user = get_user_model().objects.get(username=demo.username)
        assert user.password.startswith(("pbkdf2_sha256$", "argon2$", "bcrypt", "scrypt$"))
        assert demo.password not in user.password
    assert {d.role for d in DEMO_USERS} >= {
        Role.ANALYTIKER,
        Role.FORTROENDEVALD,
        Role.UTFORARE,
        Role.ADMINISTRATOR,
    }


# --- check --deploy -----------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}
    }
    env.update(
        HALSOGAP_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.se",
        DJANGO_SETTINGS_MODULE="halsogap_web.settings",
        # Production runs on PostgreSQL; the check does not connect, so any URL will do.
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'deploy.sqlite3'}"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "ERROR" not in output


def test_production_settings_require_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(HALSOGAP_PRODUCTION="1", ALLOWED_HOSTS="example.se")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# --- Escaping and redirects ---------------------------------------------------------------


def test_an_indicators_texts_are_escaped_on_every_page(client_for, analyst):
    script = "<script>alert('x')</script>"
    client = client_for(analyst)
    created = client.post(
        "/indikatorer/ny/",
        {
            "code": "HG_XSS",
            "title": f"Titel {script}",
            "unit": f"st {script}",
            "kind": "survey",
            "polarity": "none",
            "source": f"Källa {script}",
            "producer": f"Producent {script}",
            "description": script,
            "quality_notes": script,
            "is_published": "on",
        },
    )
    assert created.status_code == 302
    values = (
        b"indicator;area;period;value\nHG_XSS;00;2022;10\nHG_XSS;01;2022;12\nHG_XSS;0180;2022;14\n"
    )
    assert upload(client, "xss.csv", values).context["job"].status == ImportJob.Status.DONE
    public = client_for(None)
    for path in ["/indikator/HG_XSS/", "/indikator/HG_XSS/?omrade=0180", "/region/01/"]:
        body = public.get(path).content.decode()
        assert "HG_XSS" in body, path
        assert "<script>alert" not in body, path


def test_login_does_not_redirect_to_another_site(client_for, analyst):
    client = client_for()
    response = client.post(
        LOGIN,
        {"username": "analyst", "password": ANALYST_PASSWORD, "next": "https://example.com/"},
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://example.com")
