"""The "uppföljningsbar" check, rule by rule, and waivers."""

from __future__ import annotations

import pytest
from assignments_support import LONG, SHORT, complete_plan, effect_plan, process_plan

from halsogap.assignments import Gap, GoalSpec, check_followable, is_followable, open_gaps


def codes(gaps: list[Gap]) -> list[tuple[str, str]]:
    return [(g.code, g.subject_key) for g in gaps]


def test_a_complete_plan_has_no_gaps_and_is_followable():
    goals, plans = complete_plan()
    assert check_followable(goals, plans) == []
    assert is_followable([])


def test_an_assignment_without_goals_or_indicators_lists_both():
    assert codes(check_followable([], [])) == [
        ("no_goals", "uppdraget"),
        ("no_effect_indicator", "uppdraget"),
    ]


def test_a_long_term_goal_without_an_effect_indicator_is_a_gap():
    other = GoalSpec("g2", "Fler ska vara fysiskt aktiva", "long")
    gaps = check_followable([LONG, SHORT, other], [effect_plan(), process_plan()])
    assert codes(gaps) == [("goal_without_effect_indicator", "g2")]
    assert gaps[0].message_sv == (
        "Det långsiktiga målet 'Fler ska vara fysiskt aktiva' saknar effektindikator."
    )


def test_a_short_term_goal_without_a_process_indicator_is_a_gap():
    gaps = check_followable([LONG, SHORT], [effect_plan()])
    assert codes(gaps) == [("goal_without_process_indicator", "g-short")]
    assert "saknar processindikator" in gaps[0].message_sv


def test_only_activities_are_not_enough_without_an_effect_indicator():
    gaps = check_followable([SHORT], [process_plan()])
    assert codes(gaps) == [("no_effect_indicator", "uppdraget")]


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"baseline": None}, "missing_baseline", "saknar utgångsvärde"),
        ({"target": None}, "missing_target", "saknar målvärde"),
        ({"target_date": None}, "missing_target_date", "saknar måldatum"),
        ({"source": " "}, "missing_source", "saknar källa"),
        ({"reporter": ""}, "missing_reporter", "saknar vem som rapporterar"),
        ({"polarity": "none"}, "missing_polarity", "saknar riktning"),
    ],
)
def test_each_missing_field_of_a_plan_is_named(change, code, words):
    gaps = check_followable([LONG, SHORT], [effect_plan(**change), process_plan()])
    assert codes(gaps) == [(code, "p-effect")]
    assert words in gaps[0].message_sv
    assert gaps[0].message_sv.startswith("Effektindikator 'Daglig rökning 16–84 år'")


def test_a_target_above_the_baseline_of_a_lower_is_better_indicator_contradicts_it():
    gaps = check_followable([LONG, SHORT], [effect_plan(target=6.5), process_plan()])
    assert codes(gaps) == [("target_contradicts_polarity", "p-effect")]
    assert "målvärdet 6,5 är högre än utgångsvärdet 5,8" in gaps[0].message_sv
    assert "lägre värden bättre" in gaps[0].message_sv


def test_a_target_below_the_baseline_of_a_higher_is_better_indicator_contradicts_it():
    gaps = check_followable([LONG, SHORT], [effect_plan(), process_plan(target=-1.0)])
    assert codes(gaps) == [("target_contradicts_polarity", "p-process")]


def test_a_target_equal_to_the_baseline_is_allowed_as_holding_a_level():
    assert check_followable([LONG, SHORT], [effect_plan(target=5.8), process_plan()]) == []


def test_a_plan_pointing_at_a_missing_goal_is_a_gap():
    gaps = check_followable([LONG, SHORT], [effect_plan(), process_plan(goal_key="g-x")])
    assert ("unknown_goal", "p-process") in codes(gaps)


def test_a_waiver_with_a_reason_closes_the_gap_and_keeps_it_visible():
    goals, plans = complete_plan()
    plans[0] = effect_plan(target_date=None)
    gaps = check_followable(
        goals, plans, waivers={"missing_target_date:p-effect": "Sätts i dialogen i mars."}
    )
    assert len(gaps) == 1 and gaps[0].waived
    assert gaps[0].waiver_reason == "Sätts i dialogen i mars."
    assert is_followable(gaps) and open_gaps(gaps) == []


def test_a_waiver_without_a_reason_does_not_count():
    gaps = check_followable(
        [LONG, SHORT],
        [effect_plan(target_date=None), process_plan()],
        waivers={"missing_target_date:p-effect": "  "},
    )
    assert not gaps[0].waived and not is_followable(gaps)


def test_one_waived_gap_does_not_make_an_assignment_with_another_open_gap_followable():
    gaps = check_followable(
        [LONG, SHORT],
        [effect_plan(target_date=None, reporter=""), process_plan()],
        waivers={"missing_target_date:p-effect": "Beslutas senare."},
    )
    assert [g.code for g in open_gaps(gaps)] == ["missing_reporter"]
    assert not is_followable(gaps)


def test_unknown_goal_kinds_and_roles_are_refused():
    with pytest.raises(ValueError, match="kind"):
        check_followable([GoalSpec("g", "x", "medium")], [])
    with pytest.raises(ValueError, match="role"):
        check_followable([LONG], [effect_plan(role="output")])
