"""Assignments: draft from a need, the follow-up check, the seven steps, reporting, follow-up."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.assignments.followable import is_followable
from halsogap.assignments.reporting import read_activity_report
from halsogap.assignments.versions import diff_versions
from halsogap.imports import ImportFileError
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Organisation, Role
from halsogap_web.needs.models import AnalysisIndicator, NeedGroup
from halsogap_web.observations.access import get_indicators_for_region_member

from .forms import (
    AcceptanceForm,
    AssignmentForm,
    DecisionForm,
    GoalForm,
    MilestoneForm,
    PlanIndicatorForm,
    RecipientForm,
    ReportForm,
)
from .logic import (
    FIELD_LABELS,
    followable_gaps,
    need_backgrounds,
    plan_status,
    record_version,
    refresh_status,
)
from .models import (
    NEXT_STEP,
    ActivityReport,
    Assignment,
    DialogueComment,
    PlanIndicator,
    Step,
    Waiver,
)

WRITERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}
EDITABLE_STEPS = {Step.DRAFT, Step.DIALOGUE, Step.PROPOSAL}


def get_assignment_for_user(user, pk: int) -> Assignment:
    """An assignment of the user's region; other regions' assignments are never readable."""
    membership = require_membership(user)
    return get_object_or_404(
        Assignment.objects.select_related("region__area", "issuer"), pk=pk, region=membership.region
    )


def fill_baseline_from_data(plan, region) -> None:
    """Take the baseline from the region's latest value when the analyst left it empty."""
    from halsogap_web.observations.models import Observation

    latest = (
        Observation.objects.filter(
            indicator=plan.indicator,
            area=region.area,
            sex="T",
            age_band="",
            socioeconomic_group="",
            value__isnull=False,
        )
        .order_by("-period")
        .values_list("period", "value")
        .first()
    )
    if latest:
        plan.baseline_period, plan.baseline = latest
        plan.source = plan.source or plan.indicator.source_line


def _is_recipient(membership, assignment) -> bool:
    return assignment.recipients.filter(organisation=membership.organisation).exists()


