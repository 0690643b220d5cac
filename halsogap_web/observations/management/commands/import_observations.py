import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from halsogap_web.accounts.models import Organisation
from halsogap_web.lib.progress import TerminalProgress
from halsogap_web.observations.importing import run_import


class Command(BaseCommand):
    help = (
        "Läser in observationer från en CSV- eller XLSX-fil (Kolada-format eller Hälsogaps "
        "format). Vid minsta fel sparas ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["kolada", "tidy", "json-stat2", "pxweb-json", "px"], default=None
        )
        parser.add_argument(
            "--indicator",
            help="Indikatorkod som en PX-Web-tabell (JSON-stat, .px) läses in till.",
        )
        parser.add_argument(
            "--region",
            help="Regionens namn; utan region skrivs nationella indikatorer (t.ex. Kolada).",
        )
        parser.add_argument("--user", help="Användarnamn som inläsningen loggas på.")

    def handle(self, *args, file: Path, format=None, region=None, user=None, **options):
        if not file.exists():
            raise CommandError(f"{file}: filen finns inte.")
        organisation = None
        if region:
            organisation = Organisation.objects.filter(name=region, kind="region").first()
            if organisation is None:
                raise CommandError(f"Regionen {region!r} finns inte.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Användaren {user!r} finns inte.")
        bars = {}

        def progress(stage: str, done: int, total: int) -> None:
            bars.setdefault(stage, TerminalProgress(stage, stream=sys.stderr))(done, total)

        outcome = run_import(
            file.read_bytes(),
            file.name,
            organisation=organisation,
            user=actor,
            file_format=format,
            indicator=options.get("indicator"),
            progress=progress,
        )
        for bar in bars.values():
            bar.finish()
        if not outcome.ok:
            for message in outcome.errors:
                self.stderr.write(message)
            raise CommandError(f"{file.name} avvisades: ingenting sparades.")
        for notice in outcome.notices:
            self.stdout.write(self.style.WARNING(notice))
        if outcome.already_imported:
            when = f"{timezone.localtime(outcome.already_imported.created_at):%Y-%m-%d %H:%M}"
            self.stdout.write(f"{file.name} är redan inläst ({when}); ingenting ändrades.")
            return
        batch = outcome.batch
        self.stdout.write(
            f"{file.name}: {batch.row_count} rader, {batch.created_count} nya värden, "
            f"{batch.updated_count} ändrade, {batch.unchanged_count} oförändrade."
        )
