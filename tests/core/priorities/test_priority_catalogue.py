"""The starting catalogue: only confirmed priorities, unknowns reported, malformed files refused."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from halsogap.priorities import PrioritiesInputError, read_catalogue
from halsogap.priorities.catalogue import DEFAULT_CATALOGUE, HABITS

HEADER = (
    "code,title,kind,perspective,habit,target_group,intervention,evidence,guideline_priority,"
    "guideline_band,severity,benefit,cost_one_off_sek,cost_yearly_sek,cost_per_qaly_sek,"
    "effect_indicator,effect_per_person,reach,uptake,source,note\n"
)
GOOD = "X1,Titel,preventive,individual,tobak,vuxna,samtal,high,4,,stor,måttlig,1000,,,,0.01,100,0.5,Källa,\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "katalog.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_starting_catalogue_covers_the_four_habits_and_is_sourced():
    measures = read_catalogue().measures
    assert measures.height == 12
    assert set(measures["habit"]) == set(HABITS)
    assert measures["source"].str.contains("Socialstyrelsen").all()
    assert (DEFAULT_CATALOGUE.parent / "SOURCE.md").exists()


def test_only_the_confirmed_priority_is_filled_and_the_rest_are_reported_unknown():
    catalogue = read_catalogue()
    known = catalogue.measures.filter(pl.col("priority_known"))
    assert known.select("code", "guideline_priority", "guideline_rank").rows() == [
        ("LV-TOB-02", "3", 3)
    ]
    assert len(catalogue.unknown_priority) == 11
    assert "LV-TOB-01" in catalogue.unknown_priority
    note = catalogue.measures.filter(pl.col("code") == "LV-TOB-01")["priority_note"].item()
    assert "okänd" in note and "bör erbjudas (1–3)" in note
    assert any("okänd för 11 av 12" in line for line in catalogue.notes())


def test_costs_effects_and_evidence_are_left_empty_not_invented():
    catalogue = read_catalogue()
    measures = catalogue.measures
    for column in ("evidence", "cost_one_off_sek", "cost_yearly_sek", "effect_per_person", "reach"):
        assert measures[column].null_count() == measures.height, column
    assert len(catalogue.missing_effect) == 12
    assert any("Effektskattning saknas för 12" in line for line in catalogue.notes())


def test_severity_and_benefit_only_where_the_recommendation_text_states_them():
    measures = read_catalogue().measures.filter(pl.col("severity").is_not_null())
    assert measures.select("code", "severity", "benefit").rows() == [
        ("LV-TOB-01", "mycket stor", "måttlig"),
        ("LV-ALK-01", "stor", "liten"),
    ]


def test_an_analyst_filled_row_is_typed(tmp_path):
    catalogue = read_catalogue(write(tmp_path, GOOD))
    row = catalogue.measures.row(0, named=True)
    assert row["evidence"] == "high" and row["evidence_sv"] == "hög"
    assert row["guideline_rank"] == 4 and row["priority_known"]
    assert row["cost_one_off_sek"] == 1000.0 and row["effect_known"]
    assert row["kind_sv"] == "förebyggande" and row["perspective_sv"] == "individ/patient"
    assert catalogue.unknown_priority == [] and catalogue.missing_effect == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (GOOD.replace("preventive", "magic"), "kind"),
        (GOOD.replace("individual", "patient"), "perspective"),
        (GOOD.replace(",tobak,", ",spel,"), "habit"),
        (GOOD.replace(",high,", ",strong,"), "evidence"),
        (GOOD.replace(",4,", ",11,"), "guideline_priority"),
        (GOOD.replace(",1000,", ",-5,"), "negativt"),
        (GOOD.replace(",0.5,", ",1.5,"), "uptake"),
        (GOOD.replace(",stor,", ",enorm,"), "severity"),
        (GOOD + GOOD, "finns redan"),
        (GOOD.replace("Titel", ""), "title saknas"),
    ],
)
def test_malformed_rows_are_refused_with_the_line(tmp_path, bad, message):
    with pytest.raises(PrioritiesInputError, match=message) as error:
        read_catalogue(write(tmp_path, bad))
    assert "rad " in str(error.value)


def test_icke_gora_and_fou_are_accepted_as_guideline_priorities(tmp_path):
    body = (
        GOOD
        + GOOD.replace("X1", "X2").replace(",4,", ",fou,")
        + GOOD.replace("X1", "X3").replace(",4,", ",Icke-göra,")
    )
    measures = read_catalogue(write(tmp_path, body)).measures
    assert measures["guideline_priority"].to_list() == ["4", "FoU", "icke-göra"]
    assert measures["guideline_rank"].to_list() == [4, None, None]


def test_a_file_without_required_columns_is_refused(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("code,title\nX,Y\n", encoding="utf-8")
    with pytest.raises(PrioritiesInputError, match="saknar kolumnerna"):
        read_catalogue(path)
    with pytest.raises(PrioritiesInputError, match="kan inte läsas"):
        read_catalogue(tmp_path / "finns-inte.csv")
