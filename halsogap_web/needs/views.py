"""Needs analysis pages: the ranking of a region's needs and the analysis document.

One view per action: the analysis page only reads; adding a need, choosing need groups and
commenting each post to their own view, which on a bad form shows the page again with the
errors.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.assignments.status import RULE_SV
from halsogap.needs import CRITERIA, DEFAULT_WEIGHTS, needs_analysis, target_warning
from halsogap.reports.needs_analysis import render_html, render_pdf
from halsogap.reports.needs_analysis_office import render_docx, render_xlsx
from halsogap.trace import render_trace_pdf
from halsogap_web import evidence
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.lib.query import weights_from_query
from halsogap_web.lib.redirects import safe_next
from halsogap_web.observations.access import get_indicators_for_user

from .access import get_analyses_for_user, get_analysis_for_user, get_need_groups_for_user
from .content import analysis_content, default_severities
from .forms import (
    CommentForm,
    ItemForm,
    NeedCommentForm,
    NeedGroupForm,
    NeedsAnalysisForm,
    TargetForm,
)
from .groups import empty_group_message, group_areas, group_saved_message
from .models import AnalysisIndicator, NeedsAnalysis
from .trace import default_group, groups_of, trace_content

ANALYSTS = {Role.ANALYTIKER, Role.ADMINISTRATOR}
TARGET_SETTERS = {Role.ANALYTIKER, Role.ADMINISTRATOR, Role.FORTROENDEVALD}
#: The targets are the elected officials': their target is decided, an analyst's a proposal.
APPROVERS = {Role.FORTROENDEVALD}
COMMENTERS = {Role.ANALYTIKER, Role.ADMINISTRATOR, Role.FORTROENDEVALD}
CRITERION_LABELS = {
    "gap_persons": _("gap i personer"),
    "relative_gap": _("relativt gap"),
    "severity": _("svårighetsgrad"),
    "inequity": _("ojämlikhet"),
    "trend": _("trend"),
}


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
            "analyses": get_analyses_for_user(request.user),
            "groups": get_need_groups_for_user(request.user),
        },
    )


@login_required
@require_GET
def needs_ranking(request):
    membership = require_membership(request.user)
    region = membership.region
    problems: list[str] = []
    weights = weights_from_query(
        request.GET, DEFAULT_WEIGHTS, problems=problems, labels=CRITERION_LABELS
    )
    ranking, _kommun_gaps = needs_analysis(
        evidence.needs_data(request.user, region=region),
        regions=[region.area.code],
        weights=weights,
        severity=default_severities(request.user, region),
    )
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
            "problems": problems,
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
        # A group without areas would only show its emptiness later, in every gap: say it now.
        areas = group_areas(group, request.user)
        if areas:
            with set_actor(request.user):
                group.save()
            messages.success(request, group_saved_message(group, areas))
            return redirect(safe_next(request, request.GET.get("tillbaka"), "analysis_index"))
        form.add_error("area_rule", empty_group_message(group))
    return TemplateResponse(request, "needs/group_form.html", {"form": form})


def _item_form(request, analysis: NeedsAnalysis, data=None) -> ItemForm:
    indicators = (
        # A need is a health state with a direction; background describes the need groups.
        get_indicators_for_user(request.user, region=analysis.region)
        .filter(is_health_state=True)
        .exclude(polarity="none")
        .order_by("title")
    )
    return ItemForm(data, indicators=indicators, prefix="item")


def _analysis_page(request, analysis: NeedsAnalysis, *, item_form=None, comment_form=None):
    role = require_membership(request.user).role
    return TemplateResponse(
        request,
        "needs/analysis.html",
        {
            "analysis": analysis,
            "content": analysis_content(analysis, user=request.user),
            "item_form": item_form or _item_form(request, analysis),
            "comment_form": comment_form or CommentForm(),
            "all_groups": get_need_groups_for_user(request.user),
            "chosen_groups": set(analysis.need_groups.values_list("pk", flat=True)),
            "can_edit": role in ANALYSTS,
            "can_set_targets": role in TARGET_SETTERS,
            "can_comment": role in COMMENTERS,
            "can_approve": role in APPROVERS,
            "item_pk_by_code": dict(analysis.items.values_list("indicator__code", "pk")),
        },
        status=400 if (item_form or comment_form) else 200,
    )


@login_required
@require_GET
def analysis_detail(request, pk: int):
    return _analysis_page(request, get_analysis_for_user(request.user, pk))


@login_required
@require_POST
def analysis_add_need(request, pk: int):
    """Add an indicator with its target to the analysis (analysts propose, politicians set)."""
    membership = require_membership(request.user, allowed=TARGET_SETTERS)
    analysis = get_analysis_for_user(request.user, pk)
    form = _item_form(request, analysis, request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        existing = AnalysisIndicator.objects.filter(
            analysis=analysis, indicator=item.indicator
        ).first()
        if existing is not None:
            messages.info(
                request,
                _("%(i)s finns redan i analysen: ändra dess mål här.") % {"i": item.indicator},
            )
            return redirect("analysis_edit_target", pk=analysis.pk, item_pk=existing.pk)
        item.analysis = analysis
        with set_actor(request.user):
            item.set_target(user=request.user, approves=membership.role in APPROVERS)
        warning = _target_warning(request.user, item, analysis)
        if warning:
            messages.warning(request, warning)
        return redirect("analysis_detail", pk=analysis.pk)
    return _analysis_page(request, analysis, item_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def analysis_edit_target(request, pk: int, item_pk: int):
    """Set or change a need's target: a politician's change is decided, an analyst's proposed."""
    membership = require_membership(request.user, allowed=TARGET_SETTERS)
    analysis = get_analysis_for_user(request.user, pk)
    item = get_object_or_404(
        AnalysisIndicator.objects.select_related("indicator"), pk=item_pk, analysis=analysis
    )
    form = TargetForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user):
            form.save(commit=False).set_target(
                user=request.user, approves=membership.role in APPROVERS
            )
        warning = _target_warning(request.user, item, analysis)
        if warning:
            messages.warning(request, warning)
        messages.success(request, _("Målet för %(i)s är sparat.") % {"i": item.indicator.title})
        return redirect(f"{reverse('analysis_detail', args=[analysis.pk])}#behov-{item.pk}")
    return TemplateResponse(
        request,
        "needs/target_form.html",
        {"analysis": analysis, "item": item, "form": form, "history": item.history()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def analysis_approve_target(request, pk: int, item_pk: int):
    """An elected official approves an analyst's proposed target as it stands."""
    require_membership(request.user, allowed=APPROVERS)
    analysis = get_analysis_for_user(request.user, pk)
    item = get_object_or_404(AnalysisIndicator, pk=item_pk, analysis=analysis)
    with set_actor(request.user):
        item.approve(request.user)
    messages.success(request, _("Målet för %(i)s är fastställt.") % {"i": item.indicator.title})
    return redirect(f"{reverse('analysis_detail', args=[analysis.pk])}#behov-{item.pk}")


@login_required
@require_POST
def analysis_set_groups(request, pk: int):
    require_membership(request.user, allowed=ANALYSTS)
    analysis = get_analysis_for_user(request.user, pk)
    chosen = get_need_groups_for_user(request.user).filter(
        pk__in=[v for v in request.POST.getlist("group") if v.isdigit()]
    )
    with set_actor(request.user):
        analysis.need_groups.set(chosen)
    return redirect("analysis_detail", pk=analysis.pk)


@login_required
@require_POST
def analysis_comment(request, pk: int):
    require_membership(request.user, allowed=COMMENTERS)
    analysis = get_analysis_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.analysis, comment.author = analysis, request.user
        with set_actor(request.user):
            comment.save()
        messages.success(request, _("Kommentaren är sparad."))
        return redirect("analysis_detail", pk=analysis.pk)
    return _analysis_page(request, analysis, comment_form=form)


def _target_warning(user, item: AnalysisIndicator, analysis: NeedsAnalysis) -> str | None:
    """Warn when a target contradicts the indicator's polarity or is worse than today."""
    latest = evidence.latest_value(
        user, item.indicator, analysis.region.area.code, region=analysis.region
    )
    return target_warning(
        item.target(),
        polarity=item.indicator.polarity,
        current=latest[1] if latest else None,
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
    content = analysis_content(analysis, user=request.user)
    if fmt == "html":
        return HttpResponse(render_html(content))
    content_type, render = EXPORTS[fmt]
    response = HttpResponse(render(content), content_type=content_type)
    name = slugify(analysis.title) or "behovsanalys"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _traced(request, pk: int, item_pk: int):
    analysis = get_analysis_for_user(request.user, pk)
    need = get_object_or_404(
        AnalysisIndicator.objects.select_related("indicator", "analysis__region__area"),
        pk=item_pk,
        analysis=analysis,
    )
    groups = groups_of(need)
    chosen = request.GET.get("grupp", "")
    # Without a choice the trace opens on the group an assignment answers, else the first.
    chosen_group = next((g for g in groups if str(g.pk) == chosen), None)
    group = chosen_group or default_group(need, groups, request.user)
    return analysis, need, groups, group


@login_required
@require_GET
def need_trace(request, pk: int, item_pk: int):
    """One need from gap to results on one page: what a politician reads without clicking."""
    analysis, need, groups, group = _traced(request, pk, item_pk)
    content = trace_content(need, group, request.user)
    return TemplateResponse(
        request,
        "needs/trace.html",
        {
            "analysis": analysis,
            "need": need,
            "groups": groups,
            "group": group,
            "content": content,
            "rule": RULE_SV,
            "comment_form": NeedCommentForm(),
            "can_comment": require_membership(request.user).role in COMMENTERS,
        },
    )


@login_required
@require_GET
def need_trace_pdf(request, pk: int, item_pk: int):
    analysis, need, _groups, group = _traced(request, pk, item_pk)
    response = HttpResponse(
        render_trace_pdf(trace_content(need, group, request.user)), content_type="application/pdf"
    )
    name = slugify(f"sparet-{need.indicator.title}") or "sparet"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
@require_POST
def need_comment(request, pk: int, item_pk: int):
    """A comment in the need's dialogue, at the step it concerns."""
    require_membership(request.user, allowed=COMMENTERS)
    analysis, need, _groups, group = _traced(request, pk, item_pk)
    form = NeedCommentForm(request.POST)
    if form.is_valid():
        comment = form.save(commit=False)
        comment.need, comment.author = need, request.user
        with set_actor(request.user):
            comment.save()
        messages.success(request, _("Inlägget är sparat."))
    else:
        messages.error(request, _("Skriv ett inlägg och välj vilket steg det gäller."))
    query = f"?grupp={group.pk}" if group else ""
    return redirect(reverse("need_trace", args=[pk, item_pk]) + query + "#dialog")
