"""A member region answers the network's follow-up questions to the year's self-evaluation."""

from __future__ import annotations

from auditlog.context import set_actor
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from halsogap_web.accounts.access import require_membership
from halsogap_web.lib.query import pk_from_query, year_from_query
from halsogap_web.network.access import get_network_for_user
from halsogap_web.network.secretariat_forms import FollowUpAnswerForm

from .access import EVALUATORS
from .models import FollowUpAnswer, FollowUpQuestion


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_answers(request):
    membership = require_membership(request.user, allowed=EVALUATORS)
    region = membership.region
    year = year_from_query(request.GET, timezone.localdate().year)
    asked = FollowUpQuestion.objects.filter(network=get_network_for_user(request.user), year=year)
    questions = list(asked)
    answers = {
        a.question_id: a
        for a in FollowUpAnswer.objects.filter(region=region, question__in=questions)
    }
    posted = None
    if request.method == "POST":
        question = get_object_or_404(asked, pk=pk_from_query(request.POST, "question") or 0)
        posted = FollowUpAnswerForm(request.POST, question=question, prefix=f"q{question.pk}")
        if posted.is_valid():
            with set_actor(request.user):
                FollowUpAnswer.objects.update_or_create(
                    question=question,
                    region=region,
                    defaults={
                        "value": posted.cleaned_data["value"],
                        "comment": posted.cleaned_data["comment"],
                        "answered_by": request.user,
                    },
                )
            messages.success(request, _("Svaret är sparat och lämnat till nätverkets sekretariat."))
            return redirect(f"{request.path}?ar={year}")
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        form = (
            posted
            if posted is not None and posted.question.pk == question.pk
            else FollowUpAnswerForm(
                initial={"value": answer.value, "comment": answer.comment} if answer else None,
                question=question,
                prefix=f"q{question.pk}",
            )
        )
        rows.append({"question": question, "answer": answer, "form": form})
    return TemplateResponse(
        request,
        "selfevaluation/follow_up.html",
        {"year": year, "rows": rows, "region": region},
    )
