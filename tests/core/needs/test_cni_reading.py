"""Reading CNI count files: encodings, separators, every refusal named, nothing half-read."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from halsogap.needs import CniError, CniFileError, care_need_index, read_cni_counts
from halsogap.needs.cni_reading import read_cni_reference

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


# --- the national reference file (variabel;poäng) -------------------------------------------

REFERENCE = """variabel;poäng
barn_under_5;0,2
utlandsfodda;0,5
aldre_ensamboende;0,3
ensamstaende_foraldrar;0,2
inflyttade;0,6
arbetslosa;0,4
lagutbildade;0,2761
"""


def reference_messages(data: bytes, filename: str = "riket.csv", **kwargs) -> list[str]:
    with pytest.raises(CniFileError) as info:
        read_cni_reference(data, filename, **kwargs)
    assert isinstance(info.value, CniError)
    return info.value.messages()


def test_reference_file_reads_decimal_commas_in_the_modules_order():
    # Rows in any order; the result is in CNI_VARIABLES order.
    lines = REFERENCE.strip().splitlines()
    text = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    points = read_cni_reference(text.encode("cp1252"), "riket.csv")
    assert list(points.items()) == [
        ("barn_under_5", 0.2),
        ("utlandsfodda", 0.5),
        ("aldre_ensamboende", 0.3),
        ("ensamstaende_foraldrar", 0.2),
        ("inflyttade", 0.6),
        ("arbetslosa", 0.4),
        ("lagutbildade", 0.2761),
    ]


def test_reference_file_goes_straight_into_care_need_index():
    path = FIXTURES / "cni_scb_exempel.csv"
    counts = read_cni_counts(path.read_bytes(), path.name)
    reference = read_cni_reference(REFERENCE.encode(), "riket.csv")
    out = care_need_index(counts, reference=reference)
    assert out["cni"].round(4).to_list() == [1.5513, 1.3204]


def test_reference_file_headers_and_names_in_plain_swedish():
    text = (
        "Variabel;Poäng;Kommentar\n"
        "Barn under 5;0,2;\n"
        "Utlandsfödda;0,5;\n"
        "Äldre ensamboende;0,3;\n"
        "Ensamstående föräldrar;0,2;\n"
        "Inflyttade;0,6;\n"
        "Arbetslösa;0,4;\n"
        "Lågutbildade;0,2761;hej\n"
    )
    points = read_cni_reference(text.encode("cp1252"), "riket.csv")
    assert points["aldre_ensamboende"] == 0.3 and points["lagutbildade"] == 0.2761


def test_reference_file_with_comma_separator_and_quoted_decimals_or_points():
    rows = [line.split(";") for line in REFERENCE.strip().splitlines()[1:]]
    quoted = "variabel,poäng\n" + "".join(f'{name},"{value}"\n' for name, value in rows)
    assert read_cni_reference(quoted.encode(), "riket.csv")["lagutbildade"] == 0.2761
    dotted = REFERENCE.replace(",", ".")
    assert read_cni_reference(dotted.encode(), "riket.csv")["lagutbildade"] == 0.2761


def test_reference_file_as_xlsx():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["variabel", "poäng"])
    for line in REFERENCE.strip().splitlines()[1:]:
        name, value = line.split(";")
        sheet.append([name, float(value.replace(",", "."))])
    buffer = io.BytesIO()
    book.save(buffer)
    points = read_cni_reference(buffer.getvalue(), "riket.xlsx")
    assert points["lagutbildade"] == 0.2761 and len(points) == 7


def test_reference_file_is_refused_whole_with_every_problem_named():
    text = (
        "variabel;poäng\n"
        "barn_under_5;0,2\n"
        "utlandsfodda;x\n"
        "aldre_ensamboende;-0,3\n"
        "ensamstaende_foraldrar;5,0\n"
        "barn_under_5;0,2\n"
        "summa;2,4761\n"
        ";0,1\n"
        "arbetslosa;\n"
        "lagutbildade;1.234,5\n"
    )
    assert reference_messages(text.encode()) == [
        'riket.csv, rad 3, kolumn "poäng": förväntade ett tal ≥ 0 med decimalkomma '
        '(t.ex. 0,3521), fick "x"',
        'riket.csv, rad 4, kolumn "poäng": förväntade ett tal ≥ 0 med decimalkomma '
        '(t.ex. 0,3521), fick "-0,3"',
        'riket.csv, rad 5, kolumn "poäng": förväntade högst 4,19, vikten för '
        '"ensamstaende_foraldrar" (poängen är vikt × andel och andelen kan inte vara över 1), '
        'fick "5,0"',
        'riket.csv, rad 6, kolumn "variabel": förväntade en variabel som inte redan finns '
        '(samma som rad 2), fick "barn_under_5"',
        'riket.csv, rad 7, kolumn "variabel": förväntade en av CNI-variablerna barn_under_5, '
        "utlandsfodda, aldre_ensamboende, ensamstaende_foraldrar, inflyttade, arbetslosa, "
        'lagutbildade, fick "summa"',
        'riket.csv, rad 8, kolumn "variabel": förväntade en av CNI-variablerna barn_under_5, '
        "utlandsfodda, aldre_ensamboende, ensamstaende_foraldrar, inflyttade, arbetslosa, "
        "lagutbildade, fick tomt",
        'riket.csv, rad 9, kolumn "poäng": förväntade ett tal ≥ 0 med decimalkomma '
        "(t.ex. 0,3521), fick tomt",
        'riket.csv, rad 10, kolumn "poäng": förväntade ett tal ≥ 0 med decimalkomma '
        '(t.ex. 0,3521), fick "1.234,5"',
        'riket.csv, kolumn "variabel": förväntade en rad för var och en av de sju '
        'CNI-variablerna, saknas: "inflyttade", fick "barn_under_5, utlandsfodda, '
        'aldre_ensamboende, ensamstaende_foraldrar, arbetslosa, lagutbildade"',
    ]


def test_reference_file_missing_columns_and_empty_files():
    (message,) = reference_messages(b"variabel;vikt\nbarn_under_5;3,23\n")
    assert message == 'riket.csv, rad 1: förväntade kolumnen "poäng", fick "variabel, vikt"'
    for data in (b"", b"variabel;po\xc3\xa4ng\n"):
        assert reference_messages(data)[0].startswith("riket.csv: förväntade")


def test_reference_file_of_only_zeros_is_refused():
    zeros = "variabel;poäng\n" + "".join(
        f"{c};0\n"
        for c in [
            "barn_under_5",
            "utlandsfodda",
            "aldre_ensamboende",
            "ensamstaende_foraldrar",
            "inflyttade",
            "arbetslosa",
            "lagutbildade",
        ]
    )
    assert reference_messages(zeros.encode()) == [
        'riket.csv, kolumn "poäng": förväntade poäng som inte alla är 0 (referensen är '
        'summan och måste vara större än 0), fick "0 för alla sju variabler"'
    ]


def test_reference_file_errors_are_cut_at_max_errors():
    rows = "".join(f"okand{i};0,1\n" for i in range(12))
    messages_ = reference_messages(f"variabel;poäng\n{rows}".encode(), max_errors=5)
    assert len(messages_) == 6 and messages_[-1] == "… och 8 fel till"
