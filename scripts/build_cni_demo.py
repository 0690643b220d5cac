"""Build the SYNTHETIC Care Need Index demo set of primary-care units (vårdcentraler).

There are no public CNI counts per vårdcentral (SCB delivers them to each region only), so the
demo invents units. Nothing in the output describes a real unit: names are "Vårdcentral
Exempel N (syntetisk)", codes start with ``SYN-``. What is real is each unit's kommun code and
the kommun background the shares are drawn around (Kolada/RKA, ``data/demo/kolada``), so a
Södertälje unit tends to have higher need than a Danderyd one, as in reality.

How a unit is drawn (seeded, so every run writes the same file):

1. A national share of the whole population for each of the seven CNI variables
   (``NATIONAL_SHARES``), chosen so that Σ weight × share ≈ 2,48, the national index points
   per person in SCB's worked example (2,4761).
2. A kommun factor per variable: the kommun's value divided by riket's for a related Kolada
   KPI or population group (``KOMMUN_BACKGROUND``), 2022.
3. A unit-level deprivation score z ~ N(0, ``UNIT_SPREAD``) shared by all variables of the
   unit, with a loading per variable (``LOADINGS``): units within one kommun differ (Rinkeby
   and Östermalm are both in Stockholm), and the deprivation-linked variables move together.
   Plus small independent noise per variable.
4. Listed patients log-uniform between 2 000 and 25 000; each count drawn binomially from the
   listed patients and the unit's share.

Run from the repository root: ``.venv/bin/python scripts/build_cni_demo.py``. It writes
``data/demo/cni/vardcentraler_syntetiska.csv`` and ``data/demo/cni/SOURCE.md`` (with the CNI
range and eligible units the file gives under the default rule, so the note cannot go stale).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, so the checkout is not on the path by itself

from halsogap.needs.cni import (  # noqa: E402  (after the path fix above)
    CNI_VARIABLES,
    DEFAULT_CNI_THRESHOLD,
    DEFAULT_MIN_LISTED,
    SCB_EXAMPLE_NATIONAL_POINTS,
    care_need_index,
    eligible_units,
)

OUT = ROOT / "data" / "demo" / "cni"
KOLADA = ROOT / "data" / "demo" / "kolada"
CODES = ROOT / "data" / "demo" / "codes" / "municipality_county.csv"
SEED = 20240901
YEAR = 2022
LISTED_RANGE = (2000, 25000)
UNIT_SPREAD = 0.55

#: Share of the whole population meeting each criterion in riket (our assumption, rounded
#: figures of the right size: about 5,5 % under 5, 13 % born in the listed world regions …).
NATIONAL_SHARES = {
    "barn_under_5": 0.055,
    "utlandsfodda": 0.13,
    "aldre_ensamboende": 0.075,
    "ensamstaende_foraldrar": 0.035,
    "inflyttade": 0.11,
    "arbetslosa": 0.05,
    "lagutbildade": 0.055,
}

#: Which kommun background moves which share, and how strongly (exponent on the ratio to riket).
#: ("kpi", code) is a Kolada KPI; ("age", bands) is the population share of those age bands.
KOMMUN_BACKGROUND = {
    "barn_under_5": (("age", ("0-5",)), 1.0),
    "utlandsfodda": (("kpi", "N00221"), 0.8),  # utrikes födda 18–64, andel
    "aldre_ensamboende": (("kpi", "N01717"), 1.0),  # 65+ och ensamboende, andel av befolkningen
    "ensamstaende_foraldrar": (("kpi", "N66077"), 0.8),  # 0–19 med låg ekonomisk standard
    "inflyttade": (("kpi", "N00221"), 0.3),  # no mobility KPI in the demo; cities move more
    "arbetslosa": (("kpi", "N66078"), 0.8),  # 20–64 med låg ekonomisk standard
    "lagutbildade": (("kpi", "N01984"), 1.0),  # 25–64 med förgymnasial utbildning
}

#: How much each share follows the unit's deprivation score z (log scale).
LOADINGS = {
    "barn_under_5": 0.15,
    "utlandsfodda": 0.65,
    "aldre_ensamboende": -0.10,  # deprived areas are younger
    "ensamstaende_foraldrar": 0.40,
    "inflyttade": 0.20,
    "arbetslosa": 0.55,
    "lagutbildade": 0.50,
}
NOISE = 0.10

#: Units per kommun: Region Stockholm (01) from affluent to deprived, and a few in Skåne (12).
UNITS_PER_KOMMUN = {
    "0180": 8,  # Stockholm
    "0181": 3,  # Södertälje
    "0127": 3,  # Botkyrka
    "0126": 2,  # Huddinge
    "0184": 2,  # Solna
    "0182": 2,  # Nacka
    "0123": 2,  # Järfälla
    "0191": 2,  # Sigtuna
    "0188": 2,  # Norrtälje
    "0162": 1,  # Danderyd
    "0186": 1,  # Lidingö
    "0160": 1,  # Täby
    "0114": 1,  # Upplands Väsby
    "1280": 3,  # Malmö
    "1283": 2,  # Helsingborg
    "1282": 1,  # Landskrona
    "1281": 1,  # Lund
    "1262": 1,  # Lomma
}


def kommun_factors() -> dict[str, dict[str, float]]:
    """Kommun → variable → factor relative to riket, from the real Kolada demo data."""
    values = pl.read_parquet(KOLADA / "values.parquet").filter(
        (pl.col("year") == YEAR) & (pl.col("sex") == "T")
    )
    population = pl.read_parquet(KOLADA / "population.parquet").filter(pl.col("year") == YEAR)
    totals = population.group_by("area").agg(pl.col("population").sum().alias("total"))
    kommuner = list(UNITS_PER_KOMMUN)

    def kpi(code: str) -> tuple[dict[str, float], float]:
        rows = values.filter(pl.col("kpi") == code)
        by_area = dict(rows.select("area", "value").iter_rows())
        if "00" in by_area:
            return by_area, by_area["00"]
        # N01717 has no riket value: use the population-weighted mean over all kommuner.
        weighted = (
            rows.filter(pl.col("area").str.len_chars() == 4)
            .join(totals, on="area")
            .select((pl.col("value") * pl.col("total")).sum() / pl.col("total").sum())
            .item()
        )
        return by_area, weighted

    def age_share(bands: tuple[str, ...]) -> tuple[dict[str, float], float]:
        share = (
            population.group_by("area")
            .agg(
                pl.col("population").filter(pl.col("age_band").is_in(bands)).sum()
                / pl.col("population").sum()
            )
            .select("area", "population")
        )
        by_area = dict(share.iter_rows())
        return by_area, by_area["00"]

    factors: dict[str, dict[str, float]] = {k: {} for k in kommuner}
    for variable, ((kind, key), power) in KOMMUN_BACKGROUND.items():
        by_area, national = kpi(key) if kind == "kpi" else age_share(key)
        for k in kommuner:
            if k not in by_area:
                raise SystemExit(f"kommun {k} saknar värde för {key} år {YEAR}")
            factors[k][variable] = (by_area[k] / national) ** power
    return factors


def build() -> pl.DataFrame:
    """Draw the synthetic units (same output on every run)."""
    rng = np.random.default_rng(SEED)
    factors = kommun_factors()
    low, high = LISTED_RANGE
    rows = []
    number = 0
    for kommun, n_units in UNITS_PER_KOMMUN.items():
        for _ in range(n_units):
            number += 1
            listed = int(round(math.exp(rng.uniform(math.log(low), math.log(high)))))
            z = rng.normal(0.0, UNIT_SPREAD)
            row = {
                "enhet": f"SYN-{number:03d}",
                "namn": f"Vårdcentral Exempel {number} (syntetisk)",
                "kommun": kommun,
                "befolkning": listed,
            }
            for variable, base in NATIONAL_SHARES.items():
                log_share = (
                    math.log(base * factors[kommun][variable])
                    + LOADINGS[variable] * z
                    + rng.normal(0.0, NOISE)
                )
                share = min(0.9, math.exp(log_share))
                row[variable] = int(rng.binomial(listed, share))
            rows.append(row)
    columns = ["enhet", "namn", "kommun", "befolkning", *(v.column for v in CNI_VARIABLES)]
    return pl.DataFrame(rows).select(columns)


def source_note(units: pl.DataFrame) -> str:
    """SOURCE.md, with the figures of the file just written."""
    names = dict(
        pl.read_csv(CODES, schema_overrides={"municipality_code": pl.String})
        .select("municipality_code", "municipality_name_short")
        .iter_rows()
    )
    result = eligible_units(care_need_index(units, reference=SCB_EXAMPLE_NATIONAL_POINTS))
    per_region = (
        result.with_columns(pl.col("kommun").str.slice(0, 2).alias("region"))
        .group_by("region")
        .agg(pl.len().alias("n"), pl.col("eligible").sum().alias("eligible"))
        .sort("region")
    )
    region_names = {"01": "Region Stockholm", "12": "Region Skåne"}
    region_lines = "\n".join(
        f"| {region_names.get(r, r)} | {n} | {e} |" for r, n, e in per_region.iter_rows()
    )
    kommun_list = "\n".join(f"  - {names[k]} ({k}): {n}" for k, n in UNITS_PER_KOMMUN.items())
    cni = result["cni"]
    listed = result["befolkning"]

    def sv(x: float, d: int = 2) -> str:
        return f"{x:.{d}f}".replace(".", ",")

    return f"""# SYNTETISKA vårdcentraler för Care Need Index (CNI)

