"""From Kolada-shaped data to gap tables and a ranked list of needs, for the CLI and the bench.

The building blocks (targets, gaps, trend, ranking) take one indicator at a time; this module
runs them over :class:`~halsogap.needs.data.NeedsData`. Choices made here, stated once:

* *current* is each indicator's latest year with values (sex ``T`` unless asked otherwise);
* the population behind the persons figure is chosen by :mod:`halsogap.needs.data` (the year
  used is in ``population_year``);
* inequity is \\|ln RII\\| of the indicator across the region's kommuner in national quintiles
  of the share with post-secondary education, by the one rule of :mod:`halsogap.needs.equity`
  (the ``rii`` column keeps the RII itself, the figure the equity view shows);
* the trend compares each of the region's recent years with the same desired value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from halsogap.needs._common import NeedsInputError, level_expr, normalise_polarity
from halsogap.needs.data import NeedsData, population_for
from halsogap.needs.equity import inequity as equity_inequity
from halsogap.needs.gaps import gap_trend, health_gaps
from halsogap.needs.ranking import rank_needs, trend_score
from halsogap.needs.targets import Target, best_of_pool, resolve_target
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER


def indicator_gaps(
    data: NeedsData,
    *,
    indicator: str,
    target: Target,
    areas: Sequence[str] | None = None,
    sex: str = "T",
    year: int | None = None,
) -> pl.DataFrame:
    """Gap table for one indicator: :func:`health_gaps` plus name, year and population ages.

    ``areas`` picks the rows (default all regions); ``year`` defaults to the indicator's latest
    year. The target is resolved among all regions or kommuner of the target's level.

    >>> from halsogap.needs.data import load_data
    >>> data = load_data()
    >>> out = indicator_gaps(data, indicator="U01402", target=Target.best(1), areas=["13"])
    >>> out.select("area", "current", "status").row(0)
    ('13', 6.2, 'sämre än målet')
    """
    info = data.indicator(indicator)
    polarity = normalise_polarity(info["polarity"])
    history = data.values.filter(pl.col("kpi") == indicator, pl.col("sex") == sex)
    if history.height == 0:
        raise NeedsInputError(f"indikatorn {indicator} har inga värden för kön {sex!r}")
    if year is None:
        year = int(history["year"].max())
    if areas is None:
        areas = data.areas.filter(pl.col("level") == "region")["code"].to_list()
    desired = resolve_target(
        target,
        values=history,
        polarity=polarity,
        at=year,
        areas=list(areas),
        unit=info["unit"],
        names=data.names,
    )
    current = desired.select("area", pl.col("current").alias("value"))
    population, pop_year, why = population_for(data, info, year, sex)
    gaps = health_gaps(
        current,
        desired=desired.drop("current", "reason"),
        polarity=polarity,
        unit=info["unit"],
        population=None if population is None else population.drop("population_ages"),
    )
    if why is not None:
        gaps = gaps.with_columns(
            pl.when(pl.col("persons_reason").is_not_null())
            .then(pl.lit(why))
            .otherwise(pl.col("persons_reason"))
            .alias("persons_reason")
        )
    ages = population["population_ages"][0] if population is not None else None
    names = data.names
    return gaps.with_columns(
        pl.col("area").replace_strict(names, default=None).alias("name"),
        pl.lit(indicator).alias("indicator"),
        pl.lit(year, pl.Int64).alias("year"),
        pl.lit(pop_year, pl.Int64).alias("population_year"),
        pl.lit(ages, pl.String).alias("population_ages"),
        pl.lit(target.describe(info["unit"])).alias("target"),
        desired["reason"].alias("desired_reason"),
    )


def needs_analysis(
    data: NeedsData,
    *,
    regions: Sequence[str] | None = None,
    target: Target | None = None,
    severity: Mapping[str, int] | None = None,
    weights: Mapping[str, float] | None = None,
    sex: str = "T",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ranked needs per region (one need per indicator) and the gap table of its kommuner.

    Every health state with a polarity and regional values takes part (a KPI published only
    for riket and kommuner has no regional need row). By the seeds' definition a need is a
    health gap care can act on: where the indicator list has a ``health_state`` column, only
    rows marked ``"1"`` are ranked, so income, education, unemployment and the Gini
    coefficient describe need groups and equity strata instead. ``target`` (default: as good
    as the best region) must be a best-N or relative target, since an absolute value belongs
    to one indicator. ``severity`` maps indicator codes to the analyst's 1–4. Returns
    ``(ranking, kommun_gaps)``: the ranking has ``region``, ``need`` (= kpi), ``title`` and
    the :func:`~halsogap.needs.ranking.rank_needs` columns, ranked within each region.
    """
    target = target or Target.best(1)
    if target.kind == "absolute":
        raise NeedsInputError("needs_analysis: an absolute target belongs to one indicator")
    all_regions = data.areas.filter(pl.col("level") == "region")["code"].to_list()
    regions = list(regions) if regions is not None else all_regions
    unknown = sorted(set(regions) - set(all_regions))
    if unknown:
        raise NeedsInputError(f"okänd region: {', '.join(unknown)}")
    parents = data.areas.filter(pl.col("level") == "kommun").select(
        pl.col("code").alias("area"), pl.col("parent").alias("region")
    )
    kommuner = parents.filter(pl.col("region").is_in(regions))
    wanted = regions + kommuner["area"].to_list()

    judged = data.indicators.filter(pl.col("polarity").is_in([LOWER_BETTER, HIGHER_BETTER]))
    if "health_state" in judged.columns:
        judged = judged.filter(pl.col("health_state").cast(pl.String) == "1")
    values = data.values.filter(
        pl.col("kpi").is_in(judged["code"].implode()), pl.col("sex") == sex
    ).with_columns(level_expr("area").alias("level"))
    latest = (
        values.filter(pl.col("level") == "region")
        .group_by("kpi")
        .agg(pl.col("year").max().alias("latest"))
    )
    values = values.join(latest, on="kpi")
    judged = judged.filter(pl.col("code").is_in(latest["kpi"].implode()))
    now = values.filter(pl.col("year") == pl.col("latest"))
    current = now.filter(pl.col("area").is_in(wanted)).select("kpi", "area", "value")
    desired = _desired(target, values, now, judged)

    population_parts, reasons = [], {}
    for info in judged.iter_rows(named=True):
        year = int(latest.filter(pl.col("kpi") == info["code"])["latest"][0])
        pop, pop_year, why = population_for(data, info, year, sex)
        if pop is None:
            reasons[info["code"]] = why
        else:
            population_parts.append(pop.with_columns(pl.lit(info["code"]).alias("kpi")))
    population = pl.concat(population_parts) if population_parts else None

    gap_parts, trend_parts = [], []
    # One call per polarity and unit, every indicator of the group at once (by="kpi").
    for (polarity, unit), group in judged.group_by(["polarity", "unit"], maintain_order=True):
        codes = group["code"].implode()
        gaps = health_gaps(
            current.filter(pl.col("kpi").is_in(codes)),
            desired=desired.filter(pl.col("kpi").is_in(codes)),
            polarity=polarity,
            unit=unit,
            population=None
            if population is None
            else population.select("area", "kpi", "population"),
            by="kpi",
        )
        gap_parts.append(gaps)
        region_history = values.filter(pl.col("kpi").is_in(codes), pl.col("area").is_in(regions))
        trend = gap_trend(
            region_history.select("area", "kpi", "year", "value"),
            desired=desired.filter(pl.col("kpi").is_in(codes)),
            polarity=polarity,
            by="kpi",
        )
        trend_parts.append(trend_score(trend).select("area", "kpi", "trend_score"))
    gaps = pl.concat(gap_parts, how="diagonal_relaxed")
    gaps = gaps.join(judged.select(pl.col("code").alias("kpi"), "title"), on="kpi").join(
        latest.rename({"latest": "year"}), on="kpi"
    )
    if reasons:
        gaps = gaps.with_columns(
            pl.when(pl.col("persons").is_null() & pl.col("kpi").is_in(list(reasons)))
            .then(pl.col("kpi").replace_strict(reasons, default=None))
            .otherwise(pl.col("persons_reason"))
            .alias("persons_reason")
        )
    trends = pl.concat(trend_parts, how="diagonal_relaxed")

    kommun_gaps = gaps.join(kommuner, on="area", how="inner")
    inequity = equity_inequity(data, indicators=judged["code"].to_list(), regions=regions).select(
        "kpi", "region", "inequity", "rii"
    )
    region_gaps = gaps.filter(pl.col("area").is_in(regions)).rename({"area": "region"})
    needs = (
        region_gaps.join(inequity, on=["kpi", "region"], how="left")
        .join(trends.rename({"area": "region"}), on=["kpi", "region"], how="left")
        .with_columns(
            # At or better than target: no persons left to reach; unknown stays unknown.
            pl.when(pl.col("gap_to_close").is_null())
            .then(None)
            .when(pl.col("gap_to_close") > 0)
            .then(pl.col("persons"))
            .otherwise(0.0)
            .alias("gap_persons"),
            pl.col("kpi")
            .replace_strict(dict(severity or {}), default=None, return_dtype=pl.Int64)
            .alias("severity"),
        )
        .select(
            "region",
            pl.col("kpi").alias("need"),
            "title",
            "year",
            "current",
            "desired",
            "gap_to_close",
            "gap_persons",
            "relative_gap",
            "severity",
            "inequity",
            "rii",
            "trend_score",
        )
    )
    ranked = [
        rank_needs(part, weights=weights).with_columns(pl.lit(code).alias("region"))
        for (code,), part in needs.group_by("region", maintain_order=True)
    ]
    ranking = pl.concat(ranked).sort("region", "rank", "need") if ranked else needs
    return ranking, kommun_gaps


def _desired(
    target: Target, values: pl.DataFrame, now: pl.DataFrame, judged: pl.DataFrame
) -> pl.DataFrame:
    """Desired value per kpi (best-N) or per kpi and area (relative), all indicators at once.

    The same rules as :func:`~halsogap.needs.targets.resolve_target`, vectorised over
    indicators whose latest years differ.
    """
    if target.kind == "relative":
        factor = 1 + target.change_percent / 100
        return values.filter(pl.col("year") == target.baseline_period).select(
            "kpi", "area", (pl.col("value") * factor).alias("desired")
        )
    parts = []
    for (polarity,), group in judged.group_by(["polarity"], maintain_order=True):
        pool = now.filter(
            pl.col("kpi").is_in(group["code"].implode()), pl.col("level") == target.level
        )
        best = best_of_pool(pool, ["kpi"], polarity=polarity, n=target.best_n, rule=target.rule)
        parts.append(best.select("kpi", pl.col("best_value").alias("desired")))
    return pl.concat(parts)
