"""The needs engine's input: values, population, indicators and areas, and who lives where.

``values`` (kpi, area, year, sex, value), ``population`` (area, year, sex, age_band,
population), the indicator list (code, title, unit, polarity, kind, producer) and the area code
list (code, name, level, parent), as read from the demo files (:func:`load_data`) or from the
web layer's evidence reader (:meth:`NeedsData.from_observations`). The population behind a
persons figure is the age range in the KPI title (``16-84 år`` → 16–84, no range → everyone),
from the age bands with a partly covered band taken whole (16–84 → 16+; see
:mod:`halsogap.needs.population`), in the same year as the value, or the latest earlier
population year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from halsogap.needs._common import NeedsInputError
from halsogap.needs.population import age_range_of, population_for_ages

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
KOLADA = DEMO / "kolada"
CODES = DEMO / "codes" / "areas.csv"


@dataclass(frozen=True)
class NeedsData:
    """The four inputs of the pipeline, as read from the demo files or given by a caller."""

    values: pl.DataFrame
    population: pl.DataFrame
    indicators: pl.DataFrame
    areas: pl.DataFrame

    @property
    def names(self) -> dict[str, str]:
        return dict(self.areas.select("code", "name").iter_rows())

    def indicator(self, code: str) -> dict:
        rows = self.indicators.filter(pl.col("code") == code)
        if rows.height == 0:
            raise NeedsInputError(f"okänd indikator {code!r}")
        return rows.row(0, named=True)

    def memo(self, key: tuple, build):
        """What ``build()`` returns for ``key``, computed once for this data.

        The data never changes, so a figure derived from it stays true as long as the data
        lives; the web layer keeps one copy per data version and reader, so each gap is formed
        once per import, not once per page. A :class:`NeedsInputError` is kept too, so a group
        without values is not tried again on every page.

        >>> data = load_data()
        >>> data.memo(("answer",), lambda: 42), data.memo(("answer",), lambda: 0)
        (42, 42)
        """
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            try:
                memo[key] = (build(), None)
            except NeedsInputError as error:
                memo[key] = (None, error)
        value, error = memo[key]
        if error is not None:
            raise error.with_traceback(None)
        return value

    def kommuner_of(self, region: str) -> list[str]:
        return self.areas.filter(pl.col("parent") == region)["code"].to_list()

    def restricted_to(self, indicators: Sequence[str]) -> NeedsData:
        """The same data with only the given indicators (what one reader may see)."""
        codes = pl.Series(list(indicators), dtype=pl.String).implode()
        restricted = NeedsData(
            values=self.values.filter(pl.col("kpi").is_in(codes)),
            population=self.population,
            indicators=self.indicators.filter(pl.col("code").is_in(codes)),
            areas=self.areas,
        )
        # The population is the same, so the summed age ranges are too: share them, and the
        # unrestricted slices, which each reader filters to its own indicators.
        restricted.__dict__["_population_cache"] = self.__dict__.setdefault("_population_cache", {})
        restricted.__dict__["_slices"] = self.__dict__.setdefault("_slices", {})
        restricted.__dict__["_allowed"] = codes
        return restricted

    def kommun_values(self, region: str | None, *, restrict: bool = True) -> pl.DataFrame:
        """Totals (sex ``T``) of the region's kommuner, or of every kommun for None.

        Sliced once from the full data and kept: the equity rule reads them for every
        indicator of a ranking, and filtering 825 000 values each time would cost a page.
        """
        slices = self.__dict__.setdefault("_slices", {})
        if region not in slices:
            wanted = (
                pl.col("area").str.len_chars() == 4
                if region is None
                else pl.col("area").is_in(self.kommuner_of(region))
            )
            slices[region] = self.values.filter((pl.col("sex") == "T") & wanted)
        part = slices[region]
        allowed = self.__dict__.get("_allowed") if restrict else None
        return part if allowed is None else part.filter(pl.col("kpi").is_in(allowed))

    def background_values(self, indicator: str) -> pl.DataFrame:
        """Every kommun's totals of one (national) background indicator, sliced once."""
        slices = self.__dict__.setdefault("_slices", {})
        key = ("background", indicator)
        if key not in slices:
            slices[key] = self.kommun_values(None, restrict=False).filter(
                pl.col("kpi") == indicator
            )
        return slices[key]

    def total_population(self, year: int) -> pl.DataFrame:
        """Each area's whole population (sex ``T``, all ages) in ``year``, summed once."""
        slices = self.__dict__.setdefault("_slices", {})
        key = ("population", year)
        if key not in slices:
            slices[key] = (
                population_for_ages(self.population.filter(pl.col("year") == year))
                .filter(pl.col("sex") == "T")
                .select("area", pl.col("population").cast(pl.Float64))
            )
        return slices[key]

    @classmethod
    def from_observations(
        cls,
        observations: pl.DataFrame,
        *,
        population: pl.DataFrame,
        indicators: pl.DataFrame,
        areas: pl.DataFrame,
    ) -> NeedsData:
        """The engine's input from frames in the shared observation vocabulary.

        ``observations`` has ``indicator``, ``area``, ``period``, ``sex``, ``age_band``,
        ``socioeconomic_group`` and ``value`` (already suppressed for display: a hidden value
        is null and takes no part); ``population`` has ``area``, ``period``, ``sex``,
        ``age_band`` and ``population``. The engine works on yearly values of whole
        populations, so only one-year periods of the all-ages, all-groups rows are kept; this is
        the one place where a period becomes a year.

        >>> obs = pl.DataFrame({"indicator": ["U01402"] * 3, "area": ["01"] * 3,
        ...     "period": ["2022", "2022K1", "2023"], "sex": ["T"] * 3, "age_band": [""] * 3,
        ...     "socioeconomic_group": [""] * 3, "value": [5.8, 5.0, None]})
        >>> pop = pl.DataFrame({"area": ["01"], "period": ["2022"], "sex": ["T"],
        ...     "age_band": ["16-84"], "population": [1_900_000.0]})
        >>> data = NeedsData.from_observations(obs, population=pop, indicators=pl.DataFrame(),
        ...     areas=pl.DataFrame())
        >>> data.values.rows(), data.population["year"].to_list()
        ([('U01402', '01', 2022, 'T', 5.8)], [2022])
        """
        annual = pl.col("period").str.contains(r"^\d{4}$")
        values = observations.filter(
            annual
            & (pl.col("age_band") == "")
            & (pl.col("socioeconomic_group") == "")
            & pl.col("value").is_not_null()
        ).select(
            pl.col("indicator").alias("kpi"),
            "area",
            pl.col("period").cast(pl.Int16).alias("year"),
            "sex",
            "value",
        )
        people = population.filter(annual).select(
            "area",
            pl.col("period").cast(pl.Int16).alias("year"),
            "sex",
            "age_band",
            pl.col("population").cast(pl.Int64),
        )
        return cls(values=values, population=people, indicators=indicators, areas=areas)


