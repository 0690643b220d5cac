"""The analysts' command: a quick gap table as ';'-separated CSV with Swedish headers."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from halsogap.needs.cli import main

ROOT = Path(__file__).resolve().parents[3]


def run(capsys, *argv: str) -> tuple[int, list[list[str]], str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(captured.out), delimiter=";"))
    return status, rows, captured.err


def test_cli_prints_the_region_and_its_kommuner_with_swedish_headers(capsys):
    status, rows, err = run(capsys, "--region", "13", "--indicator", "U01402", "--target", "best:1")
    assert status == 0
    header = rows[0]
    assert header[:4] == ["Områdeskod", "Område", "År", "Nuvärde"]
    assert "Gap i personer" in header and "Kommentar" in header
    body = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(body) == {"13", "1315", "1380", "1381", "1382", "1383", "1384"}
    halland = body["13"]
    assert (halland["Område"], halland["År"], halland["Nuvärde"], halland["Målvärde"]) == (
        "Region Halland",
        "2022",
        "6,2",
        "4",
    )
    assert halland["Gap kvar att sluta"] == "2,2"
    assert halland["Befolkningens ålder"] == "16+"
    assert halland["Målets referens"] == "Region Västerbotten"
    assert "Källa: Kolada/RKA" in err


def test_cli_can_use_a_decimal_point_and_skip_the_kommuner(capsys):
    status, rows, _ = run(
        capsys, "--region", "13", "--indicator", "U01402", "--only-region", "--decimal", "."
    )
    assert status == 0
    assert len(rows) == 2
    assert rows[1][3] == "6.2"


def test_cli_marks_a_target_that_contradicts_polarity_in_the_comment(capsys):
    status, rows, _ = run(
        capsys, "--region", "13", "--indicator", "U01402", "--target", "absolute:9", "--only-region"
    )
    assert status == 0
    comment = dict(zip(rows[0], rows[1], strict=True))["Kommentar"]
    assert "Målet (9,0 %) är sämre än nuläget (6,2 %)" in comment


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "99", "--indicator", "U01402"], "okänd region '99'"),
        (["--region", "13", "--indicator", "X99999"], "okänd indikator 'X99999'"),
        (["--region", "13", "--indicator", "U01402", "--target", "best"], None),
        (["--region", "13", "--indicator", "U01402", "--target", "wish:1"], "okänd målregel"),
        (["--region", "13", "--indicator", "N00221"], "polaritet"),
    ],
)
def test_cli_gives_a_clear_message_and_status_2_on_bad_input(capsys, argv, message):
    status, rows, err = run(capsys, *argv)
    if message is None:  # "best" alone means best:1 and is fine
        assert status == 0
        return
    assert status == 2
    assert rows == []
    assert err.startswith("Fel: ")
    assert message in err


def test_cli_reports_unreadable_data_paths(capsys, tmp_path):
    status, _, err = run(
        capsys, "--region", "13", "--indicator", "U01402", "--kolada", str(tmp_path)
    )
    assert status == 2
    assert "kunde inte läsa data" in err


def test_cli_runs_as_a_module():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "halsogap.needs.cli",
            "--region",
            "24",
            "--indicator",
            "U01402",
            "--only-region",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = list(csv.reader(io.StringIO(out.stdout), delimiter=";"))
    assert rows[1][:2] == ["24", "Region Västerbotten"]
    assert dict(zip(rows[0], rows[1], strict=True))["Status"] == "når målet"
