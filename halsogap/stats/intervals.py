"""Confidence-interval kernels on NumPy arrays: Wilson score, Byar and exact Poisson.

These are the building blocks of the data-frame functions; they take arrays and a single
confidence level so that a whole column is computed in one pass.
"""

from __future__ import annotations

import numpy as np
from scipy import stats as sps

from halsogap.stats._common import z_value

#: Below this many events counts get exact Poisson limits; from it upwards Byar's approximation.
EXACT_BELOW = 10


def wilson_limits(x: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits for ``x`` successes out of ``n`` (no continuity correction).

    >>> lower, upper = wilson_limits(np.array([65.0]), np.array([100.0]), 0.95)
    >>> round(float(lower[0]), 6), round(float(upper[0]), 6)
    (0.552544, 0.736358)
    """
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = 2 * x + z * z
        spread = z * np.sqrt(z * z + 4 * x * (1 - x / n))
        denominator = 2 * (n + z * z)
        lower = (centre - spread) / denominator
        upper = (centre + spread) / denominator
    # The closed form gives tiny rounding residues at the boundaries; the exact limits are 0 and 1.
    lower = np.where(x == 0, 0.0, lower)
    upper = np.where(x == n, 1.0, upper)
    return lower, upper


def byar_limits(observed: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to Poisson limits of an observed count (lower is NaN for 0).

    >>> lower, upper = byar_limits(np.array([65.0]), 0.95)
    >>> round(float(lower[0]), 4), round(float(upper[0]), 4)
    (50.1632, 82.8491)
    """
    o = np.asarray(observed, dtype=float)
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    lower = np.where(lower < 0, np.nan, lower)
    return lower, upper


def exact_poisson_limits(observed: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood, chi-square based) Poisson limits of an observed count.

    >>> lower, upper = exact_poisson_limits(np.array([0.0, 5.0]), 0.95)
    >>> [round(float(v), 6) for v in lower], [round(float(v), 6) for v in upper]
    ([0.0, 1.623486], [3.688879, 11.668332])
    """
    o = np.asarray(observed, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = np.where(o == 0, 0.0, sps.chi2.ppf(alpha / 2, 2 * o) / 2)
        upper = sps.chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
    return lower, upper


def poisson_limits(observed: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Limits of a count as Fingertips computes them: exact below 10 events, Byar from 10.

    Returns lower, upper and a boolean array that is true where the exact method was used.

    >>> lower, upper, exact = poisson_limits(np.array([9.0, 10.0]), 0.95)
    >>> exact.tolist()
    [True, False]
    """
    o = np.asarray(observed, dtype=float)
    exact = o < EXACT_BELOW
    exact_lower, exact_upper = exact_poisson_limits(np.where(exact, o, 0.0), level)
    byar_lower, byar_upper = byar_limits(np.where(exact, EXACT_BELOW, o), level)
    lower = np.where(exact, exact_lower, byar_lower)
    upper = np.where(exact, exact_upper, byar_upper)
    missing = np.isnan(o)
    lower[missing] = np.nan
    upper[missing] = np.nan
    return lower, upper, exact & ~missing
