"""Self-evaluation against the standards: start, fill in (saved as you go), profile, compare."""

from __future__ import annotations

from auditlog.context import set_actor
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from halsogap.selfevaluation import DefinitionError, profile, profile_svg, weakest_statements
from halsogap.selfevaluation.definition import swedish_title
from halsogap_web.accounts.access import require_membership
from halsogap_web.accounts.models import Role

from .access import EVALUATORS, NETWORK_READERS, get_evaluation_for_user
from .models import Evaluation, FollowUpAnswer, FollowUpQuestion, Score, StandardsDefinition


class StartForm(forms.Form):
    definition = forms.ModelChoiceField(
        label=gettext_lazy("Standarder"),
        queryset=StandardsDefinition.objects.all(),
        empty_label=None,
    )
    version = forms.ChoiceField(
        label=gettext_lazy("Version"),
        choices=Evaluation.Version.choices,
        initial=Evaluation.Version.SHORT,
    )

    def clean(self):
        data = super().clean()
        definition = data.get("definition")
        if (
            definition
            and data.get("version") == Evaluation.Version.FULL
            and not definition.has_full_version
        ):
            self.add_error(
                "version",
                _(
                    "Den här definitionen har bara kortversionens påståenden. Läs in nätverkets "
                    "fullständiga fil för att göra den fullständiga versionen."
                ),
            )
        return data


class DefinitionUploadForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    file = forms.FileField(label=gettext_lazy("Fil (CSV)"))


