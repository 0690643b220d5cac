"""The network's follow-up questions to the self-evaluation, and their answers summarised.

The secretariat adds a few questions to a year's self-evaluation ("Har regionen använt
resultaten i sin verksamhetsplan?"); each member region answers once, and the network's
verksamhetsplan follows up on "resultat från följefrågor till självevalueringsverktyg".
A question is answered on a scale from 1 to 10 (as the statements are), with yes or no, or in
free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from halsogap.numbers import format_number

SCALE, YES_NO, TEXT = "scale", "yes_no", "text"
KINDS = {SCALE: "Skattning 1–10", YES_NO: "Ja eller nej", TEXT: "Fritext"}
YES, NO = "ja", "nej"
MAX_TEXT = 2000


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what was expected."""


def parse_answer(kind: str, raw: str) -> str:
    """The answer as stored: a whole number 1–10, "ja"/"nej", or trimmed text.

    >>> parse_answer("scale", " 7 "), parse_answer("yes_no", "Ja"), parse_answer("text", " Bra ")
    ('7', 'ja', 'Bra')
    >>> parse_answer("scale", "11")
    Traceback (most recent call last):
    ...
    halsogap.selfevaluation.follow_up.AnswerError: Svaret ska vara ett heltal från 1 till 10, inte "11".
    """
    value = (raw or "").strip()
    if not value:
        raise AnswerError("Svaret saknas.")
    if kind == SCALE:
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 10:
            raise AnswerError(f'Svaret ska vara ett heltal från 1 till 10, inte "{value[:20]}".')
        return str(int(value))
    if kind == YES_NO:
        if value.lower() not in {YES, NO}:
            raise AnswerError(f'Svaret ska vara "ja" eller "nej", inte "{value[:20]}".')
        return value.lower()
    if kind == TEXT:
        if len(value) > MAX_TEXT:
            raise AnswerError(f"Svaret får vara högst {MAX_TEXT} tecken, inte {len(value)}.")
        return value
    raise AnswerError(f'Okänd frågetyp "{kind}".')


@dataclass(frozen=True)
class RegionAnswer:
    region: str
    value: str
    comment: str = ""


@dataclass(frozen=True)
class FollowUpSummary:
    """What the member regions answered to one question, and the network's figure for it."""

    question: str
    kind: str
    answers: tuple[RegionAnswer, ...]
    #: Regions that have not answered yet, by name.
    missing: tuple[str, ...] = ()

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def mean(self) -> float | None:
        """The mean score of a scale question over the regions that answered."""
        if self.kind != SCALE or not self.answers:
            return None
        return sum(int(a.value) for a in self.answers) / len(self.answers)

    @property
    def yes(self) -> int:
        return sum(a.value == YES for a in self.answers) if self.kind == YES_NO else 0

    @property
    def headline(self) -> str:
        """The summary in one Swedish phrase, as the page and the documents print it."""
        if not self.answers:
            return "Inga svar ännu"
        regions = f"{self.answered} {'region' if self.answered == 1 else 'regioner'}"
        if self.kind == SCALE:
            return f"Medel {format_number(self.mean, decimals=1)} av 10 ({regions})"
        if self.kind == YES_NO:
            return f"{self.yes} av {regions} svarar ja"
        return f"{regions} har svarat"


def summarise_answers(
    question: str,
    kind: str,
    answers: Sequence[RegionAnswer],
    *,
    regions: Sequence[str] = (),
) -> FollowUpSummary:
    """Answers in region order, with the member regions that have not answered.

    >>> s = summarise_answers("Har regionen använt resultaten?", "yes_no",
    ...     [RegionAnswer("Region Skåne", "nej"), RegionAnswer("Region Stockholm", "ja")],
    ...     regions=["Region Skåne", "Region Stockholm", "Region Uppsala"])
    >>> s.headline, s.missing
    ('1 av 2 regioner svarar ja', ('Region Uppsala',))
    >>> summarise_answers("Hur väl?", "scale",
    ...     [RegionAnswer("A", "6"), RegionAnswer("B", "9")]).headline
    'Medel 7,5 av 10 (2 regioner)'
    """
    ordered = tuple(sorted(answers, key=lambda a: a.region))
    given = {a.region for a in ordered}
    missing = tuple(sorted(r for r in regions if r not in given))
    return FollowUpSummary(question, kind, ordered, missing)
