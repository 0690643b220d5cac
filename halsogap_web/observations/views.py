"""Start page, region overview and indicator pages."""

from __future__ import annotations

import csv

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from halsogap.indicator_view import IndicatorFacts, compose_indicator_view, latest_lines
from halsogap.maps import load_features
from halsogap.reports.cells import csv_text
from halsogap_web import evidence
from halsogap_web.accounts.access import get_region_for_user
from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.models import ActivityReport
from halsogap_web.audit.stamps import steering_stamp
from halsogap_web.cycles.summary import wheel_summary_for_user
from halsogap_web.needs.access import get_analyses_for_user
from halsogap_web.needs.trace import need_lines

from .access import get_indicator_for_user, get_indicators_for_user
from .models import Area, Indicator

RIKET = evidence.RIKET


def _geojson(name: str) -> tuple[dict, ...]:
    return load_features(settings.HALSOGAP_DATA_DIR / "geo" / name)


@require_GET
def start(request):
    region = get_region_for_user(request.user)
    if region is not None and region.is_network:
        # The secretariat holds no region of its own: its start is the network's overview.
        return redirect("network_overview")
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
    indicators = list(indicators)

    def lines():
        frame = evidence.observations(
            request.user, indicators, region=organisation, areas={area.code, RIKET}, totals=True
        )
        return latest_lines(frame, indicators, area=area.code)

    # Every reader who sees the same indicators sees the same lines, and the same rendered
    # table, until the data or an indicator's description changes (an audited edit).
    visible = tuple(i.code for i in indicators)
    edited = steering_stamp(besides=[ActivityReport])
    rows = evidence.per_version(("region_lines", area.code, visible, edited), lines)
    # Health first: what people report, then registers, then the background that explains them.
    order = ["survey", "register", "activity", "resource", "background"]
    groups = [
        (kind, [r for r in rows if r.indicator.kind == kind])
        for kind in order
        if any(r.indicator.kind == kind for r in rows)
    ]
    # The wheel and the needs are the region's internal planning: only its own members see them.
    own = organisation is not None and organisation == get_region_for_user(request.user)
    analysis = get_analyses_for_user(request.user).first() if own else None
    return TemplateResponse(
        request,
        "observations/region.html",
        {
            "area": area,
            "organisation": organisation,
            "rows": rows,
            "groups": groups,
            "lines_tag": evidence.version_tag(area.code, visible, edited),
            "kind_labels": dict(Indicator.Kind.choices),
            "wheel": wheel_summary_for_user(request.user) if own else None,
            "analysis": analysis,
            "need_lines": need_lines(analysis, request.user) if analysis else [],
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
    facts = IndicatorFacts(
        indicator.code,
        indicator.title,
        indicator.unit,
        indicator.polarity,
        precision=indicator.precision,
    )

    def compose():
        # The map shows the region's kommuner, or all regions when riket is chosen.
        if region_area.code == RIKET:
            features = _geojson("regioner.geojson")
        else:
            features = [
                f
                for f in _geojson("kommuner.geojson")
                if f["properties"]["code"][:2] == region_area.code
            ]
        return compose_indicator_view(
            evidence.observations(request.user, [indicator], region=indicator.organisation),
            facts,
            area=(area.code, area.name, area.level),
            region=(region_area.code, region_area.name),
            features=features,
        )

    # Whoever may read the indicator reads the same view of it until the data changes.
    view = evidence.per_version(("indicator_view", facts, area.code), compose)
    context = {
        "indicator": indicator,
        "area": area,
        "region_area": region_area,
        "view": view,
        "areas": Area.objects.filter(level__in=[Area.Level.RIKET, Area.Level.REGION]),
        "kommuner": Area.objects.filter(parent__code=region_area.code, level=Area.Level.KOMMUN)
        if region_area.code != RIKET
        else [],
    }
    return TemplateResponse(request, "observations/indicator.html", context)


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
    columns = evidence.EXPORT_COLUMNS
    writer.writerow([*columns, "source"])
    source = f"Källa: {indicator.source_line}"
    for row in frame.select(columns).iter_rows():
        writer.writerow([*("" if v is None else csv_text(v) for v in row), source])
    return response


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("favicon.svg"), permanent=True)
