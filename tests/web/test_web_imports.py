"""Imports through the web upload: all or nothing, row-level messages, idempotent.

The contract is docs/import-format.md; the example files are in tests/fixtures/imports/.
Uploads run in the request (the autouse fixture selects django-tasks' immediate backend), so
the page the upload redirects to already shows the outcome.
"""

from __future__ import annotations

import re

import pytest

from halsogap_web.observations.models import ImportJob, LoadBatch, Observation

from .web_support import FIXTURES, ROOT, page_text, snapshot, upload

OWN = "HG_STHLM_EGEN"


@pytest.fixture
def own_indicator(make_indicator, stockholm):
    return make_indicator(OWN, organisation=stockholm, title="Stockholms egen rökvaneenkät")


def _documented_errors() -> list[str]:
    """The messages docs/import-format.md promises for egen_indikator_felaktig.csv."""
    text = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    block = re.search(
        r"egen_indikator_felaktig\.csv` ger ett fel av varje sort:\s*```\n(.*?)```", text, re.S
    )
    assert block, "docs/import-format.md no longer lists the expected messages"
    return block.group(1).strip().splitlines()


def _values(code: str) -> dict:
    rows = Observation.objects.filter(indicator__code=code).values_list(
        "area__code", "period", "sex", "age_band", "socioeconomic_group", "value"
    )
    return {tuple(r[:5]): r[5] for r in rows}


# --- Rejected files -----------------------------------------------------------------------


def test_bad_tidy_file_is_rejected_with_row_messages_and_nothing_written(
    client_for, admin, make_indicator, stockholm
):
    # Every error the file was made to contain is reported exactly as documented; on top, a
    # region's upload is told that U01402 is national (only the national loader writes it).
    make_indicator("LIVSKVALITET", organisation=stockholm, unit="procent")
    before = snapshot()
    name = "egen_indikator_felaktig.csv"
    response = upload(client_for(admin), name, (FIXTURES / name).read_bytes())

    assert response.redirect_chain[-1][0].startswith("/inlasning/")
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.batch is None
    expected = _documented_errors()
    assert len(expected) == 13
    assert set(expected) <= set(job.errors)
    extra = [e for e in job.errors if e not in expected]
    assert extra and all("U01402 är nationell" in e for e in extra)
    text = page_text(response)
    assert "Filen avvisades – ingenting sparades" in text
    for message in expected:
        assert f"<li>{message}</li>" in text
    assert 'rad 3, kolumn "area"' in text
    # Not even the one good row (rad 2) was written.
    assert snapshot() == before


def test_analysts_bad_file_for_own_indicator_writes_not_even_its_good_rows(
    client_for, analyst, own_indicator
):
    before = snapshot()
    rows = [
        "indicator;area;period;value;numerator;denominator",
        f"{OWN};01;2022;12,5;25;200",  # rad 2: good
        f"{OWN};9999;2022;12,5;;",  # rad 3: unknown area
        f"{OWN};0180;2022;tolv;;",  # rad 4: not a number
        f"{OWN};00;2022;10;-3;100",  # rad 5: negative count
        f"{OWN};12;2022;10;120;100",  # rad 6: numerator above denominator
        f"{OWN};01;2022;12,6;;",  # rad 7: same key as rad 2
        f"{OWN};01;2021;11,0;;",  # rad 8: good
    ]
    response = upload(client_for(analyst), "rader.csv", "\n".join(rows).encode())
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    text = page_text(response)
    for fragment in [
        'rader.csv, rad 3, kolumn "area": förväntade en känd SCB-områdeskod',
        'rader.csv, rad 4, kolumn "value": förväntade ett tal (t.ex. 12,5 eller 12.5), fick "tolv"',
        'rader.csv, rad 5, kolumn "numerator": förväntade ett antal som är 0 eller större, fick "-3"',
        'rader.csv, rad 6, kolumn "numerator": förväntade högst nämnaren ("denominator" = 100), '
        'fick "120"',
        "rader.csv, rad 7, kolumn",
        "samma nyckel finns redan på rad 2",
    ]:
        assert fragment in text
    assert len(job.errors) == 5
    assert snapshot() == before
    assert _values(OWN) == {}


def test_unreadable_file_is_rejected_with_a_file_message(client_for, analyst, own_indicator):
    before = snapshot()
    response = upload(client_for(analyst), "tom.csv", b"indicator;area;period;value\n")
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        'tom.csv: förväntade minst en datarad under rubrikraden, fick "bara rubrikraden"'
    ]
    assert "bara rubrikraden" in page_text(response)
    assert snapshot() == before


