import csv
import sys

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from halsogap.needs import NeedsData, needs_analysis
from halsogap.numbers import format_number
from halsogap_web.needs.analysis import analysis_content
from halsogap_web.needs.data import all_needs_data
from halsogap_web.needs.models import NeedsAnalysis
from halsogap_web.observations.access import get_indicators_for_region_member

HEADER = [
    "Behovsgrupp",
    "Indikator",
    "Kod",
    "År",
    "Mål",
    "Område",
    "Nuvärde",
    "Målvärde",
    "Gap kvar att sluta",
    "Personer",
    "Status",
    "Kommentar",
    "Källa",
]


class Command(BaseCommand):
    help = (
        "Skriver en sparad behovsanalys gaptabell som CSV (semikolon, decimalkomma) för "
        "analytikers egna skript. För en snabb tabell utan sparad analys: "
        "python -m halsogap.needs.cli --region 01 --indicator U01402 --target best:1"
    )

    def add_arguments(self, parser):
        parser.add_argument("analysis", type=int, help="Behovsanalysens nummer (i adressen).")

    def handle(self, *args, analysis: int, **options):
        try:
            saved = NeedsAnalysis.objects.select_related("region__area").get(pk=analysis)
        except NeedsAnalysis.DoesNotExist:
            raise CommandError(f"Behovsanalys {analysis} finns inte.") from None
        data = all_needs_data()
        # The region's own view: national indicators and the region's own, published or not.
        visible = list(
            get_indicators_for_region_member(saved.region).values_list("code", flat=True)
        )
        data = NeedsData(
            values=data.values.filter(pl.col("kpi").is_in(visible)),
            population=data.population,
            indicators=data.indicators.filter(pl.col("code").is_in(visible)),
            areas=data.areas,
        )
        ranking, _ = needs_analysis(data, regions=[saved.region.area.code])
        content = analysis_content(saved, data, ranking)
        writer = csv.writer(sys.stdout, delimiter=";")
        writer.writerow(HEADER)
        for group in content.groups:
            for item in group.items:
                for row in [*item.rows, *([item.total] if item.total else [])]:
                    writer.writerow(
                        [
                            group.name,
                            item.indicator_title,
                            item.indicator_code,
                            item.year or "",
                            item.target_text,
                            row.area,
                            _n(row.current),
                            _n(row.desired),
                            _n(row.gap_to_close),
                            _n(row.persons, 0),
                            row.status or "",
                            row.note or "",
                            f"Källa: {item.source}",
                        ]
                    )


def _n(value, decimals=1):
    return "" if value is None else format_number(value, decimals=decimals).replace("\u202f", "")
