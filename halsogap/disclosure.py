"""Small-number suppression: the one rule every output path applies to health counts.

Counts below the disclosure threshold could identify individuals in small areas, so pages,
exports and the API all call :func:`suppress_counts` (or :func:`is_disclosable`) rather than
comparing numbers themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

DEFAULT_THRESHOLD = 5
SUPPRESSED_MARK = "..*"


def is_disclosable(count: float | int | None, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Return whether a count may be shown.

    Missing counts are disclosable (there is nothing to hide); zero is disclosable because
    SCB and Socialstyrelsen both publish zero cells; 1 to threshold−1 are not.

    >>> is_disclosable(3)
    False
    >>> is_disclosable(0), is_disclosable(5), is_disclosable(None)
    (True, True, True)
    """
    if count is None:
        return True
    return count == 0 or count >= threshold


def suppress_counts(
    frame: pl.DataFrame,
    columns: Iterable[str],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    flag_column: str = "suppressed",
    dependent_columns: Iterable[str] = (),
) -> pl.DataFrame:
    """Blank counts below ``threshold`` and mark the row as suppressed.

    ``dependent_columns`` are blanked too on a suppressed row: a rate or its confidence
    limits computed from a small numerator would let a reader recover the count.

    >>> df = pl.DataFrame({"numerator": [3, 12], "value": [1.5, 6.0]})
    >>> suppress_counts(df, ["numerator"], dependent_columns=["value"]).to_dicts()
    [{'numerator': None, 'value': None, 'suppressed': True}, {'numerator': 12, 'value': 6.0, 'suppressed': False}]
    """
    columns = [c for c in columns if c in frame.columns]
    hide = pl.lit(False)
    for column in columns:
        value = pl.col(column)
        hide = hide | (value.is_not_null() & (value > 0) & (value < threshold))
    previous = pl.col(flag_column) if flag_column in frame.columns else pl.lit(False)
    frame = frame.with_columns(hide.alias("__hide"))
    # A count can also be listed as dependent (a value that is itself a count); blank it once.
    blank = list(dict.fromkeys([*columns, *(c for c in dependent_columns if c in frame.columns)]))
    frame = frame.with_columns(
        [pl.when(pl.col("__hide")).then(None).otherwise(pl.col(c)).alias(c) for c in blank]
    )
    return frame.with_columns(
        (previous.fill_null(False) | pl.col("__hide")).alias(flag_column)
    ).drop("__hide")
