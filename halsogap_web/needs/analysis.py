"""Turning a saved needs analysis into the document's content, with the core doing the maths."""

from __future__ import annotations

import math
from functools import cache

import polars as pl
from django.conf import settings
from django.utils import timezone

from halsogap.charts import line_chart_svg
from halsogap.maps import choropleth_svg
from halsogap.needs import NeedsData, NeedsInputError, gap_trend, indicator_gaps, optimal_state
from halsogap.needs.groups import areas_for_group, group_history, group_total
from halsogap.numbers import format_number
from halsogap.reports.needs_analysis import (
    GapRow,
    NeedGroupSection,
    NeedItem,
    NeedsAnalysisContent,
)

from .models import AnalysisIndicator, NeedGroup, NeedsAnalysis


class _Empty(Exception):
    """The group has no areas: nothing to compute, and the row says so."""


SEX_TEXT = {"T": "Alla", "K": "Kvinnor", "M": "Män"}
OPTIMAL_METHODS = {
    "best_region": "best_region",
    "best_decile": "best_decile",
    "best_sex": "best_subgroup",
}


@cache
def _kommun_features() -> list[dict]:
    import json

    path = settings.HALSOGAP_DATA_DIR / "geo" / "kommuner.geojson"
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def group_areas(group: NeedGroup, data: NeedsData) -> list[str]:
    region = group.region.area.code
    background = None
    polarity = "none"
    if group.area_rule == NeedGroup.AreaRule.QUINTILE and group.background_indicator:
        code = group.background_indicator.code
        part = data.values.filter((pl.col("kpi") == code) & (pl.col("sex") == "T"))
        if part.height:
            latest = part["year"].max()
            background = part.filter(pl.col("year") == latest).select("area", "value")
        polarity = group.background_indicator.polarity
    return areas_for_group(
        group.area_rule,
        region=region,
        areas=data.areas,
        chosen=group.area_codes,
        background=background,
        quintile=group.quintile,
        polarity=polarity,
    )


def _gap_row(name: str, row: dict) -> GapRow:
    notes = [row.get(k) for k in ("reason", "persons_reason") if row.get(k)]
    return GapRow(
        area=name,
        current=row.get("current"),
        desired=row.get("desired"),
        gap_to_close=row.get("gap_to_close"),
        persons=row.get("persons"),
        status=row.get("status"),
        distinguishable=row.get("distinguishable"),
        note="; ".join(dict.fromkeys(notes)) or None,
    )


