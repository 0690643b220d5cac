"""Provider reports: each refusal row by row, and all-or-nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest

from halsogap.assignments import read_activity_report
from halsogap.imports import ImportFileError

PLANS = {("U1", "SAMTAL"), ("U1", "GRUPP")}


def report(text: str, **kwargs):
    kwargs.setdefault("plans", PLANS)
    return read_activity_report(text.encode("utf-8"), "rapport.csv", **kwargs)


def test_a_clean_report_returns_every_row_typed():
    r = report("indikator;period;värde;kommentar\nSAMTAL;2026K1;120;Bra start\nGRUPP;2026K1;3,5;\n")
    assert r.ok and r.messages() == []
    assert r.rows.rows() == [
        ("U1", "SAMTAL", "2026K1", 120.0, "Bra start", 2),
        ("U1", "GRUPP", "2026K1", 3.5, None, 3),
    ]


def test_english_headers_and_lower_case_periods_are_accepted():
    r = report("indicator,period,value,comment\nSAMTAL,2026k2,7,ok\n")
    assert r.ok and r.rows["period"].to_list() == ["2026K2"]


def test_an_indicator_outside_the_assignments_plan_is_refused():
    r = report("indikator;period;värde\nSAMTAL;2026K1;1\nU01402;2026K1;5\n")
    assert r.messages() == [
        'rapport.csv, rad 3, kolumn "indikator": förväntade en indikator ur '
        'uppföljningsplanen i uppdraget (GRUPP, SAMTAL), fick "U01402"'
    ]


def test_a_bad_period_is_refused():
    r = report("indikator;period;värde\nSAMTAL;våren 2026;1\n")
    assert r.messages() == [
        'rapport.csv, rad 2, kolumn "period": förväntade en period som "2025", "2025H1", "2025K1", '
        '"2025M03" eller "2018-2021", fick "VÅREN 2026"'
    ]


def test_a_period_outside_the_allowed_list_is_refused():
    r = report("indikator;period;värde\nSAMTAL;2025K4;1\n", periods=["2026K1", "2026K2"])
    assert 'förväntade en av uppdragets rapportperioder: "2026K1", "2026K2"' in r.messages()[0]


def test_a_non_numeric_and_an_empty_value_are_refused():
    r = report("indikator;period;värde\nSAMTAL;2026K1;många\nGRUPP;2026K1;\n")
    assert r.messages() == [
        'rapport.csv, rad 2, kolumn "värde": förväntade ett tal (t.ex. 12,5 eller 12.5), '
        'fick "många"',
        'rapport.csv, rad 3, kolumn "värde": förväntade ett tal (t.ex. 12,5 eller 12.5), fick tomt',
    ]


def test_a_negative_count_is_refused_unless_the_indicator_is_not_a_count():
    text = "indikator;period;värde\nSAMTAL;2026K1;-4\n"
    assert report(text).messages() == [
        'rapport.csv, rad 2, kolumn "värde": förväntade ett antal som är 0 eller större, fick "-4"'
    ]
    assert report(text, counts={"GRUPP"}).ok


def test_a_period_reported_twice_names_the_first_row():
    r = report("indikator;period;värde\nSAMTAL;2026K1;1\nGRUPP;2026K1;2\nSAMTAL;2026K1;3\n")
    assert r.messages() == [
        'rapport.csv, rad 4, kolumn "period": förväntade en period per indikator (perioden '
        'finns redan på rad 2), fick "2026K1"'
    ]


def test_one_bad_row_refuses_the_whole_file():
    r = report("indikator;period;värde\nSAMTAL;2026K1;1\nSAMTAL;2026K2;x\nGRUPP;2026K1;2\n")
    assert not r.ok and r.rows.height == 0 and r.row_count == 3 and r.error_count == 1


def test_several_problems_are_listed_in_reading_order():
    r = report("indikator;period;värde\nOKÄND;2026K1;-1\nSAMTAL;2026;x\n")
    rows_and_columns = [(i.row, i.column) for i in r.errors]
    assert rows_and_columns == [(2, "indikator"), (2, "värde"), (3, "värde")]


def test_several_assignments_need_an_assignment_column():
    plans = {("U1", "SAMTAL"), ("U2", "SAMTAL")}
    with pytest.raises(ImportFileError, match='kolumn "uppdrag"'):
        report("indikator;period;värde\nSAMTAL;2026K1;1\n", plans=plans)
    r = report(
        "uppdrag;indikator;period;värde\nU2;SAMTAL;2026K1;1\nU3;SAMTAL;2026K1;1\n", plans=plans
    )
    assert [i.row for i in r.errors] == [3]


def test_a_file_missing_the_value_column_is_refused_as_a_whole():
    with pytest.raises(ImportFileError, match="saknas: värde"):
        report("indikator;period\nSAMTAL;2026K1\n")


def test_plain_indicator_codes_work_without_assignments():
    r = report("indikator;period;värde\nSAMTAL;2026K1;1\n", plans={"SAMTAL"})
    assert r.ok and r.rows["assignment"].to_list() == [None]


def test_an_xlsx_report_is_read_the_same_way():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Indikator", "Period", "Värde", "Kommentar"])
    sheet.append(["SAMTAL", "2026K1", 12, "via Excel"])
    sheet.append(["SAMTAL", "2026K2", -1, None])
    buffer = io.BytesIO()
    book.save(buffer)
    r = read_activity_report(buffer.getvalue(), "rapport.xlsx", plans=PLANS)
    assert [str(i) for i in r.errors] == [
        'rapport.xlsx, rad 3, kolumn "Värde": förväntade ett antal som är 0 eller större, fick "-1"'
    ]
