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
import os
import socket
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
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
        # Each worker builds its frames in the background at start; wait for them, as a
        # server in service would have long done.
        for _ in range(args.workers * 2):
            urllib.request.urlopen(host + "/region/01/", timeout=120).read()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "last"
            subprocess.run(
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
                + ["-u", str(args.users), "-r", str(args.users), "-t", f"{args.seconds}s"]
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
    finally:
        server.terminate()
        server.wait(timeout=20)
    _report(rows, args, env.get("DATABASE_URL", "sqlite (var/)"))


def _report(rows: list[dict], args, database: str) -> None:
    engine = "postgresql" if database.startswith("postgres") else "sqlite"
    print(f"database {engine}; {args.users} users, {args.seconds} s, {args.workers} workers")
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
