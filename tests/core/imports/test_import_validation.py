"""Every rejection rule, with the exact message the user reads, and the all-or-nothing result."""

from __future__ import annotations

import hashlib

import polars as pl
import pytest

HEADER = "indicator;area;period;sex;age_band;value;numerator;denominator;lower;upper;suppressed\n"
GOOD = "I1;01;2022;T;16-84;9,8;;;;;\n"


def only_message(result) -> str:
    assert result.rows.height == 0, "a file with errors must yield no rows to write"
    assert len(result.errors) == 1, result.messages()
    return str(result.errors[0])


def test_it_rejects_an_unknown_area_code_naming_row_and_column(parse):
    result = parse(HEADER + GOOD + "I1;9999;2022;T;16-84;9,8;;;;;\n", "a.csv")
    assert only_message(result) == (
        'a.csv, rad 3, kolumn "area": förväntade en känd SCB-områdeskod '
        '(t.ex. "00" riket, "01" län, "0180" kommun), fick "9999"'
    )


def test_it_rejects_a_missing_area_code(parse):
    result = parse(HEADER + "I1;;2022;T;16-84;9,8;;;;;\n", "a.csv")
    assert (
        only_message(result) == 'a.csv, rad 2, kolumn "area": förväntade en områdeskod, fick tomt'
    )


def test_it_rejects_an_unknown_indicator_naming_row_and_column(parse):
    result = parse(HEADER + "OKAND;01;2022;T;16-84;9,8;;;;;\n", "i.csv")
    assert only_message(result) == (
        'i.csv, rad 2, kolumn "indicator": förväntade en känd indikatorkod, fick "OKAND"'
    )


def test_it_rejects_a_non_numeric_value_naming_row_and_column(parse):
    result = parse(HEADER + GOOD * 0 + "I1;01;2022;T;16-84;abc;;;;;\n", "befolkning.csv")
    assert only_message(result) == (
        'befolkning.csv, rad 2, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5), '
        'fick "abc"'
    )


@pytest.mark.parametrize("column", ["numerator", "denominator", "lower", "upper"])
def test_it_rejects_non_numeric_counts_and_limits(parse, column):
    content = f"indicator;area;period;value;{column}\nI1;01;2022;1;många\n"
    assert f'kolumn "{column}": förväntade ett tal' in only_message(parse(content))


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_it_rejects_a_negative_count_naming_row_and_column(parse, column):
    content = f"indicator;area;period;value;{column}\nI1;01;2022;1;-3\n"
    assert only_message(parse(content, "n.csv")) == (
        f'n.csv, rad 2, kolumn "{column}": förväntade ett antal som är 0 eller större, fick "-3"'
    )


def test_it_rejects_numerator_above_denominator_naming_row_and_column(parse):
    result = parse(HEADER + "I1;01;2022;T;16-84;120;120;100;;;\n", "k.csv")
    assert only_message(result) == (
        'k.csv, rad 2, kolumn "numerator": förväntade högst nämnaren ("denominator" = 100), '
        'fick "120"'
    )


def test_it_accepts_numerator_equal_to_denominator(parse):
    assert parse(HEADER + "I1;01;2022;T;16-84;100;100;100;;;\n").ok


def test_it_rejects_lower_limit_above_upper_limit_naming_row_and_column(parse):
    result = parse(HEADER + "I1;01;2022;T;16-84;50;;;60,5;40;\n", "g.csv")
    assert only_message(result) == (
        'g.csv, rad 2, kolumn "lower": förväntade högst den övre gränsen ("upper" = 40), '
        'fick "60,5"'
    )


@pytest.mark.parametrize("sex", ["X", "kvinnor", "2"])
def test_it_rejects_an_unknown_sex_code(parse, sex):
    result = parse(HEADER + f"I1;01;2022;{sex};16-84;1;;;;;\n", "s.csv")
    assert only_message(result) == (
        's.csv, rad 2, kolumn "sex": förväntade ett kön: T (totalt), K (kvinnor) eller M (män), '
        f'fick "{sex}"'
    )


@pytest.mark.parametrize("period", ["22", "2022-2020", "2022Q1", "2022K5", "1850", "år 2022", ""])
def test_it_rejects_a_bad_period(parse, period):
    result = parse(HEADER + f"I1;01;{period};T;16-84;1;;;;;\n", "p.csv")
    shown = f'"{period}"' if period else "tomt"
    assert only_message(result) == (
        'p.csv, rad 2, kolumn "period": förväntade en period som "2022", "2018-2021", '
        f'"2022K1" eller "2022M03", fick {shown}'
    )


@pytest.mark.parametrize("age", ["84-16", "vuxna", "16-", "1000+"])
def test_it_rejects_a_malformed_age_band(parse, age):
    result = parse(HEADER + f"I1;01;2022;T;{age};1;;;;;\n")
    assert 'kolumn "age_band": förväntade en åldersgrupp' in only_message(result)


def test_it_rejects_an_empty_value_unless_the_row_is_suppressed(parse):
    result = parse(HEADER + "I1;01;2022;T;16-84;;;;;;\nI1;01;2022;K;16-84;;;;;;ja\n", "v.csv")
    assert only_message(result) == (
        'v.csv, rad 2, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5) – tomt bara '
        'när "suppressed" är satt, fick tomt'
    )


