"""The trend of a series in words: one rule for the indicator pages, the needs and the follow-up.

With 95 % limits on the five latest values, Fingertips' significance test
(:func:`halsogap.stats.trend`, weighted regression, χ² at p < 0,002) decides. Without them only
the sign of an ordinary least-squares slope over the latest values is given, and the text says
that it is not statistically tested. "Better" follows the indicator's polarity; without a
polarity the text says only whether the series rises or falls.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import polars as pl

from halsogap.periods import decimal_year, period_bounds
from halsogap.polarity import FINGERTIPS, HIGHER_BETTER, NO_POLARITY, normalise_polarity
from halsogap.stats.trend import trend as stats_trend

TREND_POINTS = 5
NOT_TESTED = "ej statistiskt prövad"
METHOD_FINGERTIPS = (
    "Fingertips trendtest: viktad regression över de fem senaste värdena med 95 %-gränser, "
    "signifikant vid p < 0,002"
)
METHOD_OLS = (
    "tecknet på lutningen (minsta kvadratmetoden) över de senaste {n} värdena; utan "
    "konfidensgränser, inte statistiskt prövad"
)
TREND_SV = {
    "Increasing": "ökar",
    "Decreasing": "minskar",
    "No significant change": "ingen säker förändring",
    "Cannot be calculated": "kan inte beräknas",
}
TOO_FEW = "för få värden"


def dated_series(values: pl.DataFrame, today: date | None = None) -> pl.DataFrame:
    """Non-missing values with their period's first and last day (``start``, ``end``), oldest
    first. ``today`` drops periods that have not begun: they cannot have been measured.

    >>> v = pl.DataFrame({"period": ["2024", "2023K4", "2027"], "value": [5.0, 5.5, 1.0]})
    >>> dated_series(v, date(2025, 6, 1)).select("period", "end").rows()
    [('2023K4', datetime.date(2023, 12, 31)), ('2024', datetime.date(2024, 12, 31))]
    """
    limits = [c for c in ("lower_95", "upper_95") if c in values.columns]
    frame = values.select(
        pl.col("period").cast(pl.String),
        pl.col("value").cast(pl.Float64).fill_nan(None),
        *[pl.col(c).cast(pl.Float64).fill_nan(None) for c in limits],
    ).filter(pl.col("value").is_not_null())
    bounds = [period_bounds(p) for p in frame["period"].to_list()]
    frame = frame.with_columns(
        pl.Series("start", [b[0] for b in bounds], dtype=pl.Date),
        pl.Series("end", [b[1] for b in bounds], dtype=pl.Date),
    )
    if today is not None:
        frame = frame.filter(pl.col("start") <= today)
    return frame.sort("end")


def has_limits(recent: pl.DataFrame) -> bool:
    """Fingertips' test needs five points, each with both 95 % limits."""
    return (
        {"lower_95", "upper_95"} <= set(recent.columns)
        and recent.height == TREND_POINTS
        and bool(recent.select(pl.col("lower_95", "upper_95").is_not_null().all()).to_numpy().all())
    )


def describe_trend(
    frame: pl.DataFrame, polarity: str | None, marker: dict | None = None
) -> tuple[str, str, float | None]:
    """``(words, method, slope per year)`` for a series from :func:`dated_series`.

    ``marker`` is a precomputed row of :func:`halsogap.stats.trend` (batch callers compute
    many series at once).

    >>> v = dated_series(pl.DataFrame({"period": ["2021", "2022", "2023"],
    ...     "value": [6.0, 5.5, 5.2]}))
    >>> describe_trend(v, "lower_better")[0]
    'minskar och blir bättre (ej statistiskt prövad)'
    >>> describe_trend(v, "none")[0]
    'minskar (ej statistiskt prövad)'
    """
    polarity = normalise_polarity(polarity)
    recent = frame.tail(TREND_POINTS)
    n = recent.height
    if n < 2:
        return TOO_FEW, "minst två värden behövs", None
    t = np.array([decimal_year(d) for d in recent["end"].to_list()])
    y = recent["value"].to_numpy()
    slope = float(np.polyfit(t, y, 1)[0]) if np.ptp(t) > 0 else None
    if has_limits(recent):
        marker = marker or stats_trend(
            recent.with_columns(pl.Series("t", t)),
            period="t",
            kind="other",
            polarity=FINGERTIPS[polarity],
            spacing="period",
        ).row(0, named=True)
        label = TREND_SV.get(marker["trend"], marker["trend"])
        if marker["trend"] in ("Increasing", "Decreasing") and polarity != NO_POLARITY:
            label += " och blir bättre" if "better" in marker["trend_label"] else " och blir sämre"
        elif marker["trend"] == "Cannot be calculated":
            label += f" ({marker['trend_reason']})"
        return label, METHOD_FINGERTIPS, slope
    if slope is None or math.isclose(slope, 0.0, abs_tol=1e-12):
        return f"oförändrad ({NOT_TESTED})", METHOD_OLS.format(n=n), slope
    direction = "ökar" if slope > 0 else "minskar"
    if polarity == NO_POLARITY:
        return f"{direction} ({NOT_TESTED})", METHOD_OLS.format(n=n), slope
    better = (slope > 0) == (polarity == HIGHER_BETTER)
    return (
        f"{direction} och blir {'bättre' if better else 'sämre'} ({NOT_TESTED})",
        METHOD_OLS.format(n=n),
        slope,
    )


def trend_texts(frame: pl.DataFrame, *, polarity: str | None, by: str = "area") -> dict:
    """The trend in words for each series of ``frame`` (``by``, ``period``, ``value``, limits).

    >>> df = pl.DataFrame({"area": ["01"] * 5, "period": ["2018", "2019", "2020", "2021", "2022"],
    ...     "value": [30.6, 30.2, 28.0, 24.6, 24.67],
    ...     "lower_95": [28.98, 28.63, 26.44, 23.15, 23.16],
    ...     "upper_95": [32.25, 31.9, 29.64, 26.19, 26.25]})
    >>> trend_texts(df, polarity="lower_better")
    {'01': 'minskar och blir bättre'}
    """
    out = {}
    for (key,), part in frame.group_by(by, maintain_order=True):
        out[key] = describe_trend(dated_series(part), polarity)[0]
    return out
