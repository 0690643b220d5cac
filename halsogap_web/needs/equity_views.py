"""The equity view of one indicator: kommuner by socioeconomic quintile, and women and men."""

from __future__ import annotations

import polars as pl
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from halsogap.charts import bar_chart_svg, line_chart_svg
from halsogap.needs import population_for_ages
from halsogap.needs.equity import equity_by_quintile
from halsogap_web.accounts.access import get_region_for_user
from halsogap_web.observations.models import Area, Indicator
from halsogap_web.observations.access import get_indicator_for_user

from .data import all_needs_data

#: Socioeconomic background indicators offered for the quintiles (national Kolada KPIs).
BACKGROUNDS = ["N01982", "N01984", "N66078", "N00221", "N01717"]


@require_GET
def indicator_equity(request, code: str):
    indicator = get_indicator_for_user(request.user, code)
    area_code = request.GET.get("omrade") or (
        getattr(getattr(get_region_for_user(request.user), "area", None), "code", None) or "00"
    )
    area = get_object_or_404(Area, code=area_code)
    if area.level not in {Area.Level.RIKET, Area.Level.REGION}:
        raise Http404("Jämlikhetsvyn visar riket eller en region.")
    backgrounds = list(Indicator.objects.filter(code__in=BACKGROUNDS).order_by("title"))
    background = next(
        (b for b in backgrounds if b.code == request.GET.get("bakgrund")), None
    ) or next(b for b in backgrounds if b.code == "N01982")

    data = all_needs_data()
    values = data.values.filter((pl.col("kpi") == indicator.code) & (pl.col("sex") == "T"))
    kommun_values = values.filter(pl.col("area").str.len_chars() == 4)
    year = kommun_values["year"].max() if kommun_values.height else None
    context = {
        "indicator": indicator,
        "area": area,
        "backgrounds": backgrounds,
        "background": background,
        "year": year,
        "regions": Area.objects.filter(level=Area.Level.REGION),
    }
    if year is not None and data.population.height == 0:
        context["no_population"] = True
    elif year is not None:
        bg = data.values.filter((pl.col("kpi") == background.code) & (pl.col("sex") == "T"))
        bg_year = bg.filter(pl.col("year") <= year)["year"].max() or bg["year"].max()
        pop_year = min(
            max(int(year), int(data.population["year"].min())), int(data.population["year"].max())
        )
        population = population_for_ages(data.population.filter(pl.col("year") == pop_year)).filter(
            pl.col("sex") == "T"
        )
        areas = None
        if area.level == Area.Level.REGION:
            areas = data.areas.filter(pl.col("parent") == area.code)["code"].to_list()
        table, measures = equity_by_quintile(
            kommun_values.filter(pl.col("year") == year).select("area", "value"),
            background=bg.filter(pl.col("year") == bg_year).select("area", "value"),
            population=population.select("area", "population"),
            background_polarity=background.polarity,
            areas=areas,
        )
        bars = [(f"Kvintil {q}", v) for q, v in table.select("quintile", "value").rows()]
        context |= {
            "table": table.to_dicts(),
            "measures": measures.to_dicts(),
            "bg_year": bg_year,
            "pop_year": pop_year,
            "bar_chart": bar_chart_svg(
                bars,
                unit=indicator.unit,
                title=f"{indicator.title}, {year}: kommuner i kvintiler av {background.title}",
            ),
        }
    by_sex = data.values.filter(
        (pl.col("kpi") == indicator.code)
        & (pl.col("area") == area.code)
        & pl.col("sex").is_in(["K", "M"])
    ).sort("year")
    if by_sex.height:
        series = {
            label: [
                (str(y), v)
                for y, v in by_sex.filter(pl.col("sex") == s).select("year", "value").rows()
            ]
            for s, label in (("K", "Kvinnor"), ("M", "Män"))
        }
        latest = by_sex.filter(pl.col("year") == by_sex["year"].max())
        pair = dict(latest.select("sex", "value").rows())
        context |= {
            "sex_chart": line_chart_svg(
                series,
                title=f"{indicator.title}: {area.name}, kvinnor och män",
                unit=indicator.unit,
            ),
            "sex_rows": sorted({y for pts in series.values() for y, _ in pts}, reverse=True),
            "sex_series": {k: dict(v) for k, v in series.items()},
            "sex_year": by_sex["year"].max(),
            "sex_difference": (pair["K"] - pair["M"]) if {"K", "M"} <= pair.keys() else None,
            "sex_ratio": (pair["K"] / pair["M"]) if pair.get("M") and "K" in pair else None,
        }
    return TemplateResponse(request, "needs/equity.html", context)
