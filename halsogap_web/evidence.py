"""The evidence reader: the only code that turns stored values into frames for the core.

Every page, document, CSV, management command and API reads observed and reported values here,
so that three rules hold on every path at once:

* **visibility** – national indicators for everyone, a region's own indicators for its members
  and, once published, for everyone (:func:`~halsogap_web.observations.access.get_indicators_for_user`);
* **limits** – 95 % and 99,8 % limits computed from counts where the data has them, else the
  producer's, with their origin (:func:`halsogap.indicator_stats.add_limits`);
* **suppression** – small counts, producer-suppressed rows, counts recoverable from a rate and
  its denominator, and their complements (:func:`halsogap.disclosure.suppress_observations`),
  applied to the whole indicator at once so that every page hides the same cells.

All observations are read once per data version into one suppressed frame, kept in memory
(reading 860 000 values takes seconds, far beyond a page's budget) and sliced per request. The
frames speak the core's column vocabulary, :data:`COLUMNS`. A test proves that no other module
of the web layer queries observation values.
"""

from __future__ import annotations

import hashlib
import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from halsogap.disclosure import suppress_observations
from halsogap.indicator_stats import add_limits
from halsogap.needs import NeedsData
from halsogap_web.observations.access import (
    get_indicators_for_region_member,
    get_indicators_for_user,
)
from halsogap_web.observations.models import Area, Indicator, LoadBatch, Observation

RIKET = "00"
POPULATION_CODE = "HG_BEFOLKNING"
#: The shared vocabulary of observation frames, in the order exports list them.
COLUMNS = {
    "indicator": pl.String,
    "area": pl.String,
    "area_name": pl.String,
    "level": pl.String,
    "parent": pl.String,
    "period": pl.String,
    "sex": pl.String,
    "age_band": pl.String,
    "socioeconomic_group": pl.String,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "lower_95": pl.Float64,
    "upper_95": pl.Float64,
    "lower_99_8": pl.Float64,
    "upper_99_8": pl.Float64,
    "limits_source": pl.String,
    "suppressed": pl.Boolean,
    "suppressed_reason": pl.String,
    "provisional": pl.Boolean,
    "break_in_series": pl.Boolean,
    "unit": pl.String,
    "source": pl.String,
    "producer": pl.String,
}
#: The columns an observation export gives, in order: the CSV download and the API.
EXPORT_COLUMNS = [
    "area",
    "area_name",
    "period",
    "sex",
    "age_band",
    "socioeconomic_group",
    "value",
    "numerator",
    "denominator",
    "lower_95",
    "upper_95",
    "lower_99_8",
    "upper_99_8",
    "limits_source",
    "suppressed",
    "suppressed_reason",
    "provisional",
    "break_in_series",
]
_STORED = {
    "indicator_id": pl.Int64,
    "area_id": pl.Int64,
    "period": pl.String,
    "sex": pl.String,
    "age_band": pl.String,
    "socioeconomic_group": pl.String,
    "value": pl.Float64,
    "numerator": pl.Float64,
    "denominator": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "suppressed": pl.Boolean,
    "provisional": pl.Boolean,
    "break_in_series": pl.Boolean,
}
#: Changes when the stored frame's layout does, so that no disk cache of an older one is read.
STORE_LAYOUT = "sorted by indicator"
_lock = threading.RLock()
_cache: dict = {}


#: The data version read once for the request that holds it (see :func:`one_version_per_read`).
_read_version: ContextVar[dict | None] = ContextVar("halsogap_read_version", default=None)


def data_version() -> tuple:
    """What changes when values change: new values get new ids, changed values a new batch."""
    held = _read_version.get()
    if held:
        return held["version"]
    # Counting 860 000 rows on every page would cost 50 ms; four maxima cost almost nothing.
    indicators = Indicator.objects.aggregate(n=Count("id"), last=Max("id"))
    version = (
        Observation.objects.aggregate(last=Max("id"))["last"],
        LoadBatch.objects.aggregate(last=Max("id"))["last"],
        indicators["n"],
        indicators["last"],
        settings.HALSOGAP_DISCLOSURE_THRESHOLD,
    )
    if held is not None:
        held["version"] = version
    return version


@contextmanager
def one_version_per_read():
    """Within the block, read the data version once: a page asks for it a score of times.

    Only for work that writes no values (a GET), so the version cannot change under it.
    """
    token = _read_version.set({})
    try:
        yield
    finally:
        _read_version.reset(token)


