from pathlib import Path

import pytest

from halsogap.selfevaluation import (
    DefinitionError,
    parse_definition,
    profile,
    profile_svg,
    weakest_statements,
)

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "standards" / "hph2020_kortversion.csv"
HEADER = "standard;standard_title;substandard;substandard_title;statement;text;perspective;short\n"


def test_the_shipped_definition_has_the_five_hph_2020_standards_and_the_seed_examples():
    definition = parse_definition(SHIPPED.read_bytes(), SHIPPED.name)
    assert [s.code for s in definition.standards] == ["1", "2", "3", "4", "5"]
    assert "Demonstrating organizational commitment for HPH" in definition.standards[0].title
    texts = [s.text for s in definition.short_version()]
    assert (
        "Vid samtal om levnadsvanor inleds samtalet med att utforska individens egen "
        "motivation till förändring" in texts
    )
    assert {s.perspective for s in definition.statements} == {
        "styrning",
        "patient",
        "befolkning",
        "medarbetare",
    }


def test_a_bad_definition_is_refused_with_every_line_column_and_expectation():
    text = HEADER + (
        "1;Ledning;1.1;Policy;1.1.1;Policy finns;styrning;ja\n"
        "1;Annan rubrik;;;1.1.2;Text;styrning;ja\n"
        "2;Tillgång;1.3;Fel;2.1.1;Text;personal;kanske\n"
        "3;Delaktighet;;;1.1.1;Dubblett;patient;nej\n"
        "x;Ingen;;;;;;\n"
    )
    with pytest.raises(DefinitionError) as refused:
        parse_definition(text.encode(), "std.csv")
    problems = refused.value.problems
    assert 'std.csv, rad 3, kolumn "standard_title": förväntade samma rubrik' in problems[0]
    assert any(
        'rad 4, kolumn "substandard": förväntade en delstandard under standard 2' in p
        for p in problems
    )
    assert any('rad 4, kolumn "perspective"' in p and 'fick "personal"' in p for p in problems)
    assert any(
        'rad 4, kolumn "short": förväntade ja eller nej, fick "kanske"' in p for p in problems
    )
    assert any("rad 5" in p and "samma kod finns redan på rad 2" in p for p in problems)
    assert any('rad 6, kolumn "standard"' in p for p in problems)


def test_a_definition_without_the_required_columns_is_refused_at_the_header():
    with pytest.raises(DefinitionError, match="rad 1: förväntade kolumnerna standard"):
        parse_definition(b"nummer;rubrik\n1;A\n", "fel.csv")


def test_windows_1252_with_commas_is_read():
    text = "standard,standard_title,statement,text,perspective,short\n1,Styrning,S1,Hälsa,styrning,ja\n"
    definition = parse_definition(text.encode("cp1252"), "win.csv")
    assert definition.statements[0].text == "Hälsa"


def test_profile_averages_only_answered_statements_per_standard_and_perspective():
    definition = parse_definition(SHIPPED.read_bytes(), SHIPPED.name)
    scores = {"S1": 2, "S2": 4, "P1": 9, "M1": None}
    result = profile(definition, scores, short=True)
    by_standard = {r.key: r for r in result.by_standard}
    assert by_standard["1"].mean == 3.0 and by_standard["1"].scored == 2
    assert by_standard["1"].total == 5
    assert by_standard["4"].mean is None
    assert "2" not in by_standard
    assert result.not_covered == ("2. Tillgång till vården",)
    assert result.overall == pytest.approx(5.0)
    perspectives = {r.key: r.mean for r in result.by_perspective}
    assert perspectives["patient"] == 9.0


def test_weakest_statements_are_the_low_scores_lowest_first():
    definition = parse_definition(SHIPPED.read_bytes(), SHIPPED.name)
    weak = weakest_statements(definition, {"S1": 5, "P1": 2, "B1": 8}, threshold=5)
    assert [(s.code, v) for s, v in weak] == [("P1", 2), ("S1", 5)]


def test_profile_chart_marks_the_previous_evaluation():
    definition = parse_definition(SHIPPED.read_bytes(), SHIPPED.name)
    now = profile(definition, {"S1": 6}, short=True)
    before = profile(definition, {"S1": 3}, short=True)
    svg = profile_svg(now.by_standard, title="Profil", previous=before.by_standard)
    assert "Förra utvärderingen: 3,0" in svg
    assert "6,0" in svg
