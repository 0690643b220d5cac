"""Action plans from the self-evaluation, and good examples shared across the network."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.reports.action_plan import render_docx, render_pdf
from halsogap_web.accounts.access import require_membership
from halsogap_web.lib.query import pk_from_query
from halsogap_web.selfevaluation.access import EVALUATORS, get_evaluation_for_user

from .access import (
    NETWORK_MEMBERS,
    can_edit_action_plan,
    can_share_action_plan,
    get_action_plan_for_user,
    get_action_plans_for_user,
    get_plan_activity_for_user,
)
from .forms import ActivityForm, CopyExampleForm, FocusAreaForm, GoodExampleForm
from .models import ActionPlan, FocusArea, GoodExample, PlanActivity


@login_required
@require_POST
def plan_draft(request, evaluation_pk: int):
    require_membership(request.user, allowed=EVALUATORS)
    evaluation = get_evaluation_for_user(request.user, evaluation_pk)
    with set_actor(request.user):
        plan = ActionPlan.draft_from(
            evaluation, year=timezone.localdate().year + 1, user=request.user
        )
    messages.success(
        request, _("Ett utkast till handlingsplan är skapat från utvecklingsområdena.")
    )
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_index(request):
    plans = get_action_plans_for_user(request.user).select_related("region", "theme_group")
    return TemplateResponse(
        request,
        "network/plans.html",
        {
            "plans": [p for p in plans if not p.is_network_plan],
            "network_plans": [p for p in plans if p.is_network_plan],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk: int):
    membership = require_membership(request.user, allowed=NETWORK_MEMBERS)
    plan = get_action_plan_for_user(request.user, pk)
    editable = can_edit_action_plan(membership, plan)
    area_form = FocusAreaForm(request.POST if "add_area" in request.POST else None, prefix="area")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        with set_actor(request.user):
            if "add_area" in request.POST and area_form.is_valid():
                area = area_form.save(commit=False)
                area.plan, area.position = plan, plan.focus_areas.count()
                area.save()
                return redirect("plan_detail", pk=plan.pk)
            if "add_activity" in request.POST:
                area = get_object_or_404(FocusArea, pk=request.POST.get("focus_area"), plan=plan)
                form = ActivityForm(request.POST, prefix=f"new-{area.pk}")
                if form.is_valid():
                    activity = form.save(commit=False)
                    activity.focus_area, activity.position = area, area.activities.count()
                    activity.save()
                    return redirect("plan_detail", pk=plan.pk)
                messages.error(request, _("Aktiviteten saknar beskrivning."))
    content = plan.content()
    areas = [
        {
            "area": area,
            "activities": [
                (a, ActivityForm(instance=a, prefix=f"a{a.pk}")) for a in area.activities.all()
            ],
            "new_form": ActivityForm(prefix=f"new-{area.pk}"),
        }
        for area in plan.focus_areas.prefetch_related("activities")
    ]
    return TemplateResponse(
        request,
        "network/plan.html",
        {
            "plan": plan,
            "areas": areas,
            "area_form": area_form,
            "editable": editable,
            "can_share": can_share_action_plan(membership, plan),
            "progress": content.progress,
        },
    )


@login_required
@require_POST
def activity_update(request, pk: int):
    activity = get_plan_activity_for_user(request.user, pk)
    form = ActivityForm(request.POST, instance=activity, prefix=f"a{activity.pk}")
    if form.is_valid():
        with set_actor(request.user):
            form.save()
        messages.success(request, _("Aktiviteten är sparad."))
    else:
        messages.error(request, _("Aktiviteten kunde inte sparas: beskrivningen saknas."))
    return redirect("plan_detail", pk=activity.focus_area.plan_id)


@login_required
@require_POST
def plan_share(request, pk: int):
    """A region shares its action plan with the network's secretariat, or stops sharing it."""
    membership = require_membership(request.user, allowed=EVALUATORS)
    plan = get_action_plan_for_user(request.user, pk)
    if not can_share_action_plan(membership, plan):
        raise PermissionDenied
    plan.shared = request.POST.get("shared") == "1"
    with set_actor(request.user):
        plan.save(update_fields=["shared"])
    messages.success(
        request,
        _("Planen delas med nätverkets sekretariat.")
        if plan.shared
        else _("Planen delas inte längre med sekretariatet."),
    )
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_export(request, pk: str, fmt: str):
    require_membership(request.user, allowed=NETWORK_MEMBERS)
    plan = get_action_plan_for_user(request.user, int(pk))
    content = plan.content()
    name = slugify(plan.title) or "handlingsplan"
    if fmt == "pdf":
        response = HttpResponse(render_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(
            render_docx(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def example_index(request):
    membership = require_membership(request.user, allowed=NETWORK_MEMBERS)
    copy_form = CopyExampleForm(region=membership.region)
    return TemplateResponse(
        request,
        "network/examples.html",
        {
            "examples": GoodExample.objects.select_related("region"),
            "copy_form": copy_form,
            "can_copy": membership.role in EVALUATORS,
            "focus_areas": list(copy_form.fields["focus_area"].queryset),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def example_share(request):
    membership = require_membership(request.user, allowed=EVALUATORS)
    activity = None
    initial = {}
    activity_pk = pk_from_query(request.GET, "aktivitet")
    if activity_pk is not None:
        activity = get_plan_activity_for_user(request.user, activity_pk)
        initial = {
            "kind": GoodExample.Kind.ACTIVITY,
            "title": activity.description[:200],
            "description": activity.description,
            "perspective": activity.focus_area.perspective,
        }
    form = GoodExampleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        example = form.save(commit=False)
        example.region, example.shared_by, example.source_activity = (
            membership.region,
            request.user,
            activity,
        )
        with set_actor(request.user):
            example.save()
        messages.success(request, _("Det goda exemplet delas nu med nätverket."))
        return redirect("example_index")
    return TemplateResponse(request, "network/example_share.html", {"form": form})


@login_required
@require_POST
def example_copy(request, pk: int):
    membership = require_membership(request.user, allowed=EVALUATORS)
    example = get_object_or_404(GoodExample, pk=pk)
    form = CopyExampleForm(request.POST, region=membership.region)
    if not form.is_valid():
        messages.error(request, _("Välj ett fokusområde i en av regionens handlingsplaner."))
        return redirect("example_index")
    area = form.cleaned_data["focus_area"]
    with set_actor(request.user):
        PlanActivity.objects.create(
            focus_area=area,
            position=area.activities.count(),
            description=f"{example.title} (gott exempel från {example.region}): {example.description}",
        )
    messages.success(request, _("Exemplet är kopierat till handlingsplanen."))
    return redirect("plan_detail", pk=area.plan_id)
