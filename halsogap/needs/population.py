"""Population of a need group from age bands, for turning a gap into persons.

The demo population (Kolada) comes in the bands 0-5, 6-15, 16-19, 20-44, 45-64, 65-79 and 80+.
An indicator's age range rarely matches them: daily smoking is measured for 16–84, and the
share of 80–84-year-olds inside 80+ is not in the data. Rather than invent that share, a band
that only partly overlaps the wanted range is either taken whole (``partial="include"``, the
default: 16–84 becomes 16+, overstating by the 85+ population, about 2–3 % of adults) or left
out (``partial="exclude"``: 16–79, understating by the 80–84-year-olds). The default,
``partial="open"``, takes only the open top band (80+) whole and refuses any other partly
covered band: 16–84 → 16+ is a small, stated overstatement, while 16–24 → 16–44 would double
the need group, so that gives an error (and the pipeline a reason instead of a persons figure).
The output states the bands used and the ages they really cover, so the table can say so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from halsogap.needs._common import NeedsInputError, ensure_frame, require_columns

_BAND_RE = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)|\+)\s*$")
PARTIAL = ("open", "include", "exclude", "error")


def parse_band(band: str) -> tuple[int, int | None]:
    """``"16-19"`` → (16, 19); ``"80+"`` → (80, None) (open upper end).

    >>> parse_band("20-44"), parse_band("80+")
    ((20, 44), (80, None))
    """
    match = _BAND_RE.match(band)
    if not match:
        raise NeedsInputError(f"age band {band!r} is neither 'a-b' nor 'a+'")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else None
    return low, high


def select_bands(
    bands: Sequence[str], *, age_from: int, age_to: int | None, partial: str = "open"
) -> tuple[list[str], str]:
    """The bands to sum for ages ``age_from``–``age_to`` and the age range they really cover.

    >>> select_bands(["0-5", "6-15", "16-19", "20-44", "45-64", "65-79", "80+"],
    ...     age_from=16, age_to=84)
    (['16-19', '20-44', '45-64', '65-79', '80+'], '16+')
    >>> select_bands(["16-19", "20-44", "45-64", "65-79", "80+"], age_from=16, age_to=84,
    ...     partial="exclude")
    (['16-19', '20-44', '45-64', '65-79'], '16-79')
    >>> select_bands(["16-19", "20-44"], age_from=16, age_to=24)
    Traceback (most recent call last):
    ...
    halsogap.needs._common.NeedsInputError: age band 20-44 only partly covers ages 16–24
    """
    if partial not in PARTIAL:
        raise NeedsInputError(f"partial must be one of {', '.join(PARTIAL)}")
    upper = float("inf") if age_to is None else age_to
    chosen: list[tuple[int, float, str]] = []
    for band in bands:
        low, high = parse_band(band)
        top = float("inf") if high is None else high
        if top < age_from or low > upper:
            continue
        inside = low >= age_from and top <= upper
        if not inside:
            if partial == "error" or (partial == "open" and (high is not None or low < age_from)):
                raise NeedsInputError(
                    f"age band {band} only partly covers ages {age_from}–{age_to or ''}"
                )
            if partial == "exclude":
                continue
        chosen.append((low, top, band))
    if not chosen:
        raise NeedsInputError(f"no age band covers ages {age_from}–{age_to or ''}")
    chosen.sort()
    low = chosen[0][0]
    top = chosen[-1][1]
    covers = f"{low}+" if top == float("inf") else f"{low}-{int(top)}"
    return [band for _, _, band in chosen], covers


def population_for_ages(
    population: pl.DataFrame,
    *,
    age_from: int = 0,
    age_to: int | None = None,
    partial: str = "open",
    period: str = "year",
) -> pl.DataFrame:
    """Population per area, period and sex (K, M and T = K + M) for an age range.

    ``population`` holds ``area``, ``period``, ``sex``, ``age_band`` and ``population``. Returns
    ``area``, ``period``, ``sex``, ``population``, ``age_bands`` (the bands summed) and
    ``ages`` (the range they cover, e.g. ``16+`` for 16–84 with the default ``partial``; see the
    module docstring). A sex
    total is only given where both K and M are present, so a missing half never shows as a
    smaller total.

    >>> pop = pl.DataFrame({"area": ["13"] * 4, "year": [2022] * 4, "sex": ["K", "K", "M", "M"],
    ...     "age_band": ["16-19", "80+", "16-19", "80+"], "population": [10, 5, 12, 3]})
    >>> population_for_ages(pop, age_from=16, age_to=84).select("sex", "population").rows()
    [('K', 15), ('M', 15), ('T', 30)]
    """
    function = "population_for_ages"
    frame = ensure_frame(population, function)
    require_columns(frame, ["area", period, "sex", "age_band", "population"], function)
    bands, covers = select_bands(
        frame["age_band"].unique().to_list(), age_from=age_from, age_to=age_to, partial=partial
    )
    keys = ["area", period]
    # A band with a missing count must not make the sum look complete.
    by_sex = (
        frame.filter(pl.col("age_band").is_in(bands), pl.col("sex").is_in(["K", "M"]))
        .group_by([*keys, "sex"])
        .agg(
            pl.when((pl.col("population").null_count() > 0) | (pl.len() < len(bands)))
            .then(None)
            .otherwise(pl.col("population").sum())
            .alias("population")
        )
    )
    total = (
        by_sex.group_by(keys)
        .agg(
            pl.when((pl.col("sex").n_unique() == 2) & (pl.col("population").null_count() == 0))
            .then(pl.col("population").sum())
            .otherwise(None)
            .alias("population")
        )
        .with_columns(pl.lit("T").alias("sex"))
        .select(*keys, "sex", "population")
    )
    return (
        pl.concat([by_sex, total])
        .with_columns(pl.lit(", ".join(bands)).alias("age_bands"), pl.lit(covers).alias("ages"))
        .sort([*keys, "sex"])
    )


def age_range_from_title(title: str) -> tuple[int, int | None] | None:
    """The age range in a Kolada KPI title ("Invånare 16-84 år …" → (16, 84)), or None when
    the title states none (the caller then looks in the description, :func:`age_range_of`).

    >>> age_range_from_title("Invånare 16-84 år som röker dagligen, andel (%)")
    (16, 84)
    >>> age_range_from_title("Invånare 65+ och ensamboende, andel (%) av bef")
    (65, None)
    >>> age_range_from_title("Invånare med bra självskattat hälsotillstånd, andel (%)") is None
    True
    """
    match = re.search(r"(\d+)\s*[-–]\s*(\d+)\s*år", title) or re.search(r"(\d+)\+", title)
    if not match:
        return None
    low = int(match.group(1))
    high = int(match.group(2)) if match.lastindex and match.lastindex >= 2 else None
    return low, high


def age_range_of(title: str, description: str = "") -> tuple[int, int | None] | None:
    """The indicator's age range: from its title, else from its description; None when
    neither states one, and then no persons can be counted (the needs pipeline says so).

    Where the description names several samples ("18-84 år" in one survey region, "16-84 år"
    in the rest of the country), the widest range is used, since the groups' population is
    summed over it and a narrower one would leave people out.

    >>> age_range_of("Invånare med bra självskattat hälsotillstånd, andel (%)",
    ...     "… urval av invånare 18-84 år. Resten av landet … urval på invånare 16-84 år …")
    (16, 84)
    >>> age_range_of("Invånare 16-84 år som röker dagligen, andel (%)", "urval 18-84 år")
    (16, 84)
    >>> age_range_of("Ohälsotal, dagar", "Antal utbetalda dagar") is None
    True
    """
    found = age_range_from_title(title)
    if found is not None:
        return found
    ranges = [
        (int(low), int(high))
        for low, high in re.findall(r"(\d+)\s*[-–]\s*(\d+)\s*år", description or "")
        if int(low) < int(high) <= 120
    ]
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)
