"""Polarity: which direction of an indicator is better. The one vocabulary of the whole core.

An indicator is *higher better* (self-rated good health), *lower better* (daily smoking) or has
no judgement (population). The needs engine, priority setting, follow-up and the pages all read
polarity here, so that "better" means the same thing in a gap table and in a status.
"""

from __future__ import annotations

from halsogap.stats import StatsInputError

LOWER_BETTER = "lower_better"
HIGHER_BETTER = "higher_better"
NO_POLARITY = "none"
POLARITIES = (HIGHER_BETTER, LOWER_BETTER, NO_POLARITY)

#: Spellings met in the project: kpis.csv uses ``lower_better``, :mod:`halsogap.stats.trend`
#: uses ``low_is_good``; both mean the same and analysts type either.
_ALIASES = {
    "lower_better": LOWER_BETTER,
    "low_is_good": LOWER_BETTER,
    "lower": LOWER_BETTER,
    "higher_better": HIGHER_BETTER,
    "high_is_good": HIGHER_BETTER,
    "higher": HIGHER_BETTER,
    "none": NO_POLARITY,
    "": NO_POLARITY,
}
#: How the statistics package (Fingertips' names) spells each polarity.
FINGERTIPS = {HIGHER_BETTER: "high_is_good", LOWER_BETTER: "low_is_good", NO_POLARITY: "none"}
#: The polarity as a Swedish reader sees it.
LABELS_SV = {
    HIGHER_BETTER: "högre är bättre",
    LOWER_BETTER: "lägre är bättre",
    NO_POLARITY: "ingen bedömning",
}


def normalise_polarity(polarity: str | None, *, error: type[Exception] = StatsInputError) -> str:
    """``lower_better``, ``higher_better`` or ``none`` from any spelling used in the project.

    ``error`` is the exception class raised for an unknown spelling, so each engine reports it
    in its own terms.

    >>> normalise_polarity("low_is_good"), normalise_polarity(None)
    ('lower_better', 'none')
    """
    key = (polarity or "").strip().lower()
    if key not in _ALIASES:
        raise error(f"polarity {polarity!r} is not one of lower_better, higher_better or none")
    return _ALIASES[key]


def require_judged(
    polarity: str | None, function: str, *, error: type[Exception] = StatsInputError
) -> str:
    """Polarity that says which direction is better; a gap has no direction otherwise.

    >>> require_judged("higher_better", "gap")
    'higher_better'
    """
    normalised = normalise_polarity(polarity, error=error)
    if normalised == NO_POLARITY:
        raise error(
            f"{function}: indikatorn saknar polaritet (varken högre eller lägre är bättre), "
            "så det går inte att avgöra vad som är bättre eller sämre"
        )
    return normalised


def is_better(value: float, than: float, polarity: str | None) -> bool | None:
    """Whether ``value`` is strictly better than ``than``; None without a polarity.

    >>> is_better(4.0, 5.8, "lower_better"), is_better(4.0, 5.8, "higher_better")
    (True, False)
    >>> is_better(4.0, 5.8, "none") is None
    True
    """
    direction = normalise_polarity(polarity)
    if direction == NO_POLARITY:
        return None
    return value < than if direction == LOWER_BETTER else value > than


def label_sv(polarity: str | None) -> str:
    """The polarity in Swedish words.

    >>> label_sv("low_is_good")
    'lägre är bättre'
    """
    return LABELS_SV[normalise_polarity(polarity)]
