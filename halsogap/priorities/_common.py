"""Shared scales and plumbing for priority setting: the four assessment scales and weights.

The scales are Prioriteringscentrum's (national model 2017, steps 3–6) and GRADE's; analysts
type them in Swedish or English, with or without capitals, so every module reads them here the
same way and a page never shows "Stor" in one table and "large" in the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral

import polars as pl

from halsogap.needs._common import NeedsInputError
from halsogap.stats import _common as stats_common


class PrioritiesInputError(NeedsInputError):
    """Input the priority tools cannot use; a ``NeedsInputError`` so one ``except`` catches all."""


#: Severity (svårighetsgrad), most severe first. The needs engine's 1–4 scale runs the other way
#: (4 = most severe), so integers are read in that sense.
SEVERITY = ("mycket stor", "stor", "måttlig", "liten")
#: Patient benefit (patientnytta); "ingen" leads to icke-göra.
BENEFIT = ("mycket stor", "stor", "måttlig", "liten", "ingen")
#: Cost per QALY band (kostnad i relation till nytta), cheapest first.
COST_BAND = ("låg", "måttlig", "hög", "mycket hög")
#: Quality of the evidence (GRADE), strongest first.
EVIDENCE = ("hög", "måttlig", "låg", "mycket låg")

_SHARED_ALIASES = {
    "very large": "mycket stor",
    "very_large": "mycket stor",
    "large": "stor",
    "moderate": "måttlig",
    "small": "liten",
    "none": "ingen",
    "high": "hög",
    "low": "låg",
    "very high": "mycket hög",
    "very_high": "mycket hög",
    "very low": "mycket låg",
    "very_low": "mycket låg",
    "mattlig": "måttlig",
    "hog": "hög",
    "lag": "låg",
}
#: GRADE's Swedish wording in Socialstyrelsen's documents (starkt/måttligt/begränsat/otillräckligt
#: vetenskapligt underlag) maps onto the four levels in that order.
_EVIDENCE_ALIASES = {
    "starkt": "hög",
    "måttligt": "måttlig",
    "begränsat": "låg",
    "otillräckligt": "mycket låg",
    "4": "hög",
    "3": "måttlig",
    "2": "låg",
    "1": "mycket låg",
}
_SEVERITY_FROM_INT = {4: "mycket stor", 3: "stor", 2: "måttlig", 1: "liten"}

#: English codes stored in the catalogue file for evidence (GRADE).
EVIDENCE_CODES = {"high": "hög", "moderate": "måttlig", "low": "låg", "very_low": "mycket låg"}


def scale_value(value: object, scale: tuple[str, ...], *, what: str = "värde") -> str:
    """The canonical Swedish label of ``value`` on ``scale``, or a PrioritiesInputError.

    >>> scale_value("Very_high", COST_BAND, what="kostnad"), scale_value(4, SEVERITY, what="svårighetsgrad")
    ('mycket hög', 'mycket stor')
    """
    # Integers (also NumPy's) are the needs engine's 1–4 severity; bools are not numbers here.
    if scale is SEVERITY and isinstance(value, Integral) and not isinstance(value, bool):
        value = _SEVERITY_FROM_INT.get(int(value), value)
    text = str(value).strip().lower().replace("-", " ") if value is not None else ""
    text = " ".join(text.split())
    text = _SHARED_ALIASES.get(text, text)
    if scale is EVIDENCE:
        text = _EVIDENCE_ALIASES.get(text, text)
    if text not in scale:
        raise PrioritiesInputError(
            f"{what}: {value!r} är inte ett av {', '.join(repr(s) for s in scale)}"
        )
    return text


def ensure_frame(data: object, function: str) -> pl.DataFrame:
    """``data`` as a DataFrame (LazyFrames are collected) or a PrioritiesInputError."""
    return stats_common.ensure_frame(data, function, error=PrioritiesInputError)


def require_columns(frame: pl.DataFrame, columns: list[str], *, function: str) -> None:
    """Raise a PrioritiesInputError naming the missing columns and the ones that exist."""
    stats_common.require_columns(frame, columns, function, error=PrioritiesInputError)


def normalised_weights(
    weights: Mapping[str, float], criteria: Mapping[str, str], *, function: str = "vikter"
) -> dict[str, float]:
    """Weights checked (known names, finite, ≥ 0, some > 0) and rescaled to sum to 1.

    >>> normalised_weights({"a": 3, "b": 1}, {"a": "A", "b": "B", "c": "C"})
    {'a': 0.75, 'b': 0.25, 'c': 0.0}
    """
    unknown = sorted(set(weights) - set(criteria))
    if unknown:
        raise PrioritiesInputError(
            f"{function}: okänd vikt {', '.join(unknown)}; använd {', '.join(criteria)}"
        )
    for name, value in weights.items():
        if (
            value is None
            or not (float(value) == float(value))
            or value < 0
            or value == float("inf")
        ):
            raise PrioritiesInputError(f"{function}: vikten {name!r} måste vara ett tal ≥ 0")
    total = float(sum(weights.values()))
    if total <= 0:
        raise PrioritiesInputError(f"{function}: minst en vikt måste vara större än 0")
    return {name: float(weights.get(name, 0.0)) / total for name in criteria}
