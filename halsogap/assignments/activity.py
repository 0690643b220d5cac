"""How reported activity adds up, and when a value is too old to judge by.

A follow-up plan line says how its values are read against the target (:data:`AGGREGATIONS`):

* **summa** (``sum``) – the values after the baseline add up towards the target: 140 health
  dialogues in the first quarter and 185 in the second are 325 against a yearly target of 300;
* **ackumulerat** (``cumulative``) – the same running total, for a target over several years;
* **senaste värdet** (``latest``) – each value is the state at its time (a share, a rate);
* **medelvärde** (``mean``) – the running mean of the values after the baseline.

It also says how often values come (:data:`PERIOD_KINDS`: månad, kvartal, halvår, år). A line is
**out of date** when its newest value ends more than two such periods before today: one period
for the next to pass and one for it to be reported.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import polars as pl

from halsogap.periods import HALF_YEAR, MONTH, QUARTER, YEAR, period_bounds

SUM, CUMULATIVE, LATEST, MEAN = "sum", "cumulative", "latest", "mean"
AGGREGATIONS = {
    SUM: "summa över målperioden",
    CUMULATIVE: "ackumulerat sedan start",
    LATEST: "senaste värdet",
    MEAN: "medelvärde över målperioden",
}
PERIOD_KINDS = {MONTH: "månad", QUARTER: "kvartal", HALF_YEAR: "halvår", YEAR: "år"}
_LENGTH_DAYS = {MONTH: 31, QUARTER: 92, HALF_YEAR: 183, YEAR: 366}
_FREQUENCY_WORDS = (
    (r"halv", HALF_YEAR),
    (r"kvartal|quarter", QUARTER),
    (r"månad|manad|month", MONTH),
    (r"år|ar\b|year|annual", YEAR),
)


def period_kind_of(frequency: str | None) -> str | None:
    """The period kind a plan's frequency names, from Swedish or English words.

    >>> [period_kind_of(f) for f in ("årligen", "Kvartalsvis", "per halvår", "månad", "")]
    ['år', 'kvartal', 'halvår', 'månad', None]
    """
    text = (frequency or "").strip().lower()
    if text in _LENGTH_DAYS:
        return text
    for pattern, kind in _FREQUENCY_WORDS:
        if re.search(pattern, text):
            return kind
    return None


def is_stale(latest_end: date, *, period_kind: str | None, today: date) -> bool:
    """Whether a value ending ``latest_end`` is too old to judge the line by today.

    >>> is_stale(date(2023, 12, 31), period_kind="år", today=date(2027, 6, 1))
    True
    >>> is_stale(date(2025, 12, 31), period_kind="år", today=date(2026, 12, 1))
    False
    >>> is_stale(date(2023, 12, 31), period_kind=None, today=date(2030, 1, 1))
    False
    """
    if period_kind not in _LENGTH_DAYS:
        return False
    return today > latest_end + timedelta(days=2 * _LENGTH_DAYS[period_kind])


def aggregate(frame: pl.DataFrame, rule: str, *, start: date | None) -> pl.DataFrame:
    """The series the status rule judges, after the line's aggregation rule.

    ``frame`` comes from :func:`halsogap.trends.dated_series` (``period``, ``value``, ``start``,
    ``end``, oldest first); ``start`` is the baseline's date: a sum counts only what came after
    it. Limits are dropped from a sum or mean, which has none of its own.

    140 + 185 health dialogues reported for the first two quarters of 2026, after a baseline at
    the end of 2025, add up to 325:

    >>> from halsogap.trends import dated_series
    >>> v = dated_series(pl.DataFrame({"period": ["2025K4", "2026K1", "2026K2"],
    ...     "value": [90.0, 140.0, 185.0]}))
    >>> aggregate(v, "sum", start=date(2025, 12, 31))["value"].to_list()
    [140.0, 325.0]
    >>> aggregate(v, "mean", start=date(2025, 12, 31))["value"].to_list()
    [140.0, 162.5]
    """
    if rule not in (SUM, CUMULATIVE, MEAN):
        return frame
    part = frame.filter(pl.col("end") > start) if start is not None else frame
    running = pl.col("value").cum_sum()
    if rule == MEAN:
        running = running / pl.int_range(1, pl.len() + 1)
    return part.select("period", running.alias("value"), "start", "end")


def baseline_end(baseline_date: date | str | None) -> date | None:
    """The baseline's date as a day (a period's last day).

    >>> baseline_end("2025"), baseline_end(None)
    (datetime.date(2025, 12, 31), None)
    """
    if baseline_date is None or baseline_date == "":
        return None
    if isinstance(baseline_date, date):
        return baseline_date
    return period_bounds(baseline_date)[1]
