"""The demo's steering year: need groups, a needs analysis with the politicians' targets,
measures and assessments, a priority decision with its allocation, and assignments at every
step with the providers' reports.

Everything is made through the forms and model methods users go through, so the demo obeys
the same rules as real work, and each object is recorded in :class:`DemoRecord` under a stable
key, so a second load finds it instead of making another.
"""

from __future__ import annotations

from datetime import date

from auditlog.context import set_actor
from django.contrib.auth import get_user_model

from halsogap_web.accounts.access import get_membership_for_user
from halsogap_web.accounts.models import Organisation
from halsogap_web.assignments.follow_up import fill_baseline_from_data
from halsogap_web.assignments.forms import (
    AssignmentForm,
    GoalForm,
    PlanIndicatorForm,
    RecipientForm,
)
from halsogap_web.assignments.models import Assignment, Step, Waiver
from halsogap_web.assignments.reporting import store_reports
from halsogap_web.governance.forms import GoverningDocumentForm
from halsogap_web.needs.dialogue_forms import DialogueForm
from halsogap_web.needs.forms import ItemForm, NeedGroupForm, NeedsAnalysisForm
from halsogap_web.needs.models import AnalysisComment, NeedComment, NeedGroup
from halsogap_web.observations.access import get_indicators_for_region_member
from halsogap_web.observations.forms import IndicatorForm
from halsogap_web.observations.models import Indicator
from halsogap_web.priorities.forms import AssessmentForm, DecisionForm, MeasureForm
from halsogap_web.priorities.models import Measure
from halsogap_web.priorities.planning import run_allocation

from .models import DemoRecord

DEMO_NOTE = "Demoantagande: uppskattning för att visa Hälsogap, inte en källa."


class DemoError(Exception):
    """A demo object failed the validation users go through: the demo is out of date."""


def user(username: str):
    return get_user_model().objects.get(username=username)


def valid(form, what: str):
    if not form.is_valid():
        raise DemoError(f"Demo: {what} godtogs inte: {form.errors.as_text()}")
    return form


def once(key: str, make):
    """The demo object under ``key``, made by ``make()`` the first time only."""
    found = DemoRecord.find(key)
    if found is not None:
        return found
    obj = make()
    DemoRecord.mark(key, obj)
    return obj


# --- Needs ----------------------------------------------------------------------------------


def need_group(region, key: str, data: dict, *, by):
    def make():
        form = valid(NeedGroupForm(data, region=region), f"behovsgruppen {data['name']}")
        group = form.save(commit=False)
        group.region, group.created_by = region, by
        group.save()
        return group

    return once(key, make)


def analysis(region, key: str, data: dict, *, by):
    def make():
        form = valid(NeedsAnalysisForm(data), f"behovsanalysen {data['title']}")
        item = form.save(commit=False)
        item.region, item.created_by = region, by
        item.save()
        return item

    return once(key, make)


def need(analysis_, key: str, code: str, target: dict, *, by, approves: bool):
    """A need with its target: a politician's target is decided, an analyst's proposed."""

    def make():
        indicators = Indicator.objects.filter(code=code)
        data = {"indicator": indicators.get().pk, **target}
        form = valid(ItemForm(data, indicators=indicators), f"behovet {code}")
        item = form.save(commit=False)
        item.analysis = analysis_
        item.set_target(user=by, approves=approves)
        return item

    return once(key, make)


def _saved(form, what: str, *, region, by):
    """The region's object from a valid form, with its links, as a user's save makes it."""
    item = valid(form, what).save(commit=False)
    item.region, item.created_by = region, by
    item.save()
    form.save_m2m()
    return item


def dialogue(region, key: str, data: dict, *, by):
    """A dialogue with the population, through the form an analyst fills in."""
    form = DialogueForm(data, user=by)
    return once(key, lambda: _saved(form, f"dialogen {data['title']}", region=region, by=by))


def governing_document(region, key: str, data: dict, *, by):
    """A governing document and the assignments it carries, through the analyst's form."""
    form = GoverningDocumentForm(data, user=by)
    what = f"styrdokumentet {data['title']}"
    return once(key, lambda: _saved(form, what, region=region, by=by))


# --- Priorities -----------------------------------------------------------------------------


def measure(region, key: str, based_on: str, data: dict, *, by):
    """A region's copy of a catalogue measure with its costs and effects."""

    def make():
        base = Measure.objects.get(region=None, code=based_on)
        fields = {f: getattr(base, f) for f in MeasureForm.Meta.fields}
        fields = {k: ("" if v is None else v) for k, v in fields.items()}
        fields["effect_indicator"] = ""
        indicators = get_indicators_for_region_member(region)
        form = valid(
            MeasureForm({**fields, **data}, indicators=indicators), f"åtgärden {data.get('code')}"
        )
        item = form.save(commit=False)
        item.region, item.based_on = region, base
        item.save()
        return item

    return once(key, make)


