"""Hälsogap's open API, ``/api/v1/``, described in OpenAPI 3 at ``/api/v1/openapi.json``.

Every endpoint reads through the same access helpers and the same evidence reader as the pages,
and answers with the core's content objects, so that a number in the API is the number on the
page and in the documents.
"""

from __future__ import annotations

import functools
import inspect

from auditlog.context import set_actor
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.pagination import PageNumberPagination, paginate

from halsogap.assignments.documents import AssignmentContent, FollowUpReportContent
from halsogap.priorities.decision import DecisionContent
from halsogap.reports.needs_analysis import NeedsAnalysisContent
from halsogap_web import evidence
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role
from halsogap_web.observations.access import get_indicator_for_user, get_indicators_for_user

from .auth import PersonalKey, SessionOrPublic
from .schemas import (
    ActivityReportIn,
    AnalysisOut,
    AssignmentOut,
    DecisionOut,
    ImportIn,
    ImportSummary,
    IndicatorOut,
    ObservationOut,
    Problem,
)

DESCRIPTION = """
**Svenska.** Hälsogaps API för regionens data och styrning: indikatorer och värden (med
röjandekontroll och källa), behovsanalyser med hälsogap, prioriteringsbeslut, uppdrag och deras
uppföljning. Samma behörighet som på sidorna: allmänheten läser det som de öppna sidorna visar,
en inloggad användare det som hens region och roll ger. Autentisera med en personlig API-nyckel
(`Authorization: Bearer hg_…`, skapas under Konto → API-nycklar) eller med webbläsarens
inloggning. Svaren har en ETag: skicka den i `If-None-Match` så blir svaret `304 Not Modified`
så länge inget har ändrats.

**English.** Hälsogap's API for a region's data and steering: indicators and values (with
disclosure control and source), needs analyses with health gaps, priority decisions, assignments
and their follow-up. The same access rules as the pages: the public reads what the open pages
show, a logged-in user what their region and role allow. Authenticate with a personal API key
(`Authorization: Bearer hg_…`, made under Account → API keys) or the browser's login. Answers
carry an ETag: send it in `If-None-Match` and the answer is `304 Not Modified` while nothing has
changed.
"""

#: Operations the public may call without a key, as the open pages are read without a login.
PUBLIC_PATHS = {
    "/api/v1/indicators",
    "/api/v1/indicators/{code}/observations",
    "/api/v1/priority-decisions",
    "/api/v1/priority-decisions/{decision_id}",
}


class HalsogapAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The description, with the public operations marked as callable without a key."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path, operations in schema["paths"].items():
            if path in PUBLIC_PATHS:
                for operation in operations.values():
                    operation.setdefault("security", []).append({})
        return schema


def strict_query(view):
    """Refuse a query parameter the operation does not have: a misspelt ``?omrade=`` must say
    so, not silently answer for everything."""
    allowed = set(inspect.signature(view).parameters) | {"page", "page_size"}

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - allowed)
        if unknown:
            names = ", ".join(f"”{name}”" for name in unknown)
            raise BadRequest(f"Okänd parameter: {names}. / Unknown parameter: {names}.")
        return view(request, *args, **kwargs)

    return checked


