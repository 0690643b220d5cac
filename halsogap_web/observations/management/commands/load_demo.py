import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from halsogap_web import evidence
from halsogap_web.accounts.demo import ensure_demo_users
from halsogap_web.demo import load_living_demo
from halsogap_web.lib.progress import TerminalProgress
from halsogap_web.needs.demo import load_demo_care_units
from halsogap_web.observations.demo import load_demo_data
from halsogap_web.priorities.demo import load_catalogue
from halsogap_web.selfevaluation.demo import ensure_default_definition


class Command(BaseCommand):
    help = "Läser in demodata (Kolada/RKA, SCB:s koder) och skapar demoanvändare. Kan köras flera gånger."

    def add_arguments(self, parser):
        parser.add_argument("--no-users", action="store_true", help="Skapa inga demoanvändare.")

    def handle(self, *args, no_users=False, **options):
        started = time.perf_counter()
        progress = TerminalProgress("Demodata", stream=sys.stderr)
        summary = load_demo_data(progress=progress)
        progress.finish()
        if summary.already_loaded:
            self.stdout.write("Demodata finns redan; inget ändrades.")
        else:
            self.stdout.write(
                f"Demodata inläst: {summary.values_created} nya värden, "
                f"{summary.areas_created} områden, {summary.indicators_created} indikatorer "
                f"({time.perf_counter() - started:.1f} s). Källa: Kolada/RKA."
            )
        ensure_default_definition()
        load_catalogue()
        # Read and suppress every value now, so that the first page is served at once.
        warmed = time.perf_counter()
        evidence.warm()
        self.stdout.write(
            f"Värdena är förberedda för sidorna ({time.perf_counter() - warmed:.1f} s)."
        )
        if no_users:
            return
        if settings.PRODUCTION:
            raise CommandError("Demoanvändare skapas aldrig i produktion.")
        users = ensure_demo_users()
        units = load_demo_care_units()
        self.stdout.write(f"Syntetiska demovårdcentraler (CNI): {units}.")
        year = load_living_demo()
        self.stdout.write(
            f"Demoåret (behov, prioriteringar, uppdrag, årshjul): {year['created']} nya "
            f"objekt, {year['total']} totalt."
        )
        self.stdout.write("\nDemoanvändare (endast lokalt):")
        for user in users:
            self.stdout.write(
                f"  {user.username:<16} lösenord {user.password:<22} "
                f"{user.role.label}, {user.organisation}"
            )
