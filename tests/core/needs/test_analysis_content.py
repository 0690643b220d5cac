"""The needs analysis content: rows better than the target leave no one to reach."""

from __future__ import annotations

from halsogap.needs.content import compose_needs_analysis
from halsogap.needs.data import load_data
from halsogap.needs.specs import AnalysisSpec, NeedGroupSpec, NeedSpec
from halsogap.needs.targets import Target


def test_a_kommun_better_than_the_target_counts_no_persons_left_to_reach():
    # Target 5,5 %: Stockholms stad (4,9 % in 2022) is better, Botkyrka worse.
    group = NeedGroupSpec(
        "1", "Två kommuner", region="01", area_rule="chosen", area_codes=("0180", "0127")
    )
    need = NeedSpec(
        "1", "U01402", "Daglig rökning", "procent", "lower_better", "K", Target.absolute(5.5)
    )
    spec = AnalysisSpec("A", "01", "Region Stockholm", 2027, groups=(group,), needs=(need,))
    item = compose_needs_analysis(spec, load_data()).groups[0].items[0]
    rows = {r.area: r for r in item.rows}
    better = next(r for name, r in rows.items() if name.startswith("Stockholm"))
    worse = next(r for name, r in rows.items() if name.startswith("Botkyrka"))
    assert better.gap_to_close < 0 and better.persons == 0.0
    assert worse.gap_to_close > 0 and worse.persons > 0
