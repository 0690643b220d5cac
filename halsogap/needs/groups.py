"""Need groups (behovsgrupper): which areas a group covers, and the group's gap as a whole.

:func:`group_gap` is the one chain area rule → gap per area → the group's total that the needs
analysis, priority setting and assignments all use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.needs._common import NeedsInputError
from halsogap.needs.closing import GapClosing, gap_closing
from halsogap.needs.data import NeedsData, population_for
from halsogap.needs.pipeline import indicator_gaps
from halsogap.needs.specs import NeedGroupSpec
from halsogap.needs.targets import Target

RULES = ("region", "all_kommuner", "chosen", "quintile", "region_quintile")


def areas_for_group(
    rule: str,
    *,
    region: str,
    areas: pl.DataFrame,
    chosen: Sequence[str] = (),
    background: pl.DataFrame | None = None,
    quintile: int | None = None,
    polarity: str = "none",
) -> list[str]:
    """The area codes a need group covers.

    ``areas`` has ``code``, ``level`` and ``parent``. For ``quintile`` the region's kommuner are
    kept whose ``background`` value (``area``, ``value``) falls in the given national quintile,
    quintile 1 being the worst conditions: the lowest values when higher is better (or there
    is no polarity), the highest when lower is better. Quintiles are national, so "the lowest
    education quintile" means the same kommuner whichever region asks; ``region_quintile``
    ranks the region's own kommuner instead, so that a region whose kommuner all lie in the
    upper national quintiles still has a worst-off fifth.

    >>> areas = pl.DataFrame({"code": ["01", "0114", "0180", "1280"],
    ...     "level": ["region", "kommun", "kommun", "kommun"], "parent": ["00", "01", "01", "12"]})
    >>> areas_for_group("all_kommuner", region="01", areas=areas)
    ['0114', '0180']
    >>> bg = pl.DataFrame({"area": ["0114", "0180", "1280", "1281", "1282"],
    ...     "value": [30.0, 55.0, 40.0, 45.0, 50.0]})
    >>> areas_for_group("quintile", region="01", areas=areas, background=bg, quintile=1,
    ...     polarity="higher_better")
    ['0114']
    >>> high = bg.with_columns(pl.when(pl.col("area") == "0114").then(60.0)
    ...     .otherwise(pl.col("value")).alias("value"))
    >>> [areas_for_group(rule, region="01", areas=areas, background=high, quintile=1,
    ...     polarity="higher_better") for rule in ("quintile", "region_quintile")]
    [[], ['0180']]
    """
    if rule not in RULES:
        raise NeedsInputError(f"okänd områdesregel {rule!r}; välj {', '.join(RULES)}")
    kommuner = areas.filter((pl.col("level") == "kommun") & (pl.col("parent") == region))
    if rule == "region":
        return [region]
    if rule == "all_kommuner":
        return sorted(kommuner["code"].to_list())
    if rule == "chosen":
        wanted = set(chosen)
        unknown = wanted - set(kommuner["code"].to_list())
        if unknown:
            raise NeedsInputError(
                f"kommunerna {', '.join(sorted(unknown))} hör inte till region {region}"
            )
        return sorted(wanted)
    if background is None or quintile not in range(1, 6):
        raise NeedsInputError("kvintilregeln kräver en bakgrundsindikator och en kvintil 1–5")
    national = background.filter(pl.col("area").str.len_chars() == 4).drop_nulls("value")
    if rule == "region_quintile":
        national = national.filter(pl.col("area").is_in(kommuner["code"].implode()))
    if national.height < 2 or (rule == "quintile" and national.height < 5):
        raise NeedsInputError("bakgrundsindikatorn har för få kommunvärden för kvintiler")
    descending = polarity == "lower_better"
    ranked = national.sort("value", descending=descending).with_row_index("__rank")
    n = ranked.height
    ranked = ranked.with_columns((pl.col("__rank") * 5 // n + 1).alias("quintile"))
    keep = set(ranked.filter(pl.col("quintile") == quintile)["area"].to_list())
    return sorted(code for code in kommuner["code"].to_list() if code in keep)


def group_total(gaps: pl.DataFrame) -> dict:
    """The need group as a whole: current and desired population-weighted, persons summed over
    the areas still worse than their target.

    Areas without a current value or population are left out of the weighted means and named
    in ``note``, so the total never silently treats them as zero.

    >>> gaps = pl.DataFrame({"area": ["A", "B"], "current": [10.0, 20.0],
    ...     "desired": [8.0, 8.0], "population": [1000.0, 3000.0], "persons": [20.0, 360.0],
    ...     "gap_to_close": [2.0, 12.0]})
    >>> total = group_total(gaps)
    >>> total["current"], total["persons"], total["gap_to_close"]
    (17.5, 380.0, 9.5)
    >>> group_total(gaps.with_columns(
    ...     pl.Series("name", ["Nykvarn", "Salem"]), pl.Series("current", [None, 20.0])))["note"]
    'utan nuvärde eller befolkning: Nykvarn'
    """
    usable = gaps.drop_nulls(["current", "population"]).filter(pl.col("population") > 0)
    # Areas are named as a reader knows them ("Nykvarn"), the code only where no name is known.
    label = pl.col("name").fill_null(pl.col("area")) if "name" in gaps.columns else pl.col("area")
    missing = gaps.filter(~pl.col("area").is_in(usable["area"].implode())).select(label)
    names = ", ".join(map(str, missing.to_series().to_list()))
    note = f"utan nuvärde eller befolkning: {names}" if missing.height else None
    if usable.height == 0:
        return {
            "current": None,
            "desired": None,
            "gap_to_close": None,
            "persons": None,
            "population": None,
            "note": note or "inga områden med värden",
        }
    weight = usable["population"]
    current = float((usable["current"] * weight).sum() / weight.sum())
    desired = (
        float((usable["desired"] * weight).sum() / weight.sum())
        if usable["desired"].null_count() == 0
        else None
    )
    # Persons still to reach: an area at or better than its target has nobody left to move,
    # and its surplus must not offset another area's shortfall.
    worse = usable.filter(pl.col("gap_to_close").is_not_null() & (pl.col("gap_to_close") > 0))
    persons = worse["persons"].drop_nulls()
    known = usable["persons"].drop_nulls().len() > 0
    return {
        "current": current,
        "desired": desired,
        "gap_to_close": float((usable["gap_to_close"] * weight).sum() / weight.sum())
        if usable["gap_to_close"].null_count() == 0
        else None,
        "persons": float(persons.sum()) if persons.len() else (0.0 if known else None),
        "population": float(weight.sum()),
        "note": note,
    }


def group_history(
    values: pl.DataFrame, *, areas: Sequence[str], population: pl.DataFrame | None
) -> pl.DataFrame:
    """The group's value per year: one area as it is, several areas population-weighted.

    ``values`` has ``area``, ``year``, ``value``; ``population`` has ``area`` and
    ``population`` (one figure per area; the latest year's weights are used for every year,
    which keeps the series free of jumps caused by moving weights). Years where some of the
    group's areas lack values use the areas that have them.

    >>> v = pl.DataFrame({"area": ["A", "B", "A", "B"], "year": [2021, 2021, 2022, 2022],
    ...     "value": [10.0, 20.0, 12.0, 22.0]})
    >>> p = pl.DataFrame({"area": ["A", "B"], "population": [1000, 3000]})
    >>> group_history(v, areas=["A", "B"], population=p)["value"].to_list()
    [17.5, 19.5]
    """
    part = values.filter(pl.col("area").is_in(list(areas))).drop_nulls("value")
    if len(areas) == 1 or population is None:
        if len(areas) != 1:
            return part.clear().select("year", "value")
        return part.select("year", "value").sort("year")
    weighted = part.join(population.select("area", "population"), on="area", how="inner")
    return (
        weighted.group_by("year")
        .agg(
            ((pl.col("value") * pl.col("population")).sum() / pl.col("population").sum()).alias(
                "value"
            )
        )
        .sort("year")
    )


def areas_of_group(group: NeedGroupSpec, data: NeedsData) -> list[str]:
    """The area codes of a need group, its background quintile read from ``data``.

    >>> from halsogap.needs.data import load_data
    >>> areas_of_group(NeedGroupSpec("1", "Länet", region="01", area_rule="region"), load_data())
    ['01']
    """
    background = None
    if group.area_rule in {"quintile", "region_quintile"} and group.background:
        part = data.values.filter((pl.col("kpi") == group.background) & (pl.col("sex") == "T"))
        if part.height:
            background = part.filter(pl.col("year") == part["year"].max()).select("area", "value")
    return areas_for_group(
        group.area_rule,
        region=group.region,
        areas=data.areas,
        chosen=group.area_codes,
        background=background,
        quintile=group.quintile,
        polarity=group.background_polarity,
    )


@dataclass(frozen=True)
class GroupGap:
    """A need group's health gap for one indicator: per area and for the group as a whole."""

    areas: tuple[str, ...]
    #: One row per area, as :func:`~halsogap.needs.pipeline.indicator_gaps` gives it.
    rows: pl.DataFrame
    year: int | None
    current: float | None
    desired: float | None
    gap_to_close: float | None
    persons: float | None
    population: float | None
    note: str | None
    #: The group's value per year (population-weighted over its areas).
    history: pl.DataFrame
    closing: GapClosing | None
    warnings: tuple[str, ...] = ()

    @property
    def is_total(self) -> bool:
        """Whether the group spans several areas, so its figures are a total of the rows."""
        return len(self.areas) > 1


