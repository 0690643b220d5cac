"""An assignment's follow-up as one content object, and the need backgrounds it carries.

:func:`compose_follow_up` takes the follow-up plan (plain :class:`IndicatorPlan` values), each
line's series as the evidence reader gave it and the need backgrounds, and returns the
:class:`~halsogap.assignments.documents.FollowUpReportContent` that the follow-up page, its PDF,
Word and Excel documents and the annual report all render. :func:`need_background` is the
need's gap for the assignment's need group, by the same chain as the needs analysis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

import polars as pl

from halsogap.assignments.documents import (
    FollowUpReportContent,
    GapLine,
    IndicatorResult,
    NeedBackground,
)
from halsogap.assignments.followable import IndicatorPlan
from halsogap.assignments.status import follow_up_statuses
from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import NeedsData
from halsogap.needs.groups import group_gap
from halsogap.needs.specs import NeedGroupSpec, NeedSpec

EMPTY_SERIES = pl.DataFrame(schema={"period": pl.String, "value": pl.Float64})


def indicator_results(
    plans: Sequence[IndicatorPlan],
    series: Mapping[str, pl.DataFrame],
    *,
    origins: Mapping[str, str] | None = None,
    contexts: Mapping[str, str] | None = None,
    today: date,
) -> list[IndicatorResult]:
    """Each plan line against its target, with its values and where they came from.

    ``series`` holds, per plan key, the values (``period``, ``value``, optionally
    ``lower_95``/``upper_95``) after suppression; a suppressed value is null and not used.

    >>> plan = IndicatorPlan("1", "g", "P1", role="process", baseline=0.0, target=300.0,
    ...     target_date=date(2026, 12, 31), polarity="higher_better", unit="antal",
    ...     indicator_title="Hälsosamtal")
    >>> values = pl.DataFrame({"period": ["2026K1"], "value": [120.0]})
    >>> r = indicator_results([plan], {"1": values}, today=date(2026, 5, 1))[0]
    >>> r.latest_value, r.status, r.decimals
    (120.0, 'i fas', 0)
    """
    origins, contexts = origins or {}, contexts or {}
    if not plans:
        return []
    frames = []
    for plan in plans:
        frame = series.get(plan.key, EMPTY_SERIES)
        frames.append(frame.with_columns(pl.lit(plan.key).alias("plan")))
    values = pl.concat(frames, how="diagonal_relaxed")
    statuses = follow_up_statuses(values, list(plans), today=today)
    results = []
    for plan in plans:
        frame = series.get(plan.key, EMPTY_SERIES)
        result = IndicatorResult.from_status(
            plan,
            statuses[plan.key],
            series=[(p, v) for p, v in frame.select("period", "value").rows()],
            decimals=plan.decimals,
            origin=origins.get(plan.key, ""),
        )
        results.append(replace(result, context=contexts.get(plan.key, "")))
    return results


def need_background(
    data: NeedsData, group: NeedGroupSpec, need: NeedSpec, *, analysis_title: str
) -> NeedBackground:
    """The need an assignment answers: its group's gap to the target and whether it closes.

    >>> from halsogap.needs.data import load_data
    >>> from halsogap.needs.targets import Target
    >>> group = NeedGroupSpec("1", "Halland", region="13", area_rule="region")
    >>> need = NeedSpec("1", "U01402", "Daglig rökning", "procent", "lower_better",
    ...     "Kolada/RKA", Target.best(1))
    >>> b = need_background(load_data(), group, need, analysis_title="Behovsanalys 2027")
    >>> b.current, b.desired, b.year
    (6.2, 4.0, 2022)
    """
    base = {
        "title": f"{need.title}, {group.name}",
        "indicator_title": need.title,
        "unit": need.unit,
        "source": need.source,
        "target_text": need.target.describe(need.unit),
        "decimals": need.decimals,
        "analysis_title": analysis_title,
        "group": group.name,
        "indicator": need.indicator,
    }
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
        return NeedBackground(
            **base,
            current=None,
            desired=None,
            gap_to_close=None,
            persons=None,
            year=None,
            note=str(error),
        )
    return NeedBackground(
        **base,
        current=gap.current,
        desired=gap.desired,
        gap_to_close=gap.gap_to_close,
        persons=gap.persons,
        year=gap.year,
        gap_closing_text=gap.closing.sentence_sv if gap.closing else None,
        note=gap.note,
    )


def compose_follow_up(
    *,
    title: str,
    issuer: str,
    recipients: str,
    plans: Sequence[IndicatorPlan],
    series: Mapping[str, pl.DataFrame],
    origins: Mapping[str, str] | None = None,
    contexts: Mapping[str, str] | None = None,
    backgrounds: Sequence[NeedBackground] = (),
    comments: Sequence[tuple[str, str, str]] = (),
    today: date,
) -> FollowUpReportContent:
    """The follow-up of one assignment as of ``today``, for the page and every document."""
    results = indicator_results(plans, series, origins=origins, contexts=contexts, today=today)
    return FollowUpReportContent(
        title=f"Uppföljning: {title}",
        assignment_title=title,
        issuer=issuer,
        recipients=recipients,
        period=today.isoformat(),
        generated_on=today.isoformat(),
        indicators=results,
        gaps=[
            GapLine(
                b.indicator_title,
                b.gap_closing_text
                or b.note
                or "För få mätpunkter för att bedöma om gapet minskar.",
                f"Källa: {b.source}",
            )
            for b in backgrounds
        ],
        comments=list(comments),
    )
