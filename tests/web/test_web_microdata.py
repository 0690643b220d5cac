"""A person-level extract summed on upload: the aggregates are loaded, no person is kept."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from halsogap_web.observations.models import ImportJob, LoadBatch, Observation

from .web_support import page_text, snapshot

FIELDS = {
    "area": "deso",
    "age": "alder",
    "year": "ar",
    "sex": "kon",
    "events": "diabetes=HG_DIABETES",
}


def persons(n=3000, seed=5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "deso": rng.choice(["0180", "0127"], n),
            "kon": rng.choice(["1", "2"], n),
            "alder": rng.integers(20, 90, n),
            "ar": np.full(n, 2024),
            "diabetes": (rng.random(n) < 0.1).astype(int),
            "personnummer": [f"19{rng.integers(10, 99)}0101-{i:04d}" for i in range(n)],
        }
    )


def leftovers() -> set[str]:
    tmp = Path(tempfile.gettempdir())
    return {p.name for p in [*tmp.glob("halsogap-upload-*"), *tmp.glob("halsogap-microdata-*")]}


def test_the_aggregates_are_loaded_and_no_person_reaches_the_database_or_the_disk(
    client_for, analyst, make_indicator, stockholm
):
    indicator = make_indicator("HG_DIABETES", organisation=stockholm, unit="procent")
    people = persons()
    before = leftovers()
    response = client_for(analyst).post(
        "/inlasning/mikrodata/",
        FIELDS | {"file": SimpleUploadedFile("uttag.parquet", _parquet(people))},
    )
    assert response.status_code == 200
    assert "nya värden" in page_text(response), page_text(response)[:2000]
    assert leftovers() == before
    assert not ImportJob.objects.exists()  # the upload is never kept as a job's content
    # The totals equal a count straight from the persons.
    total = Observation.objects.get(indicator=indicator, area__code="0180", sex="T", age_band="")
    stockholm_people = people.filter(pl.col("deso") == "0180")
    assert total.numerator == stockholm_people["diabetes"].sum()
    assert total.denominator == stockholm_people.height
    # No column of the database holds a personnummer.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            rows = cursor.fetchall()
            assert not any("0101-0001" in str(cell) for row in rows for cell in row), table
    batch = LoadBatch.objects.get()
    assert batch.source["persons_summed"] == people.height


def test_a_bad_extract_is_refused_by_row_and_changes_nothing(
    client_for, analyst, make_indicator, stockholm
):
    make_indicator("HG_DIABETES", organisation=stockholm, unit="procent")
    before = snapshot()
    text = "deso,kon,alder,ar,diabetes\n0180,1,40,2024,1\n0180,1,fyrtio,2024,1\n"
    response = client_for(analyst).post(
        "/inlasning/mikrodata/", FIELDS | {"file": SimpleUploadedFile("fel.csv", text.encode())}
    )
    assert (
        'fel.csv, rad 3, kolumn "alder": förväntade en ålder i hela år 0–120, fick "fyrtio"'
        in page_text(response)
    )
    assert snapshot() == before


def test_small_cells_are_stored_as_suppressed_without_their_count(
    client_for, analyst, make_indicator, stockholm
):
    indicator = make_indicator("HG_DIABETES", organisation=stockholm, unit="procent")
    rows = "\n".join(f"0180,1,{40 + i % 5},2024,{1 if i < 3 else 0}" for i in range(40))
    client_for(analyst).post(
        "/inlasning/mikrodata/",
        FIELDS
        | {
            "file": SimpleUploadedFile(
                "liten.csv", ("deso,kon,alder,ar,diabetes\n" + rows + "\n").encode()
            )
        },
    )
    cell = Observation.objects.get(indicator=indicator, area__code="0180", sex="M", age_band="")
    assert cell.suppressed and cell.numerator is None and cell.value is None
    assert cell.denominator == 40


def _parquet(frame: pl.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


def test_with_a_spark_master_set_the_extract_is_summed_on_spark_to_the_same_values(
    client_for, analyst, make_indicator, stockholm, settings
):
    indicator = make_indicator("HG_DIABETES", organisation=stockholm, unit="procent")
    settings.HALSOGAP_SPARK_MASTER = "local[1]"
    client = client_for(analyst)
    bad = "deso,kon,alder,ar,diabetes\n0180,1,40,2024,1\n0180,1,fyrtio,2024,1\n"
    refused = client.post(
        "/inlasning/mikrodata/", FIELDS | {"file": SimpleUploadedFile("fel.csv", bad.encode())}
    )
    # Spark keeps no row numbers: the message without "rad 3" shows that Spark summed it.
    assert 'fel.csv, kolumn "alder": förväntade en ålder i hela år 0–120, fick "fyrtio"' in (
        page_text(refused)
    )
    people = persons(n=500)
    client.post(
        "/inlasning/mikrodata/",
        FIELDS | {"file": SimpleUploadedFile("uttag.parquet", _parquet(people))},
    )
    total = Observation.objects.get(indicator=indicator, area__code="0180", sex="T", age_band="")
    stockholm_people = people.filter(pl.col("deso") == "0180")
    assert total.numerator == stockholm_people["diabetes"].sum()
    assert total.denominator == stockholm_people.height
