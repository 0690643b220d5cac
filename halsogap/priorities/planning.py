"""From a region's assessments to the frames horizontal ranking and allocation work on.

An assessment judges one need (need group × indicator) with one measure on the ethical
platform. :func:`needs_for_ranking` makes one row per need with the criteria of horizontal
ranking; :func:`allocation_options` one option per assessment with its measure's cost and
effect. The web layer hands plain :class:`AssessmentSpec` values; nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import NeedsData
from halsogap.needs.groups import group_gap
from halsogap.needs.specs import NeedGroupSpec
from halsogap.needs.targets import Target
from halsogap.priorities._common import COST_BAND, EVIDENCE


@dataclass(frozen=True)
class MeasureSpec:
    """A measure as allocation reads it: cost, reach, uptake and health gain per person."""

    code: str
    title: str
    perspective: str
    variant: str
    cost_one_off: float | None = None
    cost_yearly: float | None = None
    reach: float | None = None
    effect_per_person: float | None = None
    uptake: float | None = None


@dataclass(frozen=True)
class AssessmentSpec:
    """One need (need group × indicator) judged with one measure on the ethical platform."""

    key: str
    group: NeedGroupSpec
    indicator: str
    indicator_title: str
    measure: MeasureSpec
    severity: str
    evidence: str
    rank: str
    cost_band: str | None = None
    #: The target the politicians set for this need in the needs analysis; None falls back
    #: to "as good as the best region".
    target: Target | None = None

    @property
    def need(self) -> str:
        """The need's name, as ranking tables and decisions show it."""
        return f"{self.group.name}: {self.indicator_title}"


NEED_SCHEMA = {
    "need": pl.String,
    "need_group": pl.String,
    "indicator": pl.String,
    "gap_persons": pl.Float64,
    "severity": pl.String,
    "inequity": pl.Float64,
    "cost_band": pl.String,
    "evidence": pl.String,
}


def _better_cost(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if COST_BAND.index(a) <= COST_BAND.index(b) else b


def _better_evidence(a: str, b: str) -> str:
    return a if EVIDENCE.index(a) <= EVIDENCE.index(b) else b


def needs_for_ranking(
    assessments: Sequence[AssessmentSpec],
    data: NeedsData,
    *,
    inequity: Mapping[str, float] | None = None,
) -> pl.DataFrame:
    """One row per assessed need with the criteria of :func:`rank_horizontal`.

    Need size is the group's gap in persons to the need's target as the politicians set it in
    the needs analysis, else to "as good as the best region"
    (:func:`halsogap.needs.groups.group_gap`, the chain the needs analysis uses);
    cost-effectiveness and evidence come from the best assessed measure for that need;
    ``inequity`` is the needs ranking's \\|ln RII\\| per indicator.

    >>> from halsogap.needs.data import load_data
    >>> group = NeedGroupSpec("1", "Länet", region="13", area_rule="region")
    >>> m = MeasureSpec("LV-TOB-01", "Rådgivande samtal", "individual", "LV-TOB-01")
    >>> a = [AssessmentSpec("1", group, "U01402", "Daglig rökning", m, "stor", "måttlig", "3"),
    ...      AssessmentSpec("2", group, "U01402", "Daglig rökning", m, "stor", "hög", "2", "låg")]
    >>> needs_for_ranking(a, load_data()).select("need", "evidence", "cost_band").rows()
    [('Länet: Daglig rökning', 'hög', 'låg')]
    """
    inequity = inequity or {}
    rows: dict[tuple, dict] = {}
    for a in assessments:
        key = (a.group.key, a.indicator)
        if key not in rows:
            try:
                gap = group_gap(
                    data, a.group, indicator=a.indicator, target=a.target or Target.best(1)
                )
                # At or better than the target no one is left to reach.
                persons = gap.persons if (gap.gap_to_close or 0) > 0 else 0.0
            except NeedsInputError:
                # A need without data still ranks on its other criteria.
                persons = None
            rows[key] = {
                "need": a.need,
                "need_group": a.group.name,
                "indicator": a.indicator,
                "gap_persons": persons,
                "severity": a.severity,
                "inequity": inequity.get(a.indicator),
                "cost_band": a.cost_band or None,
                "evidence": a.evidence,
            }
        row = rows[key]
        # The best measure for a need decides how cost-effective and well-founded acting is.
        row["cost_band"] = _better_cost(row["cost_band"], a.cost_band or None)
        row["evidence"] = _better_evidence(row["evidence"], a.evidence)
    return pl.DataFrame(list(rows.values()), schema=NEED_SCHEMA)


OPTION_SCHEMA = {
    "option": pl.String,
    "measure": pl.String,
    "title": pl.String,
    "need_group": pl.String,
    "indicator": pl.String,
    "rank": pl.String,
    "perspective": pl.String,
    "variant": pl.String,
    "cost_one_off": pl.Float64,
    "cost_yearly": pl.Float64,
    "reach": pl.Float64,
    "effect_per_person": pl.Float64,
    "uptake": pl.Float64,
}


def allocation_options(assessments: Sequence[AssessmentSpec]) -> pl.DataFrame:
    """One allocation option per assessment: its measure's cost and effect, its rank.

    A measure with only a one-off or only a yearly cost has zero of the other kind; with
    neither, the cost stays unknown and :func:`allocate` excludes the option with a reason.

    >>> group = NeedGroupSpec("1", "Länet", region="13", area_rule="region")
    >>> m = MeasureSpec("A", "Samtal", "individual", "A", cost_yearly=100.0)
    >>> a = AssessmentSpec("7", group, "U01402", "Rökning", m, "stor", "hög", "2")
    >>> allocation_options([a]).select("option", "cost_one_off", "cost_yearly").rows()
    [('7', 0.0, 100.0)]
    """
    rows = []
    for a in assessments:
        m = a.measure
        known = m.cost_one_off is not None or m.cost_yearly is not None
        rows.append(
            {
                "option": a.key,
                "measure": m.code,
                "title": m.title,
                "need_group": a.group.name,
                "indicator": a.indicator,
                "rank": a.rank,
                "perspective": m.perspective,
                "variant": m.variant,
                "cost_one_off": (m.cost_one_off or 0.0) if known else None,
                "cost_yearly": (m.cost_yearly or 0.0) if known else None,
                "reach": m.reach,
                "effect_per_person": m.effect_per_person,
                "uptake": m.uptake,
            }
        )
    return pl.DataFrame(rows, schema=OPTION_SCHEMA)
