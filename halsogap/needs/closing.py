"""Is a need's health gap closing? The one sentence every page, document and trace uses.

The pace comes from :func:`halsogap.needs.gaps.gap_trend` (ordinary least squares over the
latest values, with a 95 % interval) on the need group's own series.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from halsogap.needs.gaps import gap_trend
from halsogap.numbers import format_number, gap_unit
from halsogap.periods import decimal_year, period_bounds


@dataclass(frozen=True)
class GapClosing:
    """Is the need's health gap closing? From :func:`halsogap.needs.gap_trend` on one series."""

    status: str
    closing: bool | None
    gap_latest: float | None
    pace_per_year: float | None
    pace_lower_95: float | None
    pace_upper_95: float | None
    closes_year: int | None
    first_period: str | None
    last_period: str | None
    points: int
    sentence_sv: str
    method: str


def gap_closing(
    history: pl.DataFrame,
    *,
    desired: float,
    polarity: str,
    periods: int = 5,
    unit: str | None = None,
    decimals: int = 1,
) -> GapClosing:
    """Whether the gap between the need group's value and the political target is closing.

    ``history`` holds ``period`` and ``value`` for the need group's indicator (one area); the
    target ``desired`` is the one the needs analysis used, so this is the same gap. The pace
    comes from :func:`halsogap.needs.gap_trend` (OLS over the latest ``periods`` values, with
    a 95 % interval); "gap kvar" is positive while the area is worse than the target. The gap
    is written with the indicator's ``decimals`` and in the unit of a difference (``unit``
    "procent" gives "procentenheter"), the pace with one decimal more.

    >>> hist = pl.DataFrame({"period": ["2018", "2019", "2020", "2021", "2022"],
    ...     "value": [10.0, 9.5, 9.0, 8.5, 8.0]})
    >>> g = gap_closing(hist, desired=5.0, polarity="lower_better")
    >>> g.status, g.gap_latest, g.closes_year
    ('gapet minskar', 3.0, 2028)
    >>> gap_closing(hist, desired=5.0, polarity="lower_better", unit="procent").sentence_sv
    'Gapet minskar: 3,0 procentenheter kvar till målet (2022), minskar med 0,50 per år (95 % KI 0,50 till 0,50); stängs omkring 2028.'
    """
    frame = history.select(
        pl.col("period").cast(pl.String), pl.col("value").cast(pl.Float64).fill_nan(None)
    ).filter(pl.col("value").is_not_null())
    years = [decimal_year(period_bounds(p)[0]) for p in frame["period"].to_list()]
    # Whole-year periods keep integer years, so "closes_year" reads as a calendar year.
    frame = frame.with_columns(pl.Series("t", years), pl.lit("_").alias("area"))
    out = gap_trend(frame, desired=desired, polarity=polarity, periods=periods, period="t")
    if out.height == 0:
        return GapClosing(
            "för få mätpunkter",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            0,
            "Inga värden att bedöma gapet på.",
            "",
        )
    row = out.row(0, named=True)
    by_t = dict(zip(years, frame["period"].to_list(), strict=True))
    first, last = by_t.get(row["first_period"]), by_t.get(row["last_period"])
    status = row["status"]
    gap, pace = row["gap_latest"], row["pace_per_year"]
    if status == "för få mätpunkter":
        sentence = f"För få mätpunkter ({row['points']}) för att bedöma om gapet minskar."
    elif status == "målet nått":
        sentence = f"Målet är nått {last}: inget gap kvar."
    else:
        word = "minskar" if pace > 0 else "ökar" if pace < 0 else "är oförändrat"
        amount = f"{format_number(gap, decimals)} {gap_unit(unit)}".strip()
        sentence = f"Gapet {word}: {amount} kvar till målet ({last})"
        if pace != 0:
            sentence += (
                f", {'minskar' if pace > 0 else 'ökar'} med {format_number(abs(pace), decimals + 1)} "
                f"per år (95 % KI {format_number(row['pace_lower_95'], decimals + 1)} till "
                f"{format_number(row['pace_upper_95'], decimals + 1)})"
            )
        if row["closes_year"] is not None:
            sentence += f"; stängs omkring {row['closes_year']}"
        sentence += "."
    return GapClosing(
        status,
        row["closing"],
        gap,
        pace,
        row["pace_lower_95"],
        row["pace_upper_95"],
        row["closes_year"],
        first,
        last,
        row["points"],
        sentence,
        row["method"],
    )
