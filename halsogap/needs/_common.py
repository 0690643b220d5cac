"""Private plumbing of the needs engine: its error class, area levels and frame checks.

The shared vocabulary lives in public modules: polarity in :mod:`halsogap.polarity`, numbers
and units in :mod:`halsogap.numbers`, periods in :mod:`halsogap.periods`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from halsogap import polarity as polarity_module
from halsogap.polarity import HIGHER_BETTER, LOWER_BETTER, NO_POLARITY  # noqa: F401
from halsogap.stats import StatsInputError
from halsogap.stats import _common as stats_common
from halsogap.stats._common import as_list  # noqa: F401  (re-exported for the needs modules)


class NeedsInputError(StatsInputError):
    """Input the needs engine cannot use; a ``StatsInputError`` so one ``except`` catches both."""


def normalise_polarity(polarity: str | None) -> str:
    """:func:`halsogap.polarity.normalise_polarity`, reporting a bad spelling as a needs error.

    >>> normalise_polarity("low_is_good")
    'lower_better'
    """
    return polarity_module.normalise_polarity(polarity, error=NeedsInputError)


def require_judged(polarity: str, function: str) -> str:
    """:func:`halsogap.polarity.require_judged`, reporting the problem as a needs error."""
    return polarity_module.require_judged(polarity, function, error=NeedsInputError)


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
