"""Walking every URL of the site, and reading the text of every kind of answer.

Used by the sweeping suppression and parity tests: :func:`every_get_url` builds each GET URL
of the URL configuration from the objects a test made, and :func:`answer_text` turns an HTML
page, a CSV, a PDF, a Word or an Excel file into the text a reader would see.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

#: Patterns the sweep does not walk, and why.
SKIPPED = {
    "login": "a form without data",
    "logout": "changes the session",
    "set_language": "changes the language",
}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[URLPattern]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or str(entry.pattern).startswith(
                ("admin", "i18n")
            ):
                continue
            yield from _patterns(entry)
        else:
            yield entry


def named_patterns() -> list[URLPattern]:
    return [p for p in _patterns() if p.name and p.name not in SKIPPED]


def _argument_names(pattern: URLPattern) -> list[str]:
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def every_get_url(arguments: Callable[[str, str], list[str]]) -> list[tuple[str, str]]:
    """(pattern name, URL) for every named pattern, with each combination of arguments.

    ``arguments(name, parameter)`` gives the values to try for one parameter of one pattern
    (for example every format of an export, or the pk of the object the test made).
    """
    urls = []
    for pattern in named_patterns():
        names = _argument_names(pattern)
        combos: list[dict] = [{}]
        for parameter in names:
            combos = [
                {**c, parameter: value}
                for c in combos
                for value in arguments(pattern.name, parameter)
            ]
        for kwargs in combos:
            try:
                urls.append((pattern.name, reverse(pattern.name, kwargs=kwargs)))
            except NoReverseMatch:
                continue
    return sorted(set(urls))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    xml = re.sub(r"</w:(p|tc)>", "\n", xml)
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                cells.append(str(cell.value))
                if isinstance(cell.value, float):
                    # Excel shows the number formatted: check the Swedish spelling too.
                    cells.append(f"{cell.value:.1f}".replace(".", ","))
    return "\n".join(cells)


def _html_text(data: bytes) -> str:
    text = data.decode("utf-8")
    # Titles and descriptions of charts and maps are read aloud; keep them with the page text.
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def answer_text(response) -> str:
    """What a reader sees in an answer, whatever its format."""
    kind = response.get("Content-Type", "")
    data = response.content
    if "pdf" in kind:
        return _pdf_text(data)
    if "wordprocessingml" in kind:
        return _docx_text(data)
    if "spreadsheetml" in kind:
        return _xlsx_text(data)
    if "csv" in kind:
        return data.decode("utf-8")
    return _html_text(data)


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8")), delimiter=";"))
