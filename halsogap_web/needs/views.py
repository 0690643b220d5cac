"""Needs analysis pages: the ranking of a region's needs and the analysis document."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.needs import CRITERIA, DEFAULT_WEIGHTS, needs_analysis, target_warning
from halsogap.reports.needs_analysis import render_docx, render_html, render_pdf, render_xlsx
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.observations.models import Observation
from halsogap_web.observations.access import get_indicators_for_user
from halsogap_web.query import weights_from_query

from .analysis import analysis_content
from .data import needs_data_for_user
from .forms import CommentForm, ItemForm, NeedGroupForm, NeedsAnalysisForm
from .models import AnalysisIndicator, NeedGroup, NeedsAnalysis

ANALYSTS = {Role.ANALYTIKER, Role.ADMINISTRATOR}
TARGET_SETTERS = {Role.ANALYTIKER, Role.ADMINISTRATOR, Role.FORTROENDEVALD}
COMMENTERS = {Role.ANALYTIKER, Role.ADMINISTRATOR, Role.FORTROENDEVALD}
CRITERION_LABELS = {
    "gap_persons": _("gap i personer"),
    "relative_gap": _("relativt gap"),
    "severity": _("svårighetsgrad"),
    "inequity": _("ojämlikhet"),
    "trend": _("trend"),
}


def get_analysis_for_user(user, pk: int) -> NeedsAnalysis:
    """An analysis of the user's own region; another region's work is never readable."""
    membership = require_membership(user)
    return get_object_or_404(
        NeedsAnalysis.objects.select_related("region__area"), pk=pk, region=membership.region
    )


def get_need_group_for_user(user, pk: int) -> NeedGroup:
    membership = require_membership(user)
    return get_object_or_404(NeedGroup, pk=pk, region=membership.region)


def _region_ranking(user, region, *, weights=None, severity=None):
    # The analyst's severity per indicator, overridden by an analysis's own where it has one.
    severity = {
        **dict(
            get_indicators_for_user(user, region=region)
            .filter(severity__isnull=False)
            .values_list("code", "severity")
        ),
        **(severity or {}),
    }
    data = needs_data_for_user(user, region=region)
    ranking, _kommun_gaps = needs_analysis(
        data, regions=[region.area.code], weights=weights, severity=severity
    )
    return data, ranking


@login_required
@require_http_methods(["GET", "POST"])
def analysis_index(request):
    membership = require_membership(request.user)
    form = NeedsAnalysisForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST":
        require_membership(request.user, allowed=ANALYSTS)
        if form.is_valid():
            analysis = form.save(commit=False)
            analysis.region, analysis.created_by = membership.region, request.user
            with set_actor(request.user):
                analysis.save()
            return redirect("analysis_detail", pk=analysis.pk)
    return TemplateResponse(
        request,
        "needs/index.html",
        {
            "form": form,
            "can_create": membership.role in ANALYSTS,
            "analyses": NeedsAnalysis.objects.filter(region=membership.region),
            "groups": NeedGroup.objects.filter(region=membership.region),
        },
    )


@login_required
@require_GET
def needs_ranking(request):
    membership = require_membership(request.user)
    weights = weights_from_query(request.GET, DEFAULT_WEIGHTS)
    _, ranking = _region_ranking(request.user, membership.region, weights=weights)
    total = sum(weights.values())
    return TemplateResponse(
        request,
        "needs/ranking.html",
        {
            "rows": ranking.to_dicts(),
            "weights": [
                (name, CRITERION_LABELS.get(name, name), value, value / total * 100)
                for name, value in weights.items()
            ],
            "criteria": CRITERIA,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    membership = require_membership(request.user, allowed=ANALYSTS)
    form = NeedGroupForm(request.POST or None, region=membership.region)
    if request.method == "POST" and form.is_valid():
        group = form.save(commit=False)
        group.region, group.created_by = membership.region, request.user
        with set_actor(request.user):
            group.save()
        messages.success(request, _("Behovsgruppen %(name)s är sparad.") % {"name": group.name})
        return redirect(request.GET.get("tillbaka") or "analysis_index")
    return TemplateResponse(request, "needs/group_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def analysis_detail(request, pk: int):
    membership = require_membership(request.user)
    analysis = get_analysis_for_user(request.user, pk)
    indicators = (
        get_indicators_for_user(request.user, region=analysis.region)
        .exclude(polarity="none")
        .order_by("title")
    )
    item_form = ItemForm(
        request.POST if "add_item" in request.POST else None, indicators=indicators, prefix="item"
    )
    comment_form = CommentForm(request.POST if "comment" in request.POST else None)
    if request.method == "POST":
        with set_actor(request.user):
            if "add_item" in request.POST:
                require_membership(request.user, allowed=TARGET_SETTERS)
                if item_form.is_valid():
                    item = item_form.save(commit=False)
                    if AnalysisIndicator.objects.filter(
                        analysis=analysis, indicator=item.indicator
                    ).exists():
                        item_form.add_error("indicator", _("Indikatorn finns redan i analysen."))
                    else:
                        item.analysis = analysis
                        item.target_set_by, item.target_set_at = request.user, timezone.now()
                        item.save()
                        warning = _target_warning(item, analysis)
                        if warning:
                            messages.warning(request, warning)
                        return redirect("analysis_detail", pk=analysis.pk)
            elif "groups" in request.POST:
                require_membership(request.user, allowed=ANALYSTS)
                chosen = NeedGroup.objects.filter(
                    region=analysis.region, pk__in=request.POST.getlist("group")
                )
                analysis.need_groups.set(chosen)
                return redirect("analysis_detail", pk=analysis.pk)
            elif "comment" in request.POST:
                require_membership(request.user, allowed=COMMENTERS)
                if comment_form.is_valid():
                    comment = comment_form.save(commit=False)
                    comment.analysis, comment.author = analysis, request.user
                    comment.save()
                    messages.success(request, _("Kommentaren är sparad."))
                    return redirect("analysis_detail", pk=analysis.pk)
    data, ranking = _region_ranking(
        request.user,
        analysis.region,
        severity={i.indicator.code: i.severity for i in analysis.items.select_related("indicator")},
    )
    content = analysis_content(analysis, data, ranking)
    return TemplateResponse(
        request,
        "needs/analysis.html",
        {
            "analysis": analysis,
            "content": content,
            "item_form": item_form,
            "comment_form": comment_form,
            "all_groups": NeedGroup.objects.filter(region=analysis.region),
            "chosen_groups": set(analysis.need_groups.values_list("pk", flat=True)),
            "can_edit": membership.role in ANALYSTS,
            "can_set_targets": membership.role in TARGET_SETTERS,
            "can_comment": membership.role in COMMENTERS,
            "item_pk_by_code": dict(analysis.items.values_list("indicator__code", "pk")),
        },
    )


def _target_warning(item: AnalysisIndicator, analysis: NeedsAnalysis) -> str | None:
    """Warn when a target contradicts the indicator's polarity or is worse than today."""
    latest = (
        Observation.objects.filter(
            indicator=item.indicator,
            area=analysis.region.area,
            sex="T",
            age_band="",
            socioeconomic_group="",
            value__isnull=False,
        )
        .order_by("-period")
        .values_list("value", flat=True)
        .first()
    )
    return target_warning(
        item.target(),
        polarity=item.indicator.polarity,
        current=latest,
        unit=item.indicator.unit,
    )


@login_required
@require_POST
def item_delete(request, pk: int, item_pk: int):
    require_membership(request.user, allowed=ANALYSTS)
    analysis = get_analysis_for_user(request.user, pk)
    item = get_object_or_404(AnalysisIndicator, pk=item_pk, analysis=analysis)
    with set_actor(request.user):
        item.delete()
    return redirect("analysis_detail", pk=analysis.pk)


EXPORTS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_docx,
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
}


@login_required
@require_GET
def analysis_export(request, pk: str, fmt: str):
    analysis = get_analysis_for_user(request.user, int(pk))
    data, ranking = _region_ranking(request.user, analysis.region)
    content = analysis_content(analysis, data, ranking)
    if fmt == "html":
        return HttpResponse(render_html(content))
    content_type, render = EXPORTS[fmt]
    response = HttpResponse(render(content), content_type=content_type)
    name = slugify(analysis.title) or "behovsanalys"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