**Detta är påhittade data.** Ingen rad beskriver en verklig vårdcentral eller verkliga
patienter. Enheterna heter "Vårdcentral Exempel N (syntetisk)" och har koder `SYN-001` …;
antal listade och de sju CNI-antalen är slumpdragna. Visa alltid att uppgifterna är syntetiska
där de används, och använd dem aldrig för beslut.

Det finns inga öppna CNI-antal per vårdcentral (SCB levererar dem bara till respektive region),
därför behövs en syntetisk uppsättning för demo och test.

- **Fil:** `vardcentraler_syntetiska.csv` — UTF-8, semikolonavgränsad, formatet i
  `docs/cni-format.md`. Kolumner: `enhet`, `namn`, `kommun`, `befolkning` (listade) och de sju
  antalen
  `{"`, `".join(v.column for v in CNI_VARIABLES)}`.
- **Antal enheter:** {result.height}, per kommun:
{kommun_list}
- **Byggd av:** `scripts/build_cni_demo.py` (frö {SEED}); samma fil varje körning.
- **Verkligt i filen:** bara kommunkoderna (SCB) och den bakgrund andelarna dras kring:
  kommunens värde i förhållande till riket år {YEAR} för Kolada-KPI:erna N00221 (utrikes födda
  18–64 år), N01717 (65+ och ensamboende), N01984 (förgymnasial utbildning 25–64 år), N66077 och
  N66078 (låg ekonomisk standard 0–19 resp. 20–64 år) samt befolkningsandelen 0–5 år.
  Källa: Kolada/RKA (producent SCB), se `data/demo/kolada/SOURCE.md`.
