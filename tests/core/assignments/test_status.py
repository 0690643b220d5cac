"""The follow-up status rule on hand-worked examples, the trend, and "is the gap closing?".

Every example uses the smoking plan: baseline 5,8 % at the end of 2022, target 4,0 % at the end
of 2026 (lower is better). The line from baseline to target falls 1,8 over 1 461 days; the risk
band is 10 % of the distance 1,8 = 0,18.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from halsogap.assignments import (
    AT_RISK,
    NO_VALUES,
    NOT_ASSESSABLE,
    NOT_REACHED,
    OFF_TRACK,
    ON_TRACK,
    REACHED,
    RULE_SV,
    STALE,
    follow_up_status,
)
from halsogap.numbers import decimals_for

PLAN = dict(
    baseline=5.8,
    target=4.0,
    target_date=date(2026, 12, 31),
    polarity="lower_better",
    baseline_date="2022",
    today=date(2026, 3, 1),
)


def values(*pairs) -> pl.DataFrame:
    return pl.DataFrame({"period": [p for p, _ in pairs], "value": [v for _, v in pairs]})


def test_a_value_at_or_better_than_the_line_is_on_track():
    """End of 2024 is 731 of 1 461 days along: line = 5,8 − 1,8 × 731/1461 = 4,8994.
    4,85 is 0,049 below (better than) the line: i fas."""
    s = follow_up_status(values(("2024", 4.85)), **PLAN)
    assert s.status == ON_TRACK
    assert s.expected == pytest.approx(5.8 - 1.8 * 731 / 1461)
    assert s.shortfall == pytest.approx(4.85 - s.expected) and s.shortfall < 0
    assert s.rule_sv == RULE_SV


def test_a_value_behind_the_line_within_ten_percent_of_the_distance_is_at_risk():
    """Line at end of 2024 = 4,8994; 5,0 is 0,1006 behind; 0,1006 ≤ 0,18: risk."""
    s = follow_up_status(values(("2023", 5.5), ("2024", 5.0)), **PLAN)
    assert s.status == AT_RISK
    assert s.shortfall == pytest.approx(5.0 - (5.8 - 1.8 * 731 / 1461))
    assert s.tolerance == pytest.approx(0.18)
    assert "inom 0,18 (10 % av avståndet 1,8)" in s.explanation_sv


def test_a_value_further_behind_the_line_is_off_track():
    """Line at end of 2024 = 4,8994; 5,3 is 0,4006 behind; 0,4006 > 0,18: ej i fas."""
    s = follow_up_status(values(("2024", 5.3)), **PLAN)
    assert s.status == OFF_TRACK
    assert s.shortfall == pytest.approx(0.4006, abs=1e-4)


def test_a_value_at_the_target_is_reached_even_before_the_target_date():
    """4,0 ≤ 4,0 (lower is better): målet nått, progress (5,8 − 4,0)/1,8 = 1."""
    s = follow_up_status(values(("2024", 4.0)), **PLAN)
    assert s.status == REACHED and s.progress == pytest.approx(1.0)


def test_missing_the_target_after_the_target_date_is_not_reached_without_a_risk_band():
    """2027 ends after the target date: line = target 4,0; 4,1 is 0,1 short (inside 0,18)
    but the date has passed: ej nått."""
    s = follow_up_status(values(("2027", 4.1)), **{**PLAN, "today": date(2028, 1, 1)})
    assert s.status == NOT_REACHED
    assert "har passerat" in s.explanation_sv


def test_higher_is_better_mirrors_the_rule():
    """Baseline 0 (end 2025), target 400 at end 2026; 2026K2 ends 181 of 365 days along:
    line = 400 × 181/365 = 198,36. 180 is 18,36 behind, ≤ 40 (10 % of 400): risk."""
    s = follow_up_status(
        values(("2026K1", 90.0), ("2026K2", 180.0)),
        baseline=0.0,
        target=400.0,
        target_date=date(2026, 12, 31),
        polarity="higher_better",
        baseline_date="2025",
        today=date(2026, 7, 15),
    )
    assert s.status == AT_RISK
    assert s.expected == pytest.approx(400 * 181 / 365)
    assert s.latest_period == "2026K2"


def test_no_values_gives_no_values_and_a_future_period_is_ignored():
    assert follow_up_status(values(), **PLAN).status == NO_VALUES
    # 2027 has not begun on 2026-03-01: a pre-filled row is not a measurement.
    assert follow_up_status(values(("2027", 3.0)), **PLAN).status == NO_VALUES


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"baseline": None}, "utgångsvärde"),
        ({"target_date": None}, "måldatum"),
        ({"polarity": "none"}, "riktning"),
        ({"target": 6.0}, "fel håll"),
    ],
)
def test_an_incomplete_or_contradictory_plan_cannot_be_assessed(change, words):
    s = follow_up_status(values(("2024", 5.0)), **{**PLAN, **change})
    assert s.status == NOT_ASSESSABLE and words in s.explanation_sv


def test_without_a_baseline_date_the_first_period_starts_the_line_and_says_so():
    s = follow_up_status(values(("2023", 5.8), ("2024", 5.6)), **{**PLAN, "baseline_date": None})
    assert "första rapporterade perioden" in s.explanation_sv
    # Line from end 2023 to end 2026: at end 2024 = 5,8 − 1,8 × 366/1096.
    assert s.expected == pytest.approx(5.8 - 1.8 * 366 / 1096)


def test_trend_without_limits_is_the_sign_of_an_ols_slope_and_says_it_is_untested():
    s = follow_up_status(values(("2023", 5.6), ("2024", 5.4), ("2025", 5.2)), **PLAN)
    assert s.trend == "minskar och blir bättre (ej statistiskt prövad)"
    assert "inte statistiskt prövad" in s.trend_method
    assert s.slope_per_year == pytest.approx(-0.2, abs=1e-3)


def test_trend_with_limits_uses_the_fingertips_test():
    """Fingertips' own example (halsogap.stats.trend doctest): significant decrease."""
    frame = pl.DataFrame(
        {
            "period": ["2021", "2022", "2023", "2024", "2025"],
            "value": [30.6, 30.2, 28.0, 24.6, 24.67],
            "lower_95": [28.98, 28.63, 26.44, 23.15, 23.16],
            "upper_95": [32.25, 31.9, 29.64, 26.19, 26.25],
        }
    )
    s = follow_up_status(
        frame,
        baseline=31.0,
        target=20.0,
        target_date=date(2028, 12, 31),
        polarity="lower_better",
        baseline_date="2020",
        today=date(2026, 1, 1),
    )
    assert s.trend == "minskar och blir bättre"
    assert s.trend_method.startswith("Fingertips")


