"""The needs analysis as one content object, composed once for the page and every document.

:func:`compose_needs_analysis` turns an :class:`~halsogap.needs.specs.AnalysisSpec` and the
engine's data into :class:`~halsogap.reports.needs_analysis.NeedsAnalysisContent`: per need
group and need the gap table with the group's total, whether the gap is closing, the optimal
state, equity, a chart and a map, and the ranking with the analysis's own severities. The web
page, PDF, Word, Excel and the command line render this object and compute nothing themselves,
so a figure cannot differ between them.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap.charts import line_chart_svg
from halsogap.maps import choropleth_svg
from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import NeedsData
from halsogap.needs.dialogues import compose_dialogue
from halsogap.needs.groups import areas_of_group, group_gap
from halsogap.needs.optimal import optimal_state
from halsogap.needs.pipeline import needs_analysis
from halsogap.needs.ranking import rank_needs
from halsogap.needs.specs import AnalysisSpec, NeedGroupSpec, NeedSpec
from halsogap.numbers import format_number, unit_label
from halsogap.reports.needs_analysis import GapRow, NeedGroupSection, NeedItem, NeedsAnalysisContent

OPTIMAL_METHODS = {
    "best_region": "best_region",
    "best_decile": "best_decile",
    "best_sex": "best_subgroup",
}
MAP_SOURCE = "kommungränser: Open Knowledge Sweden (Valmyndighetens data)"
EQUITY_TEXT = "RII {rii} mellan regionens kommuner i utbildningskvintiler (N01982)"


def _gap_row(name: str, row: dict) -> GapRow:
    notes = [row.get(k) for k in ("reason", "persons_reason") if row.get(k)]
    # Persons are those left to reach: none where the area is at or better than its target,
    # as in the group's total and the ranking.
    to_close, persons = row.get("gap_to_close"), row.get("persons")
    if to_close is not None and persons is not None and to_close <= 0:
        persons = 0.0
    return GapRow(
        area=name,
        current=row.get("current"),
        desired=row.get("desired"),
        gap_to_close=to_close,
        persons=persons,
        status=row.get("status"),
        distinguishable=row.get("distinguishable"),
        note="; ".join(dict.fromkeys(notes)) or None,
    )


def _facts(need: NeedSpec, rii: float | None) -> dict:
    target = need.target
    return {
        "indicator_code": need.indicator,
        "indicator_title": need.title,
        "unit": need.unit,
        "source": need.source,
        "target_text": target.describe(need.unit),
        "target_set_by": target.set_by,
        "target_set_on": target.set_on,
        "target_rationale": target.rationale,
        "severity": need.severity or 0,
        "equity_text": EQUITY_TEXT.format(rii=format_number(rii, 2)) if rii is not None else None,
        "quality_note": need.quality_note or None,
        "decimals": need.decimals,
        "map_source": MAP_SOURCE,
        "target_status": need.target_status,
        "target_history": need.target_history,
    }


def need_item(
    data: NeedsData,
    group: NeedGroupSpec,
    need: NeedSpec,
    *,
    optimal_method: str = "best_region",
    rii: float | None = None,
    features: Sequence[dict] = (),
) -> NeedItem:
    """One need of one need group: its gap table, total, closing, optimal state, chart, map."""
    facts = _facts(need, rii)
    try:
        gap = group_gap(
            data,
            group,
            indicator=need.indicator,
            target=need.target,
            unit=need.unit,
            decimals=need.decimals,
        )
    except NeedsInputError as error:
        note = GapRow(group.name, None, None, None, None, None, None, str(error))
        empty = dict.fromkeys(("year", "optimal_text", "total", "trend_text", "chart_svg"))
        return NeedItem(**facts, **empty, map_svg=None, rows=[note])
    if gap.warnings:
        facts["target_text"] += " – varning: " + " ".join(gap.warnings)
    rows = [_gap_row(r.get("name") or r["area"], r) for r in gap.rows.iter_rows(named=True)]
    total = None
    if gap.is_total:
        total = GapRow(
            f"{group.name} (totalt)",
            gap.current,
            gap.desired,
            gap.gap_to_close,
            gap.persons,
            None,
            None,
            gap.note,
        )
    history = data.values.filter((pl.col("kpi") == need.indicator) & (pl.col("sex") == group.sex))
    optimal_text, _value = optimal_for(data, group, need, optimal_method, areas=gap.areas)
    riket = history.filter(pl.col("area") == "00").sort("year")
    series = {
        "Riket": [(str(y), v) for y, v in riket.select("year", "value").rows()],
        group.name: [(str(y), v) for y, v in gap.history.select("year", "value").rows()],
    }
    if gap.desired is not None:
        years = [p for p, _ in series[group.name] or series["Riket"]]
        series["Mål"] = [(p, gap.desired) for p in years]
    latest = history.filter(pl.col("year") == gap.year) if gap.year else history.clear()
    return NeedItem(
        **facts,
        year=gap.year,
        optimal_text=optimal_text,
        rows=rows,
        total=total,
        trend_text=gap.closing.sentence_sv if gap.closing else None,
        chart_svg=line_chart_svg(series, title=f"{need.title}: {group.name}", unit=need.unit),
        map_svg=choropleth_svg(
            [f for f in features if f["properties"]["code"][:2] == group.region],
            dict(latest.select("area", "value").rows()),
            title=f"{need.title}, {gap.year}: kommunerna i {group.region_name}",
            unit=unit_label(need.unit),
        )
        if features
        else None,
    )


def optimal_for(
    data: NeedsData,
    group: NeedGroupSpec,
    need: NeedSpec,
    method: str,
    *,
    areas: Sequence[str],
) -> tuple[str | None, float | None]:
    """The optimal (achievable) state of a need by the analysis's method: text and value."""
    return data.memo(
        ("optimal", group.sex, need.indicator, need.polarity, need.unit, method, tuple(areas[:1])),
        lambda: _optimal(data, group, need, method, areas=areas),
    )


