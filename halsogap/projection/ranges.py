"""Uncertain parameters as ranges (low, likely, high), drawn from a triangular distribution.

A range says where its numbers come from: a source (a study, a register, the catalogue) or,
with none, that it is an assumption. Where the source gives its own interval, a range that
reaches outside it is marked, so that a projection never passes off a hope as evidence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np


class ProjectionInputError(ValueError):
    """Input a projection cannot use; the message says which value and what was expected."""


@dataclass(frozen=True)
class Range:
    """A parameter between ``low`` and ``high``, most likely ``likely``.

    >>> r = Range(0.05, 0.10, 0.20, source="Cochrane 2019")
    >>> r.assumed, Range(1, 1, 1).assumed, r.outside_evidence
    (False, True, False)
    >>> Range(0.2, 0.1, 0.3)
    Traceback (most recent call last):
    ...
    halsogap.projection.ranges.ProjectionInputError: Intervallet ska vara lägst ≤ troligast ≤ högst, inte 0,2 / 0,1 / 0,3.
    """

    low: float
    likely: float
    high: float
    #: Where the numbers come from; empty for an assumption.
    source: str = ""
    #: The interval the source itself supports, when it gives one.
    evidence: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        values = (self.low, self.likely, self.high)
        if not all(np.isfinite(v) for v in values):
            raise ProjectionInputError(
                "Intervallets gränser ska vara tal, inte tomma eller oändliga."
            )
        if not self.low <= self.likely <= self.high:
            text = " / ".join(f"{v:g}".replace(".", ",") for v in values)
            raise ProjectionInputError(
                f"Intervallet ska vara lägst ≤ troligast ≤ högst, inte {text}."
            )

    @property
    def assumed(self) -> bool:
        return not self.source.strip()

    @property
    def outside_evidence(self) -> bool:
        """Whether the range reaches outside the interval its source supports."""
        if self.evidence is None:
            return False
        return self.low < self.evidence[0] or self.high > self.evidence[1]

    def draw(self, uniform: np.ndarray) -> np.ndarray:
        """The triangular distribution's values at ``uniform`` (numbers in [0, 1)).

        >>> Range(0, 1, 2).draw(np.array([0.0, 0.5])).tolist()
        [0.0, 1.0]
        """
        return triangular(uniform, self.low, self.likely, self.high)


def triangular(uniform: np.ndarray, low, likely, high) -> np.ndarray:
    """The inverse of the triangular distribution's CDF, for arrays that broadcast.

    Written out rather than drawn with ``Generator.triangular`` so that many ranges are drawn
    in one pass, and a range whose low equals its high (a fixed value) needs no special case.

    >>> triangular(np.array([0.25, 0.5, 0.9]), 0.0, 0.0, 1.0).round(3).tolist()
    [0.134, 0.293, 0.684]
    >>> triangular(np.array([0.3]), 2.0, 2.0, 2.0).tolist()
    [2.0]
    """
    low, likely, high = (np.asarray(v, dtype=uniform.dtype) for v in (low, likely, high))
    width = high - low
    cut = np.divide(likely - low, width, out=np.zeros_like(width), where=width > 0)
    # Both branches are computed and blended by a 0/1 factor: far faster than np.where, which
    # picks element by element.
    left = np.less(uniform, cut)
    rising = uniform * (width * (likely - low))
    np.sqrt(rising, out=rising)
    rising += low
    falling = 1 - uniform
    falling *= width * (high - likely)
    np.sqrt(falling, out=falling)
    np.subtract(high, falling, out=falling)
    rising -= falling
    rising *= left
    rising += falling
    return rising


def stream(seed: int, *keys: str) -> np.random.Generator:
    """A random stream for ``keys`` under ``seed``: the same need and measure draw the same
    numbers whatever else is projected with them, so two allocations differ only in what
    they fund (common random numbers).

    >>> a = stream(1, "behov", "åtgärd").random(2)
    >>> bool((a == stream(1, "behov", "åtgärd").random(2)).all())
    True
    """
    digest = hashlib.sha256("\x1f".join(keys).encode()).digest()
    return np.random.default_rng([seed, int.from_bytes(digest[:8], "little")])
