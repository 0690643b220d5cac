"""Benchmark: load the whole demo data set into a fresh database; print rows, seconds, memory.

Run with ``.venv/bin/python bench/load_demo.py`` (SQLite in a temporary directory), or with
``DATABASE_URL=postgres://…`` set to measure PostgreSQL. Target on a 2-core machine: under
30 s and under 1 GiB peak memory.
"""

from __future__ import annotations

import os
import resource
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
        from django.core.management import call_command

        from halsogap_web.observations.demo import load_demo_data
        from halsogap_web.observations.models import Area, Indicator, Observation

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        summary = load_demo_data()
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = load_demo_data()
        second = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine = django.db.connection.vendor
        print(f"database            {engine}")
        print(f"observations        {Observation.objects.count():,}".replace(",", " "))
        print(f"areas               {Area.objects.count():,}".replace(",", " "))
        print(f"indicators          {Indicator.objects.count()}")
        print(f"values written      {summary.values_created:,}".replace(",", " "))
        print(f"first load          {first:.1f} s")
        print(f"second load         {second:.2f} s (already loaded: {again.already_loaded})")
        print(f"peak memory (RSS)   {peak_mib:.0f} MiB")
        ok = first < 30 and peak_mib < 1024
        print("target (<30 s, <1 GiB):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