@login_required
@require_GET
def assignment_index(request):
    membership = require_membership(request.user)
    assignments = list(
        Assignment.objects.filter(region=membership.region)
        .prefetch_related("recipients__organisation")
        .order_by("-created_at")
    )
    counts: dict[int, dict[str, int]] = {}
    for assignment_id, status, n in (
        PlanIndicator.objects.filter(assignment__region=membership.region)
        .values_list("assignment_id", "status")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(assignment_id, {})[status or "ej beräknad"] = n
    for assignment in assignments:
        assignment.status_counts = sorted(counts.get(assignment.pk, {}).items())
    return TemplateResponse(
        request,
        "assignments/index.html",
        {"assignments": assignments, "can_write": membership.role in WRITERS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request):
    membership = require_membership(request.user, allowed=WRITERS)
    region = membership.region
    need = None
    if request.GET.get("behov"):
        need = get_object_or_404(
            AnalysisIndicator, pk=request.GET["behov"], analysis__region=region
        )
    initial = {}
    if need:
        initial = {
            "title": f"Uppdrag: {need.indicator.title}",
            "description": f"Uppdraget svarar mot behovet {need.indicator.title} i "
            f"behovsanalysen {need.analysis.title}.",
        }
    form = AssignmentForm(
        request.POST or None, initial=initial, need_groups=NeedGroup.objects.filter(region=region)
    )
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user), transaction.atomic():
            assignment = form.save(commit=False)
            assignment.region, assignment.issuer = region, region
            assignment.created_by = request.user
            assignment.save()
            if need:
                assignment.needs.add(need)
            record_version(assignment, request.user)
        return redirect("assignment_detail", pk=assignment.pk)
    return TemplateResponse(request, "assignments/form.html", {"form": form, "need": need})


def _forms(request, assignment, region):
    organisations = Organisation.objects.filter(pk=region.pk) | region.units.all()
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if post else None
    return {
        "recipient": RecipientForm(
            post if which == "recipient" else None, organisations=organisations, prefix="recipient"
        ),
        "goal": GoalForm(post if which == "goal" else None, prefix="goal"),
        "milestone": MilestoneForm(post if which == "milestone" else None, prefix="milestone"),
        "plan": PlanIndicatorForm(
            post if which == "plan" else None,
            prefix="plan",
            goals=assignment.goals.all(),
            indicators=get_indicators_for_region_member(region).exclude(code="HG_BEFOLKNING"),
            organisations=organisations,
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk: int):
    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    region = assignment.region
    forms = _forms(request, assignment, region)
    editable = membership.role in WRITERS and assignment.step in EDITABLE_STEPS
    if request.method == "POST":
        which = request.POST.get("form")
        if which in forms:
            if not editable:
                raise PermissionDenied
            form = forms[which]
            if form.is_valid():
                with set_actor(request.user), transaction.atomic():
                    item = form.save(commit=False)
                    item.assignment = assignment
                    if which == "plan" and item.baseline is None:
                        fill_baseline_from_data(item, region)
                    item.save()
                    record_version(assignment, request.user)
                return redirect("assignment_detail", pk=assignment.pk)
        elif which == "waiver":
            if not editable:
                raise PermissionDenied
            reason = request.POST.get("reason", "").strip()
            if not reason:
                messages.error(request, _("Ett undantag kräver ett skäl."))
            else:
                with set_actor(request.user):
                    Waiver.objects.update_or_create(
                        assignment=assignment,
                        key=request.POST.get("key", ""),
                        defaults={"reason": reason, "waived_by": request.user},
                    )
                return redirect("assignment_detail", pk=assignment.pk)
        elif which == "links":
            if not editable:
                raise PermissionDenied
            from halsogap_web.priorities.models import Measure, PriorityDecision

            with set_actor(request.user), transaction.atomic():
                assignment.measures.set(
                    Measure.objects.filter(pk__in=request.POST.getlist("measures")).filter(
                        Q(region__isnull=True) | Q(region=region)
                    )
                )
                assignment.priority_decision = PriorityDecision.objects.filter(
                    region=region, pk=request.POST.get("priority_decision") or None
                ).first()
                assignment.save(update_fields=["priority_decision"])
                record_version(assignment, request.user)
            return redirect("assignment_detail", pk=assignment.pk)
        elif which == "dialogue":
            text = request.POST.get("text", "").strip()
            if text:
                with set_actor(request.user):
                    DialogueComment.objects.create(
                        assignment=assignment, author=request.user, step=assignment.step, text=text
                    )
            return redirect("assignment_detail", pk=assignment.pk)
    gaps = followable_gaps(assignment)
    versions = list(assignment.versions.select_related("changed_by"))
    history = [
        (v, diff_versions(older.snapshot, v.snapshot, labels=FIELD_LABELS))
        for v, older in zip(versions, versions[1:], strict=False)
    ]
    next_step = NEXT_STEP.get(assignment.step)
    can_advance = (
        bool(next_step)
        and membership.role in next_step[1]
        and (next_step[0] != Step.ACCEPTANCE or _is_recipient(membership, assignment))
    )
    return TemplateResponse(
        request,
        "assignments/detail.html",
        {
            "assignment": assignment,
            "forms": forms,
            "editable": editable,
            "gaps": gaps,
            "followable": is_followable(gaps),
            "history": history,
            "next_step": next_step[0] if next_step else None,
            "can_advance": can_advance,
            "decision_form": DecisionForm(),
            "acceptance_form": AcceptanceForm(),
            "is_recipient": _is_recipient(membership, assignment),
            "steps": Step.choices,
            "backgrounds": need_backgrounds(assignment, request.user),
            "measure_choices": _measure_choices(region),
            "decision_choices": region.decisions.all(),
        },
    )


def _measure_choices(region):
    from halsogap_web.priorities.models import Measure

    return Measure.objects.filter(Q(region__isnull=True) | Q(region=region)).order_by("title")


@login_required
@require_POST
def assignment_advance(request, pk: int):
    """Move to the next step, if this role may and the step's conditions hold."""
    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    target, roles = NEXT_STEP.get(assignment.step, (None, set()))
    if target is None or membership.role not in roles:
        raise PermissionDenied
    if target == Step.DECISION:
        if not is_followable(followable_gaps(assignment)):
            messages.error(
                request,
                _(
                    "Uppdraget är inte uppföljningsbart än: stäng eller "
                    "motivera undantag för det som saknas."
                ),
            )
            return redirect("assignment_detail", pk=pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Ange beslutande organ, datum och vem som beslutade."))
            return redirect("assignment_detail", pk=pk)
        for field, value in form.cleaned_data.items():
            setattr(assignment, field, value)
    if target == Step.ACCEPTANCE:
        if not _is_recipient(membership, assignment):
            raise PermissionDenied
        form = AcceptanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Välj hur uppdraget accepteras."))
            return redirect("assignment_detail", pk=pk)
        assignment.acceptance_form = form.cleaned_data["acceptance_form"]
        assignment.accepted_by, assignment.accepted_at = request.user, timezone.now()
    assignment.step = target
    with set_actor(request.user), transaction.atomic():
        assignment.save()
        record_version(assignment, request.user)
    messages.success(
        request, _("Uppdraget är nu i steget %(s)s.") % {"s": assignment.get_step_display()}
    )
    return redirect("assignment_detail", pk=pk)


@login_required
@require_POST
def draft_supplementary(request):
    """Draft the CNI supplementary assignment for every eligible unit, in one action."""
    from .supplementary import draft_supplementary_assignments

    membership = require_membership(request.user, allowed=WRITERS)
    with set_actor(request.user):
        created = draft_supplementary_assignments(membership.region, user=request.user)
    messages.success(
        request, _("%(n)s utkast till tilläggsuppdrag skapades.") % {"n": len(created)}
    )
    return redirect("assignment_index")


@login_required
@require_http_methods(["GET", "POST"])
def assignment_report(request, pk: int):
    """The recipient reports activity values and comments per period, by form or CSV."""
    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    if not (_is_recipient(membership, assignment) or membership.role in WRITERS):
        raise PermissionDenied
    plans = list(assignment.plan_indicators.select_related("indicator"))
    form = ReportForm(request.POST if "manual" in request.POST else None)
    problems = []
    if request.method == "POST":
        if assignment.step not in {Step.ACCEPTANCE, Step.FOLLOW_UP}:
            messages.error(request, _("Rapportering öppnar när uppdraget är accepterat."))
            return redirect("assignment_report", pk=pk)
        rows = []
        if "manual" in request.POST and form.is_valid():
            for plan in plans:
                raw = request.POST.get(f"value-{plan.pk}", "").strip().replace(",", ".")
                if not raw:
                    continue
                try:
                    value = float(raw)
                except ValueError:
                    problems.append(
                        _("%(i)s: förväntade ett tal, fick ”%(v)s”.")
                        % {"i": plan.indicator.code, "v": raw}
                    )
                    continue
                if value < 0:
                    problems.append(
                        _("%(i)s: förväntade ett antal som är 0 eller större, fick ”%(v)s”.")
                        % {"i": plan.indicator.code, "v": raw}
                    )
                    continue
                rows.append(
                    (
                        plan,
                        form.cleaned_data["period"],
                        value,
                        request.POST.get(f"comment-{plan.pk}", ""),
                    )
                )
        elif "upload" in request.POST and request.FILES.get("file"):
            upload = request.FILES["file"]
            try:
                report = read_activity_report(
                    upload.read(), upload.name, plans={p.indicator.code for p in plans}
                )
            except ImportFileError as error:
                problems = [str(error)]
            else:
                if not report.ok:
                    problems = report.messages()
                else:
                    by_code = {p.indicator.code: p for p in plans}
                    rows = [
                        (by_code[r["indicator"]], r["period"], r["value"], r.get("comment") or "")
                        for r in report.rows.iter_rows(named=True)
                    ]
        if not problems and rows:
            with set_actor(request.user), transaction.atomic():
                for plan, period, value, comment in rows:
                    ActivityReport.objects.update_or_create(
                        plan=plan,
                        period=period,
                        defaults={"value": value, "comment": comment, "reported_by": request.user},
                    )
                for plan in {plan for plan, *_ in rows}:
                    refresh_status(plan)
            messages.success(request, _("%(n)s värden är rapporterade.") % {"n": len(rows)})
            return redirect("assignment_report", pk=pk)
    return TemplateResponse(
        request,
        "assignments/report.html",
        {
            "assignment": assignment,
            "plans": plans,
            "form": form,
            "problems": problems,
            "reports": ActivityReport.objects.filter(plan__assignment=assignment).select_related(
                "plan__indicator", "reported_by"
            ),
        },
    )


@login_required
@require_GET
def assignment_follow_up(request, pk: int):
    """Each indicator against its target, with the rule, trend and the trace to the need."""
    assignment = get_assignment_for_user(request.user, pk)
    rows = []
    for plan in assignment.plan_indicators.select_related("indicator", "goal"):
        status, values, origin = plan_status(plan)
        if plan.status != status.status:
            PlanIndicator.objects.filter(pk=plan.pk).update(
                status=status.status, status_updated=timezone.now()
            )
        rows.append({"plan": plan, "status": status, "values": values.to_dicts(), "origin": origin})
    return TemplateResponse(
        request,
        "assignments/follow_up.html",
        {
            "assignment": assignment,
            "rows": rows,
            "needs": assignment.needs.select_related("analysis", "indicator"),
            "backgrounds": need_backgrounds(assignment, request.user),
        },
    )


DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCUMENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "dokument"}.{fmt}"'
    return response


@login_required
@require_GET
def assignment_document(request, pk: str, fmt: str):
    """The assignment as a decision document (PDF or Word)."""
    from halsogap.assignments import documents as docs

    from .documents import assignment_content

    assignment = get_assignment_for_user(request.user, int(pk))
    content = assignment_content(assignment)
    render = docs.render_assignment_pdf if fmt == "pdf" else docs.render_assignment_docx
    return _download(render(content), fmt, assignment.title)


@login_required
@require_GET
def annual_report(request, fmt: str):
    """The annual report (årsredovisning): goal fulfilment of the region's assignments."""
    from halsogap.assignments import documents as docs

    from .documents import annual_content

    membership = require_membership(request.user)
    year = int(request.GET.get("ar") or timezone.localdate().year)
    content = annual_content(membership.region, year)
    render = {
        "pdf": docs.render_annual_report_pdf,
        "docx": docs.render_annual_report_docx,
        "xlsx": docs.render_annual_report_xlsx,
    }[fmt]
    return _download(render(content), fmt, f"arsredovisning-{year}")


@login_required
@require_GET
def follow_up_document(request, pk: str, fmt: str):
    """The follow-up report of one assignment as PDF, Word or Excel."""
    from halsogap.assignments import documents as docs

    from .documents import follow_up_content

    assignment = get_assignment_for_user(request.user, int(pk))
    content = follow_up_content(assignment, need_backgrounds(assignment, request.user))
    render = {
        "pdf": docs.render_follow_up_pdf,
        "docx": docs.render_follow_up_docx,
        "xlsx": docs.render_follow_up_xlsx,
    }[fmt]
    return _download(render(content), fmt, f"uppfoljning-{assignment.title}")
