"""The ethical-platform rank suggestion, rule by rule (Prioriteringscentrum 2017, step 7)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import polars as pl
import pytest

from halsogap.priorities import DEFAULT_PARAMS, VGR_PARAMS, PrioritiesInputError, suggest_rank
from halsogap.priorities._common import BENEFIT, COST_BAND, EVIDENCE, SEVERITY
from halsogap.priorities.ranking import PRESETS, cost_band, recommendation_text, suggest_ranks


def reference_encoding(sev, ben, cost, evid):
    """The governance reference's encoding (§2.2), copied verbatim as the oracle."""
    SEV = {"mycket stor": 1, "stor": 3, "måttlig": 5, "liten": 7}
    BEN_PENALTY = {"mycket stor": 0, "stor": 1, "måttlig": 2, "liten": 3, "ingen": None}
    COST_PENALTY = {"låg": 0, "måttlig": 0, "hög": 1, "mycket hög": 2}
    EVID_PENALTY = {"hög": 0, "måttlig": 0, "låg": 1, "mycket låg": "FoU"}
    if BEN_PENALTY[ben] is None:
        return "icke-göra"
    if EVID_PENALTY[evid] == "FoU":
        return "FoU"
    r = SEV[sev] + BEN_PENALTY[ben] + COST_PENALTY[cost] + EVID_PENALTY[evid]
    return min(max(r, 1), 10)


def test_default_params_reproduce_the_reference_encoding_for_all_400_combinations():
    for combo in itertools.product(SEVERITY, BENEFIT, COST_BAND, EVIDENCE):
        assert suggest_rank(*combo).rank == reference_encoding(*combo), combo


# Rule 1: the start level comes from severity.
@pytest.mark.parametrize(
    ("severity", "start"), [("mycket stor", 1), ("stor", 3), ("måttlig", 5), ("liten", 7)]
)
def test_start_level_from_severity(severity, start):
    result = suggest_rank(severity, "mycket stor", "låg", "hög")
    assert result.rank == start
    assert result.steps[0] == f'Startnivå från svårighetsgrad "{severity}": {start}.'


# Rule 2: benefit below what the severity allows lowers the rank; "ingen" means icke-göra.
@pytest.mark.parametrize(
    ("benefit", "rank"), [("mycket stor", 3), ("stor", 4), ("måttlig", 5), ("liten", 6)]
)
def test_benefit_lowers_the_rank(benefit, rank):
    result = suggest_rank("stor", benefit, "låg", "hög")
    assert result.rank == rank
    assert result.steps[1].startswith(f'Patientnytta "{benefit}"')


def test_no_benefit_is_icke_gora_whatever_the_rest():
    result = suggest_rank("mycket stor", "ingen", "låg", "mycket låg")
    assert result.rank == "icke-göra"
    assert result.recommendation == "bör inte utföras (icke-göra)"
    assert "icke-göra" in result.steps[-1] and len(result.steps) == 2


# Rule 3: high or very high cost per benefit lowers; low and moderate keep.
@pytest.mark.parametrize(
    ("cost", "band", "rank"),
    [
        (99_999, "låg", 3),
        (100_000, "måttlig", 3),
        (499_999, "måttlig", 3),
        (500_000, "hög", 4),
        (999_999, "hög", 4),
        (1_000_000, "mycket hög", 5),
        ("låg", "låg", 3),
        ("hög", "hög", 4),
        ("very_high", "mycket hög", 5),
    ],
)
def test_cost_per_qaly_band_and_adjustment(cost, band, rank):
    assert cost_band(cost) == band
    result = suggest_rank("stor", "mycket stor", cost, "hög")
    assert result.rank == rank
    assert f'band "{band}"' in result.steps[2]


def test_unknown_cost_is_not_a_reason_to_lower_and_says_so():
    result = suggest_rank("stor", "stor", None, "hög")
    assert result.rank == 4
    assert result.steps[2].startswith("Kostnad per QALY okänd: ingen justering")


def test_negative_cost_is_refused():
    with pytest.raises(PrioritiesInputError):
        suggest_rank("stor", "stor", -1, "hög")


# Rule 4: low evidence lowers; very low means FoU.
@pytest.mark.parametrize(
    ("evidence", "rank"), [("hög", 3), ("måttlig", 3), ("låg", 4), ("mycket låg", "FoU")]
)
def test_evidence_adjustment(evidence, rank):
    result = suggest_rank("stor", "mycket stor", "låg", evidence)
    assert result.rank == rank
    if rank == "FoU":
        assert result.recommendation == "endast inom forskning och utveckling"


