"""Builders shared by the assignment tests: a complete, followable plan and document content.

The example is the smoking need of the needs-analysis tests: daily smoking 16–84 in Region
Stockholm 5,8 % (Kolada U01402, 2022), target 4,0 % (the best region) by the end of 2028.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

from halsogap.assignments.documents import (
    AcceptanceContent,
    AnnualAssignment,
    AnnualReportContent,
    AssignmentContent,
    DecisionContent,
    FollowUpReportContent,
    GapLine,
    IndicatorResult,
    MeasureContent,
    Milestone,
    NeedBackground,
    Recipient,
)
from halsogap.assignments.followable import GoalSpec, IndicatorPlan

SOURCE = "Kolada/RKA (Folkhälsomyndigheten (HLV))"
PROVIDER = "Utförarens rapportering"
LONG = GoalSpec("g-long", "Andelen vuxna som röker dagligen ska minska till 4,0 %", "long")
SHORT = GoalSpec("g-short", "Erbjuda rådgivande samtal om tobak", "short")


def effect_plan(**changes) -> IndicatorPlan:
    plan = IndicatorPlan(
        key="p-effect",
        goal_key=LONG.key,
        indicator_code="U01402",
        role="effect",
        baseline=5.8,
        baseline_period="2022",
        target=4.0,
        target_date=date(2028, 12, 31),
        polarity="lower_better",
        source=SOURCE,
        frequency="årligen",
        reporter="Analysenheten",
        indicator_title="Daglig rökning 16–84 år",
        unit="procent",
    )
    return replace(plan, **changes)


def process_plan(**changes) -> IndicatorPlan:
    plan = IndicatorPlan(
        key="p-process",
        goal_key=SHORT.key,
        indicator_code="SAMTAL",
        role="process",
        baseline=0.0,
        baseline_period="2025",
        target=400.0,
        target_date=date(2026, 12, 31),
        polarity="higher_better",
        source=PROVIDER,
        frequency="kvartalsvis",
        reporter="Vårdcentralen Fisksätra",
        indicator_title="Rådgivande samtal om tobak",
        unit="antal",
    )
    return replace(plan, **changes)


def complete_plan() -> tuple[list[GoalSpec], list[IndicatorPlan]]:
    return [LONG, SHORT], [effect_plan(), process_plan()]


def assignment_content(**changes) -> AssignmentContent:
    goals, plans = complete_plan()
    content = AssignmentContent(
        title="Uppdrag: rökfri vardag i Nacka",
        issuer="Hälso- och sjukvårdsnämnden, Region Stockholm",
        recipients=[
            Recipient("Vårdcentralen Fisksätra", "genomför samtalen", "vårdcentral"),
            Recipient("Nacka kommun", "når unga vuxna via fritidsgårdar", "kommun"),
        ],
        needs=[
            NeedBackground(
                "Daglig rökning, vuxna 16–84",
                "Daglig rökning",
                "procent",
                5.8,
                4.0,
                1.8,
                27540.0,
                2022,
                SOURCE,
                target_text="Lika bra som den bästa regionen.",
                gap_closing_text="Gapet minskar med 0,55 per år.",
            )
        ],
        measures=[
            MeasureContent(
                "Kvalificerat rådgivande samtal",
                "preventive",
                "Socialstyrelsens riktlinjer, prioritet 3",
                "Socialstyrelsen",
            )
        ],
        goals=goals,
        plans=plans,
        description="Vårdcentralen erbjuder samtal till alla som röker.\n\nKommunen bidrar.",
        time_plan="2026-01-01 – 2028-12-31",
        milestones=[Milestone(date(2026, 6, 30), "Första 100 samtalen", "Vårdcentralen")],
        budget=1_250_000,
        perspective="population",
        kind="preventive",
        between_principals=True,
        acceptance=AcceptanceContent("agreement", "Verksamhetschef Eva Ek", date(2026, 2, 1)),
        decision=DecisionContent(
            "Hälso- och sjukvårdsnämnden",
            date(2026, 1, 20),
            "Ordförande Karin Berg",
            "Nämnden ger uppdraget enligt förslaget.",
            "HSN 2026/12 § 4",
        ),
        reference="HSN 2026/12",
        region="Region Stockholm",
        status="accepterat",
        generated_on="2026-03-01",
    )
    return replace(content, **changes)


def result(**changes) -> IndicatorResult:
    base = IndicatorResult(
        "U01402",
        "Daglig rökning 16–84 år",
        "procent",
        "effect",
        5.8,
        "2022",
        4.0,
        date(2028, 12, 31),
        5.2,
        "2025",
        "i fas",
        "minskar och blir bättre (ej statistiskt prövad)",
        SOURCE,
        "Senaste värdet 5,20 (2025); linjen mot målet visar 5,35 då.",
        [("2023", 5.6), ("2024", 5.4), ("2025", 5.2)],
    )
    return replace(base, **changes)


def follow_up_content() -> FollowUpReportContent:
    return FollowUpReportContent(
        "Uppföljning 2025: rökfri vardag",
        "Uppdrag: rökfri vardag i Nacka",
        "Hälso- och sjukvårdsnämnden",
        "Vårdcentralen Fisksätra",
        "2025",
        "2026-03-01",
        indicators=[
            result(),
            result(
                code="SAMTAL",
                title="Rådgivande samtal om tobak",
                unit="antal",
                role="process",
                latest_value=None,
                latest_period=None,
                status="inga värden",
                trend="för få värden",
                source=PROVIDER,
                series=[],
            ),
        ],
        gaps=[
            GapLine("Daglig rökning, vuxna", "Gapet minskar: 1,20 kvar till målet 2025.", SOURCE)
        ],
        comments=[("2025K4", "Eva Ek", "Två tjänster vakanta under hösten.")],
    )


def annual_content() -> AnnualReportContent:
    return AnnualReportContent(
        "Årsredovisning 2025: måluppfyllelse",
        "Region Stockholm",
        2025,
        "2026-03-01",
        assignments=[
            AnnualAssignment(
                "a1",
                "Rökfri vardag",
                "Vårdcentralen Fisksätra",
                "Rökning",
                [result(), result(code="X2", title="Andra", status="risk")],
            ),
            AnnualAssignment(
                "a2",
                "Fysisk aktivitet på recept",
                "Vårdcentralen Orminge",
                "Fysisk inaktivitet",
                [
                    result(
                        code="FAR",
                        title="Utskrivna FaR",
                        role="process",
                        status="ej i fas",
                        latest_value=None,
                        source=PROVIDER,
                    )
                ],
            ),
        ],
        introduction="Redovisning av föregående års måluppfyllelse.",
    )


def docx_text(data: bytes) -> str:
    """All text of a Word file's body (runs are joined, tags removed)."""
    import re

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))


def pdf_text(html: str) -> str:
    """The text of every laid-out PDF page (WeasyPrint's boxes; no PDF reader is installed)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    return "\n".join(
        " ".join(b.text for b in page._page_box.descendants() if getattr(b, "text", None))
        for page in document.pages
    )


def xlsx_values(data: bytes) -> dict[str, list[list[object]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
