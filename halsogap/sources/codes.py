"""How the statistical sources' dimensions and codes become Hälsogap's columns.

SCB, Folkhälsomyndigheten and Socialstyrelsen name the same things differently: the area is
"Region" or "region", sex is "Kon" with codes 1, 2 and 1+2 (SCB) or 00, 01, 02 with labels
(Folkhälsodata), ages come as single years ("0", "100+"), bands ("16-84 år") or a total
("tot"). This module reads those into the tidy contract of :mod:`halsogap.imports`
(``område``, ``period``, ``kön``, ``åldersgrupp``, ``värde``, ``nedre``, ``övre``, ``nämnare``),
so every source is validated by the same rules as a file an analyst typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: What each of our columns is called in the sources (dimension codes and labels, lower-cased).
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "area": ("region", "kommun", "län", "lan", "område", "omrade", "geo", "regionkod"),
    "period": ("tid", "år", "ar", "year", "period", "time"),
    "sex": ("kon", "kön", "sex", "gender"),
    "age_band": ("alder", "ålder", "age", "åldersgrupp", "aldersgrupp"),
    "indicator": ("contentscode", "tabellinnehåll", "tabellinnehall", "contents"),
}

#: Sex by label first (Folkhälsodata's codes 00/01/02 differ between tables), then by SCB code.
SEX_LABELS = {
    "män": "M",
    "man": "M",
    "men": "M",
    "males": "M",
    "kvinnor": "K",
    "kvinna": "K",
    "women": "K",
    "females": "K",
    "totalt": "T",
    "total": "T",
    "samtliga": "T",
    "båda könen": "T",
    "kvinnor och män": "T",
    "män och kvinnor": "T",
}
SEX_CODES = {"1": "M", "2": "K", "1+2": "T", "T": "T", "K": "K", "M": "M"}

#: Rows of a "measure" dimension that are not values but the value's interval or base
#: (Folkhälsodata's "Andel och konfidensintervall": Andel, KI nedre, KI övre, Antal svar).
MEASURE_LABELS = {
    "lower": ("ki nedre", "konfidensintervall nedre", "nedre gräns", "lower"),
    "upper": ("ki övre", "konfidensintervall övre", "övre gräns", "upper"),
    "denominator": ("antal svar", "antal svarande", "nämnare"),
}

_AGE_BAND = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})(?:\s*år)?$")
_AGE_PLUS = re.compile(r"^(\d{1,3})\s*\+(?:\s*år)?$|^(\d{1,3})\s*år\s+och\s+äldre$")
_AGE_ONE = re.compile(r"^(\d{1,3})(?:\s*år)?$")
_AGE_UPTO = re.compile(r"^-\s*(\d{1,3})$")
_TOTALS = {"tot", "totalt", "total", "samtliga", "alla åldrar", "samtliga åldrar", "tot1"}


class SourceFormatError(ValueError):
    """A source file or response that cannot be read as a whole, said as an import message:
    the file, where, what was expected and what was found (:mod:`halsogap.imports` turns it
    into its own file error, so the reader sees one kind of message).

    >>> str(SourceFormatError("t.px", "DATA=", "ingen DATA-del"))
    't.px: förväntade DATA=, fick ingen DATA-del'
    """

    def __init__(self, filename: str, expected: str, found: str | None, row: int | None = None):
        where = f"{filename}, rad {row}" if row is not None else filename
        super().__init__(f"{where}: förväntade {expected}, fick {found or 'tomt'}")
        self.filename, self.expected, self.found, self.row = filename, expected, found, row


def file_error(
    filename: str, expected: str, found: str | None, row: int | None = None
) -> SourceFormatError:
    return SourceFormatError(filename, expected, found, row)


@dataclass(frozen=True, slots=True)
class Dimension:
    """One dimension of a source table: its code, label and categories in data order."""

    code: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.codes)


def role_of(dimension: Dimension, *, time: set[str], metric: set[str], geo: set[str]) -> str | None:
    """Which of our columns a dimension fills, from the source's roles or its name.

    >>> d = Dimension("Kon", "kön", ("1", "2"), ("män", "kvinnor"))
    >>> role_of(d, time=set(), metric=set(), geo=set())
    'sex'
    >>> role_of(Dimension("Tid", "år", ("2024",), ("2024",)), time={"Tid"}, metric=set(), geo=set())
    'period'
    """
    if dimension.code in time:
        return "period"
    if dimension.code in metric:
        return "indicator"
    if dimension.code in geo:
        return "area"
    names = {dimension.code.lower(), dimension.label.lower()}
    for role, spellings in ROLE_NAMES.items():
        if names & set(spellings):
            return role
    return None


def sex_code(code: str, label: str) -> str:
    """Hälsogap's T, K or M for a source's sex category; the code itself if unknown.

    >>> sex_code("1", "män"), sex_code("00", "Totalt"), sex_code("2", ""), sex_code("9", "okänt")
    ('M', 'T', 'K', '9')
    """
    return SEX_LABELS.get(label.strip().lower()) or SEX_CODES.get(code.strip(), code)


def age_band(code: str, label: str) -> str:
    """Hälsogap's age band ("16-84", "65+", "" for all ages) for a source's age category.

    Single years become one-year bands, "-9" (up to 9) becomes "0-9"; anything else is kept as
    written so that validation can say what it found.

    >>> [age_band(c, lab) for c, lab in [("0", "0 år"), ("100+", "100+ år"), ("tot", "totalt"),
    ...     ("16-84", "16-84 år"), ("-9", "-9 år"), ("x", "65 år och äldre")]]
    ['0-0', '100+', '', '16-84', '0-9', '65+']
    """
    for text in (code.strip(), label.strip().lower()):
        if text.lower() in _TOTALS:
            return ""
        if m := _AGE_BAND.match(text):
            return f"{int(m[1])}-{int(m[2])}"
        if m := _AGE_PLUS.match(text):
            return f"{int(m[1] or m[2])}+"
        if m := _AGE_UPTO.match(text):
            return f"0-{int(m[1])}"
        if m := _AGE_ONE.match(text):
            return f"{int(m[1])}-{int(m[1])}"
    return code


def area_code(code: str) -> str:
    """An SCB area code from a category that may carry its name ("0180 Stockholm").

    >>> area_code("0180 Stockholm"), area_code("01"), area_code("00 Riket")
    ('0180', '01', '00')
    """
    match = re.match(r"^(\d{2}|\d{4})\s+\S", code.strip())
    return match.group(1) if match else code.strip()


def kolada_area(code: str) -> str:
    """An SCB area code for a Kolada id: ``0000`` riket, ``00LL`` a region, ``KKKK`` kept.

    >>> kolada_area("0000"), kolada_area("0001"), kolada_area("0180"), kolada_area("G123")
    ('00', '01', '0180', 'G123')
    """
    if code == "0000":
        return "00"
    if len(code) == 4 and code.startswith("00") and code.isdigit():
        return code[2:]
    return code


def period_code(code: str) -> str:
    """Hälsogap's period for a source's time code: years and spans kept, "2024M01" and
    "2024K1" kept, PX-Web's "2024Q1" as "2024K1".

    >>> [period_code(c) for c in ["2024", "2019-2022", "2024M01", "2024Q2", "2024K3"]]
    ['2024', '2019-2022', '2024M01', '2024K2', '2024K3']
    """
    code = code.strip()
    if m := re.match(r"^(\d{4})Q([1-4])$", code):
        return f"{m[1]}K{m[2]}"
    return code


def measure_role(label: str) -> str | None:
    """Whether a category is an interval limit or a base rather than the value itself.

    >>> measure_role("KI nedre"), measure_role("Antal svar"), measure_role("Andel")
    ('lower', 'denominator', None)
    """
    text = label.strip().lower()
    for role, spellings in MEASURE_LABELS.items():
        if text in spellings:
            return role
    return None
