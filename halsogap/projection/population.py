"""A need group's population moved forward by age and sex with SCB's national projection.

How: each of the group's cells (an age band of one sex) changes from the start year as the
same age band and sex changes in the whole country, in the projection SCB made for
Folkhälsomyndigheten's NCDSim model (``pop_counts_scb.csv``: register counts to 2024,
projected after). A group of many 40-year-olds thus grows or shrinks as Sweden's
40-year-olds do; births, deaths, migration and ageing are the national projection's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from .ranges import ProjectionInputError

#: SCB's codes in the NCDSim files: 1 men, 2 women; Hälsogap writes M and K.
SEX_CODES = {"M": 1, "K": 2}


def read_national_projection(path: str | Path) -> pl.DataFrame:
    """``year``, ``sex`` (M/K), ``age`` and ``population`` from NCDSim's ``pop_counts_scb.csv``.

    >>> import io
    >>> read_national_projection(io.BytesIO(b"year;sex;age;pop\\n2024;2;40;65000.5\\n")).rows()
    [(2024, 'K', 40, 65000.5)]
    """
    frame = pl.read_csv(path, separator=";", columns=["year", "sex", "age", "pop"])
    return frame.select(
        pl.col("year").cast(pl.Int32),
        pl.col("sex").replace_strict({1: "M", 2: "K"}, return_dtype=pl.String),
        pl.col("age").cast(pl.Int32),
        pl.col("pop").cast(pl.Float64).alias("population"),
    )


def population_forward(
    structure: pl.DataFrame,
    national: pl.DataFrame,
    *,
    start_year: int,
    horizon: int,
) -> np.ndarray:
    """The group's population in each year from ``start_year`` to ``start_year + horizon``.

    ``structure`` has ``sex`` (M/K), ``age_from``, ``age_to`` (inclusive) and ``population``
    in the start year; ``national`` is :func:`read_national_projection`'s frame.

    >>> national = pl.DataFrame({"year": [2025, 2026] * 2, "sex": ["K"] * 4,
    ...     "age": [40, 40, 41, 41], "population": [100.0, 110.0, 100.0, 130.0]})
    >>> group = pl.DataFrame({"sex": ["K"], "age_from": [40], "age_to": [41],
    ...     "population": [50.0]})
    >>> population_forward(group, national, start_year=2025, horizon=1).tolist()
    [50.0, 60.0]
    """
    years = list(range(start_year, start_year + horizon + 1))
    present = set(national.filter(pl.col("year").is_in(years))["year"].unique().to_list())
    if missing := [y for y in years if y not in present]:
        raise ProjectionInputError(
            f"Befolkningsprognosen saknar år {missing[0]}; den behövs för hela horisonten "
            f"{years[0]}–{years[-1]}."
        )
    totals = np.zeros(len(years))
    for sex, age_from, age_to, population in structure.select(
        "sex", "age_from", "age_to", "population"
    ).iter_rows():
        if sex not in SEX_CODES or age_from > age_to or population < 0:
            raise ProjectionInputError(
                f"Befolkningscellen {sex} {age_from}–{age_to} år ({population}) går inte att "
                "använda: kön ska vara M eller K, åldrarna stigande och antalet minst 0."
            )
        band = (
            national.filter((pl.col("sex") == sex) & pl.col("age").is_between(age_from, age_to))
            .group_by("year")
            .agg(pl.col("population").sum())
        )
        by_year = dict(band.iter_rows())
        base = by_year.get(start_year, 0.0)
        if base <= 0:
            raise ProjectionInputError(
                f"Befolkningsprognosen har ingen befolkning för {sex} {age_from}–{age_to} år "
                f"år {start_year}."
            )
        totals += population * np.array([by_year[y] / base for y in years])
    return totals
