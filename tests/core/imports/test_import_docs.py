"""docs/import-format.md shows real output: its example and error list must match the code."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-format.md"


def test_the_documented_error_list_is_what_the_bad_example_file_produces(parse, fixtures_dir):
    path = fixtures_dir / "egen_indikator_felaktig.csv"
    documented = [
        line for line in DOC.read_text("utf-8").splitlines() if line.startswith(f"{path.name}, rad")
    ]
    assert documented == parse(path.read_bytes(), path.name).messages()


def test_the_documented_tidy_example_is_the_shipped_fixture(fixtures_dir):
    example = (fixtures_dir / "egen_indikator_exempel.csv").read_text("utf-8").strip()
    assert f"```csv\n{example}\n```" in DOC.read_text("utf-8")
