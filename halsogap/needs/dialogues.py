"""The population's voice in a needs analysis: dialogues and surveys as evidence.

The seeds name "befolkningens förväntningar, önskningar och synpunkter" and "dialog med berörda"
as sources of need beside the indicators, and ask that groups that are hard to reach take part.
A dialogue is recorded with whom it reached (a count per group), which hard-to-reach groups took
part and which did not, what was said and its themes; :func:`compose_dialogue` makes the one
content object that the page and every document of the analysis show, with a participant count
below the disclosure threshold shown as "färre än N", never as the number.
"""

from __future__ import annotations

from dataclasses import dataclass

from halsogap.disclosure import DEFAULT_THRESHOLD, is_disclosable

#: The columns of a dialogue's participant table, in every output.
PARTICIPANT_COLUMNS = ["Grupp", "Deltagare"]
SECTION_TITLE = "Befolkningens synpunkter"
NONE_RECORDED = "Inga dialoger eller enkäter med befolkningen är kopplade till analysens behov."


#: A group's name is a short label ("Unga 16–24 år"), not a text.
MAX_GROUP_LENGTH = 200


class DialogueInputError(ValueError):
    """A line of a participant list that cannot be read; the message names the line."""


@dataclass(frozen=True)
class DialogueSpec:
    """A dialogue or survey as recorded: ``participants`` are ``(group, count)`` pairs."""

    title: str
    kind: str
    held_on: str
    participants: tuple[tuple[str, int], ...] = ()
    hard_to_reach_reached: tuple[str, ...] = ()
    hard_to_reach_missed: tuple[str, ...] = ()
    said: str = ""
    themes: tuple[str, ...] = ()
    #: The need groups and needs of the analysis that the dialogue concerns, by name.
    concerns: tuple[str, ...] = ()


@dataclass(frozen=True)
class DialogueContent:
    """A dialogue as every output shows it: heading, participant rows, facts and what was said."""

    heading: str
    participant_rows: list[list[str]]
    facts: list[tuple[str, str]]
    said: str

    @property
    def participant_columns(self) -> list[str]:
        return PARTICIPANT_COLUMNS


def parse_participants(text: str) -> tuple[tuple[str, int], ...]:
    """Read "grupp; antal" lines (``;`` or tab between) into ``(group, count)`` pairs.

    >>> parse_participants("Unga 16–24 år; 14\\nÄldre i Rinkeby\\t3\\n\\n")
    (('Unga 16–24 år', 14), ('Äldre i Rinkeby', 3))
    >>> parse_participants("Unga; fjorton")
    Traceback (most recent call last):
    ...
    halsogap.needs.dialogues.DialogueInputError: rad 1: förväntade "grupp; antal" med antalet som ett heltal, fick "Unga; fjorton"
    """
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        group, separator, count = line.replace("\t", ";").rpartition(";")
        count = count.strip().replace(" ", "")
        if not separator or not group.strip() or not count.isdigit():
            raise DialogueInputError(
                f'rad {number}: förväntade "grupp; antal" med antalet som ett heltal, '
                f'fick "{line.strip()}"'
            )
        if len(group.strip()) > MAX_GROUP_LENGTH or len(count) > 9:
            raise DialogueInputError(
                f"rad {number}: förväntade en grupp på högst {MAX_GROUP_LENGTH} tecken och ett "
                f"antal under en miljard, fick {len(group.strip())} tecken och {count[:12]}"
            )
        pairs.append((group.strip(), int(count)))
    return tuple(pairs)


def parse_lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of a text box, trimmed (one group or theme a line, or commas).

    >>> parse_lines(" Papperslösa \\n\\nPersoner med intellektuell funktionsnedsättning")
    ('Papperslösa', 'Personer med intellektuell funktionsnedsättning')
    >>> parse_lines("rörelse, mat,  trygghet")
    ('rörelse', 'mat', 'trygghet')
    """
    parts = text.splitlines() if "\n" in text.strip() else text.split(",")
    return tuple(p.strip() for p in parts if p.strip())


def _count_text(count: int, threshold: int) -> str:
    return f"{count}" if is_disclosable(count, threshold) else f"färre än {threshold}"


def compose_dialogue(spec: DialogueSpec, *, threshold: int = DEFAULT_THRESHOLD) -> DialogueContent:
    """The dialogue as shown; a count below ``threshold`` and any total that would give it
    away are not shown.

    >>> d = compose_dialogue(DialogueSpec("Unga om rörelse", "Fokusgrupp", "2026-03-12",
    ...     participants=(("Unga 16–24 år", 14), ("Unga med funktionsnedsättning", 3)),
    ...     hard_to_reach_missed=("Papperslösa",), themes=("rörelse", "trygghet")))
    >>> d.heading
    'Fokusgrupp 2026-03-12: Unga om rörelse'
    >>> d.participant_rows
    [['Unga 16–24 år', '14'], ['Unga med funktionsnedsättning', 'färre än 5'], ['Alla', 'minst 15']]
    >>> d.facts[1]
    ('Svårnådda grupper som inte nåddes', 'Papperslösa')
    """
    rows = [[group, _count_text(count, threshold)] for group, count in spec.participants]
    if rows:
        shown = [c for _, c in spec.participants if is_disclosable(c, threshold)]
        hidden = len(shown) < len(spec.participants)
        total = sum(c for _, c in spec.participants)
        # With a hidden group, the exact total would give its count away by subtraction.
        rows.append(
            ["Alla", f"minst {sum(shown) + 1}" if hidden else _count_text(total, threshold)]
        )
    none = "ingen angiven"
    facts = [
        ("Svårnådda grupper som deltog", ", ".join(spec.hard_to_reach_reached) or none),
        ("Svårnådda grupper som inte nåddes", ", ".join(spec.hard_to_reach_missed) or none),
        ("Teman", ", ".join(spec.themes) or none),
        ("Gäller", ", ".join(spec.concerns) or "hela analysen"),
    ]
    return DialogueContent(
        heading=f"{spec.kind} {spec.held_on}: {spec.title}",
        participant_rows=rows,
        facts=facts,
        said=spec.said,
    )
