"""Issue 4's key check on the real Kolada demo data: daily smoking 16–84 (U01402).

For each region: the latest value, the best region's value, the gap to "as good as the best
region" in percentage points and in persons. The expected figures are computed here from the
same files with plain Python (dicts, loops, arithmetic) — polars only opens the Parquet files —
and never by calling the needs engine.

Persons: the population file has the bands 16-19, 20-44, 45-64, 65-79, 80+ and no 80–84 share,
so the need group 16–84 is approximated by everyone aged 16+ (the whole 80+ band is included,
a small overstatement by the 85+ population). The test names say so.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from halsogap.needs.data import load_data
from halsogap.needs.optimal import optimal_state
from halsogap.needs.pipeline import indicator_gaps
from halsogap.needs.targets import Target

KOLADA = Path(__file__).resolve().parents[3] / "data" / "demo" / "kolada"
BANDS_16_PLUS = {"16-19", "20-44", "45-64", "65-79", "80+"}


def independent_u01402() -> dict[str, dict]:
    """Expected gaps per region, from the raw rows with plain Python."""
    value_rows = pl.read_parquet(KOLADA / "values.parquet").rows()
    smoking = {}  # (area, year) -> value, regions only, both sexes together
    for kpi, area, year, sex, value in value_rows:
        if kpi == "U01402" and sex == "T" and len(area) == 2 and area != "00":
            assert (area, year) not in smoking
            smoking[(area, year)] = value
    latest = max(year for _, year in smoking)
    current = {area: value for (area, year), value in smoking.items() if year == latest}
    best = min(current.values())  # lower is better for daily smoking

    population = {}
    for area, year, sex, band, count in pl.read_parquet(KOLADA / "population.parquet").rows():
        if year == latest and sex in ("K", "M") and band in BANDS_16_PLUS:
            population[area] = population.get(area, 0) + count

    expected = {}
    for area, value in current.items():
        gap = best - value
        expected[area] = {
            "year": latest,
            "current": value,
            "best": best,
            "gap_pp": gap,
            "gap_to_close_pp": value - best,
            "population_16_plus": population[area],
            "persons": abs(gap) * population[area] / 100,
        }
    return expected


@pytest.fixture(scope="module")
def expected():
    return independent_u01402()


@pytest.fixture(scope="module")
def engine():
    table = indicator_gaps(load_data(), indicator="U01402", target=Target.best(1))
    return {row["area"]: row for row in table.iter_rows(named=True)}


def test_u01402_table_has_all_21_regions_and_the_20_with_a_latest_value_match(expected, engine):
    assert len(engine) == 21
    assert len(expected) == 20  # Region Gotland (09) has no 2022 value in the file
    assert set(expected) == set(engine) - {"09"}
    assert {row["year"] for row in engine.values()} == {next(iter(expected.values()))["year"]}


def test_u01402_region_without_a_latest_value_gets_a_reason_never_a_zero_gap(engine):
    gotland = engine["09"]
    assert (gotland["current"], gotland["gap"], gotland["persons"]) == (None, None, None)
    assert gotland["reason"] == "nuvärde saknas"
    assert gotland["persons_reason"] == "nuvärde saknas"


def test_u01402_current_value_per_region_matches_independent_calculation(expected, engine):
    for area, row in expected.items():
        assert engine[area]["current"] == row["current"], area


def test_u01402_best_region_value_matches_independent_calculation(expected, engine):
    best = next(iter(expected.values()))["best"]
    assert {row["desired"] for row in engine.values()} == {best}  # Gotland too
    data = load_data()
    values = data.values.filter(pl.col("kpi") == "U01402", pl.col("sex") == "T")
    optimal = optimal_state(
        values, method="best_region", polarity="lower_better", unit="procent", names=data.names
    )
    assert optimal["optimal"][0] == best
    holders = [a for a, r in expected.items() if r["current"] == best]
    assert optimal["source"][0].to_list() == holders
    assert optimal["description"][0].startswith("bästa region: ")


def test_u01402_gap_in_percentage_points_matches_independent_calculation(expected, engine):
    for area, row in expected.items():
        assert engine[area]["gap"] == row["gap_pp"], area
        assert engine[area]["gap_to_close"] == row["gap_to_close_pp"], area


def test_u01402_gap_in_persons_16_plus_approximating_16_84_matches_independent_calculation(
    expected, engine
):
    for area, row in expected.items():
        assert engine[area]["population"] == row["population_16_plus"], area
        assert engine[area]["persons"] == row["persons"], area
        assert engine[area]["population_ages"] == "16+"
        assert engine[area]["persons_reason"] is None


def test_u01402_best_region_itself_has_no_gap_and_others_are_worse(expected, engine):
    for area, row in expected.items():
        status = engine[area]["status"]
        assert status == ("når målet" if row["gap_pp"] == 0 else "sämre än målet"), area
