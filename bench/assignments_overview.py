"""Benchmark: the region overview of 500 assignments with 5 indicators each (server time).

Run with ``.venv/bin/python bench/assignments_overview.py``. A fresh SQLite database in a
temporary folder gets the demo areas and indicators, one region's demo users and 500
assignments with 5 follow-up indicators, each with two reported periods and its stored status;
the page is rendered through Django's test client ten times after one warm-up.
Target: under 300 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halsogap_web.settings")
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from halsogap_web.accounts.demo import ensure_demo_users
        from halsogap_web.assignments.models import (
            ActivityReport,
            Assignment,
            Goal,
            PlanIndicator,
            Recipient,
        )
        from halsogap_web.observations.demo import load_areas, load_indicators
        from halsogap_web.observations.models import Indicator

        call_command("migrate", verbosity=0)
        load_areas()
        load_indicators()
        ensure_demo_users()
        user = get_user_model().objects.get(username="anna.analytiker")
        region = user.membership.region
        unit = region.units.first()
        indicators = list(Indicator.objects.exclude(polarity="none")[:5])
        statuses = ["i fas", "risk", "ej i fas", "målet nått", "inga värden"]
        started = time.perf_counter()
        for i in range(500):
            a = Assignment.objects.create(
                region=region, issuer=region, title=f"Uppdrag {i}", step="follow_up"
            )
            Recipient.objects.create(assignment=a, organisation=unit)
            goal = Goal.objects.create(assignment=a, kind="long", text="Mål")
            plans = PlanIndicator.objects.bulk_create(
                PlanIndicator(
                    assignment=a,
                    goal=goal,
                    indicator=ind,
                    role="effect",
                    baseline=10,
                    target=5,
                    status=statuses[(i + j) % 5],
                )
                for j, ind in enumerate(indicators)
            )
            ActivityReport.objects.bulk_create(
                ActivityReport(plan=p, period=period, value=9.0)
                for p in plans
                for period in ("2026K1", "2026K2")
            )
        print(f"built 500 assignments × 5 indicators in {time.perf_counter() - started:.1f} s")
        client = Client()
        client.force_login(user)
        client.get("/uppdrag/")
        times = []
        for _ in range(10):
            started = time.perf_counter()
            response = client.get("/uppdrag/")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        print(
            f"region overview (500 × 5): best {min(times) * 1000:.0f} ms, "
            f"median {statistics.median(times) * 1000:.0f} ms"
        )
        print("target under 300 ms:", "met" if min(times) < 0.3 else "NOT met")


if __name__ == "__main__":
    main()
