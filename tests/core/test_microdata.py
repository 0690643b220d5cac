"""Person-level extracts are aggregated by DuckDB without keeping a person; the aggregates and
standardised rates equal an independent calculation."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from halsogap.microdata import (
    MicrodataError,
    MicrodataSpec,
    aggregate_microdata,
    cni_from_listing,
    microdata_dsr,
)
from halsogap.stats.standardise import load_standard

SPEC = MicrodataSpec("deso", "alder", "ar", ["diabetes", "besok"], sex="kon")


def persons(n: int = 20_000, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "deso": rng.choice(["0180C1010", "0180C1020", "0127A0010"], n),
            "kon": rng.choice(["1", "2"], n),
            "alder": rng.integers(0, 100, n),
            "ar": np.full(n, 2024),
            "diabetes": (rng.random(n) < 0.07).astype(int),
            "besok": rng.poisson(1.5, n),
        }
    )


def band(age: pl.Expr) -> pl.Expr:
    """An independent banding: five-year bands to 85-89, then 90+."""
    start = (age // 5 * 5).clip(0, 90)
    return (
        pl.when(start >= 90)
        .then(pl.lit("90+"))
        .otherwise(start.cast(pl.String) + "-" + (start + 4).cast(pl.String))
    )


def spill_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("halsogap-microdata-*")}


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_counts_and_populations_equal_a_direct_group_by_and_nothing_stays_on_disk(tmp_path, suffix):
    people = persons()
    path = tmp_path / f"uttag.{suffix}"
    people.write_csv(path) if suffix == "csv" else people.write_parquet(path)
    before = spill_dirs()
    agg = aggregate_microdata(path, SPEC)
    assert spill_dirs() == before
    expected = (
        people.with_columns(
            band(pl.col("alder")).alias("age_band"),
            pl.col("kon").replace_strict({"1": "M", "2": "K"}).alias("sex"),
        )
        .group_by("deso", "sex", "age_band")
        .agg(
            pl.len().cast(pl.Float64).alias("population"),
            pl.col("diabetes").sum(),
            pl.col("besok").sum(),
        )
        .rename({"deso": "area"})
    )
    got = agg.select("area", "sex", "age_band", "population", "diabetes", "besok")
    joined = expected.join(got, on=["area", "sex", "age_band"], how="full", suffix="_got")
    assert joined.height == expected.height == got.height
    for column in ("population", "diabetes", "besok"):
        assert (joined[column].cast(pl.Float64) == joined[f"{column}_got"]).all(), column
    assert agg.height < people.height / 50  # cells, not persons


def test_the_standardised_rate_equals_the_esp2013_formula_by_hand(tmp_path):
    people = persons(60_000)
    path = tmp_path / "uttag.parquet"
    people.write_parquet(path)
    rates = microdata_dsr(aggregate_microdata(path, SPEC), "diabetes", by=["area"])
    standard = dict(load_standard("esp2013").select("age_band", "population").rows())
    cells = (
        people.with_columns(band(pl.col("alder")).alias("age_band"))
        .group_by("deso", "age_band")
        .agg(pl.len().alias("n"), pl.col("diabetes").sum().alias("x"))
    )
    for area, value in rates.select("area", "value").rows():
        part = cells.filter(pl.col("deso") == area)
        by_hand = (
            sum(standard[b] * x / n for b, x, n in part.select("age_band", "x", "n").rows())
            / sum(standard.values())
            * 100_000
        )
        assert value == pytest.approx(by_hand, rel=1e-9)


def test_small_cells_are_flagged_and_weights_are_summed(tmp_path):
    path = tmp_path / "enkat.csv"
    path.write_text(
        "deso,kon,alder,ar,rokare,vikt\n"
        "0180A,1,40,2024,1,2.5\n0180A,1,41,2024,0,1.5\n0180A,1,42,2024,1,3.0\n"
    )
    spec = MicrodataSpec("deso", "alder", "ar", ["rokare"], sex="kon", weight="vikt")
    row = aggregate_microdata(path, spec, threshold=5).row(0, named=True)
    assert row["population"] == 7.0 and row["rokare"] == 5.5
    assert row["rokare_suppressed"] is False
    flagged = aggregate_microdata(
        path, MicrodataSpec("deso", "alder", "ar", ["rokare"]), threshold=5
    )
    assert flagged.row(0, named=True)["rokare_suppressed"] is True


def test_a_bad_extract_names_file_row_and_column_and_gives_no_aggregate(tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text(
        "deso,kon,alder,ar,diabetes,besok\n"
        "0180A,1,40,2024,1,0\n"
        "0180A,3,40,2024,1,0\n"
        "0180A,1,gammal,2024,1,0\n"
        ",1,40,2024,-1,0\n"
    )
    with pytest.raises(MicrodataError) as caught:
        aggregate_microdata(path, SPEC)
    problems = caught.value.problems
    assert 'fel.csv, rad 5, kolumn "deso": förväntade en områdeskod, fick tomt' in problems
    assert (
        'fel.csv, rad 4, kolumn "alder": förväntade en ålder i hela år 0–120, fick "gammal"'
        in problems
    )
    assert (
        'fel.csv, rad 5, kolumn "diabetes": förväntade 0, 1 eller ett antal ≥ 0, fick "-1"'
        in problems
    )
    assert any(p.startswith('fel.csv, rad 3, kolumn "kon"') for p in problems)


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("deso,alder,ar\n0180A,40,2024\n")
    with pytest.raises(MicrodataError, match='förväntade kolumnen "diabetes"'):
        aggregate_microdata(path, MicrodataSpec("deso", "alder", "ar", ["diabetes"]))


def test_an_area_without_people_in_some_band_is_returned_with_the_reason(tmp_path):
    path = tmp_path / "liten.csv"
    path.write_text("deso,alder,ar,diabetes\n0180A,40,2024,1\n0180A,41,2024,0\n")
    rates = microdata_dsr(
        aggregate_microdata(path, MicrodataSpec("deso", "alder", "ar", ["diabetes"])), "diabetes"
    )
    row = rates.row(0, named=True)
    assert row["value"] is None and row["reason"].startswith(
        "saknar befolkning i åldersgrupperna 0-4"
    )


def test_cni_per_listing_unit_from_persons_equals_cni_from_the_units_counts(tmp_path):
    from halsogap.needs.cni import CNI_VARIABLES, care_need_index

    rng = np.random.default_rng(11)
    n = 30_000
    columns = [v.column for v in CNI_VARIABLES]
    people = pl.DataFrame(
        {"enhet": rng.choice(["VC1", "VC2", "VC3"], n)}
        | {c: (rng.random(n) < 0.05 + 0.02 * i).astype(int) for i, c in enumerate(columns)}
    )
    path = tmp_path / "listning.parquet"
    people.write_parquet(path)
    before = spill_dirs()
    got = cni_from_listing(path, reference=2.4761)
    assert spill_dirs() == before
    counts = (
        people.group_by("enhet")
        .agg(pl.len().alias("befolkning"), *[pl.col(c).sum() for c in columns])
        .sort("enhet")
    )
    expected = care_need_index(counts, reference=2.4761)
    assert got["enhet"].to_list() == expected["enhet"].to_list()
    assert got["cni"].to_list() == pytest.approx(expected["cni"].to_list(), rel=1e-12)
    assert got["befolkning"].to_list() == counts["befolkning"].to_list()


def test_a_listing_file_with_a_value_other_than_0_or_1_is_refused_by_row(tmp_path):
    from halsogap.needs.cni import CNI_VARIABLES

    columns = [v.column for v in CNI_VARIABLES]
    path = tmp_path / "fel.csv"
    path.write_text("enhet," + ",".join(columns) + "\nVC1," + ",".join(["0"] * 6 + ["2"]) + "\n")
    with pytest.raises(
        MicrodataError,
        match='fel.csv, rad 2, kolumn "lagutbildade": förväntade 0 eller 1, fick "2"',
    ):
        cni_from_listing(path)
