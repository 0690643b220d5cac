"""Import problems, phrased in Swedish for the person who made the file.

Every message names the file, the row as a spreadsheet shows it (header = row 1) and the column,
then says what was expected and what was found, because the reader has to fix the file in Excel
without seeing our code.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

#: Row-level problems shown before the list is cut; nobody fixes row 5 000 before row 5.
DEFAULT_MAX_ISSUES = 100

# The error frame every validation check produces; kept as a frame so that a file with
# 500 000 bad rows costs one vectorised filter, not 500 000 Python objects.
ISSUE_SCHEMA = {
    "row": pl.Int64,
    "column": pl.String,
    "expected": pl.String,
    "found": pl.String,
}


def _quote(found: str | None) -> str:
    # An empty cell printed as "" looks like a bug in the message; say it in words instead.
    if found is None or found == "":
        return "tomt"
    return f'"{found}"'


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One problem in an import file, with where it is and what was expected.

    >>> print(ImportIssue("befolkning.csv", 14, "value", "ett tal", "abc"))
    befolkning.csv, rad 14, kolumn "value": förväntade ett tal, fick "abc"
    >>> print(ImportIssue("tom.csv", None, None, "minst en datarad", None))
    tom.csv: förväntade minst en datarad, fick tomt
    """

    filename: str
    row: int | None
    column: str | None
    expected: str
    found: str | None

    @property
    def message(self) -> str:
        """The whole sentence as shown to the user."""
        where = [self.filename]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f'kolumn "{self.column}"')
        return f"{', '.join(where)}: förväntade {self.expected}, fick {_quote(self.found)}"

    def __str__(self) -> str:
        return self.message


class ImportFileError(ValueError):
    """The file as a whole cannot be read: empty, wrong type, missing a column, broken CSV.

    Raised rather than returned because nothing row-level can be said about such a file.

    >>> err = ImportFileError(ImportIssue("x.csv", None, None, "en CSV- eller XLSX-fil", "PDF"))
    >>> str(err)
    'x.csv: förväntade en CSV- eller XLSX-fil, fick "PDF"'
    """

    def __init__(self, issue: ImportIssue) -> None:
        super().__init__(issue.message)
        self.issue = issue


def file_error(
    filename: str,
    expected: str,
    found: str | None,
    *,
    row: int | None = None,
    column: str | None = None,
) -> ImportFileError:
    """Build an :class:`ImportFileError` in one call (kept short at the many raise sites).

    >>> str(file_error("a.csv", "minst en datarad", None))
    'a.csv: förväntade minst en datarad, fick tomt'
    """
    return ImportFileError(ImportIssue(filename, row, column, expected, found))


def empty_issue_frame() -> pl.DataFrame:
    """An error frame with no rows, for checks that found nothing."""
    return pl.DataFrame(schema=ISSUE_SCHEMA)


def issue_rows(
    frame: pl.DataFrame,
    mask: pl.Expr,
    *,
    column: str,
    expected: str | pl.Expr,
    found: pl.Expr,
) -> pl.DataFrame:
    """Select the rows of ``frame`` where ``mask`` holds, as an error frame.

    ``frame`` must carry the spreadsheet row number in ``_row``. ``expected`` may be an
    expression so a message can quote another cell (e.g. the denominator).

    >>> f = pl.DataFrame({"_row": [2, 3], "v": ["1", "x"]})
    >>> issue_rows(f, pl.col("v") == "x", column="v", expected="ett tal", found=pl.col("v"))[
    ...     "row"
    ... ].to_list()
    [3]
    """
    expected_expr = pl.lit(expected) if isinstance(expected, str) else expected
    return frame.filter(mask).select(
        pl.col("_row").cast(pl.Int64).alias("row"),
        pl.lit(column, dtype=pl.String).alias("column"),
        expected_expr.cast(pl.String).alias("expected"),
        found.cast(pl.String).alias("found"),
    )


def collect_issues(
    filename: str,
    frames: list[pl.DataFrame],
    *,
    column_order: list[str],
    limit: int = DEFAULT_MAX_ISSUES,
) -> tuple[list[ImportIssue], int]:
    """Merge error frames into the first ``limit`` issues, in reading order, and a total.

    Sorting by row then by the file's column order lets the user work down the sheet.

    >>> f = pl.DataFrame(
    ...     {"row": [5, 2], "column": ["b", "a"], "expected": ["x", "y"], "found": ["1", None]}
    ... )
    >>> issues, total = collect_issues("f.csv", [f], column_order=["a", "b"], limit=1)
    >>> [str(i) for i in issues], total
    (['f.csv, rad 2, kolumn "a": förväntade y, fick tomt'], 2)
    """
    frames = [f for f in frames if f.height]
    if not frames:
        return [], 0
    merged = pl.concat(frames, how="vertical")
    total = merged.height
    rank = {name: i for i, name in enumerate(column_order)}
    top = (
        merged.with_columns(
            pl.col("column")
            .replace_strict(rank, default=len(rank), return_dtype=pl.Int64)
            .alias("_rank")
        )
        .sort(["row", "_rank"], maintain_order=True)
        .head(limit)
    )
    issues = [
        ImportIssue(filename, r["row"], r["column"], r["expected"], r["found"])
        for r in top.iter_rows(named=True)
    ]
    return issues, total


def overflow_line(shown: int, total: int) -> str | None:
    """The closing line when issues were cut, e.g. ``… och 3 fel till``.

    >>> overflow_line(100, 103)
    '… och 3 fel till'
    >>> overflow_line(2, 2) is None
    True
    """
    if total <= shown:
        return None
    return f"… och {total - shown} fel till"
