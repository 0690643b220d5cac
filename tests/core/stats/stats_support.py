"""Helpers for the statistics tests: published reference vectors rewritten as CSV files.

A plain module rather than conftest.py so that its name cannot clash with the project-wide
conftest when imported.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "stats"

#: Relative tolerance for closed-form statistics (METHODS.md §7: 1e-9 relative).
CLOSED_FORM_RTOL = 1e-9


def read_fixture(name: str, **kwargs) -> pl.DataFrame:
    """Read a fixture CSV from tests/fixtures/stats."""
    return pl.read_csv(FIXTURES / name, **kwargs)


def assert_close(actual, expected, *, rtol: float = CLOSED_FORM_RTOL, atol: float = 1e-12) -> None:
    """Compare two numeric sequences where missing values must coincide."""
    a = np.asarray(pl.Series(actual).cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=float)
    e = np.asarray(pl.Series(expected).cast(pl.Float64).fill_null(np.nan).to_numpy(), dtype=float)
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
