"""Targets (desired health state) and the optimal (achievable) state."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap.needs._common import NeedsInputError
from halsogap.needs.optimal import optimal_state
from halsogap.needs.targets import Target, resolve_target, target_warning

NAMES = {"01": "Region Stockholm", "13": "Region Halland", "24": "Region Västerbotten"}


def regions(values: dict[str, float], year: int = 2022) -> pl.DataFrame:
    return pl.DataFrame(
        {"area": list(values), "year": [year] * len(values), "value": list(values.values())}
    )


def test_target_is_frozen_and_keeps_who_set_it_when_and_why():
    target = Target.absolute(5, set_by="Regionstyrelsen", set_on="2024-03-01", rationale="ANDT")
    assert (target.set_by, target.set_on, target.rationale) == (
        "Regionstyrelsen",
        "2024-03-01",
        "ANDT",
    )
    with pytest.raises(AttributeError):
        target.value = 6  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "absolute"}, "needs a value"),
        ({"kind": "relative", "change_percent": -20}, "baseline_period"),
        ({"kind": "relative", "change_percent": -100, "baseline_period": 2018}, "−100"),
        ({"kind": "best", "best_n": 0}, "at least 1"),
        ({"kind": "best", "best_n": 2, "level": "deso"}, "level"),
        ({"kind": "best", "best_n": 2, "rule": "median"}, "rule"),
        ({"kind": "wish"}, "kind"),
    ],
)
def test_impossible_targets_are_refused_when_built(kwargs, message):
    with pytest.raises(NeedsInputError, match=message):
        Target(**kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("absolute:5,5", Target.absolute(5.5)),
        ("abs:5", Target.absolute(5)),
        ("relative:-20:2018:2030", Target.relative(-20, baseline_period=2018, target_period=2030)),
        ("relativ:-20%:2018", Target.relative(-20, baseline_period=2018)),
        ("best:1", Target.best(1)),
        ("bäst:3:kommun", Target.best(3, level="kommun")),
        ("best:3:region:mean", Target.best(3, rule="mean")),
    ],
)
def test_parse_reads_the_command_line_rules(text, expected):
    assert Target.parse(text) == expected


@pytest.mark.parametrize("text", ["", "best:x", "relative:-20", "absolute", "goal:5"])
def test_parse_gives_a_swedish_message_for_a_bad_rule(text):
    with pytest.raises(NeedsInputError, match="målregel"):
        Target.parse(text)


def test_absolute_target_gives_the_same_desired_value_to_every_area():
    out = resolve_target(
        Target.absolute(5), values=regions({"01": 7.0, "13": 5.1}), polarity="lower_better"
    )
    assert out.select("area", "current", "desired").rows() == [("01", 7.0, 5.0), ("13", 5.1, 5.0)]
    assert out["target"].to_list() == ["5,0"] * 2


def test_relative_target_is_a_percentage_of_each_areas_baseline_not_points():
    values = pl.concat([regions({"01": 10.0, "13": 8.0}, 2018), regions({"01": 9.0, "13": 7.0})])
    out = resolve_target(
        Target.relative(-20, baseline_period=2018, target_period=2030),
        values=values,
        polarity="lower_better",
        unit="procent",
    )
    assert out.select("area", "current", "desired").rows() == [
        ("01", 9.0, 8.0),
        ("13", 7.0, 6.4),
    ]
    assert out["reference"].to_list() == ["basår 2018: 10,0 %", "basår 2018: 8,0 %"]
    assert out["target"][0] == "−20 % från 2018 till 2030"


def test_relative_target_without_a_baseline_value_gives_a_reason_not_a_value():
    values = pl.concat([regions({"01": 10.0}, 2018), regions({"01": 9.0, "13": 7.0})])
    out = resolve_target(
        Target.relative(-20, baseline_period=2018), values=values, polarity="lower_better"
    )
    row = out.filter(pl.col("area") == "13").row(0, named=True)
    assert row["desired"] is None
    assert row["reason"] == "inget värde för basåret 2018"


def test_best_n_uses_the_nth_best_value_so_the_best_n_have_no_gap():
    values = regions({"01": 7.0, "03": 4.3, "13": 5.1, "24": 4.0})
    out = resolve_target(Target.best(2), values=values, polarity="lower_better", names=NAMES)
    assert set(out["desired"].to_list()) == {4.3}
    assert out["reference"][0] == "område 03"


def test_best_n_mean_rule_averages_the_best_n():
    values = regions({"01": 7.0, "03": 4.4, "13": 5.1, "24": 4.0})
    out = resolve_target(
        Target.best(2, rule="mean"), values=values, polarity="lower_better", names=NAMES
    )
    assert out["desired"][0] == pytest.approx(4.2)
    assert out["reference"][0] == "Region Västerbotten, område 03"


def test_best_follows_polarity_when_higher_is_better():
    values = regions({"01": 70.0, "13": 75.0, "24": 72.0})
    out = resolve_target(Target.best(1), values=values, polarity="higher_better", names=NAMES)
    assert out["desired"].to_list() == [75.0] * 3
    assert out["reference"][0] == "Region Halland"


def test_best_n_pool_is_only_areas_of_the_targets_level():
    values = regions({"00": 1.0, "01": 7.0, "13": 5.1, "1380": 2.0})
    out = resolve_target(Target.best(1), values=values, polarity="lower_better")
    assert set(out["desired"].to_list()) == {5.1}
    kommun = resolve_target(Target.best(1, level="kommun"), values=values, polarity="lower_better")
    assert set(kommun["desired"].to_list()) == {2.0}


def test_best_n_uses_the_latest_period_by_default():
    values = pl.concat([regions({"01": 3.0, "13": 9.0}, 2020), regions({"01": 7.0, "13": 5.1})])
    out = resolve_target(Target.best(1), values=values, polarity="lower_better")
    assert set(out["desired"].to_list()) == {5.1}


def test_best_n_with_too_few_areas_gives_a_reason():
    out = resolve_target(Target.best(5), values=regions({"01": 7.0}), polarity="lower_better")
    assert out["desired"][0] is None
    assert "färre än 5 områden" in out["reason"][0]


def test_best_target_is_resolved_within_each_sex():
    values = pl.DataFrame(
        {
            "area": ["01", "13", "01", "13"],
            "year": [2022] * 4,
            "sex": ["K", "K", "M", "M"],
            "value": [7.0, 5.0, 6.0, 8.0],
        }
    )
    out = resolve_target(Target.best(1), values=values, polarity="lower_better", by="sex")
    assert out.select("area", "sex", "desired").rows() == [
        ("01", "K", 5.0),
        ("01", "M", 6.0),
        ("13", "K", 5.0),
        ("13", "M", 6.0),
    ]


def test_best_target_needs_a_polarity():
    with pytest.raises(NeedsInputError, match="polaritet"):
        resolve_target(Target.best(1), values=regions({"01": 7.0}), polarity="none")


def test_higher_smoking_target_when_lower_is_better_gets_a_swedish_warning():
    out = resolve_target(
        Target.absolute(9), values=regions({"01": 7.0}), polarity="lower_better", unit="procent"
    )
    assert out["warning"][0] == (
        "Målet (9,0 %) är sämre än nuläget (7,0 %): för indikatorn är lägre värden bättre."
    )


def test_relative_rise_when_lower_is_better_is_warned_even_without_current_values():
    warning = target_warning(Target.relative(10, baseline_period=2018), polarity="low_is_good")
    assert warning == (
        "Målet är en ökning med 10 % från 2018, men för indikatorn är lägre värden bättre."
    )


def test_relative_fall_when_higher_is_better_is_warned():
    warning = target_warning(Target.relative(-5, baseline_period=2018), polarity="higher_better")
    assert warning.startswith("Målet är en minskning med 5 %")


def test_target_worse_than_current_when_higher_is_better_is_warned():
    warning = target_warning(
        Target.absolute(80), polarity="higher_better", current=85, unit="procent"
    )
    assert "för indikatorn är högre värden bättre" in warning


@pytest.mark.parametrize("polarity", ["lower_better", "none"])
def test_ambitious_targets_and_unjudged_indicators_get_no_warning(polarity):
    assert target_warning(Target.absolute(4), polarity=polarity, current=7) is None


def test_unknown_polarity_spelling_is_refused():
    with pytest.raises(NeedsInputError, match="polarity"):
        target_warning(Target.absolute(4), polarity="better")


# --- optimal state -------------------------------------------------------------------------


def test_optimal_best_region_names_the_region_in_swedish():
    values = regions({"01": 7.0, "13": 5.1, "24": 6.0})
    out = optimal_state(
        values, method="best_region", polarity="lower_better", unit="procent", names=NAMES
    )
    assert out.select("optimal", "description").row(0) == (
        5.1,
        "bästa region: Region Halland 5,1 %",
    )
    assert out["source"].to_list() == [["13"]]


def test_optimal_best_region_names_every_tied_region():
    values = regions({"01": 5.1, "13": 5.1, "24": 6.0})
    out = optimal_state(
        values, method="best_region", polarity="lower_better", unit="procent", names=NAMES
    )
    assert out["description"][0] == "bästa region: Region Stockholm och Region Halland 5,1 %"


def test_optimal_best_decile_is_the_threshold_of_the_best_tenth_of_kommuner():
    # 20 kommuner: the best tenth is 2 kommuner, so the threshold is the 2nd best value.
    codes = [f"{1000 + i}" for i in range(20)]
    values = pl.DataFrame(
        {"area": codes, "year": [2022] * 20, "value": [float(v) for v in range(20, 0, -1)]}
    )
    out = optimal_state(values, method="best_decile", polarity="higher_better", unit="procent")
    assert out["optimal"][0] == 19.0
    assert out["description"][0] == ("bästa tiondelen av kommunerna (2 av 20): 19,0 % eller högre")


def test_optimal_best_decile_can_be_limited_to_the_kommuner_of_a_region():
    values = pl.DataFrame(
        {"area": ["1380", "1381", "0180"], "year": [2022] * 3, "value": [6.0, 5.0, 2.0]}
    )
    out = optimal_state(
        values, method="best_decile", polarity="lower_better", among=["1380", "1381"]
    )
    assert out["optimal"][0] == 5.0


def test_optimal_best_subgroup_is_the_better_sex_per_area():
    values = pl.DataFrame(
        {
            "area": ["13"] * 3 + ["01"] * 3,
            "year": [2022] * 6,
            "sex": ["T", "K", "M"] * 2,
            "value": [6.2, 6.8, 5.6, 5.8, 5.5, 6.1],
        }
    )
    out = optimal_state(values, method="best_subgroup", polarity="lower_better", unit="procent")
    assert out.select("area", "optimal", "description").rows() == [
        ("01", 5.5, "bästa kön: kvinnor 5,5 %"),
        ("13", 5.6, "bästa kön: män 5,6 %"),
    ]


def test_optimal_state_refuses_unknown_methods_and_unjudged_indicators():
    values = regions({"01": 7.0})
    with pytest.raises(NeedsInputError, match="method"):
        optimal_state(values, method="best_country", polarity="lower_better")
    with pytest.raises(NeedsInputError, match="polaritet"):
        optimal_state(values, method="best_region", polarity="none")
