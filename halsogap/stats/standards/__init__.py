"""Bundled standard populations for direct standardisation, stored as small CSV files.

See ``README.md`` in this folder for where each standard comes from.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

_HERE = Path(__file__).resolve().parent


def available_standards() -> list[str]:
    """Names of the bundled standards.

    >>> available_standards()
    ['esp2013', 'sweden2022']
    """
    return sorted(p.stem for p in _HERE.glob("*.csv"))


@cache
def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(
        _HERE / f"{name}.csv",
        schema={"age_band": pl.String, "start_age": pl.Int64, "population": pl.Float64},
    )


def load_standard(name: str) -> pl.DataFrame:
    """Return a bundled standard population with columns ``age_band``, ``start_age``, ``population``.

    >>> load_standard("esp2013")["population"].sum()
    100000.0
    """
    if name not in available_standards():
        from halsogap.stats._common import StatsInputError

        raise StatsInputError(
            f"unknown standard population {name!r}; available: {', '.join(available_standards())}"
        )
    return _read(name).clone()
