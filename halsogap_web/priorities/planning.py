"""From a region's assessments to the frames the priority core works on."""

from __future__ import annotations

import polars as pl

from halsogap.needs import NeedsInputError, Target, indicator_gaps, needs_analysis
from halsogap.needs.groups import group_total
from halsogap.priorities import allocate, marginal_analysis, rank_horizontal
from halsogap_web.needs.analysis import group_areas
from halsogap_web.needs.data import needs_data_for_user

from .models import Assessment


def needs_frame(user, region) -> pl.DataFrame:
    """One row per need (need group × indicator) with the criteria of horizontal ranking.

    Need size is the group's gap in persons to "as good as the best region"; cost-effectiveness
    and evidence come from the best assessed measure for that need.
    """
    assessments = list(
        Assessment.objects.filter(region=region).select_related(
            "need_group__region__area", "indicator", "measure", "need_group__background_indicator"
        )
    )
    if not assessments:
        return pl.DataFrame()
    data = needs_data_for_user(user, region=region)
    ranking, _ = needs_analysis(data, regions=[region.area.code])
    inequity = dict(ranking.select("need", "inequity").drop_nulls().rows())
    rows: dict[tuple, dict] = {}
    order = {"låg": 0, "måttlig": 1, "hög": 2, "mycket hög": 3}
    evidence_order = {"hög": 0, "måttlig": 1, "låg": 2, "mycket låg": 3}
    for a in assessments:
        key = (a.need_group_id, a.indicator.code)
        if key not in rows:
            persons = None
            try:
                gaps = indicator_gaps(
                    data,
                    indicator=a.indicator.code,
                    target=Target.best(1),
                    areas=group_areas(a.need_group, data),
                    sex=a.need_group.sex,
                )
                total = group_total(gaps) if gaps.height > 1 else None
                persons = (
                    total["persons"] if total else (gaps["persons"][0] if gaps.height else None)
                )
                if gaps.height and (gaps["gap_to_close"].drop_nulls() <= 0).all():
                    persons = 0.0
            except NeedsInputError:
                # A need without data still ranks on its other criteria.
                persons = None
            rows[key] = {
                "need": f"{a.need_group.name}: {a.indicator.title}",
                "need_group": a.need_group.name,
                "indicator": a.indicator.code,
                "gap_persons": persons,
                "severity": a.severity,
                "inequity": inequity.get(a.indicator.code),
                "cost_band": a.cost_band or None,
                "evidence": a.evidence,
            }
        row = rows[key]
        # The best measure for a need decides how cost-effective and well-founded acting is.
        if a.cost_band and (
            row["cost_band"] is None or order[a.cost_band] < order[row["cost_band"]]
        ):
            row["cost_band"] = a.cost_band
        if evidence_order[a.evidence] < evidence_order[row["evidence"]]:
            row["evidence"] = a.evidence
    return pl.DataFrame(
        list(rows.values()),
        schema={
            "need": pl.Utf8,
            "need_group": pl.Utf8,
            "indicator": pl.Utf8,
            "gap_persons": pl.Float64,
            "severity": pl.Utf8,
            "inequity": pl.Float64,
            "cost_band": pl.Utf8,
            "evidence": pl.Utf8,
        },
    )


def options_frame(region) -> pl.DataFrame:
    """One allocation option per assessment: its measure's cost and effect, its rank."""
    rows = []
    for a in Assessment.objects.filter(region=region).select_related(
        "measure__based_on", "need_group"
    ):
        m = a.measure
        # A measure with only a one-off or only a yearly cost has zero of the other kind; with
        # neither, the cost stays unknown and the core excludes the option with a reason.
        known = m.cost_one_off is not None or m.cost_yearly is not None
        rows.append(
            {
                "option": str(a.pk),
                "measure": m.code,
                "title": m.title,
                "need_group": a.need_group.name,
                "rank": str(a.rank),
                "perspective": m.perspective,
                "variant": (m.based_on.code if m.based_on else m.code),
                "cost_one_off": (m.cost_one_off or 0.0) if known else None,
                "cost_yearly": (m.cost_yearly or 0.0) if known else None,
                "reach": m.reach,
                "effect_per_person": m.effect_per_person,
                "uptake": m.uptake,
            }
        )
    schema = {
        "option": pl.Utf8,
        "measure": pl.Utf8,
        "title": pl.Utf8,
        "need_group": pl.Utf8,
        "rank": pl.Utf8,
        "perspective": pl.Utf8,
        "variant": pl.Utf8,
        "cost_one_off": pl.Float64,
        "cost_yearly": pl.Float64,
        "reach": pl.Float64,
        "effect_per_person": pl.Float64,
        "uptake": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def horizontal(user, region, weights):
    needs = needs_frame(user, region)
    if needs.height == 0:
        return needs
    return rank_horizontal(needs, weights=weights)


def run_allocation(user, region, *, budget: float, solidarity: float, weights, min_share):
    options = options_frame(region)
    ranked = horizontal(user, region, weights)
    need_scores = (
        dict(ranked.group_by("need_group").agg(pl.col("score").max()).rows())
        if ranked.height
        else None
    )
    constraints = {
        "need_scores": need_scores,
        "solidarity": solidarity,
        "min_share": min_share or None,
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