def clear_cache() -> None:
    """Forget the cached frames and fragments (tests roll back writes, which a version check
    cannot see)."""
    from django.core.cache import cache

    with _lock:
        _cache.clear()
    cache.clear()


def _stored_rows() -> pl.DataFrame:
    # A plain cursor: the ORM's per-row model machinery would triple the time of a full read.
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Observation._meta.get_field(name.removesuffix("_id")).column)
        for name in _STORED
    )
    parts = []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (no user input)
        while rows := cursor.fetchmany(100_000):
            parts.append(pl.DataFrame(rows, schema=_STORED, orient="row"))
    if not parts:
        return pl.DataFrame(schema=_STORED)
    return pl.concat(parts).with_columns(
        *(pl.col(c).cast(pl.Boolean) for c in ("suppressed", "provisional", "break_in_series"))
    )


def _indicator_table() -> pl.DataFrame:
    rows = Indicator.objects.values_list("id", "code", "unit", "source", "producer")
    return pl.DataFrame(
        list(rows),
        schema={
            "indicator_id": pl.Int64,
            "indicator": pl.String,
            "unit": pl.String,
            "source": pl.String,
            "producer": pl.String,
        },
        orient="row",
    )


def _area_table() -> pl.DataFrame:
    rows = Area.objects.values_list("id", "code", "name", "level", "parent__code")
    return pl.DataFrame(
        list(rows),
        schema={
            "area_id": pl.Int64,
            "area": pl.String,
            "area_name": pl.String,
            "level": pl.String,
            "parent": pl.String,
        },
        orient="row",
    )


def _build() -> pl.DataFrame:
    stored = (
        _stored_rows()
        .join(_indicator_table(), on="indicator_id")
        .join(_area_table(), on="area_id")
        .drop("indicator_id", "area_id")
    )
    parts = []
    # Limits depend on the unit (Wilson for shares, Byar for rates), so each unit is one call.
    for (unit,), part in stored.group_by("unit", maintain_order=True):
        parts.append(add_limits(part, unit=unit or ""))
    frame = pl.concat(parts, how="diagonal_relaxed") if parts else stored
    frame = suppress_observations(frame, threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD)
    # Each indicator's rows together (in their stored order), so that a page's few indicators
    # are sliced out of the store instead of filtered from its 860 000 rows: see _rows_of.
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in COLUMNS.items()
        ]
    ).sort("indicator", maintain_order=True)


def _cached_build(version: tuple) -> pl.DataFrame:
    """The store for ``version`` from the disk cache, or built and written there."""
    folder = settings.HALSOGAP_EVIDENCE_CACHE
    if not folder:
        return _build()
    folder = Path(folder)
    key = (connection.settings_dict["NAME"], version, STORE_LAYOUT)
    name = hashlib.sha256(repr(key).encode()).hexdigest()
    path = folder / f"evidence-{name[:24]}.parquet"
    if path.exists():
        try:
            return pl.read_parquet(path)
        except (OSError, pl.exceptions.ComputeError):
            path.unlink(missing_ok=True)
    frame = _build()
    folder.mkdir(parents=True, exist_ok=True)
    # Write beside and rename, so another process never reads half a file; old versions go.
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    frame.write_parquet(partial)
    partial.replace(path)
    for old in folder.glob("evidence-*.parquet"):
        if old != path:
            old.unlink(missing_ok=True)
    return frame


def _store() -> pl.DataFrame:
    version = data_version()
    with _lock:
        if _cache.get("version") != version:
            _cache.clear()
            _cache["store"] = _cached_build(version)
            _cache["version"] = version
        return _cache["store"]


def warm() -> None:
    """Build the store now (after loading data), so the first page need not wait for it."""
    _store()


def _memo(key: tuple, build):
    """A frame derived from the store, kept as long as the store is."""
    _store()
    with _lock:
        if key not in _cache:
            _cache[key] = build()
        return _cache[key]


def _indicator_runs() -> dict[str, tuple[int, int]] | None:
    """Where each indicator's rows start in the store and how many there are."""
    runs = _store()["indicator"].rle().struct.unnest()
    if runs["value"].n_unique() != runs.height:
        return None  # not grouped (cannot happen with _build's sort): filter instead
    starts = runs["len"].cum_sum() - runs["len"]
    return {
        code: (start, length)
        for code, start, length in zip(runs["value"], starts, runs["len"], strict=True)
    }


def _rows_of(codes) -> pl.DataFrame:
    """The store's rows of ``codes``, in the store's order."""
    store = _store()
    runs = _memo(("runs",), _indicator_runs)
    if runs is None:
        return store.filter(pl.col("indicator").is_in(list(codes)))
    parts = [store.slice(*runs[c]) for c in sorted(set(codes)) if c in runs]
    return pl.concat(parts) if parts else store.clear()


