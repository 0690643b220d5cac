"""Governing documents and the proposal for a verksamhetsplan, one view per action.

Every member of the region reads them; analysts and administrators record documents.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halsogap.assignments.plan_proposal import render_proposal_docx, render_proposal_pdf
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.assignments.access import get_assignments_for_user

from .access import get_governing_document_for_user, get_governing_documents_for_user
from .forms import GoverningDocumentForm
from .proposal import proposal_content

RECORDERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}
FORMATS = {
    "pdf": (render_proposal_pdf, "application/pdf"),
    "docx": (
        render_proposal_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
}


def _planning_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404(_("Året ska vara mellan 2000 och 2100."))
    return year


@login_required
@require_GET
def document_list(request):
    membership = require_membership(request.user)
    readable = get_assignments_for_user(request.user).values("pk")
    documents = get_governing_documents_for_user(request.user).annotate(
        carried=Count("assignments", filter=Q(assignments__in=readable))
    )
    return TemplateResponse(
        request,
        "governance/documents.html",
        {
            "documents": documents,
            "can_record": membership.role in RECORDERS,
            "year": timezone.localdate().year + 1,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    membership = require_membership(request.user, allowed=RECORDERS)
    form = GoverningDocumentForm(
        request.POST or None, user=request.user, initial={"year": timezone.localdate().year + 1}
    )
    if request.method == "POST" and form.is_valid():
        document = form.save(commit=False)
        document.region, document.created_by = membership.region, request.user
        with set_actor(request.user):
            document.save()
            form.save_m2m()
        messages.success(request, _("Styrdokumentet är sparat."))
        return redirect("governing_documents")
    return TemplateResponse(
        request,
        "governance/document_form.html",
        {"form": form, "document": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    membership = require_membership(request.user)
    document = get_governing_document_for_user(request.user, pk)
    form = GoverningDocumentForm(request.POST or None, instance=document, user=request.user)
    if request.method == "POST":
        require_membership(request.user, allowed=RECORDERS)
        if form.is_valid():
            with set_actor(request.user):
                form.save()
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("governing_documents")
    return TemplateResponse(
        request,
        "governance/document_form.html",
        {
            "form": form,
            "document": document,
            "can_record": membership.role in RECORDERS,
            # A provider reads only the assignments its own unit received, here too.
            "carried": document.assignments.filter(
                pk__in=get_assignments_for_user(request.user).values("pk")
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def plan_proposal(request, year: int):
    membership = require_membership(request.user)
    content = proposal_content(membership.region, _planning_year(year), request.user)
    return TemplateResponse(request, "governance/proposal.html", {"content": content, "year": year})


@login_required
@require_GET
def plan_proposal_export(request, year: str, fmt: str):
    membership = require_membership(request.user)
    content = proposal_content(membership.region, _planning_year(int(year)), request.user)
    render, mime = FORMATS[fmt]
    response = HttpResponse(render(content), content_type=mime)
    name = f"forslag-verksamhetsplan-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
