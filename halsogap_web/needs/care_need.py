"""A region's primary-care units and their Care Need Index: read, computed by the core, saved.

Shared by the CNI page, the demo loader and the supplementary assignments.
"""

from __future__ import annotations

import polars as pl
from django.db import transaction

from halsogap.needs import (
    CNI_VARIABLES,
    care_need_index,
    eligible_units,
)
from halsogap_web.observations.models import Area

from .models import CareUnit, EligibilityRule

COUNT_FIELDS = [v.column for v in CNI_VARIABLES]


def get_rule_for_region(region) -> EligibilityRule:
    rule, _ = EligibilityRule.objects.get_or_create(region=region)
    return rule


def unit_frame(units) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "enhet": u.code,
                "namn": u.name,
                "kommun": u.kommun.name if u.kommun else "",
                "befolkning": u.listed,
                "synthetic": u.synthetic,
                **{f: getattr(u, f) for f in COUNT_FIELDS},
            }
            for u in units
        ],
        schema={
            "enhet": pl.Utf8,
            "namn": pl.Utf8,
            "kommun": pl.Utf8,
            "befolkning": pl.Int64,
            "synthetic": pl.Boolean,
            **{f: pl.Int64 for f in COUNT_FIELDS},
        },
    )


def cni_table(region, rule: EligibilityRule) -> pl.DataFrame:
    """Every unit of the region with CNI (riket = 1,00) and whether it is eligible, and why."""
    frame = unit_frame(CareUnit.objects.filter(region=region).select_related("kommun"))
    if frame.height == 0:
        return frame
    # Riket's points per person as the region entered them for its year, else SCB's example.
    result = care_need_index(frame, reference=rule.reference)
    return eligible_units(
        result, cni_threshold=rule.cni_threshold, min_listed=rule.min_listed
    ).sort("cni", descending=True)


@transaction.atomic
def save_units(counts: pl.DataFrame, *, region, synthetic: bool = False) -> tuple[int, int]:
    """Create or update the region's units from a checked counts frame, all or nothing."""
    kommuner = dict(Area.objects.filter(level="kommun").values_list("code", "id"))
    created = updated = 0
    for row in counts.iter_rows(named=True):
        _, was_created = CareUnit.objects.update_or_create(
            region=region,
            code=row["enhet"],
            defaults={
                "name": row.get("namn") or row["enhet"],
                "kommun_id": kommuner.get(row.get("kommun") or ""),
                "listed": row["befolkning"],
                "synthetic": synthetic,
                **{f: row[f] for f in COUNT_FIELDS},
            },
        )
        created += was_created
        updated += not was_created
    return created, updated
