"""A region's assessments read for the priority core: horizontal ranking and allocation."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from halsogap.needs.equity import inequity
from halsogap.priorities import allocate, marginal_analysis, rank_horizontal
from halsogap.priorities.planning import allocation_options, needs_for_ranking
from halsogap_web import evidence
from halsogap_web.needs.models import AnalysisIndicator

from .models import Assessment


def assessment_specs(region) -> list:
    """The region's assessments, each with the target its need has in the newest analysis."""
    targets = {}
    # Oldest first, so that the newest analysis's target for a group and indicator wins.
    for need in (
        AnalysisIndicator.objects.filter(analysis__region=region)
        .select_related("indicator")
        .prefetch_related("analysis__need_groups")
        .order_by("analysis__year", "analysis__created_at")
    ):
        for group in need.analysis.need_groups.all():
            targets[(group.pk, need.indicator.code)] = need.target()
    return [
        replace(a.to_spec(), target=targets.get((a.need_group_id, a.indicator.code)))
        for a in Assessment.objects.filter(region=region).select_related(
            "need_group__region__area",
            "need_group__background_indicator",
            "indicator",
            "measure__based_on",
        )
    ]


def horizontal(user, region, weights, *, specs=None) -> pl.DataFrame:
    """The region's needs ranked with ``weights`` (empty when nothing is assessed)."""
    specs = assessment_specs(region) if specs is None else specs
    if not specs:
        return pl.DataFrame()
    data = evidence.needs_data(user, region=region)
    ratios = inequity(
        data, indicators=sorted({s.indicator for s in specs}), regions=[region.area.code]
    )
    needs = needs_for_ranking(specs, data, inequity=dict(ratios.select("kpi", "inequity").rows()))
    return rank_horizontal(needs, weights=weights)


def run_allocation(
    user, region, *, budget: float, solidarity: float, weights, min_share, priority_gate="strict"
):
    specs = assessment_specs(region)
    options = allocation_options(specs)
    ranked = horizontal(user, region, weights, specs=specs)
    need_scores = (
        dict(ranked.group_by("need_group").agg(pl.col("score").max()).rows())
        if ranked.height
        else None
    )
    constraints = {
        "need_scores": need_scores,
        "solidarity": solidarity,
        "min_share": min_share or None,
        "priority_gate": priority_gate,
    }
    if options.height == 0:
        return options, None, None, ranked
    result = allocate(options, budget=budget, **constraints)
    marginal = (
        marginal_analysis(options, budget=budget, **constraints)
        if result.status == "optimal"
        else None
    )
    return options, result, marginal, ranked
