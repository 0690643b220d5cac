"""Stored values reach pages, documents, CSV and commands only through the evidence reader.

Like the core-purity test: the source of every web module is read, and any query of the
observation or provider-report tables outside the reader is named. The two writers (the import
store and provider reporting) write values and may read what they are about to overwrite.
"""

from __future__ import annotations

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "halsogap_web"
READER = "evidence.py"
#: Modules that write values; they compare with or replace stored rows but show nothing.
WRITERS = {"observations/store.py": "the import store", "assignments/reporting.py": "reports"}
VALUE_MODELS = {"Observation", "ActivityReport"}
RELATED = {"observations", "reports"}
LOOKUPS = ("observations__", "reports__")
TABLES = ("observations_observation", "assignments_activityreport")


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(WEB)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Attribute):
            # Observation.objects…, ActivityReport.objects…
            if (
                node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id in VALUE_MODELS
            ):
                found.append(f"{where}: {node.value.id}.objects")
            # indicator.observations.filter(…), plan.reports.all()
            reader = isinstance(node.value, ast.Name) and node.value.id == "evidence"
            if node.attr in RELATED and not reader:
                found.append(f"{where}: .{node.attr}")
        if isinstance(node, ast.keyword) and node.arg and node.arg.startswith(LOOKUPS):
            found.append(f"{where}: lookup {node.arg}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            found += [f"{where}: table {t}" for t in TABLES if t in text]
            found += [f"{where}: lookup {text}" for p in LOOKUPS if text.startswith(p)]
    return found


def _modules() -> list[Path]:
    return [
        p
        for p in WEB.rglob("*.py")
        if "migrations" not in p.parts
        and p.name != READER
        and str(p.relative_to(WEB)) not in WRITERS
    ]


def test_the_check_finds_a_query_outside_the_reader(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "Observation.objects.filter(value__lt=5)\n"
        "indicator.observations.all()\n"
        "Indicator.objects.filter(observations__value=3)\n"
    )
    global WEB
    saved, WEB = WEB, tmp_path
    try:
        assert len(_offences(probe)) == 3
    finally:
        WEB = saved


def test_no_web_module_but_the_evidence_reader_queries_stored_values():
    offences = [o for path in _modules() for o in _offences(path)]
    assert offences == []
