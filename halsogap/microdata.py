"""A region's person-level extract, aggregated without keeping a person.

An extract (CSV or Parquet) has one row per person (or per person and year): an area code
(DeSO, RegSO, kommun or listing unit), sex, age in years or an age band, the year, and 0/1 or
count columns for conditions and events, optionally a survey weight. :func:`aggregate_microdata`
lets DuckDB stream it from disk and group it into numerators and populations by area × year ×
sex × age band; nothing person-level is loaded into Python, written to the database, or left
on disk (DuckDB's spill files live in a temporary directory removed when the run ends). Cells
with a count under the disclosure threshold are flagged. :func:`microdata_dsr` turns the
aggregates into directly standardised rates with :func:`halsogap.stats.dsr`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from halsogap.stats import dsr
from halsogap.stats.standardise import load_standard

#: Check at most this many bad rows before refusing the file; nobody fixes row 5 000 first.
MAX_ISSUES = 20


class MicrodataError(ValueError):
    """An extract that cannot be aggregated, with every problem found (file, row, column)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MicrodataSpec:
    """Which columns of the extract hold what.

    ``age`` holds whole years (banded into the standard's bands) unless ``age_is_band``;
    ``events`` are 0/1 or counts per person; ``weight`` a survey weight (numerators and
    populations are then weighted sums).
    """

    area: str
    age: str
    year: str
    events: Sequence[str]
    sex: str | None = None
    weight: str | None = None
    age_is_band: bool = False
    standard: str = "esp2013"
    #: Codes of sex in the extract mapped to Hälsogap's T/K/M.
    sex_codes: dict = field(default_factory=lambda: {"1": "M", "2": "K", "M": "M", "K": "K"})


def _identifier(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z_ÅÄÖåäö][\wÅÄÖåäö]*", name):
        raise MicrodataError(
            [f"kolumnnamnet {name!r} kan inte användas (bokstäver, siffror och _)"]
        )
    return f'"{name}"'


def _source(path: Path) -> str:
    text = str(path).replace("'", "''")
    if path.suffix.lower() == ".parquet":
        return f"read_parquet('{text}', file_row_number = true)"
    return f"(SELECT *, row_number() OVER () - 1 AS file_row_number FROM read_csv('{text}', header = true, all_varchar = true))"


def _band_sql(age: str, standard: str) -> str:
    """Age in years to the standard's band label (e.g. 37 → "35-39", 93 → "90+")."""
    bands = load_standard(standard)
    starts = bands["start_age"].to_list()
    labels = bands["age_band"].to_list()
    cases = " ".join(
        f"WHEN {age} >= {start} THEN '{label}'"
        for start, label in sorted(zip(starts, labels, strict=True), reverse=True)
    )
    return f"CASE {cases} END"


def _shown(found) -> str:
    return "tomt" if found in (None, "") else f'"{found}"'


