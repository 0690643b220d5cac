"""The one entry point the CLI and the web upload call: bytes in, checked rows or errors out."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from halsogap.imports.formats import SOURCE_FORMATS, ImportFormat, detect_format, map_columns
from halsogap.imports.issues import (
    DEFAULT_MAX_ISSUES,
    ImportFileError,
    ImportIssue,
    collect_issues,
    file_error,
    overflow_line,
)
from halsogap.imports.reading import ROW, RawTable, encoding_notices, read_table
from halsogap.imports.validation import (
    OUTPUT_SCHEMA,
    Rules,
    duplicate_issues,
    validate_chunk,
)
from halsogap.sources import SourceFormatError, SourceTable, read_source_file

#: Rows validated between two progress reports: small enough for a smooth bar, large enough
#: that Polars' per-call overhead stays negligible.
CHUNK_ROWS = 100_000

Progress = Callable[[int, int], object]


@dataclass(frozen=True, slots=True)
class ParsedImport:
    """A read and checked observation file.

    ``rows`` holds the normalised observations only when the file is clean (``ok``); with any
    error it is empty, because an import is all-or-nothing and a half-valid frame invites
    writing part of it. ``row_count`` is the number of data rows in the file either way.
    """

    format: ImportFormat
    rows: pl.DataFrame
    errors: list[ImportIssue]
    checksum: str
    row_count: int
    filename: str
    error_count: int = 0  # all errors found; ``errors`` holds at most the first 100
    ignored_columns: tuple[str, ...] = field(default=())
    #: What a statistics source says about its table (producer, table id, units, the fixed
    #: parts of the selection); empty for CSV and XLSX.
    source: dict = field(default_factory=dict)
    #: What the user should know although nothing is wrong, e.g. how the text was decoded.
    notices: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Whether the file may be written to the database."""
        return self.error_count == 0

    def messages(self) -> list[str]:
        """Every shown error as a sentence, plus ``… och N fel till`` if the list was cut."""
        lines = [issue.message for issue in self.errors]
        tail = overflow_line(len(self.errors), self.error_count)
        return [*lines, tail] if tail else lines


def empty_rows() -> pl.DataFrame:
    """The normalised observation frame with no rows (its schema is the contract).

    >>> empty_rows().columns[:4]
    ['indicator', 'area', 'period', 'sex']
    """
    return pl.DataFrame(schema=OUTPUT_SCHEMA)


def _as_series(codes: Iterable[str]) -> pl.Series:
    return pl.Series(sorted({str(c) for c in codes}), dtype=pl.String)


def parse_observations(
    data: bytes,
    filename: str,
    *,
    known_areas: Iterable[str],
    known_indicators: Iterable[str],
    format: ImportFormat | str | None = None,  # shadows the builtin: the brief names it so
    progress: Progress | None = None,
    max_errors: int = DEFAULT_MAX_ISSUES,
    indicator: str | None = None,
    refused_indicators: Mapping[str, str] | None = None,
) -> ParsedImport:
    """Read, validate and normalise an observation file (CSV or XLSX, Kolada or tidy).

    ``known_areas`` are SCB codes ("00", "01", "0180", ...) and ``known_indicators`` indicator
    codes; nothing here touches a database. ``refused_indicators`` maps codes that exist but
    may not be written by this import to the reason, which the message gives instead of
    "unknown". ``progress(done_rows, total_rows)`` is called as
    validation advances. Whole-file problems raise :class:`ImportFileError`; row problems are
    collected in ``errors`` (all of them counted in ``error_count``).

    >>> csv = "kpi;kolada_id;year;sex;value\\nN1;0001;2022;K;12,5\\nN1;0180;2022;T;abc\\n"
    >>> result = parse_observations(
    ...     csv.encode(), "k.csv", known_areas={"01", "0180"}, known_indicators={"N1"}
    ... )
    >>> result.format.value, result.row_count, result.ok
    ('kolada', 2, False)
    >>> result.messages()
    ['k.csv, rad 3, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5), fick "abc"']
    """
    checksum = hashlib.sha256(data).hexdigest()
    table, fmt, source = _read(data, filename, format=format, indicator=indicator)
    return _validate(
        table,
        fmt,
        filename,
        checksum=checksum,
        source=source,
        known_areas=known_areas,
        known_indicators=known_indicators,
        refused_indicators=refused_indicators,
        progress=progress,
        max_errors=max_errors,
    )


