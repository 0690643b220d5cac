"""Version differences as the history shows them."""

from __future__ import annotations

from datetime import date

from halsogap.assignments import diff_versions
from halsogap.assignments.versions import ADDED, REMOVED


def test_a_changed_field_reads_label_old_and_new():
    changes = diff_versions({"description": "A"}, {"description": "B"})
    assert [c.text for c in changes] == ["Beskrivning: 'A' → 'B'"]


def test_caller_labels_override_the_defaults():
    changes = diff_versions({"x": 1}, {"x": 2}, labels={"x": "Eget fält"})
    assert changes[0].text == "Eget fält: '1' → '2'"


def test_goals_are_matched_by_key_so_reordering_is_not_a_change():
    a = [{"key": "g1", "text": "A"}, {"key": "g2", "text": "B"}]
    assert diff_versions({"goals": a}, {"goals": list(reversed(a))}) == []


def test_an_edited_goal_is_one_line_with_its_key():
    old = {"goals": [{"key": "g1", "text": "Minska rökning", "kind": "long"}]}
    new = {"goals": [{"key": "g1", "text": "Halvera rökning", "kind": "long"}]}
    assert [c.text for c in diff_versions(old, new)] == [
        "Mål g1 › Text: 'Minska rökning' → 'Halvera rökning'"
    ]


def test_follow_up_plan_rows_show_numbers_and_dates_the_swedish_way():
    old = {
        "plans": [
            {
                "key": "p1",
                "indicator_code": "U01402",
                "target": 4.0,
                "target_date": date(2027, 12, 31),
            }
        ]
    }
    new = {
        "plans": [
            {
                "key": "p1",
                "indicator_code": "U01402",
                "target": 3.5,
                "target_date": date(2028, 12, 31),
            }
        ]
    }
    assert [c.text for c in diff_versions(old, new)] == [
        "Uppföljningsplan p1 (U01402) › Målvärde: '4' → '3,5'",
        "Uppföljningsplan p1 (U01402) › Måldatum: '2027-12-31' → '2028-12-31'",
    ]


def test_added_and_removed_items_and_fields():
    old = {"goals": [{"key": "g1", "text": "A"}], "budget": 100000}
    new = {"goals": [{"key": "g2", "text": "B"}], "budget": None}
    changes = diff_versions(old, new)
    assert [(c.kind, c.text) for c in changes] == [
        (REMOVED, "Mål g1: borttagen (var 'A')"),
        (ADDED, "Mål g2: tillagd 'B'"),
        (REMOVED, "Budget: borttagen (var '100\xa0000')"),
    ]


def test_nested_dicts_are_compared_field_by_field_and_none_prints_as_a_dash():
    old = {"decision": {"body": "HSN", "date": None}}
    new = {"decision": {"body": "HSN", "date": date(2026, 1, 20)}}
    change = diff_versions(old, new)[0]
    assert change.path == "decision.date" and change.text == "decision › date: tillagd '2026-01-20'"
    assert "None" not in change.text


def test_identical_versions_have_no_changes():
    assert diff_versions({"title": "X", "goals": []}, {"title": "X", "goals": []}) == []
