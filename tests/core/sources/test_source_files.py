"""Files in the sources' own formats go through the same import checks as a typed file.

The SCB files are real recorded responses; the Folkhälsodata and PC-Axis files are written in
the sources' documented shapes (tests/fixtures/sources/SOURCE.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from halsogap.imports import ImportFileError, parse_observations
from halsogap.sources import read_source_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
AREAS = {"00", "01", "0180", "0162"}


def parse(name: str, *, indicators: set[str], areas=AREAS, **kwargs):
    path = FIXTURES / name
    return parse_observations(
        path.read_bytes(), name, known_areas=areas, known_indicators=indicators, **kwargs
    )


def test_scbs_json_stat_cell_becomes_one_observation_with_its_table_and_fixed_choices():
    result = parse("v2_TAB638_data_jsonstat2.json", indicators={"BE0101N1"})
    assert result.ok, result.messages()
    assert str(result.format) == "json-stat2"
    row = result.rows.row(0, named=True)
    assert (row["indicator"], row["area"], row["period"], row["sex"], row["age_band"]) == (
        "BE0101N1",
        "00",
        "2024",
        "M",
        "0-0",
    )
    assert row["value"] == 50937
    assert result.source["table"] == "TAB638" and result.source["source"] == "SCB"
    assert result.source["fixed"] == {"civilstånd": "ogifta"}
    assert result.source["units"]["BE0101N1"]["base"] == "antal personer"


def test_a_table_without_region_is_riket_and_each_sex_its_own_row():
    result = parse("v2_TAB5974_data_jsonstat2.json", indicators={"BEFPROG"}, indicator="BEFPROG")
    assert result.ok, result.messages()
    values = dict(result.rows.select("sex", "value").rows())
    assert values == {"M": 50080, "K": 47361}
    assert set(result.rows["area"]) == {"00"}


def test_pxweb_v1_json_with_a_dimension_hälsogap_cannot_store_is_refused_by_name():
    with pytest.raises(ImportFileError) as caught:
        parse("v1_BefolkningNy_data_json.json", indicators={"BE0101N1"})
    message = str(caught.value)
    assert 'dimensionen "civilstånd"' in message and "4 värden: OG, G, SK, ÄNKL" in message


def test_folkhalsodata_intervals_and_bases_fill_the_values_row_and_hidden_cells_are_flagged():
    result = parse("folkhalsodata_rokning.json", indicators={"ROK"}, indicator="ROK")
    assert result.ok, result.messages()
    rows = {(r["area"], r["sex"]): r for r in result.rows.iter_rows(named=True)}
    assert len(rows) == 6
    riket = rows[("00", "T")]
    assert (riket["value"], riket["lower"], riket["upper"], riket["denominator"]) == (
        6.0,
        5.7,
        6.3,
        90000,
    )
    assert riket["period"] == "2019-2022"
    women = rows[("01", "K")]
    assert women["suppressed"] is True and women["value"] is None
    assert rows[("01", "M")]["value"] == 5.0


def test_a_pc_axis_file_in_windows_1252_is_read_with_codes_names_and_a_suppressed_cell():
    result = parse("folkmangd.px", indicators={"BE0101A1"})
    assert result.ok, result.messages()
    assert str(result.format) == "px"
    values = {(r["area"], r["sex"]): r["value"] for r in result.rows.iter_rows(named=True)}
    assert values[("0180", "M")] == 492929 and values[("0180", "K")] == 491819
    assert values[("0162", "M")] == 16472 and values[("0162", "K")] is None
    assert result.source["table"] == "BE0101A1"
    assert result.source["label"].startswith("Folkmängd efter region")


def test_an_unknown_area_in_a_source_file_is_named_with_its_row_and_nothing_is_kept():
    result = parse("folkmangd.px", indicators={"BE0101A1"}, areas={"0180"})
    assert not result.ok and result.rows.height == 0
    assert result.messages()[0].startswith('folkmangd.px, rad 4, kolumn "område"')
    assert '"0162"' in result.messages()[0]


def test_a_pc_axis_file_with_too_few_cells_is_refused_whole():
    text = (FIXTURES / "folkmangd.px").read_bytes().replace(b'16472 "..";', b"16472;")
    with pytest.raises(ImportFileError, match=r'4 värden i DATA \(2 × 2 × 1\), fick "3 värden"'):
        parse_observations(text, "kort.px", known_areas=AREAS, known_indicators={"BE0101A1"})


def test_a_table_descriptor_is_not_taken_for_data():
    data = (FIXTURES / "v2_TAB5974_table.json").read_bytes()
    with pytest.raises(ValueError, match="JSON-stat 2.0 eller PX-Webs JSON-svar"):
        read_source_file(data, "v2_TAB5974_table.json")
