"""Numbers as Swedish readers write them: the one formatter every page, document and CSV uses.

A decimal comma, a no-break space between thousands, a true minus sign (−), rounding half away
from zero as people do by hand, and "–" for a number that is missing or undefined. A value
shows the indicator's own precision (:func:`decimals_for`), so that "5,1 %" on a page is "5,1 %"
in its PDF, Word and Excel export too.
"""

from __future__ import annotations

import math
import re

DASH = "–"
THOUSANDS = "\u00a0"
MINUS = "\u2212"
#: Units whose values are counts of people or events (shown whole, and subject to the
#: disclosure threshold; see :mod:`halsogap.disclosure`).
COUNT_UNITS = frozenset(
    {
        "antal",
        "st",
        "st.",
        "stycken",
        "personer",
        "person",
        "individer",
        "patienter",
        "invånare",
        "fall",
        "händelser",
        "besök",
        "samtal",
        "deltagare",
        "barn",
        "elever",
    }
)
_PERCENT_UNITS = {"procent", "%", "andel (%)"}
_PER_RE = re.compile(r"^per\s+([\d\s\u00a0\u202f]+)\s*(invånare)?$")


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_number(value: float | int | None, decimals: int = 1, *, grouping: bool = True) -> str:
    """Swedish number text with ``decimals`` decimals; None, NaN and infinity as "–".

    ``grouping=False`` leaves out the thousands separator, for CSV files that spreadsheets and
    scripts read as numbers.

    >>> format_number(41234.5, 0), format_number(5.05), format_number(-1.25, 2)
    ('41\\xa0235', '5,1', '−1,25')
    >>> format_number(-0.04), format_number(None), format_number(41234.5, 0, grouping=False)
    ('0,0', '–', '41235')
    """
    if _is_missing(value):
        return DASH
    factor = 10**decimals
    # Round half away from zero as people do by hand (Python's format rounds half to even);
    # the small epsilon absorbs binary representation (5.05 is stored as 5.04999…).
    rounded = math.floor(abs(float(value)) * factor + 0.5 + 1e-9) / factor
    text = f"{rounded:,.{decimals}f}".replace(",", THOUSANDS if grouping else "").replace(".", ",")
    return f"{MINUS}{text}" if value < 0 and rounded != 0 else text


def format_signed(value: float | None, decimals: int = 1) -> str:
    """A change with its sign: "+0,4", "−1,2", "±0,0".

    >>> format_signed(0.42), format_signed(-1.2), format_signed(0.0), format_signed(None)
    ('+0,4', '−1,2', '±0,0', '–')
    """
    if _is_missing(value):
        return DASH
    text = format_number(abs(value), decimals)
    if text.strip("0,") == "":
        return f"±{text}"
    return ("+" if value > 0 else MINUS) + text


def is_count_unit(unit: str | None) -> bool:
    """Whether values in ``unit`` count people or events (not a rate, share or mean).

    >>> is_count_unit("antal"), is_count_unit("Personer"), is_count_unit("procent")
    (True, True, False)
    """
    return (unit or "").strip().lower() in COUNT_UNITS


def decimals_for(unit: str | None, *, precision: int | None = None) -> int:
    """The indicator's precision: its own when it has one (a Gini coefficient reads 0,292),
    else by unit: counts and kronor whole, rates, shares and means one decimal.

    >>> decimals_for("antal"), decimals_for("personer"), decimals_for("procent"), decimals_for("kr")
    (0, 0, 1, 0)
    >>> decimals_for("index", precision=3)
    3
    """
    if precision is not None:
        return precision
    text = (unit or "").strip().lower()
    if is_count_unit(text) or text in {"kr", "kronor", "tkr"}:
        return 0
    return 1


def unit_label(unit: str | None) -> str:
    """How a unit reads after a number ("procent" → "%").

    >>> unit_label("procent"), unit_label("per 100 000 invånare"), unit_label(None)
    ('%', 'per 100 000 invånare', '')
    """
    text = (unit or "").strip()
    return "%" if text.lower() in _PERCENT_UNITS else text


def gap_unit(unit: str | None) -> str:
    """The unit of a difference: a gap between two percentages is in percentage points.

    >>> gap_unit("procent"), gap_unit("år")
    ('procentenheter', 'år')
    """
    return "procentenheter" if unit_label(unit) == "%" else unit_label(unit)


def format_value(value: float | None, unit: str | None, *, decimals: int | None = None) -> str:
    """A value with its unit as a Swedish reader expects it ("5,1 %", "82,3 år").

    ``decimals`` defaults to the unit's precision (:func:`decimals_for`).

    >>> format_value(5.1, "procent"), format_value(123.45, "per 100 000 invånare")
    ('5,1 %', '123,5 per 100 000 invånare')
    >>> format_value(1204, "personer"), format_value(None, "procent")
    ('1\\xa0204 personer', '–')
    """
    if _is_missing(value):
        return DASH
    places = decimals_for(unit) if decimals is None else decimals
    return f"{format_number(value, places)} {unit_label(unit)}".strip()


def format_kr(value: float | None) -> str:
    """Kronor as a Swedish reader expects them: "85 000 kr", millions as "1,25 mnkr".

    >>> format_kr(1_250_000), format_kr(85_000), format_kr(None)
    ('1,25 mnkr', '85\\xa0000 kr', '–')
    """
    if _is_missing(value):
        return DASH
    if abs(value) >= 1_000_000:
        text = format_number(value / 1_000_000, 2)
        # "1,50 mnkr" reads as a price tag; trailing zeros add nothing in a summary.
        text = text.rstrip("0").rstrip(",") if "," in text else text
        return f"{text} mnkr"
    return f"{format_number(value, 0)} kr"


def format_money(value: float | None) -> str:
    """An exact amount in kronor, for decision documents: "1 250 000 kr".

    >>> format_money(1250000), format_money(None)
    ('1\\xa0250\\xa0000 kr', '–')
    """
    return DASH if _is_missing(value) else f"{format_number(value, 0)} kr"


def persons_scale(unit: str | None) -> float | None:
    """Divisor turning ``rate × population`` into persons, or None when the unit has none.

    ``procent`` (or ``%``) → 100, ``promille`` → 1 000, ``per N invånare`` → N. The same
    divisor recovers a count from a rate and its denominator, which is why the disclosure rule
    uses it too.

    >>> persons_scale("procent"), persons_scale("per 100 000 invånare"), persons_scale("år")
    (100.0, 100000.0, None)
    """
    text = (unit or "").strip().lower()
    if text in _PERCENT_UNITS:
        return 100.0
    if text in ("promille", "‰"):
        return 1000.0
    match = _PER_RE.match(text)
    if match:
        digits = re.sub(r"\D", "", match.group(1))
        return float(digits) if digits else None
    return None
