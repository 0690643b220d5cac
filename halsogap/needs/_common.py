"""Shared plumbing for the needs engine: polarity, area levels, units and Swedish number text.

Kept apart from the public modules so that targets, gaps, ranking and the CLI read polarity,
units and numbers the same way; a page that shows "5,1 %" in one table must not show "5.1%" in
the next.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import polars as pl

from halsogap.stats import StatsInputError
from halsogap.stats import _common as stats_common
from halsogap.stats._common import as_list  # noqa: F401  (re-exported for the needs modules)

LOWER_BETTER = "lower_better"
HIGHER_BETTER = "higher_better"
NO_POLARITY = "none"

#: Spellings met in the project: kpis.csv uses ``lower_better``, ``halsogap.stats.trend`` uses
#: ``low_is_good``; both mean the same and analysts type either.
_POLARITY_ALIASES = {
    "lower_better": LOWER_BETTER,
    "low_is_good": LOWER_BETTER,
    "lower": LOWER_BETTER,
    "higher_better": HIGHER_BETTER,
    "high_is_good": HIGHER_BETTER,
    "higher": HIGHER_BETTER,
    "none": NO_POLARITY,
    "": NO_POLARITY,
}


class NeedsInputError(StatsInputError):
    """Input the needs engine cannot use; a ``StatsInputError`` so one ``except`` catches both."""


def normalise_polarity(polarity: str | None) -> str:
    """``lower_better``, ``higher_better`` or ``none`` from any spelling used in the project.

    >>> normalise_polarity("low_is_good")
    'lower_better'
    """
    key = (polarity or "").strip().lower()
    if key not in _POLARITY_ALIASES:
        raise NeedsInputError(
            f"polarity {polarity!r} is not one of lower_better, higher_better or none"
        )
    return _POLARITY_ALIASES[key]


def require_judged(polarity: str, function: str) -> str:
    """Polarity that says which direction is better; a gap has no direction otherwise."""
    normalised = normalise_polarity(polarity)
    if normalised == NO_POLARITY:
        raise NeedsInputError(
            f"{function}: indikatorn saknar polaritet (varken högre eller lägre är bättre), "
            "så det går inte att avgöra vad som är bättre eller sämre"
        )
    return normalised


def area_level(code: str) -> str:
    """SCB level of an area code: ``riket`` (00), ``region`` (01–25), ``kommun`` (4 digits).

    >>> [area_level(c) for c in ("00", "13", "1380", "0180C1010")]
    ['riket', 'region', 'kommun', 'other']
    """
    if code == "00":
        return "riket"
    if len(code) == 2 and code.isdigit():
        return "region"
    if len(code) == 4 and code.isdigit():
        return "kommun"
    return "other"


def level_expr(column: str = "area") -> pl.Expr:
    """The same classification as :func:`area_level` as a Polars expression (no Python loop)."""
    code = pl.col(column)
    digits = code.str.contains(r"^\d+$")
    return (
        pl.when(code == "00")
        .then(pl.lit("riket"))
        .when(digits & (code.str.len_chars() == 2))
        .then(pl.lit("region"))
        .when(digits & (code.str.len_chars() == 4))
        .then(pl.lit("kommun"))
        .otherwise(pl.lit("other"))
    )


_PER_RE = re.compile(r"^per\s+([\d\s\u00a0]+)\s+invånare$")


def persons_scale(unit: str | None) -> float | None:
    """Divisor turning ``gap × population`` into persons, or None when the unit has none.

    ``procent`` (or ``%``) → 100, ``promille`` → 1 000, ``per N invånare`` → N.

    >>> persons_scale("procent"), persons_scale("per 100 000 invånare"), persons_scale("år")
    (100.0, 100000.0, None)
    """
    text = (unit or "").strip().lower()
    if text in ("procent", "%", "andel (%)"):
        return 100.0
    if text in ("promille", "‰"):
        return 1000.0
    match = _PER_RE.match(text)
    if match:
        return float(re.sub(r"\D", "", match.group(1)))
    return None


def format_number(value: float | None, decimals: int = 1) -> str:
    """Swedish number text: decimal comma and a non-breaking space between thousands.

    >>> format_number(41234.5, 0), format_number(5.05, 1), format_number(None)
    ('41\\xa0235', '5,1', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # Round half away from zero as people do by hand (Python's format rounds half to even).
    factor = 10**decimals
    rounded = math.floor(abs(value) * factor + 0.5 + 1e-9) / factor
    text = f"{rounded:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return f"−{text}" if value < 0 and rounded != 0 else text


def format_value(value: float | None, unit: str | None, *, decimals: int = 1) -> str:
    """A value with its unit as a Swedish reader expects it ("5,1 %", "82,3 år").

    >>> format_value(5.1, "procent"), format_value(123.45, "per 100 000 invånare")
    ('5,1 %', '123,5 per 100 000 invånare')
    """
    number = format_number(value, decimals)
    text = (unit or "").strip()
    if text.lower() in ("procent", "%", "andel (%)"):
        return f"{number} %"
    return f"{number} {text}".strip()


def ensure_frame(data: object, function: str) -> pl.DataFrame:
    """``data`` as a DataFrame (LazyFrames are collected) or a NeedsInputError."""
    return stats_common.ensure_frame(data, function, error=NeedsInputError)


def require_columns(frame: pl.DataFrame, columns: Sequence[str], function: str) -> None:
    """Raise a NeedsInputError naming the missing columns and the ones that exist."""
    stats_common.require_columns(frame, columns, function, error=NeedsInputError)


def area_name(code: str, names: Mapping[str, str] | None) -> str:
    """Display name of an area, falling back to the code so a description is never empty."""
    if names and code in names:
        return names[code]
    return f"område {code}"


SEX_NAMES = {"T": "totalt", "K": "kvinnor", "M": "män"}