def _check(con, source: str, spec: MicrodataSpec, name: str, header_rows: int) -> None:
    """Every bad cell (up to :data:`MAX_ISSUES`) as "fil, rad N, kolumn …" before anything is
    summed, so a bad extract gives messages, not a partial aggregate."""
    rules = [
        (
            spec.area,
            f"{_identifier(spec.area)} IS NULL OR trim({_identifier(spec.area)}) = ''",
            "en områdeskod",
        ),
        (spec.year, f"TRY_CAST({_identifier(spec.year)} AS INTEGER) IS NULL", "ett årtal"),
    ]
    if not spec.age_is_band:
        age = _identifier(spec.age)
        rules.append(
            (
                spec.age,
                f"TRY_CAST({age} AS INTEGER) IS NULL OR TRY_CAST({age} AS INTEGER) NOT BETWEEN 0 AND 120",
                "en ålder i hela år 0–120",
            )
        )
    for event in spec.events:
        e = _identifier(event)
        rules.append(
            (
                event,
                f"TRY_CAST({e} AS DOUBLE) IS NULL OR TRY_CAST({e} AS DOUBLE) < 0",
                "0, 1 eller ett antal ≥ 0",
            )
        )
    if spec.weight:
        w = _identifier(spec.weight)
        rules.append(
            (
                spec.weight,
                f"TRY_CAST({w} AS DOUBLE) IS NULL OR TRY_CAST({w} AS DOUBLE) <= 0",
                "en vikt över 0",
            )
        )
    if spec.sex:
        s = _identifier(spec.sex)
        known = ", ".join(f"'{k}'" for k in spec.sex_codes)
        rules.append(
            (
                spec.sex,
                f"CAST({s} AS VARCHAR) NOT IN ({known})",
                f"ett kön ({', '.join(spec.sex_codes)})",
            )
        )
    problems = []
    for column, bad, expected in rules:
        rows = con.execute(
            f"SELECT file_row_number, CAST({_identifier(column)} AS VARCHAR) FROM {source} "
            f"WHERE {bad} ORDER BY file_row_number LIMIT {MAX_ISSUES - len(problems)}"
        ).fetchall()
        for row_number, found in rows:
            problems.append(
                f'{name}, rad {row_number + header_rows + 1}, kolumn "{column}": '
                f"förväntade {expected}, fick {_shown(found)}"
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
) -> pl.DataFrame:
    """Numerators and populations by area, year, sex and age band from a person-level file.

    Returns one row per cell with ``population`` (persons, or the weighted sum), one column
    per event, and ``<event>_suppressed`` where a non-zero count is below ``threshold``.

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
    with tempfile.TemporaryDirectory(prefix="halsogap-microdata-") as spill:
        con = duckdb.connect(
            ":memory:",
            config={"memory_limit": memory_limit, "threads": threads, "temp_directory": spill},
        )
        try:
            source = _source(path)
            try:
                columns = {c[0] for c in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            except duckdb.Error as error:
                raise MicrodataError([f"{path.name}: kunde inte läsas ({error})"]) from error
            wanted = [
                spec.area,
                spec.age,
                spec.year,
                *spec.events,
                *(c for c in (spec.sex, spec.weight) if c),
            ]
            missing = [c for c in wanted if c not in columns]
            if missing:
                raise MicrodataError(
                    [
                        f'{path.name}, rad 1: förväntade kolumnen "{c}", fick {", ".join(sorted(columns - {"file_row_number"}))}'
                        for c in missing
                    ]
                )
            _check(
                con,
                source,
                spec,
                path.name,
                header_rows=1 if path.suffix.lower() != ".parquet" else 0,
            )
            # The aggregates are small (cells, not persons): numpy columns avoid an Arrow
            # dependency for the hand-over.
            frame = pl.DataFrame(con.sql(_aggregate_sql(source, spec)).fetchnumpy())
        finally:
            con.close()
    return _flag(frame, spec.events, threshold)


def _aggregate_sql(source: str, spec: MicrodataSpec) -> str:
    weight = f"CAST({_identifier(spec.weight)} AS DOUBLE)" if spec.weight else "1.0"
    age = _identifier(spec.age)
    band = (
        f"CAST({age} AS VARCHAR)"
        if spec.age_is_band
        else _band_sql(f"CAST({age} AS INTEGER)", spec.standard)
    )
    if spec.sex:
        cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in spec.sex_codes.items())
        sex = f"CASE CAST({_identifier(spec.sex)} AS VARCHAR) {cases} END"
    else:
        sex = "'T'"
    sums = ", ".join(
        f"sum(CAST({_identifier(e)} AS DOUBLE) * {weight}) AS {_identifier(e)}" for e in spec.events
    )
    return (
        f"SELECT trim(CAST({_identifier(spec.area)} AS VARCHAR)) AS area, "
        f"CAST({_identifier(spec.year)} AS INTEGER) AS year, {sex} AS sex, {band} AS age_band, "
        f"sum({weight}) AS population, {sums} FROM {source} GROUP BY ALL ORDER BY ALL"
    )


def _flag(frame: pl.DataFrame, events: Sequence[str], threshold: int) -> pl.DataFrame:
    return frame.with_columns(
        ((pl.col(e) > 0) & (pl.col(e) < threshold)).alias(f"{e}_suppressed") for e in events
    )


def microdata_dsr(
    aggregates: pl.DataFrame,
    event: str,
    *,
    by: Sequence[str] = ("area", "year"),
    standard: str = "esp2013",
    multiplier: float = 100_000,
) -> pl.DataFrame:
    """Directly standardised rates of ``event`` per group of ``by`` from the aggregates.

    Groups without population in some band of the standard cannot be standardised; they are
    returned with an empty value and the reason, never dropped silently.

    >>> bands = load_standard("esp2013")["age_band"].to_list()
    >>> agg = pl.DataFrame({"area": ["A"] * 19, "year": [2024] * 19, "sex": ["T"] * 19,
    ...     "age_band": bands, "population": [5000.0] * 19, "x": [30.0] * 19})
    >>> microdata_dsr(agg, "x").select("area", pl.col("value").round(1), "reason").rows()
    [('A', 600.0, None)]
    """
    keys = list(by)
    grouped = aggregates.group_by([*keys, "age_band"]).agg(
        pl.col("population").sum(), pl.col(event).sum().alias("count")
    )
    bands = load_standard(standard)["age_band"].to_list()
    coverage = (
        grouped.filter(pl.col("population") > 0)
        .group_by(keys)
        .agg(pl.col("age_band").alias("__bands"))
    )
    complete = coverage.filter(pl.col("__bands").list.len() == len(bands)).select(keys)
    incomplete = coverage.join(complete, on=keys, how="anti")
    rates = (
        dsr(grouped.join(complete, on=keys), by=keys, standard=standard, multiplier=multiplier)
        if complete.height
        else pl.DataFrame()
    )
    if rates.height:
        rates = rates.with_columns(pl.lit(None, pl.String).alias("reason"))
    if incomplete.height:
        reasons = incomplete.with_columns(
            pl.col("__bands")
            .map_elements(
                lambda have: (
                    "saknar befolkning i åldersgrupperna "
                    + ", ".join(b for b in bands if b not in set(have))
                ),
                return_dtype=pl.String,
            )
            .alias("reason"),
            pl.lit(None, pl.Float64).alias("value"),
        ).drop("__bands")
        rates = pl.concat([rates, reasons], how="diagonal_relaxed") if rates.height else reasons
    return rates.sort(keys)


def cni_from_listing(
    path: str | Path,
    *,
    unit: str = "enhet",
    reference=None,
    threshold: int = 5,
    memory_limit: str = "1GB",
) -> pl.DataFrame:
    """Care Need Index per listing unit from person-level listing data.

    The file has one row per listed person: the unit (``unit``) and a 0/1 column for each of
    the seven CNI criteria (``barn_under_5``, ``utlandsfodda`` … as in
    :data:`~halsogap.needs.cni.CNI_VARIABLES`). The persons are counted per unit by DuckDB (no
    person reaches Python or stays on disk) and :func:`~halsogap.needs.cni.care_need_index`
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
    with tempfile.TemporaryDirectory(prefix="halsogap-microdata-") as spill:
        con = duckdb.connect(
            ":memory:", config={"memory_limit": memory_limit, "threads": 2, "temp_directory": spill}
        )
        try:
            source = _source(path)
            present = {c[0] for c in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            missing = [c for c in [unit, *columns] if c not in present]
            if missing:
                raise MicrodataError(
                    [f'{path.name}, rad 1: förväntade kolumnen "{c}"' for c in missing]
                )
            problems = []
            for column in columns:
                c = _identifier(column)
                bad = con.execute(
                    f"SELECT file_row_number, CAST({c} AS VARCHAR) FROM {source} "
                    f"WHERE TRY_CAST({c} AS INTEGER) IS NULL OR TRY_CAST({c} AS INTEGER) NOT IN (0, 1) "
                    f"ORDER BY file_row_number LIMIT {MAX_ISSUES}"
                ).fetchall()
                header = 1 if path.suffix.lower() != ".parquet" else 0
                problems += [
                    f'{path.name}, rad {r + header + 1}, kolumn "{column}": förväntade 0 eller 1, '
                    f"fick {_shown(v)}"
                    for r, v in bad
                ]
            if problems:
                raise MicrodataError(problems[:MAX_ISSUES])
            sums = ", ".join(
                f"CAST(sum(CAST({_identifier(c)} AS INTEGER)) AS BIGINT) AS {_identifier(c)}"
                for c in columns
            )
            query = (
                f"SELECT CAST({_identifier(unit)} AS VARCHAR) AS enhet, "
                f"CAST(count(*) AS BIGINT) AS befolkning, {sums} FROM {source} "
                "GROUP BY ALL ORDER BY ALL"
            )
            counts = pl.DataFrame(con.sql(query).fetchnumpy())
        finally:
            con.close()
    result = care_need_index(counts, reference=reference)
    return result.with_columns(
        ((pl.col(c) > 0) & (pl.col(c) < threshold)).alias(f"{c}_suppressed") for c in columns
    )


def microdata_observations(
    aggregates: pl.DataFrame,
    indicators: dict[str, str],
    *,
    threshold: int = 5,
    source: str = "regionens mikrodata",
):
    """The aggregates as observations ready for the import checks: per event, its indicator's
    share in per cent with numerator and denominator, for each cell and for the totals over
    age (``åldersgrupp`` empty) and over sex (``kön`` T) that the pages read.

    A numerator below ``threshold`` (but above 0) is kept out and the row flagged suppressed,
    so neither the count nor the share reaches the database.

    >>> agg = pl.DataFrame({"area": ["A", "A"], "year": [2024, 2024], "sex": ["K", "M"],
    ...     "age_band": ["40-44", "40-44"], "population": [100.0, 50.0], "x": [10.0, 2.0]})
    >>> t = microdata_observations(agg, {"x": "HG_X"}, threshold=5)
    >>> t.frame.filter(pl.col("åldersgrupp") == "").select("kön", "värde", "täljare", "undertryckt").sort("kön").rows()
    [('K', '10.0', '10', ''), ('M', '', '', 'ja'), ('T', '8.0', '12', '')]
    """
    from halsogap.sources.jsonstat import SourceTable

    keys = ["area", "year", "sex", "age_band"]
    sums = [pl.col(c).sum() for c in [*indicators, "population"]]
    by_age = aggregates.group_by("area", "year", "sex").agg(sums)
    cells = pl.concat(
        [
            aggregates.select(*keys, *indicators, "population"),
            by_age.with_columns(pl.lit("").alias("age_band")).select(
                *keys, *indicators, "population"
            ),
        ]
    )
    totals = cells.group_by("area", "year", "age_band").agg(sums)
    cells = pl.concat([cells, totals.with_columns(pl.lit("T").alias("sex")).select(cells.columns)])
    # Without a sex column every row is already "T": keep one of each key.
    cells = cells.unique(keys, keep="first", maintain_order=True)
    parts = []
    for event, indicator in indicators.items():
        count = pl.col(event)
        hidden = (count > 0) & (count < threshold)
        parts.append(
            cells.select(
                pl.lit(indicator).alias("indikator"),
                pl.col("area").alias("område"),
                pl.col("year").cast(pl.String).alias("period"),
                pl.col("sex").alias("kön"),
                pl.col("age_band").alias("åldersgrupp"),
                pl.when(hidden)
                .then(pl.lit(""))
                .otherwise((count / pl.col("population") * 100).round(4).cast(pl.String))
                .alias("värde"),
                pl.when(hidden)
                .then(pl.lit(""))
                .otherwise(count.round(0).cast(pl.Int64).cast(pl.String))
                .alias("täljare"),
                pl.col("population").round(0).cast(pl.Int64).cast(pl.String).alias("nämnare"),
                pl.when(hidden).then(pl.lit("ja")).otherwise(pl.lit("")).alias("undertryckt"),
            )
        )
    frame = pl.concat(parts).sort("indikator", "område", "period", "kön", "åldersgrupp")
    return SourceTable(frame, {"source": source, "label": "Summerat ur personnivådata"})
