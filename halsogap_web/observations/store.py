"""Writing validated observation frames to the database, fast and all-or-nothing.

The core (``halsogap.imports``) has already checked every row; this module only maps codes to
keys, sorts rows into new, changed and unchanged, and writes them with set-based statements.
Callers wrap it in ``transaction.atomic`` so that a failure leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.db import connection

from .models import Area, Indicator, Observation

KEY = ["indicator_id", "area_id", "period", "sex", "age_band", "socioeconomic_group"]
VALUES = [
    "value",
    "numerator",
    "denominator",
    "lower",
    "upper",
    "suppressed",
    "provisional",
    "break_in_series",
]
CHUNK = 20_000


@dataclass(frozen=True)
class WriteResult:
    created: int
    updated: int
    unchanged: int
    #: The first :data:`MAX_CHANGES` changed values, old beside new, for "what changed since
    #: last time" (indicator, area, period, sex, age band, group, old value, new value).
    changes: list = field(default_factory=list)


MAX_CHANGES = 500


def _column(name: str) -> str:
    return connection.ops.quote_name(Observation._meta.get_field(name).column)


def _with_defaults(rows: pl.DataFrame) -> pl.DataFrame:
    defaults = {
        "sex": pl.lit("T"),
        "age_band": pl.lit(""),
        "socioeconomic_group": pl.lit(""),
        "numerator": pl.lit(None, pl.Float64),
        "denominator": pl.lit(None, pl.Float64),
        "lower": pl.lit(None, pl.Float64),
        "upper": pl.lit(None, pl.Float64),
        "suppressed": pl.lit(False),
        "provisional": pl.lit(False),
        "break_in_series": pl.lit(False),
    }
    missing = [expr.alias(name) for name, expr in defaults.items() if name not in rows.columns]
    rows = rows.with_columns(missing) if missing else rows
    return rows.with_columns(
        pl.col("period").cast(pl.Utf8),
        pl.col("sex").fill_null("T"),
        pl.col("age_band").fill_null(""),
        pl.col("socioeconomic_group").fill_null(""),
        *(
            pl.col(c).cast(pl.Float64)
            for c in ["value", "numerator", "denominator", "lower", "upper"]
        ),
        *(pl.col(c).fill_null(False) for c in ["suppressed", "provisional", "break_in_series"]),
    )


def _keys(model, codes) -> pl.DataFrame:
    pairs = list(model.objects.filter(code__in=list(codes)).values_list("code", "id"))
    return pl.DataFrame(pairs, schema={"code": pl.Utf8, "id": pl.Int64}, orient="row")


def write_observations(
    rows: pl.DataFrame,
    *,
    batch_id: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> WriteResult:
    """Insert new and update changed observations from a frame with code columns.

    ``rows`` has ``indicator`` and ``area`` codes, ``period`` and the stratum and value columns
    of :class:`~halsogap_web.observations.models.Observation`; codes must exist.
    """
    rows = _with_defaults(rows)
    indicators = _keys(Indicator, rows["indicator"].unique().to_list())
    areas = _keys(Area, rows["area"].unique().to_list())
    rows = (
        rows.join(indicators.rename({"code": "indicator", "id": "indicator_id"}), on="indicator")
        .join(areas.rename({"code": "area", "id": "area_id"}), on="area")
        .select(KEY + VALUES)
    )
    existing = _existing(rows["indicator_id"].unique().to_list())
    merged = rows.join(existing, on=KEY, how="left", suffix="_old")
    is_new = pl.col("id").is_null()
    same = pl.all_horizontal([pl.col(c).eq_missing(pl.col(f"{c}_old")) for c in VALUES])
    new_rows = merged.filter(is_new).select(KEY + VALUES)
    changed_rows = merged.filter(~is_new & ~same)
    changed = changed_rows.select(["id", *VALUES])
    unchanged = merged.height - new_rows.height - changed.height

    total = new_rows.height + changed.height
    done = 0
    table = connection.ops.quote_name(Observation._meta.db_table)
    insert_columns = [*KEY, *VALUES, "batch_id"]
    insert_sql = (
        f"INSERT INTO {table} ({', '.join(_column(c) for c in insert_columns)}) "
        f"VALUES ({', '.join(['%s'] * len(insert_columns))})"
    )
    copy_sql = f"COPY {table} ({', '.join(_column(c) for c in insert_columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        for chunk in new_rows.iter_slices(CHUNK):
            rows_ = [(*r, batch_id) for r in chunk.iter_rows()]
            if connection.vendor == "postgresql":
                # COPY is several times faster than INSERT for bulk loads on PostgreSQL.
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in rows_:
                        copy.write_row(row)
            else:
                cursor.executemany(insert_sql, rows_)
            done += chunk.height
            if progress:
                progress(done, total)
        update_sql = (
            f"UPDATE {table} SET {', '.join(f'{_column(c)} = %s' for c in VALUES)}, "
            f"{_column('batch_id')} = %s WHERE {_column('id')} = %s"
        )
        for chunk in changed.iter_slices(CHUNK):
            cursor.executemany(update_sql, [(*r[1:], batch_id, r[0]) for r in chunk.iter_rows()])
            done += chunk.height
            if progress:
                progress(done, total)
    return WriteResult(
        created=new_rows.height,
        updated=changed.height,
        unchanged=unchanged,
        changes=_changes(changed_rows.head(MAX_CHANGES), indicators, areas),
    )


def _changes(changed: pl.DataFrame, indicators: pl.DataFrame, areas: pl.DataFrame) -> list:
    codes = changed.join(
        indicators.rename({"id": "indicator_id", "code": "indicator"}), on="indicator_id"
    ).join(areas.rename({"id": "area_id", "code": "area"}), on="area_id")
    return codes.select(
        "indicator",
        "area",
        "period",
        "sex",
        "age_band",
        "socioeconomic_group",
        pl.col("value_old").alias("old"),
        pl.col("value").alias("new"),
    ).to_dicts()


def _existing(indicator_ids: list[int]) -> pl.DataFrame:
    schema = {
        "id": pl.Int64,
        "indicator_id": pl.Int64,
        "area_id": pl.Int64,
        "period": pl.Utf8,
        "sex": pl.Utf8,
        "age_band": pl.Utf8,
        "socioeconomic_group": pl.Utf8,
        **{c: pl.Float64 for c in VALUES[:5]},
        **{c: pl.Boolean for c in VALUES[5:]},
    }
    values = Observation.objects.filter(indicator_id__in=indicator_ids).values_list(*schema.keys())
    return pl.DataFrame(list(values.iterator(chunk_size=CHUNK)), schema=schema, orient="row")
