"""Rebuild Hälsogap's compact demo data from the shared real-data folder.

This is run by a developer, not by users: its output under ``data/demo/`` is committed so
that a fresh clone runs without ``../shared``. Run it with
``.venv/bin/python scripts/build_demo_data.py ../shared/data/real``.
"""

from __future__ import annotations

import csv
import glob
import json
import re
import shutil
import sys
from pathlib import Path

import polars as pl

OUT = Path(__file__).resolve().parent.parent / "data" / "demo"

# Polarity is our own reading of each KPI's title, not Kolada's: Kolada publishes no polarity.
# It is kept in the KPI file so that an analyst can see and change it.
LOWER_IS_BETTER = set(
    [
        "n00938",
        "n00957",
        "n00997",
        "n01451",
        "n01452",
        "n01454",
        "n01455",
        "n01458",
        "n01460",
        "n01464",
        "n01984",
        "n02013",
        "n02797",
        "n02901",
        "n02903",
        "n03920",
        "n03921",
        "n60910",
        "n60920",
        "n66077",
        "n66078",
        "n66079",
        "n74811",
        "u01402",
        "u01404",
        "u01411",
        "u01413",
        "u01415",
        "u01424",
        "u01425",
        "u01434",
        "u01435",
        "u01471",
        "u01472",
        "u01760",
        "u01803",
        "u01901",
        "u79133",
    ]
)
HIGHER_IS_BETTER = set(
    ["n00923", "n00925", "n01481", "n01982", "u01405", "u01414", "u01429", "u01473"]
)
# Registered with a direction but background for need groups and equity, not a health state.
NOT_HEALTH_STATES = {"N00997", "N03920", "N03921"}
# Kolada gives the Gini coefficient with three decimals; the unit's one decimal would hide it.
PRECISION = {"N00997": 3}
SURVEY = re.compile(r"HLV|Liv & Hälsa|folkhälsoenkäten", re.IGNORECASE)
BACKGROUND = re.compile(
    r"^(Invånare( totalt| \d+[-+]| 0 år)|Hushåll|Ensamstående|Utrikes|Födda|Döda)"
)


def unit_of(title: str) -> str:
    if "/100 000" in title:
        return "per 100 000 invånare"
    if "(%)" in title:
        return "procent"
    if title.endswith(", antal"):
        return "antal"
    if title.endswith(", år"):
        return "år"
    if "dagar" in title:
        return "dagar"
    if "index" in title:
        return "index"
    return ""


def producer_of(description: str) -> str:
    sources = re.findall(r"Källa: ([^\n]*?)(?:\.\s|\.$|$)", description or "")
    return sources[-1].removeprefix("Källa: ").strip() if sources else ""


def kind_of(title: str, description: str) -> str:
    if SURVEY.search(description):
        return "survey"
    if BACKGROUND.match(title) or "utbildning" in title or "ekonomisk standard" in title:
        return "background"
    return "register"


def geo_to_scb(geo: str) -> str:
    # The DDF dump writes riket as "0"; SCB's code for riket is "00".
    return "00" if geo == "0" else geo


