"""The demo's årshjul, self-evaluations, action plan and good examples shared between regions."""

from __future__ import annotations

import calendar
from datetime import date

from django.urls import reverse
from django.utils import timezone

from halsogap_web.cycles.models import ArtefactLink, Cycle
from halsogap_web.network.models import ActionPlan, GoodExample, PlanActivity
from halsogap_web.selfevaluation.demo import ensure_default_definition
from halsogap_web.selfevaluation.models import Evaluation, Score

from .steering import once


def _shift(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, 1)


def wheel(region, *, by, today: date, artefacts: dict[str, str]):
    """This year's wheel with the steps before today done, the current one ongoing.

    The steps are dated from today backwards and forwards (five before, one now, the rest
    after), so the demo always shows a year in progress whatever day it is loaded.
    """

    def make():
        cycle = Cycle.start(region, today.year, user=by)
        for step in cycle.steps.order_by("position"):
            start = _shift(today, step.position - 6)
            end = date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
            step.start_date, step.due_date = start, end
            if end < today:
                step.status, step.note = "done", "Klart (demo)."
            elif start <= today:
                step.status, step.note = "in_progress", "Pågår (demo)."
            step.save()
            url = artefacts.get(step.artefact_kind)
            if url and step.status == "done":
                ArtefactLink.objects.create(
                    step=step, kind=step.artefact_kind, title="Demo", url=url, created_by=by
                )
        return cycle

    return once(f"wheel:{region.pk}:{today.year}", make)


def evaluation(region, key: str, *, by, scores: dict[str, int], shared: bool):
    """A finished short self-evaluation with the given scores per statement code prefix."""

    def make():
        definition = ensure_default_definition()
        item = Evaluation.objects.create(
            region=region,
            definition=definition,
            version=Evaluation.Version.SHORT,
            started_by=by,
            shared=shared,
        )
        for position, statement in enumerate(item.statements()):
            score = scores.get(statement.perspective, 6) + (position % 3) - 1
            Score.objects.create(
                evaluation=item,
                statement=statement,
                score=max(1, min(10, score)),
                comment="Demo." if position == 0 else "",
            )
        item.status, item.finished_at = Evaluation.Status.FINISHED, timezone.now()
        item.save(update_fields=["status", "finished_at"])
        return item

    return once(key, make)


def action_plan(evaluation_, key: str, *, by, year: int):
    def make():
        plan = ActionPlan.draft_from(evaluation_, year=year, user=by)
        for i, activity in enumerate(PlanActivity.objects.filter(focus_area__plan=plan)):
            activity.responsible = "HFS-processledare (demo)"
            activity.time_plan = f"Q{i % 4 + 1} {year}"
            activity.status = ["done", "in_progress", "planned"][i % 3]
            activity.save()
        return plan

    return once(key, make)


def example(region, key: str, fields: dict, *, by, activity=None):
    return once(
        key,
        lambda: GoodExample.objects.create(
            region=region, shared_by=by, source_activity=activity, **fields
        ),
    )


def artefact_urls(analysis, decision) -> dict[str, str]:
    return {
        "needs_analysis": reverse("analysis_detail", args=[analysis.pk]),
        "priority_decision": reverse("decision_detail", args=[decision.pk]),
        "assignment": reverse("assignment_index"),
        "annual_report": reverse("annual_report", args=["pdf"]),
        "operational_plan": reverse("plan_proposal", args=[analysis.year]),
    }
