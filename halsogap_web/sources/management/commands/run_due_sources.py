"""Run every source whose scheduled time has come; meant for cron or a systemd timer."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from halsogap_web.sources.models import SourceRun
from halsogap_web.sources.running import due_sources, execute_run


class Command(BaseCommand):
    help = "Hämtar från de datakällor vars schemalagda tid har kommit."

    def handle(self, *args, **options):
        count = 0
        for source in due_sources():
            run = execute_run(SourceRun.objects.create(source=source))
            count += 1
            if run.errors:
                self.stderr.write(f"{source.name}: {run.errors[0]}")
            else:
                self.stdout.write(f"{source.name}: klar")
        self.stdout.write(f"{count} källor körda.")
