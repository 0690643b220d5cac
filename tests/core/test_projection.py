"""The projection before a decision: worked numbers, the Monte Carlo against the exact bands,
seeds, common random numbers between allocations, and honesty about what is not known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import norm

from halsogap.projection import (
    MeasureEffect,
    NeedBaseline,
    ProjectionInputError,
    Range,
    population_forward,
    project_need,
    project_needs,
    read_national_projection,
)
from halsogap.projection.ranges import triangular

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projection"


def fixed(value: float) -> Range:
    return Range(value, value, value, source="fast värde i testet")


def need(**changes) -> NeedBaseline:
    values = dict(
        key="rokning", name="Daglig rökning", latest_year=2025, latest_value=20.0,
        slope=-0.1, slope_se=0.0, population=10_000, series_years=10, target=18.0,
    )  # fmt: skip
    return NeedBaseline(**(values | changes))


def talks(**changes) -> MeasureEffect:
    values = dict(
        key="samtal", name="Rådgivande samtal", reach=fixed(1000), uptake=fixed(0.5),
        effect=fixed(0.2), start_year=2026, ramp_years=2, fade_per_year=0.5,
        cost_per_year=100_000, qaly_per_person=fixed(0.1),
    )  # fmt: skip
    return MeasureEffect(**(values | changes))


def test_a_measure_with_fixed_parameters_matches_the_hand_calculation():
    # 1 000 reached × 0,5 take part × 0,2 leave the gap = 100 persons a year at full scale;
    # half of that in 2026 (ramp-up over two years), and half of those moved fall back each
    # year: 50, 50 × 0,5 + 100 = 125, 125 × 0,5 + 100 = 162,5 persons out of the gap.
    p = project_need(need(), [talks()], horizon=3, draws=50)
    assert p.years == (2025, 2026, 2027, 2028)
    assert p.persons_out.mean == pytest.approx((0, 50, 125, 162.5))
    # Persons ÷ 10 000 × 100 percentage points, on the trend 20,0 − 0,1 a year.
    assert p.projected.mean == pytest.approx((20.0, 19.4, 18.55, 18.075), abs=1e-5)
    assert p.baseline.mean == pytest.approx((20.0, 19.9, 19.8, 19.7), abs=1e-5)
    # Moved in all: 50 + 100 + 100 = 250 persons × 0,1 QALY; three years at 100 000 kr.
    assert p.qalys == pytest.approx((25, 25, 25), rel=1e-5)
    assert p.cost == 300_000
    assert p.cost_per_qaly == pytest.approx((12_000, 12_000, 12_000), rel=1e-5)
    # 18,0 is first reached in 2028 (18,075 in 2028 is not yet; see the next test's target).
    assert p.reached_by_year == (0, 0, 0, 0)


def test_the_year_the_target_is_reached_follows_the_projection_not_the_trend():
    p = project_need(need(target=18.6), [talks()], horizon=3, draws=50)
    assert p.reached_by_year == (0, 0, 1, 1)
    assert p.likely_target_year == 2027
    assert p.baseline_target_year is None


def test_a_relative_effect_lowers_the_participants_own_risk_on_the_central_path():
    # 1 000 × 0,5 take part, a fifth of their risk (20 % → 19,9 % in 2026) removed:
    # 100 × 0,199 = 19,9 persons in 2026.
    measure = talks(kind="relative", ramp_years=1, fade_per_year=0.0)
    p = project_need(need(), [measure], horizon=1, draws=10)
    assert p.persons_out.mean[1] == pytest.approx(19.9, rel=1e-5)


def test_zero_effect_measures_reproduce_the_baseline_exactly():
    seeded = need(slope_se=0.3)
    alone = project_need(seeded, [], horizon=10, draws=2_000, seed=3)
    with_zero = project_need(seeded, [talks(effect=fixed(0.0))], horizon=10, draws=2_000, seed=3)
    assert with_zero.projected == alone.projected
    assert with_zero.reached_by_year == alone.reached_by_year == alone.baseline_reached_by_year
    assert with_zero.persons_out.mean == (0.0,) * 11


def test_the_monte_carlo_bands_converge_to_the_exact_ones_for_a_linear_case():
    # 250 × 0,5 × 0,4 = 50 persons a year who stay out of the gap, 0,5 points more each year
    # from 2026, on a trend whose slope is normal: each year's value is normal with mean
    # 20 − 0,1·t − 0,5·t and standard deviation 0,3·t.
    measure = talks(ramp_years=1, fade_per_year=0.0, reach=fixed(250), effect=fixed(0.4),
                    start_year=2026, cost_per_year=0.0)  # fmt: skip
    p = project_need(need(slope_se=0.3), [measure], horizon=5, draws=200_000, seed=11)
    t = np.arange(6)
    shift = 0.5 * t
    for band, q in zip(p.projected.quantiles, (0.025, 0.1, 0.5, 0.9, 0.975), strict=True):
        exact = 20.0 + (-0.1 + norm.ppf(q) * 0.3) * t - shift
        assert np.asarray(band) == pytest.approx(exact, abs=0.01 + 0.01 * 0.3 * t.max())
    # The baseline's own band is the exact one, and the Monte Carlo agrees with it.
    alone = project_need(need(slope_se=0.3), [], horizon=5, draws=200_000, seed=11)
    for exact, drawn in zip(alone.baseline.quantiles, alone.projected.quantiles, strict=True):
        assert np.asarray(drawn) == pytest.approx(np.asarray(exact), abs=0.02)


def test_the_same_seed_gives_the_same_result_and_another_seed_another():
    uncertain = talks(reach=Range(500, 1000, 1500, source="testet"))
    a = project_need(need(slope_se=0.2), [uncertain], draws=1_000, seed=7)
    b = project_need(need(slope_se=0.2), [uncertain], draws=1_000, seed=7)
    c = project_need(need(slope_se=0.2), [uncertain], draws=1_000, seed=8)
    assert a == b
    assert a.projected != c.projected


def test_a_measure_draws_the_same_numbers_in_every_allocation_that_funds_it():
    uncertain = talks(reach=Range(500, 1000, 1500, source="testet"))
    other = talks(key="annan", name="Annan åtgärd", effect=fixed(0.0))
    one = project_need(need(slope_se=0.2), [uncertain], draws=1_000, seed=7)
    both = project_need(need(slope_se=0.2), [other, uncertain], draws=1_000, seed=7)
    assert both.projected == one.projected


def test_threads_change_nothing():
    items = [(need(key=f"n{i}", slope_se=0.2), [talks()]) for i in range(4)]
    assert project_needs(items, draws=500, workers=1) == project_needs(items, draws=500, workers=2)


def test_a_measure_without_effect_ranges_is_left_out_with_a_reason_not_counted_as_zero():
    unknown = talks(key="okand", name="Okänd effekt", effect=None, uptake=None)
    p = project_need(need(), [talks(), unknown], horizon=3, draws=10)
    assert p.included == ("Rådgivande samtal",)
    assert p.left_out == (
        ("Okänd effekt", "saknar intervall för deltagande och effekt; räknas inte som noll"),
    )
    assert p.projected == project_need(need(), [talks()], horizon=3, draws=10).projected


def test_it_marks_a_horizon_past_the_series_and_ranges_that_are_assumed_or_unsupported():
    assumed = talks(effect=Range(0.1, 0.2, 0.3))
    hopeful = talks(key="hopp", name="Förhoppning",
                    effect=Range(0.1, 0.2, 0.6, source="Studie 2020", evidence=(0.05, 0.3)))  # fmt: skip
    p = project_need(need(series_years=4), [assumed, hopeful], horizon=10, draws=10)
    assert p.beyond_data_from == 2030
    assert p.marks[0].startswith("Efter 2029 går prognosen längre fram än serien bakåt (4 år)")
    assert "Rådgivande samtal: effekt är ett antagande utan källa." in p.marks
    assert "Förhoppning: effekt går utanför källans intervall." in p.marks
    assert project_need(need(series_years=10), [], horizon=10, draws=10).beyond_data_from is None


def test_a_share_stays_between_zero_and_a_hundred():
    p = project_need(need(latest_value=0.4, slope=-0.5), [talks()], horizon=3, draws=10)
    assert min(p.projected.quantiles[0]) == 0.0 and min(p.baseline.quantiles[0]) == 0.0


@pytest.mark.parametrize(
    ("make", "message"),
    [(lambda: Range(3, 2, 4), "lägst ≤ troligast ≤ högst"),
     (lambda: Range(1, float("nan"), 2), "ska vara tal"),
     (lambda: project_need(need(population=[1.0, 2.0]), horizon=3), "ett per år \\(4 år\\)"),
     (lambda: project_need(need(), [talks(ramp_years=0)]), "upptrappningen ska vara minst 1"),
     (lambda: project_need(need(), horizon=0), "Horisonten ska vara minst 1 år")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message_that_says_what_was_expected(make, message):
    with pytest.raises(ProjectionInputError, match=message):
        make()


def test_the_triangular_draws_have_the_distributions_mean_and_quantiles():
    u = np.random.default_rng(2).random(400_000)
    x = triangular(u, 1.0, 2.0, 4.0)
    assert x.mean() == pytest.approx(7 / 3, abs=0.01)
    # F(2) = (2 − 1)² / ((4 − 1)(2 − 1)) = 1/3.
    assert (x <= 2.0).mean() == pytest.approx(1 / 3, abs=0.005)


def test_a_groups_population_follows_scbs_projection_for_its_age_and_sex():
    national = read_national_projection(FIXTURES / "ncdsim_men_40_42.csv")
    group = pl.DataFrame({"sex": ["M"], "age_from": [40], "age_to": [42], "population": [1000.0]})
    forward = population_forward(group, national, start_year=2024, horizon=10)
    # SCB: 69 331 + 67 488 + 67 708 = 204 527 men aged 40–42 in 2024; the projection has
    # 75 696,46 + 77 942,70 + 80 789,50 = 234 428,65 in 2034.
    assert forward[0] == 1000.0
    assert forward[-1] == pytest.approx(1000 * 234_428.654 / 204_527, rel=1e-6)


def test_a_population_projection_without_the_horizons_years_is_refused():
    national = read_national_projection(FIXTURES / "ncdsim_men_40_42.csv")
    group = pl.DataFrame({"sex": ["M"], "age_from": [40], "age_to": [42], "population": [1.0]})
    with pytest.raises(ProjectionInputError, match="saknar år 2035"):
        population_forward(group, national, start_year=2024, horizon=11)
    with pytest.raises(ProjectionInputError, match="ingen befolkning för K 40–42"):
        population_forward(group.with_columns(sex=pl.lit("K")), national, start_year=2024,
                           horizon=2)  # fmt: skip
