"""The one equity rule: quintile tables, D, R, SII and RII, the same for every page."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from halsogap.needs.data import load_data
from halsogap.needs.equity import indicator_equity, inequity, measures_of, quintile_tables
from halsogap.needs.pipeline import needs_analysis
from halsogap.stats import rii, sii


@pytest.mark.parametrize("seed", range(5))
def test_sii_and_rii_are_phes_point_estimates(seed):
    # halsogap.stats.sii/rii reproduce PHEindicatormethods (tests/core/stats/test_sii.py); the
    # point estimate does not depend on the simulation, so any standard error will do.
    rng = np.random.default_rng(seed)
    table = pl.DataFrame(
        {
            "g": ["x"] * 5,
            "quintile": [1, 2, 3, 4, 5],
            "value": rng.uniform(5, 40, 5),
            "population": rng.uniform(1_000, 90_000, 5),
        }
    )
    ours = measures_of(table, ["g"]).row(0, named=True)
    phe = {"quantile": "quintile", "se": "se", "lower_cl": None, "upper_cl": None}
    data = table.with_columns(pl.lit(1.0).alias("se"))
    expected_sii = sii(data, **phe, repetitions=1_000, seed=1)["value"][0]
    expected_rii = rii(data, **phe, repetitions=1_000, seed=1)["value"][0]
    assert ours["sii"] == pytest.approx(expected_sii, rel=1e-9)
    assert ours["rii"] == pytest.approx(expected_rii, rel=1e-9)


def test_d_and_r_compare_the_best_and_worst_quintiles():
    rows = pl.DataFrame(
        {
            "g": ["x"] * 4,
            "quintile": [1, 1, 5, 5],
            "value": [20.0, 10.0, 8.0, 4.0],
            "population": [1_000.0, 3_000.0, 1_000.0, 1_000.0],
        }
    )
    table = quintile_tables(rows, ["g"])
    assert table["value"].to_list() == [12.5, 6.0]
    measures = measures_of(table, ["g"]).row(0, named=True)
    assert (measures["d"], measures["r"]) == (-6.5, 0.48)


def test_one_quintile_is_too_few_to_compare():
    table = pl.DataFrame({"g": ["x"], "quintile": [3], "value": [9.0], "population": [10.0]})
    row = measures_of(table, ["g"]).row(0, named=True)
    assert row["rii"] is None and row["reason"] == "för få kvintiler med värden för att jämföra"


def test_the_ranking_and_the_equity_view_give_the_same_rii():
    data = load_data()
    view = indicator_equity(data, indicator="U01402", area="01")
    shown = next(m["value"] for m in view.measures if m["measure"] == "rii")
    ranking, _ = needs_analysis(data, regions=["01"])
    ranked = ranking.filter(pl.col("need") == "U01402").row(0, named=True)
    assert ranked["rii"] == pytest.approx(shown, rel=1e-12)
    assert ranked["inequity"] == pytest.approx(abs(np.log(shown)), rel=1e-12)
    direct = inequity(data, indicators=["U01402"], regions=["01"])
    assert direct["rii"][0] == pytest.approx(shown, rel=1e-12)


def test_a_region_with_one_kommun_has_no_rii():
    data = load_data()
    assert inequity(data, indicators=["U01402"], regions=["09"]).height == 0


def test_d_and_r_name_the_quintiles_present_and_the_kommuner_left_out():
    # Stockholm's kommuner with smoking values all lie in national quintiles 3–5 of education.
    view = indicator_equity(load_data(), indicator="U01402", area="01")
    names = {m["measure"]: m["name"] for m in view.measures}
    present = sorted(row["quintile"] for row in view.table)
    assert present[0] > 1
    assert names["d"].startswith(f"Skillnad (D): kvintil {present[-1]} − kvintil {present[0]}")
    assert names["r"].startswith(f"Kvot (R): kvintil {present[-1]} / kvintil {present[0]}")
    assert "kvintil 1 och 2 har inga" in view.coverage
    assert "av 26 kommuner saknar värde" in view.coverage