def _optimal(
    data: NeedsData, group: NeedGroupSpec, need: NeedSpec, method: str, *, areas: Sequence[str]
) -> tuple[str | None, float | None]:
    kind = OPTIMAL_METHODS[method]
    values = data.values.filter(pl.col("kpi") == need.indicator)
    pool = (
        values.filter(pl.col("sex") == group.sex)
        if kind != "best_subgroup"
        else values.filter(pl.col("area") == areas[0])
    )
    try:
        optimal = optimal_state(
            pool, method=kind, polarity=need.polarity, unit=need.unit, names=data.names
        )
    except NeedsInputError:
        return None, None
    if optimal.height == 0:
        return None, None
    return optimal["description"][0], optimal["optimal"][0]


def region_ranking(spec: AnalysisSpec, data: NeedsData) -> pl.DataFrame:
    """The region's needs ranked with the analysis's severities (the document's ranking)."""
    ranking, _ = needs_analysis(data, regions=[spec.region], severity=spec.severity)
    return ranking


def analysis_ranking(spec: AnalysisSpec, data: NeedsData, region: pl.DataFrame) -> pl.DataFrame:
    """This analysis's needs ranked on their gaps to the targets the politicians set.

    The gap, persons and relative gap are the region's to each need's own target, so a changed
    target moves the need at once; inequity and trend come from the region's ranking
    (``region``), which do not depend on the target; severity is the analysis's.

    >>> from halsogap.needs.data import load_data
    >>> from halsogap.needs.targets import Target
    >>> smoke = NeedSpec("1", "U01402", "Daglig rökning", "procent", "lower_better", "K",
    ...     Target.absolute(4.0))
    >>> spec = AnalysisSpec("A", "01", "Region Stockholm", 2027, needs=(smoke,))
    >>> r = analysis_ranking(spec, load_data(), pl.DataFrame())
    >>> r.select("need", "rank", "desired").rows()
    [('U01402', 1, 4.0)]
    """
    whole = NeedGroupSpec("region", spec.region_name, region=spec.region, area_rule="region")
    other = {}
    if region.height:
        other = {r["need"]: r for r in region.iter_rows(named=True)}
    rows = []
    for need in spec.needs:
        base = other.get(need.indicator, {})
        row = {
            "need": need.indicator,
            "title": need.title,
            "unit": need.unit,
            "decimals": need.decimals,
            "year": base.get("year"),
            "current": None,
            "desired": None,
            "gap_to_close": None,
            "gap_persons": None,
            "relative_gap": None,
            "severity": (spec.severity or {}).get(need.indicator, need.severity),
            "inequity": base.get("inequity"),
            "rii": base.get("rii"),
            "trend_score": base.get("trend_score"),
        }
        try:
            gap = group_gap(data, whole, indicator=need.indicator, target=need.target)
        except NeedsInputError:
            rows.append(row)
            continue
        to_close = gap.gap_to_close
        row |= {
            "year": gap.year,
            "current": gap.current,
            "desired": gap.desired,
            "gap_to_close": to_close,
            # At or better than the target no one is left to reach.
            "gap_persons": None if to_close is None else (gap.persons if to_close > 0 else 0.0),
            "relative_gap": (
                to_close / abs(gap.current) if to_close is not None and gap.current else None
            ),
        }
        rows.append(row)
    if not rows:
        return pl.DataFrame()
    frame = pl.DataFrame(rows, infer_schema_length=None).with_columns(
        pl.col("severity").cast(pl.Int64),
        *(
            pl.col(c).cast(pl.Float64)
            for c in (
                "current",
                "desired",
                "gap_to_close",
                "gap_persons",
                "relative_gap",
                "inequity",
                "rii",
                "trend_score",
            )
        ),
    )
    return rank_needs(frame).sort("rank", "need")


