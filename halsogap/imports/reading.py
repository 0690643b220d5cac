"""Turning uploaded bytes into a table of strings: encodings, separators, CSV and XLSX.

Everything comes out as text (``String`` columns) so that validation sees exactly what the user
typed, and can quote it back in an error message, instead of what a type guesser made of it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

import polars as pl

from halsogap.imports.issues import file_error

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .xls (and .doc): openpyxl cannot read it
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATORS = ("\t", ";", ",")  # ties go to the earlier one: tab and ';' never occur in numbers
SEPARATOR_NAMES = {"\t": "tabb", ";": "semikolon", ",": "kommatecken"}
ROW = "_row"  # the spreadsheet row number (header = 1) carried beside the data


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file read as text: one ``String`` column per header cell, plus ``_row``.

    ``columns`` are the header cells as written (trimmed), in file order; the frame's columns
    have the same names. Rows that are empty in every cell are already dropped, but ``_row``
    keeps the numbering the user sees.
    """

    frame: pl.DataFrame
    columns: tuple[str, ...]
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    separator: str | None = None


def is_xlsx(data: bytes, filename: str) -> bool:
    """Whether to read the bytes as an XLSX workbook (by extension or zip signature).

    >>> is_xlsx(b"PK\\x03\\x04...", "data.bin"), is_xlsx(b"a;b", "data.XLSX")
    (True, True)
    >>> is_xlsx(b"a;b", "a.csv")
    False
    """
    return filename.lower().endswith(XLSX_SUFFIXES) or data[:4] == ZIP_MAGIC


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """Decode CSV bytes, returning ``(text, encoding)``.

    Strict UTF-8 is tried first because Windows-1252 decodes almost any byte string, so
    trying it first would silently turn UTF-8 "ä" into "Ã¤".

    >>> decode_text("år".encode("cp1252"), "a.csv")
    ('år', 'cp1252')
    >>> decode_text("\\ufeffår".encode("utf-8"), "a.csv")
    ('år', 'utf-8-sig')
    >>> decode_text("Malmö;Åre".encode("mac_roman"), "a.csv")
    ('Malmö;Åre', 'mac_roman')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _encoding_error(filename) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _encoding_error(filename) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        windows = data.decode("cp1252")
    except UnicodeDecodeError:
        windows = None
    # Mac Roman (old Mac Excel's "CSV") puts å, ä and ö where Windows-1252 has Œ, Š and š, so
    # both decode the same bytes; the one that gives the more Swedish letters is the file's.
    # Only small letters count: Mac Roman's Ä and Ö sit on Windows' € and …, which a
    # Windows file without Swedish letters may well hold.
    mac = data.decode("mac_roman")
    if windows is None or _swedish_letters(mac) > _swedish_letters(windows):
        if _swedish_letters(mac) == 0:
            raise _encoding_error(filename)
        return mac, "mac_roman"
    return windows, "cp1252"


def _swedish_letters(text: str) -> int:
    return sum(text.count(letter) for letter in "åäöéü")


def encoding_notices(encoding: str | None, filename: str) -> tuple[str, ...]:
    """What the user should know about how a file's text was read (empty when nothing).

    >>> encoding_notices("mac_roman", "a.csv")[0][:44]
    'a.csv: filen var sparad i teckenkodningen Ma'
    >>> encoding_notices("utf-8", "a.csv")
    ()
    """
    if encoding != "mac_roman":
        return ()
    return (
        f"{filename}: filen var sparad i teckenkodningen Mac Roman (äldre Excel för Mac) och "
        "lästes som sådan; kontrollera att å, ä och ö blev rätt, och spara gärna som "
        "CSV UTF-8 nästa gång.",
    )


def _encoding_error(filename: str) -> Exception:
    return file_error(
        filename, "text i UTF-8, Windows-1252 eller Mac Roman", "en okänd teckenkodning"
    )


def sniff_separator(header_line: str) -> str:
    """Pick the separator that splits the header line into the most fields.

    Only the header is used: it has no decimal commas, so a comma there is a separator.

    >>> sniff_separator("kpi;kolada_id;year"), sniff_separator('a,"b;c",d'), sniff_separator("x")
    (';', ',', ',')
    """
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(SEPARATORS, key=lambda s: counts[s])  # max keeps the first of equal counts
    return best if counts[best] else ","


def read_table(data: bytes, filename: str) -> RawTable:
    """Read CSV or XLSX bytes into a :class:`RawTable` of strings.

    >>> t = read_table("område;värde\\r\\n01;12,5\\r\\n\\r\\n03;7\\r\\n".encode("cp1252"), "a.csv")
    >>> t.columns, t.encoding, t.separator, t.frame["_row"].to_list()
    (('område', 'värde'), 'cp1252', ';', [2, 4])
    """
    if not data or not data.strip():
        raise file_error(filename, "en fil med en rubrikrad och minst en datarad", None)
    lower = filename.lower()
    if data[:4] == OLE_MAGIC or lower.endswith(".xls"):
        raise file_error(
            filename, "en CSV-fil eller en Excel-fil i formatet .xlsx", "det gamla formatet .xls"
        )
    if is_xlsx(data, filename):
        table = _read_xlsx(data, filename)
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise file_error(filename, "en CSV- eller XLSX-fil", "en binärfil")
        table = _read_csv(data, filename)
    if table.frame.height == 0:
        raise file_error(filename, "minst en datarad under rubrikraden", "bara rubrikraden")
    return table


def _read_csv(data: bytes, filename: str) -> RawTable:
    text, encoding = decode_text(data, filename)
    rewritten = encoding != "utf-8"
    if "\r" in text and "\n" not in text:
        # Classic Mac line endings, still written by some exports; Polars only splits on \n.
        text, rewritten = text.replace("\r", "\n"), True
    header_line, _, rest = text.partition("\n")
    header_line = header_line.rstrip("\r")
    forced = None
    if len(header_line) == 5 and header_line.lower().startswith("sep="):
        # Excel's "sep=;" hint line: Excel hides it, so the header is still row 1 to the user.
        forced, text, rewritten = header_line[4], rest, True
        header_line = text.partition("\n")[0].rstrip("\r")
    if not header_line.strip():
        # A blank first line would make the first data row look like the header.
        raise file_error(filename, "kolumnrubriker på rad 1", None, row=1)
    separator = forced or sniff_separator(header_line)
    try:
        header = [h.strip() for h in next(csv.reader([header_line], delimiter=separator))]
    except csv.Error as exc:
        raise _unreadable(filename) from exc
    _check_header(header, filename)
    # Re-encoding costs a copy; skip it when the bytes are already plain UTF-8.
    payload = text.encode("utf-8") if rewritten else data
    try:
        frame = pl.read_csv(
            io.BytesIO(payload),
            separator=separator,
            has_header=True,
            infer_schema=False,
            quote_char='"',
        )
    except pl.exceptions.PolarsError as exc:
        raise _locate_csv_problem(text, separator, len(header), filename) from exc
    if frame.width != len(header):
        raise _locate_csv_problem(text, separator, len(header), filename)
    # Headerless columns get placeholder names so they can be dropped without clashing.
    frame.columns = [h or f"_blank{i}" for i, h in enumerate(header)]
    return RawTable(_tidy(frame, header), tuple(header), "csv", encoding, separator)


def _unreadable(filename: str) -> Exception:
    return file_error(
        filename,
        "en läsbar CSV-fil (kontrollera citattecken och radslut)",
        "en fil som inte kunde tolkas som CSV",
    )


def _check_header(header: list[str], filename: str) -> None:
    seen: set[str] = set()
    for name in header:
        key = name.lower()
        if key and key in seen:
            raise file_error(
                filename, "unika kolumnrubriker", f"kolumnen {name!r} två gånger", row=1
            )
        seen.add(key)


def _locate_csv_problem(text: str, separator: str, width: int, filename: str) -> Exception:
    # Only on the error path: walk the rows in Python to name the first ragged one.
    try:
        numbered = list(enumerate(csv.reader(io.StringIO(text), delimiter=separator), start=1))
    except csv.Error:
        return _unreadable(filename)
    for number, fields in numbered:
        if len(fields) > width:
            hint = ""
            if separator == ",":
                hint = " (decimalkomma måste stå inom citattecken, \"12,5\", eller använd ';')"
            return file_error(
                filename,
                f"högst {width} fält som rubrikraden{hint}",
                f"{len(fields)} fält",
                row=number,
            )
    return _unreadable(filename)


def _tidy(frame: pl.DataFrame, header: list[str]) -> pl.DataFrame:
    """Trim cells, turn blanks into nulls, number the rows and drop empty ones."""
    # Columns without a header are almost always Excel's trailing empty columns.
    named = [h for h in header if h]
    trimmed = frame.select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias(ROW),
        *[
            pl.col(h).str.strip_chars().replace("", None).alias(h)  # blank cell = missing
            for h in named
        ],
    )
    if not named:
        return trimmed.clear()
    return trimmed.filter(pl.any_horizontal(pl.col(named).is_not_null()))


#: What an observation workbook plausibly holds; a file that declares or unpacks to more is a
#: mistake or a zip bomb, refused before openpyxl reads a cell.
MAX_XLSX_UNPACKED = 500 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_XLSX_COLUMNS = 200
MAX_XLSX_ROWS = 2_000_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')


def check_xlsx_size(data: bytes, filename: str) -> None:
    """Refuse a workbook whose unpacked size or declared sheet size is implausible.

    Reads only the zip directory and the first kilobytes of each sheet, so a 1,6 kB file that
    declares ``A1:XFD1048576`` or a zip bomb is refused in milliseconds.

    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", '<worksheet><dimension ref="A1:XFD1048576"/>')
    >>> check_xlsx_size(buffer.getvalue(), "stor.xlsx")
    Traceback (most recent call last):
    ...
    halsogap.imports.issues.ImportFileError: stor.xlsx: förväntade ett kalkylblad med högst 200 kolumner och 2000000 rader, fick "ett blad som anger 16384 kolumner och 1048576 rader (A1:XFD1048576)"
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says so in its own words below
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    if unpacked > MAX_XLSX_UNPACKED or (
        unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_XLSX_RATIO
    ):
        raise file_error(
            filename,
            f"en Excel-fil som packas upp till högst {MAX_XLSX_UNPACKED // 1024 // 1024} MB",
            f"en fil som packas upp till {unpacked // 1024 // 1024} MB "
            f"({unpacked // packed} gånger sin storlek)",
        )
    for member in members:
        if not member.filename.startswith("xl/worksheets/") or not member.filename.endswith(".xml"):
            continue
        with archive.open(member) as sheet:
            head = sheet.read(4096)
        found = _DIMENSION.search(head)
        if not found or not found.group(3):
            continue
        columns = column_index_from_letters(found.group(3))
        rows = int(found.group(4))
        if columns > MAX_XLSX_COLUMNS or rows > MAX_XLSX_ROWS:
            ref = found.group(0).split(b'"')[1].decode()
            raise file_error(
                filename,
                f"ett kalkylblad med högst {MAX_XLSX_COLUMNS} kolumner och {MAX_XLSX_ROWS} rader",
                f"ett blad som anger {columns} kolumner och {rows} rader ({ref})",
            )


