"""Priority setting: measures, ethical-platform assessments, horizontal ranking, allocation and
the decision record, and the public's open priorities."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halsogap.priorities import (
    consequences,
    weight_sensitivity,
)
from halsogap.priorities.allocation import PRIORITY_GATES
from halsogap.priorities.decision import render_decision_docx, render_decision_pdf
from halsogap.priorities.horizontal import CRITERIA, DEFAULT_WEIGHTS
from halsogap_web import evidence
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Organisation, Role
from halsogap_web.lib.query import number_from_query, pk_from_query, weights_from_query
from halsogap_web.needs.access import get_need_groups_for_user
from halsogap_web.observations.access import get_indicators_for_user
from halsogap_web.observations.models import Area

from .access import (
    get_assessment_for_user,
    get_decision_for_user,
    get_measures_for_user,
)
from .forms import AssessmentForm, DecisionForm, FinalRankForm, MeasureForm
from .models import PERSPECTIVE_CHOICES, Assessment, PriorityDecision
from .planning import horizontal, run_allocation

ANALYSTS = {Role.ANALYTIKER, Role.ADMINISTRATOR}
DECIDERS = {Role.FORTROENDEVALD, Role.ADMINISTRATOR}
#: The priority-gate rules by the Swedish word the allocation page's query uses.
GATE_SLUGS = {"strikt": "strict", "ryms": "affordable"}


@login_required
@require_http_methods(["GET", "POST"])
def priorities_index(request):
    membership = require_membership(request.user)
    region = membership.region
    form = AssessmentForm(
        request.POST or None,
        need_groups=get_need_groups_for_user(request.user),
        indicators=get_indicators_for_user(request.user, region=region).exclude(polarity="none"),
        measures=get_measures_for_user(request.user),
    )
    if request.method == "POST":
        require_membership(request.user, allowed=ANALYSTS)
        if form.is_valid():
            with set_actor(request.user):
                assessment = form.save(commit=False).assess(region=region, user=request.user)
            messages.success(
                request,
                _("Bedömningen är sparad med föreslagen rang %(r)s.")
                % {"r": assessment.suggested_rank},
            )
            return redirect("priorities_index")
    return TemplateResponse(
        request,
        "priorities/index.html",
        {
            "form": form,
            "assessments": Assessment.objects.filter(region=region).select_related(
                "need_group", "indicator", "measure"
            ),
            "decisions": PriorityDecision.objects.filter(region=region),
            "can_assess": membership.role in ANALYSTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    membership = require_membership(request.user)
    assessment = get_assessment_for_user(request.user, pk)
    form = FinalRankForm(request.POST or None, instance=assessment)
    if request.method == "POST":
        require_membership(request.user, allowed=DECIDERS | ANALYSTS)
        if form.is_valid():
            with set_actor(request.user):
                form.save()
            return redirect("assessment_detail", pk=assessment.pk)
    return TemplateResponse(
        request,
        "priorities/assessment.html",
        {
            "assessment": assessment,
            "form": form,
            "can_rank": membership.role in DECIDERS | ANALYSTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_index(request):
    membership = require_membership(request.user)
    based_on = None
    based_on_pk = pk_from_query(request.GET, "utgar_fran")
    if based_on_pk is not None:
        based_on = get_object_or_404(get_measures_for_user(request.user), pk=based_on_pk)
    initial = {}
    if based_on:
        initial = {f: getattr(based_on, f) for f in MeasureForm.Meta.fields}
        initial["code"] = f"{based_on.code}-R"
    form = MeasureForm(
        request.POST or None,
        initial=initial,
        indicators=get_indicators_for_user(request.user, region=membership.region),
    )
    if request.method == "POST":
        require_membership(request.user, allowed=ANALYSTS)
        if form.is_valid():
            measure = form.save(commit=False)
            measure.region, measure.based_on = membership.region, based_on
            with set_actor(request.user):
                measure.save()
            messages.success(request, _("Åtgärden %(c)s är sparad.") % {"c": measure.code})
            return redirect("measure_index")
    return TemplateResponse(
        request,
        "priorities/measures.html",
        {
            "form": form,
            "measures": get_measures_for_user(request.user).select_related("region"),
            "can_edit": membership.role in ANALYSTS,
            "based_on": based_on,
        },
    )


@login_required
@require_GET
def horizontal_view(request):
    membership = require_membership(request.user)
    problems: list[str] = []
    weights = weights_from_query(request.GET, DEFAULT_WEIGHTS, problems=problems, labels=CRITERIA)
    ranked = horizontal(request.user, membership.region, weights)
    sensitivity = None
    if ranked.height:
        sensitivity = weight_sensitivity(
            ranked.select("need", "gap_persons", "severity", "inequity", "cost_band", "evidence"),
            weights=weights,
        ).table.to_dicts()
    return TemplateResponse(
        request,
        "priorities/horizontal.html",
        {
            "rows": ranked.to_dicts() if ranked.height else [],
            "sensitivity": sensitivity,
            "weights": _weight_rows(weights),
            "query": request.GET.urlencode(),
            "problems": problems,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_view(request):
    membership = require_membership(request.user)
    region = membership.region
    problems: list[str] = []
    weights = weights_from_query(request.GET, DEFAULT_WEIGHTS, problems=problems, labels=CRITERIA)
    budget = number_from_query(
        request.GET, "budget", 10_000_000.0, problems=problems, label="Budgeten", low=0
    )
    solidarity = number_from_query(
        request.GET,
        "solidaritet",
        0.5,
        problems=problems,
        label="Behovs-solidariteten",
        low=0,
        high=5,
    )
    min_share = {}
    for perspective, label in PERSPECTIVE_CHOICES:
        share = (
            number_from_query(
                request.GET,
                f"min_{perspective}",
                0.0,
                problems=problems,
                label=f"Minsta andel för {label.lower()}",
                low=0,
                high=100,
            )
            / 100
        )
        if share > 0:
            min_share[perspective] = share
    priority_gate = GATE_SLUGS.get(request.GET.get("regel", "strikt"))
    if priority_gate is None:
        problems.append(
            _("Regeln för rang 1–3 ska vara ”strikt” eller ”ryms”; den strikta regeln används.")
        )
        priority_gate = "strict"
    options, result, marginal, ranked = run_allocation(
        request.user,
        region,
        budget=budget,
        solidarity=solidarity,
        weights=weights,
        min_share=min_share,
        priority_gate=priority_gate,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        require_membership(request.user, allowed=DECIDERS)
        if result is None or result.status != "optimal":
            messages.error(request, _("Det finns ingen lösbar fördelning att besluta om."))
        elif form.is_valid():
            decision = form.save(commit=False)
            with set_actor(request.user):
                decision.record(
                    region=region,
                    user=request.user,
                    budget=budget,
                    weights=weights,
                    ranked=ranked.to_dicts() if ranked.height else [],
                    funded=result.funded.to_dicts(),
                )
            messages.success(
                request, _("Beslutet är registrerat som version %(v)s.") % {"v": decision.version}
            )
            return redirect("decision_detail", pk=decision.pk)
    return TemplateResponse(
        request,
        "priorities/allocation.html",
        {
            "budget": budget,
            "solidarity": solidarity,
            "min_share": min_share,
            "gates": [
                (slug, PRIORITY_GATES[rule], rule == priority_gate)
                for slug, rule in GATE_SLUGS.items()
            ],
            "perspectives": PERSPECTIVE_CHOICES,
            "result": result,
            "marginal": marginal,
            "options": result.options.to_dicts() if result else [],
            "consequences": consequences(result).to_dicts() if result else [],
            "form": form,
            "can_decide": membership.role in DECIDERS,
            "weights": _weight_rows(weights),
            "ranked": ranked.to_dicts() if ranked.height else [],
            "problems": problems,
        },
    )


def _weight_rows(weights: dict) -> list[tuple]:
    """(name, Swedish label, value, share in per cent) for the weights form."""
    total = sum(weights.values()) or 1.0
    return [(n, CRITERIA[n], v, v / total * 100) for n, v in weights.items()]


@login_required
@require_GET
def decision_detail(request, pk: int):
    decision = get_decision_for_user(request.user, pk)
    return TemplateResponse(
        request,
        "priorities/decision.html",
        {"decision": decision, "content": decision.content(), "public": False},
    )


DECISION_DOCUMENTS = {
    "pdf": ("application/pdf", render_decision_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_decision_docx,
    ),
}


@login_required
@require_GET
def decision_document(request, pk: str, fmt: str):
    """The decision as PDF or Word, with the same content as its page."""
    decision = get_decision_for_user(request.user, int(pk))
    content_type, render = DECISION_DOCUMENTS[fmt]
    response = HttpResponse(render(decision.content()), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="prioriteringsbeslut-{decision.version}.{fmt}"'
    )
    return response


@require_GET
def open_priorities(request, code: str):
    """The public's view: a region's published decisions with their rationale, no login."""
    area = get_object_or_404(Area, code=code, level=Area.Level.REGION)
    region = Organisation.objects.filter(kind="region", area=area).first()
    decisions = PriorityDecision.objects.filter(region=region, published=True) if region else []
    return TemplateResponse(
        request,
        "priorities/open.html",
        {
            "area": area,
            "decisions": decisions,
            "results": public_results(region) if region else [],
        },
    )


def public_results(region) -> list[tuple]:
    """Decided assignments with their effect indicators against the targets, as the public may
    read them: only national and published indicators, suppressed like every other value."""
    from django.contrib.auth.models import AnonymousUser

    from halsogap_web.assignments.follow_up import plan_results
    from halsogap_web.assignments.models import Assignment, PlanIndicator

    public = AnonymousUser()
    visible = set(evidence.visible_codes(public, region=region))
    assignments = list(
        Assignment.objects.filter(region=region, decided_on__isnull=False).order_by("title")
    )
    plans = [
        p
        for p in PlanIndicator.objects.filter(
            assignment__in=assignments, role=PlanIndicator.Role.EFFECT
        ).select_related("indicator", "assignment")
        if p.indicator.code in visible
    ]
    results = plan_results(plans, region, user=public)
    return [
        (a, [results[p.pk] for p in plans if p.assignment_id == a.pk])
        for a in assignments
        if any(p.assignment_id == a.pk for p in plans)
    ]


@require_GET
def open_decision(request, code: str, version: int):
    area = get_object_or_404(Area, code=code, level=Area.Level.REGION)
    decision = get_object_or_404(
        PriorityDecision, region__area=area, version=version, published=True
    )
    return TemplateResponse(
        request,
        "priorities/decision.html",
        {"decision": decision, "content": decision.content(), "public": True},
    )