api = HalsogapAPI(
    title="Hälsogap API",
    version="1",
    description=DESCRIPTION,
    auth=[PersonalKey(), SessionOrPublic()],
    urls_namespace="api",
)
api.add_decorator(strict_query, mode="operation")
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    if not request.user.is_authenticated:
        # Not yet known: the caller should log in or send a key (401), not give up (403).
        return api.create_response(
            request, {"detail": "Logga in eller skicka en API-nyckel."}, status=401
        )
    return api.create_response(
        request, {"detail": "Din roll ger inte tillgång till detta."}, status=403
    )


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    # A request that does not follow the description is a 400 with each field's problem;
    # 409 (as in DHIS2's imports) says that a well-formed report or file was refused.
    return api.create_response(
        request,
        {"detail": "Förfrågan följer inte beskrivningen.", "errors": exc.errors},
        status=400,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Finns inte, eller inte för dig."}, status=404)


# --- Indicators and values ----------------------------------------------------------------


@api.get(
    "/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    summary="Indikatorer / Indicators",
    description="Indikatorer som du får läsa. / The indicators you may read.",
    tags=["data"],
)
@paginate(PageNumberPagination, page_size=100)
def list_indicators(request):
    return [
        {
            "code": i.code,
            "title": i.title,
            "unit": i.unit,
            "polarity": i.polarity,
            "kind": i.kind,
            "source": i.source,
            "producer": i.producer,
            "source_line": f"Källa: {i.source_line}",
            "national": i.is_national,
            "published": i.is_national or i.is_published,
        }
        for i in get_indicators_for_user(request.user).order_by("code")
    ]


@api.get(
    "/indicators/{code}/observations",
    response={200: list[ObservationOut], **ERRORS},
    summary="Värden / Observations",
    description=(
        "En indikators värden, röjandekontrollerade som på sidorna, med källa. / An indicator's "
        "values, with the same disclosure control as the pages, and their source."
    ),
    tags=["data"],
)
@paginate(PageNumberPagination, page_size=500)
def list_observations(request, code: str, area: str | None = None, period: str | None = None):
    indicator = get_indicator_for_user(request.user, code)
    frame = evidence.observations(
        request.user,
        [indicator],
        region=indicator.organisation,
        areas=[area] if area else None,
    ).sort(["area", "period", "sex", "age_band"])
    if period:
        frame = frame.filter(frame["period"] == period)
    source = f"Källa: {indicator.source_line}"
    return [{**row, "source": source} for row in frame.select(evidence.EXPORT_COLUMNS).to_dicts()]


# --- Needs, priorities, assignments ----------------------------------------------------------


@api.get(
    "/needs-analyses",
    response={200: list[AnalysisOut], **ERRORS},
    summary="Behovsanalyser / Needs analyses",
    tags=["behov"],
)
@paginate(PageNumberPagination, page_size=100)
def list_analyses(request):
    from halsogap_web.needs.access import get_analyses_for_user

    return [
        {"id": a.pk, "title": a.title, "year": a.year, "region": str(a.region)}
        for a in get_analyses_for_user(request.user).select_related("region").order_by("-year")
    ]


@api.get(
    "/needs-analyses/{analysis_id}",
    response={200: NeedsAnalysisContent, **ERRORS},
    summary="En behovsanalys med hälsogap / A needs analysis with its health gaps",
    description="Samma innehåll som sidan och dokumenten. / The same content as the page.",
    tags=["behov"],
)
def get_analysis(request, analysis_id: int):
    from halsogap_web.needs.access import get_analysis_for_user
    from halsogap_web.needs.content import analysis_content

    return analysis_content(get_analysis_for_user(request.user, analysis_id), user=request.user)


@api.get(
    "/priority-decisions",
    response={200: list[DecisionOut], **ERRORS},
    summary="Prioriteringsbeslut / Priority decisions",
    description=(
        "Regionens beslut; allmänheten ser de publicerade med ?region=01. / The region's "
        "decisions; the public sees the published ones with ?region=01."
    ),
    tags=["prioritering"],
)
@paginate(PageNumberPagination, page_size=100)
def list_decisions(request, region: str | None = None):
    return [_decision_row(d) for d in _decisions(request.user, region).order_by("-version")]


@api.get(
    "/priority-decisions/{decision_id}",
    response={200: DecisionContent, **ERRORS},
    summary="Ett prioriteringsbeslut / A priority decision",
    tags=["prioritering"],
)
def get_decision(request, decision_id: int):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(_decisions(request.user, None, public=True), pk=decision_id).content()


def _decisions(user, region_code: str | None, *, public: bool = False):
    from django.db.models import Q

    from halsogap_web.accounts.access import get_region_for_user
    from halsogap_web.priorities.models import PriorityDecision

    own = get_region_for_user(user)
    visible = Q(published=True) if (public or region_code) else Q(pk__in=[])
    if own is not None:
        visible |= Q(region=own)
    decisions = PriorityDecision.objects.filter(visible).select_related("region")
    if region_code:
        decisions = decisions.filter(region__area__code=region_code)
    return decisions


def _decision_row(d) -> dict:
    return {
        "id": d.pk,
        "version": d.version,
        "region": str(d.region),
        "body": d.body,
        "decided_on": d.decided_on,
        "budget": d.budget,
        "published": d.published,
    }


@api.get(
    "/assignments",
    response={200: list[AssignmentOut], **ERRORS},
    summary="Uppdrag / Assignments",
    description=(
        "Regionens uppdrag; en utförare ser de uppdrag enheten har fått. / The region's "
        "assignments; a provider sees those its unit received."
    ),
    tags=["uppdrag"],
)
@paginate(PageNumberPagination, page_size=100)
def list_assignments(request):
    from halsogap_web.assignments.access import get_assignments_for_user

    return [
        {
            "id": a.pk,
            "title": a.title,
            "region": str(a.region),
            "step": a.step,
            "step_label": a.get_step_display(),
            "starts_on": a.starts_on,
            "ends_on": a.ends_on,
        }
        for a in get_assignments_for_user(request.user).select_related("region").order_by("pk")
    ]


@api.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentContent, **ERRORS},
    summary="Ett uppdrag / An assignment",
    tags=["uppdrag"],
)
def get_assignment(request, assignment_id: int):
    from halsogap_web.assignments.access import get_assignment_for_user
    from halsogap_web.assignments.documents import assignment_content

    return assignment_content(
        get_assignment_for_user(request.user, assignment_id), user=request.user
    )