def group_gap(
    data: NeedsData,
    group: NeedGroupSpec,
    *,
    indicator: str,
    target: Target,
    unit: str | None = None,
    decimals: int = 1,
) -> GroupGap:
    """The group's gap to ``target`` for ``indicator``, and whether it is closing.

    Raises :class:`NeedsInputError` when the group has no areas or the indicator no values.

    >>> from halsogap.needs.data import load_data
    >>> g = group_gap(load_data(), NeedGroupSpec("1", "Länet", region="13", area_rule="region"),
    ...     indicator="U01402", target=Target.best(1))
    >>> g.current, g.desired, g.is_total
    (6.2, 4.0, False)
    """
    return data.memo(
        ("group_gap", group, indicator, target, unit, decimals),
        lambda: _group_gap(
            data, group, indicator=indicator, target=target, unit=unit, decimals=decimals
        ),
    )


def _group_gap(
    data: NeedsData,
    group: NeedGroupSpec,
    *,
    indicator: str,
    target: Target,
    unit: str | None,
    decimals: int,
) -> GroupGap:
    areas = areas_of_group(group, data)
    if not areas:
        raise NeedsInputError("behovsgruppen omfattar inga områden i regionen")
    rows = indicator_gaps(data, indicator=indicator, target=target, areas=areas, sex=group.sex)
    year = int(rows["year"][0]) if rows.height else None
    warnings: tuple[str, ...] = ()
    if "warning" in rows.columns:
        warnings = tuple(w for w in rows["warning"].drop_nulls().unique(maintain_order=True) if w)
    if len(areas) > 1:
        total = group_total(rows)
    else:
        row = rows.row(0, named=True) if rows.height else {}
        worse = (row.get("gap_to_close") or 0) > 0
        total = {
            "current": row.get("current"),
            "desired": row.get("desired"),
            "gap_to_close": row.get("gap_to_close"),
            "persons": row.get("persons") if worse or row.get("persons") is None else 0.0,
            "population": row.get("population"),
            "note": "; ".join(
                dict.fromkeys(r for r in (row.get("reason"), row.get("persons_reason")) if r)
            )
            or None,
        }
    values = data.values.filter((pl.col("kpi") == indicator) & (pl.col("sex") == group.sex))
    history = group_history(
        values, areas=areas, population=rows.select("area", "population").drop_nulls()
    )
    closing = None
    if history.height and total["desired"] is not None:
        closing = gap_closing(
            history.select(pl.col("year").cast(pl.String).alias("period"), "value"),
            desired=float(total["desired"]),
            polarity=data.indicator(indicator)["polarity"],
            unit=unit,
            decimals=decimals,
        )
    return GroupGap(
        areas=tuple(areas),
        rows=rows,
        year=year,
        current=total["current"],
        desired=total["desired"],
        gap_to_close=total["gap_to_close"],
        persons=total["persons"],
        population=total["population"],
        note=total["note"],
        history=history,
        closing=closing,
        warnings=warnings,
    )


