"""Horizontal ranking across need groups and the weight sensitivity."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest

from halsogap.priorities import PrioritiesInputError, rank_horizontal, weight_sensitivity
from halsogap.priorities.horizontal import DEFAULT_WEIGHTS


def two_needs() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "need": ["rökning", "fetma"],
            "gap_persons": [40_000, 10_000],
            "severity": ["mycket stor", "måttlig"],
            "inequity": [0.3, 0.1],
            "cost_per_qaly": [80_000, 300_000],
            "evidence": ["hög", "låg"],
        }
    )


def test_scores_by_hand():
    """fetma: size 10 000/40 000 = 0.25 × 0.30 = 0.075; severity måttlig (2−1)/3 × 0.30 = 0.100;
    inequity 0.1/0.3 × 0.20 = 0.0667; cost 300 000 kr = måttlig = ⅔ × 0.10 = 0.0667; evidence låg
    ⅓ × 0.10 = 0.0333; total 0.3417. rökning is best on every criterion: 1.0."""
    out = rank_horizontal(two_needs())
    assert out["need"].to_list() == ["rökning", "fetma"]
    assert out["score"].to_list() == pytest.approx([1.0, 0.075 + 0.1 + 0.2 / 3 + 0.2 / 3 + 0.1 / 3])
    fetma = out.row(1, named=True)
    assert fetma["contribution_need_size"] == pytest.approx(0.075)
    assert fetma["main_criterion"] == "svårighetsgrad"


def test_a_need_scoring_nothing_has_no_criterion_that_weighs_most():
    # All weight on severity: the need of the lowest severity scores 0 on the one weighted
    # criterion, and naming "need size" (weighted 0 %) as what weighs most would be false.
    needs = pl.DataFrame(
        {
            "need": ["rökning", "fetma"],
            "gap_persons": [40_000, 10_000],
            "severity": ["mycket stor", "liten"],
        }
    )
    weights = {"need_size": 0, "severity": 1, "inequity": 0, "cost_effectiveness": 0, "evidence": 0}
    out = rank_horizontal(needs, weights=weights)
    mild = out.filter(pl.col("need") == "fetma").row(0, named=True)
    assert mild["score"] == 0 and mild["main_criterion"] is None
    assert out.filter(pl.col("need") == "rökning")["main_criterion"][0] == "svårighetsgrad"


def test_moving_a_weight_reorders():
    needs = pl.DataFrame({"need": ["a", "b"], "gap_persons": [100, 10], "inequity": [0.0, 1.0]})
    assert rank_horizontal(needs)["need"].to_list() == ["a", "b"]
    assert rank_horizontal(needs, weights={"need_size": 1, "inequity": 4})["need"].to_list() == [
        "b",
        "a",
    ]


def test_missing_criteria_rescale_the_weights_for_that_need():
    """b lacks evidence: its weights 0.3/0.3/0.2/0.1 are rescaled by 1/0.9."""
    needs = pl.DataFrame(
        {
            "need": ["a", "b"],
            "gap_persons": [10, 10],
            "severity": [4, 4],
            "inequity": [1.0, 1.0],
            "cost_band": ["låg", "låg"],
            "evidence": ["mycket låg", None],
        }
    )
    out = rank_horizontal(needs)
    b = out.filter(pl.col("need") == "b").row(0, named=True)
    assert b["score"] == pytest.approx(1.0) and b["weight_need_size"] == pytest.approx(0.3 / 0.9)
    assert b["missing_criteria"] == "kunskapsunderlag"
    assert out.filter(pl.col("need") == "a")["score"].item() == pytest.approx(0.9)


@pytest.mark.parametrize("weights", [{"pris": 1}, {"need_size": -1}, {"need_size": 0}])
def test_bad_weights_are_refused(weights):
    with pytest.raises(PrioritiesInputError):
        rank_horizontal(two_needs(), weights=weights)


def test_duplicate_needs_are_refused():
    with pytest.raises(PrioritiesInputError, match="dubbletter"):
        rank_horizontal(pl.DataFrame({"need": ["a", "a"], "gap_persons": [1, 2]}))


def test_swap_weight_by_hand():
    """a: size 1, severity 0 (liten); b: size 0, severity 1 (mycket stor); weights 0.6/0.4 only.
    a scores 0.6, b 0.4. Moving the size weight alone to w: a = w/(w+0.4), b = 0.4/(w+0.4),
    equal at w = 0.4, i.e. normalised 0.4/0.8 = 0.5. Moving severity alone also meets at 0.5;
    both are a change of 0.1, and the first criterion (need size) is reported."""
    needs = pl.DataFrame(
        {"need": ["a", "b"], "gap_persons": [100, 0], "severity": ["liten", "mycket stor"]}
    )
    table = weight_sensitivity(needs, weights={"need_size": 0.6, "severity": 0.4}).table
    a = table.row(0, named=True)
    assert a["swap_with"] == "b" and a["swap_criterion"] == "behovets storlek"
    assert a["swap_weight_from"] == pytest.approx(0.6) and a["swap_weight_to"] == pytest.approx(0.5)
    assert (
        a["swap_text"]
        == "Byter plats med b om vikten för behovets storlek ändras från 0,60 till 0,50."
    )
    assert table.row(1, named=True)["swap_with"] is None


def random_needs(n: int, seed: int, missing: float = 0.0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame(
        {
            "need": [f"N{i:03d}" for i in range(n)],
            "gap_persons": rng.integers(0, 10_000, n).astype(float),
            "severity": rng.integers(1, 5, n),
            "inequity": rng.random(n),
            "cost_per_qaly": rng.lognormal(12, 1, n),
            "evidence": rng.choice(["hög", "måttlig", "låg", "mycket låg"], n),
        }
    )
    if missing:
        frame = frame.with_columns(
            pl.when(pl.Series(rng.random(n) < missing))
            .then(None)
            .otherwise(pl.col("gap_persons"))
            .alias("gap_persons"),
            pl.when(pl.Series(rng.random(n) < missing))
            .then(None)
            .otherwise(pl.col("evidence"))
            .alias("evidence"),
        )
    return frame


@pytest.mark.parametrize("missing", [0.0, 0.3])
def test_the_reported_swap_weight_really_makes_the_scores_equal(missing):
    needs = random_needs(20, seed=3, missing=missing)
    table = weight_sensitivity(needs, samples=50).table
    names = list(DEFAULT_WEIGHTS)
    labels = {
        "behovets storlek": "need_size",
        "svårighetsgrad": "severity",
        "ojämlikhet": "inequity",
        "kostnadseffektivitet": "cost_effectiveness",
        "kunskapsunderlag": "evidence",
    }
    checked = 0
    for row in table.filter(pl.col("swap_criterion").is_not_null()).iter_rows(named=True):
        key = labels[row["swap_criterion"]]
        # Set that weight to its new share and keep the others' proportions.
        rest = 1 - DEFAULT_WEIGHTS[key]
        scale = (1 - row["swap_weight_to"]) / rest
        weights = {
            n: (row["swap_weight_to"] if n == key else DEFAULT_WEIGHTS[n] * scale) for n in names
        }
        scores = dict(rank_horizontal(needs, weights=weights).select("need", "score").iter_rows())
        assert scores[row["need"]] == pytest.approx(scores[row["swap_with"]], abs=1e-9)
        checked += 1
    assert checked >= 15


def test_no_spread_means_every_rank_is_kept():
    result = weight_sensitivity(random_needs(15, seed=1), spread=0.0, samples=20)
    assert (result.table["share_same_rank"] == 1.0).all()
    assert (result.table["rank_min"] == result.table["rank"]).all()
    assert result.table["stability"].unique().to_list() == ["stabil"]


@pytest.mark.parametrize("method", ["uniform", "dirichlet"])
def test_sampling_is_seeded_and_bounded(method):
    needs = random_needs(30, seed=2)
    first = weight_sensitivity(needs, method=method, seed=7, samples=300).table
    again = weight_sensitivity(needs, method=method, seed=7, samples=300).table
    other = weight_sensitivity(needs, method=method, seed=8, samples=300).table
    assert first.equals(again)
    assert not first["share_same_rank"].equals(other["share_same_rank"])
    assert (first["rank_min"] <= first["rank"]).all() and (first["rank"] <= first["rank_max"]).all()
    assert (first["share_same_rank"] <= first["share_in_band"]).all()


def test_a_zero_weight_stays_zero_in_the_samples():
    needs = random_needs(10, seed=4)
    weights = {
        "need_size": 1.0,
        "severity": 0.0,
        "inequity": 0.0,
        "cost_effectiveness": 0.0,
        "evidence": 0.0,
    }
    for method in ("uniform", "dirichlet"):
        table = weight_sensitivity(needs, weights=weights, method=method, samples=100).table
        assert (table["share_same_rank"] == 1.0).all()


def test_bad_sensitivity_settings_are_refused():
    with pytest.raises(PrioritiesInputError):
        weight_sensitivity(two_needs(), spread=1.5)
    with pytest.raises(PrioritiesInputError):
        weight_sensitivity(two_needs(), method="bayes")


def test_sensitivity_for_100_needs_is_fast():
    needs = random_needs(100, seed=5, missing=0.1)
    weight_sensitivity(needs, samples=2000)
    started = time.perf_counter()
    result = weight_sensitivity(needs, samples=2000)
    assert time.perf_counter() - started < 1.0
    assert result.table.height == 100
