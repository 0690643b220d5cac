"""The population's voice: the region's dialogues and surveys, one view per action.

Every member of the region reads them (they are evidence in the needs analysis); analysts and
administrators record and change them. The page shows the core's content object, the same one
as the analysis and its documents, so a small count is hidden the same way everywhere.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halsogap.needs.dialogues import compose_dialogue
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.lib.query import pk_from_query
from halsogap_web.lib.redirects import safe_next

from .access import get_analyses_for_user, get_dialogue_for_user, get_dialogues_for_user
from .dialogue_forms import DialogueForm

RECORDERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


def _content(dialogue):
    return compose_dialogue(dialogue.to_spec(), threshold=settings.HALSOGAP_DISCLOSURE_THRESHOLD)


@login_required
@require_GET
def dialogue_list(request):
    membership = require_membership(request.user)
    dialogues = get_dialogues_for_user(request.user).prefetch_related("need_groups")
    return TemplateResponse(
        request,
        "needs/dialogues.html",
        {
            "rows": [(d, _content(d)) for d in dialogues],
            "can_record": membership.role in RECORDERS,
        },
    )


@login_required
@require_GET
def dialogue_detail(request, pk: int):
    membership = require_membership(request.user)
    dialogue = get_dialogue_for_user(request.user, pk)
    # The analyses it is evidence in: those with one of its need groups or needs.
    linked = Q(need_groups__in=dialogue.need_groups.all()) | Q(items__in=dialogue.needs.all())
    analyses = get_analyses_for_user(request.user).filter(linked).distinct()
    return TemplateResponse(
        request,
        "needs/dialogue.html",
        {
            "dialogue": dialogue,
            "content": _content(dialogue),
            "analyses": analyses,
            "can_record": membership.role in RECORDERS,
        },
    )


def _initial_links(request) -> dict:
    """Coming from an analysis (``?analys=``), its need groups are ticked already."""
    pk = pk_from_query(request.GET, "analys")
    if pk is None:
        return {}
    analysis = get_analyses_for_user(request.user).filter(pk=pk).first()
    if analysis is None:
        return {}
    return {"need_groups": list(analysis.need_groups.values_list("pk", flat=True))}


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_create(request):
    membership = require_membership(request.user, allowed=RECORDERS)
    form = DialogueForm(request.POST or None, user=request.user, initial=_initial_links(request))
    if request.method == "POST" and form.is_valid():
        dialogue = form.save(commit=False)
        dialogue.region, dialogue.created_by = membership.region, request.user
        with set_actor(request.user):
            dialogue.save()
            form.save_m2m()
        messages.success(request, _("Dialogen är sparad och syns i de behovsanalyser den gäller."))
        return redirect(
            safe_next(request, request.GET.get("tillbaka"), dialogue.get_absolute_url())
        )
    return TemplateResponse(
        request,
        "needs/dialogue_form.html",
        {"form": form, "dialogue": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dialogue_edit(request, pk: int):
    require_membership(request.user, allowed=RECORDERS)
    dialogue = get_dialogue_for_user(request.user, pk)
    form = DialogueForm(request.POST or None, instance=dialogue, user=request.user)
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user):
            form.save()
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(dialogue.get_absolute_url())
    return TemplateResponse(
        request,
        "needs/dialogue_form.html",
        {"form": form, "dialogue": dialogue},
        status=400 if form.errors else 200,
    )
