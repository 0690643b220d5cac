"""Input every statistic must refuse the same way: multipliers and numbers that are not finite.

A negative multiplier used to turn intervals upside down (lower above upper) and an infinite
denominator gave a value of 0 with limits [0, 0]; both now raise ``StatsInputError`` naming the
function (and for data the column, group and row), so nothing nonsensical reaches a page.
"""

from __future__ import annotations

import math

import polars as pl
import pytest

from halsogap import stats
from halsogap.stats import StatsInputError
from halsogap.stats.funnel import funnel_points

COUNTS = pl.DataFrame({"area": ["a", "b"], "numerator": [5, 65], "denominator": [100, 100]})
BANDS = stats.load_standard("esp2013")["age_band"]
DSR_ROWS = pl.DataFrame({"age_band": BANDS, "count": [30] * 19, "population": [5000.0] * 19})
ISR_ROWS = pl.DataFrame(
    {"age_band": ["0-39", "40+"], "observed": [5, 25], "population": [1000.0, 2000.0]}
)
REFERENCE = pl.DataFrame(
    {"age_band": ["0-39", "40+"], "reference_observed": [10, 100],
     "reference_population": [10000, 10000]}
)  # fmt: skip
RATES = pl.DataFrame({"numerator": [414, 50], "value": [184.0, 167.0]})
SPC = pl.DataFrame({"value": [7.7, 9.9], "comparator": [8.96, 8.96], "denominator": [5930, 2273]})

#: Every statistic with a multiplier, called with ``multiplier`` set to the parameter.
WITH_MULTIPLIER = {
    "proportion": lambda m: stats.proportion(COUNTS, multiplier=m),
    "rate": lambda m: stats.rate(COUNTS, multiplier=m),
    "dsr": lambda m: stats.dsr(DSR_ROWS, multiplier=m),
    "isr": lambda m: stats.isr(ISR_ROWS, reference=REFERENCE, multiplier=m),
    "smr": lambda m: stats.smr(ISR_ROWS, reference=REFERENCE, refvalue=m),
    "funnel_limits": lambda m: stats.funnel_limits(COUNTS, axis=[100], multiplier=m),
    "funnel_limits (rate)": lambda m: stats.funnel_limits(
        RATES, statistic="rate", axis=[10], multiplier=m
    ),
    "funnel_significance": lambda m: stats.funnel_significance(
        RATES, statistic="rate", multiplier=m
    ),
    "funnel_points": lambda m: funnel_points(RATES, multiplier=m),
    "compare": lambda m: stats.compare(SPC, "comparator", method="spc_dsr", multiplier=m),
}


@pytest.mark.parametrize("multiplier", [-100, 0, math.inf, math.nan])
@pytest.mark.parametrize("function", list(WITH_MULTIPLIER))
def test_multipliers_not_above_zero_are_refused_so_lower_never_exceeds_upper(function, multiplier):
    name = "refvalue" if function == "smr" else "multiplier"
    prefix = function.split(" ")[0]
    with pytest.raises(
        StatsInputError, match=rf"^{prefix}: {name} must be a finite number above 0"
    ):
        WITH_MULTIPLIER[function](multiplier)


WITH_LIMITS = ["proportion", "rate", "dsr", "isr", "smr", "funnel_limits", "funnel_limits (rate)"]


@pytest.mark.parametrize("function", WITH_LIMITS)
def test_positive_multipliers_give_lower_limits_at_most_upper_limits(function):
    out = WITH_MULTIPLIER[function](100)
    lowers = [c for c in out.columns if c.startswith("lower_")]
    assert lowers
    for lower in lowers:
        upper = out[lower.replace("lower_", "upper_")]
        assert (out[lower] <= upper).all(), lower


@pytest.mark.parametrize("function", [stats.sii, stats.rii])
def test_sii_and_rii_keep_phe_negative_multiplier_but_refuse_zero_and_infinite(function):
    rows = pl.DataFrame(
        {"quantile": [1, 2, 3, 4, 5], "population": [100.0] * 5,
         "value": [70.0, 72, 74, 76, 78], "se": [1.0] * 5}
    )  # fmt: skip
    kw = {"se": "se", "lower_cl": None, "upper_cl": None, "repetitions": 1000, "seed": 1}
    out = function(rows, multiplier=-1, **kw).row(0, named=True)
    assert out["lower_95"] <= out["value"] <= out["upper_95"]
    for multiplier in (0, math.inf, math.nan):
        with pytest.raises(
            StatsInputError, match="multiplier must be a finite number other than 0"
        ):
            function(rows, multiplier=multiplier, **kw)