def parse_source_table(
    table: SourceTable,
    name: str,
    *,
    kind: str,
    known_areas: Iterable[str],
    known_indicators: Iterable[str],
    progress: Progress | None = None,
    max_errors: int = DEFAULT_MAX_ISSUES,
) -> ParsedImport:
    """Validate a table a connector fetched exactly as an uploaded file of the source's format.

    ``name`` stands for the file name in messages ("SCB TAB638"); ``kind`` is the format the
    rows are recorded under (``"json-stat2"`` for the PX-Web connectors). The checksum is the
    rows', so the same answer twice is recognised as already loaded.

    >>> from halsogap.sources.jsonstat import SourceTable
    >>> t = SourceTable(pl.DataFrame({"indikator": ["I1"], "område": ["01"], "period": ["2024"],
    ...     "värde": ["5"]}), {"source": "SCB"})
    >>> parse_source_table(t, "SCB", kind="json-stat2", known_areas={"01"},
    ...     known_indicators={"I1"}).rows["value"].to_list()
    [5.0]
    """
    checksum = hashlib.sha256(table.frame.write_csv().encode()).hexdigest()
    return _validate(
        _source_raw(table, kind),
        ImportFormat(kind),
        name,
        checksum=checksum,
        source=table.metadata,
        known_areas=known_areas,
        known_indicators=known_indicators,
        progress=progress,
        max_errors=max_errors,
    )


def _validate(
    table: RawTable,
    fmt: ImportFormat,
    filename: str,
    *,
    checksum: str,
    source: dict,
    known_areas: Iterable[str],
    known_indicators: Iterable[str],
    progress: Progress | None,
    max_errors: int,
    refused_indicators: Mapping[str, str] | None = None,
) -> ParsedImport:
    mapped = map_columns(table, fmt, filename)
    rules = Rules(
        # A source's cube is validated as the tidy contract it was unrolled into.
        fmt=ImportFormat.TIDY if fmt in SOURCE_FORMATS else fmt,
        source_names=mapped.source_names,
        known_areas=_as_series(known_areas),
        known_indicators=_as_series(known_indicators),
        refused_indicators=dict(refused_indicators or {}),
    )
    total = mapped.frame.height
    if progress is not None:
        progress(0, total)
    parts: list[pl.DataFrame] = []
    error_frames: list[pl.DataFrame] = []
    for start in range(0, total, CHUNK_ROWS):
        rows, errors = validate_chunk(mapped.frame.slice(start, CHUNK_ROWS), rules)
        parts.append(rows)
        error_frames.extend(errors)
        if progress is not None:
            progress(min(start + CHUNK_ROWS, total), total)
    normalised = pl.concat(parts, how="vertical", rechunk=True)
    error_frames.append(duplicate_issues(normalised, rules))
    issues, error_count = collect_issues(
        filename,
        error_frames,
        column_order=list(table.columns),
        limit=max_errors,
    )
    rows = empty_rows() if error_count else normalised.drop(ROW, "_area_src")
    return ParsedImport(
        format=fmt,
        rows=rows,
        errors=issues,
        checksum=checksum,
        row_count=total,
        filename=filename,
        error_count=error_count,
        ignored_columns=mapped.ignored_columns,
        source=source,
        notices=encoding_notices(table.encoding, filename),
    )


def _read(
    data: bytes, filename: str, *, format, indicator: str | None
) -> tuple[RawTable, ImportFormat, dict]:
    """The file as text columns, its format, and what a source says about its table."""
    wanted = None
    if format is not None:
        try:
            wanted = ImportFormat(str(format).lower())
        except ValueError as exc:
            names = ", ".join(f'"{f.value}"' for f in ImportFormat)
            raise file_error(filename, f"ett av formaten {names}", str(format)) from exc
    try:
        found = read_source_file(data, filename, indicator=indicator)
    except SourceFormatError as error:
        raise ImportFileError(
            ImportIssue(filename, error.row, None, error.expected, error.found)
        ) from error
    if found is not None:
        kind, source = found
        return _source_raw(source, kind), ImportFormat(kind), source.metadata
    table = read_table(data, filename)
    if wanted is not None and wanted not in SOURCE_FORMATS:
        return table, wanted, {}
    return table, detect_format(table.columns, filename), {}


def _source_raw(source: SourceTable, kind: str) -> RawTable:
    """A source's tidy text rows as the raw table a CSV would give (rows numbered from 2)."""
    # Empty text is an empty cell, as the CSV reader gives it.
    frame = source.frame.with_columns(
        pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in source.frame.columns
    )
    frame = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    return RawTable(frame, tuple(source.frame.columns), kind=kind)