def per_version(key: tuple, build):
    """What ``build`` returns, computed once per data version and process for ``key``.

    For page content that depends only on the data and on which indicators the reader may
    see: the key must hold everything else it depends on (the area, the visible codes).
    """
    return _memo(("page",) + key, build)


def version_tag(*parts) -> str:
    """A short text naming the data version and ``parts``: the key of a cached page fragment.

    A fragment kept under it (Django's ``{% cache %}``) is rendered again once the data or any
    of the parts change.
    """
    return hashlib.sha256(repr((data_version(), parts)).encode()).hexdigest()[:32]


def per_stamp(key: tuple, stamp, build):
    """What ``build`` returns for ``key`` while ``stamp`` stays the same, within a data version.

    For page parts that follow stored steering work as well as the data: the stamp says how
    far that work has come (:func:`~halsogap_web.audit.stamps.steering_stamp`). One entry per
    key is kept, so a stream of new stamps replaces, never piles up.
    """
    _store()
    with _lock:
        held = _cache.get(("stamped",) + key)
    if held is not None and held[0] == stamp:
        return held[1]
    value = build()
    with _lock:
        _cache[("stamped",) + key] = (stamp, value)
    return value


def visible_codes(user, *, region=None) -> list[str]:
    """Codes of the indicators the user may read on ``region``'s pages (default: their own).

    ``user`` None reads as a member of ``region`` (management commands run for a region).
    """
    if user is None:
        return list(get_indicators_for_region_member(region).values_list("code", flat=True))
    # One lookup per request and region, however many parts of a page read values.
    memo = user.__dict__.setdefault("_halsogap_visible", {})
    key = region.pk if region is not None else None
    if key not in memo:
        memo[key] = list(
            get_indicators_for_user(user, region=region).values_list("code", flat=True)
        )
    return memo[key]


def observations(
    user,
    indicators,
    *,
    region=None,
    areas=None,
    totals: bool = False,
) -> pl.DataFrame:
    """Suppressed observations with limits for the indicators the user may read.

    ``indicators`` are Indicator objects or codes; those the user may not read are left out.
    ``areas`` keeps only those area codes; ``totals`` keeps only the all-sexes, all-ages,
    all-groups row of each area and period.
    """
    codes = [getattr(i, "code", i) for i in indicators]
    allowed = set(visible_codes(user, region=region))
    frame = _rows_of([c for c in codes if c in allowed])
    if areas is not None:
        frame = frame.filter(pl.col("area").is_in(list(areas)))
    if totals:
        frame = frame.filter(
            (pl.col("sex") == "T")
            & (pl.col("age_band") == "")
            & (pl.col("socioeconomic_group") == "")
        )
    return frame


def latest_value(user, indicator, area_code: str, *, region=None) -> tuple[str, float] | None:
    """``(period, value)`` of the newest shown total of ``indicator`` for one area, or None."""
    rows = (
        observations(user, [indicator], region=region, areas=[area_code], totals=True)
        .drop_nulls("value")
        .sort("period")
    )
    return (rows["period"][-1], rows["value"][-1]) if rows.height else None


def _population() -> pl.DataFrame:
    # Population counts are SCB's published statistics and serve here only as weights and
    # denominators; they are read unsuppressed because nothing shows them through this frame.
    rows = Observation.objects.filter(indicator__code=POPULATION_CODE).values_list(
        "area__code", "period", "sex", "age_band", "value"
    )
    return pl.DataFrame(
        list(rows),
        schema={
            "area": pl.String,
            "period": pl.String,
            "sex": pl.String,
            "age_band": pl.String,
            "population": pl.Float64,
        },
        orient="row",
    )


def _all_needs_data() -> NeedsData:
    def build() -> NeedsData:
        store = _store()
        # The description is read too: some indicators state their age range only there.
        columns = ["code", "title", "unit", "polarity", "kind", "producer", "description"]
        indicators = pl.DataFrame(
            [
                (*row[:-1], "1" if row[-1] else "0")
                for row in Indicator.objects.values_list(*columns, "is_health_state")
            ],
            schema={c: pl.String for c in [*columns, "health_state"]},
            orient="row",
        )
        areas = _area_table().filter(pl.col("level").is_in(["riket", "region", "kommun"]))
        return NeedsData.from_observations(
            store.filter(pl.col("indicator") != POPULATION_CODE),
            population=_population(),
            indicators=indicators,
            areas=areas.select(
                pl.col("area").alias("code"), pl.col("area_name").alias("name"), "level", "parent"
            ),
        )

    return _memo(("needs",), build)


