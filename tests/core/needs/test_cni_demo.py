"""The synthetic CNI demo set: readable, plainly synthetic, plausible, and rebuilt identically."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest

from halsogap.needs import (
    SCB_EXAMPLE_NATIONAL_POINTS,
    care_need_index,
    eligible_units,
    read_cni_counts,
)

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "data" / "demo" / "cni"
CSV = DEMO / "vardcentraler_syntetiska.csv"


@pytest.fixture(scope="module")
def demo() -> pl.DataFrame:
    kommuner = pl.read_csv(
        ROOT / "data" / "demo" / "codes" / "municipality_county.csv",
        schema_overrides={"municipality_code": pl.String},
    )["municipality_code"]
    return read_cni_counts(CSV.read_bytes(), CSV.name, known_kommuner=kommuner)


def test_every_unit_is_labelled_synthetic(demo):
    assert demo["namn"].str.ends_with("(syntetisk)").all()
    assert demo["namn"].str.starts_with("Vårdcentral Exempel ").all()
    assert demo["enhet"].str.starts_with("SYN-").all()
    note = (DEMO / "SOURCE.md").read_text("utf-8")
    assert "SYNTETISKA" in note and "påhittade data" in note


def test_stockholm_and_a_few_skane_units_with_plausible_sizes(demo):
    regions = demo["kommun"].str.slice(0, 2).value_counts().sort("kommun")
    assert dict(regions.iter_rows()) == {"01": 30, "12": 8}
    assert demo["befolkning"].min() >= 2000 and demo["befolkning"].max() <= 25000


def test_cni_spans_a_plausible_range_and_some_units_are_eligible(demo):
    out = eligible_units(care_need_index(demo, reference=SCB_EXAMPLE_NATIONAL_POINTS))
    assert 0.4 <= out["cni"].min() < 0.7
    assert 2.0 < out["cni"].max() <= 2.6
    assert 0 < out["eligible"].sum() < out.height / 2
    # Both kinds of refusal occur, so the demo shows every reason.
    assert out["reason"].str.starts_with("för få listade").any()
    assert out["reason"].str.contains("inte över tröskeln").any()


def test_the_script_rebuilds_the_committed_file_exactly():
    spec = importlib.util.spec_from_file_location(
        "build_cni_demo", ROOT / "scripts" / "build_cni_demo.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt = module.build()
    committed = pl.read_csv(CSV, separator=";", schema_overrides={"kommun": pl.String})
    assert rebuilt.equals(committed)
    assert module.source_note(rebuilt) == (DEMO / "SOURCE.md").read_text("utf-8")