@pytest.mark.parametrize(
    ("word", "flag"),
    [("1", True), ("ja", True), ("TRUE", True), ("x", True), ("X", True)]
    + [("0", False), ("nej", False), ("false", False), ("", False)],
)
def test_it_reads_the_documented_flag_words(parse, word, flag):
    result = parse(f"indicator;area;period;value;provisional\nI1;01;2022;1;{word}\n")
    assert result.rows["provisional"].to_list() == [flag]


def test_it_rejects_an_unreadable_flag(parse):
    result = parse("indicator;area;period;value;break_in_series\nI1;01;2022;1;kanske\n", "f.csv")
    assert only_message(result) == (
        'f.csv, rad 2, kolumn "break_in_series": förväntade en flagga: 1/0, ja/nej, true/false, '
        'x eller tomt, fick "kanske"'
    )


def test_it_rejects_a_duplicate_key_naming_both_rows(parse):
    result = parse(HEADER + GOOD + "I1;03;2022;T;16-84;1;;;;;\n" + "I1;01;2022;t;16–84;2;;;;;\n")
    assert only_message(result) == (
        'test.csv, rad 4, kolumn "indicator, area, period, sex, age_band": förväntade en unik '
        'rad per nyckel – samma nyckel finns redan på rad 2, fick "I1; 01; 2022; T; 16-84"'
    )


def test_it_rejects_duplicate_kolada_rows_quoting_the_kolada_id(parse):
    result = parse("kpi,kolada_id,year,sex,value\nN00923,0001,2022,T,1\nN00923,0001,2022,T,2\n")
    assert only_message(result).endswith('rad 2, fick "N00923; 0001; 2022; T"')


def test_rows_differing_only_in_a_stratum_are_not_duplicates(parse):
    content = (
        "indicator;area;period;sex;age_band;socioeconomic_group;value\n"
        "I1;01;2022;T;16-84;;1\nI1;01;2022;K;16-84;;1\nI1;01;2022;T;65+;;1\n"
        "I1;01;2022;T;16-84;förgymnasial;1\nI1;01;2021;T;16-84;;1\n"
    )
    assert parse(content).ok


def test_it_collects_every_error_in_reading_order_not_just_the_first(parse, fixtures_dir):
    path = fixtures_dir / "egen_indikator_felaktig.csv"
    result = parse(path.read_bytes(), path.name)
    assert result.error_count == 13
    assert [e.row for e in result.errors] == list(range(3, 16))
    assert [e.column for e in result.errors] == [
        "area", "indicator", "value", "value", "numerator", "numerator", "lower", "sex",
        "period", "age_band", "value", "suppressed", "indicator, area, period, sex, age_band",
    ]  # fmt: skip
    assert all(e.filename == path.name for e in result.errors)


def test_several_errors_on_one_row_follow_the_file_column_order(parse):
    result = parse("value;area;indicator;period\nabc;9999;OKAND;2022\n")
    assert [e.column for e in result.errors] == ["value", "area", "indicator"]


def test_it_caps_the_list_at_100_errors_and_counts_the_rest(parse):
    content = "indicator;area;period;value\n" + "".join(f"I1;01;{y};x\n" for y in range(1900, 2030))
    result = parse(content)
    assert result.error_count == 130
    assert len(result.errors) == 100
    assert result.messages()[-1] == "… och 30 fel till"
    assert len(parse(content, max_errors=5).messages()) == 6


def test_a_file_with_any_error_yields_no_rows_but_still_counts_them(parse):
    result = parse(HEADER + GOOD + "I1;03;2022;T;16-84;abc;;;;;\n")
    assert not result.ok
    assert result.row_count == 2
    assert result.rows.height == 0
    assert result.rows.columns[:3] == ["indicator", "area", "period"]


def test_the_checksum_is_the_sha256_of_the_raw_bytes(parse):
    data = (HEADER + GOOD).encode("cp1252")
    assert parse(data).checksum == hashlib.sha256(data).hexdigest()
    assert parse(data).checksum == parse(data).checksum


def test_progress_is_reported_from_zero_to_the_total(parse, monkeypatch):
    import halsogap.imports.parsing as parsing

    monkeypatch.setattr(parsing, "CHUNK_ROWS", 2)
    calls = []
    content = "indicator;area;period;value\n" + "".join(f"I1;01;{y};1\n" for y in range(2000, 2005))
    result = parse(content, progress=lambda done, total: calls.append((done, total)))
    assert result.ok
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_chunked_validation_still_finds_duplicates_across_chunks(parse, monkeypatch):
    import halsogap.imports.parsing as parsing

    monkeypatch.setattr(parsing, "CHUNK_ROWS", 1)
    result = parse("indicator;area;period;value\nI1;01;2022;1\nI1;03;2022;1\nI1;01;2022;2\n")
    assert [(e.row, e.expected.endswith("rad 2")) for e in result.errors] == [(4, True)]


def test_it_validates_100k_rows_quickly(parse):
    import time

    areas = sorted({"00", "01", "03", "0180", "1480"})
    frame = (
        pl.DataFrame({"y": [str(y) for y in range(1900, 2100)]})
        .join(pl.DataFrame({"area": areas}), how="cross")
        .join(pl.DataFrame({"i": range(100)}), how="cross")
    )
    content = frame.select(
        pl.lit("I1").alias("indicator"),
        "area",
        pl.col("y").alias("period"),
        pl.col("i").cast(pl.String).alias("age_band") + "+",
        pl.lit("1,5").alias("value"),
    ).write_csv(separator=";")
    started = time.perf_counter()
    result = parse(content)
    assert result.ok and result.row_count == 100_000
    assert time.perf_counter() - started < 10  # generous: the bench shows well under 1 s
