"""Assignments: draft from a need, the follow-up check, the seven steps, reporting, follow-up.

One view per action: the assignment page only reads; each form on it posts to its own view,
which shows the page again with the errors when the form is not valid.
"""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.assignments import documents_html as html_docs
from halsogap.assignments import documents_office as office_docs
from halsogap.assignments.followable import is_followable
from halsogap.assignments.versions import diff_versions
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.governance.proposal import assignment_standing
from halsogap_web.lib.query import pk_from_query
from halsogap_web.needs.access import get_need_for_user, get_need_groups_for_user
from halsogap_web.observations.access import get_indicators_for_region_member
from halsogap_web.priorities.access import get_decisions_for_user, get_measures_for_user

from .access import get_assignment_for_user, get_assignments_for_user, organisations_for
from .documents import annual_content, assignment_content
from .follow_up import FIELD_LABELS, fill_baseline_from_data, follow_up_content, need_backgrounds
from .forms import (
    AcceptanceForm,
    AssignmentForm,
    DecisionForm,
    GoalForm,
    MilestoneForm,
    PlanIndicatorForm,
    RecipientForm,
)
from .models import PlanIndicator, Step, StepRefused, Waiver
from .reporting import ReportRefused, save_reports

WRITERS = {Role.ANALYTIKER, Role.ADMINISTRATOR}


