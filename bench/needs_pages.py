"""Benchmark: server time of the needs ranking page and a needs analysis page on the demo data.

Run with ``.venv/bin/python bench/needs_pages.py``. It loads the whole demo into a fresh SQLite
database in a temporary folder, then renders each page through Django's test client (no
network) and prints the best and median of ten renders after one warm-up, which builds the
cached data frames. Target: the ranking page under 300 ms.
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


def timed(client, path: str, runs: int = 10) -> tuple[float, float]:
    client.get(path)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return min(times), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halsogap_web.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from halsogap_web.accounts.demo import ensure_demo_users
        from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis
        from halsogap_web.observations.demo import load_demo_data
        from halsogap_web.observations.models import Indicator

        call_command("migrate", verbosity=0)
        load_demo_data()
        ensure_demo_users()
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="anna.analytiker")
        region = user.membership.region
        analysis = NeedsAnalysis.objects.create(region=region, title="Bench", year=2027)
        analysis.need_groups.set(
            [
                NeedGroup.objects.create(region=region, name="Länet", area_rule="region"),
                NeedGroup.objects.create(
                    region=region, name="Alla kommuner", area_rule="all_kommuner"
                ),
            ]
        )
        for code in ("U01402", "U01411", "U01405"):
            AnalysisIndicator.objects.create(
                analysis=analysis, indicator=Indicator.objects.get(code=code)
            )
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        client.get("/behovsanalys/rangordning/")
        print(f"first render (builds the data cache)  {time.perf_counter() - started:.2f} s")
        for label, path in (
            ("ranking page, region 01", "/behovsanalys/rangordning/"),
            ("analysis page, 2 groups x 3 indicators", f"/behovsanalys/{analysis.pk}/"),
            ("equity page, U01402, riket", "/indikator/U01402/jamlikhet/?omrade=00"),
        ):
            best, median = timed(client, path)
            print(f"{label:<40} best {best * 1000:6.0f} ms   median {median * 1000:6.0f} ms")
        best, _ = timed(client, "/behovsanalys/rangordning/")
        print("target: ranking page under 300 ms:", "met" if best < 0.3 else "NOT met")


if __name__ == "__main__":
    main()