def load_data(kolada: str | Path = KOLADA, codes: str | Path = CODES) -> NeedsData:
    """Read the Kolada demo files (or files of the same shape elsewhere).

    >>> data = load_data()
    >>> data.indicator("U01402")["unit"], data.names["13"]
    ('procent', 'Region Halland')
    """
    kolada = Path(kolada)
    return NeedsData(
        values=pl.read_parquet(kolada / "values.parquet"),
        population=pl.read_parquet(kolada / "population.parquet"),
        indicators=pl.read_csv(kolada / "kpis.csv", infer_schema_length=0),
        areas=pl.read_csv(codes, infer_schema_length=0),
    )


NO_AGE_RANGE = "indikatorns åldersgrupp framgår inte; ange behovsgruppens befolkning"


def population_for(
    data: NeedsData, indicator: Mapping[str, str], year: int, sex: str
) -> tuple[pl.DataFrame | None, int | None, str | None]:
    """Need-group population per area for a KPI, the population year used, and why not.

    ``indicator`` is the KPI's row (``title``, and ``description`` where known). Returns
    ``(population, year, reason)``; population is None with a Swedish reason when neither the
    title nor the description states an age range (:func:`age_range_of`) or the age bands
    cannot represent it.
    """
    ages = age_range_of(indicator["title"], indicator.get("description") or "")
    if ages is None:
        return None, None, NO_AGE_RANGE
    years = [y for y in data.population["year"].unique().to_list() if y <= year]
    if not years:
        return None, None, f"befolkning saknas för {year} och tidigare år"
    used = max(years)
    try:
        pop = cached_population(data, used, ages)
    except NeedsInputError as error:
        return None, used, f"befolkningens åldersgrupper passar inte indikatorn ({error})"
    return pop.filter(pl.col("sex") == sex).drop("sex"), used, None


def cached_population(data: NeedsData, year: int, ages: tuple[int, int | None]) -> pl.DataFrame:
    # Many indicators share an age range (16–84 above all); summing the bands once per range
    # and year keeps the national run fast.
    cache = data.__dict__.setdefault("_population_cache", {})
    key = (year, ages)
    if key not in cache:
        cache[key] = population_for_ages(
            data.population.filter(pl.col("year") == year), age_from=ages[0], age_to=ages[1]
        ).select("area", "sex", "population", pl.col("ages").alias("population_ages"))
    return cache[key]
