"""The measure catalogue (åtgärder): reading, checking and reporting what is unknown.

A catalogue is a CSV file with one measure per row (format in ``data/priorities/SOURCE.md``);
the starting catalogue, ``data/priorities/levnadsvanor_atgarder.csv``, holds recommendations from
Socialstyrelsen's national guideline for unhealthy lifestyle habits. Anything the source does
not state is left empty and stays ``null`` here: an unknown guideline priority is reported as
unknown (never guessed), and a measure without an effect estimate is flagged, since the
allocation must not treat it as zero effect.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from halsogap.priorities._common import (
    BENEFIT,
    EVIDENCE_CODES,
    SEVERITY,
    PrioritiesInputError,
    scale_value,
)

DEFAULT_CATALOGUE = (
    Path(__file__).resolve().parents[2] / "data" / "priorities" / "levnadsvanor_atgarder.csv"
)

KINDS = {
    "preventive": "förebyggande",
    "health_promoting": "hälsofrämjande",
    "treatment": "behandling",
    "rehabilitation": "rehabilitering",
    "care": "omvårdnad",
    "palliation": "palliation",
}
PERSPECTIVES = {
    "individual": "individ/patient",
    "population": "befolkning",
    "staff": "medarbetare",
    "governance": "styrning och ledning",
}
HABITS = ("tobak", "alkohol", "matvanor", "fysisk aktivitet")
TEXT_COLUMNS = ("code", "title", "kind", "perspective", "habit", "target_group", "source")
OPTIONAL_TEXT = ("intervention", "guideline_band", "effect_indicator", "note")
NUMBER_COLUMNS = (
    "cost_one_off_sek",
    "cost_yearly_sek",
    "cost_per_qaly_sek",
    "effect_per_person",
    "reach",
    "uptake",
)
SPECIAL_PRIORITIES = {"icke-göra": "icke-göra", "fou": "FoU"}


@dataclass
class Catalogue:
    """The measures (a Polars frame) and what is not known about them, in Swedish."""

    measures: pl.DataFrame
    unknown_priority: list[str] = field(default_factory=list)
    missing_effect: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """Swedish lines for the page: which numbers are unknown, which effects are missing.

        >>> read_catalogue().notes()[1]
        'Effektskattning saknas för 12 åtgärder; de kan inte tas med i resursfördelningen förrän en effekt är ifylld.'
        """
        lines = []
        if self.unknown_priority:
            lines.append(
                f"Riktlinjens prioritet är okänd för {len(self.unknown_priority)} av "
                f"{self.measures.height} åtgärder ({', '.join(self.unknown_priority)}); "
                "fältet är tomt i stället för gissat."
            )
        if self.missing_effect:
            lines.append(
                f"Effektskattning saknas för {len(self.missing_effect)} åtgärder; de kan inte "
                "tas med i resursfördelningen förrän en effekt är ifylld."
            )
        return lines


def _number(text: str, column: str, line: int) -> float | None:
    if text == "":
        return None
    try:
        value = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        raise PrioritiesInputError(f"rad {line}: {column} {text!r} är inte ett tal") from None
    if value < 0 or value != value:
        raise PrioritiesInputError(f"rad {line}: {column} kan inte vara negativt")
    if column == "uptake" and value > 1:
        raise PrioritiesInputError(f"rad {line}: uptake är en andel 0–1, inte {text!r}")
    return value


def _priority(text: str, line: int) -> str | None:
    if text == "":
        return None
    if text.lower() in SPECIAL_PRIORITIES:
        return SPECIAL_PRIORITIES[text.lower()]
    if text.isdigit() and 1 <= int(text) <= 10:
        return str(int(text))
    raise PrioritiesInputError(
        f"rad {line}: guideline_priority {text!r} ska vara 1–10, icke-göra, FoU eller tom"
    )


def read_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check a catalogue CSV (default: the lifestyle-habits starting catalogue).

    The frame keeps the file's columns with typed values: numbers as Float64, ``severity`` and
    ``benefit`` as Swedish scale labels, ``evidence`` as the GRADE code (``high`` …
    ``very_low``) plus ``evidence_sv``, ``guideline_priority`` as text (``"1"``–``"10"``,
    ``"icke-göra"``, ``"FoU"``) and ``guideline_rank`` as Int64 (null when unknown or not a
    number). Added: ``kind_sv``, ``perspective_sv``, ``priority_known``, ``priority_note``,
    ``effect_known``. Any malformed value raises a PrioritiesInputError naming the line.

    >>> cat = read_catalogue()
    >>> cat.measures.filter(pl.col("priority_known")).select("code", "guideline_rank").rows()
    [('LV-TOB-02', 3)]
    >>> len(cat.unknown_priority), cat.measures["effect_known"].any()
    (11, False)
    """
    source = Path(path) if path is not None else DEFAULT_CATALOGUE
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise PrioritiesInputError(f"katalogen {source} kan inte läsas: {error}") from None
    with handle:
        reader = csv.DictReader(handle)
        required = set(TEXT_COLUMNS) | {"evidence", "guideline_priority"}
        missing = sorted(required - set(reader.fieldnames or []))
        if missing:
            raise PrioritiesInputError(f"katalogen saknar kolumnerna {', '.join(missing)}")
        rows = []
        seen: set[str] = set()
        for line, raw in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
            for column in TEXT_COLUMNS:
                if not row.get(column):
                    raise PrioritiesInputError(f"rad {line}: {column} saknas")
            if row["code"] in seen:
                raise PrioritiesInputError(f"rad {line}: koden {row['code']!r} finns redan")
            seen.add(row["code"])
            for column, allowed in (("kind", KINDS), ("perspective", PERSPECTIVES)):
                if row[column] not in allowed:
                    raise PrioritiesInputError(
                        f"rad {line}: {column} {row[column]!r} ska vara en av {', '.join(allowed)}"
                    )
            if row["habit"] not in HABITS:
                raise PrioritiesInputError(
                    f"rad {line}: habit {row['habit']!r} ska vara en av {', '.join(HABITS)}"
                )
            if row["evidence"] and row["evidence"] not in EVIDENCE_CODES:
                raise PrioritiesInputError(
                    f"rad {line}: evidence {row['evidence']!r} ska vara en av "
                    f"{', '.join(EVIDENCE_CODES)} eller tom"
                )
            out = {c: row[c] for c in TEXT_COLUMNS}
            out.update({c: row.get(c) or None for c in OPTIONAL_TEXT})
            out["evidence"] = row["evidence"] or None
            out["evidence_sv"] = EVIDENCE_CODES.get(row["evidence"])
            try:
                out["severity"] = (
                    scale_value(row["severity"], SEVERITY, what="severity")
                    if row.get("severity")
                    else None
                )
                out["benefit"] = (
                    scale_value(row["benefit"], BENEFIT, what="benefit")
                    if row.get("benefit")
                    else None
                )
            except PrioritiesInputError as error:
                raise PrioritiesInputError(f"rad {line}: {error}") from None
            out["guideline_priority"] = _priority(row["guideline_priority"], line)
            for column in NUMBER_COLUMNS:
                out[column] = _number(row.get(column, ""), column, line)
            rows.append(out)
    schema = {c: pl.String for c in (*TEXT_COLUMNS, *OPTIONAL_TEXT)}
    schema |= {"evidence": pl.String, "evidence_sv": pl.String, "severity": pl.String}
    schema |= {"benefit": pl.String, "guideline_priority": pl.String}
    schema |= {c: pl.Float64 for c in NUMBER_COLUMNS}
    frame = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    known = pl.col("guideline_priority").is_not_null()
    frame = frame.with_columns(
        pl.col("kind").replace_strict(KINDS, return_dtype=pl.String).alias("kind_sv"),
        pl.col("perspective")
        .replace_strict(PERSPECTIVES, return_dtype=pl.String)
        .alias("perspective_sv"),
        pl.col("guideline_priority").cast(pl.Int64, strict=False).alias("guideline_rank"),
        known.alias("priority_known"),
        pl.when(known)
        .then(pl.lit("Riktlinjens prioritet enligt källan."))
        .when(pl.col("guideline_band").is_not_null())
        .then(
            pl.format(
                "Prioritetssiffran är okänd (ej bekräftad); rekommendationsgrad: {}.",
                pl.col("guideline_band"),
            )
        )
        .otherwise(pl.lit("Prioritetssiffran är okänd (ej bekräftad i källan)."))
        .alias("priority_note"),
        pl.col("effect_per_person").is_not_null().alias("effect_known"),
    )
    return Catalogue(
        measures=frame,
        unknown_priority=frame.filter(~pl.col("priority_known"))["code"].to_list(),
        missing_effect=frame.filter(~pl.col("effect_known"))["code"].to_list(),
    )
