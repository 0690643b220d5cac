"""Load benchmark: 50 concurrent users for 60 s on loopback against gunicorn; prints p50, p95,
p99, requests/s and errors per page and in all.

    uv run --group bench python bench/load.py                        # SQLite (var/, demo loaded)
    DATABASE_URL=postgres://… uv run --group bench python bench/load.py --workers 4

The database must hold the demo year (``scripts/start`` loads it into SQLite; for PostgreSQL run
``manage.py migrate`` and ``manage.py load_demo`` with ``DATABASE_URL`` set). The mix: the public
on the region, indicator and open priority pages, analysts logged in on their region's pages,
providers reading and reporting through the API. Goal: p95 under 300 ms and no errors.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

SETUP = """
from django.contrib.auth import get_user_model
from halsogap_web.api.models import ApiToken
from halsogap_web.assignments.models import Assignment
user = get_user_model().objects.get(username="ulla.utforare")
assignment = Assignment.objects.filter(
    recipients__organisation=user.membership.organisation, step="follow_up"
).first()
plan = assignment.plan_indicators.filter(period_kind="år").first()
print(ApiToken.issue(user, "lasttest")[1], assignment.pk, plan.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"servern svarar inte på {url}")


def _warm(host: str, workers: int) -> None:
    """Each worker builds its frames in the background at start, and its first analyst keeps
    the need lines; open the pages a few times per worker first, as a server in service
    would long have done."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    login = opener.open(host + "/konto/logga-in/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode(
        {"username": "anna.analytiker", "password": "demo-analytiker", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        host + "/konto/logga-in/", data=form, headers={"Referer": host + "/konto/logga-in/"}
    )
    opener.open(request, timeout=60).read()
    pages = ["/region/01/", "/region/01/prioriteringar/", "/uppdrag/"]
    pages += [f"/indikator/{code}/" for code in ("U01402", "U01405", "N00997", "N01805")]
    for _ in range(workers * 3):
        for page in pages:
            urllib.request.urlopen(host + page, timeout=120).read()
            opener.open(host + page, timeout=120).read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--spawn-rate", type=float, default=5, help="users started per second (default 5)"
    )
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "halsogap_web.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)
    key, assignment, plan_line = subprocess.run(
        manage + ["shell", "-c", SETUP],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-3:]
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "halsogap_web.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--threads", str(args.threads)]
        + ["--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait(host + "/halsa/")
        _warm(host, args.workers)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "last"
            subprocess.run(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
                + [
                    "-u",
                    str(args.users),
                    "-r",
                    str(args.spawn_rate),
                    "-t",
                    f"{_ramp(args) + args.seconds}s",
                ]
                + ["--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
                env={
                    **env,
                    "HALSOGAP_BENCH_KEY": key,
                    "HALSOGAP_BENCH_ASSIGNMENT": assignment,
                    "HALSOGAP_BENCH_PLAN_LINE": plan_line,
                },
                cwd=ROOT,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
            failures = list(csv.DictReader(open(f"{prefix}_failures.csv", encoding="utf-8")))
    finally:
        server.terminate()
        server.wait(timeout=20)
    _report(rows, args, env.get("DATABASE_URL", "sqlite (var/)"))
    for failure in failures:
        print(
            f"error: {failure['Method']} {failure['Name']}: {failure['Error']} ({failure['Occurrences']}×)"
        )


def _ramp(args) -> int:
    """Seconds until every user has started (and logged in)."""
    return math.ceil(args.users / args.spawn_rate)


def _report(rows: list[dict], args, database: str) -> None:
    engine = "postgresql" if database.startswith("postgres") else "sqlite"
    print(
        f"database {engine}; {args.users} users (started over {_ramp(args)} s, logins counted),"
        f" then {args.seconds} s; {args.workers} workers × {args.threads} threads"
    )
    print(f"{'page':<48} {'n':>6} {'fail':>5} {'p50':>6} {'p95':>6} {'p99':>6} {'req/s':>7}")
    total = None
    for row in rows:
        line = (
            f"{row['Name'][:48]:<48} {row['Request Count']:>6} {row['Failure Count']:>5} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {float(row['Requests/s']):>7.1f}"
        )
        if row["Name"] == "Aggregated":
            total = row
        else:
            print(line)
    if total:
        print("-" * 90)
        print(line)
        ok = int(total["95%"]) < 300 and int(total["Failure Count"]) == 0
        print("goal (p95 < 300 ms, no errors):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
