"""Reading and checking observation files before anything reaches the database.

Pure core: no Django here. The management command and the web upload call
:func:`parse_observations`, show :attr:`ParsedImport.errors` when there are any, and otherwise
write :attr:`ParsedImport.rows` in one transaction. The file contract is in
``docs/import-format.md``.

>>> from halsogap.imports import parse_observations
>>> result = parse_observations(
...     b"indicator,area,period,value\\nrokare,01,2022,12.5\\n",
...     "egen.csv",
...     known_areas={"01"},
...     known_indicators={"rokare"},
... )
>>> result.ok, result.rows.select("indicator", "area", "period", "sex", "value").row(0)
(True, ('rokare', '01', '2022', 'T', 12.5))
"""

from halsogap.imports.formats import KOLADA_ALIASES, TIDY_ALIASES, ImportFormat, detect_format
from halsogap.imports.issues import ImportFileError, ImportIssue
from halsogap.imports.parsing import (
    ParsedImport,
    empty_rows,
    parse_observations,
    parse_source_table,
)
from halsogap.imports.reading import read_table

__all__ = [
    "KOLADA_ALIASES",
    "TIDY_ALIASES",
    "ImportFileError",
    "ImportFormat",
    "ImportIssue",
    "ParsedImport",
    "detect_format",
    "empty_rows",
    "parse_observations",
    "parse_source_table",
    "read_table",
]
