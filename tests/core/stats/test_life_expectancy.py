"""Life expectancy (Chiang II, Silcocks) against PHEindicatormethods' published vectors.

Tolerances: values and limits produced by the R code itself (qnorm-based z) at 1e-9 relative;
the published answer table of the main case at its printed precision (8 decimals → 5e-8
absolute), its limits computed at z = 1.96 as PHE's Excel tool does; the wide-interval case,
whose limits reach ±900 years, at 1e-7 relative (its printed limits come from the R code).
"""

from __future__ import annotations

import polars as pl
import pytest
from scipy import stats as sps
from stats_support import assert_close, read_fixture

from halsogap import stats
from halsogap.stats import StatsInputError
from halsogap.stats.life_table import (
    DEATHS_ABOVE_POPULATION,
    SMALL_POPULATION,
    WIDE_INTERVAL,
)

Z_196_LEVEL = 2 * sps.norm.cdf(1.96) - 1


def _area(name: str) -> pl.DataFrame:
    return read_fixture("life_expectancy.csv").filter(pl.col("area") == name)


def test_life_expectancy_matches_phe_r_output_at_both_levels():
    data = _area("df1")
    out = stats.life_expectancy(data)
    assert out["start_age"].to_list() == data["start_age"].to_list()
    for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], data[column])
    assert_close(out["value"], data["value"], rtol=0, atol=5e-8)
    assert out["pops_used"].to_list() == data["pops_used"].to_list()
    assert out["dths_used"].to_list() == data["dths_used"].to_list()
    assert out["reason"].null_count() == 20


def test_life_expectancy_matches_published_answer_with_z_196():
    data = _area("df1")
    out = stats.life_expectancy(data, confidence=Z_196_LEVEL)
    suffix = [c for c in out.columns if c.startswith("lower_")][0].removeprefix("lower_")
    assert_close(out[f"lower_{suffix}"], data["published_lower_95"], rtol=0, atol=5e-8)
    assert_close(out[f"upper_{suffix}"], data["published_upper_95"], rtol=0, atol=5e-8)


def test_life_expectancy_small_area_matches_generated_phe_vectors():
    data = _area("small")
    out = stats.life_expectancy(data)
    for column in ("value", "lower_95", "upper_95", "lower_99_8", "upper_99_8"):
        assert_close(out[column], data[column])


def test_life_expectancy_drops_value_but_keeps_limits_when_interval_exceeds_20_years():
    data = _area("widecis")
    out = stats.life_expectancy(data, confidence=0.95)
    assert_close(out["value"], data["value"], rtol=0, atol=5e-8)
    assert_close(out["lower_95"], data["published_lower_95"], rtol=1e-7, atol=1e-7)
    assert_close(out["upper_95"], data["published_upper_95"], rtol=1e-7, atol=1e-7)
    assert out["reason"].to_list() == [None] * 9 + [WIDE_INTERVAL] * 11


def test_life_expectancy_gives_reasons_for_whole_groups_it_cannot_compute():
    good = _area("widecis").with_columns(pl.lit("two").alias("area"))
    too_many = good.with_columns(
        pl.lit("one").alias("area"),
        pl.when(pl.col("start_age") == 90).then(312).otherwise(pl.col("deaths")).alias("deaths"),
    )
    small = _area("small").with_columns(
        (pl.col("population") // 20).alias("population"),
        (pl.col("deaths") // 20).alias("deaths"),
        pl.lit("tiny").alias("area"),
    )
    out = stats.life_expectancy(pl.concat([too_many, good, small]), "area", ages=[0])
    reasons = dict(zip(out["area"], out["reason"], strict=True))
    values = dict(zip(out["area"], out["value"], strict=True))
    assert reasons == {"one": DEATHS_ABOVE_POPULATION, "two": None, "tiny": SMALL_POPULATION}
    assert values["one"] is None and values["tiny"] is None
    assert values["two"] == pytest.approx(19.22914685, abs=5e-8)


def test_life_expectancy_rejects_missing_and_duplicated_bands():
    data = _area("df1")
    with pytest.raises(StatsInputError, match="has 19 age bands"):
        stats.life_expectancy(data.filter(pl.col("start_age") != 40))
    with pytest.raises(
        StatsInputError, match=r"start age 10 appears more than once \(rows 4, 21\)"
    ):
        stats.life_expectancy(pl.concat([data, data.slice(3, 1)]))
    with pytest.raises(StatsInputError, match="start age must be one of"):
        stats.life_expectancy(data.with_columns(pl.col("start_age") + 1))
    with pytest.raises(StatsInputError, match="negative 'deaths' in row 2"):
        stats.life_expectancy(data.with_columns(pl.col("deaths") * pl.Series([1, -1] + [1] * 18)))


@pytest.mark.parametrize("by", [None, "area"], ids=["ungrouped", "grouped"])
def test_life_expectancy_of_an_empty_frame_is_an_empty_result_with_the_usual_columns(by):
    # Like proportion, rate, dsr, sii and inequality with no rows: no groups, so no result rows,
    # but the same columns and types as a normal result so that callers can concatenate.
    data = _area("df1").select("area", "start_age", "deaths", "population")
    expected = stats.life_expectancy(data, by)
    out = stats.life_expectancy(data.head(0), by)
    assert out.height == 0
    assert out.schema == expected.schema
    assert stats.life_expectancy(data.head(0), by, ages=[0], confidence=0.95).columns == [
        c for c in expected.columns if "99_8" not in c
    ]