# Rule 5: clamping to 1–10.
def test_clamped_to_ten():
    # 7 (liten) + 3 (liten nytta) + 2 (mycket hög kostnad) + 1 (låg evidens) = 13 → 10.
    result = suggest_rank("liten", "liten", "mycket hög", "låg")
    assert result.rank == 10
    assert result.steps[-2].endswith("→ 13.")
    assert result.steps[-1] == "Inom skalan 1–10: 10."


def test_clamped_to_one_with_edited_lifting_steps():
    params = replace(
        DEFAULT_PARAMS, benefit_penalty={**DEFAULT_PARAMS.benefit_penalty, "mycket stor": -2}
    )
    result = suggest_rank("mycket stor", "mycket stor", "låg", "hög", params=params)
    assert result.rank == 1
    assert "höjs 2 steg → -1" in result.steps[1]


# Rule 6: the VGR preset's severity cap.
def test_vgr_cap_stops_a_rank_from_rising_above_the_severity_level():
    # stor → 3; nytta mycket stor 0; låg kostnad −1 → 2; hög evidens −1 → 1; tak 3.
    result = suggest_rank("stor", "mycket stor", "låg", "hög", params=VGR_PARAMS)
    assert result.rank == 3
    assert any(step.startswith("Tak från svårighetsgraden") for step in result.steps)
    uncapped = replace(VGR_PARAMS, severity_cap=False)
    assert suggest_rank("stor", "mycket stor", "låg", "hög", params=uncapped).rank == 1


def test_vgr_cap_does_not_touch_a_rank_already_below_the_severity_level():
    result = suggest_rank("stor", "liten", "hög", "låg", params=VGR_PARAMS)
    assert result.rank == 3 + 3 + 1 + 1
    assert not any("Tak" in step for step in result.steps)


def test_steps_come_in_the_models_order():
    steps = suggest_rank("måttlig", "stor", 700_000, "låg").steps
    prefixes = ["Startnivå", "Patientnytta", "Kostnad per QALY", "Kunskapsunderlag", "Inom skalan"]
    assert [s.split(" ")[0] for s in steps] == [p.split(" ")[0] for p in prefixes]


def test_parameters_are_editable_and_returned_with_the_result():
    params = replace(
        DEFAULT_PARAMS,
        name="region x",
        severity_start={"mycket stor": 2, "stor": 4, "måttlig": 6, "liten": 8},
    )
    result = suggest_rank("stor", "mycket stor", "låg", "hög", params=params)
    assert result.rank == 4
    assert result.params["name"] == "region x"
    assert result.params["severity_start"]["stor"] == 4
    assert result.as_dict()["inputs"]["cost_band"] == "låg"
    assert set(PRESETS) == {"standard", "vgr-svårighetstak"}


def test_english_labels_and_the_needs_engines_severity_numbers_are_read():
    assert (
        suggest_rank(4, "large", "moderate", "high").rank
        == suggest_rank("mycket stor", "stor", "måttlig", "hög").rank
    )
    assert suggest_rank("Very large", "small", "low", "very_low").rank == "FoU"
    assert suggest_rank("stor", "stor", "låg", "begränsat").rank == 5


@pytest.mark.parametrize(
    "bad",
    [
        ("enorm", "stor", "låg", "hög"),
        ("stor", "stor", "gratis", "hög"),
        ("stor", "stor", "låg", "okänd"),
        (5, "stor", "låg", "hög"),
    ],
)
def test_unknown_labels_are_refused(bad):
    with pytest.raises(PrioritiesInputError):
        suggest_rank(*bad)


@pytest.mark.parametrize(
    ("rank", "text"),
    [
        (1, "bör erbjudas"),
        (3, "bör erbjudas"),
        (4, "kan erbjudas"),
        (7, "kan erbjudas"),
        (8, "kan erbjudas i undantagsfall"),
        (10, "kan erbjudas i undantagsfall"),
    ],
)
def test_recommendation_wording_follows_socialstyrelsens_scale(rank, text):
    assert recommendation_text(rank) == text


def test_suggest_ranks_over_a_frame_leaves_unassessed_rows_unassessed():
    frame = pl.DataFrame(
        {
            "severity": ["mycket stor", "stor", None],
            "benefit": ["måttlig", "ingen", "stor"],
            "cost_per_qaly": ["låg", None, "låg"],
            "evidence": ["hög", "hög", "hög"],
        }
    )
    out = suggest_ranks(frame)
    assert out["suggested_rank"].to_list() == ["3", "icke-göra", None]
    assert out["rank_number"].to_list() == [3, None, None]
    assert out["explanation"][2] == "Ej bedömd: svårighetsgrad saknas."
