"""From aggregates to what Hälsogap shows: standardised rates, and observations per cell."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from halsogap.stats import dsr
from halsogap.stats.standardise import load_standard


def microdata_dsr(
    aggregates: pl.DataFrame,
    event: str,
    *,
    by: Sequence[str] = ("area", "year"),
    standard: str = "esp2013",
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Directly standardised rates of ``event`` per group of ``by`` from the aggregates.

    Groups without population in some band of the standard cannot be standardised; they are
    returned with an empty value and the reason, never dropped silently.

    >>> bands = load_standard("esp2013")["age_band"].to_list()
    >>> agg = pl.DataFrame({"area": ["A"] * 19, "year": [2024] * 19, "sex": ["T"] * 19,
    ...     "age_band": bands, "population": [5000.0] * 19, "x": [30.0] * 19})
    >>> microdata_dsr(agg, "x").select("area", pl.col("value").round(1), "reason").rows()
    [('A', 600.0, None)]
    """
    keys = list(by)
    grouped = aggregates.group_by([*keys, "age_band"]).agg(
        pl.col("population").sum(), pl.col(event).sum().alias("count")
    )
    bands = load_standard(standard)["age_band"].to_list()
    coverage = (
        grouped.filter(pl.col("population") > 0)
        .group_by(keys)
        .agg(pl.col("age_band").alias("__bands"))
    )
    complete = coverage.filter(pl.col("__bands").list.len() == len(bands)).select(keys)
    incomplete = coverage.join(complete, on=keys, how="anti")
    rates = (
        dsr(grouped.join(complete, on=keys), by=keys, standard=standard, multiplier=multiplier)
        if complete.height
        else pl.DataFrame()
    )
    if rates.height:
        rates = rates.with_columns(pl.lit(None, pl.String).alias("reason"))
    if incomplete.height:
        reasons = incomplete.with_columns(
            pl.col("__bands")
            .map_elements(
                lambda have: (
                    "saknar befolkning i åldersgrupperna "
                    + ", ".join(b for b in bands if b not in set(have))
                ),
                return_dtype=pl.String,
            )
            .alias("reason"),
            pl.lit(None, pl.Float64).alias("value"),
        ).drop("__bands")
        rates = pl.concat([rates, reasons], how="diagonal_relaxed") if rates.height else reasons
    return rates.sort(keys)


def microdata_observations(
    aggregates: pl.DataFrame,
    indicators: dict[str, str],
    *,
    threshold: int = 5,
    source: str = "regionens mikrodata",
):
    """The aggregates as observations ready for the import checks: per event, its indicator's
    share in per cent with numerator and denominator, for each cell and for the totals over
    age (``åldersgrupp`` empty) and over sex (``kön`` T) that the pages read.

    A numerator below ``threshold`` (but above 0) is kept out and the row flagged suppressed,
    so neither the count nor the share reaches the database.

    >>> agg = pl.DataFrame({"area": ["A", "A"], "year": [2024, 2024], "sex": ["K", "M"],
    ...     "age_band": ["40-44", "40-44"], "population": [100.0, 50.0], "x": [10.0, 2.0]})
    >>> t = microdata_observations(agg, {"x": "HG_X"}, threshold=5)
    >>> t.frame.filter(pl.col("åldersgrupp") == "").select("kön", "värde", "täljare", "undertryckt").sort("kön").rows()
    [('K', '10.0', '10', ''), ('M', '', '', 'ja'), ('T', '8.0', '12', '')]
    """
    from halsogap.sources.jsonstat import SourceTable

    keys = ["area", "year", "sex", "age_band"]
    sums = [pl.col(c).sum() for c in [*indicators, "population"]]
    by_age = aggregates.group_by("area", "year", "sex").agg(sums)
    cells = pl.concat(
        [
            aggregates.select(*keys, *indicators, "population"),
            by_age.with_columns(pl.lit("").alias("age_band")).select(
                *keys, *indicators, "population"
            ),
        ]
    )
    totals = cells.group_by("area", "year", "age_band").agg(sums)
    cells = pl.concat([cells, totals.with_columns(pl.lit("T").alias("sex")).select(cells.columns)])
    # Without a sex column every row is already "T": keep one of each key.
    cells = cells.unique(keys, keep="first", maintain_order=True)
    parts = []
    for event, indicator in indicators.items():
        count = pl.col(event)
        hidden = (count > 0) & (count < threshold)
        parts.append(
            cells.select(
                pl.lit(indicator).alias("indikator"),
                pl.col("area").alias("område"),
                pl.col("year").cast(pl.String).alias("period"),
                pl.col("sex").alias("kön"),
                pl.col("age_band").alias("åldersgrupp"),
                pl.when(hidden)
                .then(pl.lit(""))
                .otherwise((count / pl.col("population") * 100).round(4).cast(pl.String))
                .alias("värde"),
                pl.when(hidden)
                .then(pl.lit(""))
                .otherwise(count.round(0).cast(pl.Int64).cast(pl.String))
                .alias("täljare"),
                pl.col("population").round(0).cast(pl.Int64).cast(pl.String).alias("nämnare"),
                pl.when(hidden).then(pl.lit("ja")).otherwise(pl.lit("")).alias("undertryckt"),
            )
        )
    frame = pl.concat(parts).sort("indikator", "område", "period", "kön", "åldersgrupp")
    return SourceTable(frame, {"source": source, "label": "Summerat ur personnivådata"})
