"""Reading CNI counts, and riket's reference points, from CSV (or XLSX): all or nothing.

The counts file contract is ``docs/cni-format.md``; the reference file is described at
:func:`read_cni_reference`. Bytes are decoded and split by the same reader as
observation imports (:func:`halsogap.imports.reading.read_table`: UTF-8 or Windows-1252, ``;``,
``,`` or tab), so users meet one set of rules; the checks here are CNI's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import polars as pl

from halsogap.imports.issues import (
    DEFAULT_MAX_ISSUES,
    ImportFileError,
    ImportIssue,
    collect_issues,
    issue_rows,
    overflow_line,
)
from halsogap.imports.reading import ROW, read_table
from halsogap.needs.cni import CNI_VARIABLES, CniError
from halsogap.numbers import format_number

#: Canonical column → other headers accepted for it (compared after :func:`_header_key`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "enhet": ("enhetskod", "kod", "id", "omrade", "omradeskod", "vardcentral_id"),
    "namn": ("benamning", "enhetsnamn", "vardcentral"),
    "kommun": ("kommunkod",),
    "befolkning": ("listade", "antal_listade", "listad_befolkning", "invanare", "population"),
    "barn_under_5": ("under_5", "alder_under_5", "barn_0_4"),
    "utlandsfodda": ("utrikes_fodda",),
    "aldre_ensamboende": ("ensamboende_65", "over_65_ensamboende", "ensamboende_over_65"),
    "ensamstaende_foraldrar": ("ensamstaende_forald",),
    "inflyttade": ("flyttat_in",),
    "arbetslosa": ("arbetslos",),
    "lagutbildade": ("lag_utbildning",),
}
REQUIRED = ("enhet", "befolkning", *(v.column for v in CNI_VARIABLES))
OPTIONAL = ("namn", "kommun")
#: The frame :func:`read_cni_counts` returns, in this order.
OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "enhet": pl.String(),
    "namn": pl.String(),
    "kommun": pl.String(),
    "befolkning": pl.Int64(),
    **{v.column: pl.Int64() for v in CNI_VARIABLES},
}

EXPECT_COUNT = "ett heltal ≥ 0"
EXPECT_POPULATION = "ett heltal > 0"
EXPECT_UNGROUPED = "ett heltal utan punkt eller komma som tusentalsavgränsare (t.ex. 1234)"
EXPECT_UNIT = "en enhetskod"
EXPECT_KOMMUN = 'en kommunkod med fyra siffror (t.ex. "0180")'
EXPECT_KNOWN_KOMMUN = 'en känd kommunkod (t.ex. "0180" Stockholm)'

# Plain digits, optionally grouped by spaces (a space is never a decimal mark, so "5 912" from
# Excel's number format is unambiguous), optionally ",0"/".0" as Excel writes whole floats.
_INTEGER_RE = r"^\+?(?:\d+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?:[.,]0+)?$"
# "1.234" or "1,234": a thousands mark or a decimal? A wrong guess is off by 1 000, so refuse.
_PUNCT_GROUPED_RE = r"^\d{1,3}(?:[.,]\d{3})+$"


class CniFileError(CniError):
    """A CNI counts file that was refused; nothing from it may be used.

    ``issues`` are the first problems (up to ``max_errors``) as
    :class:`~halsogap.imports.issues.ImportIssue` with file, row, column, expected and found;
    ``error_count`` counts all of them; :meth:`messages` gives the sentences to show.
    """

    def __init__(self, filename: str, issues: Sequence[ImportIssue], error_count: int) -> None:
        self.filename = filename
        self.issues = tuple(issues)
        self.error_count = error_count
        super().__init__(self.messages())

    def messages(self) -> list[str]:
        """Every shown problem as a sentence, plus ``… och N fel till`` if the list was cut."""
        lines = [issue.message for issue in self.issues]
        tail = overflow_line(len(self.issues), self.error_count)
        return [*lines, tail] if tail else lines


def _header_key(name: str) -> str:
    # People type "Ensamstående föräldrar" as often as "ensamstaende_foraldrar"; both mean the
    # same column, so headers are compared folded.
    key = name.strip().lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), (" ", "_"), ("-", "_")):
        key = key.replace(a, b)
    return key


_LOOKUP = {
    key: canonical for canonical, aliases in COLUMN_ALIASES.items() for key in (canonical, *aliases)
}


def read_cni_counts(
    data: bytes,
    filename: str,
    *,
    known_kommuner: Iterable[str] | None = None,
    max_errors: int = DEFAULT_MAX_ISSUES,
) -> pl.DataFrame:
    """Read a CNI counts file (``docs/cni-format.md``) into the frame ``care_need_index`` takes.

    Returns columns ``enhet``, ``namn``, ``kommun`` (String; ``namn``/``kommun`` null when the
    file has no such column), ``befolkning`` and the seven counts (Int64), one row per data
    row in file order. Other columns in the file are ignored. ``known_kommuner``, when given,
    is the set of valid four-digit kommun codes.

    Anything wrong refuses the whole file with :class:`CniFileError` (a ``ValueError``) listing
    every problem (up to ``max_errors``) with file, row, column, what was expected and what
    was there.

    >>> text = "enhet;befolkning;barn_under_5;utlandsfodda;aldre_ensamboende;"
    >>> text += "ensamstaende_foraldrar;inflyttade;arbetslosa;lagutbildade\\n"
    >>> good = text + "VC1;5 912;595;1391;484;167;385;981;632\\n"
    >>> read_cni_counts(good.encode("cp1252"), "fil.csv").select("enhet", "befolkning").rows()
    [('VC1', 5912)]
    >>> bad = good + "VC2;2407;293;330;215;x;240;300;210\\n"
    >>> read_cni_counts(bad.encode(), "fil.csv")
    Traceback (most recent call last):
    ...
    halsogap.needs.cni_reading.CniFileError: fil.csv, rad 3, kolumn "ensamstaende_foraldrar": förväntade ett heltal ≥ 0, fick "x"
    """
    try:
        table = read_table(data, filename)
    except ImportFileError as exc:
        raise CniFileError(filename, [exc.issue], 1) from exc

    names = _map_columns(table.columns, filename)
    frame = table.frame.select(ROW, *[pl.col(src).alias(canon) for canon, src in names.items()])
    for column in OPTIONAL:
        if column not in names:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))

    errors: list[pl.DataFrame] = []

    def shown(canonical: str) -> str:
        # Messages quote the header as the user wrote it, so they find it in their sheet.
        return names.get(canonical, canonical)

    # Unit code: present and unique, because eligibility and results are reported per unit.
    errors.append(
        issue_rows(
            frame,
            pl.col("enhet").is_null(),
            column=shown("enhet"),
            expected=EXPECT_UNIT,
            found=pl.col("enhet"),
        )
    )
    # The first row of each code is computed before filtering: issue_rows filters first, and a
    # window over the filtered rows would point at the duplicate itself.
    with_first = frame.with_columns(pl.col(ROW).min().over("enhet").alias("_first"))
    errors.append(
        issue_rows(
            with_first,
            pl.col("enhet").is_not_null() & (pl.col(ROW) != pl.col("_first")),
            column=shown("enhet"),
            expected=pl.format("en enhetskod som inte redan finns (samma som rad {})", "_first"),
            found=pl.col("enhet"),
        )
    )

    kommun = pl.col("kommun")
    # Excel drops a leading zero ("180" for "0180"); three digits can only mean that.
    kommun_code = (
        pl.when(kommun.str.contains(r"^\d{3}$")).then(pl.lit("0") + kommun).otherwise(kommun)
    )
    errors.append(
        issue_rows(
            frame,
            kommun.is_not_null() & ~kommun_code.str.contains(r"^\d{4}$"),
            column=shown("kommun"),
            expected=EXPECT_KOMMUN,
            found=kommun,
        )
    )
    if known_kommuner is not None:
        known = pl.Series(sorted({str(k) for k in known_kommuner}), dtype=pl.String)
        errors.append(
            issue_rows(
                frame,
                kommun_code.str.contains(r"^\d{4}$") & ~kommun_code.is_in(known.implode()),
                column=shown("kommun"),
                expected=EXPECT_KNOWN_KOMMUN,
                found=kommun,
            )
        )

    integer_columns = ("befolkning", *(v.column for v in CNI_VARIABLES))
    parsed = frame.with_columns(
        *[_parse_integer(pl.col(c)).alias(f"_n_{c}") for c in integer_columns],
        kommun_code.alias("kommun"),
    )
    for column in integer_columns:
        raw, number = pl.col(column), pl.col(f"_n_{column}")
        punct = raw.str.contains(_PUNCT_GROUPED_RE).fill_null(False)
        errors.append(
            issue_rows(
                parsed,
                punct,
                column=shown(column),
                expected=EXPECT_UNGROUPED,
                found=raw,
            )
        )
        invalid = number.is_null() & ~punct
        if column == "befolkning":
            invalid = invalid | (number == 0).fill_null(False)
        errors.append(
            issue_rows(
                parsed,
                invalid,
                column=shown(column),
                expected=EXPECT_POPULATION if column == "befolkning" else EXPECT_COUNT,
                found=raw,
            )
        )
        if column != "befolkning":
            # A criterion counts persons among the listed, so it cannot exceed them.
            errors.append(
                issue_rows(
                    parsed,
                    (number > pl.col("_n_befolkning")).fill_null(False)
                    & (pl.col("_n_befolkning") > 0),
                    column=shown(column),
                    expected=pl.format(
                        'högst befolkningen ("{}" = {})',
                        pl.lit(shown("befolkning")),
                        pl.col("_n_befolkning"),
                    ),
                    found=raw,
                )
            )

    issues, error_count = collect_issues(
        filename, errors, column_order=list(table.columns), limit=max_errors
    )
    if error_count:
        raise CniFileError(filename, issues, error_count)
    return parsed.select(
        pl.col("enhet"),
        pl.col("namn"),
        pl.col("kommun"),
        *[pl.col(f"_n_{c}").alias(c) for c in integer_columns],
    ).cast(OUTPUT_SCHEMA)


def _map_columns(header: Sequence[str], filename: str) -> dict[str, str]:
    """Canonical column → header as written; refuses repeats and missing required columns."""
    found: dict[str, str] = {}
    for name in header:
        canonical = _LOOKUP.get(_header_key(name))
        if canonical is None:
            continue  # other columns are ignored, as in the observation import
        if canonical in found:
            raise CniFileError(
                filename,
                [
                    ImportIssue(
                        filename,
                        1,
                        name,
                        f'kolumnen "{canonical}" bara en gång',
                        f'både "{found[canonical]}" och "{name}"',
                    )
                ],
                1,
            )
        found[canonical] = name
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        plural = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise CniFileError(
            filename,
            [
                ImportIssue(
                    filename,
                    1,
                    None,
                    f"{plural} " + ", ".join(f'"{c}"' for c in missing),
                    ", ".join(header),
                )
            ],
            1,
        )
    return found


def _parse_integer(col: pl.Expr) -> pl.Expr:
    """Text → Int64 for non-negative whole numbers; null for anything else."""
    cleaned = (
        col.str.replace_all(r"[ \u00a0\u202f]", "")
        .str.replace(r"^\+", "")
        .str.replace(r"[.,]0+$", "")
    )
    return (
        pl.when(col.str.contains(_INTEGER_RE) & (cleaned.str.len_chars() <= 12))
        .then(cleaned.cast(pl.Int64, strict=False))
        .otherwise(None)
    )


# --- the national reference: variabel;poäng -------------------------------------------------

#: Canonical column of a reference file → other headers accepted (compared after folding).
REFERENCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "variabel": ("variable", "kriterium"),
    "poäng": ("poang_per_invanare", "indexpoang", "indexpoang_per_invanare"),
}
EXPECT_POINTS = "ett tal ≥ 0 med decimalkomma (t.ex. 0,3521)"
EXPECT_VARIABLE = "en av CNI-variablerna " + ", ".join(v.column for v in CNI_VARIABLES)

# A decimal comma (or a point, which XLSX cells and some exports write) and no grouping: a
# variable's points are below its weight, so a thousands separator can only be a mistake.
_POINTS_RE = r"^\+?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$"
_REFERENCE_LOOKUP = {
    _header_key(key): canonical
    for canonical, aliases in REFERENCE_COLUMNS.items()
    for key in (canonical, *aliases)
}
_VARIABLE_LOOKUP = {
    key: canonical
    for key, canonical in _LOOKUP.items()
    if canonical in {v.column for v in CNI_VARIABLES}
}


def read_cni_reference(
    data: bytes, filename: str, *, max_errors: int = DEFAULT_MAX_ISSUES
) -> dict[str, float]:
    """Read riket's index points per person per CNI variable from a CSV or XLSX file.

    The file has a header row ``variabel;poäng`` and one row per variable of
    :data:`~halsogap.needs.cni.CNI_VARIABLES`, in any order: the variable's name as in the
    counts file (``barn_under_5`` …, or one of its aliases, folded like the counts headers so
    ``Barn under 5`` works) and riket's points per person for it (weight × riket's count /
    riket's population) with a decimal comma (a point is accepted too). Encodings, separators
    and XLSX are read as for :func:`read_cni_counts`; other columns are ignored.

    Returns ``{variable: points}`` in :data:`~halsogap.needs.cni.CNI_VARIABLES` order, ready
    for ``care_need_index(counts, reference=...)``, which uses their sum as riket's points per
    person.

    Anything wrong refuses the whole file with :class:`CniFileError` listing every problem (up
    to ``max_errors``) with file, row, column, what was expected and what was there: an
    unknown, empty or repeated variable, a value that is not a number ≥ 0 or is above the
    variable's weight, a missing variable, or all seven 0.

    >>> rows = ["barn_under_5;0,2", "utlandsfodda;0,5", "aldre_ensamboende;0,3"]
    >>> rows += ["ensamstaende_foraldrar;0,2", "inflyttade;0,6", "arbetslosa;0,4"]
    >>> text = "variabel;poäng\\n" + "\\n".join([*rows, "lagutbildade;0,2761"]) + "\\n"
    >>> points = read_cni_reference(text.encode("cp1252"), "riket.csv")
    >>> points["lagutbildade"], round(sum(points.values()), 4)
    (0.2761, 2.4761)
    >>> read_cni_reference(text.replace("0,6", "0,6 p").encode(), "riket.csv")
    Traceback (most recent call last):
    ...
    halsogap.needs.cni_reading.CniFileError: riket.csv, rad 6, kolumn "poäng": förväntade ett tal ≥ 0 med decimalkomma (t.ex. 0,3521), fick "0,6 p"
    """
    try:
        table = read_table(data, filename)
    except ImportFileError as exc:
        raise CniFileError(filename, [exc.issue], 1) from exc
    names = _map_reference_columns(table.columns, filename)
    variable_col, points_col = names["variabel"], names["poäng"]

    issues: list[ImportIssue] = []
    first_row: dict[str, int] = {}
    written: dict[str, str] = {}
    points: dict[str, float] = {}
    weights = {v.column: v.weight for v in CNI_VARIABLES}
    # A reference has seven rows, so plain Python is clearer than expressions here.
    for row, name, raw in table.frame.select(ROW, variable_col, points_col).iter_rows():
        canonical = _VARIABLE_LOOKUP.get(_header_key(name)) if name is not None else None
        if canonical is None:
            issues.append(ImportIssue(filename, row, variable_col, EXPECT_VARIABLE, name))
        elif canonical in first_row:
            issues.append(
                ImportIssue(
                    filename,
                    row,
                    variable_col,
                    f"en variabel som inte redan finns (samma som rad {first_row[canonical]})",
                    name,
                )
            )
            canonical = None
        else:
            first_row[canonical] = row
            written[canonical] = name
        value = _parse_points(raw)
        if value is None:
            issues.append(ImportIssue(filename, row, points_col, EXPECT_POINTS, raw))
        elif canonical is not None and value > weights[canonical]:
            issues.append(
                ImportIssue(
                    filename,
                    row,
                    points_col,
                    f'högst {format_number(weights[canonical], 2)}, vikten för "{canonical}" '
                    "(poängen är vikt × andel och andelen kan inte vara över 1)",
                    raw,
                )
            )
        elif canonical is not None:
            points[canonical] = value

    missing = [v.column for v in CNI_VARIABLES if v.column not in first_row]
    if missing:
        issues.append(
            ImportIssue(
                filename,
                None,
                variable_col,
                "en rad för var och en av de sju CNI-variablerna, saknas: "
                + ", ".join(f'"{c}"' for c in missing),
                ", ".join(written[v.column] for v in CNI_VARIABLES if v.column in written),
            )
        )
    if not issues and not any(points.values()):
        issues.append(
            ImportIssue(
                filename,
                None,
                points_col,
                "poäng som inte alla är 0 (referensen är summan och måste vara större än 0)",
                "0 för alla sju variabler",
            )
        )
    if issues:
        raise CniFileError(filename, issues[:max_errors], len(issues))
    return {v.column: points[v.column] for v in CNI_VARIABLES}


def _map_reference_columns(header: Sequence[str], filename: str) -> dict[str, str]:
    """Canonical reference column → header as written; refuses repeats and missing ones."""
    found: dict[str, str] = {}
    for name in header:
        canonical = _REFERENCE_LOOKUP.get(_header_key(name))
        if canonical is None:
            continue
        if canonical in found:
            raise CniFileError(
                filename,
                [
                    ImportIssue(
                        filename,
                        1,
                        name,
                        f'kolumnen "{canonical}" bara en gång',
                        f'både "{found[canonical]}" och "{name}"',
                    )
                ],
                1,
            )
        found[canonical] = name
    missing = [c for c in REFERENCE_COLUMNS if c not in found]
    if missing:
        plural = "kolumnen" if len(missing) == 1 else "kolumnerna"
        raise CniFileError(
            filename,
            [
                ImportIssue(
                    filename,
                    1,
                    None,
                    f"{plural} " + ", ".join(f'"{c}"' for c in missing),
                    ", ".join(header),
                )
            ],
            1,
        )
    return found


def _parse_points(text: str | None) -> float | None:
    """Text with a decimal comma or point → a finite float ≥ 0; None for anything else."""
    if text is None or not re.match(_POINTS_RE, text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) else None
