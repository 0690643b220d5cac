"""Text that a spreadsheet would run: neutralised before it leaves Hälsogap.

A title or a socioeconomic group typed as ``=HYPERLINK("…","klicka")`` is data, not a
formula. In a CSV file Excel runs any cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return; in an XLSX file openpyxl stores such a string as a live formula. Every CSV and
XLSX export goes through :func:`csv_text` or :func:`workbook_bytes`.
"""

from __future__ import annotations

import io
import re

#: What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?$")


def csv_text(value):
    """``value`` as a CSV cell that no spreadsheet runs: text that could start a formula gets
    a leading apostrophe; numbers, and text that is a plain number such as "-5", stay.

    >>> csv_text('=HYPERLINK("http://x","klicka")')
    '\\'=HYPERLINK("http://x","klicka")'
    >>> csv_text("-5"), csv_text(-5), csv_text("Låg inkomst")
    ('-5', -5, 'Låg inkomst')
    """
    formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
    if formula_like and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def workbook_bytes(workbook) -> bytes:
    """Save an openpyxl workbook with every formula-looking string kept as text.

    Hälsogap writes no formulas of its own, so every cell openpyxl took for one came from data.

    >>> from openpyxl import Workbook, load_workbook
    >>> wb = Workbook()
    >>> wb.active["A1"] = "=1+1"
    >>> cell = load_workbook(io.BytesIO(workbook_bytes(wb))).active["A1"]
    >>> cell.value, cell.data_type
    ('=1+1', 's')
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
