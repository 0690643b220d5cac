"""The two file layouts Hälsogap accepts, their column names, and how to tell them apart.

(a) Kolada's long extract (``kpi, kolada_id, year, sex, value``) and (b) Hälsogap's own tidy
contract for any indicator (``indicator, area, period, value`` plus optional strata, counts,
limits and flags; see ``docs/import-format.md``). Both are mapped onto the same canonical
column names, so validation is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import polars as pl

from halsogap.imports.issues import file_error
from halsogap.imports.reading import ROW, RawTable


class ImportFormat(StrEnum):
    """Which layout a file has; the string values are what the CLI and web accept."""

    KOLADA = "kolada"
    TIDY = "tidy"
    #: A statistics source's own format, unrolled into the tidy contract before validation.
    JSONSTAT = "json-stat2"
    PXWEB_JSON = "pxweb-json"
    PX = "px"


#: The sources' formats: read by :mod:`halsogap.sources`, validated as the tidy contract.
SOURCE_FORMATS = (ImportFormat.JSONSTAT, ImportFormat.PXWEB_JSON, ImportFormat.PX)


# Canonical name → accepted header spellings (compared lower-cased, spaces as "_").
# Swedish spellings are accepted in the tidy contract because analysts type headers themselves.
KOLADA_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("kpi", "kpi_id"),
    "area": ("kolada_id", "municipality", "municipality_id"),
    "period": ("year", "period"),
    "sex": ("sex", "gender"),
    "value": ("value",),
}
TIDY_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indicator", "indikator"),
    "area": ("area", "område", "omrade", "områdeskod"),
    "period": ("period", "year", "år"),
    "sex": ("sex", "kön", "kon"),
    "age_band": ("age_band", "åldersgrupp", "aldersgrupp"),
    "socioeconomic_group": ("socioeconomic_group", "socioekonomisk_grupp"),
    "value": ("value", "värde", "varde"),
    "numerator": ("numerator", "täljare", "taljare"),
    "denominator": ("denominator", "nämnare", "namnare"),
    "lower": ("lower", "nedre"),
    "upper": ("upper", "övre", "ovre"),
    "suppressed": ("suppressed", "undertryckt", "skyddad"),
    "provisional": ("provisional", "preliminär", "preliminar"),
    "break_in_series": ("break_in_series", "tidsseriebrott"),
}
REQUIRED = {
    ImportFormat.KOLADA: ("indicator", "area", "period", "value"),
    ImportFormat.TIDY: ("indicator", "area", "period", "value"),
}
ALIASES = {ImportFormat.KOLADA: KOLADA_ALIASES, ImportFormat.TIDY: TIDY_ALIASES}
FORMAT_LABEL = {
    ImportFormat.KOLADA: "Kolada-formatet",
    ImportFormat.TIDY: "Hälsogaps format",
    ImportFormat.JSONSTAT: "JSON-stat 2.0",
    ImportFormat.PXWEB_JSON: "PX-Webs JSON",
    ImportFormat.PX: "PC-Axis",
}
for _source in SOURCE_FORMATS:
    ALIASES[_source], REQUIRED[_source] = TIDY_ALIASES, REQUIRED[ImportFormat.TIDY]


def header_key(name: str) -> str:
    """How header cells are compared: trimmed, lower-case, spaces and dashes as ``_``.

    >>> header_key(" Kolada ID "), header_key("Break-in-series")
    ('kolada_id', 'break_in_series')
    """
    return "_".join(name.strip().lower().replace("-", " ").split())


def detect_format(columns: tuple[str, ...] | list[str], filename: str) -> ImportFormat:
    """Tell the layout from the header: a ``kpi`` column means Kolada, ``indicator`` tidy.

    >>> detect_format(["kpi", "kolada_id", "year", "sex", "value"], "k.csv")
    <ImportFormat.KOLADA: 'kolada'>
    >>> detect_format(["Indikator", "Område", "Period", "Värde"], "t.csv")
    <ImportFormat.TIDY: 'tidy'>
    """
    keys = {header_key(c) for c in columns}
    if keys & set(KOLADA_ALIASES["indicator"]):
        return ImportFormat.KOLADA
    if keys & set(TIDY_ALIASES["indicator"]):
        return ImportFormat.TIDY
    raise file_error(
        filename,
        'kolumnerna "indicator, area, period, value" (Hälsogaps format) '
        'eller "kpi, kolada_id, year, value" (Kolada-formatet)',
        ", ".join(columns),
        row=1,
    )


@dataclass(frozen=True, slots=True)
class MappedTable:
    """A raw table renamed to canonical columns, remembering what the user called them."""

    frame: pl.DataFrame  # canonical names present in the file, plus ``_row``
    source_names: dict[str, str]  # canonical → header as written, for error messages
    ignored_columns: tuple[str, ...]


def map_columns(table: RawTable, fmt: ImportFormat, filename: str) -> MappedTable:
    """Rename the file's columns to canonical names, failing on missing or doubled ones.

    >>> from halsogap.imports.reading import read_table
    >>> raw = read_table(b"KPI,municipality,period,value,note\\nN1,0001,2020,5,x\\n", "k.csv")
    >>> m = map_columns(raw, ImportFormat.KOLADA, "k.csv")
    >>> m.frame.columns, m.source_names["area"], m.ignored_columns
    (['_row', 'indicator', 'area', 'period', 'value'], 'municipality', ('note',))
    """
    lookup = {alias: canonical for canonical, names in ALIASES[fmt].items() for alias in names}
    source_names: dict[str, str] = {}
    ignored: list[str] = []
    for column in table.columns:
        canonical = lookup.get(header_key(column))
        if canonical is None:
            ignored.append(column)
        elif canonical in source_names:
            raise file_error(
                filename,
                f'bara en av kolumnerna "{source_names[canonical]}" och "{column}"',
                "båda",
                row=1,
            )
        else:
            source_names[canonical] = column
    for canonical in REQUIRED[fmt]:
        if canonical not in source_names:
            spellings = " eller ".join(f'"{a}"' for a in ALIASES[fmt][canonical][:3])
            raise file_error(
                filename,
                f"en kolumn {spellings} (krävs i {FORMAT_LABEL[fmt]})",
                ", ".join(table.columns),
                row=1,
            )
    frame = table.frame.select(
        ROW, *[pl.col(src).alias(canonical) for canonical, src in source_names.items()]
    )
    return MappedTable(frame, source_names, tuple(ignored))


def _pad_digits(code: pl.Expr, widths: dict[int, int]) -> pl.Expr:
    # Excel drops leading zeros from number-looking codes ("0180" → 180). Each SCB/Kolada
    # code length is unique, so restoring them from the length is unambiguous, not a guess.
    is_digits = code.str.contains(r"^\d+$")
    length = code.str.len_chars()
    padded = code
    for short, full in widths.items():
        padded = pl.when(is_digits & (length == short)).then(code.str.zfill(full)).otherwise(padded)
    return padded


def kolada_area_to_scb(code: pl.Expr) -> pl.Expr:
    """Map Kolada area ids to SCB codes: ``0000``→``00``, ``00LL``→``LL``, ``KKKK`` kept.

    >>> s = pl.Series(["0000", "0001", "0180", "1", "180", "ABC"])
    >>> pl.select(kolada_area_to_scb(pl.lit(s))).to_series().to_list()
    ['00', '01', '0180', '01', '0180', 'ABC']
    """
    padded = _pad_digits(code, {1: 4, 2: 4, 3: 4})
    # Kommun codes start with their län (01–25), so a leading "00" can only be riket or a län.
    return pl.when(padded.str.contains(r"^00\d\d$")).then(padded.str.slice(2, 2)).otherwise(padded)


def tidy_area_code(code: pl.Expr) -> pl.Expr:
    """Normalise an SCB area code in the tidy contract (only restores Excel-dropped zeros).

    >>> s = pl.Series(["1", "01", "180", "0180", "0114A0010"])
    >>> pl.select(tidy_area_code(pl.lit(s))).to_series().to_list()
    ['01', '01', '0180', '0180', '0114A0010']
    """
    return _pad_digits(code, {1: 2, 3: 4})
