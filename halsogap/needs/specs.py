"""Plain specifications of need groups, needs and analyses, as the web layer's models hand them
to the core (``to_spec()``): no database, no request, only the values a computation needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from halsogap.disclosure import DEFAULT_THRESHOLD
from halsogap.needs.dialogues import DialogueSpec
from halsogap.needs.targets import Target
from halsogap.numbers import decimals_for

SEX_TEXT = {"T": "Alla", "K": "Kvinnor", "M": "Män"}


@dataclass(frozen=True)
class NeedGroupSpec:
    """A need group (behovsgrupp): which areas of which region, which sex and ages.

    >>> NeedGroupSpec("1", "Länet", region="01", area_rule="region").sex_text
    'Alla'
    """

    key: str
    name: str
    region: str
    area_rule: str
    region_name: str = ""
    area_rule_text: str = ""
    area_codes: tuple[str, ...] = ()
    background: str | None = None
    background_polarity: str = "none"
    quintile: int | None = None
    sex: str = "T"
    age_band: str = ""
    condition: str = ""
    description: str = ""

    @property
    def sex_text(self) -> str:
        return SEX_TEXT.get(self.sex, self.sex)


@dataclass(frozen=True)
class NeedSpec:
    """One indicator of an analysis with the target the politicians set and its severity."""

    key: str
    indicator: str
    title: str
    unit: str
    polarity: str
    source: str
    target: Target
    severity: int | None = None
    quality_note: str = ""
    #: "fastställt av …" or "föreslaget av …", and each earlier version in words.
    target_status: str = ""
    target_history: tuple[str, ...] = ()
    #: The indicator's own number of decimals; None reads it from the unit.
    precision: int | None = None

    @property
    def decimals(self) -> int:
        return decimals_for(self.unit, precision=self.precision)


@dataclass(frozen=True)
class AnalysisSpec:
    """A needs analysis: its need groups, its needs with targets, and what was said about it."""

    title: str
    region: str
    region_name: str
    year: int
    groups: tuple[NeedGroupSpec, ...] = ()
    needs: tuple[NeedSpec, ...] = ()
    introduction: str = ""
    dialogue_notes: str = ""
    optimal_method: str = "best_region"
    comments: tuple[tuple[str, str, str], ...] = ()
    generated_on: str = ""
    author: str | None = None
    #: Severity per indicator code for the ranking (the analysis's own, else the indicator's).
    severity: dict[str, int] = field(default_factory=dict)
    #: Dialogues and surveys with the population that concern the analysis's groups or needs.
    dialogues: tuple[DialogueSpec, ...] = ()
    #: Participant counts below this are not shown (the region's disclosure threshold).
    disclosure_threshold: int = DEFAULT_THRESHOLD
