"""The CNI supplementary assignment: one draft per eligible primary-care unit, in one action.

The follow-up plan comes from a template: the effect on self-rated health (Kolada U01405) in the
unit's kommun, and the number of health dialogues held as the activity the unit reports.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from halsogap.numbers import format_number
from halsogap_web import evidence
from halsogap_web.accounts.models import Organisation
from halsogap_web.needs.care_need import cni_table, get_rule_for_region
from halsogap_web.observations.models import Indicator

from .models import Assignment, Goal, PlanIndicator, Recipient

TITLE = "Tilläggsuppdrag: befolkningsinriktat hälsofrämjande arbete – {unit}"
DIALOGUES_CODE = "HG_HALSOSAMTAL"
EFFECT_CODE = "U01405"


def dialogues_indicator(region) -> Indicator:
    """The region's own activity indicator for health dialogues (each region has its own)."""
    indicator, _ = Indicator.objects.get_or_create(
        code=f"{DIALOGUES_CODE}_{region.area.code}",
        defaults={
            "title": "Genomförda hälsosamtal, antal",
            "description": "Antal hälsosamtal som vårdcentralen genomfört under perioden.",
            "unit": "antal",
            "polarity": Indicator.Polarity.HIGHER_BETTER,
            "kind": Indicator.Kind.ACTIVITY,
            "source": "Vårdcentralens verksamhetsdata",
            "organisation": region,
        },
    )
    return indicator


@transaction.atomic
def draft_supplementary_assignments(region, *, user) -> list[Assignment]:
    """Draft the assignment for every eligible unit that has none yet; returns the new drafts."""
    table = cni_table(region, get_rule_for_region(region))
    if table.height == 0:
        return []
    eligible = table.filter(table["eligible"])
    effect = Indicator.objects.filter(code=EFFECT_CODE).first()
    dialogues = dialogues_indicator(region)
    year = timezone.localdate().year
    created = []
    for row in eligible.iter_rows(named=True):
        unit, _ = Organisation.objects.get_or_create(
            name=row["namn"], defaults={"kind": Organisation.Kind.VARDCENTRAL, "region": region}
        )
        title = TITLE.format(unit=row["namn"])
        if Assignment.objects.filter(region=region, title=title).exists():
            continue
        assignment = Assignment.objects.create(
            region=region,
            issuer=region,
            title=title,
            perspective="population",
            kind="health_promoting",
            created_by=user,
            description=(
                f"Vårdcentralen har relativt CNI {format_number(row['cni'], decimals=2)} och "
                f"{format_number(row['befolkning'], decimals=0)} "
                "listade och uppfyller regionens regel för tilläggsuppdraget: "
                f"{row['reason']}."
            ),
            starts_on=date(year + 1, 1, 1),
            ends_on=date(year + 3, 12, 31),
        )
        Recipient.objects.create(
            assignment=assignment,
            organisation=unit,
            responsibility="Genomför befolkningsinriktade insatser.",
        )
        long_goal = Goal.objects.create(
            assignment=assignment,
            kind=Goal.Kind.LONG,
            text="Bättre självskattad hälsa och minskade skillnader i hälsa i upptagningsområdet.",
        )
        short_goal = Goal.objects.create(
            assignment=assignment,
            kind=Goal.Kind.SHORT,
            text="Hälsosamtal erbjuds grupper med sämre hälsoutveckling.",
        )
        if effect is not None:
            kommun_code = unit_kommun_code(region, row)
            latest = (
                evidence.latest_value(None, effect, kommun_code, region=region)
                if kommun_code
                else None
            )
            PlanIndicator.objects.create(
                assignment=assignment,
                goal=long_goal,
                indicator=effect,
                role="effect",
                baseline=latest[1] if latest else None,
                baseline_period=latest[0] if latest else "",
                target=(latest[1] + 2.0) if latest else None,
                target_date=date(year + 3, 12, 31),
                source=effect.source_line,
                frequency="årligen",
                period_kind="år",
                reporter=region,
            )
        PlanIndicator.objects.create(
            assignment=assignment,
            goal=short_goal,
            indicator=dialogues,
            role="process",
            baseline=0,
            baseline_period=str(year),
            target=round(0.05 * row["befolkning"]),
            target_date=date(year + 1, 12, 31),
            source=dialogues.source,
            frequency="kvartal",
            period_kind="kvartal",
            aggregation="sum",
            reporter=unit,
        )
        assignment.record_version(user)
        created.append(assignment)
    return created


def unit_kommun_code(region, row) -> str | None:
    from halsogap_web.needs.models import CareUnit

    unit = (
        CareUnit.objects.filter(region=region, code=row["enhet"]).select_related("kommun").first()
    )
    return unit.kommun.code if unit and unit.kommun else None