def column_index_from_letters(letters: bytes | str) -> int:
    """Excel's column letters as a number: A → 1, Z → 26, XFD → 16384.

    >>> column_index_from_letters("XFD")
    16384
    """
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for ch in text:
        number = number * 26 + (ord(ch) - ord("A") + 1)
    return number


def _read_xlsx(data: bytes, filename: str) -> RawTable:
    import openpyxl  # imported here: CSV-only callers should not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_size(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise file_error(
            filename, "en Excel-fil i formatet .xlsx", "en fil som inte kunde öppnas"
        ) from exc
    try:
        if not book.worksheets:
            raise file_error(filename, "minst ett kalkylblad", None)
        sheet = book.worksheets[0]
        # The declared size was checked above; reading stops at the cells that exist.
        sheet.reset_dimensions()
        header: list[str] | None = None
        rows: list[int] = []
        cells: list[list[str | None]] = []
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            texts = [_cell_text(v) for v in values]
            if header is None:
                if any(t is not None for t in texts):
                    header = [t or "" for t in texts]
                    _check_header(header, filename)
                continue
            if any(t is not None for t in texts[: len(header)]):
                rows.append(number)
                cells.append(texts)
    finally:
        book.close()
    if header is None:
        raise file_error(filename, "en fil med en rubrikrad och minst en datarad", None)
    columns = {ROW: pl.Series(ROW, rows, dtype=pl.Int64)}
    for i, name in enumerate(header):
        if name:
            columns[name] = pl.Series(
                name, [r[i] if i < len(r) else None for r in cells], dtype=pl.String
            )
    named = tuple(h for h in header if h)
    return RawTable(pl.DataFrame(columns), named, "xlsx")


def _cell_text(value: object) -> str | None:
    """Render an Excel cell as the text a user would expect to see typed."""
    if value is None:
        return None
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 2022.0 from a year cell must compare equal to the text "2022".
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).strip()
    return text or None
