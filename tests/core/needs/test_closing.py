"""Is the need's gap closing: the one sentence of pages, documents and the trace."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap.needs.closing import gap_closing


def values(*pairs) -> pl.DataFrame:
    return pl.DataFrame({"period": [p for p, _ in pairs], "value": [v for _, v in pairs]})


def test_gap_closing_reuses_gap_trend_of_the_needs_analysis():
    """Gap to close = value − 5,0: 5; 4,5; 4; 3,5; 3 → pace 0,5 a year; 2022 + 3/0,5 = 2028."""
    history = values(("2018", 10.0), ("2019", 9.5), ("2020", 9.0), ("2021", 8.5), ("2022", 8.0))
    g = gap_closing(history, desired=5.0, polarity="lower_better")
    assert (g.status, g.closing, g.gap_latest, g.closes_year) == ("gapet minskar", True, 3.0, 2028)
    assert g.pace_per_year == pytest.approx(0.5)
    assert g.first_period == "2018" and g.last_period == "2022"


def test_a_widening_gap_and_too_few_points_are_said_so():
    widening = gap_closing(
        values(("2020", 5.0), ("2021", 5.5), ("2022", 6.0)), desired=4.0, polarity="lower_better"
    )
    assert widening.status == "gapet ökar" and widening.closing is False
    assert widening.sentence_sv.startswith("Gapet ökar")
    few = gap_closing(values(("2022", 6.0)), desired=4.0, polarity="lower_better")
    assert few.status == "för få mätpunkter"


def test_the_sentence_uses_the_indicators_precision_and_percentage_points():
    history = values(("2018", 10.0), ("2019", 9.5), ("2020", 9.0), ("2021", 8.5), ("2022", 8.0))
    g = gap_closing(history, desired=5.0, polarity="lower_better", unit="procent", decimals=1)
    assert g.sentence_sv.startswith("Gapet minskar: 3,0 procentenheter kvar till målet (2022)")
