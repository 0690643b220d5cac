"""The management command ``import_observations``: all or nothing, and idempotent.

(``load_demo`` loads the full 860 000-value demo and is left to the benchmark.)
"""

from __future__ import annotations

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from halsogap_web.observations.models import LoadBatch, Observation

from .web_support import FIXTURES, snapshot


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_observations", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_rejects_a_bad_file_and_writes_nothing(db):
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError, match="kolada_felaktig.csv avvisades: ingenting sparades"):
        call_command(
            "import_observations",
            str(FIXTURES / "kolada_felaktig.csv"),
            stdout=StringIO(),
            stderr=err,
        )
    messages = err.getvalue()
    assert 'kolada_felaktig.csv, rad 3, kolumn "kolada_id"' in messages
    assert 'kolada_felaktig.csv, rad 4, kolumn "value": förväntade ett tal' in messages
    assert "samma nyckel finns redan på rad 2" in messages
    assert snapshot() == before


def test_import_command_writes_a_good_file(db):
    observations = Observation.objects.count()
    out, _ = run(FIXTURES / "kolada_utdrag.csv")
    assert "kolada_utdrag.csv: 40 rader, 32 nya värden, 4 ändrade, 4 oförändrade." in out
    assert Observation.objects.count() == observations + 32
    batch = LoadBatch.objects.get()
    assert (batch.file_name, batch.organisation, batch.file_format) == (
        "kolada_utdrag.csv",
        None,
        "kolada",
    )
    value = Observation.objects.get(
        indicator__code="N00923", area__code="0180", period="2022", sex="T"
    )
    assert value.value == pytest.approx(81.29)
    assert value.batch == batch


def test_running_the_import_command_twice_changes_nothing(db):
    run(FIXTURES / "kolada_utdrag.csv")
    before = snapshot()
    out, _ = run(FIXTURES / "kolada_utdrag.csv")
    assert "kolada_utdrag.csv är redan inläst" in out
    assert "ingenting ändrades" in out
    assert snapshot() == before
    assert LoadBatch.objects.count() == 1


def test_import_command_for_a_region_writes_only_the_regions_indicators(
    make_indicator, stockholm, analyst, tmp_path
):
    make_indicator("HG_KOMMANDO", organisation=stockholm)
    own = tmp_path / "egen.csv"
    own.write_text("indicator;area;period;value\nHG_KOMMANDO;01;2022;33,5\n", encoding="utf-8")
    out, _ = run(own, "--region", "Region Stockholm", "--user", "analyst")
    assert "1 nya värden" in out
    batch = LoadBatch.objects.get()
    assert (batch.organisation, batch.created_by) == (stockholm, analyst)
    entry = LogEntry.objects.get_for_object(batch).get(action=LogEntry.Action.CREATE)
    assert entry.actor == analyst

    before = snapshot()
    with pytest.raises(CommandError):
        run(FIXTURES / "kolada_utdrag.csv", "--region", "Region Stockholm")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["finns_inte.csv"], "filen finns inte"),
        ([FIXTURES / "kolada_utdrag.csv", "--region", "Region Atlantis"], "Regionen"),
        ([FIXTURES / "kolada_utdrag.csv", "--user", "ingen_sadan"], "Användaren"),
    ],
)
def test_import_command_refuses_bad_arguments(db, args, message):
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert snapshot() == before