- **Dragning:** riksandel per variabel × kommunfaktor × en enhetsvis utsatthetsfaktor som är
  gemensam för enhetens variabler (så att utlandsfödda, arbetslösa och lågutbildade följs åt)
  × litet brus; antal listade log-likformigt {_int(LISTED_RANGE[0])}–{_int(LISTED_RANGE[1])};
  antalen binomialfördelade. Detaljer i skriptets docstring.

## Normering och resultat

Räkna CNI mot riket med SCB-exemplets referens **2,4761 indexpoäng per invånare**
(`care_need_index(frame, reference=SCB_EXAMPLE_NATIONAL_POINTS)`); riksandelarna i skriptet är
valda så att riket hamnar där. Det ger i denna fil CNI {sv(cni.min())}–{sv(cni.max())}
(median {sv(cni.median())}) och {_int(listed.min())}–{_int(listed.max())} listade.

Med standardregeln för tilläggsuppdraget (CNI över {sv(DEFAULT_CNI_THRESHOLD)} och fler än
{_int(DEFAULT_MIN_LISTED)} listade):

| region | enheter | behöriga |
|---|---|---|
{region_lines}

## Villkor

Påhittade data, fria att använda (EUPL-1.2 som Hälsogap). Kolada-bakgrunden: "Källa: Kolada/RKA".
"""


def _int(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def main() -> None:
    units = build()
    OUT.mkdir(parents=True, exist_ok=True)
    units.write_csv(OUT / "vardcentraler_syntetiska.csv", separator=";")
    (OUT / "SOURCE.md").write_text(source_note(units), encoding="utf-8")
    print(f"wrote {units.height} synthetic units to {OUT}")


if __name__ == "__main__":
    main()
