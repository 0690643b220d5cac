"""Reading indicators and observations for a user, with access and suppression applied.

Every page and export goes through these helpers, so that the visibility rule (national data
for all, a region's own data only for its members until published) and small-number
suppression live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db.models import Q
from django.http import Http404

from halsogap.disclosure import suppress_counts
from halsogap.indicator_stats import add_limits, benchmark
from halsogap_web.accounts.access import get_region_for_user

from .models import Area, ImportJob, Indicator, LoadBatch, Observation

RIKET = "00"
COUNT_UNITS = {"antal"}


def get_indicators_for_user(user, *, region=None):
    """Indicators the user may read on the page of ``region`` (default: the user's region).

    The public sees national indicators and the region's published ones; members of the
    region also see its unpublished ones.
    """
    own_region = get_region_for_user(user)
    region = region or own_region
    visible = Q(organisation__isnull=True)
    if region is not None:
        if own_region is not None and own_region.pk == region.pk:
            visible |= Q(organisation=region)
        else:
            visible |= Q(organisation=region, is_published=True)
    return Indicator.objects.filter(visible)


def get_indicators_for_region_member(region):
    """What a member of ``region`` reads: national indicators and all of the region's own."""
    return Indicator.objects.filter(Q(organisation__isnull=True) | Q(organisation=region))


def get_indicator_for_user(user, code: str) -> Indicator:
    own_region = get_region_for_user(user)
    visible = Q(organisation__isnull=True) | Q(is_published=True)
    if own_region is not None:
        visible |= Q(organisation=own_region)
    try:
        return Indicator.objects.get(visible, code=code)
    except Indicator.DoesNotExist:
        raise Http404("Indikatorn finns inte eller är inte publicerad.") from None


def get_load_batches_for_user(user):
    region = get_region_for_user(user)
    if region is None:
        return LoadBatch.objects.none()
    return LoadBatch.objects.filter(organisation=region)


def get_import_job_for_user(user, pk: int) -> ImportJob:
    region = get_region_for_user(user)
    try:
        return ImportJob.objects.get(pk=pk, organisation=region)
    except ImportJob.DoesNotExist:
        raise Http404("Inläsningen finns inte.") from None


OBSERVATION_COLUMNS = {
    "area__code": pl.Utf8,
    "area__name": pl.Utf8,
    "area__level": pl.Utf8,
    "period": pl.Utf8,
    "sex": pl.Utf8,
    "age_band": pl.Utf8,
    "socioeconomic_group": pl.Utf8,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "suppressed": pl.Boolean,
    "provisional": pl.Boolean,
    "break_in_series": pl.Boolean,
}


def observation_frame(indicator: Indicator, **filters) -> pl.DataFrame:
    """The indicator's observations with 95 % and 99.8 % limits, small counts suppressed.

    Limits are computed from counts before suppression, and suppression then blanks the value
    and every limit of a row whose count is too small to show.
    """
    rows = Observation.objects.filter(indicator=indicator, **filters).values_list(
        *OBSERVATION_COLUMNS
    )
    frame = pl.DataFrame(list(rows), schema=OBSERVATION_COLUMNS, orient="row").rename(
        {"area__code": "area", "area__name": "area_name", "area__level": "level"}
    )
    return suppress_for_display(add_limits(frame, unit=indicator.unit), indicator)


def suppress_for_display(frame: pl.DataFrame, indicator: Indicator) -> pl.DataFrame:
    """Apply the disclosure threshold: to numerators, and to the value when it is a count."""
    counts = ["numerator"] + (["value"] if indicator.unit in COUNT_UNITS else [])
    dependent = ["value"] + [c for c in frame.columns if c.startswith(("lower", "upper"))]
    return suppress_counts(
        frame,
        counts,
        threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD,
        dependent_columns=dependent,
    )


@dataclass(frozen=True)
class LatestValue:
    indicator: Indicator
    period: str | None
    value: float | None
    previous_period: str | None
    change: float | None
    riket_value: float | None
    difference: float | None
    judgement: str


def judge(difference: float | None, polarity: str) -> str:
    """Direction against riket in words; not a significance test (Kolada gives no limits)."""
    if difference is None:
        return ""
    if abs(difference) < 1e-9:
        return "som riket"
    higher = difference > 0
    if polarity == Indicator.Polarity.NONE:
        return "högre än riket" if higher else "lägre än riket"
    better = higher == (polarity == Indicator.Polarity.HIGHER_BETTER)
    return "bättre än riket" if better else "sämre än riket"


def latest_values(indicators, area: Area) -> list[LatestValue]:
    """Latest value per indicator for ``area`` (total, all ages), its change and riket's value.

    Where the value has limits the comparison with riket is Fingertips' test at 95 %; without
    limits only the direction is given, and the page says so.
    """
    indicators = list(indicators)
    rows = Observation.objects.filter(
        indicator__in=indicators,
        area__code__in={area.code, RIKET},
        sex="T",
        age_band="",
        socioeconomic_group="",
    ).values_list(
        "indicator_id",
        "area__code",
        "period",
        "value",
        "numerator",
        "denominator",
        "lower",
        "upper",
        "suppressed",
    )
    schema = {
        "indicator_id": pl.Int64,
        "area": pl.Utf8,
        "period": pl.Utf8,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "lower": pl.Float64,
        "upper": pl.Float64,
        "suppressed": pl.Boolean,
    }
    frame = pl.DataFrame(list(rows), schema=schema, orient="row")
    result = []
    for indicator in indicators:
        part = frame.filter(pl.col("indicator_id") == indicator.pk)
        part = suppress_for_display(add_limits(part, unit=indicator.unit), indicator)
        own = part.filter(pl.col("area") == area.code).sort("period")
        riket = part.filter(pl.col("area") == RIKET)
        if own.height == 0:
            result.append(LatestValue(indicator, None, None, None, None, None, None, ""))
            continue
        latest = own.row(-1, named=True)
        period, value = latest["period"], latest["value"]
        previous = own["value"][-2] if own.height > 1 else None
        change = value - previous if value is not None and previous is not None else None
        riket_value = dict(riket.select("period", "value").iter_rows()).get(period)
        difference = value - riket_value if value is not None and riket_value is not None else None
        if area.code == RIKET:
            judgement = ""
        elif latest["lower_95"] is not None and riket_value is not None:
            judgement = (
                benchmark(
                    own.tail(1), riket, polarity=indicator.polarity, on=["period"], prefix="vs"
                )["vs"][0]
                + " (95 %)"
            )
        else:
            judgement = judge(difference, indicator.polarity)
        result.append(
            LatestValue(
                indicator,
                period,
                value,
                own["period"][-2] if own.height > 1 else None,
                change,
                riket_value,
                difference,
                judgement,
            )
        )
    return result
