"""Statistical sources in their own formats: JSON-stat 2.0, PX-Web's JSON and PC-Axis files.

Each reader returns a :class:`~halsogap.sources.jsonstat.SourceTable`: tidy text rows with the
columns of Hälsogap's import contract, plus what the source says about the table (producer,
table id, units, the fixed parts of the selection), so that :mod:`halsogap.imports` validates
them with the same rules and messages as a file an analyst typed.
"""

from halsogap.sources.codes import SourceFormatError
from halsogap.sources.jsonstat import SourceTable, read_json_source
from halsogap.sources.pcaxis import read_px

__all__ = ["SourceFormatError", "SourceTable", "read_json_source", "read_px", "read_source_file"]


def read_source_file(
    data: bytes, filename: str, *, indicator: str | None = None
) -> tuple[str, SourceTable] | None:
    """The format and table of a file in a source's own format, or None for CSV and XLSX.

    A PC-Axis file is told by its ``.px`` name or its first keywords, JSON by its first
    character; everything else is left to the CSV and XLSX readers.

    >>> read_source_file(b"indikator;omrade\\n", "a.csv") is None
    True
    """
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    if filename.lower().endswith(".px") or head.startswith((b"CHARSET", b"AXIS-VERSION")):
        return "px", read_px(data, filename, indicator=indicator)
    if head.startswith(b"{"):
        table = read_json_source(data, filename, indicator=indicator)
        if table is None:
            raise SourceFormatError(
                filename, "JSON-stat 2.0 eller PX-Webs JSON-svar (columns och data)", "annan JSON"
            )
        kind = "pxweb-json" if b'"columns"' in data[:2000] and b'"data"' in data else "json-stat2"
        return kind, table
    return None
