"""quantiles() against PHEindicatormethods' grouped quantile test table (testdata_Quantiles).

The fixture quantiles_phe.csv is the sheet testdata_Quantiles of testdata_Quantiles.xlsx
(source_row = sheet row), with PHE's test helper's polarity mapping written out as ``invert``
("RAG - Low is good" → true, "RAG - High is good" → false). The five calls of testQuantiles.R
("quantiles calculate correctly") are reproduced with the same subsets, groupings and quantile
counts; every assignment, including the empty ones (missing values, groups smaller than the
number of quantiles) must be identical.
"""

from __future__ import annotations

import polars as pl
import pytest
from stats_support import read_fixture

from halsogap import stats
from halsogap.stats import StatsInputError

TABLE = read_fixture(
    "quantiles_phe.csv", schema_overrides={"value": pl.Float64, "expected_quantile": pl.Int64}
)
#: PHE's helper keeps the rows whose Test starts with "Good" (Gooddata, GooddataDups).
GOOD = TABLE.filter(pl.col("test").str.starts_with("Good"))

# (testQuantiles.R data frame, group set, grouping, n_quantiles, invert)
CASES = [
    ("df1 grouped, invert field", "IndSexReg", ["indicator", "parent"], 10, "invert"),
    ("df3 by indicator, invert field", "IndSex", ["indicator"], 7, "invert"),
    ("df4 one group, invert TRUE", "None", None, 4, True),
]


@pytest.mark.parametrize(("name", "group_set", "by", "n", "invert"), CASES)
def test_quantiles_reproduce_phe_test_table(name, group_set, by, n, invert):
    rows = GOOD.filter(pl.col("group_set") == group_set)
    out = stats.quantiles(rows, by, n_quantiles=n, invert=invert)
    assert out["quantile"].to_list() == rows["expected_quantile"].to_list(), name
    # Every row PHE leaves empty has a missing value or sits in a group that is too small.
    empty = out.filter(pl.col("quantile").is_null())
    assert (empty["value"].is_null() | empty["quantile_reason"].is_not_null()).all()


def test_quantiles_df2_logical_invert_false_matches_the_field_version():
    rows = GOOD.filter(
        (pl.col("group_set") == "IndSexReg") & (pl.col("indicator") == "90366Female")
    )
    out = stats.quantiles(rows, ["indicator", "parent"], invert=False)
    assert out["quantile"].to_list() == rows["expected_quantile"].to_list()


def test_quantile_table_counts_and_ties_are_all_covered():
    # 339 + 187 + 491 assignments compared (df2's 152 are a subset of df1); GooddataDups have ties.
    assert GOOD.group_by("group_set").len().sort("group_set")["len"].to_list() == [152, 339, 491]
    dups = GOOD.filter(pl.col("test") == "GooddataDups")
    assert dups.select(pl.struct("indicator", "group_set", "value").is_duplicated().any()).item()


def test_quantiles_reject_an_invert_field_that_varies_within_a_group():
    bad = TABLE.filter(pl.col("test") == "BadPolarity")
    with pytest.raises(StatsInputError, match="must have one value per group; it changes in group"):
        stats.quantiles(bad, "indicator", n_quantiles=7, invert="invert")
    with pytest.raises(StatsInputError, match="expected Booleans"):
        stats.quantiles(bad, "indicator", invert="polarity")