def item_content(
    item: AnalysisIndicator, group: NeedGroup, data: NeedsData, inequity: dict
) -> NeedItem:
    indicator = item.indicator
    target = item.target()
    polarity = indicator.polarity
    rii = inequity.get(indicator.code)
    facts = {
        "indicator_code": indicator.code,
        "indicator_title": indicator.title,
        "unit": indicator.unit,
        "source": indicator.source_line,
        "target_text": target.describe(indicator.unit),
        "target_set_by": target.set_by,
        "target_set_on": target.set_on,
        "target_rationale": target.rationale,
        "severity": item.severity,
        "equity_text": f"RII {format_number(math.exp(rii), decimals=2)} mellan regionens "
        "kommuner i utbildningskvintiler (N01982)"
        if rii is not None
        else None,
        "quality_note": item.quality_note or indicator.quality_notes,
        "decimals": indicator.decimals,
        "map_source": "kommungränser: Open Knowledge Sweden (Valmyndighetens data)",
    }
    empty = {
        "year": None,
        "optimal_text": None,
        "total": None,
        "trend_text": None,
        "chart_svg": None,
        "map_svg": None,
    }
    try:
        areas = group_areas(group, data)
        if not areas:
            raise NeedsInputError("behovsgruppen omfattar inga områden i regionen")
        gaps = indicator_gaps(
            data, indicator=indicator.code, target=target, areas=areas, sex=group.sex
        )
    except NeedsInputError as error:
        note = GapRow(
            area=group.name,
            current=None,
            desired=None,
            gap_to_close=None,
            persons=None,
            status=None,
            distinguishable=None,
            note=str(error),
        )
        return NeedItem(**facts, **empty, rows=[note])

    year = int(gaps["year"][0]) if gaps.height else None
    if "warning" in gaps.columns:
        warnings = [w for w in gaps["warning"].drop_nulls().unique(maintain_order=True) if w]
        if warnings:
            facts["target_text"] += " – varning: " + " ".join(warnings)
    rows = [_gap_row(r.get("name") or r["area"], r) for r in gaps.iter_rows(named=True)]
    total = None
    if len(areas) > 1:
        summary = group_total(gaps)
        total = GapRow(
            area=f"{group.name} (totalt)",
            current=summary["current"],
            desired=summary["desired"],
            gap_to_close=summary["gap_to_close"],
            persons=summary["persons"],
            status=None,
            distinguishable=None,
            note=summary["note"],
        )
    history = data.values.filter((pl.col("kpi") == indicator.code) & (pl.col("sex") == group.sex))
    series = group_history(
        history, areas=areas, population=gaps.select("area", "population").drop_nulls()
    )
    desired = gaps["desired"].drop_nulls()
    goal = float(desired.mean()) if desired.len() else None
    trend_text = None
    if series.height and goal is not None:
        trend = gap_trend(
            series.with_columns(pl.lit("grupp").alias("area")), desired=goal, polarity=polarity
        ).row(0, named=True)
        trend_text = _trend_text(trend, indicator.unit)
    method = OPTIMAL_METHODS[item.analysis.optimal_method]
    pool = (
        history
        if method != "best_subgroup"
        else data.values.filter((pl.col("kpi") == indicator.code) & (pl.col("area") == areas[0]))
    )
    optimal = optimal_state(
        pool, method=method, polarity=polarity, unit=indicator.unit, names=data.names
    )
    riket = history.filter(pl.col("area") == "00").sort("year")
    chart_series = {
        "Riket": [(str(y), v) for y, v in riket.select("year", "value").rows()],
        group.name: [(str(y), v) for y, v in series.rows()],
    }
    if goal is not None:
        years = [p for p, _ in chart_series[group.name] or chart_series["Riket"]]
        chart_series["Mål"] = [(p, goal) for p in years]
    latest = history.filter(pl.col("year") == year) if year else history.clear()
    region_code = group.region.area.code
    return NeedItem(
        **facts,
        year=year,
        optimal_text=optimal["description"][0] if optimal.height else None,
        rows=rows,
        total=total,
        trend_text=trend_text,
        chart_svg=line_chart_svg(
            chart_series, title=f"{indicator.title}: {group.name}", unit=indicator.unit
        ),
        map_svg=choropleth_svg(
            [f for f in _kommun_features() if f["properties"]["code"][:2] == region_code],
            dict(latest.select("area", "value").rows()),
            title=f"{indicator.title}, {year}: kommunerna i {group.region}",
            unit="%" if indicator.unit == "procent" else indicator.unit,
        ),
    )


def _trend_text(trend: dict, unit: str) -> str:
    status = trend.get("status") or ""
    pace = trend.get("pace_per_year")
    text = status
    if pace is not None and not math.isnan(pace):
        step = "procentenheter" if unit == "procent" else unit
        text += f"; {format_number(abs(pace))} {step} per år"
    if trend.get("closes_year"):
        text += f"; sluts år {trend['closes_year']} i den takten"
    return text


def analysis_content(
    analysis: NeedsAnalysis, data: NeedsData, ranking: pl.DataFrame
) -> NeedsAnalysisContent:
    inequity = (
        dict(ranking.select("need", "inequity").drop_nulls().rows()) if ranking.height else {}
    )
    items = list(analysis.items.select_related("indicator", "target_set_by"))
    groups = []
    for group in analysis.need_groups.select_related("region__area", "background_indicator"):
        try:
            areas = group_areas(group, data)
            area_text = f"{group.get_area_rule_display()} ({len(areas)})"
        except NeedsInputError as error:
            area_text = str(error)
        groups.append(
            NeedGroupSection(
                name=group.name,
                description=group.description,
                area_text=area_text,
                sex_text=SEX_TEXT[group.sex],
                age_band=group.age_band,
                condition=group.condition,
                items=[item_content(item, group, data, inequity) for item in items],
            )
        )
    return NeedsAnalysisContent(
        title=analysis.title,
        region=str(analysis.region),
        year=analysis.year,
        introduction=analysis.introduction,
        dialogue_notes=analysis.dialogue_notes,
        groups=groups,
        ranking=[
            {
                "rank": r["rank"],
                "title": r["title"],
                "score": r["score"],
                "main_criterion": r["main_criterion"],
                "gap_persons": r["gap_persons"],
            }
            for r in ranking.iter_rows(named=True)
        ],
        comments=[
            (
                c.author.get_full_name() if c.author else "–",
                f"{timezone.localtime(c.created_at):%Y-%m-%d}",
                c.text,
            )
            for c in analysis.comments.select_related("author")
        ],
        generated_on=f"{timezone.localdate():%Y-%m-%d}",
    )
