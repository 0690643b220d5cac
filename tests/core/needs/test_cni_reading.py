"""Reading CNI count files: encodings, separators, every refusal named, nothing half-read."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from halsogap.needs import CniError, CniFileError, care_need_index, read_cni_counts

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "needs"
DOC = ROOT / "docs" / "cni-format.md"
HEADER = (
    "enhet;namn;kommun;befolkning;barn_under_5;utlandsfodda;aldre_ensamboende;"
    "ensamstaende_foraldrar;inflyttade;arbetslosa;lagutbildade"
)
GOOD_ROW = "VC1;Vårdcentral Exempel Å (syntetisk);0180;5912;595;1391;484;167;385;981;632"


def messages(data: bytes, filename: str = "fil.csv", **kwargs) -> list[str]:
    """The refusal messages for ``data`` (fails the test if the file is accepted)."""
    with pytest.raises(CniFileError) as info:
        read_cni_counts(data, filename, **kwargs)
    return info.value.messages()


def test_reads_the_documented_columns_and_types():
    frame = read_cni_counts(f"{HEADER}\n{GOOD_ROW}\n".encode(), "fil.csv")
    assert frame.schema == pl.Schema(
        {
            "enhet": pl.String,
            "namn": pl.String,
            "kommun": pl.String,
            "befolkning": pl.Int64,
            "barn_under_5": pl.Int64,
            "utlandsfodda": pl.Int64,
            "aldre_ensamboende": pl.Int64,
            "ensamstaende_foraldrar": pl.Int64,
            "inflyttade": pl.Int64,
            "arbetslosa": pl.Int64,
            "lagutbildade": pl.Int64,
        }
    )
    assert frame.row(0) == (
        "VC1",
        "Vårdcentral Exempel Å (syntetisk)",
        "0180",
        5912,
        595,
        1391,
        484,
        167,
        385,
        981,
        632,
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ","])
def test_utf8_or_windows_1252_and_semicolon_or_comma(encoding, separator):
    text = f"{HEADER}\r\n{GOOD_ROW}\r\n".replace(";", separator)
    frame = read_cni_counts(text.encode(encoding), "fil.csv")
    assert frame["namn"].to_list() == ["Vårdcentral Exempel Å (syntetisk)"]
    assert frame["befolkning"].to_list() == [5912]


def test_headers_in_plain_swedish_and_aliases_are_understood():
    header = (
        "Enhetskod,Listade,Barn under 5,Utlandsfödda,Äldre ensamboende,"
        "Ensamstående föräldrar,Inflyttade,Arbetslösa,Lågutbildade,Kommentar"
    )
    frame = read_cni_counts(f"{header}\nA,100,1,2,3,4,5,6,7,hej\n".encode(), "f.csv")
    assert frame.select("enhet", "befolkning", "lagutbildade").row(0) == ("A", 100, 7)
    assert frame["namn"].to_list() == [None] and frame["kommun"].to_list() == [None]
    assert "Kommentar" not in frame.columns


def test_space_grouped_integers_and_whole_floats_are_accepted():
    row = "VC1;;180;5\u00a0912;595,0;1 391;484;167;385;981;632"
    frame = read_cni_counts(f"{HEADER}\n{row}\n".encode(), "fil.csv")
    assert frame.select("kommun", "befolkning", "barn_under_5", "utlandsfodda").row(0) == (
        "0180",
        5912,
        595,
        1391,
    )


def test_the_briefs_example_message():
    row = "VC2;;0180;2407;293;330;215;x;240;300;210"
    assert messages(
        f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW.replace('VC1', 'VC3')}\n{row}\n".encode()
    ) == ['fil.csv, rad 4, kolumn "ensamstaende_foraldrar": förväntade ett heltal ≥ 0, fick "x"']


def test_messages_quote_the_header_as_written():
    header = HEADER.replace("arbetslosa", "Arbetslösa")
    row = GOOD_ROW.replace(";981;", ";-1;")
    assert messages(f"{header}\n{row}\n".encode("cp1252")) == [
        'fil.csv, rad 2, kolumn "Arbetslösa": förväntade ett heltal ≥ 0, fick "-1"'
    ]


def test_missing_columns_are_all_named():
    header = HEADER.replace(";inflyttade", "").replace(";lagutbildade", "")
    row = "VC1;;0180;5912;595;1391;484;167;981"
    (message,) = messages(f"{header}\n{row}\n".encode())
    assert message.startswith(
        'fil.csv, rad 1: förväntade kolumnerna "inflyttade", "lagutbildade", fick "enhet, namn,'
    )


def test_same_column_twice_under_two_names_is_refused():
    header = HEADER.replace("befolkning", "befolkning;listade")
    row = GOOD_ROW.replace(";5912;", ";5912;5912;")
    assert messages(f"{header}\n{row}\n".encode()) == [
        'fil.csv, rad 1, kolumn "listade": förväntade kolumnen "befolkning" bara en gång, '
        'fick "både "befolkning" och "listade""'
    ]


def test_whole_file_problems_are_cni_errors_too():
    for data in (b"", f"{HEADER}\n".encode()):
        with pytest.raises(CniFileError) as info:
            read_cni_counts(data, "tom.csv")
        assert isinstance(info.value, CniError) and isinstance(info.value, ValueError)
        assert info.value.messages()[0].startswith("tom.csv: förväntade")


def test_unknown_kommun_is_refused_when_the_list_is_given():
    row = GOOD_ROW.replace(";0180;", ";9999;")
    assert messages(f"{HEADER}\n{row}\n".encode(), known_kommuner={"0180"}) == [
        'fil.csv, rad 2, kolumn "kommun": förväntade en känd kommunkod (t.ex. "0180" Stockholm), '
        'fick "9999"'
    ]


def test_nothing_is_returned_when_one_row_is_wrong_and_all_errors_are_counted():
    rows = [GOOD_ROW.replace("VC1", f"VC{i}") for i in range(150)]
    rows += [GOOD_ROW.replace("VC1", f"X{i}").replace(";632", ";bad") for i in range(120)]
    with pytest.raises(CniFileError) as info:
        read_cni_counts(("\n".join([HEADER, *rows]) + "\n").encode(), "stor.csv")
    assert info.value.error_count == 120
    assert len(info.value.issues) == 100
    assert info.value.messages()[-1] == "… och 20 fel till"
    assert info.value.issues[0].row == 152


def test_xlsx_is_read_like_csv():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["VC1", "Namn", "0180", 5912, 595, 1391, 484, 167, 385, 981, 632])
    buffer = io.BytesIO()
    book.save(buffer)
    frame = read_cni_counts(buffer.getvalue(), "cni.xlsx")
    assert frame.select("enhet", "befolkning", "lagutbildade").row(0) == ("VC1", 5912, 632)


def test_read_frame_goes_straight_into_care_need_index():
    path = FIXTURES / "cni_scb_exempel.csv"
    out = care_need_index(read_cni_counts(path.read_bytes(), path.name), reference=2.4761)
    assert out["cni"].round(4).to_list() == [1.5513, 1.3204]


# --- docs/cni-format.md shows real output -------------------------------------------------


def test_the_documented_error_list_is_what_the_bad_example_file_produces():
    path = FIXTURES / "cni_felaktig.csv"
    documented = [
        line for line in DOC.read_text("utf-8").splitlines() if line.startswith(f"{path.name}, rad")
    ]
    assert documented == messages(path.read_bytes(), path.name)


def test_the_documented_example_is_the_scb_fixture_without_scbs_results():
    fixture = (FIXTURES / "cni_scb_exempel.csv").read_text("utf-8").strip().splitlines()
    without_results = "\n".join(line.rsplit(";", 2)[0] for line in fixture)
    assert f"```csv\n{without_results}\n```" in DOC.read_text("utf-8")


def test_the_documented_reasons_are_what_the_rule_writes():
    from halsogap.needs import eligible_units

    frame = pl.DataFrame(
        {"enhet": ["A", "B", "C"], "befolkning": [8412, 4100, 12000], "cni": [1.62, 1.9, 0.95]}
    )
    doc = DOC.read_text("utf-8")
    for reason in eligible_units(frame)["reason"]:
        assert f"- `{reason.replace(chr(0xA0), ' ')}`" in doc
