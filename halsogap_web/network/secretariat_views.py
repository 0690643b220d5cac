"""The network level: the secretariat's overview of the member regions, the network's own
verksamhetsplan, its theme groups and the follow-up questions to the self-evaluation."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.selfevaluation import profile_svg
from halsogap_web.accounts.access import require_membership
from halsogap_web.lib.query import year_from_query
from halsogap_web.selfevaluation.access import EVALUATORS, get_shared_evaluation_for_user
from halsogap_web.selfevaluation.models import FollowUpQuestion

from .access import (
    NETWORK_WORKERS,
    SECRETARIAT,
    get_action_plans_for_user,
    get_network_for_user,
    get_theme_group_for_user,
    get_theme_groups_for_user,
)
from .models import ActionPlan
from .overview import member_region_rows, member_regions
from .secretariat_forms import (
    FollowUpQuestionForm,
    NetworkPlanForm,
    ThemeGroupForm,
    ThemeMemberForm,
)
from .theme_models import ThemeGroupMember


def _network_or_404(user):
    network = get_network_for_user(user)
    if network is None:
        raise Http404(_("Inget nätverk är upplagt i Hälsogap."))
    return network


@login_required
@require_GET
def network_overview(request):
    membership = require_membership(request.user, allowed=NETWORK_WORKERS)
    network = _network_or_404(request.user)
    year = year_from_query(request.GET, timezone.localdate().year)
    questions = list(FollowUpQuestion.objects.filter(network=network, year=year))
    is_secretariat = membership.role in SECRETARIAT
    regions = member_regions()
    plans = get_action_plans_for_user(request.user).filter(region=network)
    return TemplateResponse(
        request,
        "network/overview.html",
        {
            "network": network,
            "year": year,
            "is_secretariat": is_secretariat,
            "members": member_region_rows(questions) if is_secretariat else [],
            "network_plans": plans.filter(theme_group__isnull=True),
            "theme_groups": get_theme_groups_for_user(request.user).prefetch_related("plans"),
            "summaries": [(q, q.summary(regions)) for q in questions] if is_secretariat else [],
            "questions": questions,
            "can_answer": membership.role in EVALUATORS,
            "plan_form": NetworkPlanForm(),
        },
    )


@login_required
@require_GET
def member_profile(request, pk: int):
    """A member region's shared profile, drawn as the region sees it, without any comment."""
    evaluation, current = get_shared_evaluation_for_user(request.user, pk)
    return TemplateResponse(
        request,
        "network/member_profile.html",
        {
            "evaluation": evaluation,
            "profile": current,
            "standard_svg": profile_svg(current.by_standard, title=_("Profil per standard")),
            "perspective_svg": profile_svg(
                current.by_perspective, title=_("Profil per perspektiv")
            ),
        },
    )


@login_required
@require_POST
def network_plan_create(request):
    require_membership(request.user, allowed=SECRETARIAT)
    network = _network_or_404(request.user)
    form = NetworkPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("network_overview")
    with set_actor(request.user):
        plan = ActionPlan.start_network_plan(
            network, year=form.cleaned_data["year"], user=request.user
        )
    messages.success(request, _("Verksamhetsplanen är skapad med nätverkets fyra fokusområden."))
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def theme_group_create(request):
    require_membership(request.user, allowed=SECRETARIAT)
    network = _network_or_404(request.user)
    form = ThemeGroupForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user):
            group = form.save()
        messages.success(request, _("Temagruppen är skapad. Lägg till medlemmar."))
        return redirect("theme_group_detail", pk=group.pk)
    return TemplateResponse(request, "network/theme_group_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def theme_group_detail(request, pk: int):
    membership = require_membership(request.user, allowed=NETWORK_WORKERS)
    group = get_theme_group_for_user(request.user, pk)
    is_secretariat = membership.role in SECRETARIAT
    form = ThemeMemberForm(request.POST or None, group=group)
    if request.method == "POST":
        require_membership(request.user, allowed=SECRETARIAT)
        if form.is_valid():
            with set_actor(request.user):
                ThemeGroupMember.objects.create(
                    group=group,
                    membership=form.cleaned_data["membership"],
                    leads=form.cleaned_data["leads"],
                )
            messages.success(request, _("Medlemmen är tillagd i temagruppen."))
            return redirect("theme_group_detail", pk=group.pk)
    return TemplateResponse(
        request,
        "network/theme_group.html",
        {
            "group": group,
            "members": group.members.select_related("membership__user", "membership__organisation"),
            "plans": group.plans.all(),
            "form": form if is_secretariat else None,
            "is_secretariat": is_secretariat,
            "plan_form": NetworkPlanForm(),
        },
    )


@login_required
@require_POST
def theme_member_remove(request, pk: int, member_pk: int):
    require_membership(request.user, allowed=SECRETARIAT)
    group = get_theme_group_for_user(request.user, pk)
    member = get_object_or_404(group.members, pk=member_pk)
    with set_actor(request.user):
        member.delete()
    messages.success(request, _("Medlemmen är borttagen ur temagruppen."))
    return redirect("theme_group_detail", pk=group.pk)


@login_required
@require_POST
def theme_plan_create(request, pk: int):
    require_membership(request.user, allowed=NETWORK_WORKERS)
    group = get_theme_group_for_user(request.user, pk)
    form = NetworkPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("theme_group_detail", pk=group.pk)
    with set_actor(request.user):
        plan = ActionPlan.start_network_plan(
            group.network, year=form.cleaned_data["year"], user=request.user, theme_group=group
        )
    messages.success(request, _("Temagruppens handlingsplan är skapad."))
    return redirect("plan_detail", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_index(request):
    """The secretariat's follow-up questions of a year, with what the regions answered."""
    require_membership(request.user, allowed=SECRETARIAT)
    network = _network_or_404(request.user)
    year = year_from_query(request.GET, timezone.localdate().year)
    form = FollowUpQuestionForm(request.POST or None, initial={"year": year})
    asked = FollowUpQuestion.objects.filter(network=network)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.network, question.created_by = network, request.user
        question.position = asked.filter(year=question.year).count()
        with set_actor(request.user):
            question.save()
        messages.success(
            request,
            _("Följefrågan är tillagd i självevalueringen för %(year)s.") % {"year": question.year},
        )
        return redirect(f"{request.path}?ar={question.year}")
    regions = member_regions()
    questions = asked.filter(year=year).prefetch_related("answers__region")
    return TemplateResponse(
        request,
        "network/follow_up.html",
        {
            "year": year,
            "form": form,
            "summaries": [(q, q.summary(regions)) for q in questions],
            "years": sorted(set(asked.values_list("year", flat=True)) | {year}),
        },
    )
