"""The equity view of one indicator: kommuner by socioeconomic quintile, and women and men."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from halsogap.charts import bar_chart_svg, line_chart_svg
from halsogap.needs.equity import indicator_equity, sex_comparison
from halsogap_web import evidence
from halsogap_web.accounts.access import get_region_for_user
from halsogap_web.observations.access import get_indicator_for_user
from halsogap_web.observations.models import Area, Indicator

#: Socioeconomic background indicators offered for the quintiles (national Kolada KPIs).
BACKGROUNDS = ["N01982", "N01984", "N66078", "N00221", "N01717"]


@require_GET
def indicator_equity_view(request, code: str):
    indicator = get_indicator_for_user(request.user, code)
    own = get_region_for_user(request.user)
    area_code = request.GET.get("omrade") or (own.area.code if own and own.area else "00")
    area = get_object_or_404(Area, code=area_code)
    if area.level not in {Area.Level.RIKET, Area.Level.REGION}:
        raise Http404("Jämlikhetsvyn visar riket eller en region.")
    backgrounds = list(Indicator.objects.filter(code__in=BACKGROUNDS).order_by("title"))
    background = next(
        (b for b in backgrounds if b.code == request.GET.get("bakgrund")), None
    ) or next(b for b in backgrounds if b.code == "N01982")
    data = evidence.needs_data(request.user, region=indicator.organisation or own)
    view = indicator_equity(
        data, indicator=indicator.code, area=area.code, background=background.code
    )
    sexes = sex_comparison(data, indicator=indicator.code, area=area.code)
    context = {
        "indicator": indicator,
        "area": area,
        "backgrounds": backgrounds,
        "background": background,
        "view": view,
        "no_population": view.year is not None and data.population.height == 0,
        "regions": Area.objects.filter(level=Area.Level.REGION),
        "sexes": sexes,
    }
    if view.table:
        context["bar_chart"] = bar_chart_svg(
            [(f"Kvintil {r['quintile']}", r["value"]) for r in view.table],
            unit=indicator.unit,
            title=f"{indicator.title}, {view.year}: kommuner i kvintiler av {background.title}",
        )
    if sexes is not None:
        context["sex_chart"] = line_chart_svg(
            {
                "Kvinnor": [(str(y), v) for y, v in sorted(sexes.women.items())],
                "Män": [(str(y), v) for y, v in sorted(sexes.men.items())],
            },
            title=f"{indicator.title}: {area.name}, kvinnor och män",
            unit=indicator.unit,
        )
    return TemplateResponse(request, "needs/equity.html", context)
