"""What no file may bring in: numbers no float holds, text longer than its column, a workbook
that declares or unpacks to an implausible size, and national values written by a region."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest

from halsogap.imports import ImportFileError, parse_observations

HEADER = "indicator;area;period;sex;socioeconomic_group;value\n"


def test_it_refuses_a_number_too_large_for_a_float_instead_of_storing_infinity(parse):
    result = parse(HEADER + "I1;01;2022;T;;1e400\n", "stor.csv")
    assert result.rows.height == 0
    assert result.messages() == [
        'stor.csv, rad 2, kolumn "value": förväntade ett ändligt tal (högst omkring 1,8e308 '
        'till beloppet), fick "1e400"'
    ]


@pytest.mark.parametrize("length", [61, 100_000])
def test_it_refuses_text_longer_than_its_column_with_the_limit(parse, length):
    result = parse(HEADER + f"I1;01;2022;T;{'x' * length};5\n", "lang.csv")
    message = result.messages()[0]
    assert message.startswith('lang.csv, rad 2, kolumn "socioeconomic_group": förväntade högst 60')
    assert f"{length} tecken" in message
    assert len(message) < 300  # the message quotes the start, not 100 000 characters


def test_sixty_characters_fit(parse):
    assert parse(HEADER + f"I1;01;2022;T;{'x' * 60};5\n", "ok.csv").ok


def test_a_national_code_is_refused_with_the_reason_not_as_unknown():
    result = parse_observations(
        (HEADER + "U01402;01;2022;T;;77,7\n").encode(),
        "region.csv",
        known_areas={"01"},
        known_indicators={"EGEN"},
        refused_indicators={"U01402": "en av regionens egna indikatorer (U01402 är nationell)"},
    )
    assert result.messages() == [
        'region.csv, rad 2, kolumn "indicator": förväntade en av regionens egna indikatorer '
        '(U01402 är nationell), fick "U01402"'
    ]


def _workbook(sheet_xml: bytes, *, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def _refused_quickly(data: bytes, name: str) -> str:
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        parse_observations(data, name, known_areas={"01"}, known_indicators={"I1"})
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert peak < 50 * 1024 * 1024, f"peaked at {peak / 1e6:.0f} MB"
    return str(refused.value)


def test_a_tiny_workbook_declaring_every_cell_is_refused_within_a_second():
    data = _workbook(b'<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>')
    assert len(data) < 2000
    message = _refused_quickly(data, "bred.xlsx")
    assert "16384 kolumner" in message and "A1:XFD1048576" in message


def test_a_zip_bomb_is_refused_within_a_second_and_bounded_memory():
    # 544 MB of zeros packs to well under 1 MB; nothing may unpack it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (16 * 1024 * 1024)
            for _ in range(34):
                sheet.write(chunk)
    message = _refused_quickly(buffer.getvalue(), "bomb.xlsx")
    assert "packas upp till" in message