@api.get(
    "/assignments/{assignment_id}/follow-up",
    response={200: FollowUpReportContent, **ERRORS},
    summary="Uppdragets uppföljning / The assignment's follow-up",
    tags=["uppdrag"],
)
def get_follow_up(request, assignment_id: int):
    from halsogap_web.assignments.access import get_assignment_for_user
    from halsogap_web.assignments.follow_up import follow_up_content

    return follow_up_content(
        get_assignment_for_user(request.user, assignment_id), user=request.user
    )


# --- Writing ----------------------------------------------------------------------------------


@api.post(
    "/assignments/{assignment_id}/reports",
    response={200: ImportSummary, 409: ImportSummary, **ERRORS},
    summary="Rapportera aktivitet / Report activity",
    description=(
        "Mottagarens värden per period, allt eller inget; samma rapport två gånger ändrar "
        "inget. / The recipient's values for a period, all or nothing; the same report twice "
        "changes nothing."
    ),
    tags=["uppdrag"],
)
def report_activity(request, assignment_id: int, payload: ActivityReportIn):
    from halsogap_web.assignments.access import get_assignment_for_user
    from halsogap_web.assignments.reporting import ReportRefused, api_rows, store_reports

    membership = require_membership(request.user)
    assignment = get_assignment_for_user(request.user, assignment_id)
    if not (
        assignment.is_recipient(membership)
        or membership.role in {Role.ANALYTIKER, Role.ADMINISTRATOR}
    ):
        raise PermissionDenied
    plans = list(assignment.plan_indicators.select_related("indicator"))
    values = [(v.plan_line, v.value, v.comment) for v in payload.values]
    try:
        rows = api_rows(assignment, plans, payload.period, values, today=timezone.localdate())
        with set_actor(request.user):
            saved = store_reports(assignment, rows, user=request.user)
    except ReportRefused as refusal:
        return 409, _summary("refused", len(values), 0, refusal.problems)
    return 200, _summary("accepted", len(values), saved, [])


@api.post(
    "/observations/import",
    response={200: ImportSummary, 409: ImportSummary, **ERRORS},
    summary="Läs in värden / Import observations",
    description=(
        "En fil i Kolada- eller Hälsogapformat till regionens egna indikatorer, allt eller "
        "inget; samma fil två gånger ändrar inget. / A file to the region's own indicators, "
        "all or nothing; the same file twice changes nothing."
    ),
    tags=["data"],
)
def import_observations(request, payload: ImportIn):
    from halsogap_web.observations.importing import run_import

    membership = require_membership(request.user, allowed={Role.ANALYTIKER, Role.ADMINISTRATOR})
    outcome = run_import(
        payload.content.encode("utf-8"),
        payload.file_name,
        organisation=membership.region,
        user=request.user,
    )
    if not outcome.ok:
        return 409, _summary(
            "refused", outcome.row_count, 0, outcome.errors, refused=outcome.error_count
        )
    if outcome.already_imported is not None:
        return 200, _summary(
            "already_imported", outcome.row_count, 0, [], batch=outcome.already_imported.pk
        )
    return 200, _summary(
        "accepted", outcome.row_count, outcome.row_count, [], batch=outcome.batch.pk
    )


def _summary(status, rows, accepted, problems, *, refused=None, batch=None) -> dict:
    return {
        "status": status,
        "rows": rows,
        "accepted": accepted,
        "refused": len(problems) if refused is None else refused,
        "problems": problems,
        "batch": batch,
    }