def test_wrong_explicit_format_is_rejected(client_for, admin):
    before = snapshot()
    data = (FIXTURES / "kolada_utdrag.csv").read_bytes()
    response = upload(client_for(admin), "kolada_utdrag.csv", data, file_format="tidy")
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.errors and job.errors[0].startswith("kolada_utdrag.csv, rad 1: förväntade en kolumn")
    assert snapshot() == before


def test_upload_form_refuses_other_file_types(client_for, analyst):
    before = snapshot()
    response = upload(client_for(analyst), "rapport.pdf", b"%PDF-1.4")
    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "är varken CSV, XLSX, JSON eller PC-Axis" in page_text(response)
    assert not ImportJob.objects.exists()
    assert snapshot() == before


# --- Good files, and the same file again --------------------------------------------------


GOOD = (
    "indicator;area;period;sex;value;lower;upper\n"
    f"{OWN};00;2021;T;10,5;10,1;10,9\n"
    f"{OWN};00;2022;T;10,0;9,6;10,4\n"
    f"{OWN};01;2021;T;12,4;11,6;13,2\n"
    f"{OWN};01;2022;T;11,8;11,0;12,6\n"
    f"{OWN};01;2022;K;11,1;;\n"
    f"{OWN};0180;2022;T;14,7;;\n"
).encode()


def test_good_file_writes_values_that_appear_on_the_indicator_page(
    client_for, analyst, own_indicator
):
    observations = Observation.objects.count()
    client = client_for(analyst)
    response = upload(client, "stockholm_2022.csv", GOOD, file_format="tidy")
    job = response.context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    assert "6 nya värden, 0 ändrade, 0 oförändrade." in page_text(response)
    batch = job.batch
    assert (batch.row_count, batch.created_count, batch.updated_count) == (6, 6, 0)
    assert batch.organisation.name == "Region Stockholm"
    assert batch.created_by == analyst
    assert Observation.objects.count() == observations + 6
    assert set(
        Observation.objects.filter(indicator=own_indicator).values_list("batch", flat=True)
    ) == {batch.pk}
    assert _values(OWN)[("01", "2022", "T", "", "")] == pytest.approx(11.8)

    page = page_text(client.get(f"/indikator/{OWN}/"))
    assert "11,8" in page and "12,4" in page and "10,0" in page
    assert "11,0–12,6" in page  # the confidence interval
    assert "14,7" in page_text(client.get(f"/indikator/{OWN}/?omrade=0180"))
    region = client.get("/region/01/")
    row = next(r for r in region.context["rows"] if r.indicator.code == OWN)
    assert (row.value, row.change, row.riket_value) == pytest.approx((11.8, -0.6, 10.0))


def test_uploading_the_identical_file_again_changes_nothing(client_for, analyst, own_indicator):
    client = client_for(analyst)
    first = upload(client, "stockholm_2022.csv", GOOD).context["job"]
    assert first.status == ImportJob.Status.DONE, first.errors
    before = snapshot()
    batches = LoadBatch.objects.count()

    again = upload(client, "stockholm_2022.csv", GOOD)
    job = again.context["job"]
    assert job.pk != first.pk
    assert job.status == ImportJob.Status.DONE
    assert job.batch == first.batch
    assert LoadBatch.objects.count() == batches
    assert snapshot() == before
    text = page_text(again)
    assert "Samma fil lästes redan in" in text
    assert "ingenting ändrades" in text
    # The same bytes under another name are the same file.
    renamed = upload(client, "kopia.csv", GOOD).context["job"]
    assert renamed.batch == first.batch
    assert snapshot() == before


def test_windows_1252_with_semicolon_and_decimal_comma(client_for, analyst, own_indicator):
    text = (
        "indikator;område;år;kön;socioekonomisk_grupp;värde\n"
        f"{OWN};01;2022;T;;12,5\n"
        f"{OWN};00;2022;T;;9,75\n"
        f"{OWN};01;2022;T;förgymnasial;17,25\n"
        f"{OWN};01;2022;K;eftergymnasial;8,5\n"
    )
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1252, as Excel saves it
    client = client_for(analyst)
    job = upload(client, "excel_export.csv", data).context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    assert _values(OWN) == pytest.approx(
        {
            ("01", "2022", "T", "", ""): 12.5,
            ("00", "2022", "T", "", ""): 9.75,
            ("01", "2022", "T", "", "förgymnasial"): 17.25,
            ("01", "2022", "K", "", "eftergymnasial"): 8.5,
        }
    )
    page = page_text(client.get(f"/indikator/{OWN}/"))
    assert "12,5" in page
    assert "9,8" in page  # 9,75 shown with one decimal


