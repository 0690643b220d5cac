"""Counts 1–4 for Region Stockholm, and every object that shows them (shared by the sweeping
suppression test and the export parity tests).

Shares whose numerators are 3 and 4, a share given with its denominator but no numerator
(17,6 % of 17 people is 3), a row the producer suppressed, counts in the unit "personer", and
women hidden beside a shown total. Each hidden cell has a value that appears nowhere else in
the data, so that finding it in an answer can only mean a leak.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.utils import timezone

from halsogap_web.observations.models import Indicator

SHARE = "HG_TEST_ANDEL"
PEOPLE = "HG_TEST_PERSONER"
AREAS = ["00", "01", "0114", "0115", "0117", "0120"]
#: The hidden cells' values, as a page, a CSV or a document could spell them: rounded, or as
#: recomputed from the counts (3 / 21,9 = 13,6986 %) with every decimal.
HIDDEN = {
    "Upplands Väsby, numerator 3": r"13[,.](?:7(?!\d)|69\d)",
    "Region Stockholm women, numerator 4": r"19[,.]7(?!\d|0[1-9])",
    "Vallentuna men, hidden with the women": r"15[,.](?:1(?!\d)|09\d)",
    "Österåker, 17,6 % of 17": r"17[,.]6(?!\d)",
    "Värmdö, suppressed by the producer": r"42[,.]4(?!\d)",
    "Region Stockholm men (personer), the total minus the hidden women": r"1[\s\u00a0\u202f]?209(?![\d,])",
}
OTHER_KOMMUNER = ["0123", "0125", "0126", "0127", "0128", "0136", "0138", "0139"]


def _share_rows() -> list[dict]:
    rows = []

    def add(area, period, value, numerator=None, denominator=None, sex="T", **flags):
        rows.append(
            {
                "indicator": SHARE,
                "area": area,
                "period": period,
                "sex": sex,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                **flags,
            }
        )

    for period, riket, region in (("2020", 9.8, 7.9), ("2021", 9.5, 7.6), ("2022", 9.2, 7.2)):
        add("00", period, riket, riket * 1000, 100_000.0)
        add("01", period, region, region * 100, 10_000.0 / 1)
    add("01", "2022", 19.7, 4.0, 20.3, sex="K")
    add("01", "2022", 7.19, 715.0, 9943.0, sex="M")
    add("0114", "2021", 9.1, 30.0, 329.7)
    add("0114", "2022", 13.7, 3.0, 21.9)
    add("0115", "2022", 15.3, 60.0, 391.3)
    add("0115", "2022", 19.7, 4.0, 20.3, sex="K")
    add("0115", "2022", 15.1, 56.0, 371.0, sex="M")
    add("0117", "2022", 17.6, None, 17.0)
    add("0120", "2022", 42.4, suppressed=True)
    for i, code in enumerate(OTHER_KOMMUNER):
        for period in ("2020", "2021", "2022"):
            value = 8.0 + 0.2 * i - (int(period) - 2020) * 0.1
            add(code, period, round(value, 2), round(value * 10), 1000.0)
    return rows


def _people_rows() -> list[dict]:
    values = {
        ("01", "2022", "T"): 1212,
        ("01", "2022", "K"): 3,
        ("01", "2022", "M"): 1209,
        ("01", "2023", "T"): 2,
        ("0114", "2022", "T"): 4,
        ("0115", "2022", "T"): 1,
        ("0117", "2022", "T"): 500,
        ("0120", "2022", "T"): 707,
        ("00", "2022", "T"): 98_765,
    }
    return [
        {"indicator": PEOPLE, "area": a, "period": p, "sex": s, "value": float(v)}
        for (a, p, s), v in values.items()
    ]


def _population_rows() -> list[dict]:
    bands = {"16-19": 0.05, "20-44": 0.35, "45-64": 0.25, "65-79": 0.12, "80+": 0.05}
    people = {"00": 10_500_000, "01": 2_400_000, "0114": 48_000, "0115": 34_000, "0117": 47_000}
    people |= {"0120": 46_000} | {c: 60_000 + 5_000 * i for i, c in enumerate(OTHER_KOMMUNER)}
    rows = []
    for area, total in people.items():
        for band, share in bands.items():
            for sex, part in (("T", 1.0), ("K", 0.5), ("M", 0.5)):
                rows.append(
                    {
                        "indicator": "HG_BEFOLKNING",
                        "area": area,
                        "period": "2022",
                        "sex": sex,
                        "age_band": band,
                        "value": round(total * share * part),
                    }
                )
    return rows


def _education_rows() -> list[dict]:
    kommuner = ["0114", "0115", "0117", "0120", *OTHER_KOMMUNER, "1280", "1281", "1282"]
    return [
        {"indicator": "N01982", "area": code, "period": "2022", "sex": "T", "value": 30.0 + 3 * i}
        for i, code in enumerate(kommuner)
    ]


@pytest.fixture
def small_counts(db, stockholm, analyst, politician, settings):
    """The indicators with small counts and every object that shows them."""
    from halsogap_web.accounts.models import Organisation
    from halsogap_web.assignments.follow_up import fill_baseline_from_data
    from halsogap_web.assignments.models import (
        ActivityReport,
        Assignment,
        Goal,
        PlanIndicator,
        Recipient,
        Step,
    )
    from halsogap_web.needs.models import AnalysisIndicator, NeedGroup, NeedsAnalysis
    from halsogap_web.observations.store import write_observations
    from halsogap_web.priorities.models import Assessment, Measure, PriorityDecision

    settings.HALSOGAP_DISCLOSURE_THRESHOLD = 5
    common = {
        "organisation": None,
        "is_published": True,
        "source": "Testkälla",
        "is_health_state": True,
    }
    Indicator.objects.create(
        code=SHARE,
        title="Testandel med småtal, 16-84 år",
        unit="procent",
        polarity="lower_better",
        kind="survey",
        producer="Testmyndigheten",
        **common,
    )
    Indicator.objects.create(
        code=PEOPLE,
        title="Testpersoner med småtal",
        unit="personer",
        polarity="lower_better",
        kind="register",
        producer="Testmyndigheten",
        **common,
    )
    for rows in (_share_rows(), _people_rows(), _population_rows(), _education_rows()):
        write_observations(pl.DataFrame(rows, infer_schema_length=None), batch_id=None)

    region = NeedGroup.objects.create(region=stockholm, name="Länet", area_rule="region")
    kommuner = NeedGroup.objects.create(
        region=stockholm, name="Länets kommuner", area_rule="all_kommuner"
    )
    analysis = NeedsAnalysis.objects.create(region=stockholm, title="Svepanalys", year=2027)
    analysis.need_groups.set([region, kommuner])
    needs = [
        AnalysisIndicator.objects.create(
            analysis=analysis,
            indicator=Indicator.objects.get(code=code),
            severity=3,
            target_set_by=politician,
            target_set_at=timezone.now(),
        )
        for code in (SHARE, PEOPLE)
    ]
    measure = Measure.objects.create(
        region=stockholm,
        code="SVEP-1",
        title="Svepåtgärd",
        kind="preventive",
        perspective="population",
        evidence="måttlig",
        cost_yearly=100_000,
        reach=1000,
        uptake=0.5,
        effect_per_person=0.01,
        source="Test",
    )
    Assessment.objects.create(
        region=stockholm,
        need_group=kommuner,
        indicator=Indicator.objects.get(code=SHARE),
        measure=measure,
        severity="stor",
        benefit="måttlig",
        cost_band="låg",
        evidence="måttlig",
        suggested_rank="3",
    )
    decision = PriorityDecision(
        body="Hälso- och sjukvårdsnämnden",
        decided_on=date(2026, 3, 1),
        decided_by="Nämnden",
        rationale="Svep.",
    )
    decision.record(
        region=stockholm,
        user=politician,
        budget=1_000_000,
        weights={"need_size": 1.0},
        ranked=[],
        funded=[],
    )
    assignment = Assignment.objects.create(
        region=stockholm,
        issuer=stockholm,
        title="Svepuppdrag",
        need_group=kommuner,
        step=Step.FOLLOW_UP,
        decided_on=date(2026, 3, 15),
        decision_body="Nämnden",
        decided_by="Nämnden",
        priority_decision=decision,
    )
    assignment.needs.set(needs)
    Recipient.objects.create(
        assignment=assignment,
        organisation=Organisation.objects.get(name="Vårdcentral Rinkeby (demo)"),
    )
    goal = Goal.objects.create(assignment=assignment, kind="long", text="Lägre andel")
    for code, role in ((SHARE, "effect"), (PEOPLE, "effect")):
        line = PlanIndicator(
            assignment=assignment,
            goal=goal,
            indicator=Indicator.objects.get(code=code),
            role=role,
            target=1.0,
            target_date=date(2030, 12, 31),
        )
        fill_baseline_from_data(line, assignment)
        line.save()
    reported = PlanIndicator.objects.create(
        assignment=assignment,
        goal=goal,
        indicator=Indicator.objects.get(code=PEOPLE),
        role="process",
        baseline=0,
        baseline_period="2025",
        target=300,
        target_date=date(2026, 12, 31),
    )
    ActivityReport.objects.create(plan=reported, period="2026K1", value=3, comment="Få")
    ActivityReport.objects.create(plan=reported, period="2026K2", value=1234)
    return {
        "analysis": analysis,
        "need": needs[0],
        "decision": PriorityDecision.objects.get(region=stockholm, version=1),
        "assignment": assignment,
        "assessment": Assessment.objects.get(measure=measure),
        "group": kommuner,
    }
