"""Loading the real demo data shipped in ``data/demo/`` (Kolada/RKA, SCB code lists).

Loading is idempotent: areas and indicators are created only when missing, and the values are
written through the same store as any import, so a second run finds every value unchanged.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction

from .models import Area, Indicator, LoadBatch
from .store import write_observations

KOLADA_SOURCE = "Kolada/RKA"
POPULATION_CODE = "HG_BEFOLKNING"


@dataclass(frozen=True)
class DemoSummary:
    areas_created: int
    indicators_created: int
    values_created: int
    values_unchanged: int
    already_loaded: bool


def demo_dir() -> Path:
    return Path(settings.HALSOGAP_DATA_DIR)


def _checksum(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_areas() -> int:
    """Create riket, regions, kommuner, RegSO and DeSO, parents first."""
    codes = demo_dir() / "codes"
    known = dict(Area.objects.values_list("code", "id"))
    created = 0
    rows = list(csv.DictReader(open(codes / "areas.csv", encoding="utf-8")))
    rows += [
        {"code": r["code"], "name": r["name"], "level": "regso", "parent": r["parent"]}
        for r in csv.DictReader(open(codes / "regso.csv", encoding="utf-8"))
    ]
    rows += [
        {"code": r["code"], "name": r["name"], "level": "deso", "parent": r["parent"]}
        for r in csv.DictReader(open(codes / "deso.csv", encoding="utf-8"))
    ]
    for level in ["riket", "region", "kommun", "regso", "deso"]:
        batch = [
            Area(code=r["code"], name=r["name"], level=level, parent_id=known.get(r["parent"]))
            for r in rows
            if r["level"] == level and r["code"] not in known
        ]
        Area.objects.bulk_create(batch, batch_size=2000)
        created += len(batch)
        known = dict(Area.objects.values_list("code", "id"))
    return created


def load_indicators() -> int:
    created = 0
    with open(demo_dir() / "kolada" / "kpis.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            _, was_created = Indicator.objects.get_or_create(
                code=row["code"],
                defaults={
                    "title": row["title"],
                    "description": row["description"],
                    "unit": row["unit"],
                    "polarity": row["polarity"],
                    "kind": row["kind"],
                    "source": KOLADA_SOURCE,
                    "producer": row["producer"],
                    "quality_notes": (
                        f"Kolada-KPI {row['code']}, publicerad {row['publication_date']}. "
                        "Polaritet och datatyp är Hälsogaps bedömning utifrån titeln."
                    ),
                    "is_published": True,
                    "is_health_state": row.get("health_state") == "1",
                    "precision": int(row["precision"]) if row.get("precision") else None,
                },
            )
            created += was_created
    _, was_created = Indicator.objects.get_or_create(
        code=POPULATION_CODE,
        defaults={
            "title": "Befolkning efter kön och åldersgrupp",
            "description": (
                "Antal invånare 31 december per kön och åldersgrupp (0-5, 6-15, 16-19, 20-44, "
                "45-64, 65-79, 80+). Sammanställd ur Kolada-KPI:erna N01952, N01953, N01954, "
                "N02832, N02833, N01956 och N01957; grupperna summerar till N01951."
            ),
            "unit": "antal",
            "polarity": Indicator.Polarity.NONE,
            "kind": Indicator.Kind.BACKGROUND,
            "source": KOLADA_SOURCE,
            "producer": "SCB",
            "is_published": True,
        },
    )
    return created + was_created


def _demo_values() -> pl.DataFrame:
    kolada = demo_dir() / "kolada"
    values = pl.read_parquet(kolada / "values.parquet").select(
        pl.col("kpi").alias("indicator"),
        "area",
        pl.col("year").cast(pl.Utf8).alias("period"),
        "sex",
        "value",
    )
    population = pl.read_parquet(kolada / "population.parquet").select(
        pl.lit(POPULATION_CODE).alias("indicator"),
        "area",
        pl.col("year").cast(pl.Utf8).alias("period"),
        "sex",
        "age_band",
        pl.col("population").cast(pl.Float64).alias("value"),
    )
    return pl.concat([values, population], how="diagonal")


def load_demo_data(*, progress: Callable[[int, int], None] | None = None) -> DemoSummary:
    """Load every demo file; a second call changes nothing."""
    kolada = demo_dir() / "kolada"
    files = [kolada / "kpis.csv", kolada / "values.parquet", kolada / "population.parquet"]
    checksum = _checksum(files)
    with transaction.atomic():
        areas = load_areas()
        indicators = load_indicators()
        if LoadBatch.objects.filter(checksum=checksum).exists():
            return DemoSummary(areas, indicators, 0, 0, already_loaded=True)
        rows = _demo_values()
        batch = LoadBatch.objects.create(
            file_name="data/demo/kolada (Källa: Kolada/RKA)",
            checksum=checksum,
            file_format="demo",
            row_count=rows.height,
        )
        result = write_observations(rows, batch_id=batch.id, progress=progress)
        batch.created_count = result.created
        batch.updated_count = result.updated
        batch.unchanged_count = result.unchanged
        batch.save()
    return DemoSummary(areas, indicators, result.created, result.unchanged, already_loaded=False)