def compose_needs_analysis(
    spec: AnalysisSpec,
    data: NeedsData,
    *,
    features: Sequence[dict] = (),
    ranking: pl.DataFrame | None = None,
) -> NeedsAnalysisContent:
    """The whole analysis as one content object (see the module docstring).

    ``features`` are the kommun boundaries (GeoJSON features) for the maps; ``ranking`` may be
    passed when the caller already ranked the region's needs with the same severities.

    >>> from halsogap.needs.data import load_data
    >>> from halsogap.needs.targets import Target
    >>> group = NeedGroupSpec("1", "Länet", region="01", area_rule="region",
    ...     region_name="Region Stockholm")
    >>> need = NeedSpec("1", "U01402", "Daglig rökning", "procent", "lower_better",
    ...     "Kolada/RKA", Target.best(1), severity=3)
    >>> spec = AnalysisSpec("Behovsanalys", "01", "Region Stockholm", 2027, groups=(group,),
    ...     needs=(need,), severity={"U01402": 3})
    >>> item = compose_needs_analysis(spec, load_data()).groups[0].items[0]
    >>> item.rows[0].current, item.rows[0].desired
    (5.8, 4.0)
    """
    ranking = region_ranking(spec, data) if ranking is None else ranking
    rii = dict(ranking.select("need", "rii").drop_nulls().rows()) if ranking.height else {}
    # The document ranks this analysis's needs on their gaps to the politicians' targets.
    ranking = analysis_ranking(spec, data, ranking)
    sections = []
    for group in spec.groups:
        try:
            area_text = f"{group.area_rule_text} ({len(areas_of_group(group, data))})"
        except NeedsInputError as error:
            area_text = str(error)
        sections.append(
            NeedGroupSection(
                name=group.name,
                description=group.description,
                area_text=area_text,
                sex_text=group.sex_text,
                age_band=group.age_band,
                condition=group.condition,
                items=[
                    need_item(
                        data,
                        group,
                        need,
                        optimal_method=spec.optimal_method,
                        rii=rii.get(need.indicator),
                        features=features,
                    )
                    for need in spec.needs
                ],
            )
        )
    return NeedsAnalysisContent(
        title=spec.title,
        region=spec.region_name,
        year=spec.year,
        introduction=spec.introduction,
        dialogue_notes=spec.dialogue_notes,
        dialogues=[
            compose_dialogue(d, threshold=spec.disclosure_threshold) for d in spec.dialogues
        ],
        groups=sections,
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
        comments=list(spec.comments),
        generated_on=spec.generated_on,
        author=spec.author,
        ranking_note=(
            "Analysens behov i den ordning regionens rangordning av alla indikatorer ger dem, "
            "med analysens svårighetsgrader; poängen är jämförbara mellan behoven."
        ),
    )