def test_a_mac_roman_file_is_read_right_and_the_job_page_says_how(
    client_for, analyst, own_indicator
):
    data = (
        f"indikator;område;år;kön;socioekonomisk_grupp;värde\n{OWN};01;2022;K;förgymnasial;4,5\n"
    ).encode("mac_roman")
    client = client_for(analyst)
    job = upload(client, "mac_export.csv", data).context["job"]
    assert job.status == ImportJob.Status.DONE, job.errors
    assert _values(OWN) == {("01", "2022", "K", "", "förgymnasial"): 4.5}
    text = page_text(client.get(f"/inlasning/{job.pk}/"))
    assert "mac_export.csv: filen var sparad i teckenkodningen Mac Roman" in text


def test_xlsx_from_the_national_loader_writes_values(make_indicator, stockholm):
    # The example mixes national U01402 rows with Stockholm's own: only the national loader
    # (the command line, with no region) may write it whole.
    from django.core.management import call_command

    make_indicator("LIVSKVALITET", organisation=stockholm, unit="procent")
    call_command("import_observations", str(FIXTURES / "egen_indikator_exempel.xlsx"))
    assert LoadBatch.objects.latest("pk").row_count == 6
    values = _values("LIVSKVALITET")
    assert values[("0180", "2018-2021", "K", "65+", "eftergymnasial")] == pytest.approx(71.2)
    assert values[("00", "2018-2021", "T", "65+", "")] == pytest.approx(68.4)


# --- National (Kolada) indicators ---------------------------------------------------------


def test_analyst_cannot_write_into_a_national_indicator(client_for, analyst):
    before = snapshot()
    name = "kolada_utdrag.csv"
    response = upload(client_for(analyst), name, (FIXTURES / name).read_bytes())
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert (
        'kolada_utdrag.csv, rad 2, kolumn "kpi": förväntade en av regionens egna indikatorer '
        "(N00923 är nationell; nationella värden läses bara in av den nationella inläsningen "
        'och källorna), fick "N00923"' in job.errors
    )
    assert "U01402 är nationell" in page_text(response)
    assert snapshot() == before


def test_analyst_cannot_write_into_a_national_indicator_with_tidy_format(client_for, analyst):
    before = snapshot()
    data = b"indicator;area;period;value\nU01402;01;2022;99\n"
    job = upload(client_for(analyst), "smyg.csv", data).context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.errors == [
        'smyg.csv, rad 2, kolumn "indicator": förväntade en av regionens egna indikatorer '
        "(U01402 är nationell; nationella värden läses bara in av den nationella inläsningen "
        'och källorna), fick "U01402"'
    ]
    assert snapshot() == before


def test_a_regions_administrator_cannot_write_into_a_national_indicator(client_for, admin):
    before = snapshot()
    name = "kolada_utdrag.csv"
    job = upload(client_for(admin), name, (FIXTURES / name).read_bytes()).context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert "N00923 är nationell" in job.errors[0]
    assert snapshot() == before


def test_the_national_loader_writes_into_a_national_indicator(client_for):
    from django.core.management import call_command

    call_command("import_observations", str(FIXTURES / "kolada_utdrag.csv"))
    # 40 rows: four equal the session's U01402 values, four differ (riket and Stockholms stad
    # 2021, Stockholm's women and men 2022), the other 32 are new.
    batch = LoadBatch.objects.latest("pk")
    assert (batch.row_count, batch.created_count, batch.updated_count, batch.unchanged_count) == (
        40,
        32,
        4,
        4,
    )
    values = _values("N00923")
    assert values[("01", "2022", "T", "", "")] == pytest.approx(81.47)
    assert values[("1480", "2021", "T", "", "")] == pytest.approx(80.42)
    assert _values("U01402")[("00", "2021", "T", "", "")] == pytest.approx(7.0)
    public = client_for(None).get("/indikator/N00923/?omrade=01")
    assert "81,5" in page_text(public)
