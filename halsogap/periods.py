"""Periods as text and as dates: "2025", "2025H1", "2025K2", "2025M03", "2018-2021" or a date.

The one home of period parsing for the whole core: observations, provider reports, follow-up
plans and documents all read a period here. A value describes its whole period, so it is placed
at the period's **last day** when it is compared with the planned path to a target (a yearly
value for 2025 is what 2025 achieved).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

#: The period spellings accepted in provider reports and plans (en dashes are read as hyphens).
PERIOD_RE = (
    r"^(?:(?:19|20)\d\d(?:-(?:19|20)\d\d|H[12]|[KQ][1-4]|M(?:0[1-9]|1[0-2])|-(?:0[1-9]|1[0-2]))?"
    r"|(?:19|20)\d\d-\d\d-\d\d)$"
)
EXPECT_PERIOD = 'en period som "2025", "2025H1", "2025K1", "2025M03" eller "2018-2021"'
YEAR, HALF_YEAR, QUARTER, MONTH, RANGE, DAY = "år", "halvår", "kvartal", "månad", "flera år", "dag"
#: Period kinds from the longest to the shortest, as a plan's reporting frequency names them.
KINDS = (YEAR, HALF_YEAR, QUARTER, MONTH)
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(\d{4})$")
_HALF = re.compile(r"^(\d{4})H([12])$")
_QUARTER = re.compile(r"^(\d{4})[KQ]([1-4])$")
_MONTH = re.compile(r"^(\d{4})(?:M|-)(\d{2})$")


def normalise_period(period: object) -> str:
    """The period as text, trimmed, upper-case letters, en/em dashes as hyphens.

    >>> normalise_period(" 2025k1 "), normalise_period(2024), normalise_period("2018–2021")
    ('2025K1', '2024', '2018-2021')
    """
    text = str(period).strip().upper()
    return re.sub("[\u2013\u2014]", "-", text)


def period_kind(period: object) -> str:
    """What kind of period the text names: år, halvår, kvartal, månad, flera år or dag.

    >>> [period_kind(p) for p in ("2025", "2025H2", "2025K3", "2025M07", "2018-2021")]
    ['år', 'halvår', 'kvartal', 'månad', 'flera år']
    """
    text = normalise_period(period)
    for pattern, kind in (
        (_YEAR, YEAR),
        (_HALF, HALF_YEAR),
        (_QUARTER, QUARTER),
        (_MONTH, MONTH),
        (_RANGE, RANGE),
    ):
        if pattern.match(text):
            return kind
    period_bounds(text)  # raises ValueError for text that is no period at all
    return DAY


def period_bounds(period: object) -> tuple[date, date]:
    """First and last day of a period; raises ``ValueError`` for text that is not a period.

    >>> period_bounds("2025K2")
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    >>> period_bounds("2025H2")
    (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    >>> period_bounds("2018-2021")
    (datetime.date(2018, 1, 1), datetime.date(2021, 12, 31))
    >>> period_bounds(date(2025, 3, 15))
    (datetime.date(2025, 3, 15), datetime.date(2025, 3, 15))
    """
    if isinstance(period, date):
        return period, period
    text = normalise_period(period)
    if m := _YEAR.match(text):
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    if m := _RANGE.match(text):
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            raise ValueError(f"period {period!r} ends before it starts")
        return date(first, 1, 1), date(last, 12, 31)
    if m := _HALF.match(text):
        year, half = int(m.group(1)), int(m.group(2))
        return (
            (date(year, 1, 1), date(year, 6, 30))
            if half == 1
            else (
                date(year, 7, 1),
                date(year, 12, 31),
            )
        )
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        end_month = quarter * 3
        last_day = calendar.monthrange(year, end_month)[1]
        return date(year, end_month - 2, 1), date(year, end_month, last_day)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{period!r} is not a period")
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{period!r} is not a period") from None
    return day, day


def period_end(period: object) -> date:
    """The last day of the period, where its value is placed in time.

    >>> period_end("2025"), period_end("2025M02")
    (datetime.date(2025, 12, 31), datetime.date(2025, 2, 28))
    """
    return period_bounds(period)[1]


def period_year(period: object) -> int | None:
    """The calendar year of a one-year period ("2025" → 2025); None for any other period.

    Annual statistics (Kolada, SCB) are analysed by year; a quarter or a range of years is not
    a year's value and must not be mixed into a yearly series.

    >>> period_year("2025"), period_year(2024), period_year("2025K1"), period_year("2018-2021")
    (2025, 2024, None, None)
    """
    match = _YEAR.match(normalise_period(period))
    return int(match.group(1)) if match else None


def is_valid_period(period: object) -> bool:
    """Whether the text names a period Hälsogap reads.

    >>> is_valid_period("2026H1"), is_valid_period("2026-13"), is_valid_period("våren")
    (True, False, False)
    """
    try:
        period_bounds(period)
    except ValueError:
        return False
    return True


def decimal_year(day: date) -> float:
    """A date as a year with a fraction, so slopes come out "per år".

    >>> decimal_year(date(2025, 1, 1)), round(decimal_year(date(2025, 12, 31)), 4)
    (2025.0, 2025.9973)
    """
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days
