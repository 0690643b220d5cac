"""Reading bytes: encodings, separators, decimal marks, XLSX and whole-file failures."""

from __future__ import annotations

import pytest

from halsogap.imports import ImportFileError

TIDY_HEADER = "indicator;area;period;sex;socioeconomic_group;value"


def test_it_reads_utf8_with_and_without_byte_order_mark(parse):
    text = f"{TIDY_HEADER}\nI1;01;2022;K;förgymnasial;1,5\n"
    plain = parse(text)
    with_bom = parse(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert plain.ok and with_bom.ok
    assert plain.rows["socioeconomic_group"].to_list() == ["förgymnasial"]
    assert with_bom.rows.equals(plain.rows)


def test_it_falls_back_to_windows_1252_when_the_bytes_are_not_utf8(parse):
    result = parse(f"{TIDY_HEADER}\nI1;01;2022;K;förgymnasial;1,5\n", encoding="cp1252")
    assert result.ok
    assert result.rows["socioeconomic_group"].to_list() == ["förgymnasial"]


def test_it_reads_swedish_headers_written_in_windows_1252(parse):
    result = parse("Indikator;Område;År;Kön;Värde\nI1;0180;2022;M;3\n", encoding="cp1252")
    assert result.ok
    assert result.rows.select("area", "sex", "value").row(0) == ("0180", "M", 3.0)


def test_it_reads_utf16_exported_from_excel_as_unicode_text(parse):
    result = parse("indicator\tarea\tperiod\tvalue\nI1\t01\t2022\t2,5\n", encoding="utf-16")
    assert result.ok and result.rows["value"].to_list() == [2.5]


def test_it_rejects_bytes_that_are_neither_utf8_nor_windows_1252_nor_mac_roman(parse):
    with pytest.raises(ImportFileError, match="UTF-8, Windows-1252 eller Mac Roman"):
        parse(b"indicator;area;period;value\nI1;01;2022;\x81\x8d\n")


@pytest.mark.parametrize("group", ["förgymnasial", "Ålands skärgård", "Örebro län"])
def test_it_reads_mac_roman_from_old_mac_excel_and_says_so(parse, group):
    result = parse(f"{TIDY_HEADER}\nI1;01;2022;K;{group};1,5\n", encoding="mac_roman")
    assert result.ok
    assert result.rows["socioeconomic_group"].to_list() == [group]
    (notice,) = result.notices
    assert notice.startswith("test.csv: filen var sparad i teckenkodningen Mac Roman")


def test_a_windows_file_with_euro_and_ellipsis_but_no_swedish_letters_stays_windows(parse):
    result = parse(f"{TIDY_HEADER}\nI1;01;2022;K;100 €…;1,5\n", encoding="cp1252")
    assert result.rows["socioeconomic_group"].to_list() == ["100 €…"]
    assert result.notices == ()


def test_windows_and_utf8_files_give_no_notice(parse):
    text = f"{TIDY_HEADER}\nI1;01;2022;K;förgymnasial;1,5\n"
    assert parse(text).notices == parse(text, encoding="cp1252").notices == ()


@pytest.mark.parametrize(
    ("separator", "value", "expected"),
    [(";", "12,5", 12.5), (",", "12.5", 12.5), ("\t", "12,5", 12.5), (";", "12.5", 12.5)],
    ids=["semicolon-decimal-comma", "comma-decimal-point", "tab-decimal-comma", "semicolon-point"],
)
def test_it_sniffs_the_separator_from_the_header_and_reads_either_decimal_mark(
    parse, separator, value, expected
):
    header = separator.join(["indicator", "area", "period", "value"])
    row = separator.join(["I1", "01", "2022", value])
    result = parse(f"{header}\n{row}\n")
    assert result.ok, result.messages()
    assert result.rows["value"].to_list() == [expected]


def test_it_reads_a_quoted_decimal_comma_in_a_comma_separated_file(parse):
    result = parse('indicator,area,period,value\nI1,01,2022,"12,5"\n')
    assert result.rows["value"].to_list() == [12.5]


def test_it_names_the_row_where_an_unquoted_decimal_comma_splits_a_comma_separated_line(parse):
    with pytest.raises(ImportFileError) as caught:
        parse("indicator,area,period,value\nI1,01,2022,12\nI1,03,2022,12,5\n", "k.csv")
    message = str(caught.value)
    assert message.startswith("k.csv, rad 3: förväntade högst 4 fält")
    assert "decimalkomma" in message and 'fick "5 fält"' in message


@pytest.mark.parametrize("grouped", ["1 234", "1.234,5", "1,234.5", "1\u00a0234", "1.234.567"])
def test_it_rejects_thousands_separators_instead_of_guessing(parse, grouped):
    result = parse(f'indicator;area;period;value\nI1;01;2022;"{grouped}"\n', "t.csv")
    assert [str(e) for e in result.errors] == [
        f't.csv, rad 2, kolumn "value": förväntade ett tal utan tusentalsavgränsare '
        f'(t.ex. 1234,5 eller 1234.5), fick "{grouped}"'
    ]


def test_it_reads_exponents_and_unicode_minus(parse):
    result = parse("indicator;area;period;value\nI1;01;2022;1,5e3\nI1;03;2022;\u22122,5\n")
    assert result.rows["value"].to_list() == [1500.0, -2.5]


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"], ids=["empty", "blank"])
def test_it_rejects_an_empty_file(parse, content):
    with pytest.raises(ImportFileError, match="rubrikrad och minst en datarad"):
        parse(content, "tom.csv")


def test_it_rejects_a_file_with_only_a_header(parse):
    with pytest.raises(ImportFileError, match='fick "bara rubrikraden"'):
        parse("indicator;area;period;value\n", "rubrik.csv")


def test_it_rejects_a_missing_required_column_naming_it_and_the_columns_found(parse):
    with pytest.raises(ImportFileError) as caught:
        parse("indicator;area;period\nI1;01;2022\n", "saknas.csv")
    assert str(caught.value) == (
        'saknas.csv, rad 1: förväntade en kolumn "value" eller "värde" eller "varde" '
        '(krävs i Hälsogaps format), fick "indicator, area, period"'
    )


def test_it_rejects_a_header_that_matches_neither_format(parse):
    with pytest.raises(ImportFileError, match="Kolada-formatet"):
        parse("a;b;c\n1;2;3\n", "okänd.csv")


def test_it_rejects_two_columns_that_mean_the_same_thing(parse):
    with pytest.raises(ImportFileError, match='bara en av kolumnerna "period" och "year"'):
        parse("indicator;area;period;year;value\nI1;01;2022;2022;1\n")


def test_it_rejects_a_repeated_header(parse):
    with pytest.raises(ImportFileError, match="unika kolumnrubriker"):
        parse("indicator;area;area;period;value\nI1;01;01;2022;1\n")


def test_it_rejects_the_old_xls_format_and_other_binary_files(parse):
    with pytest.raises(ImportFileError, match=r"\.xls"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammal.xls")
    with pytest.raises(ImportFileError, match="binärfil"):
        parse(b"%PDF-1.4\x00\x00\x01", "rapport.pdf")


def test_it_keeps_spreadsheet_row_numbers_across_blank_lines(parse):
    result = parse("indicator;area;period;value\nI1;01;2022;1\n\n;;;\nI1;03;2022;x\n", "b.csv")
    assert [e.row for e in result.errors] == [5]
    assert result.row_count == 2


def test_it_trims_spaces_around_cells(parse):
    result = parse("indicator ; area ;period;value\n I1 ; 01 ; 2022 ; 7 \n")
    assert result.ok
    assert result.rows.select("indicator", "area", "value").row(0) == ("I1", "01", 7.0)


def test_it_reads_the_first_sheet_of_an_xlsx_by_extension(parse, xlsx_bytes):
    data = xlsx_bytes(
        [["indicator", "area", "period", "value"], ["I1", "01", 2022, 12.5]], extra_sheet=True
    )
    result = parse(data, "data.xlsx")
    assert result.ok, result.messages()
    assert result.rows.select("period", "value").row(0) == ("2022", 12.5)


def test_it_detects_an_xlsx_by_its_zip_signature_without_the_extension(parse, xlsx_bytes):
    data = xlsx_bytes([["indicator", "area", "period", "value"], ["I1", "01", 2022, 3]])
    assert parse(data, "uppladdning").rows["value"].to_list() == [3.0]


def test_it_reports_xlsx_errors_with_the_sheet_row_number(parse, xlsx_bytes):
    rows = [["indicator", "area", "period", "value"], ["I1", "01", 2022, 1], [None] * 4]
    rows.append(["I1", "03", 2022, "abc"])
    result = parse(xlsx_bytes(rows), "blad.xlsx")
    assert [str(e) for e in result.errors] == [
        'blad.xlsx, rad 4, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5), fick "abc"'
    ]


def test_it_restores_leading_zeros_that_excel_dropped_from_area_codes(parse, xlsx_bytes):
    data = xlsx_bytes(
        [["indicator", "area", "period", "value"], ["I1", 1, 2022, 1], ["I1", 180, 2022, 2]]
    )
    assert parse(data, "nollor.xlsx").rows["area"].to_list() == ["01", "0180"]


def test_it_reads_excel_booleans_as_flags(parse, xlsx_bytes):
    data = xlsx_bytes(
        [["indicator", "area", "period", "value", "provisional"], ["I1", "01", 2022, 1, True]]
    )
    assert parse(data, "flagga.xlsx").rows["provisional"].to_list() == [True]


def test_it_rejects_an_xlsx_that_cannot_be_opened(parse):
    with pytest.raises(ImportFileError, match="inte kunde öppnas"):
        parse(b"PK\x03\x04 this is not really a zip", "trasig.xlsx")


def test_it_rejects_an_xlsx_with_an_empty_first_sheet(parse, xlsx_bytes):
    with pytest.raises(ImportFileError, match="rubrikrad"):
        parse(xlsx_bytes([]), "tom.xlsx")


def test_it_honours_excels_sep_hint_line_and_keeps_the_header_as_row_1(parse):
    result = parse("sep=,\r\nindicator,area,period,value\r\nI1,01,2022,x\r\n", "hint.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]


def test_it_reads_old_mac_line_endings(parse):
    result = parse("indicator;area;period;value\rI1;01;2022;1,5\r")
    assert result.rows["value"].to_list() == [1.5]


def test_it_rejects_a_csv_with_a_broken_quote(parse):
    with pytest.raises(ImportFileError, match="kontrollera citattecken"):
        parse('indicator,area,period,value\nI1,0"1,2022,1\n')
