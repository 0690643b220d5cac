"""Where the aggregation runs: DuckDB on this machine by default, Spark when given a session.

Both read the extract where it lies and hand back only the aggregates: DuckDB streams the file
out of core (its spill files live in a temporary folder removed when the run ends), Spark reads
it on the cluster. The checks and sums are the Ibis expressions of
:mod:`halsogap.microdata.expressions`, the same for both engines.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ibis
import ibis.expr.types as ir
import polars as pl

from .expressions import cell_aggregates, listing_counts, listing_rules, problem_rules
from .spec import MAX_ISSUES, MicrodataError, MicrodataSpec, check_name, shown

#: DuckDB's number of each row in the file (from 0), so that a message names the row.
ROW = "file_row_number"


def spark_session(master: str = "local[2]"):
    """A Spark session for :func:`aggregate_microdata`: ``local[N]`` on this machine, or a
    cluster's master URL (``spark://…:7077``, ``yarn``) in a national deployment. The
    example is skipped in the doctests because it starts a JVM.

    >>> spark = spark_session("local[2]")  # doctest: +SKIP
    >>> aggregate_microdata("uttag.parquet", spec, spark=spark)  # doctest: +SKIP
    """
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName("Hälsogap mikrodata")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def _duckdb_source(path: Path) -> str:
    text = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{text}', file_row_number = true)"
    return (
        f"(SELECT *, row_number() OVER () - 1 AS {ROW} "
        f"FROM read_csv('{text}', header = true, all_varchar = true))"
    )


@contextmanager
def _extract(
    path: Path, *, spark=None, memory_limit: str = "1GB", threads: int = 2
) -> Iterator[tuple[ibis.BaseBackend, ir.Table]]:
    """The extract as an Ibis table on its engine, for as long as the ``with`` lasts."""
    if spark is not None:
        reader = spark.read
        try:
            if path.suffix.lower() == ".parquet":
                frame = reader.parquet(str(path))
            else:
                frame = reader.option("header", True).csv(str(path))
        except Exception as error:  # noqa: BLE001 - Spark's errors come from the JVM
            raise MicrodataError([f"{path.name}: kunde inte läsas ({error})"]) from error
        view = f"halsogap_extract_{uuid.uuid4().hex}"
        frame.createOrReplaceTempView(view)
        backend = ibis.pyspark.connect(spark)
        try:
            yield backend, backend.table(view)
        finally:
            spark.catalog.dropTempView(view)
        return
    with tempfile.TemporaryDirectory(prefix="halsogap-microdata-") as spill:
        backend = ibis.duckdb.connect(
            memory_limit=memory_limit, threads=threads, temp_directory=spill
        )
        try:
            try:
                table = backend.sql(f"SELECT * FROM {_duckdb_source(path)}")
            except Exception as error:  # noqa: BLE001 - DuckDB's and Ibis's read errors alike
                raise MicrodataError([f"{path.name}: kunde inte läsas ({error})"]) from error
            yield backend, table
        finally:
            backend.disconnect()


def _require(table: ir.Table, wanted: list[str], name: str) -> None:
    present = set(table.columns) - {ROW}
    missing = [c for c in wanted if c not in present]
    if missing:
        have = ", ".join(sorted(present))
        raise MicrodataError(
            [f'{name}, rad 1: förväntade kolumnen "{c}", fick {have}' for c in missing]
        )


def _refuse_bad_rows(backend, table: ir.Table, rules: list, *, name: str, header_rows: int):
    """Every bad cell (up to :data:`MAX_ISSUES`) as "fil, rad N, kolumn …" before anything is
    summed, so a bad extract gives messages, not a partial aggregate. Spark keeps no row
    numbers, so there the message names the column and the value only."""
    problems: list[str] = []
    numbered = ROW in table.columns
    for column, bad, expected in rules:
        picked = table.filter(bad)
        if numbered:
            picked = picked.order_by(ROW)
            picked = picked.select(row=picked[ROW], found=picked[column].cast("string"))
        else:
            picked = picked.select(found=picked[column].cast("string"))
        hits = backend.to_polars(picked.limit(MAX_ISSUES - len(problems)))
        for hit in hits.iter_rows(named=True):
            where = f", rad {hit['row'] + header_rows + 1}" if numbered else ""
            problems.append(
                f'{name}{where}, kolumn "{column}": förväntade {expected}, fick {shown(hit["found"])}'
            )
        if len(problems) >= MAX_ISSUES:
            break
    if problems:
        raise MicrodataError(problems)


def aggregate_microdata(
    path: str | Path,
    spec: MicrodataSpec,
    *,
    threshold: int = 5,
    memory_limit: str = "1GB",
    threads: int = 2,
    spark=None,
) -> pl.DataFrame:
    """Numerators and populations by area, year, sex and age band from a person-level file.

    Returns one row per cell with ``population`` (persons, or the weighted sum), one column
    per event, and ``<event>_suppressed`` where a non-zero count is below ``threshold``. With
    ``spark`` (a session from :func:`spark_session`) the same expressions run on Spark.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.csv").write_text("deso,kon,alder,ar,diabetes\\n0180A,1,37,2024,1\\n"
    ...     "0180A,1,38,2024,0\\n0180A,2,91,2024,1\\n")
    >>> agg = aggregate_microdata(folder / "x.csv", MicrodataSpec("deso", "alder", "ar",
    ...     ["diabetes"], sex="kon"), threshold=1)
    >>> agg.select("area", "sex", "age_band", "population", "diabetes").sort("sex").rows()
    [('0180A', 'K', '90+', 1.0, 1.0), ('0180A', 'M', '35-39', 2.0, 1.0)]
    """
    path = Path(path)
    if not path.exists():
        raise MicrodataError([f"{path.name}: filen finns inte"])
    wanted = spec.columns
    with _extract(path, spark=spark, memory_limit=memory_limit, threads=threads) as (
        backend,
        table,
    ):
        _require(table, wanted, path.name)
        _refuse_bad_rows(
            backend,
            table,
            problem_rules(table, spec),
            name=path.name,
            header_rows=0 if path.suffix.lower() == ".parquet" else 1,
        )
        frame = backend.to_polars(cell_aggregates(table, spec))
    return flag_small_counts(frame, spec.events, threshold)


def flag_small_counts(frame: pl.DataFrame, events, threshold: int) -> pl.DataFrame:
    """``<event>_suppressed``: a count above 0 but under the disclosure threshold.

    >>> flag_small_counts(pl.DataFrame({"x": [0, 3, 7]}), ["x"], 5)["x_suppressed"].to_list()
    [False, True, False]
    """
    return frame.with_columns(
        ((pl.col(e) > 0) & (pl.col(e) < threshold)).alias(f"{e}_suppressed") for e in events
    )


def cni_from_listing(
    path: str | Path,
    *,
    unit: str = "enhet",
    reference=None,
    threshold: int = 5,
    memory_limit: str = "1GB",
    spark=None,
) -> pl.DataFrame:
    """Care Need Index per listing unit from person-level listing data.

    The file has one row per listed person: the unit (``unit``) and a 0/1 column for each of
    the seven CNI criteria (``barn_under_5``, ``utlandsfodda`` … as in
    :data:`~halsogap.needs.cni.CNI_VARIABLES`). The persons are counted per unit by the engine
    (no person reaches Python or stays on disk) and :func:`~halsogap.needs.cni.care_need_index`
    computes CNI from the counts; ``reference`` is passed on (None: relative to these units).
    Counts below ``threshold`` are flagged in ``<variable>_suppressed``.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> head = "enhet,barn_under_5,utlandsfodda,aldre_ensamboende,ensamstaende_foraldrar,inflyttade,arbetslosa,lagutbildade"
    >>> rows = ["A,1,0,0,0,0,0,0", "A,0,0,0,0,0,0,0", "B,0,0,0,0,0,0,0", "B,0,0,0,0,0,0,0"]
    >>> _ = (folder / "listning.csv").write_text(head + "\\n" + "\\n".join(rows) + "\\n")
    >>> cni = cni_from_listing(folder / "listning.csv", threshold=1)
    >>> cni.select("enhet", "befolkning", "barn_under_5", pl.col("cni").round(2)).rows()
    [('A', 2, 1, 2.0), ('B', 2, 0, 0.0)]
    """
    from halsogap.needs.cni import CNI_VARIABLES, care_need_index

    columns = [v.column for v in CNI_VARIABLES]
    path = Path(path)
    if not path.exists():
        raise MicrodataError([f"{path.name}: filen finns inte"])
    with _extract(path, spark=spark, memory_limit=memory_limit) as (backend, table):
        _require(table, [check_name(unit), *columns], path.name)
        _refuse_bad_rows(
            backend,
            table,
            listing_rules(table, columns),
            name=path.name,
            header_rows=0 if path.suffix.lower() == ".parquet" else 1,
        )
        counts = backend.to_polars(listing_counts(table, unit=unit, columns=columns))
    return flag_small_counts(care_need_index(counts, reference=reference), columns, threshold)