def assessment(region, key: str, data: dict, *, by):
    def make():
        form = AssessmentForm(
            data,
            need_groups=NeedGroup.objects.filter(region=region),
            indicators=Indicator.objects.all(),
            measures=Measure.objects.filter(region=region),
        )
        valid(form, f"bedömningen {key}")
        return form.save(commit=False).assess(region=region, user=by)

    return once(key, make)


def decision(region, key: str, *, by, budget: float, weights: dict, data: dict):
    """The priority decision on the allocation the politicians ran with their weights."""

    def make():
        _options, result, _marginal, ranked = run_allocation(
            by, region, budget=budget, solidarity=0.5, weights=weights, min_share={}
        )
        if result is None or result.status != "optimal":
            raise DemoError(f"Demo: ingen lösbar fördelning för {region}")
        form = valid(DecisionForm(data), "prioriteringsbeslutet")
        return form.save(commit=False).record(
            region=region,
            user=by,
            budget=budget,
            weights=weights,
            ranked=ranked.to_dicts() if ranked.height else [],
            funded=result.funded.to_dicts(),
        )

    return once(key, make)


# --- Assignments ----------------------------------------------------------------------------


def assignment(region, key: str, spec: dict, *, by):
    """An assignment with recipients, goals and follow-up plan, brought to ``spec['step']``."""

    def make():
        group = spec.get("group")
        form = valid(
            AssignmentForm(
                {**spec["fields"], "need_group": group.pk if group else ""},
                need_groups=NeedGroup.objects.filter(region=region),
            ),
            f"uppdraget {spec['fields']['title']}",
        )
        item = form.save(commit=False)
        item.region, item.issuer, item.created_by = region, region, by
        item.save()
        item.needs.set(spec.get("needs", []))
        item.measures.set(spec.get("measures", []))
        item.priority_decision = spec.get("decision")
        item.save(update_fields=["priority_decision"])
        organisations = Organisation.objects.filter(pk=region.pk) | region.units.all()
        for name, responsibility in spec.get("recipients", []):
            recipient = valid(
                RecipientForm(
                    {
                        "organisation": Organisation.objects.get(name=name).pk,
                        "responsibility": responsibility,
                    },
                    organisations=organisations,
                ),
                f"mottagaren {name}",
            ).save(commit=False)
            recipient.assignment = item
            recipient.save()
        goals = {}
        for kind, text in spec.get("goals", []):
            goal = valid(GoalForm({"kind": kind, "text": text}), "målet").save(commit=False)
            goal.assignment = item
            goal.save()
            goals[kind] = goal
        for line in spec.get("plan", []):
            data = {**line, "goal": goals[line["goal"]].pk}
            data["indicator"] = Indicator.objects.get(code=line["indicator"]).pk
            data["reporter"] = Organisation.objects.get(name=line["reporter"]).pk
            plan = valid(
                PlanIndicatorForm(
                    data,
                    goals=item.goals.all(),
                    indicators=Indicator.objects.all(),
                    organisations=organisations,
                ),
                f"uppföljningsplanen för {line['indicator']}",
            ).save(commit=False)
            plan.assignment = item
            if plan.baseline is None:
                fill_baseline_from_data(plan, item)
            plan.save()
        for gap_key, reason in spec.get("waivers", []):
            Waiver.objects.create(assignment=item, key=gap_key, reason=reason, waived_by=by)
        item.record_version(by)
        _advance(item, spec)
        return item

    return once(key, make)


ORDER = [s.value for s in Step]


def _advance(item: Assignment, spec: dict) -> None:
    target = spec.get("step", Step.DRAFT)
    while ORDER.index(item.step) < ORDER.index(target) and item.step != Step.FOLLOW_UP:
        actor = spec["actors"][item.next_step]
        membership = get_membership_for_user(actor)
        decision = spec.get("decided") if item.next_step == Step.DECISION else None
        acceptance = spec.get("acceptance", "") if item.next_step == Step.ACCEPTANCE else ""
        item.advance(membership, user=actor, decision=decision, acceptance=acceptance)
    for plan_code, rows in spec.get("reports", {}).items():
        plan = item.plan_indicators.get(indicator__code=plan_code)
        store_reports(
            item,
            [(plan, period, value, comment) for period, value, comment in rows],
            user=spec["actors"]["report"],
        )


def activity_indicator(region, key: str, data: dict):
    def make():
        form = valid(IndicatorForm(data), f"indikatorn {data['code']}")
        indicator = form.save(commit=False)
        indicator.organisation = region
        indicator.save()
        return indicator

    return once(key, make)


def comment(analysis_, key: str, text: str, *, by):
    return once(
        key, lambda: AnalysisComment.objects.create(analysis=analysis_, author=by, text=text)
    )


def need_comment(need_, key: str, step: int, text: str, *, by):
    return once(
        key, lambda: NeedComment.objects.create(need=need_, author=by, step=step, text=text)
    )


def actor_context(username: str):
    return set_actor(user(username))


def decided(on: date, body: str, paragraph: str, reference: str, by: str) -> dict:
    return {
        "decision_body": body,
        "decided_on": on,
        "decided_by": by,
        "decision_paragraph": paragraph,
        "decision_reference": reference,
    }
