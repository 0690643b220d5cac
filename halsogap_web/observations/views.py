"""Start page, region overview and indicator pages."""

from __future__ import annotations

import csv

import polars as pl
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from halsogap.charts import line_chart_svg
from halsogap.indicator_stats import benchmark, trend_markers
from halsogap.maps import choropleth_svg, load_features
from halsogap.numbers import format_number, unit_label
from halsogap_web import evidence
from halsogap_web.accounts.access import get_region_for_user
from halsogap_web.accounts.models import Organisation
from halsogap_web.cycles.summary import wheel_summary_for_user

from .access import get_indicator_for_user, get_indicators_for_user
from .models import Area, Indicator, Observation

RIKET = evidence.RIKET
SEX_LABELS = dict(Observation.Sex.choices)


def _geojson(name: str) -> tuple[dict, ...]:
    return load_features(settings.HALSOGAP_DATA_DIR / "geo" / name)


@require_GET
def start(request):
    region = get_region_for_user(request.user)
    if region is not None and region.area is not None:
        return redirect("region", code=region.area.code)
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION, area__isnull=False)
    all_regions = Area.objects.filter(level=Area.Level.REGION)
    return TemplateResponse(
        request, "observations/start.html", {"regions": regions, "all_regions": all_regions}
    )


@require_GET
def region_overview(request, code: str):
    area = get_object_or_404(Area, code=code, level__in=[Area.Level.REGION, Area.Level.RIKET])
    organisation = Organisation.objects.filter(kind="region", area=area).first()
    indicators = get_indicators_for_user(request.user, region=organisation).order_by("title")
    rows = evidence.latest_values(request.user, indicators, area, region=organisation)
    # Health first: what people report, then registers, then the background that explains them.
    order = ["survey", "register", "activity", "resource", "background"]
    groups = [
        (kind, [r for r in rows if r.indicator.kind == kind])
        for kind in order
        if any(r.indicator.kind == kind for r in rows)
    ]
    return TemplateResponse(
        request,
        "observations/region.html",
        {
            "area": area,
            "organisation": organisation,
            "rows": rows,
            "groups": groups,
            "kind_labels": dict(Indicator.Kind.choices),
            # The wheel is the region's internal planning: only its own members see it.
            "wheel": wheel_summary_for_user(request.user)
            if organisation is not None and organisation == get_region_for_user(request.user)
            else None,
        },
    )


def _area_for_request(request) -> Area:
    code = request.GET.get("omrade")
    if code:
        return get_object_or_404(Area, code=code)
    region = get_region_for_user(request.user)
    if region is not None and region.area is not None:
        return region.area
    return Area.objects.get(code=RIKET)