def _with(frame: pl.DataFrame, column: str, row: int, value: float) -> pl.DataFrame:
    values = frame[column].cast(pl.Float64).to_list()
    values[row] = value
    return frame.with_columns(pl.Series(column, values))


INEQUALITY_ROWS = pl.DataFrame(
    {"estimate": [20.0, 30, 40, 50, 60], "se": [5.0, 7, 10, 12, 14],
     "population": [78.0, 91, 162, 103, 105], "order": [1, 2, 3, 4, 5]}
)  # fmt: skip
LE_ROWS = pl.DataFrame(
    {"start_age": [0, 1, *range(5, 95, 5)], "deaths": [17, 9, 4, 8, 20, 15, 24, 33, 50, 71,
     100, 163, 263, 304, 536, 872, 1390, 1605, 1936, 1937], "population": [7060.0] * 20}
)  # fmt: skip
SII_ROWS = INEQUALITY_ROWS.rename({"order": "quantile", "estimate": "value"})
CI_ROWS = pl.DataFrame({"value": [20.0, 12.0], "lower_95": [18.0, 10.0], "upper_95": [22.0, 15.5]})

#: case → (call, data, column set to ±inf, row index, where the message says it is)
NON_FINITE = {
    "proportion denominator": (
        lambda d: stats.proportion(d, "area"), COUNTS, "denominator", 1,
        "proportion", "group area='b', row 2",
    ),
    "proportion numerator": (
        lambda d: stats.proportion(d), COUNTS, "numerator", 0, "proportion", "row 1",
    ),
    "rate denominator": (
        lambda d: stats.rate(d, "area"), COUNTS, "denominator", 1, "rate", "group area='b', row 2",
    ),
    "rate numerator": (lambda d: stats.rate(d), COUNTS, "numerator", 1, "rate", "row 2"),
    "mean value": (lambda d: stats.mean(d), CI_ROWS, "value", 1, "mean", "row 2"),
    "dsr population": (lambda d: stats.dsr(d), DSR_ROWS, "population", 4, "dsr", "row 5"),
    "dsr count": (lambda d: stats.dsr(d), DSR_ROWS, "count", 4, "dsr", "row 5"),
    "smr population": (
        lambda d: stats.smr(d, reference=REFERENCE), ISR_ROWS, "population", 1, "smr", "row 2",
    ),
    "isr observed": (
        lambda d: stats.isr(d, reference=REFERENCE), ISR_ROWS, "observed", 0, "isr", "row 1",
    ),
    "life_expectancy population": (
        lambda d: stats.life_expectancy(d), LE_ROWS, "population", 19, "life_expectancy",
        "row 20",
    ),
    "sii population": (
        lambda d: stats.sii(d, se="se", lower_cl=None, upper_cl=None, repetitions=1000),
        SII_ROWS, "population", 2, "sii", "row 3",
    ),
    "inequality population": (
        lambda d: stats.inequality(d, order="order"), INEQUALITY_ROWS, "population", 2,
        "inequality", "row 3",
    ),
    "funnel_limits denominator": (
        lambda d: stats.funnel_limits(d, axis=[100]), COUNTS, "denominator", 1, "funnel_limits",
        "row 2",
    ),
    "funnel_significance denominator": (
        lambda d: stats.funnel_significance(d), COUNTS, "denominator", 0, "funnel_significance",
        "row 1",
    ),
    "compare upper limit": (
        lambda d: stats.compare(d, 15.0, confidence=0.95), CI_ROWS, "upper_95", 0, "compare",
        "row 1",
    ),
    "compare spc denominator": (
        lambda d: stats.compare(d, "comparator", method="spc_proportion", multiplier=100),
        SPC, "denominator", 1, "compare", "row 2",
    ),
}  # fmt: skip


@pytest.mark.parametrize("sign", [1, -1], ids=["inf", "-inf"])
@pytest.mark.parametrize("case", list(NON_FINITE))
def test_infinite_numerators_and_denominators_are_refused_naming_the_row(case, sign):
    call, frame, column, row, function, where = NON_FINITE[case]
    shown = "inf" if sign > 0 else "-inf"
    message = rf"^{function}: '{column}' is not a finite number \({shown}\) in {where}$"
    with pytest.raises(StatsInputError, match=message):
        call(_with(frame, column, row, sign * math.inf))


def test_infinity_written_as_text_is_refused_too():
    text = COUNTS.with_columns(pl.Series("denominator", ["100", "Infinity"]))
    with pytest.raises(
        StatsInputError, match=r"'denominator' is not a finite number \(inf\) in row 2"
    ):
        stats.rate(text)
