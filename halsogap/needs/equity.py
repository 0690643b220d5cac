"""Equity: an indicator across kommuner grouped by a socioeconomic background indicator.

One rule, used by the equity view, the needs ranking's inequity criterion and the needs
analysis, so that the same indicator and region give the same RII wherever it is shown:

* the year is the indicator's latest year with values for the kommuner compared (the region's,
  or all of them for riket; sex ``T``);
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
        pl.col("quintile").min().alias("first_quintile"),
        pl.col("quintile").max().alias("last_quintile"),
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
        "first_quintile",
        "last_quintile",
        *(pl.when(enough).then(pl.col(m)).alias(m) for m in ("d", "r", "sii")),
        pl.when(enough & (start != 0) & ((end / start) > 0)).then(end / start).alias("rii"),
        pl.when(~enough).then(pl.lit(TOO_FEW)).alias("reason"),
    )


def _latest_at_most(years: Sequence[int], year: int) -> int | None:
    earlier = [y for y in years if y <= year]
    if earlier:
        return int(max(earlier))
    return int(max(years)) if years else None


def equity_inputs(
    data: NeedsData,
    *,
    indicators: Sequence[str],
    background: str = SOCIO_KPI,
    areas: Sequence[str] | None = None,
    region: str | None = None,
) -> tuple[pl.DataFrame, dict]:
    """Kommun rows (kpi, area, year, value, quintile, population) and the years chosen per kpi.

    ``region`` keeps that region's kommuner (``areas`` any other set); the quintiles stay
    national. Returns
    ``(rows, years)`` with ``years[kpi] = (year, background_year, population_year)``.
    Vectorised over indicators: the ranking asks for all of a region's indicators at once.
    """
    schema = {
        "kpi": pl.String,
        "area": pl.String,
        "year": pl.Int16,
        "value": pl.Float64,
        "quintile": pl.Int64,
        "population": pl.Float64,
    }
    if region is not None:
        values = data.kommun_values(region)
    else:
        values = data.kommun_values(None)
        if areas is not None:
            values = values.filter(pl.col("area").is_in(list(areas)))
    values = values.filter(pl.col("kpi").is_in(list(indicators)))
    # The background is national: every kommun, whoever reads (it is a national indicator).
    bg = data.background_values(background)
    pop_years = data.population["year"].unique().to_list() if data.population.height else []
    if values.height == 0 or bg.height == 0 or not pop_years:
        return pl.DataFrame(schema=schema), {}
    info = data.indicators.filter(pl.col("code") == background)
    polarity = info["polarity"][0] if info.height else "higher_better"
    latest = values.group_by("kpi").agg(pl.col("year").max())
    bg_years = [int(y) for y in bg["year"].unique().to_list()]
    chosen = {}
    for kpi, year in latest.iter_rows():
        bg_year = _latest_at_most(bg_years, int(year))
        chosen[kpi] = (int(year), bg_year, min(max(int(year), min(pop_years)), max(pop_years)))
    quintiles = pl.concat(
        [
            quintiles_of(
                bg.filter(pl.col("year") == y).select("area", "value"), polarity=polarity
            ).with_columns(pl.lit(y, pl.Int64).alias("bg_year"))
            for y in sorted({c[1] for c in chosen.values()})
        ]
    )
    people = pl.concat(
        [
            data.total_population(y).with_columns(pl.lit(y, pl.Int64).alias("pop_year"))
            for y in sorted({c[2] for c in chosen.values()})
        ]
    )
    years = pl.DataFrame(
        [(k, y, b, p) for k, (y, b, p) in chosen.items()],
        schema={"kpi": pl.String, "year": pl.Int16, "bg_year": pl.Int64, "pop_year": pl.Int64},
        orient="row",
    )
    rows = (
        values.join(years, on=["kpi", "year"])
        .join(quintiles, on=["area", "bg_year"])
        .join(people, on=["area", "pop_year"])
        .select(list(schema))
    )
    return rows, chosen


def inequity(data: NeedsData, *, indicators: Sequence[str], regions: Sequence[str]) -> pl.DataFrame:
    """RII per indicator and region by the module's rule, and ``inequity`` = \\|ln RII\\|.

    The needs ranking's inequity criterion; one row per (kpi, region) that has an RII.
    """
    parts = []
    for region in regions:
        rows, _ = equity_inputs(data, indicators=indicators, region=region)
        parts.append(rows.with_columns(pl.lit(region).alias("region")))
    rows = pl.concat(parts)
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
    #: Which quintiles hold kommuner and how many kommuner lack a value, in words.
    coverage: str = ""


def measure_name(measure: str, first: int | None, last: int | None) -> str:
    """The measure's name with the quintiles it compares: D and R span the present ones.

    >>> measure_name("d", 1, 5)
    'Skillnad (D): kvintil 5 − kvintil 1'
    >>> measure_name("r", 3, 5)
    'Kvot (R): kvintil 5 / kvintil 3 (de kvintiler som har kommuner)'
    """
    if measure not in {"d", "r"} or first is None or last is None:
        return MEASURE_NAMES[measure]
    sign = "−" if measure == "d" else "/"
    head = MEASURE_NAMES[measure].split(":")[0]
    name = f"{head}: kvintil {last} {sign} kvintil {first}"
    return name if (first, last) == (1, QUINTILES) else f"{name} (de kvintiler som har kommuner)"


def coverage_sentence(present: Sequence[int], *, kommuner: int, with_values: int) -> str:
    """Which quintiles the comparison rests on and how many kommuner are left out.

    >>> coverage_sentence([3, 4, 5], kommuner=26, with_values=24)
    'Kommuner med värden finns i kvintil 3, 4 och 5; kvintil 1 och 2 har inga. 2 av 26 kommuner saknar värde och är inte med.'
    """
    present = sorted(present)
    missing = [q for q in range(1, QUINTILES + 1) if q not in present]

    def listed(qs: Sequence[int]) -> str:
        words = [str(q) for q in qs]
        return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} och {words[-1]}"

    text = f"Kommuner med värden finns i kvintil {listed(present)}" if present else "Inga kommuner"
    if present and missing:
        text += f"; kvintil {listed(missing)} har inga"
    text += "."
    lacking = kommuner - with_values
    if lacking > 0:
        text += f" {lacking} av {kommuner} kommuner saknar värde och är inte med."
    return text


def indicator_equity(
    data: NeedsData, *, indicator: str, area: str, background: str = SOCIO_KPI
) -> EquityView:
    """Quintile table and D, R, SII, RII of one indicator in riket (``00``) or a region.

    >>> from halsogap.needs.data import load_data
    >>> view = indicator_equity(load_data(), indicator="U01402", area="01")
    >>> [m["measure"] for m in view.measures], view.year
    (['d', 'r', 'sii', 'rii'], 2022)
    """
    rows, years = equity_inputs(
        data, indicators=[indicator], background=background, region=None if area == "00" else area
    )
    if indicator not in years:
        return EquityView(None, None, None, [], [])
    year, bg_year, pop_year = years[indicator]
    table = quintile_tables(rows.with_columns(pl.lit("x").alias("__g")), ["__g"]).drop("__g")
    found = measures_of(table.with_columns(pl.lit("x").alias("__g")), ["__g"])
    row = found.row(0, named=True) if found.height else {"reason": TOO_FEW}
    measures = [
        {
            "measure": m,
            "name": measure_name(m, row.get("first_quintile"), row.get("last_quintile")),
            "value": row.get(m),
            "reason": row.get("reason") if row.get(m) is None else None,
        }
        for m in MEASURES
    ]
    kommuner = (
        data.areas.filter(pl.col("level") == "kommun").height
        if area == "00"
        else len(data.kommuner_of(area))
    )
    coverage = coverage_sentence(
        table["quintile"].to_list(), kommuner=kommuner, with_values=rows["area"].n_unique()
    )
    return EquityView(year, bg_year, pop_year, table.to_dicts(), measures, coverage=coverage)


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
