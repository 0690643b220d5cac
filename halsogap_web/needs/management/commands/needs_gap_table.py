import csv

from django.core.management.base import BaseCommand, CommandError

from halsogap.reports.needs_analysis import GAP_TABLE_HEADER, gap_table_rows
from halsogap_web.needs.content import analysis_content
from halsogap_web.needs.models import NeedsAnalysis


class Command(BaseCommand):
    help = (
        "Skriver en sparad behovsanalys gaptabell som CSV (semikolon, decimalkomma) för "
        "analytikers egna skript, med samma siffror som sidan och dokumenten. För en snabb "
        "tabell utan sparad analys: python -m halsogap.needs.cli --region 01 --indicator U01402 "
        "--target best:1"
    )

    def add_arguments(self, parser):
        parser.add_argument("analysis", type=int, help="Behovsanalysens nummer (i adressen).")

    def handle(self, *args, analysis: int, **options):
        try:
            saved = NeedsAnalysis.objects.select_related("region__area").get(pk=analysis)
        except NeedsAnalysis.DoesNotExist:
            raise CommandError(f"Behovsanalys {analysis} finns inte.") from None
        # The region's own view: national indicators and the region's own, published or not.
        content = analysis_content(saved, user=None)
        writer = csv.writer(self.stdout, delimiter=";")
        writer.writerow(GAP_TABLE_HEADER)
        writer.writerows(gap_table_rows(content))