def needs_data(user, *, region=None) -> NeedsData:
    """The needs engine's input for the indicators the user may read for ``region``."""
    codes = tuple(sorted(visible_codes(user, region=region)))
    # Readers with the same visibility share one restricted copy (and its cached slices).
    return _memo(("needs", codes), lambda: _all_needs_data().restricted_to(codes))


REPORTED = "rapporterat av utföraren"


def _reported(plans) -> pl.DataFrame:
    from halsogap_web.assignments.models import ActivityReport

    rows = ActivityReport.objects.filter(plan__in=plans).values_list(
        "plan_id", "plan__indicator__unit", "period", "value"
    )
    frame = pl.DataFrame(
        list(rows),
        schema={"plan": pl.Int64, "unit": pl.String, "period": pl.String, "value": pl.Float64},
        orient="row",
    )
    # A provider's count of people reached is a count like any other: the same threshold.
    frame = frame.with_columns(pl.col("plan").cast(pl.String))
    return suppress_observations(
        frame.with_columns(pl.col("plan").alias("area")),
        threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD,
    ).drop("area")


def plan_series(plans, *, region, user=None) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """Values per follow-up plan line (keyed by the line's pk as text) and their origin.

    A line the provider reports on shows its reports; any other line shows the indicator's
    observed totals for the region after the baseline period. Both are suppressed by the one
    disclosure rule, so a count hidden on the indicator page is hidden here too.
    """
    plans = list(plans)
    reported = _reported(plans)
    with_reports = set(reported["plan"].to_list())
    series: dict[str, pl.DataFrame] = {}
    origins: dict[str, str] = {}
    observed_plans = [p for p in plans if str(p.pk) not in with_reports]
    observed = observations(
        user if user is not None else None,
        [p.indicator for p in observed_plans],
        region=region,
        areas=[region.area.code],
        totals=True,
    ).select("indicator", "period", "value", "lower_95", "upper_95")
    for plan in plans:
        key = str(plan.pk)
        if key in with_reports:
            series[key] = reported.filter(pl.col("plan") == key).select("period", "value")
            origins[key] = REPORTED
            continue
        part = observed.filter(pl.col("indicator") == plan.indicator.code).drop("indicator")
        if plan.baseline_period:
            part = part.filter(pl.col("period") > plan.baseline_period)
        series[key] = part.sort("period")
        origins[key] = f"Källa: {plan.indicator.source_line}"
    return series, origins


def report_stamps(needs) -> dict[int, tuple]:
    """Per need, how many reports its assignments hold and when the newest was saved: what
    changes when a provider reports on it (the key of its cached line)."""
    from halsogap_web.assignments.models import ActivityReport

    return {
        row["plan__assignment__needs"]: (row["n"], row["last"])
        for row in ActivityReport.objects.filter(plan__assignment__needs__in=needs)
        .values("plan__assignment__needs")
        .annotate(n=Count("id"), last=Max("reported_at"))
    }


def reported_rows(plans) -> list[dict]:
    """Every value reported on the plan lines, suppressed, with comment and reporter."""
    from halsogap_web.assignments.models import ActivityReport

    plans = list(plans)
    shown = {(int(r["plan"]), r["period"]): r for r in _reported(plans).iter_rows(named=True)}
    rows = []
    for report in (
        ActivityReport.objects.filter(plan__in=plans)
        .select_related("plan__indicator", "reported_by")
        .order_by("plan__indicator__code", "period")
    ):
        row = shown[(report.plan_id, report.period)]
        rows.append(
            {
                "indicator": report.plan.indicator,
                "period": report.period,
                "value": row["value"],
                "suppressed": row["suppressed"],
                "decimals": report.plan.indicator.decimals,
                "comment": report.comment,
                "reported_by": report.reported_by,
            }
        )
    return rows


def provider_comments(plans) -> list[tuple[str, str, str]]:
    """The provider's comments on its reported values: (period, author, "indicator: text")."""
    from halsogap_web.assignments.models import ActivityReport

    reports = (
        ActivityReport.objects.filter(plan__in=list(plans))
        .exclude(comment="")
        .select_related("plan__indicator", "reported_by")
        .order_by("period", "plan__indicator__title")
    )
    return [
        (
            r.period,
            r.reported_by.get_full_name() if r.reported_by else "–",
            f"{r.plan.indicator.title}: {r.comment}",
        )
        for r in reports
    ]