@require_GET
def indicator_detail(request, code: str):
    indicator = get_indicator_for_user(request.user, code)
    area = _area_for_request(request)
    if area.level not in {Area.Level.RIKET, Area.Level.REGION, Area.Level.KOMMUN}:
        raise Http404("Sidan visar riket, regioner och kommuner.")
    region_area = area if area.level != Area.Level.KOMMUN else area.parent
    frame = evidence.observations(request.user, [indicator], region=indicator.organisation)
    totals = frame.filter(
        (pl.col("sex") == "T") & (pl.col("age_band") == "") & (pl.col("socioeconomic_group") == "")
    )
    shown_areas = [area.code] + ([RIKET] if area.code != RIKET else [])
    if area.level == Area.Level.KOMMUN:
        shown_areas.insert(1, region_area.code)
    series = {}
    for code_ in shown_areas:
        part = totals.filter(pl.col("area") == code_).sort("period")
        if part.height:
            series[part["area_name"][0]] = list(part.select("period", "value").iter_rows())
    by_sex = frame.filter(
        (pl.col("area") == area.code) & (pl.col("sex") != "T") & (pl.col("age_band") == "")
    ).sort("period")
    sex_series = {
        SEX_LABELS[s]: list(by_sex.filter(pl.col("sex") == s).select("period", "value").iter_rows())
        for s in ["K", "M"]
        if by_sex.filter(pl.col("sex") == s).height
    }

    # The map shows the region's kommuner, or all regions when riket is chosen.
    if region_area.code == RIKET:
        features, map_level = _geojson("regioner.geojson"), Area.Level.REGION
    else:
        features = [
            f
            for f in _geojson("kommuner.geojson")
            if f["properties"]["code"][:2] == region_area.code
        ]
        map_level = Area.Level.KOMMUN
    codes = [f["properties"]["code"] for f in features]
    map_values = totals.filter((pl.col("level") == map_level) & pl.col("area").is_in(codes))
    map_period = map_period_for(map_values)
    map_rows = (
        map_values.filter(pl.col("period") == map_period).sort(
            "value", descending=True, nulls_last=True
        )
        if map_period is not None
        else map_values.clear()
    )
    names = {f["properties"]["code"]: f["properties"]["name"] for f in features}
    map_svg = choropleth_svg(
        features,
        dict(map_rows.select("area", "value").iter_rows()),
        title=f"{indicator.title}{f', {map_period}' if map_period else ''}: karta över "
        + ("regionerna" if map_level == Area.Level.REGION else f"kommunerna i {region_area.name}"),
        unit=unit_label(indicator.unit),
        decimals=indicator.decimals,
    )
    table = totals.filter(pl.col("area").is_in(shown_areas)).sort(
        ["period", "area"], descending=[True, False]
    )
    # Benchmarks: every area against riket, a kommun also against its region (95 % limits).
    table = benchmark(
        table,
        totals.filter(pl.col("area") == RIKET),
        polarity=indicator.polarity,
        on=["period"],
        prefix="vs_riket",
    )
    table = benchmark(
        table,
        totals.filter(pl.col("area") == region_area.code),
        polarity=indicator.polarity,
        on=["period"],
        prefix="vs_region",
    )
    markers = trend_markers(
        totals.filter(pl.col("area").is_in(shown_areas)), polarity=indicator.polarity
    )
    names_by_code = dict(totals.select("area", "area_name").unique().iter_rows())
    trends = [
        (names_by_code.get(code, code), markers[code]) for code in shown_areas if code in markers
    ]

    context = {
        "indicator": indicator,
        "area": area,
        "region_area": region_area,
        "chart": line_chart_svg(
            series, title=f"{indicator.title}: {area.name} över tid", unit=indicator.unit
        ),
        "sex_chart": line_chart_svg(
            sex_series, title=f"{indicator.title}: {area.name} efter kön", unit=indicator.unit
        )
        if sex_series
        else "",
        "series_rows": _period_table(series, indicator.decimals),
        "sex_rows": _period_table(sex_series, indicator.decimals),
        "map_svg": map_svg,
        "map_period": map_period,
        "map_rows": [
            {"code": c, "name": names.get(c, c), "value": format_number(v, indicator.decimals)}
            for c, v in map_rows.select("area", "value").iter_rows()
        ],
        "map_summary": _map_summary(map_rows, names, indicator.decimals),
        "table_rows": table.to_dicts(),
        "trends": trends,
        "areas": Area.objects.filter(level__in=[Area.Level.RIKET, Area.Level.REGION]),
        "kommuner": Area.objects.filter(parent__code=region_area.code, level=Area.Level.KOMMUN)
        if region_area.code != RIKET
        else [],
    }
    return TemplateResponse(request, "observations/indicator.html", context)


def map_period_for(values: pl.DataFrame) -> str | None:
    """The latest period that covers at least half as many areas as the best-covered one.

    A single early value for a new year must not turn the map grey for every other area.
    """
    counts = values.drop_nulls("value").group_by("period").len()
    if counts.height == 0:
        return None
    enough = counts.filter(pl.col("len") * 2 >= counts["len"].max())
    return enough["period"].max()


def _period_table(series: dict, decimals: int) -> dict:
    periods = sorted({p for pts in series.values() for p, _ in pts}, reverse=True)
    lookup = {name: dict(points) for name, points in series.items()}
    return {
        "columns": list(series),
        "rows": [(p, [format_number(lookup[n].get(p), decimals) for n in series]) for p in periods],
    }


def _map_summary(map_rows: pl.DataFrame, names: dict, decimals: int) -> str:
    known = map_rows.drop_nulls("value")
    if known.height == 0:
        return "Inga värden att visa på kartan."
    top, bottom = known.row(0, named=True), known.row(-1, named=True)
    return (
        f"Högst: {names.get(top['area'], top['area'])} "
        f"({format_number(top['value'], decimals)}). "
        f"Lägst: {names.get(bottom['area'], bottom['area'])} "
        f"({format_number(bottom['value'], decimals)}). "
        f"{known.height} av {len(names)} områden har värden."
    )


@require_GET
def indicator_csv(request, code: str):
    """The indicator's values as CSV, with the same suppression as the page and the source."""
    indicator = get_indicator_for_user(request.user, code)
    frame = evidence.observations(request.user, [indicator], region=indicator.organisation).sort(
        ["area", "period", "sex", "age_band"]
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}.csv"'
    writer = csv.writer(response, delimiter=";")
    columns = [
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
    writer.writerow([*columns, "source"])
    source = f"Källa: {indicator.source_line}"
    for row in frame.select(columns).iter_rows():
        writer.writerow([*("" if v is None else v for v in row), source])
    return response
