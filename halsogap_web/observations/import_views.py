"""Uploading observation files and following the import's progress."""

from __future__ import annotations

from auditlog.context import set_actor
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .access import get_import_job_for_user, get_load_batches_for_user
from .forms import ImportForm, IndicatorForm
from .models import ImportJob
from .tasks import process_import_job

IMPORTERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    membership = require_membership(request.user, allowed=IMPORTERS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with set_actor(request.user):
            job = ImportJob.objects.create(
                organisation=membership.region,
                created_by=request.user,
                file_name=upload.name,
                content=upload.read(),
                file_format=form.cleaned_data["file_format"],
                indicator_code=form.cleaned_data["indicator"],
            )
        # Views run in autocommit, so the job row is saved before the worker looks for it.
        process_import_job.enqueue(job.pk)
        return redirect("import_job", pk=job.pk)
    return TemplateResponse(
        request,
        "imports/upload.html",
        {
            "form": form,
            "batches": get_load_batches_for_user(request.user)[:20],
            "jobs": ImportJob.objects.filter(organisation=membership.region)[:10],
        },
    )


@login_required
@require_GET
def import_job(request, pk: int):
    require_membership(request.user, allowed=IMPORTERS)
    job = get_import_job_for_user(request.user, pk)
    job.fail_if_abandoned(limit_seconds=settings.HALSOGAP_IMPORT_TIME_LIMIT)
    template = "imports/job.html#progress" if request.htmx else "imports/job.html"
    return TemplateResponse(request, template, {"job": job})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    membership = require_membership(request.user, allowed=IMPORTERS)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        indicator.organisation = membership.region
        with set_actor(request.user):
            indicator.save()
        messages.success(request, _("Indikatorn %(code)s är skapad.") % {"code": indicator.code})
        return redirect("indicator", code=indicator.code)
    return TemplateResponse(request, "imports/indicator_form.html", {"form": form})


@require_GET
def import_format(request):
    """The file contract (docs/import-format.md), readable without leaving the app."""
    text = (settings.BASE_DIR / "docs" / "import-format.md").read_text(encoding="utf-8")
    return TemplateResponse(request, "imports/format.html", {"text": text})
