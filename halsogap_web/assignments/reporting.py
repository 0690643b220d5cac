"""Saving a provider's report (form or file): checked whole, saved whole, or refused whole."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from halsogap.assignments.reporting import read_activity_report
from halsogap.imports import ImportFileError
from halsogap.periods import period_bounds, period_kind

from .follow_up import plan_results, store_statuses
from .models import ActivityReport, Step


class ReportRefused(Exception):
    """The report was not saved; ``problems`` say why, one Swedish sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _form_rows(request, plans, form, today) -> list[tuple]:
    if not form.is_valid():
        raise ReportRefused([f"{_('Period')}: {e}" for e in form.errors.get("period", [])])
    period = form.cleaned_data["period"]
    if period_bounds(period)[0] > today:
        raise ReportRefused(
            [
                _("Perioden %(p)s har inte börjat ännu (i dag är %(d)s): den kan inte rapporteras.")
                % {"p": period, "d": today.isoformat()}
            ]
        )
    rows, problems = [], []
    for plan in plans:
        raw = request.POST.get(f"value-{plan.pk}", "").strip().replace(",", ".").replace(" ", "")
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            problems.append(
                _("%(i)s: förväntade ett tal, fick ”%(v)s”.") % {"i": plan.indicator.code, "v": raw}
            )
            continue
        if value < 0:
            problems.append(
                _("%(i)s: förväntade ett antal som är 0 eller större, fick ”%(v)s”.")
                % {"i": plan.indicator.code, "v": raw}
            )
            continue
        rows.append((plan, period, value, request.POST.get(f"comment-{plan.pk}", "").strip()))
    problems += _wrong_kinds([(plan, period, None) for plan, period, *_ in rows], "formuläret")
    if problems:
        raise ReportRefused(problems)
    return rows


def api_rows(assignment, plans, period: str, values, *, today) -> list[tuple]:
    """Rows of a report sent to the API: ``values`` are (plan line id, value, comment).

    The same checks as the form: the assignment must be accepted, the period must have begun
    and be of the plan line's kind, and every line must belong to this assignment.
    """
    if assignment.step not in {Step.ACCEPTANCE, Step.FOLLOW_UP}:
        raise ReportRefused([_("Rapportering öppnar när uppdraget är accepterat.")])
    period = period.strip().upper()
    if period_bounds(period)[0] > today:
        raise ReportRefused(
            [
                _("Perioden %(p)s har inte börjat ännu (i dag är %(d)s): den kan inte rapporteras.")
                % {"p": period, "d": today.isoformat()}
            ]
        )
    by_pk = {p.pk: p for p in plans}
    rows, problems = [], []
    for number, (line, value, comment) in enumerate(values, start=1):
        plan = by_pk.get(line)
        if plan is None:
            problems.append(
                _("värde %(n)s: uppföljningsplanens rad %(l)s hör inte till uppdraget.")
                % {"n": number, "l": line}
            )
            continue
        rows.append((plan, period, value, comment.strip()))
    problems += _wrong_kinds([(plan, period, None) for plan, period, *_ in rows], "rapporten")
    if problems:
        raise ReportRefused(problems)
    return rows


def _wrong_kinds(rows, where: str) -> list[str]:
    """A report per quarter for a line planned per year (or the reverse) is refused."""
    problems = []
    for plan, period, row in rows:
        if plan.period_kind and period_kind(period) != plan.period_kind:
            place = f"{where}, rad {row}" if row else where
            problems.append(
                _('%(w)s, kolumn "period": förväntade en period per %(k)s för %(i)s, fick "%(p)s"')
                % {"w": place, "k": plan.period_kind, "i": plan.indicator.code, "p": period}
            )
    return problems


def _file_rows(upload, plans, today) -> list[tuple]:
    try:
        report = read_activity_report(
            upload.read(), upload.name, plans={p.indicator.code for p in plans}, today=today
        )
    except ImportFileError as error:
        raise ReportRefused([str(error)]) from None
    if not report.ok:
        raise ReportRefused(report.messages())
    by_code = {p.indicator.code: p for p in plans}
    rows = list(report.rows.iter_rows(named=True))
    problems = _wrong_kinds(
        [(by_code[r["indicator"]], r["period"], r["row"]) for r in rows], upload.name
    )
    if problems:
        raise ReportRefused(problems)
    return [
        (by_code[r["indicator"]], r["period"], r["value"], r.get("comment") or "") for r in rows
    ]


def save_reports(request, assignment, plans, form) -> int:
    """Check and save the posted report; returns how many values were saved.

    Raises :class:`ReportRefused` and saves nothing on any problem. Reporting on an accepted
    assignment moves it into the follow-up step.
    """
    if assignment.step not in {Step.ACCEPTANCE, Step.FOLLOW_UP}:
        raise ReportRefused([_("Rapportering öppnar när uppdraget är accepterat.")])
    today = timezone.localdate()
    if "manual" in request.POST:
        rows = _form_rows(request, plans, form, today)
    elif "upload" in request.POST and request.FILES.get("file"):
        rows = _file_rows(request.FILES["file"], plans, today)
    else:
        raise ReportRefused([_("Fyll i minst ett värde eller välj en fil.")])
    if not rows:
        raise ReportRefused([_("Fyll i minst ett värde.")])
    return store_reports(assignment, rows, user=request.user)


@transaction.atomic
def store_reports(assignment, rows, *, user) -> int:
    """Save checked rows (plan line, period, value, comment); the assignment enters follow-up."""
    for plan, period, value, comment in rows:
        ActivityReport.objects.update_or_create(
            plan=plan,
            period=period,
            defaults={"value": value, "comment": comment, "reported_by": user},
        )
    assignment.start_follow_up_when_reported(user)
    reported = list({plan.pk: plan for plan, *_ in rows}.values())
    store_statuses(plan_results(reported, assignment.region))
    return len(rows)