def build(real: Path) -> None:
    kolada = real / "kolada-ddf"
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "kolada").mkdir(parents=True)
    (OUT / "geo").mkdir()
    (OUT / "codes").mkdir()

    ids = sorted(Path(f).stem for f in glob.glob(str(kolada / "by-geo-year" / "*.csv")))
    concepts = {
        r["concept"]: r
        for r in csv.DictReader(open(kolada / "ddf--concepts.csv", encoding="utf-8"))
    }
    with open(OUT / "kolada" / "kpis.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "code",
                "title",
                "description",
                "unit",
                "polarity",
                "kind",
                "producer",
                "municipality_type",
                "operating_area",
                "publication_date",
                "health_state",
                "precision",
            ]
        )
        for kpi in ids:
            c = concepts[kpi]
            polarity = (
                "lower_better"
                if kpi in LOWER_IS_BETTER
                else "higher_better"
                if kpi in HIGHER_IS_BETTER
                else "none"
            )
            writer.writerow(
                [
                    kpi.upper(),
                    c["name"],
                    c["description"],
                    unit_of(c["name"]),
                    polarity,
                    kind_of(c["name"], c["description"]),
                    producer_of(c["description"]),
                    c["municipality_type"],
                    c["operating_area"],
                    c["publication_date"],
                    # A need is a health state care can act on; background and Gini are not.
                    int(
                        kind_of(c["name"], c["description"]) != "background"
                        and polarity != "none"
                        and kpi.upper() not in NOT_HEALTH_STATES
                    ),
                    PRECISION.get(kpi.upper(), ""),
                ]
            )

    frames = []
    for kpi in ids:
        total = pl.read_csv(
            kolada / "by-geo-year" / f"{kpi}.csv", schema_overrides={"geo": pl.Utf8}
        )
        frames.append(
            total.select(
                pl.lit(kpi.upper()).alias("kpi"),
                pl.col("geo"),
                pl.col("year").cast(pl.Int16),
                pl.lit("T").alias("sex"),
                pl.col(kpi).cast(pl.Float64).alias("value"),
            )
        )
        by_sex = kolada / "by-geo-gender-year" / f"{kpi}.csv"
        if by_sex.exists():
            s = pl.read_csv(by_sex, schema_overrides={"geo": pl.Utf8})
            frames.append(
                s.select(
                    pl.lit(kpi.upper()).alias("kpi"),
                    pl.col("geo"),
                    pl.col("year").cast(pl.Int16),
                    pl.col("gender").str.to_uppercase().alias("sex"),
                    pl.col(kpi).cast(pl.Float64).alias("value"),
                )
            )
    values = (
        pl.concat(frames)
        .with_columns(pl.col("geo").map_elements(geo_to_scb, return_dtype=pl.Utf8).alias("area"))
        .select("kpi", "area", "year", "sex", "value")
        .drop_nulls("value")
        .sort("kpi", "area", "year", "sex")
    )
    values.write_parquet(
        OUT / "kolada" / "values.parquet", compression="zstd", compression_level=19
    )

    population = pl.read_csv(
        kolada / "population_by_agegroup_sex_2015_2022.csv",
        schema_overrides={"scb_code": pl.Utf8, "kolada_id": pl.Utf8, "region_code": pl.Utf8},
    ).select(
        pl.col("scb_code").alias("area"),
        pl.col("year").cast(pl.Int16),
        "sex",
        pl.col("age_group").alias("age_band"),
        pl.col("population").cast(pl.Int32),
    )
    population.write_parquet(
        OUT / "kolada" / "population.parquet", compression="zstd", compression_level=19
    )

    # Areas: riket, 21 regions, 290 kommuner with their parents, DeSO and RegSO code lists.
    areas = [("00", "Riket", "riket", "")]
    for r in csv.DictReader(open(kolada / "ddf--entities--geo--region.csv", encoding="utf-8")):
        areas.append((r["region"], r["name"], "region", "00"))
    for r in csv.DictReader(open(kolada / "ddf--entities--geo--kommun.csv", encoding="utf-8")):
        areas.append((r["kommun"], r["name"], "kommun", r["region"]))
    with open(OUT / "codes" / "areas.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("code", "name", "level", "parent"), *areas])
    pl.read_csv(kolada / "ddf--entities--geo--regso.csv", infer_schema=False).select(
        pl.col("regso").alias("code"), "name", pl.col("kommun").alias("parent")
    ).write_csv(OUT / "codes" / "regso.csv")
    pl.read_csv(kolada / "ddf--entities--geo--deso.csv", infer_schema=False).select(
        pl.col("deso").alias("code"), "name", pl.col("regso").alias("parent"), "deso_type"
    ).write_csv(OUT / "codes" / "deso.csv")
    shutil.copy(real / "geodata-codes-sjbrg" / "LICENSE", OUT / "codes" / "LICENSE-sjbrg")
    shutil.copy(
        real / "geodata-codes-sjbrg" / "municipality_county.csv",
        OUT / "codes" / "municipality_county.csv",
    )

    # GeoJSON: keep only the code and name, and round coordinates to ~10 m (4 decimals), which
    # is far finer than the 2 % simplification of the source and halves the file.
    def compact(src: Path, dst: Path, code_of) -> None:
        data = json.loads(src.read_text(encoding="utf-8"))
        features = []
        for f in data["features"]:
            code, name = code_of(f["properties"])
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "name": name},
                    "geometry": {
                        "type": f["geometry"]["type"],
                        "coordinates": _round(f["geometry"]["coordinates"]),
                    },
                }
            )
        dst.write_text(
            json.dumps(
                {"type": "FeatureCollection", "features": features},
                separators=(",", ":"),
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )

    compact(
        real / "geo-okfse" / "swedish_municipalities.geojson",
        OUT / "geo" / "kommuner.geojson",
        lambda p: (p["id"], p["kom_namn"]),
    )
    compact(
        real / "geo-okfse" / "swedish_regions.geojson",
        OUT / "geo" / "regioner.geojson",
        lambda p: (f"{int(p['l_id']):02d}", p["name"]),
    )
    print(
        f"{values.height} Kolada-värden, {population.height} befolkningsceller, {len(areas)} områden"
    )


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], 4), round(coords[1], 4)]
    return [_round(c) for c in coords]


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/real"))
