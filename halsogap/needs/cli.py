"""Quick gap table for analysts' scripts: ``python -m halsogap.needs.cli``.

Prints the region and its kommuner for one indicator against a target rule as CSV with ``;``
as separator, decimal comma and Swedish headers (what Swedish Excel opens directly); the source
line goes to standard error so the CSV stays clean. Example::

    python -m halsogap.needs.cli --region 13 --indicator U01402 --target best:1
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

import polars as pl

from halsogap.needs._common import NeedsInputError
from halsogap.needs.data import CODES, KOLADA, load_data
from halsogap.needs.pipeline import indicator_gaps
from halsogap.needs.targets import Target
from halsogap.reports.cells import csv_text

HEADERS = {
    "area": "Områdeskod",
    "name": "Område",
    "year": "År",
    "current": "Nuvärde",
    "lower_95": "Nedre 95 %",
    "upper_95": "Övre 95 %",
    "desired": "Målvärde",
    "target": "Mål",
    "reference": "Målets referens",
    "gap": "Gap (mål − nu)",
    "gap_to_close": "Gap kvar att sluta",
    "status": "Status",
    "distinguishable": "Statistiskt säkerställt",
    "population": "Befolkning",
    "population_ages": "Befolkningens ålder",
    "persons": "Gap i personer",
    "comment": "Kommentar",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m halsogap.needs.cli",
        description="Skriv ut en gaptabell (CSV, ';') för en region och dess kommuner.",
    )
    parser.add_argument("--region", required=True, help="regionkod, t.ex. 01 eller 13")
    parser.add_argument("--indicator", required=True, help="indikatorkod, t.ex. U01402")
    parser.add_argument(
        "--target",
        default="best:1",
        help="målregel: best:1, best:3:kommun, absolute:5 eller relative:-20:2018:2030",
    )
    parser.add_argument("--sex", default="T", choices=["T", "K", "M"], help="kön (T = totalt)")
    parser.add_argument("--year", type=int, help="år (standard: senaste år med värden)")
    parser.add_argument("--only-region", action="store_true", help="utan kommunerna")
    parser.add_argument("--decimal", default=",", choices=[",", "."], help="decimaltecken")
    parser.add_argument("--kolada", default=str(KOLADA), help="mapp med values/population")
    parser.add_argument("--codes", default=str(CODES), help="areas.csv med områdeskoder")
    return parser


def _cell(value: object, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        text = f"{value:.6g}" if abs(value) < 1e6 else f"{value:.0f}"
        return text.replace(".", decimal)
    return csv_text(str(value))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input).

    >>> main(["--region", "99", "--indicator", "U01402"])
    2
    """
    args = _parser().parse_args(argv)
    try:
        data = load_data(args.kolada, args.codes)
    except OSError as error:
        print(f"Fel: kunde inte läsa data: {error}", file=sys.stderr)
        return 2
    try:
        target = Target.parse(args.target)
        regions = data.areas.filter(data.areas["level"] == "region")["code"].to_list()
        if args.region not in regions:
            raise NeedsInputError(
                f"okänd region {args.region!r}; giltiga regionkoder: {', '.join(regions)}"
            )
        if args.indicator not in data.indicators["code"].to_list():
            raise NeedsInputError(
                f"okänd indikator {args.indicator!r}; se kpis.csv för giltiga koder"
            )
        areas = [args.region] + ([] if args.only_region else data.kommuner_of(args.region))
        table = indicator_gaps(
            data,
            indicator=args.indicator,
            target=target,
            areas=areas,
            sex=args.sex,
            year=args.year,
        )
    except NeedsInputError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 2
    reasons = [
        "; ".join(r for r in row if r) or None
        for row in table.select(
            "warning", "reason", "desired_reason", "distinguishable_reason", "persons_reason"
        ).iter_rows()
    ]
    table = table.with_columns(pl.Series("comment", reasons, dtype=pl.String))
    columns = [c for c in HEADERS if c in table.columns]
    writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    writer.writerow([HEADERS[c] for c in columns])
    for row in table.select(columns).iter_rows():
        writer.writerow([_cell(v, args.decimal) for v in row])
    info = data.indicator(args.indicator)
    print(f"Källa: Kolada/RKA; producent: {info['producer']}. {info['title']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
