"""The aggregation is written once and runs on Spark (PySpark in local mode, on the machine's
Java 17) with the same results as on DuckDB: cells, weighted sums, CNI counts and the refusal
of a bad extract."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_microdata import SPEC, persons

from halsogap.microdata import (
    MicrodataError,
    MicrodataSpec,
    aggregate_microdata,
    cni_from_listing,
    spark_session,
)
from halsogap.needs.cni import CNI_VARIABLES


@pytest.fixture(scope="module")
def spark():
    session = spark_session("local[2]")
    # A few thousand rows need two shuffle partitions, not Spark's default 200.
    session.conf.set("spark.sql.shuffle.partitions", "2")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_spark_gives_the_same_cells_as_duckdb(tmp_path, spark, suffix):
    people = persons(n=5_000)
    path = tmp_path / f"uttag.{suffix}"
    people.write_csv(path) if suffix == "csv" else people.write_parquet(path)
    on_duckdb = aggregate_microdata(path, SPEC)
    on_spark = aggregate_microdata(path, SPEC, spark=spark)
    assert on_duckdb.height > 100
    assert_frame_equal(on_spark, on_duckdb)


def test_spark_gives_the_same_weighted_sums_for_survey_data(tmp_path, spark):
    rng = np.random.default_rng(11)
    people = persons(n=3_000).with_columns(
        vikt=pl.Series(rng.uniform(0.2, 3.0, 3_000)).round(3),
        alder=pl.lit("45-49"),
    )
    path = tmp_path / "enkat.csv"
    people.write_csv(path)
    spec = MicrodataSpec(
        "deso", "alder", "ar", ["diabetes"], sex="kon", weight="vikt", age_is_band=True
    )
    on_duckdb = aggregate_microdata(path, spec)
    on_spark = aggregate_microdata(path, spec, spark=spark)
    assert_frame_equal(on_spark, on_duckdb, rel_tol=1e-12)
    assert on_spark["population"].sum() == pytest.approx(people["vikt"].sum())


def test_spark_counts_the_same_cni_per_listing_unit(tmp_path, spark):
    rng = np.random.default_rng(3)
    columns = [v.column for v in CNI_VARIABLES]
    listing = pl.DataFrame(
        {"enhet": rng.choice(["VC Rinkeby", "VC Tensta", "VC Kista"], 4_000)}
        | {c: (rng.random(4_000) < 0.15).astype(int) for c in columns}
    )
    path = tmp_path / "listning.parquet"
    listing.write_parquet(path)
    on_duckdb = cni_from_listing(path, reference=2.4761)
    on_spark = cni_from_listing(path, reference=2.4761, spark=spark)
    assert_frame_equal(on_spark, on_duckdb)


def test_spark_refuses_a_bad_extract_naming_the_column_and_the_value(tmp_path, spark):
    people = persons(n=200).with_columns(pl.col("ar").cast(pl.String))
    people = people.with_columns(
        pl.when(pl.int_range(pl.len()) == 17).then(pl.lit("tjugo")).otherwise("ar").alias("ar")
    )
    path = tmp_path / "uttag.csv"
    people.write_csv(path)
    with pytest.raises(MicrodataError) as on_duckdb:
        aggregate_microdata(path, SPEC)
    with pytest.raises(MicrodataError) as on_spark:
        aggregate_microdata(path, SPEC, spark=spark)
    assert on_duckdb.value.problems == [
        'uttag.csv, rad 19, kolumn "ar": förväntade ett årtal, fick "tjugo"'
    ]
    # Spark keeps no row numbers; the column and the value still say what to fix.
    assert on_spark.value.problems == ['uttag.csv, kolumn "ar": förväntade ett årtal, fick "tjugo"']
