"""The two layouts: detection, aliases, Kolada area ids, and the shipped example files."""

from __future__ import annotations

import polars as pl
import pytest

from halsogap.imports import ImportFileError, ImportFormat, empty_rows

KOLADA = "kpi,kolada_id,year,sex,value\n"


def test_it_parses_the_good_kolada_extract_with_scb_codes_and_years_as_text(parse, fixtures_dir):
    path = fixtures_dir / "kolada_utdrag.csv"
    result = parse(path.read_bytes(), path.name)
    assert result.ok, result.messages()
    assert result.format is ImportFormat.KOLADA
    assert result.row_count == 40
    assert set(result.rows["area"]) == {"00", "01", "14", "0180", "1480"}
    assert set(result.rows["period"]) == {"2021", "2022"}
    smokers = result.rows.filter(
        (pl.col("indicator") == "U01402")
        & (pl.col("area") == "0180")
        & (pl.col("sex") == "K")
        & (pl.col("period") == "2022")
    )
    assert smokers["value"].to_list() == [5.0]


@pytest.mark.parametrize(
    ("kolada_id", "scb"),
    [("0000", "00"), ("0001", "01"), ("0014", "14"), ("0180", "0180"), ("1480", "1480")],
)
def test_it_maps_kolada_area_ids_to_scb_codes(parse, kolada_id, scb):
    result = parse(f"{KOLADA}N00923,{kolada_id},2022,T,80\n")
    assert result.rows["area"].to_list() == [scb]


def test_it_accepts_the_kolada_column_aliases_and_lowercase_sex(parse):
    result = parse("kpi;municipality_id;period;gender;value\nN00923;0180;2022;k;80,5\n")
    assert result.format is ImportFormat.KOLADA
    assert result.rows.select("area", "sex", "value").row(0) == ("0180", "K", 80.5)
    municipality = parse("KPI,Municipality,Year,Gender,Value\nN00923,0001,2022,m,1\n")
    assert municipality.rows.select("area", "sex").row(0) == ("01", "M")


def test_it_defaults_sex_to_total_when_a_kolada_file_has_no_sex_column(parse):
    assert parse("kpi,kolada_id,year,value\nN00923,0000,2022,1\n").rows["sex"].to_list() == ["T"]


def test_it_names_the_kolada_column_as_written_when_an_area_is_unknown(parse):
    result = parse("kpi,municipality,year,value\nN00923,0099,2022,1\n", "k.csv")
    assert [str(e) for e in result.errors] == [
        'k.csv, rad 2, kolumn "municipality": förväntade en känd Kolada-områdeskod '
        '("0000" riket, "00LL" län, "KKKK" kommun), fick "0099"'
    ]


def test_it_detects_the_tidy_format_and_fills_defaults(parse):
    result = parse("indicator,area,period,value\nI1,0180,2022,4\n")
    assert result.format is ImportFormat.TIDY
    assert result.rows.row(0, named=True) == {
        "indicator": "I1",
        "area": "0180",
        "period": "2022",
        "sex": "T",
        "age_band": "",
        "socioeconomic_group": "",
        "value": 4.0,
        "numerator": None,
        "denominator": None,
        "lower": None,
        "upper": None,
        "suppressed": False,
        "provisional": False,
        "break_in_series": False,
    }


def test_the_normalised_frame_always_has_the_documented_schema(parse):
    result = parse("indicator,area,period,value\nI1,01,2022,1\n")
    assert result.rows.schema == empty_rows().schema
    assert dict(empty_rows().schema) == {
        **dict.fromkeys(
            ["indicator", "area", "period", "sex", "age_band", "socioeconomic_group"], pl.String
        ),
        **dict.fromkeys(["value", "numerator", "denominator", "lower", "upper"], pl.Float64),
        **dict.fromkeys(["suppressed", "provisional", "break_in_series"], pl.Boolean),
    }


def test_an_explicit_format_overrides_detection_and_an_unknown_one_is_refused(parse):
    content = "kpi,kolada_id,year,value\nN00923,0001,2022,1\n"
    with pytest.raises(ImportFileError, match='kolumn "indicator"'):
        parse(content, format="tidy")
    assert parse(content, format=ImportFormat.KOLADA).ok
    with pytest.raises(ImportFileError, match='formaten "kolada", "tidy"'):
        parse(content, format="excel")


def test_it_lists_columns_it_ignored(parse):
    result = parse("indicator,area,period,value,kommentar\nI1,01,2022,1,hej\n")
    assert result.ok and result.ignored_columns == ("kommentar",)


def test_it_parses_the_documented_tidy_example_as_csv_and_xlsx_alike(parse, fixtures_dir):
    csv_path = fixtures_dir / "egen_indikator_exempel.csv"
    xlsx_path = fixtures_dir / "egen_indikator_exempel.xlsx"
    from_csv = parse(csv_path.read_bytes(), csv_path.name)
    from_xlsx = parse(xlsx_path.read_bytes(), xlsx_path.name)
    assert from_csv.ok, from_csv.messages()
    assert from_xlsx.ok, from_xlsx.messages()
    assert from_csv.row_count == 6
    assert from_xlsx.rows.equals(from_csv.rows)
    suppressed = from_csv.rows.filter(pl.col("suppressed"))
    assert suppressed.select("socioeconomic_group", "value", "provisional").row(0) == (
        "förgymnasial",
        None,
        True,
    )


def test_it_reads_the_other_period_forms_and_normalises_dashes(parse):
    content = "indicator;area;period;age_band;value\n" + "".join(
        f"I1;01;{p};{a};1\n"
        for p, a in [("2018–2021", "16–84"), ("2022k1", "65+"), ("2022M03", "0 - 5"), ("1999", "")]
    )
    result = parse(content)
    assert result.ok, result.messages()
    assert result.rows["period"].to_list() == ["2018-2021", "2022K1", "2022M03", "1999"]
    assert result.rows["age_band"].to_list() == ["16-84", "65+", "0-5", ""]


def test_it_accepts_sub_kommun_area_codes_the_caller_knows(parse):
    assert parse("indicator,area,period,value\nI1,0114A0010,2022,1\n").ok
