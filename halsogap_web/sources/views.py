"""Sources in the web: list and add, look at one with a preview, run it, read a run."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.imports import ImportFileError
from halsogap.sources import SourceFormatError
from halsogap.sources.http import SourceFetchError
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .access import EDITORS, get_source_for_user, get_source_run_for_user, get_sources_for_user
from .changes import visible_changes
from .forms import DataSourceForm
from .models import SourceRun
from .tasks import run_data_source

PREVIEW_ROWS = 20


@login_required
@require_http_methods(["GET", "POST"])
def source_index(request):
    membership = require_membership(request.user, allowed=EDITORS)
    form = DataSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = form.save(commit=False)
        national = membership.role == Role.ADMINISTRATOR and request.POST.get("nationell")
        source.organisation = None if national else membership.region
        source.created_by = request.user
        with set_actor(request.user):
            source.save()
        messages.success(request, _("Källan är sparad. Förhandsgranska den innan du kör den."))
        return redirect("source_detail", pk=source.pk)
    return TemplateResponse(
        request,
        "sources/index.html",
        {
            "sources": get_sources_for_user(request.user).prefetch_related("runs"),
            "form": form,
            "can_national": membership.role == Role.ADMINISTRATOR,
        },
    )


@login_required
@require_GET
def source_detail(request, pk: int):
    source = get_source_for_user(request.user, pk)
    preview, problem = None, None
    if request.GET.get("forhandsgranska"):
        try:
            table = source.fetch(retries=0)
        except (SourceFetchError, SourceFormatError, ImportFileError) as error:
            problem = str(error)
        else:
            preview = {
                "columns": table.frame.columns,
                "rows": table.frame.head(PREVIEW_ROWS).rows(),
                "count": table.frame.height,
                "metadata": table.metadata,
            }
    return TemplateResponse(
        request,
        "sources/detail.html",
        {"source": source, "runs": source.runs.all()[:10], "preview": preview, "problem": problem},
    )


@login_required
@require_POST
def source_run(request, pk: int):
    source = get_source_for_user(request.user, pk)
    run = SourceRun.objects.create(source=source, created_by=request.user)
    run_data_source.enqueue(run.pk)
    return redirect("source_run_detail", pk=run.pk)


@login_required
@require_GET
def source_run_detail(request, pk: int):
    run = get_source_run_for_user(request.user, pk)
    return TemplateResponse(
        request,
        "sources/run.html",
        {"run": run, "source": run.source, "changes": visible_changes(run, request.user)},
    )
