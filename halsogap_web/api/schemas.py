"""What the API answers with, where it is not a content object of the core.

Needs analyses, decisions, assignments and follow-up are answered with the core's own content
objects (the same the pages and documents render); these schemas cover lists and imports.
"""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

#: Text without a NUL character (the pattern the OpenAPI document states).
NO_NUL = r"^[^\x00]*$"


class Problem(Schema):
    detail: str = Field(description="Vad som var fel. / What was wrong.")
    errors: list[dict] | None = Field(
        None, description="Varje fält som inte kunde läsas. / Each field that could not be read."
    )


class IndicatorOut(Schema):
    code: str
    title: str
    unit: str
    polarity: str
    kind: str
    source: str = Field(description="Källan, t.ex. Kolada/RKA. / The source.")
    producer: str
    source_line: str = Field(description="Källraden som sidorna visar. / The source line.")
    national: bool
    published: bool


class ObservationOut(Schema):
    """One value, suppressed as on every page: a count under the disclosure threshold is
    never given, nor anything it could be recomputed from."""

    area: str
    area_name: str | None = None
    period: str
    sex: str
    age_band: str
    socioeconomic_group: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    lower_95: float | None = None
    upper_95: float | None = None
    lower_99_8: float | None = None
    upper_99_8: float | None = None
    limits_source: str | None = None
    suppressed: bool
    suppressed_reason: str | None = None
    provisional: bool
    break_in_series: bool
    source: str


class AnalysisOut(Schema):
    id: int
    title: str
    year: int
    region: str


class DecisionOut(Schema):
    id: int
    version: int
    region: str
    body: str
    decided_on: date
    budget: float
    published: bool


class AssignmentOut(Schema):
    id: int
    title: str
    region: str
    step: str
    step_label: str
    starts_on: date | None = None
    ends_on: date | None = None


class ReportValue(Schema):
    plan_line: int = Field(description="Uppföljningsplanens rad (id). / The plan line's id.")
    value: float = Field(ge=0, description="Värdet, 0 eller större. / The value, 0 or more.")
    # No NUL character: PostgreSQL cannot store one, and no comment needs it.
    comment: str = Field("", max_length=2000, pattern=NO_NUL)


class ActivityReportIn(Schema):
    period: str = Field(
        pattern=r"^\d{4}(H[12]|K[1-4]|M(0[1-9]|1[0-2]))?$",
        description="T.ex. 2026, 2026H1, 2026K1 eller 2026M03. / E.g. 2026, 2026K1.",
    )
    values: list[ReportValue] = Field(min_length=1, max_length=500)


class ImportIn(Schema):
    file_name: str = Field(
        min_length=1,
        max_length=255,
        pattern=NO_NUL,
        description="T.ex. varden.csv. / E.g. values.csv.",
    )
    content: str = Field(
        min_length=1,
        max_length=20_000_000,
        description="Filens text (CSV, Kolada eller Hälsogaps format). / The file's text.",
    )


class ImportSummary(Schema):
    status: str = Field(description="accepted, already_imported eller refused.")
    rows: int = Field(description="Rader i filen. / Rows in the file.")
    accepted: int = Field(description="Sparade rader. / Rows stored.")
    refused: int = Field(description="Avvisade rader. / Rows refused.")
    problems: list[str] = Field(description="Varje problem med rad och kolumn. / Each problem.")
    batch: int | None = None
