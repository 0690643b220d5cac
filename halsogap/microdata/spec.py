"""What an extract holds (which column is what) and how a bad extract is reported."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Check at most this many bad rows before refusing the file; nobody fixes row 5 000 first.
MAX_ISSUES = 20


class MicrodataError(ValueError):
    """An extract that cannot be aggregated, with every problem found (file, row, column)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MicrodataSpec:
    """Which columns of the extract hold what.

    ``age`` holds whole years (banded into the standard's bands) unless ``age_is_band``;
    ``events`` are 0/1 or counts per person; ``weight`` a survey weight (numerators and
    populations are then weighted sums).
    """

    area: str
    age: str
    year: str
    events: Sequence[str]
    sex: str | None = None
    weight: str | None = None
    age_is_band: bool = False
    standard: str = "esp2013"
    #: Codes of sex in the extract mapped to Hälsogap's T/K/M.
    sex_codes: dict = field(default_factory=lambda: {"1": "M", "2": "K", "M": "M", "K": "K"})

    @property
    def columns(self) -> list[str]:
        """Every column the extract must have, each checked as a usable name."""
        wanted = [self.area, self.age, self.year, *self.events]
        wanted += [c for c in (self.sex, self.weight) if c]
        for name in wanted:
            check_name(name)
        return wanted


def check_name(name: str) -> str:
    """Refuse a column name that is not letters, digits and ``_`` (it reaches SQL).

    >>> check_name("ålder_år")
    'ålder_år'
    """
    if not re.fullmatch(r"[A-Za-z_ÅÄÖåäö][\wÅÄÖåäö]*", name):
        raise MicrodataError(
            [f"kolumnnamnet {name!r} kan inte användas (bokstäver, siffror och _)"]
        )
    return name


def shown(found) -> str:
    """A cell's value as quoted in a message (``tomt`` for an empty one)."""
    return "tomt" if found in (None, "") else f'"{found}"'
