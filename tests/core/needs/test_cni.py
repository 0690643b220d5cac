"""Care Need Index: SCB's worked example, normalisation, input errors and the eligibility rule."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from halsogap.needs import (
    CNI_VARIABLES,
    CNI_WEIGHTS,
    SCB_EXAMPLE_NATIONAL_POINTS,
    CniError,
    care_need_index,
    eligible_units,
    read_cni_counts,
)
from halsogap.needs.cni import national_points

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "needs"
COUNT_COLUMNS = [v.column for v in CNI_VARIABLES]
NBSP = "\u00a0"


def units(**overrides: list) -> pl.DataFrame:
    """Two plain units (A: 1 000 listed, B: 3 000) with 100 in every count unless overridden."""
    data = {"enhet": ["A", "B"], "befolkning": [1000, 3000], **dict.fromkeys(COUNT_COLUMNS)}
    for column in COUNT_COLUMNS:
        data[column] = [100, 100]
    data.update(overrides)
    return pl.DataFrame(data)


def plain(text: str) -> str:
    # Reasons use a non-breaking space between thousands; tests compare with typed sentences.
    return text.replace(NBSP, " ")


# --- SCB's worked example ----------------------------------------------------------------


@pytest.fixture
def scb_example() -> tuple[pl.DataFrame, pl.DataFrame]:
    path = FIXTURES / "cni_scb_exempel.csv"
    counts = read_cni_counts(path.read_bytes(), path.name)
    expected = pl.read_csv(path, separator=";", decimal_comma=True)
    return counts, expected


def test_scb_example_index_and_cni_come_out_as_published(scb_example):
    counts, expected = scb_example
    out = care_need_index(counts, reference=SCB_EXAMPLE_NATIONAL_POINTS)
    # SCB prints Index truncated to a whole number and CNI to four decimals.
    assert [math.floor(x) for x in out["cni_index"]] == expected["scb_index"].to_list()
    assert [round(x, 4) for x in out["cni"]] == expected["scb_cni"].to_list()
    assert out["cni_index"].round(2).to_list() == [22709.42, 7869.74]


def test_scb_example_implies_one_national_reference_for_both_units(scb_example):
    counts, expected = scb_example
    out = care_need_index(counts, reference=SCB_EXAMPLE_NATIONAL_POINTS)
    implied = out["cni_per_invanare"] / expected["scb_cni"]
    # SCB's CNI has four decimals, so the implied reference is known to about ±1e-4.
    assert implied.to_list() == [pytest.approx(2.4761, abs=1e-4)] * 2


def test_cni_uses_the_unrounded_index_as_scb_does(scb_example):
    counts, _ = scb_example
    out = care_need_index(counts, reference=SCB_EXAMPLE_NATIONAL_POINTS)
    truncated = 7869 / 2407 / SCB_EXAMPLE_NATIONAL_POINTS
    assert round(truncated, 4) == 1.3203  # what truncating first would give: not SCB's 1.3204
    assert round(out["cni"][1], 4) == 1.3204


def test_weights_are_scbs_and_in_scbs_order():
    assert [(v.column, v.weight) for v in CNI_VARIABLES] == [
        ("barn_under_5", 3.23),
        ("utlandsfodda", 5.72),
        ("aldre_ensamboende", 6.15),
        ("ensamstaende_foraldrar", 4.19),
        ("inflyttade", 4.19),
        ("arbetslosa", 5.13),
        ("lagutbildade", 3.97),
    ]
    assert math.isclose(sum(CNI_WEIGHTS.values()), 32.58)


# --- computation ----------------------------------------------------------------------------


def test_shares_index_and_columns():
    out = care_need_index(units(), reference=3.258)
    assert out.columns == [
        "enhet",
        "befolkning",
        *COUNT_COLUMNS,
        *[f"andel_{c}" for c in COUNT_COLUMNS],
        "cni_index",
        "cni_per_invanare",
        "cni",
        "cni_referens",
    ]
    assert out["andel_arbetslosa"].to_list() == [0.1, pytest.approx(1 / 30)]
    assert out["cni_index"].to_list() == [pytest.approx(3258.0)] * 2
    assert out["cni_per_invanare"].to_list() == [pytest.approx(3.258), pytest.approx(1.086)]
    assert out["cni"].to_list() == [pytest.approx(1.0), pytest.approx(1 / 3)]
    assert out["cni_referens"].to_list() == [3.258, 3.258]


def test_reference_none_is_the_frame_as_a_whole():
    out = care_need_index(units(), reference=None)
    # Σ index / Σ population = 6 516 / 4 000: the population-weighted mean CNI is 1.
    assert out["cni_referens"][0] == pytest.approx(6516 / 4000)
    weighted = (out["cni"] * out["befolkning"]).sum() / out["befolkning"].sum()
    assert weighted == pytest.approx(1.0)


def test_reference_row_gets_cni_one_and_stays_in_the_output():
    frame = pl.concat(
        [
            units(),
            pl.DataFrame(
                {"enhet": ["00"], "befolkning": [10000], **{c: [250] for c in COUNT_COLUMNS}}
            ),
        ]
    )
    out = care_need_index(frame, reference="00")
    assert out["enhet"].to_list() == ["A", "B", "00"]
    assert out["cni"].to_list() == [
        pytest.approx(3.258 / 0.8145),
        pytest.approx(1.086 / 0.8145),
        1.0,
    ]


def test_other_columns_pass_through_and_lazy_frames_are_accepted():
    frame = units().with_columns(pl.Series("namn", ["Ett", "Två"]), kommun=pl.lit("0180"))
    out = care_need_index(frame.lazy(), reference=2.5)
    assert out["namn"].to_list() == ["Ett", "Två"]
    assert out["kommun"].to_list() == ["0180", "0180"]


def test_custom_unit_and_population_column_names():
    frame = units().rename({"enhet": "deso", "befolkning": "invanare"})
    out = care_need_index(frame, unit="deso", population="invanare", reference="A")
    assert out["cni"].to_list() == [1.0, pytest.approx(1 / 3)]


def test_float_counts_are_accepted():
    out = care_need_index(units().with_columns(pl.col(COUNT_COLUMNS).cast(pl.Float64)))
    assert out["cni_index"].to_list() == [pytest.approx(3258.0)] * 2


def test_empty_frame_gives_empty_result_with_all_columns():
    out = care_need_index(units().clear())
    assert out.height == 0
    assert {"cni", "cni_index", "cni_referens"} <= set(out.columns)


# --- the national reference -----------------------------------------------------------------

#: Seven per-variable national points that add up to SCB's example total 2,4761 (made up: the
#: example does not give the national counts), each below its weight.
EXAMPLE_POINTS = {
    "barn_under_5": 0.2,
    "utlandsfodda": 0.5,
    "aldre_ensamboende": 0.3,
    "ensamstaende_foraldrar": 0.2,
    "inflyttade": 0.6,
    "arbetslosa": 0.4,
    "lagutbildade": 0.2761,
}


def test_default_reference_is_scbs_example(scb_example):
    counts, expected = scb_example
    out = care_need_index(counts)
    assert out["cni_referens"].to_list() == [SCB_EXAMPLE_NATIONAL_POINTS] * 2
    assert out["cni"].round(4).to_list() == expected["scb_cni"].to_list() == [1.5513, 1.3204]


def test_reference_per_variable_is_summed(scb_example):
    counts, expected = scb_example
    out = care_need_index(counts, reference=EXAMPLE_POINTS)
    assert out["cni_referens"][0] == pytest.approx(2.4761, abs=1e-12)
    assert out["cni"].round(4).to_list() == expected["scb_cni"].to_list()


def test_a_regions_own_national_figure_changes_cni():
    out = care_need_index(units(), reference=3.258 / 2)
    assert out["cni"].to_list() == [pytest.approx(2.0), pytest.approx(2 / 3)]
    assert out["cni_referens"].to_list() == [1.629, 1.629]


def test_national_points_checks_and_returns_the_total():
    assert national_points(2.4761) == 2.4761
    assert national_points(3) == 3.0
    assert national_points(EXAMPLE_POINTS) == pytest.approx(2.4761, abs=1e-12)
    assert national_points(SCB_EXAMPLE_NATIONAL_POINTS) == SCB_EXAMPLE_NATIONAL_POINTS


def test_reference_missing_variables_are_named():
    partial = {k: v for k, v in EXAMPLE_POINTS.items() if k not in {"inflyttade", "lagutbildade"}}
    with pytest.raises(CniError) as info:
        care_need_index(units(), reference=partial)
    assert info.value.problems == (
        'referensen saknar "inflyttade" (personer 1 år eller äldre som flyttat in i området), '
        "förväntade indexpoäng per invånare för var och en av de sju variablerna",
        'referensen saknar "lagutbildade" (lågutbildade 25–64 år), '
        "förväntade indexpoäng per invånare för var och en av de sju variablerna",
    )


def test_reference_invalid_values_are_all_named():
    bad = {
        **EXAMPLE_POINTS,
        "barn_under_5": -0.1,
        "utlandsfodda": float("nan"),
        "aldre_ensamboende": "0,3",
        "arbetslosa": 6.0,
        "lagutbildade": True,
        "okand": 0.1,
    }
    with pytest.raises(CniError) as info:
        national_points(bad)
    assert info.value.problems == (
        'referensen: "barn_under_5" är -0.1, förväntade ett tal från 0 till 3,23 '
        "(vikten; poängen är vikt × andel och andelen kan inte vara över 1)",
        'referensen: "utlandsfodda" är nan, förväntade ett tal från 0 till 5,72 '
        "(vikten; poängen är vikt × andel och andelen kan inte vara över 1)",
        "referensen: \"aldre_ensamboende\" är '0,3' (str), förväntade ett tal "
        "(indexpoäng per invånare)",
        'referensen: "arbetslosa" är 6.0, förväntade ett tal från 0 till 5,13 '
        "(vikten; poängen är vikt × andel och andelen kan inte vara över 1)",
        'referensen: "lagutbildade" är True (bool), förväntade ett tal (indexpoäng per invånare)',
        "referensen har en okänd variabel 'okand', förväntade bara de sju CNI-variablerna "
        "(barn_under_5, utlandsfodda, aldre_ensamboende, ensamstaende_foraldrar, inflyttade, "
        "arbetslosa, lagutbildade)",
    )


def test_reference_of_zero_points_everywhere_is_refused():
    with pytest.raises(CniError, match="referensen har 0 poäng för alla sju variabler"):
        care_need_index(units(), reference=dict.fromkeys(EXAMPLE_POINTS, 0))


def test_reference_total_above_the_sum_of_weights_is_refused():
    # SCB's Index (22 709) typed where points per person (2,4761) belong.
    with pytest.raises(CniError, match=r"högst 32,58 \(summan av vikterna\), fick 22709"):
        care_need_index(units(), reference=22709)


# --- errors ---------------------------------------------------------------------------------


def test_cni_error_is_a_value_error():
    assert issubclass(CniError, ValueError)


def test_missing_variables_are_all_named():
    with pytest.raises(CniError) as info:
        care_need_index(units().drop("inflyttade", "lagutbildade"))
    message = str(info.value)
    assert '"inflyttade", "lagutbildade" saknas' in message
    assert '"enhet"' in message  # lists what the table has, so a typo is easy to spot


def test_negative_count_names_unit_row_and_column():
    with pytest.raises(CniError) as info:
        care_need_index(units(arbetslosa=[5, -3]))
    assert info.value.problems == (
        'enhet "B" (rad 2): "arbetslosa" är negativt (-3), förväntade ett antal ≥ 0',
    )


def test_count_above_population_names_unit_row_and_both_numbers():
    with pytest.raises(CniError) as info:
        care_need_index(units(utlandsfodda=[1200, 10]))
    assert info.value.problems == (
        'enhet "A" (rad 1): "utlandsfodda" = 1200 är fler än "befolkning" = 1000',
    )


def test_missing_count_population_and_unit():
    frame = units(
        enhet=["A", None],
        befolkning=[0, None],
        barn_under_5=[None, 1],
    )
    with pytest.raises(CniError) as info:
        care_need_index(frame)
    assert info.value.problems == (
        'enhet "A" (rad 1): "befolkning" är 0, förväntade fler än 0 (CNI är index per invånare)',
        'enhet "A" (rad 1): "barn_under_5" saknas, förväntade ett antal ≥ 0',
        'rad 2: "befolkning" saknas, förväntade fler än 0 (CNI är index per invånare)',
        'rad 2: "enhet" saknas, förväntade en enhetskod',
    )


def test_repeated_unit_is_refused():
    with pytest.raises(CniError) as info:
        care_need_index(units(enhet=["A", "A"]))
    assert info.value.problems == (
        'enhet "A" (rad 2): "enhet" finns redan på rad 1, förväntade en unik enhetskod',
    )


def test_text_count_column_is_refused():
    with pytest.raises(CniError, match='"arbetslosa" har typen String'):
        care_need_index(units(arbetslosa=["5", "6"]))


@pytest.mark.parametrize(
    "reference", [0, -1.0, float("nan"), float("inf"), 40.0, "X", True, [2.5], {}]
)
def test_bad_reference_is_refused(reference):
    with pytest.raises(CniError, match="referens"):
        care_need_index(units(), reference=reference)


def test_many_problems_are_cut_in_the_message_but_all_kept():
    frame = pl.DataFrame(
        {
            "enhet": [f"U{i}" for i in range(30)],
            "befolkning": [10] * 30,
            **{c: [-1] * 30 for c in COUNT_COLUMNS},
        }
    )
    with pytest.raises(CniError) as info:
        care_need_index(frame)
    assert len(info.value.problems) == 210
    assert str(info.value).endswith("… och 190 fel till")


# --- eligibility ----------------------------------------------------------------------------


def rule_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "enhet": ["A", "B", "C", "D", "E", "F", "G"],
            "befolkning": [8412, 4100, 12000, 5000, 3000, 9000, None],
            "cni": [1.62, 1.9, 0.95, 1.5, 0.7, None, 1.4],
        }
    )


def test_every_unit_is_returned_with_eligibility_and_reason():
    out = eligible_units(rule_frame())
    assert out["enhet"].to_list() == ["A", "B", "C", "D", "E", "F", "G"]
    assert out["eligible"].to_list() == [True, False, False, False, False, False, False]
    assert [plain(r) for r in out["reason"]] == [
        "CNI 1,62 över tröskeln 1,20 och 8 412 listade, fler än 5 000",
        "för få listade: 4 100, gränsen är 5 000",
        "CNI 0,95 inte över tröskeln 1,20",
        "för få listade: 5 000, det krävs fler än 5 000",
        "CNI 0,70 inte över tröskeln 1,20; för få listade: 3 000, gränsen är 5 000",
        "CNI saknas",
        "antal listade saknas",
    ]


def test_thousands_use_a_non_breaking_space():
    out = eligible_units(rule_frame().head(1))
    assert f"8{NBSP}412 listade" in out["reason"][0]


def test_thresholds_are_editable():
    out = eligible_units(rule_frame(), cni_threshold=0.9, min_listed=4000)
    assert out["eligible"].to_list() == [True, True, True, True, False, False, False]
    assert plain(out["reason"][1]) == "CNI 1,90 över tröskeln 0,90 och 4 100 listade, fler än 4 000"


def test_cni_equal_to_threshold_is_not_above_it():
    out = eligible_units(pl.DataFrame({"enhet": ["A"], "befolkning": [6000], "cni": [1.2]}))
    assert out["eligible"].to_list() == [False]
    assert out["reason"][0] == "CNI 1,20 inte över tröskeln 1,20"


def test_computed_cni_of_exactly_one_point_two_times_the_reference_is_not_above_1_20():
    # 120 of everything against a reference of 100, same population: CNI is 1,2 exactly, but
    # floating point gives 1.2000000000000002, which must not count as above the threshold.
    frame = pl.DataFrame(
        {
            "enhet": ["00", "U"],
            "befolkning": [6000, 6000],
            **{c: [100, 120] for c in COUNT_COLUMNS},
        }
    )
    cni = care_need_index(frame, reference="00")
    assert cni["cni"][1] > 1.2  # the float artefact this rule has to absorb
    out = eligible_units(cni.filter(pl.col("enhet") == "U"))
    assert out["eligible"].to_list() == [False]
    assert out["reason"].to_list() == ["CNI 1,20 inte över tröskeln 1,20"]


def test_cni_that_rounds_to_the_threshold_is_not_above_it():
    cnis = [1.2000000000000002, 1.2004, 1.1996, 1.2049, 1.195]
    frame = pl.DataFrame({"enhet": list("ABCDE"), "befolkning": [6000] * 5, "cni": cnis})
    out = eligible_units(frame)
    assert out["eligible"].to_list() == [False] * 5
    assert out["reason"].to_list() == ["CNI 1,20 inte över tröskeln 1,20"] * 5


def test_real_differences_at_two_decimals_still_decide():
    frame = pl.DataFrame(
        {"enhet": ["A", "B", "C"], "befolkning": [6000] * 3, "cni": [1.21, 1.205, 1.19]}
    )
    out = eligible_units(frame)
    assert out["eligible"].to_list() == [True, True, False]
    assert [plain(r) for r in out["reason"]] == [
        "CNI 1,21 över tröskeln 1,20 och 6 000 listade, fler än 5 000",
        "CNI 1,21 över tröskeln 1,20 och 6 000 listade, fler än 5 000",
        "CNI 1,19 inte över tröskeln 1,20",
    ]


def test_reasons_never_show_more_than_two_decimals():
    # A threshold taken from the data (a median) has many decimals; it is shown, and compared,
    # at two like the CNI values.
    frame = pl.DataFrame(
        {
            "enhet": ["A", "B", "C"],
            "befolkning": [6000] * 3,
            "cni": [1.2351, 1.2349, 1.23456789 + 1e-12],
        }
    )
    out = eligible_units(frame, cni_threshold=1.23456789)
    assert out["eligible"].to_list() == [True, False, False]
    assert [plain(r) for r in out["reason"]] == [
        "CNI 1,24 över tröskeln 1,23 och 6 000 listade, fler än 5 000",
        "CNI 1,23 inte över tröskeln 1,23",
        "CNI 1,23 inte över tröskeln 1,23",
    ]
    assert not out["reason"].str.contains(r"\d,\d{3}").any()


def test_non_finite_cni_is_treated_as_missing():
    frame = pl.DataFrame(
        {"enhet": ["A", "B"], "befolkning": [6000, 6000], "cni": [float("inf"), float("nan")]}
    )
    out = eligible_units(frame)
    assert out["eligible"].to_list() == [False, False]
    assert out["reason"].to_list() == ["CNI saknas", "CNI saknas"]


def test_text_cni_column_is_refused():
    frame = pl.DataFrame({"enhet": ["A"], "befolkning": [6000], "cni": ["1,5"]})
    with pytest.raises(CniError, match='"cni" har typen String'):
        eligible_units(frame)


def test_eligibility_on_computed_cni_with_region_median_threshold():
    frame = units(enhet=["A", "B"], befolkning=[6000, 9000])
    cni = care_need_index(frame)
    out = eligible_units(cni, cni_threshold=cni["cni"].median())
    assert out["eligible"].to_list() == [True, False]
    assert "enhet" in out.columns and "cni_index" in out.columns


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cni_threshold": -1}, "cni_threshold"),
        ({"cni_threshold": float("inf")}, "cni_threshold"),
        ({"cni_threshold": "1,2"}, "cni_threshold"),
        ({"min_listed": -5}, "min_listed"),
        ({"min_listed": 50.5}, "min_listed"),
    ],
)
def test_bad_thresholds_are_refused(kwargs, match):
    with pytest.raises(CniError, match=match):
        eligible_units(rule_frame(), **kwargs)


def test_eligibility_needs_cni_columns():
    with pytest.raises(CniError, match='"cni" saknas'):
        eligible_units(rule_frame().drop("cni"))
