"""Need size in the priority ranking and the analysis's ranking follow the politicians' targets."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap.needs.content import analysis_ranking
from halsogap.needs.data import load_data
from halsogap.needs.specs import AnalysisSpec, NeedGroupSpec, NeedSpec
from halsogap.needs.targets import Target
from halsogap.priorities.planning import AssessmentSpec, MeasureSpec, needs_for_ranking

LANET = NeedGroupSpec("1", "Länet", region="01", area_rule="region")
TALK = MeasureSpec("RS-TOB", "Rådgivande samtal", "individual", "RS-TOB")


@pytest.fixture(scope="module")
def demo():
    return load_data()


def _persons(demo, target):
    spec = AssessmentSpec(
        "1", LANET, "U01402", "Daglig rökning", TALK, "stor", "hög", "3", target=target
    )
    return needs_for_ranking([spec], demo)["gap_persons"][0]


def test_need_size_is_the_gap_to_the_target_the_politicians_set(demo):
    # Stockholm smokes 5,8 % (2022): a target of 4,0 leaves people to reach, 5,8 none.
    assert _persons(demo, Target.absolute(4.0)) > 0
    assert _persons(demo, Target.absolute(5.8)) == 0.0
    assert _persons(demo, Target.absolute(3.0)) > _persons(demo, Target.absolute(4.0))


def test_without_a_target_need_size_falls_back_to_the_best_region(demo):
    assert _persons(demo, None) == _persons(demo, Target.best(1))


def _need(code, title, target, severity=None):
    return NeedSpec(
        code, code, title, "procent", "lower_better", "Kolada/RKA", target, severity=severity
    )


def test_a_stricter_target_moves_a_need_up_the_analysis_ranking(demo):
    alcohol = _need("U01404", "Riskabla alkoholvanor", Target.absolute(18.0), severity=3)

    def order(smoking_target):
        smoking = _need("U01402", "Daglig rökning", smoking_target, severity=3)
        spec = AnalysisSpec("A", "01", "Region Stockholm", 2027, needs=(smoking, alcohol))
        ranking = analysis_ranking(spec, demo, pl.DataFrame())
        return ranking.sort("rank")["need"].to_list(), ranking

    # Reached targets leave smoking no gap; a target of 2,0 gives it the larger gap.
    assert order(Target.absolute(5.8))[0] == ["U01404", "U01402"]
    ranked, ranking = order(Target.absolute(2.0))
    assert ranked == ["U01402", "U01404"]
    smoking = ranking.filter(pl.col("need") == "U01402").row(0, named=True)
    assert smoking["desired"] == 2.0 and smoking["gap_to_close"] == pytest.approx(3.8)
