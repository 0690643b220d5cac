"""Reading a standards definition file, refusing it with the line and what was expected."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

PERSPECTIVES = {
    "styrning": "Styr- och ledningsperspektivet",
    "patient": "Individ-/patientperspektivet",
    "befolkning": "Befolkningsperspektivet",
    "medarbetare": "Medarbetarperspektivet",
}
COLUMNS = [
    "standard",
    "standard_title",
    "substandard",
    "substandard_title",
    "statement",
    "text",
    "perspective",
    "short",
]
REQUIRED = ["standard", "standard_title"]
YES = {"ja", "j", "1", "x", "yes", "true", "sant"}
NO = {"nej", "n", "0", "", "no", "false", "falskt"}
STANDARD_CODE = re.compile(r"^\d{1,2}$")
SUBSTANDARD_CODE = re.compile(r"^(\d{1,2})\.\d{1,2}$")
STATEMENT_CODE = re.compile(r"^(\d{1,2})(\.\d{1,2}){1,2}$|^[A-ZÅÄÖa-zåäö]{1,3}\d{1,3}$")


@dataclass(frozen=True)
class Statement:
    code: str
    text: str
    standard: str
    substandard: str
    substandard_title: str
    perspective: str
    short: bool


@dataclass(frozen=True)
class Standard:
    code: str
    title: str

    @property
    def swedish_title(self) -> str:
        """The title without the network's English original in parentheses.

        >>> Standard("2", "Tillgång till vården (Ensuring access to the service)").swedish_title
        'Tillgång till vården'
        """
        return swedish_title(self.title)


def swedish_title(title: str) -> str:
    """A standard's Swedish title: the file may keep the English original after it, in
    parentheses, as the source of the working translation; readers see the Swedish only.

    >>> swedish_title("Hälsofrämjande i samhället (Promoting health in the wider society)")
    'Hälsofrämjande i samhället'
    >>> swedish_title("Ledning (styrning)")
    'Ledning (styrning)'
    """
    # An English original: capitalised, several words, no Swedish letters.
    match = re.match(r"^(.*\S)\s+\(([A-Z][A-Za-z ,.'&/-]* [A-Za-z ,.'&/-]+)\)$", title)
    return match.group(1) if match else title


@dataclass
class Definition:
    """A parsed definition; ``statements`` keep the file's order."""

    standards: list[Standard] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def short_version(self) -> list[Statement]:
        return [s for s in self.statements if s.short]


class DefinitionError(ValueError):
    """The file was refused; ``problems`` lists every line, column and what was expected."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Swedish Windows saves CSV as Windows-1252.
        return data.decode("cp1252")


def parse_definition(data: bytes, filename: str) -> Definition:
    """Read a definition CSV (`;` or `,`); raise DefinitionError naming each bad line.

    A line with only ``standard`` and ``standard_title`` declares a standard without
    statements, which is how the HPH 2020 titles are shipped before the network's own file with
    its statements is imported.

    >>> text = "standard;standard_title;statement;text;perspective;short\\n"
    >>> text += "1;Ledning;1.1;Policy finns;styrning;ja\\n"
    >>> d = parse_definition(text.encode(), "std.csv")
    >>> [s.code for s in d.standards], [s.code for s in d.short_version()]
    (['1'], ['1.1'])
    >>> parse_definition("standard;standard_title;statement;text;perspective\\n2;X;2.1;Y;okänd\\n".encode(), "b.csv")
    Traceback (most recent call last):
    ...
    halsogap.selfevaluation.definition.DefinitionError: b.csv, rad 2, kolumn "perspective": förväntade styrning, patient, befolkning eller medarbetare, fick "okänd"
    """
    text = _decode(data)
    if not text.strip():
        raise DefinitionError([f"{filename}: förväntade en CSV-fil med rubrikrad, fick en tom fil"])
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    problems: list[str] = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing:
        problems.append(
            f"{filename}, rad 1: förväntade kolumnerna {', '.join(REQUIRED)}, "
            f"saknar {', '.join(missing)}"
        )
    if unknown:
        problems.append(
            f"{filename}, rad 1: förväntade kolumner bland {', '.join(COLUMNS)}, "
            f"fick {', '.join(unknown)}"
        )
    if problems:
        raise DefinitionError(problems)

    definition = Definition()
    titles: dict[str, str] = {}
    seen_statements: dict[str, int] = {}

    def problem(line: int, column: str, expected: str, found: str) -> None:
        problems.append(
            f'{filename}, rad {line}, kolumn "{column}": förväntade {expected}, fick "{found}"'
            if found
            else f'{filename}, rad {line}, kolumn "{column}": förväntade {expected}, fick tomt'
        )

    for line, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(row.values()):
            continue
        code, title = row.get("standard", ""), row.get("standard_title", "")
        if not STANDARD_CODE.match(code):
            problem(line, "standard", "ett standardnummer (1–99)", code)
            continue
        if not title:
            problem(line, "standard_title", "standardens rubrik", title)
        elif code in titles and titles[code] != title:
            problem(
                line,
                "standard_title",
                f'samma rubrik som tidigare för standard {code} ("{titles[code]}")',
                title,
            )
        elif code not in titles:
            titles[code] = title
            definition.standards.append(Standard(code, title))
        statement = row.get("statement", "")
        if not statement:
            if row.get("text"):
                problem(line, "statement", "en påståendekod när text finns", statement)
            continue
        sub = row.get("substandard", "")
        if sub:
            match = SUBSTANDARD_CODE.match(sub)
            if not match or match.group(1) != code:
                problem(
                    line,
                    "substandard",
                    f'en delstandard under standard {code} (t.ex. "{code}.1")',
                    sub,
                )
        if not STATEMENT_CODE.match(statement):
            problem(line, "statement", 'en påståendekod (t.ex. "1.1.1" eller "P1")', statement)
        elif statement in seen_statements:
            problem(
                line,
                "statement",
                f"en unik kod – samma kod finns redan på rad {seen_statements[statement]}",
                statement,
            )
        seen_statements.setdefault(statement, line)
        if not row.get("text"):
            problem(line, "text", "påståendets text", "")
        perspective = row.get("perspective", "").lower()
        if perspective not in PERSPECTIVES:
            problem(
                line,
                "perspective",
                "styrning, patient, befolkning eller medarbetare",
                row.get("perspective", ""),
            )
        short = row.get("short", "").lower()
        if short not in YES | NO:
            problem(line, "short", "ja eller nej", row.get("short", ""))
        definition.statements.append(
            Statement(
                statement,
                row.get("text", ""),
                code,
                sub,
                row.get("substandard_title", ""),
                perspective,
                short in YES,
            )
        )
    if not definition.standards and not problems:
        problems.append(f"{filename}: förväntade minst en standard, fick inga rader")
    if problems:
        raise DefinitionError(problems)
    return definition
