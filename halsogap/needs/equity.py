"""Equity: an indicator across kommuner grouped by a socioeconomic background indicator.

One rule, used by the equity view, the needs ranking's inequity criterion and the needs
analysis, so that the same indicator and region give the same RII wherever it is shown:

* the year is the indicator's latest year with kommun values (sex ``T``);
* kommuner are put in **national** quintiles of the background indicator (default N01982, the
  share of 25–64-year-olds with post-secondary education) in its latest year up to that year,
  quintile 1 being the worst conditions;
* each quintile's value is the mean of the region's kommuner in it, weighted by each kommun's
  total population in that year (the nearest population year where it is missing);
* D = Q5 − Q1 and R = Q5 / Q1; SII and RII are PHE's point estimates (Low & Low 2004: the
  quintile values regressed on the midpoint of their cumulative population share, weighted by
  that share; SII = the slope, RII = the line's value at the least deprived end over its value
  at the most deprived end), the same as :func:`halsogap.stats.sii` without its simulation;
* at least two quintiles must have values.

Kolada publishes no standard errors, so only point estimates are shown; limits derived from
population counts alone would look far more certain than survey data are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.needs.data import NeedsData
from halsogap.needs.population import population_for_ages

SOCIO_KPI = "N01982"
QUINTILES = 5
MEASURES = ("d", "r", "sii", "rii")
MEASURE_NAMES = {
    "d": "Skillnad (D): kvintil 5 − kvintil 1",
    "r": "Kvot (R): kvintil 5 / kvintil 1",
    "sii": "Lutningsindex (SII)",
    "rii": "Relativt lutningsindex (RII)",
}
TOO_FEW = "för få kvintiler med värden för att jämföra"
METHOD_SV = (
    "Kommunerna i riksgemensamma kvintiler av bakgrundsindikatorn (1 = sämst förutsättningar); "
    "varje kvintils värde är befolkningsviktat. SII och RII enligt PHE:s metod (viktad "
    "regression på kvintilernas mittrang), punktskattningar utan konfidensintervall."
)


def quintiles_of(background: pl.DataFrame, *, polarity: str) -> pl.DataFrame:
    """National quintile per kommun, 1 being the worst conditions.

    >>> bg = pl.DataFrame({"area": ["a", "b", "c", "d", "e"], "value": [5.0, 1, 3, 2, 4]})
    >>> quintiles_of(bg, polarity="higher_better").sort("area")["quintile"].to_list()
    [5, 1, 3, 2, 4]
    """
    kommuner = background.drop_nulls("value")
    ranked = kommuner.sort("value", descending=polarity == "lower_better").with_row_index("__r")
    n = max(ranked.height, 1)
    return ranked.select("area", ((pl.col("__r") * 5 // n) + 1).cast(pl.Int64).alias("quintile"))


def quintile_tables(rows: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """Population-weighted value per group and quintile from kommun rows.

    ``rows`` has the ``keys``, ``quintile``, ``value`` and ``population``.
    """
    keys = list(keys)
    usable = rows.drop_nulls(["value", "quintile"]).filter(pl.col("population") > 0)
    return (
        usable.group_by([*keys, "quintile"])
        .agg(
            pl.len().alias("kommuner"),
            pl.col("population").sum().alias("population"),
            ((pl.col("value") * pl.col("population")).sum() / pl.col("population").sum()).alias(
                "value"
            ),
        )
        .sort([*keys, "quintile"])
    )


def measures_of(tables: pl.DataFrame, keys: Sequence[str]) -> pl.DataFrame:
    """D, R, SII and RII per group from :func:`quintile_tables` (one row per group).

    >>> t = pl.DataFrame({"g": ["x"] * 5, "quintile": [1, 2, 3, 4, 5],
    ...     "value": [19.0, 15.5, 13.0, 10.5, 8.5], "population": [2000] * 5})
    >>> m = measures_of(t, ["g"]).row(0, named=True)
    >>> m["d"], m["r"], round(m["sii"], 4), round(m["rii"], 4)
    (-10.5, 0.4473684210526316, -13.0, 0.3434)
    """
    keys = list(keys)
    share = pl.col("population") / pl.col("population").sum().over(keys)
    fitted = tables.with_columns(share.alias("__w")).with_columns(
        (pl.col("__w").cum_sum().over(keys) - pl.col("__w") / 2).alias("__x")
    )
    # Weighted least squares of value on the midpoint rank: slope and the ends of the line.
    mean_x = (pl.col("__w") * pl.col("__x")).sum()
    mean_y = (pl.col("__w") * pl.col("value")).sum()
    covariance = (pl.col("__w") * (pl.col("__x") - mean_x) * (pl.col("value") - mean_y)).sum()
    variance = (pl.col("__w") * (pl.col("__x") - mean_x) ** 2).sum()
    first = pl.col("value").sort_by("quintile").first()
    last = pl.col("value").sort_by("quintile").last()
    out = fitted.group_by(keys, maintain_order=True).agg(
        pl.len().alias("quintiles"),
        (last - first).alias("d"),
        pl.when(first != 0).then(last / first).alias("r"),
        (covariance / variance).alias("sii"),
        mean_y.alias("__mean"),
        mean_x.alias("__mx"),
    )
    start = pl.col("__mean") - pl.col("sii") * pl.col("__mx")
    end = start + pl.col("sii")
    enough = pl.col("quintiles") >= 2
    return out.select(
        *keys,
        "quintiles",
        *(pl.when(enough).then(pl.col(m)).alias(m) for m in ("d", "r", "sii")),
        pl.when(enough & (start != 0) & ((end / start) > 0)).then(end / start).alias("rii"),
        pl.when(~enough).then(pl.lit(TOO_FEW)).alias("reason"),
    )


def _latest_at_most(frame: pl.DataFrame, year: int) -> int | None:
    years = frame["year"].unique().to_list()
    earlier = [y for y in years if y <= year]
    if earlier:
        return int(max(earlier))
    return int(max(years)) if years else None


def equity_inputs(
    data: NeedsData, *, indicators: Sequence[str], background: str = SOCIO_KPI
) -> tuple[pl.DataFrame, dict]:
    """Kommun rows (kpi, area, year, value, quintile, population) and the years chosen per kpi.

    Returns ``(rows, years)`` with ``years[kpi] = (year, background_year, population_year)``.
    """
    values = data.values.filter(
        pl.col("kpi").is_in(list(indicators))
        & (pl.col("sex") == "T")
        & (pl.col("area").str.len_chars() == 4)
    )
    bg = data.values.filter((pl.col("kpi") == background) & (pl.col("sex") == "T"))
    bg = bg.filter(pl.col("area").str.len_chars() == 4)
    info = data.indicators.filter(pl.col("code") == background)
    polarity = info["polarity"][0] if info.height else "higher_better"
    pop_years = data.population["year"].unique().to_list() if data.population.height else []
    parts, years, quintile_cache, population_cache = [], {}, {}, {}
    for (kpi,), part in values.group_by("kpi", maintain_order=True):
        year = int(part["year"].max())
        bg_year = _latest_at_most(bg, year)
        if bg_year is None or not pop_years:
            continue
        pop_year = min(max(year, min(pop_years)), max(pop_years))
        years[kpi] = (year, bg_year, pop_year)
        if bg_year not in quintile_cache:
            quintile_cache[bg_year] = quintiles_of(
                bg.filter(pl.col("year") == bg_year).select("area", "value"), polarity=polarity
            )
        if pop_year not in population_cache:
            population_cache[pop_year] = (
                population_for_ages(data.population.filter(pl.col("year") == pop_year))
                .filter(pl.col("sex") == "T")
                .select("area", pl.col("population").cast(pl.Float64))
            )
        parts.append(
            part.filter(pl.col("year") == year)
            .select("kpi", "area", "year", "value")
            .join(quintile_cache[bg_year], on="area", how="inner")
            .join(population_cache[pop_year], on="area", how="inner")
        )
    schema = {
        "kpi": pl.String,
        "area": pl.String,
        "year": pl.Int16,
        "value": pl.Float64,
        "quintile": pl.Int64,
        "population": pl.Float64,
    }
    rows = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=schema)
    return rows, years


def inequity(data: NeedsData, *, indicators: Sequence[str], regions: Sequence[str]) -> pl.DataFrame:
    """RII per indicator and region by the module's rule, and ``inequity`` = \\|ln RII\\|.

    The needs ranking's inequity criterion; one row per (kpi, region) that has an RII.
    """
    rows, _ = equity_inputs(data, indicators=indicators)
    parents = data.areas.select(pl.col("code").alias("area"), pl.col("parent").alias("region"))
    rows = rows.join(parents, on="area").filter(pl.col("region").is_in(list(regions)))
    measures = measures_of(quintile_tables(rows, ["kpi", "region"]), ["kpi", "region"])
    return measures.select(
        "kpi", "region", "rii", pl.col("rii").log().abs().alias("inequity")
    ).filter(pl.col("rii").is_not_null())


@dataclass(frozen=True)
class EquityView:
    """The equity view of one indicator for riket or one region."""

    year: int | None
    background_year: int | None
    population_year: int | None
    table: list[dict]
    measures: list[dict]
    method: str = METHOD_SV


def indicator_equity(
    data: NeedsData, *, indicator: str, area: str, background: str = SOCIO_KPI
) -> EquityView:
    """Quintile table and D, R, SII, RII of one indicator in riket (``00``) or a region.

    >>> from halsogap.needs.data import load_data
    >>> view = indicator_equity(load_data(), indicator="U01402", area="01")
    >>> [m["measure"] for m in view.measures], view.year
    (['d', 'r', 'sii', 'rii'], 2022)
    """
    rows, years = equity_inputs(data, indicators=[indicator], background=background)
    if indicator not in years:
        return EquityView(None, None, None, [], [])
    year, bg_year, pop_year = years[indicator]
    if area != "00":
        rows = rows.filter(pl.col("area").is_in(data.kommuner_of(area)))
    table = quintile_tables(rows.with_columns(pl.lit("x").alias("__g")), ["__g"]).drop("__g")
    found = measures_of(table.with_columns(pl.lit("x").alias("__g")), ["__g"])
    row = found.row(0, named=True) if found.height else {"reason": TOO_FEW}
    measures = [
        {
            "measure": m,
            "name": MEASURE_NAMES[m],
            "value": row.get(m),
            "reason": row.get("reason") if row.get(m) is None else None,
        }
        for m in MEASURES
    ]
    return EquityView(year, bg_year, pop_year, table.to_dicts(), measures)


@dataclass(frozen=True)
class SexComparison:
    """Women and men in one area: both series, and the latest year's difference and ratio."""

    year: int
    women: dict[int, float]
    men: dict[int, float]
    difference: float | None
    ratio: float | None

    @property
    def years(self) -> list[int]:
        return sorted(set(self.women) | set(self.men), reverse=True)


def sex_comparison(data: NeedsData, *, indicator: str, area: str) -> SexComparison | None:
    """Women against men for one indicator and area; None when it has no values by sex.

    The values come as the reader shows them: a suppressed stratum is missing, never guessed.

    >>> from halsogap.needs.data import load_data
    >>> c = sex_comparison(load_data(), indicator="U01402", area="01")
    >>> c.year, round(c.difference, 1)
    (2022, -0.1)
    """
    rows = data.values.filter(
        (pl.col("kpi") == indicator) & (pl.col("area") == area) & pl.col("sex").is_in(["K", "M"])
    )
    if rows.height == 0:
        return None
    women = dict(rows.filter(pl.col("sex") == "K").select("year", "value").rows())
    men = dict(rows.filter(pl.col("sex") == "M").select("year", "value").rows())
    year = int(rows["year"].max())
    k, m = women.get(year), men.get(year)
    return SexComparison(
        year=year,
        women=women,
        men=men,
        difference=k - m if k is not None and m is not None else None,
        ratio=k / m if k is not None and m else None,
    )
