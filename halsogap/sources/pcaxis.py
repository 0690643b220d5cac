"""PC-Axis (``.px``) files, as PX-Web and Folkhälsodata let a user download them.

A PX file is a list of ``KEYWORD("variable")=value;`` entries followed by ``DATA=`` and the cells
in the order of ``STUB`` then ``HEADING`` (the last variable varies fastest). It is read into
the same cube as a JSON-stat dataset and unrolled by :func:`~halsogap.sources.jsonstat.jsonstat_table`,
so both formats follow one set of mapping rules.
"""

from __future__ import annotations

import re

from halsogap.sources.codes import file_error
from halsogap.sources.jsonstat import SUPPRESSED_STATUSES, SourceTable, jsonstat_table

_KEY = re.compile(r'\s*([A-Z0-9-]+)(?:\[([a-z]{2})\])?(?:\("([^"]*)"(?:,"[^"]*")*\))?\s*=\s*', re.S)


def _decode(data: bytes, filename: str) -> str:
    head = data[:400].decode("latin-1", errors="replace")
    charset = re.search(r'CHARSET\s*=\s*"([^"]+)"', head)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if charset and charset.group(1).upper() == "ANSI":
        return data.decode("cp1252")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _entries(text: str, filename: str):
    """Yield (keyword, language, variable, raw value) up to DATA, then ("DATA", …, cells)."""
    pos = 0
    while pos < len(text):
        match = _KEY.match(text, pos)
        if not match:
            if text[pos:].strip():
                line = text.count("\n", 0, pos) + 1
                raise file_error(
                    filename,
                    "en PC-Axis-fil (NYCKELORD=värde;)",
                    text[pos : pos + 40].strip(),
                    row=line,
                )
            return
        keyword, language, variable = match.groups()
        end = _end_of_value(text, match.end())
        if end < 0:
            raise file_error(filename, f'att "{keyword}" avslutas med semikolon', "filens slut")
        yield keyword, language, variable, text[match.end() : end]
        pos = end + 1


def _end_of_value(text: str, start: int) -> int:
    quoted = False
    for i in range(start, len(text)):
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return i
    return -1


def _strings(raw: str) -> list[str]:
    """A value list: quoted items (a quoted item may continue on the next line as "…" "…")."""
    items, current, parts = [], None, re.findall(r'"((?:[^"])*)"|(,)|(TLIST\([^)]*\))', raw)
    for text, comma, tlist in parts:
        if tlist:
            continue
        if comma:
            if current is not None:
                items.append(current)
            current = None
        else:
            current = text if current is None else current + text
    if current is not None:
        items.append(current)
    return items


def _cells(raw: str) -> list[str]:
    return re.findall(r'"[^"]*"|[^\s,"]+', raw)


def read_px(data: bytes, filename: str, *, indicator: str | None = None) -> SourceTable:
    """Read a PC-Axis file into tidy rows (see :func:`~halsogap.sources.jsonstat.jsonstat_table`).

    >>> px = '''CHARSET="ANSI";
    ... MATRIX="BE0101A";
    ... SOURCE="SCB";
    ... STUB="region";
    ... HEADING="kön","år";
    ... VALUES("region")="00 Riket";
    ... VALUES("kön")="män","kvinnor";
    ... VALUES("år")="2024";
    ... CODES("region")="00";
    ... CODES("kön")="1","2";
    ... TIMEVAL("år")=TLIST(A1),"2024";
    ... DATA=
    ... 5170000 ".." ;'''
    >>> read_px(px.encode("cp1252"), "b.px").frame.select("indikator", "kön", "värde", "undertryckt").rows()
    [('BE0101A', 'M', '5170000', ''), ('BE0101A', 'K', '', 'ja')]
    """
    text = _decode(data, filename)
    meta: dict[str, str | list[str]] = {}
    values: dict[str, list[str]] = {}
    codes: dict[str, list[str]] = {}
    time: list[str] = []
    cells: list[str] | None = None
    for keyword, language, variable, raw in _entries(text, filename):
        if language:  # another language's copy of a keyword; the default language is read
            continue
        if keyword == "DATA":
            cells = _cells(raw)
            break
        if keyword == "VALUES" and variable:
            values[variable] = _strings(raw)
        elif keyword == "CODES" and variable:
            codes[variable] = _strings(raw)
        elif keyword == "TIMEVAL" and variable:
            time.append(variable)
        elif variable is None:
            items = _strings(raw)
            meta[keyword] = (
                items if keyword in ("STUB", "HEADING") else (items[0] if items else raw.strip())
            )
    if cells is None:
        raise file_error(filename, "en PC-Axis-fil med DATA=", "ingen DATA-del")
    variables = list(meta.get("STUB", [])) + list(meta.get("HEADING", []))
    missing = [v for v in variables if v not in values]
    if not variables or missing:
        raise file_error(
            filename,
            "VALUES för varje variabel i STUB och HEADING",
            ", ".join(missing) or "inga variabler",
        )
    sizes = [len(values[v]) for v in variables]
    expected = 1
    for size in sizes:
        expected *= size
    if len(cells) != expected:
        raise file_error(
            filename,
            f"{expected} värden i DATA ({' × '.join(map(str, sizes))})",
            f"{len(cells)} värden",
        )
    dimension = {}
    for v in variables:
        labels = values[v]
        keys = codes.get(v) or labels
        dimension[v] = {
            "label": v,
            "category": {
                "index": {k: i for i, k in enumerate(keys)},
                "label": dict(zip(keys, labels, strict=False)),
            },
        }
    number, statuses = {}, {}
    for i, cell in enumerate(cells):
        token = cell.strip('"')
        if token in SUPPRESSED_STATUSES or token in ("-", "."):
            statuses[str(i)] = token
        else:
            try:
                number[str(i)] = float(token.replace(",", "."))
            except ValueError as error:
                raise file_error(filename, 'tal eller ".." i DATA', token) from error
    content = meta.get("CONTVARIABLE")
    dataset = {
        "class": "dataset",
        "source": meta.get("SOURCE"),
        "label": meta.get("TITLE") or meta.get("DESCRIPTION"),
        "updated": meta.get("LAST-UPDATED"),
        "id": variables,
        "size": sizes,
        "role": {"time": time, "metric": [content] if content else []},
        "dimension": dimension,
        "value": number,
        "status": statuses,
        "extension": {"px": {"tableid": meta.get("MATRIX")}},
    }
    return jsonstat_table(dataset, filename, indicator=indicator)
