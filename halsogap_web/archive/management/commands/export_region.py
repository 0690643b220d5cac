"""``manage.py export_region KOD FIL``: one region's whole steering record to an archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from halsogap_web.archive.region_archive import (
    ArchiveError,
    archive_bytes,
    describe_counts,
    export_region,
    find_region,
)


class Command(BaseCommand):
    help = (
        "Sparar en regions hela styrningsunderlag (behovsanalyser, prioriteringar, uppdrag, "
        "årshjul, självevalueringar, granskningslogg …) i ett versionerat arkiv (JSON). "
        "Lösenord följer aldrig med; nationella uppgifter anges med sina koder."
    )

    def add_arguments(self, parser):
        parser.add_argument("kod", help="Regionens områdeskod hos SCB, t.ex. 01 eller 12.")
        parser.add_argument("fil", type=Path, help="Arkivfilen som skrivs (JSON).")

    def handle(self, *args, kod, fil, **options):
        region = find_region(kod)
        if region is None:
            raise CommandError(f"Det finns ingen region med områdeskoden ”{kod}”.")
        try:
            archive = export_region(region)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        fil.write_bytes(archive_bytes(archive))
        self.stdout.write(f"{region} är exporterad till {fil}:")
        for line in describe_counts(archive["counts"]):
            self.stdout.write(f"  {line}")
