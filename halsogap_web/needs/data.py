"""The needs engine's input (``NeedsData``) read from the database, cached per data version.

Reading 860 000 values takes about a second, far beyond a page's budget, so the frames are
kept in memory and rebuilt only when an import or a new value has changed the data.
"""

from __future__ import annotations

import threading

import polars as pl
from django.db.models import Count, Max

from halsogap.needs import NeedsData
from halsogap_web.observations.demo import POPULATION_CODE
from halsogap_web.observations.models import Area, Indicator, LoadBatch, Observation
from halsogap_web.observations.access import get_indicators_for_user

_lock = threading.Lock()
_cache: dict = {}


def _version() -> tuple:
    # New values get new ids, changed values come with a new load batch, and removed values go
    # with their indicator; counting 860 000 rows on every page would cost 50 ms.
    indicators = Indicator.objects.aggregate(n=Count("id"), last=Max("id"))
    return (
        Observation.objects.aggregate(last=Max("id"))["last"],
        LoadBatch.objects.aggregate(last=Max("id"))["last"],
        indicators["n"],
        indicators["last"],
    )


def _build() -> NeedsData:
    values = pl.DataFrame(
        list(
            Observation.objects.filter(
                age_band="", socioeconomic_group="", period__regex=r"^\d{4}$"
            )
            .exclude(value__isnull=True)
            .values_list("indicator__code", "area__code", "period", "sex", "value")
            .iterator(chunk_size=50_000)
        ),
        schema={
            "kpi": pl.Utf8,
            "area": pl.Utf8,
            "year": pl.Utf8,
            "sex": pl.Utf8,
            "value": pl.Float64,
        },
        orient="row",
    ).with_columns(pl.col("year").cast(pl.Int16))
    population = pl.DataFrame(
        list(
            Observation.objects.filter(indicator__code=POPULATION_CODE).values_list(
                "area__code", "period", "sex", "age_band", "value"
            )
        ),
        schema={
            "area": pl.Utf8,
            "year": pl.Utf8,
            "sex": pl.Utf8,
            "age_band": pl.Utf8,
            "population": pl.Float64,
        },
        orient="row",
    ).with_columns(pl.col("year").cast(pl.Int16), pl.col("population").cast(pl.Int64))
    indicators = pl.DataFrame(
        list(
            Indicator.objects.values_list("code", "title", "unit", "polarity", "kind", "producer")
        ),
        schema={c: pl.Utf8 for c in ["code", "title", "unit", "polarity", "kind", "producer"]},
        orient="row",
    )
    areas = pl.DataFrame(
        list(
            Area.objects.filter(level__in=["riket", "region", "kommun"]).values_list(
                "code", "name", "level", "parent__code"
            )
        ),
        schema={"code": pl.Utf8, "name": pl.Utf8, "level": pl.Utf8, "parent": pl.Utf8},
        orient="row",
    )
    return NeedsData(values=values, population=population, indicators=indicators, areas=areas)


def all_needs_data() -> NeedsData:
    version = _version()
    with _lock:
        if _cache.get("version") != version:
            _cache["data"] = _build()
            _cache["version"] = version
        return _cache["data"]


def needs_data_for_user(user, *, region=None) -> NeedsData:
    """The data restricted to the indicators the user may read for ``region``."""
    data = all_needs_data()
    visible = list(get_indicators_for_user(user, region=region).values_list("code", flat=True))
    return NeedsData(
        values=data.values.filter(pl.col("kpi").is_in(visible)),
        population=data.population,
        indicators=data.indicators.filter(pl.col("code").is_in(visible)),
        areas=data.areas,
    )


def clear_cache() -> None:
    """Forget the cached frames (tests roll back writes, which a version check cannot see)."""
    with _lock:
        _cache.clear()