def group_series(
    data: NeedsData, group: NeedGroupSpec, *, indicator: str
) -> tuple[pl.DataFrame, str | None]:
    """The need group's value per year (``period`` as text, ``value``), or why there is none.

    One area is its own series; several areas are weighted by the population the indicator
    covers (its age range), as in the group's gap.

    >>> from halsogap.needs.data import load_data
    >>> series, why = group_series(load_data(), NeedGroupSpec("1", "Länets kommuner",
    ...     region="13", area_rule="all_kommuner"), indicator="U01402")
    >>> why is None and series["period"].to_list()[-1]
    '2022'
    """
    return data.memo(
        ("group_series", group, indicator), lambda: _group_series(data, group, indicator)
    )


def _group_series(
    data: NeedsData, group: NeedGroupSpec, indicator: str
) -> tuple[pl.DataFrame, str | None]:
    empty = pl.DataFrame(schema={"period": pl.String, "value": pl.Float64})
    try:
        areas = areas_of_group(group, data)
        info = data.indicator(indicator)
    except NeedsInputError as error:
        return empty, str(error)
    values = data.values.filter((pl.col("kpi") == indicator) & (pl.col("sex") == group.sex))
    values = values.filter(pl.col("area").is_in(areas))
    if values.height == 0:
        return empty, f"indikatorn har inga årsvärden för behovsgruppen {group.name}"
    population = None
    if len(areas) > 1:
        population, _, why = population_for(data, info, int(values["year"].max()), group.sex)
        if population is None:
            return empty, f"behovsgruppens värde kan inte vägas samman: {why}"
    history = group_history(values, areas=areas, population=population)
    return history.select(pl.col("year").cast(pl.String).alias("period"), "value"), None
