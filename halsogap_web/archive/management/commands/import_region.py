"""``manage.py import_region FIL``: restore a region's steering record from an archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from halsogap_web.archive.region_archive import ArchiveError, describe_counts
from halsogap_web.archive.region_restore import import_region, read_archive


class Command(BaseCommand):
    help = (
        "Återställer en regions styrningsunderlag från ett arkiv som export_region skrev, i "
        "en enda transaktion. Avvisar arkivet, utan att ändra något, om formatet eller "
        "versionen är okänd, om nationella uppgifter saknas här, om regionen redan har ett "
        "styrningsunderlag eller om ett användarnamn hör till en annan region."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", type=Path, help="Arkivfilen (JSON) från export_region.")

    def handle(self, *args, fil, **options):
        try:
            data = fil.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"Arkivet {fil} finns inte.") from exc
        except OSError as exc:
            raise CommandError(f"Arkivet {fil} kan inte läsas (felkod {exc.errno}).") from exc
        try:
            archive = read_archive(data)
            summary = import_region(archive)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        name = archive["region"].get("name") or archive["region"]["code"]
        self.stdout.write(
            f"{name} är återställd från {fil} (exporterad {archive.get('exported_at')}):"
        )
        for line in describe_counts(summary):
            self.stdout.write(f"  {line}")
