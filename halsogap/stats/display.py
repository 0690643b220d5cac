"""Applying the project's single disclosure rule to statistics results before they are shown."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from halsogap.disclosure import DEFAULT_THRESHOLD, suppress_counts

#: Event counts in the results of this package; populations are not counts of people with an
#: event, so they stay visible.
COUNT_COLUMNS = ("numerator", "total_count", "observed", "count", "deaths", "dths_used")


def for_display(
    result: pl.DataFrame,
    counts: Iterable[str] | None = None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Blank small counts and everything derived from them, via :func:`suppress_counts`.

    The value and every ``lower_*``/``upper_*`` limit are blanked with the count, because a
    rate and its limits would let a reader recover a suppressed count.

    >>> from halsogap.stats import rate
    >>> out = for_display(rate(pl.DataFrame({"numerator": [3, 40], "denominator": [900, 900]})))
    >>> out.select("numerator", "value", "suppressed").rows()
    [(None, None, True), (40, 4444.444444444444, False)]
    """
    columns = [c for c in (counts if counts is not None else COUNT_COLUMNS) if c in result.columns]
    dependent = [c for c in result.columns if c == "value" or c.startswith(("lower_", "upper_"))]
    return suppress_counts(result, columns, threshold=threshold, dependent_columns=dependent)
