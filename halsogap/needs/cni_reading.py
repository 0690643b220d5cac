"""Reading CNI counts from a CSV (or XLSX) file: all or nothing, every problem named.

The file contract is ``docs/cni-format.md``. Bytes are decoded and split by the same reader as
observation imports (:func:`halsogap.imports.reading.read_table`: UTF-8 or Windows-1252, ``;``,
``,`` or tab), so users meet one set of rules; the checks here are CNI's own.
"""

from __future__ import annotations

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
