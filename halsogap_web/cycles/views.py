"""The annual wheel: start a year from the region's template, follow and update its steps."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from halsogap.arshjul import MONTHS, STATUS_LABELS, planning_year, wheel_svg, where_now
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .forms import ArtefactForm, StartCycleForm, StepForm, TemplateFormSet
from .models import Cycle, CycleStep, WheelTemplateStep

PLANNERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


def get_cycle_for_user(user, year: int) -> Cycle:
    """A cycle of the user's own region; other regions' wheels are not visible."""
    membership = require_membership(user)
    try:
        return Cycle.objects.get(region=membership.region, year=year)
    except Cycle.DoesNotExist:
        raise Http404(_("Årshjulet finns inte.")) from None


def get_cycle_step_for_user(user, pk: int) -> CycleStep:
    membership = require_membership(user)
    return get_object_or_404(CycleStep, pk=pk, cycle__region=membership.region)


def can_edit_step(membership, step: CycleStep) -> bool:
    return membership.role in PLANNERS or membership.role == step.owner_role


@login_required
@require_http_methods(["GET", "POST"])
def wheel_index(request):
    membership = require_membership(request.user)
    region = membership.region
    today = timezone.localdate()
    cycles = Cycle.objects.filter(region=region)
    months = [t.month for t in WheelTemplateStep.for_region(region)]
    suggested = planning_year(months, today, started=list(cycles.values_list("year", flat=True)))
    form = StartCycleForm(request.POST or None, region=region, initial={"year": suggested})
    if request.method == "POST":
        require_membership(request.user, allowed=PLANNERS)
        if form.is_valid():
            with set_actor(request.user):
                cycle = Cycle.start(region, form.cleaned_data["year"], user=request.user)
            messages.success(
                request, _("Årshjulet för %(year)s är startat.") % {"year": cycle.year}
            )
            return redirect("wheel_detail", year=cycle.year)
    # This year's wheel opens directly, except late in the year when the coming year's is due
    # to be started: then the list and the form for it are what the planner needs.
    current = cycles.filter(year=today.year).first()
    if current and request.method == "GET" and planning_year(months, today) == today.year:
        return redirect("wheel_detail", year=current.year)
    return TemplateResponse(
        request,
        "cycles/index.html",
        {"form": form, "cycles": cycles, "can_plan": membership.role in PLANNERS},
    )


@login_required
def wheel_detail(request, year: int):
    membership = require_membership(request.user)
    cycle = get_cycle_for_user(request.user, year)
    today = timezone.localdate()
    steps = list(cycle.steps.prefetch_related("artefacts"))
    states = [s.state for s in steps]
    now, upcoming = where_now(states, today)
    rows = [
        {
            "step": s,
            "status": s.state.status(today),
            "status_label": STATUS_LABELS[s.state.status(today)],
            "can_edit": can_edit_step(membership, s),
        }
        for s in steps
    ]
    return TemplateResponse(
        request,
        "cycles/detail.html",
        {
            "cycle": cycle,
            "rows": rows,
            "now": now,
            "upcoming": upcoming,
            "today": today,
            "svg": wheel_svg(states, year=cycle.year, today=today),
            "other_cycles": Cycle.objects.filter(region=cycle.region).exclude(pk=cycle.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk: int):
    membership = require_membership(request.user)
    step = get_cycle_step_for_user(request.user, pk)
    if not can_edit_step(membership, step):
        raise Http404(_("Du kan inte ändra det här steget."))
    step_form = StepForm(request.POST if "save_step" in request.POST else None, instance=step)
    artefact_form = ArtefactForm(
        request.POST if "add_artefact" in request.POST else None,
        initial={"kind": step.artefact_kind},
    )
    if request.method == "POST":
        with set_actor(request.user):
            if "save_step" in request.POST and step_form.is_valid():
                step_form.save()
                messages.success(request, _("Steget är sparat."))
                return redirect("wheel_detail", year=step.cycle.year)
            if "add_artefact" in request.POST and artefact_form.is_valid():
                artefact = artefact_form.save(commit=False)
                artefact.step, artefact.created_by = step, request.user
                artefact.save()
                messages.success(request, _("Länken är tillagd."))
                return redirect("wheel_step", pk=step.pk)
    return TemplateResponse(
        request,
        "cycles/step.html",
        {
            "step": step,
            "step_form": step_form,
            "artefact_form": artefact_form,
            "suggestions": artefact_suggestions(step.cycle.region, step.cycle.year),
        },
    )


def artefact_suggestions(region, year: int | None = None) -> list[tuple[str, str, str]]:
    """The region's existing artefacts to link in one click: (kind, title, url).

    New kinds appear here as the features that make them exist (priority decisions and
    assignments will join needs analyses and action plans).
    """
    from halsogap_web.needs.models import NeedsAnalysis
    from halsogap_web.network.models import ActionPlan

    suggestions = [
        ("needs_analysis", a.title, reverse("analysis_detail", args=[a.pk]))
        for a in NeedsAnalysis.objects.filter(region=region)
    ]
    suggestions += [
        ("operational_plan", p.title, reverse("plan_detail", args=[p.pk]))
        for p in ActionPlan.objects.filter(region=region)
    ]
    if year is not None:
        # Composed from the year's decisions, so it exists as soon as the wheel does.
        suggestions.append(
            (
                "operational_plan",
                f"Förslag till verksamhetsplan och budget {year}",
                reverse("plan_proposal", args=[year]),
            )
        )
    return suggestions


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request):
    membership = require_membership(request.user, allowed=PLANNERS)
    queryset = WheelTemplateStep.for_region(membership.region)
    formset = TemplateFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        with set_actor(request.user):
            formset.save()
        messages.success(request, _("Mallen är sparad. Den gäller årshjul som startas härefter."))
        return redirect("wheel_index")
    return TemplateResponse(request, "cycles/template.html", {"formset": formset, "months": MONTHS})