def test_the_batch_gives_the_same_status_and_trend_as_one_by_one():
    from assignments_support import effect_plan, process_plan

    from halsogap.assignments import follow_up_statuses

    years = ["2021", "2022", "2023", "2024", "2025"]
    with_limits = pl.DataFrame(
        {
            "plan": ["p-effect"] * 5,
            "period": years,
            "value": [30.6, 30.2, 28.0, 24.6, 24.67],
            "lower_95": [28.98, 28.63, 26.44, 23.15, 23.16],
            "upper_95": [32.25, 31.9, 29.64, 26.19, 26.25],
        }
    )
    without = pl.DataFrame(
        {"plan": ["p-process"] * 2, "period": ["2026K1", "2026K2"], "value": [90.0, 180.0]}
    )
    values = pl.concat([with_limits, without], how="diagonal_relaxed")
    plans = [effect_plan(baseline=31.0, target=20.0, baseline_period="2020"), process_plan()]
    today = date(2026, 7, 15)
    batch = follow_up_statuses(values, plans, today=today)
    for plan in plans:
        one = follow_up_status(
            values.filter(pl.col("plan") == plan.key).drop("plan"),
            baseline=plan.baseline,
            target=plan.target,
            target_date=plan.target_date,
            polarity=plan.polarity,
            baseline_date=plan.baseline_period,
            today=today,
            aggregation=plan.aggregation,
            frequency=plan.period_kind or plan.frequency,
            decimals=decimals_for(plan.unit),
        )
        assert batch[plan.key] == one
    assert batch["p-effect"].trend == "minskar och blir bättre"


def test_a_yearly_target_of_300_is_reached_by_140_and_185_in_two_quarters():
    """Sum since the baseline (end of 2025): 140 + 185 = 325 ≥ 300, reached in July 2026."""
    s = follow_up_status(
        values(("2026K1", 140.0), ("2026K2", 185.0)),
        baseline=0.0,
        target=300.0,
        target_date=date(2026, 12, 31),
        polarity="higher_better",
        baseline_date="2025",
        today=date(2026, 7, 15),
        aggregation="sum",
        frequency="kvartal",
    )
    assert (s.status, s.latest_value) == (REACHED, 325.0)


def test_only_the_latest_quarter_would_not_reach_it():
    """The same reports read as "latest value": 185 < 300 and behind the line."""
    s = follow_up_status(
        values(("2026K1", 140.0), ("2026K2", 185.0)),
        baseline=0.0,
        target=300.0,
        target_date=date(2026, 12, 31),
        polarity="higher_better",
        baseline_date="2025",
        today=date(2026, 7, 15),
    )
    assert s.status != REACHED and s.latest_value == 185.0


def test_a_passed_target_date_is_not_reached_whatever_the_newest_values_date():
    """Target 4,0 by 2026-12-31; the newest value (5,2) is from 2023; on 2027-06-01 the line
    cannot be "i fas": the date has passed and 5,2 is worse than 4,0."""
    s = follow_up_status(
        values(("2023", 5.2)),
        **{**PLAN, "today": date(2027, 6, 1)},
        frequency="årligen",
    )
    assert s.status == NOT_REACHED
    assert "2026-12-31" in s.explanation_sv and "5,2 (2023)" in s.explanation_sv


def test_a_value_two_reporting_periods_old_makes_the_line_out_of_date():
    """Target by 2030; a yearly value of 2023 read on 2026-06-01: the 2024 value should have
    come (2023 ends 2023-12-31; two years later is 2025-12-31): inaktuellt."""
    s = follow_up_status(
        values(("2023", 5.2)),
        **{**PLAN, "target_date": date(2030, 12, 31), "today": date(2026, 6, 1)},
        frequency="årligen",
    )
    assert s.status == STALE
    assert s.explanation_sv.startswith("Inaktuellt: senaste värde 2023")


def test_a_recent_value_is_judged_against_the_line():
    s = follow_up_status(
        values(("2025", 5.2)),
        **{**PLAN, "target_date": date(2030, 12, 31), "today": date(2026, 6, 1)},
        frequency="årligen",
    )
    assert s.status in {ON_TRACK, AT_RISK, OFF_TRACK}