def _follow_up_standing(user, region) -> dict:
    """This year's follow-up questions from the network, and how many the region answered."""
    from halsogap_web.network.access import get_network_for_user

    year = timezone.localdate().year
    questions = FollowUpQuestion.objects.filter(network=get_network_for_user(user), year=year)
    return {
        "year": year,
        "asked": questions.count(),
        "answered": FollowUpAnswer.objects.filter(question__in=questions, region=region).count(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_index(request):
    membership = require_membership(request.user)
    form = StartForm(request.POST or None)
    if request.method == "POST":
        require_membership(request.user, allowed=EVALUATORS)
        if form.is_valid():
            with set_actor(request.user):
                evaluation = Evaluation.objects.create(
                    region=membership.region,
                    definition=form.cleaned_data["definition"],
                    version=form.cleaned_data["version"],
                    started_by=request.user,
                )
            return redirect("evaluation_fill", pk=evaluation.pk)
    return TemplateResponse(
        request,
        "selfevaluation/index.html",
        {
            "form": form,
            "evaluations": Evaluation.objects.filter(region=membership.region),
            "can_evaluate": membership.role in EVALUATORS,
            "follow_up": _follow_up_standing(request.user, membership.region),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def definition_upload(request):
    require_membership(request.user, allowed={Role.HFS_PROCESSLEDARE, Role.ADMINISTRATOR})
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with set_actor(request.user):
                definition, created = StandardsDefinition.create_from_file(
                    upload.read(), upload.name, name=form.cleaned_data["name"], user=request.user
                )
        except DefinitionError as error:
            problems = error.problems
        else:
            if created:
                messages.success(request, _("Definitionen är inläst."))
            else:
                messages.info(
                    request,
                    _("Samma fil är redan inläst som %(name)s.") % {"name": definition.name},
                )
            return redirect("evaluation_index")
    return TemplateResponse(
        request, "selfevaluation/definition_upload.html", {"form": form, "problems": problems}
    )


def _rows(evaluation: Evaluation):
    scores = {s.statement_id: s for s in evaluation.scores.all()}
    standards = {s.code: swedish_title(s.title) for s in evaluation.definition.standards.all()}
    groups: dict[str, dict] = {}
    for statement in evaluation.statements():
        group = groups.setdefault(
            statement.standard_code,
            {
                "code": statement.standard_code,
                "title": standards.get(statement.standard_code, ""),
                "rows": [],
            },
        )
        group["rows"].append({"statement": statement, "score": scores.get(statement.pk)})
    return list(groups.values())


def _parse_answer(post, statement_pk: int) -> tuple[int | None, str, str | None]:
    raw = post.get(f"score-{statement_pk}", "").strip()
    comment = post.get(f"comment-{statement_pk}", "").strip()
    if raw == "":
        return None, comment, None
    if not raw.isdigit() or not 1 <= int(raw) <= 10:
        return (
            None,
            comment,
            _("Skattningen ska vara ett heltal från 1 till 10, fick ”%(v)s”.") % {"v": raw},
        )
    return int(raw), comment, None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_fill(request, pk: int):
    membership = require_membership(request.user)
    evaluation = get_evaluation_for_user(request.user, pk)
    editable = membership.role in EVALUATORS and evaluation.status == Evaluation.Status.DRAFT
    errors = {}
    if request.method == "POST":
        if not editable:
            raise Http404(_("Utvärderingen kan inte ändras."))
        answers = {}
        for statement in evaluation.statements():
            score, comment, error = _parse_answer(request.POST, statement.pk)
            if error:
                errors[statement.pk] = error
            answers[statement] = (score, comment)
        if not errors:
            # All answers or none: a refused form must not leave half of it saved.
            with set_actor(request.user), transaction.atomic():
                for statement, (score, comment) in answers.items():
                    Score.objects.update_or_create(
                        evaluation=evaluation,
                        statement=statement,
                        defaults={"score": score, "comment": comment},
                    )
                if "finish" in request.POST:
                    evaluation.status = Evaluation.Status.FINISHED
                    evaluation.finished_at = timezone.now()
                    evaluation.save()
            if "finish" in request.POST:
                messages.success(request, _("Utvärderingen är slutförd."))
                return redirect("evaluation_profile", pk=evaluation.pk)
            messages.success(request, _("Svaren är sparade. Du kan fortsätta senare."))
            return redirect("evaluation_fill", pk=evaluation.pk)
    groups = _rows(evaluation)
    answered = evaluation.scores.filter(score__isnull=False).count()
    return TemplateResponse(
        request,
        "selfevaluation/fill.html",
        {
            "evaluation": evaluation,
            "groups": groups,
            "editable": editable,
            "errors": errors,
            "answered": answered,
            "total": evaluation.statements().count(),
            "choices": range(1, 11),
        },
    )


@login_required
@require_POST
def evaluation_answer(request, pk: int, statement_pk: int):
    """Save one answer (htmx, on change): the form saves as it goes."""
    require_membership(request.user, allowed=EVALUATORS)
    evaluation = get_evaluation_for_user(request.user, pk)
    if evaluation.status != Evaluation.Status.DRAFT:
        raise Http404(_("Utvärderingen är slutförd."))
    statement = get_object_or_404(evaluation.statements(), pk=statement_pk)
    score, comment, error = _parse_answer(request.POST, statement.pk)
    if not error:
        with set_actor(request.user):
            Score.objects.update_or_create(
                evaluation=evaluation,
                statement=statement,
                defaults={"score": score, "comment": comment},
            )
    return TemplateResponse(
        request,
        "selfevaluation/fill.html#saved",
        {"error": error, "saved_at": timezone.localtime()},
    )


@login_required
@require_GET
def evaluation_profile(request, pk: int):
    membership = require_membership(request.user)
    evaluation = get_evaluation_for_user(request.user, pk)
    core = evaluation.definition.as_core()
    short = evaluation.version == Evaluation.Version.SHORT
    current = profile(core, evaluation.score_map(), short=short)
    previous_evaluation = Evaluation.objects.filter(
        region=evaluation.region,
        definition=evaluation.definition,
        version=evaluation.version,
        status=Evaluation.Status.FINISHED,
        started_at__lt=evaluation.started_at,
    ).first()
    previous = (
        profile(core, previous_evaluation.score_map(), short=short) if previous_evaluation else None
    )
    network = []
    if membership.role in NETWORK_READERS:
        others = (
            Evaluation.objects.filter(
                definition=evaluation.definition,
                version=evaluation.version,
                status=Evaluation.Status.FINISHED,
                shared=True,
            )
            .exclude(region=evaluation.region)
            .select_related("region")
            .order_by("region__name", "-finished_at")
        )
        latest = {}
        for other in others:
            latest.setdefault(other.region_id, other)
        network = [
            {
                "region": other.region,
                "finished_at": other.finished_at,
                "profile": profile(core, other.score_map(), short=short),
            }
            for other in latest.values()
        ]
    return TemplateResponse(
        request,
        "selfevaluation/profile.html",
        {
            "evaluation": evaluation,
            "profile": current,
            "previous": previous,
            "previous_evaluation": previous_evaluation,
            "standard_svg": profile_svg(
                current.by_standard,
                title=_("Profil per standard"),
                previous=previous.by_standard if previous else None,
            ),
            "perspective_svg": profile_svg(
                current.by_perspective,
                title=_("Profil per perspektiv"),
                previous=previous.by_perspective if previous else None,
            ),
            "weakest": weakest_statements(core, evaluation.score_map(), short=short),
            "network": network,
            "can_share": membership.role in EVALUATORS,
            "is_network_reader": membership.role in NETWORK_READERS,
        },
    )


@login_required
@require_POST
def evaluation_share(request, pk: int):
    require_membership(request.user, allowed=EVALUATORS)
    evaluation = get_evaluation_for_user(request.user, pk)
    evaluation.shared = request.POST.get("shared") == "1"
    with set_actor(request.user):
        evaluation.save(update_fields=["shared"])
    messages.success(
        request,
        _("Profilen delas med nätverket.")
        if evaluation.shared
        else _("Profilen delas inte längre med nätverket."),
    )
    return redirect("evaluation_profile", pk=evaluation.pk)