@login_required
@require_GET
def assignment_index(request):
    membership = require_membership(request.user)
    assignments = list(
        get_assignments_for_user(request.user)
        .prefetch_related("recipients__organisation")
        .order_by("-created_at")
    )
    counts = PlanIndicator.status_counts(assignments)
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
    need_pk = pk_from_query(request.GET, "behov")
    need = get_need_for_user(request.user, need_pk) if need_pk is not None else None
    initial = {}
    if need:
        initial = {
            "title": f"Uppdrag: {need.indicator.title}",
            "description": f"Uppdraget svarar mot behovet {need.indicator.title} i "
            f"behovsanalysen {need.analysis.title}.",
        }
    form = AssignmentForm(
        request.POST or None,
        initial=initial,
        need_groups=get_need_groups_for_user(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user), transaction.atomic():
            assignment = form.save(commit=False)
            assignment.region, assignment.issuer = region, region
            assignment.created_by = request.user
            assignment.save()
            if need:
                assignment.needs.add(need)
            assignment.record_version(request.user)
        return redirect("assignment_detail", pk=assignment.pk)
    return TemplateResponse(request, "assignments/form.html", {"form": form, "need": need})


def _forms(request, assignment, *, bound: str | None = None):
    """The page's forms; the one named ``bound`` is bound to the posted data."""
    organisations = organisations_for(assignment.region)
    data = request.POST if bound else None
    return {
        "recipient": RecipientForm(
            data if bound == "recipient" else None, organisations=organisations, prefix="recipient"
        ),
        "goal": GoalForm(data if bound == "goal" else None, prefix="goal"),
        "milestone": MilestoneForm(data if bound == "milestone" else None, prefix="milestone"),
        "plan": PlanIndicatorForm(
            data if bound == "plan" else None,
            prefix="plan",
            goals=assignment.goals.all(),
            indicators=get_indicators_for_region_member(assignment.region).exclude(
                code="HG_BEFOLKNING"
            ),
            organisations=organisations,
        ),
    }


def _detail_page(request, assignment, *, forms=None, status=200):
    membership = require_membership(request.user)
    gaps = assignment.followable_gaps()
    versions = list(assignment.versions.select_related("changed_by"))
    history = [
        (v, diff_versions(older.snapshot, v.snapshot, labels=FIELD_LABELS))
        for v, older in zip(versions, versions[1:], strict=False)
    ]
    return TemplateResponse(
        request,
        "assignments/detail.html",
        {
            "assignment": assignment,
            "forms": forms or _forms(request, assignment),
            "editable": membership.role in WRITERS and assignment.is_editable,
            "gaps": gaps,
            "followable": is_followable(gaps),
            "history": history,
            "next_step": assignment.next_step,
            "can_advance": assignment.may_advance(membership),
            "decision_form": DecisionForm(),
            "acceptance_form": AcceptanceForm(),
            "is_recipient": assignment.is_recipient(membership),
            "steps": Step.choices,
            "backgrounds": need_backgrounds(assignment, request.user),
            "measure_choices": get_measures_for_user(request.user).order_by("title"),
            "decision_choices": get_decisions_for_user(request.user),
            "standing": assignment_standing(assignment),
        },
        status=status,
    )


@login_required
@require_GET
def assignment_detail(request, pk: int):
    return _detail_page(request, get_assignment_for_user(request.user, pk))


def _editable_assignment(request, pk: int):
    """The assignment, if the user may still change its content (writers, before decision)."""
    require_membership(request.user, allowed=WRITERS)
    assignment = get_assignment_for_user(request.user, pk)
    if not assignment.is_editable:
        raise PermissionDenied
    return assignment


def _add_part(request, pk: int, which: str):
    assignment = _editable_assignment(request, pk)
    forms = _forms(request, assignment, bound=which)
    form = forms[which]
    if not form.is_valid():
        return _detail_page(request, assignment, forms=forms, status=400)
    with set_actor(request.user), transaction.atomic():
        item = form.save(commit=False)
        item.assignment = assignment
        if which == "plan" and item.baseline is None:
            fill_baseline_from_data(item, assignment)
        item.save()
        assignment.record_version(request.user)
    return redirect("assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def add_recipient(request, pk: int):
    return _add_part(request, pk, "recipient")


@login_required
@require_POST
def add_goal(request, pk: int):
    return _add_part(request, pk, "goal")


@login_required
@require_POST
def add_milestone(request, pk: int):
    return _add_part(request, pk, "milestone")


@login_required
@require_POST
def add_plan_line(request, pk: int):
    return _add_part(request, pk, "plan")


@login_required
@require_POST
def add_waiver(request, pk: int):
    assignment = _editable_assignment(request, pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        messages.error(request, _("Ett undantag kräver ett skäl."))
        return redirect("assignment_detail", pk=assignment.pk)
    with set_actor(request.user):
        Waiver.objects.update_or_create(
            assignment=assignment,
            key=request.POST.get("key", ""),
            defaults={"reason": reason, "waived_by": request.user},
        )
    return redirect("assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def set_links(request, pk: int):
    """Link the measures and the priority decision the assignment rests on."""
    assignment = _editable_assignment(request, pk)
    chosen = [v for v in request.POST.getlist("measures") if v.isdigit()]
    decision = request.POST.get("priority_decision", "")
    with set_actor(request.user), transaction.atomic():
        assignment.measures.set(get_measures_for_user(request.user).filter(pk__in=chosen))
        assignment.priority_decision = (
            get_decisions_for_user(request.user).filter(pk=decision).first()
            if decision.isdigit()
            else None
        )
        assignment.save(update_fields=["priority_decision"])
        assignment.record_version(request.user)
    return redirect("assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def add_dialogue(request, pk: int):
    """A comment in the dialogue, open to every role of the region at every step."""
    from .models import DialogueComment

    require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    text = request.POST.get("text", "").strip()
    if text:
        with set_actor(request.user):
            DialogueComment.objects.create(
                assignment=assignment, author=request.user, step=assignment.step, text=text
            )
    return redirect("assignment_detail", pk=assignment.pk)


@login_required
@require_POST
def assignment_advance(request, pk: int):
    """Move to the next step, if this role may and the step's conditions hold."""
    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    if not assignment.may_advance(membership):
        raise PermissionDenied
    decision = None
    if assignment.next_step == Step.DECISION:
        form = DecisionForm(request.POST)
        decision = form.cleaned_data if form.is_valid() else None
    acceptance = request.POST.get("acceptance_form", "")
    try:
        with set_actor(request.user):
            target = assignment.advance(
                membership, user=request.user, decision=decision, acceptance=acceptance
            )
    except StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("assignment_detail", pk=pk)
    messages.success(request, _("Uppdraget är nu i steget %(s)s.") % {"s": Step(target).label})
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
    """The recipient reports activity values and comments per period, by form or file."""
    from halsogap_web import evidence

    from .forms import ReportForm

    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, pk)
    if not (assignment.is_recipient(membership) or membership.role in WRITERS):
        raise PermissionDenied
    plans = list(assignment.plan_indicators.select_related("indicator"))
    form = ReportForm(request.POST if "manual" in request.POST else None)
    problems = []
    if request.method == "POST":
        try:
            with set_actor(request.user):
                saved = save_reports(request, assignment, plans, form)
        except ReportRefused as refusal:
            problems = refusal.problems
        else:
            if saved:
                messages.success(
                    request,
                    ngettext("%(n)s värde är rapporterat.", "%(n)s värden är rapporterade.", saved)
                    % {"n": saved},
                )
                return redirect("assignment_report", pk=pk)
    return TemplateResponse(
        request,
        "assignments/report.html",
        {
            "assignment": assignment,
            "plans": plans,
            "form": form,
            "problems": problems,
            "reports": evidence.reported_rows(plans),
        },
        status=400 if problems else 200,
    )


@login_required
@require_GET
def assignment_follow_up(request, pk: int):
    """Each indicator against its target, with the rule, trend and the trace to the need."""
    assignment = get_assignment_for_user(request.user, pk)
    content = follow_up_content(assignment, request.user)
    return TemplateResponse(
        request,
        "assignments/follow_up.html",
        {
            "assignment": assignment,
            "content": content,
            "needs": assignment.needs.select_related("analysis", "indicator"),
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
    assignment = get_assignment_for_user(request.user, int(pk))
    content = assignment_content(assignment, request.user)
    render = html_docs.render_assignment_pdf if fmt == "pdf" else office_docs.render_assignment_docx
    return _download(render(content), fmt, assignment.title)


@login_required
@require_GET
def annual_report(request, fmt: str):
    """The annual report (årsredovisning): goal fulfilment of the region's assignments."""
    membership = require_membership(request.user)
    raw = request.GET.get("ar", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    content = annual_content(membership.region, year, request.user)
    render = {
        "pdf": html_docs.render_annual_report_pdf,
        "docx": office_docs.render_annual_report_docx,
        "xlsx": office_docs.render_annual_report_xlsx,
    }[fmt]
    return _download(render(content), fmt, f"arsredovisning-{year}")


@login_required
@require_GET
def follow_up_document(request, pk: str, fmt: str):
    """The follow-up report of one assignment as PDF, Word or Excel."""
    assignment = get_assignment_for_user(request.user, int(pk))
    content = follow_up_content(assignment, request.user)
    render = {
        "pdf": html_docs.render_follow_up_pdf,
        "docx": office_docs.render_follow_up_docx,
        "xlsx": office_docs.render_follow_up_xlsx,
    }[fmt]
    return _download(render(content), fmt, f"uppfoljning-{assignment.title}")


PART_FORMS = {"goal": (GoalForm, "goals"), "plan": (PlanIndicatorForm, "plan_indicators")}


def _edit_part(request, pk: int, part_pk: int, which: str):
    """Change a goal or a follow-up plan line while the assignment is not yet decided."""
    assignment = _editable_assignment(request, pk)
    form_class, related = PART_FORMS[which]
    item = get_object_or_404(getattr(assignment, related), pk=part_pk)
    kwargs = {"instance": item, "prefix": which}
    if which == "plan":
        organisations = organisations_for(assignment.region)
        kwargs |= {
            "goals": assignment.goals.all(),
            "indicators": get_indicators_for_region_member(assignment.region).exclude(
                code="HG_BEFOLKNING"
            ),
            "organisations": organisations,
        }
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        with set_actor(request.user), transaction.atomic():
            form.save()
            assignment.record_version(request.user)
        messages.success(request, _("Ändringen är sparad som en ny version."))
        return redirect("assignment_detail", pk=assignment.pk)
    return TemplateResponse(
        request,
        "assignments/part_form.html",
        {"assignment": assignment, "form": form, "which": which, "item": item},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_goal(request, pk: int, part_pk: int):
    return _edit_part(request, pk, part_pk, "goal")


@login_required
@require_http_methods(["GET", "POST"])
def edit_plan_line(request, pk: int, part_pk: int):
    return _edit_part(request, pk, part_pk, "plan")
