"""Age-band matching shared by direct and indirect standardisation."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import polars as pl

from halsogap.stats._common import StatsInputError, describe_row, raise_first

_NUMBER = re.compile(r"\d+")


def normalise_band(label: object) -> str:
    """Canonical form of an age-band label, so that "00-04", "0–4" and " 0-4 " all match.

    >>> normalise_band("05 – 09"), normalise_band("90+")
    ('5-9', '90+')
    """
    text = str(label).strip().lower().replace("–", "-").replace("—", "-").replace(" ", "")
    return _NUMBER.sub(lambda m: str(int(m.group())), text)


def band_lookup(labels: Sequence[object], function: str, what: str) -> dict[str, int]:
    """Map normalised band labels to their position, refusing duplicated labels."""
    lookup: dict[str, int] = {}
    for position, label in enumerate(labels):
        if label is None:
            raise StatsInputError(f"{function}: {what} has a missing age band (row {position + 1})")
        key = normalise_band(label)
        if key in lookup:
            raise StatsInputError(
                f"{function}: {what} lists age band {label!r} twice (row {position + 1})"
            )
        lookup[key] = position
    return lookup


def band_index(
    frame: pl.DataFrame,
    age_band: str,
    lookup: dict[str, int],
    keys: Sequence[str],
    function: str,
) -> pl.Series:
    """Position of each row's age band in the standard; raise naming the first unknown band.

    Only the distinct labels are normalised in Python, so this stays fast on millions of rows.
    """
    raw = frame[age_band].cast(pl.String)
    distinct = raw.unique().drop_nulls().to_list()
    mapping = {label: lookup.get(normalise_band(label), -1) for label in distinct}
    index = raw.replace_strict(mapping, default=-1, return_dtype=pl.Int64)
    index = pl.Series("__k", index).fill_null(-1)
    if (index < 0).any():
        row = int((index < 0).arg_true()[0])
        raise StatsInputError(
            f"{function}: age band {raw[row]!r} is not in the standard "
            f"(expected one of {', '.join(sorted(lookup, key=lookup.get))}) in "
            f"{describe_row(frame, row, keys)}"
        )
    return index


def completeness_aggregations() -> list[pl.Expr]:
    """Aggregations that let :func:`verify_complete` check the bands of each group.

    They sum 2**position per group: with as many rows as bands, that sum equals 2**bands − 1 only
    when no band repeats, so one cheap aggregation, folded into the main group-by, replaces a
    distinct count.
    """
    return [
        pl.len().alias("__rows"),
        pl.lit(2, dtype=pl.Int64).pow(pl.col("__k")).sum().alias("__bit"),
    ]


def verify_complete(
    summary: pl.DataFrame,
    frame: pl.DataFrame,
    keys: Sequence[str],
    labels: Sequence[str],
    function: str,
) -> pl.DataFrame:
    """Raise if any group lacks a band or repeats one; return ``summary`` without helper columns."""
    bands = len(labels)
    bad = summary.filter((pl.col("__rows") != bands) | (pl.col("__bit") != 2**bands - 1))
    if bad.height == 0:
        return summary.drop("__rows", "__bit")
    first = bad.row(0, named=True)
    group = _group_filter(frame.with_row_index("__row"), keys, first)
    positions = group["__k"].to_numpy()
    seen, counts = np.unique(positions, return_counts=True)
    duplicated = seen[counts > 1]
    where = ", ".join(f"{k}={first[k]!r}" for k in keys) or "the data"
    if duplicated.size:
        k = int(duplicated[0])
        rows = group.filter(pl.col("__k") == k)["__row"].to_list()
        raise StatsInputError(
            f"{function}: age band {labels[k]!r} appears more than once in group {where} "
            f"(rows {', '.join(str(r + 1) for r in rows)})"
        )
    missing = sorted(set(range(bands)) - set(seen.tolist()))
    raise StatsInputError(
        f"{function}: group {where} lacks age band(s) "
        f"{', '.join(repr(labels[k]) for k in missing)} (the standard has {bands} bands)"
    )


def check_band_count(labels: Sequence[str], function: str) -> None:
    """The bit-sum check holds 62 bands at most, far more than any standard population has."""
    if len(labels) > 62:
        raise StatsInputError(f"{function}: at most 62 age bands are supported")


def _group_filter(frame: pl.DataFrame, keys: Sequence[str], row: dict) -> pl.DataFrame:
    condition = pl.lit(True)
    for key in keys:
        value = row[key]
        condition = condition & (pl.col(key).is_null() if value is None else pl.col(key) == value)
    return frame.filter(condition)


def check_rows(
    frame: pl.DataFrame, keys: Sequence[str], checks: Sequence[tuple[pl.Expr, str]]
) -> None:
    """Evaluate several row conditions in one pass and raise on the first that fails."""
    flags = frame.select(
        [expr.fill_null(False).any().alias(str(i)) for i, (expr, _) in enumerate(checks)]
    )
    for i, (expr, message) in enumerate(checks):
        if flags[str(i)][0]:
            raise_first(frame, frame.select(expr.fill_null(False)).to_series(), keys, message)
