"""One need's trace read from the database and the evidence reader, composed by the core."""

from __future__ import annotations

import polars as pl
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from halsogap.assignments.follow_up import need_background
from halsogap.needs import NeedsInputError
from halsogap.needs.content import optimal_for
from halsogap.needs.groups import areas_of_group, group_gap
from halsogap.needs.specs import NeedGroupSpec
from halsogap.trace import TraceAssignment, TraceContent, compose_trace, process_steps
from halsogap_web import evidence
from halsogap_web.audit.stamps import steering_stamp

from .models import AnalysisIndicator, NeedGroup, TargetStatus


def groups_of(need: AnalysisIndicator) -> list[NeedGroup]:
    """The need groups the need is traced for: the analysis's groups and the assignments'."""
    from halsogap_web.assignments.models import Assignment

    groups = list(need.analysis.need_groups.select_related("region__area", "background_indicator"))
    extra = NeedGroup.objects.filter(
        pk__in=Assignment.objects.filter(needs=need).values("need_group")
    ).exclude(pk__in=[g.pk for g in groups])
    return groups + list(extra)


def default_group(need: AnalysisIndicator, groups: list[NeedGroup], user) -> NeedGroup | None:
    """The group a trace opens on: the one an assignment the user sees answers, else the first."""
    from halsogap_web.assignments.access import get_assignments_for_user

    answered = set(
        get_assignments_for_user(user).filter(needs=need).values_list("need_group", flat=True)
    )
    return next((g for g in groups if g.pk in answered), groups[0] if groups else None)


def need_lines(analysis, user) -> list[tuple[AnalysisIndicator, NeedGroup | None, object]]:
    """Each need of ``analysis`` with its trace's one-line summary, for the region overview.

    Composing a trace costs some 40 ms, and the overview is the page an analyst opens most:
    each line is kept until the data, the steering record, or the reports on that need's
    assignments change, or the day turns, for everyone who sees the same indicators and
    assignments.
    """
    from halsogap_web.assignments.models import ActivityReport

    needs = list(analysis.items.select_related("indicator", "analysis__region__area"))
    # Providers report all year long; a report changes the line of its own need only.
    stamp = (steering_stamp(besides=[ActivityReport]), timezone.localdate(), get_language())
    reports = evidence.report_stamps(needs)
    scope = _reader_scope(user, analysis.region)
    lines = []
    for need in needs:

        def build(need=need):
            group = default_group(need, groups_of(need), user)
            return group, trace_content(need, group, user).line

        group, line = evidence.per_stamp(
            ("need_line", need.pk, scope), (stamp, reports.get(need.pk)), build
        )
        lines.append((need, group, line))
    return lines


def _reader_scope(user, region) -> tuple:
    """What a trace depends on about its reader: the indicators and assignments they see."""
    from halsogap_web.accounts.access import require_membership
    from halsogap_web.accounts.models import Role

    membership = require_membership(user)
    unit = membership.organisation_id if membership.role == Role.UTFORARE else None
    return membership.region.pk, unit, tuple(evidence.visible_codes(user, region=region))


def _assignments(need: AnalysisIndicator, group: NeedGroup, user):
    from halsogap_web.assignments.access import get_assignments_for_user

    return list(
        get_assignments_for_user(user)
        .filter(needs=need)
        .filter(need_group__in=[group.pk, None])
        .prefetch_related("recipients__organisation", "plan_indicators__indicator")
    )


def _group_spec(group: NeedGroup | None, need: AnalysisIndicator) -> NeedGroupSpec:
    if group is not None:
        return group.to_spec()
    region = need.analysis.region
    return NeedGroupSpec(
        "region", str(region), region=region.area.code, region_name=str(region), area_rule="region"
    )


def trace_content(need: AnalysisIndicator, group: NeedGroup | None, user) -> TraceContent:
    """The trace of ``need`` for ``group`` as ``user`` may see it."""
    from halsogap_web.assignments.follow_up import plan_results
    from halsogap_web.priorities.models import PriorityDecision

    region = need.analysis.region
    data = evidence.needs_data(user, region=region)
    spec, need_spec = _group_spec(group, need), need.to_spec()
    background = need_background(data, spec, need_spec, analysis_title=need.analysis.title)
    history: list = []
    optimal: tuple = (None, None)
    try:
        gap = group_gap(data, spec, indicator=need_spec.indicator, target=need_spec.target)
        history = [(str(y), v) for y, v in gap.history.select("year", "value").rows()]
        optimal = optimal_for(
            data, spec, need_spec, need.analysis.optimal_method, areas=areas_of_group(spec, data)
        )
    except NeedsInputError:
        pass  # the background already says why the group's gap cannot be formed
    riket = data.values.filter(
        (pl.col("kpi") == need_spec.indicator) & (pl.col("area") == "00") & (pl.col("sex") == "T")
    ).sort("year")
    decision = PriorityDecision.objects.filter(region=region).order_by("-version").first()
    decision_content = decision.content() if decision else None
    assignments = _assignments(need, group, user) if group else []
    plans = [p for a in assignments for p in a.plan_indicators.all()]
    results = list(plan_results(plans, region, user=user).values()) if plans else []
    dialogue = list(need.dialogue.select_related("author"))
    reported = any(r.latest_value is not None and r.origin for r in results)
    prioritised = decision_content is not None and any(
        r.get("need") == f"{spec.name}: {need_spec.title}" for r in decision_content.ranking
    )
    steps = process_steps(
        has_gap=background.current is not None,
        target_approved=need.target_status == TargetStatus.APPROVED,
        prioritised=prioritised,
        dialogue=len(dialogue),
        assignment_steps=[a.step for a in assignments],
        reported=reported,
        links={
            1: reverse("analysis_detail", args=[need.analysis_id]),
            2: reverse("decision_detail", args=[decision.pk]) if decision else "",
            4: reverse("assignment_detail", args=[assignments[0].pk]) if assignments else "",
            7: reverse("assignment_follow_up", args=[assignments[0].pk]) if assignments else "",
        },
    )
    return compose_trace(
        need=background,
        history=history,
        riket=[(str(y), v) for y, v in riket.select("year", "value").rows()],
        optimal=optimal,
        steps=steps,
        decision=decision_content,
        assignments=[
            TraceAssignment(
                title=a.title,
                step=a.get_step_display(),
                acceptance=(
                    f"{a.get_acceptance_form_display()}, {a.accepted_at:%Y-%m-%d}"
                    if a.accepted_at
                    else "inte accepterat ännu"
                ),
                recipients=", ".join(str(r.organisation) for r in a.recipients.all()) or "–",
                url=reverse("assignment_detail", args=[a.pk]),
                budget=a.budget,
            )
            for a in assignments
        ],
        results=results,
        dialogue=[
            (
                f"{timezone.localtime(c.created_at):%Y-%m-%d}",
                c.author.get_full_name() if c.author else "–",
                c.get_step_display(),
                c.text,
            )
            for c in dialogue
        ],
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
    )
