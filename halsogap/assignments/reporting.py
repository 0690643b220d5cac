"""Provider reports (utförarens rapportering): activity values and comments per period.

A provider uploads a CSV or XLSX with the columns ``indikator, period, värde, kommentar``
(English ``indicator, period, value, comment`` also work; ``uppdrag``/``assignment`` is needed
only when one file reports for several assignments). The file is all-or-nothing: any bad row
refuses the whole file, with one Swedish sentence per problem naming file, row and column
(:class:`halsogap.imports.ImportIssue`), because half a report is worse than none.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import polars as pl

from halsogap.imports.formats import header_key
from halsogap.imports.issues import (
    DEFAULT_MAX_ISSUES,
    ImportIssue,
    collect_issues,
    empty_issue_frame,
    file_error,
    issue_rows,
    overflow_line,
)
from halsogap.imports.reading import ROW, read_table
from halsogap.imports.validation import EXPECT_NUMBER, EXPECT_UNGROUPED, GROUPED_RE, parse_number
from halsogap.periods import EXPECT_PERIOD, PERIOD_RE, period_bounds

ALIASES: dict[str, tuple[str, ...]] = {
    "assignment": ("uppdrag", "assignment", "uppdragsnummer", "uppdrag_id"),
    "indicator": ("indikator", "indicator", "indikatorkod", "indicator_code"),
    "period": ("period", "år", "year"),
    "value": ("värde", "varde", "value"),
    "comment": ("kommentar", "comment", "kommentarer", "comments"),
}
REQUIRED = ("indicator", "period", "value")
#: The validated rows: one per (assignment, indicator, period).
ROW_SCHEMA: dict[str, pl.DataType] = {
    "assignment": pl.String(),
    "indicator": pl.String(),
    "period": pl.String(),
    "value": pl.Float64(),
    "comment": pl.String(),
    "row": pl.Int64(),
}
EXPECT_COUNT = "ett antal som är 0 eller större"


@dataclass(frozen=True, slots=True)
class ActivityReport:
    """A read and checked provider report; ``rows`` is empty unless the whole file is clean."""

    rows: pl.DataFrame
    errors: list[ImportIssue]
    error_count: int
    row_count: int
    filename: str
    checksum: str

    @property
    def ok(self) -> bool:
        """Whether the report may be saved."""
        return self.error_count == 0

    def messages(self) -> list[str]:
        """Each shown problem as a sentence, plus ``… och N fel till`` if the list was cut."""
        lines = [issue.message for issue in self.errors]
        tail = overflow_line(len(self.errors), self.error_count)
        return [*lines, tail] if tail else lines


def _plan_pairs(
    plans: Iterable[str | tuple[str, str]],
) -> tuple[set[tuple[str | None, str]], set[str]]:
    pairs: set[tuple[str | None, str]] = set()
    for plan in plans:
        if isinstance(plan, str):
            pairs.add((None, plan.strip()))
        else:
            assignment, code = plan
            pairs.add((str(assignment).strip(), str(code).strip()))
    return pairs, {a for a, _ in pairs if a is not None}


def _period_rule(periods: str | re.Pattern | Iterable[str] | None) -> tuple[pl.Expr, str]:
    """(mask of valid periods, what a valid period looks like) for the ``period`` column."""
    col = pl.col("period")
    if periods is None:
        return col.str.contains(PERIOD_RE), EXPECT_PERIOD
    if isinstance(periods, re.Pattern):
        periods = periods.pattern
    if isinstance(periods, str):
        # A bare pattern must match the whole cell, not a part of it.
        return col.str.contains(f"^(?:{periods})$"), f"en period som matchar {periods}"
    allowed = sorted({str(p).strip().upper() for p in periods})
    shown = ", ".join(f'"{p}"' for p in allowed[:8]) + (" …" if len(allowed) > 8 else "")
    return col.is_in(allowed), f"en av uppdragets rapportperioder: {shown}"


def _map(table, filename: str) -> tuple[pl.DataFrame, dict[str, str]]:
    lookup = {alias: canonical for canonical, names in ALIASES.items() for alias in names}
    names: dict[str, str] = {}
    for column in table.columns:
        canonical = lookup.get(header_key(column))
        if canonical is None:
            continue
        if canonical in names:
            raise file_error(
                filename,
                f'bara en av kolumnerna "{names[canonical]}" och "{column}"',
                "båda",
                row=1,
            )
        names[canonical] = column
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        wanted = ", ".join(ALIASES[c][0] for c in missing)
        raise file_error(
            filename,
            f'kolumnerna "indikator, period, värde" (och gärna "kommentar"); saknas: {wanted}',
            ", ".join(table.columns),
            row=1,
        )
    frame = table.frame.select(
        ROW, *[pl.col(source).alias(canonical) for canonical, source in names.items()]
    )
    for canonical in ALIASES:
        if canonical not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(canonical))
    return frame, names


def read_activity_report(
    data: bytes,
    filename: str,
    *,
    plans: Iterable[str | tuple[str, str]],
    periods: str | re.Pattern | Iterable[str] | None = None,
    counts: Iterable[str] | None = None,
    today: date | None = None,
    max_errors: int = DEFAULT_MAX_ISSUES,
) -> ActivityReport:
    """Read and check a provider's activity report (CSV or XLSX), all or nothing.

    ``plans`` are the indicator codes the assignment's follow-up plan lets this provider
    report, or ``(assignment_key, indicator_code)`` pairs; with pairs from more than one
    assignment the file needs an ``uppdrag`` column. ``periods`` is a regular expression or the
    explicit periods allowed (default: any period as in :data:`~.periods.PERIOD_RE`).
    ``counts`` names the indicators whose values are counts and may not be negative (default:
    all of them, since activity data are counts of what was done). With ``today``, a period
    that has not begun is refused: nothing can have been done in it yet.

    Row problems (unknown indicator, bad period, non-numeric value, negative count, a period
    reported twice) are collected for the whole file; a file that cannot be read at all
    raises :class:`halsogap.imports.ImportFileError`.

    >>> csv = "indikator;period;värde;kommentar\\nP1;2026K1;12;Start\\nP1;2026K2;-3;\\n"
    >>> report = read_activity_report(csv.encode(), "rapport.csv", plans={"P1"})
    >>> report.ok, report.rows.height
    (False, 0)
    >>> report.messages()
    ['rapport.csv, rad 3, kolumn "värde": förväntade ett antal som är 0 eller större, fick "-3"']
    >>> ok = read_activity_report(csv.replace("-3", "14,5").encode(), "rapport.csv",
    ...     plans={("U1", "P1")})
    >>> ok.rows.select("assignment", "indicator", "period", "value").rows()
    [('U1', 'P1', '2026K1', 12.0), ('U1', 'P1', '2026K2', 14.5)]
    """
    checksum = hashlib.sha256(data).hexdigest()
    table = read_table(data, filename)
    frame, names = _map(table, filename)
    pairs, assignments = _plan_pairs(plans)
    name = {c: names.get(c, ALIASES[c][0]) for c in ALIASES}
    if "assignment" not in names:
        if len(assignments) > 1:
            raise file_error(
                filename,
                'en kolumn "uppdrag" (filen rapporterar för flera uppdrag)',
                ", ".join(table.columns),
                row=1,
            )
        only = next(iter(assignments), None)
        frame = frame.with_columns(pl.lit(only, pl.String).alias("assignment"))

    frame = frame.with_columns(
        pl.col("indicator").str.strip_chars(),
        pl.col("period")
        .str.strip_chars()
        .str.to_uppercase()
        .str.replace_all("[\u2013\u2014]", "-"),
        pl.col("assignment").str.strip_chars(),
    )
    errors: list[pl.DataFrame] = [empty_issue_frame()]

    # Unknown indicator: by code alone when the plans are codes, by the pair otherwise.
    if assignments:
        known = pl.DataFrame(
            [(a, c) for a, c in pairs if a is not None],
            schema={"assignment": pl.String, "indicator": pl.String},
            orient="row",
        ).with_columns(pl.lit(True).alias("_known"))
        frame = frame.join(known, on=["assignment", "indicator"], how="left", maintain_order="left")
        is_known = pl.col("_known").fill_null(False)
    else:
        is_known = pl.col("indicator").is_in(sorted(c for _, c in pairs))
    codes = sorted({c for _, c in pairs})
    listed = ", ".join(codes[:8]) + (" …" if len(codes) > 8 else "")
    where = " i uppdraget" if not assignments or "assignment" not in names else " i det uppdraget"
    errors.append(
        issue_rows(
            frame,
            ~is_known,
            column=name["indicator"],
            expected=f"en indikator ur uppföljningsplanen{where} ({listed})",
            found=pl.col("indicator"),
        )
    )
    period_ok, period_text = _period_rule(periods)
    errors.append(
        issue_rows(
            frame,
            ~period_ok.fill_null(False),
            column=name["period"],
            expected=period_text,
            found=pl.col("period"),
        )
    )
    if today is not None:
        starts = [_period_start(p) for p in frame["period"].to_list()]
        future = pl.Series("_future", [s is not None and s > today for s in starts])
        errors.append(
            issue_rows(
                frame.with_columns(future),
                pl.col("_future"),
                column=name["period"],
                expected=f"en period som har börjat (i dag är {today.isoformat()})",
                found=pl.col("period"),
            )
        )
    frame = frame.with_columns(parse_number(pl.col("value")).alias("_value"))
    grouped = pl.col("value").str.contains(GROUPED_RE) & pl.col("value").str.contains(
        r"\d[ .,']\d{3}"
    )
    bad_number = pl.col("_value").is_null()
    errors.append(
        issue_rows(
            frame,
            bad_number,
            column=name["value"],
            expected=pl.when(grouped.fill_null(False))
            .then(pl.lit(EXPECT_UNGROUPED))
            .otherwise(pl.lit(EXPECT_NUMBER)),
            found=pl.col("value"),
        )
    )
    count_codes = None if counts is None else sorted(set(counts))
    is_count = pl.lit(True) if count_codes is None else pl.col("indicator").is_in(count_codes)
    errors.append(
        issue_rows(
            frame,
            is_count & (pl.col("_value") < 0).fill_null(False),
            column=name["value"],
            expected=EXPECT_COUNT,
            found=pl.col("value"),
        )
    )
    # The second and later rows of a period name the first, so the user knows which to keep.
    key = ["assignment", "indicator", "period"]
    frame = frame.with_columns(
        pl.col(ROW).first().over(key).alias("_first"),
        (pl.int_range(pl.len()).over(key) > 0).alias("_repeat"),
    )
    errors.append(
        issue_rows(
            frame,
            pl.col("_repeat") & pl.col("indicator").is_not_null() & pl.col("period").is_not_null(),
            column=name["period"],
            expected=pl.format(
                "en period per indikator (perioden finns redan på rad {})", pl.col("_first")
            ),
            found=pl.col("period"),
        )
    )
    issues, error_count = collect_issues(
        filename, errors, column_order=list(table.columns), limit=max_errors
    )
    rows = (
        pl.DataFrame(schema=ROW_SCHEMA)
        if error_count
        else frame.select(
            pl.col("assignment"),
            pl.col("indicator"),
            pl.col("period"),
            pl.col("_value").alias("value"),
            pl.col("comment").str.strip_chars(),
            pl.col(ROW).alias("row"),
        )
    )
    return ActivityReport(rows, issues, error_count, frame.height, filename, checksum)


def _period_start(period: str | None) -> date | None:
    try:
        return period_bounds(period)[0] if period else None
    except ValueError:
        return None
