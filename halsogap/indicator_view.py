"""The indicator page and the region page's lines, composed once from suppressed observations.

The frames come from the web layer's evidence reader in the shared vocabulary (``area``,
``area_name``, ``level``, ``period``, ``sex``, ``value`` with limits, already suppressed). The
page renders :class:`IndicatorView` and :class:`LatestLine` and computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from halsogap.charts import line_chart_svg
from halsogap.indicator_stats import benchmark, trend_markers
from halsogap.maps import choropleth_svg
from halsogap.numbers import decimals_for, format_number, unit_label

RIKET = "00"
SEX_LABELS = {"K": "Kvinnor", "M": "Män"}


@dataclass(frozen=True)
class IndicatorFacts:
    """What the page needs to know about the indicator besides its values."""

    code: str
    title: str
    unit: str
    polarity: str
    precision: int | None = None

    @property
    def decimals(self) -> int:
        return decimals_for(self.unit, precision=self.precision)


@dataclass(frozen=True)
class IndicatorView:
    chart_svg: str
    sex_chart_svg: str
    series_rows: dict
    sex_rows: dict
    map_svg: str
    map_period: str | None
    map_rows: list[dict]
    map_summary: str
    table_rows: list[dict]
    trends: list[tuple[str, str]]


def totals_of(frame: pl.DataFrame) -> pl.DataFrame:
    """The all-sexes, all-ages, all-groups rows."""
    return frame.filter(
        (pl.col("sex") == "T") & (pl.col("age_band") == "") & (pl.col("socioeconomic_group") == "")
    )


def map_period_for(values: pl.DataFrame) -> str | None:
    """The latest period that covers at least half as many areas as the best-covered one.

    A single early value for a new year must not turn the map grey for every other area.

    >>> v = pl.DataFrame({"period": ["2021", "2021", "2022"], "value": [1.0, 2.0, 3.0]})
    >>> map_period_for(v)
    '2022'
    """
    counts = values.drop_nulls("value").group_by("period").len()
    if counts.height == 0:
        return None
    enough = counts.filter(pl.col("len") * 2 >= counts["len"].max())
    return enough["period"].max()


def period_table(series: dict, decimals: int) -> dict:
    """The series as a table, newest period first (the charts' text alternative).

    >>> period_table({"Riket": [("2021", 5.0), ("2022", 4.25)]}, 1)["rows"]
    [('2022', ['4,3']), ('2021', ['5,0'])]
    """
    periods = sorted({p for pts in series.values() for p, _ in pts}, reverse=True)
    lookup = {name: dict(points) for name, points in series.items()}
    return {
        "columns": list(series),
        "rows": [(p, [format_number(lookup[n].get(p), decimals) for n in series]) for p in periods],
    }


def map_summary(rows: pl.DataFrame, names: dict, decimals: int) -> str:
    """The map in one sentence: highest, lowest and how many areas have values."""
    known = rows.drop_nulls("value")
    if known.height == 0:
        return "Inga värden att visa på kartan."
    top, bottom = known.row(0, named=True), known.row(-1, named=True)
    return (
        f"Högst: {names.get(top['area'], top['area'])} "
        f"({format_number(top['value'], decimals)}). "
        f"Lägst: {names.get(bottom['area'], bottom['area'])} "
        f"({format_number(bottom['value'], decimals)}). "
        f"{known.height} av {len(names)} områden har värden."
    )


def _series(totals: pl.DataFrame, areas: Sequence[str]) -> dict:
    series = {}
    for code in areas:
        part = totals.filter(pl.col("area") == code).sort("period")
        if part.height:
            series[part["area_name"][0]] = list(part.select("period", "value").iter_rows())
    return series


def compose_indicator_view(
    frame: pl.DataFrame,
    indicator: IndicatorFacts,
    *,
    area: tuple[str, str, str],
    region: tuple[str, str],
    features: Sequence[dict],
) -> IndicatorView:
    """The page of one indicator for ``area`` (code, name, level) in ``region`` (code, name).

    ``features`` are the boundaries the map shows: the region's kommuner, or the regions when
    the region is riket.
    """
    code, name, level = area
    region_code, region_name = region
    totals = totals_of(frame)
    shown = [code] + ([RIKET] if code != RIKET else [])
    if level == "kommun":
        shown.insert(1, region_code)
    series = _series(totals, shown)
    by_sex = frame.filter(
        (pl.col("area") == code) & (pl.col("sex") != "T") & (pl.col("age_band") == "")
    ).sort("period")
    sex_series = {
        SEX_LABELS[s]: list(by_sex.filter(pl.col("sex") == s).select("period", "value").iter_rows())
        for s in ("K", "M")
        if by_sex.filter(pl.col("sex") == s).height
    }
    map_level = "region" if region_code == RIKET else "kommun"
    codes = [f["properties"]["code"] for f in features]
    on_map = totals.filter((pl.col("level") == map_level) & pl.col("area").is_in(codes))
    period = map_period_for(on_map)
    map_rows = (
        on_map.filter(pl.col("period") == period).sort("value", descending=True, nulls_last=True)
        if period is not None
        else on_map.clear()
    )
    names = {f["properties"]["code"]: f["properties"]["name"] for f in features}
    where = "regionerna" if map_level == "region" else f"kommunerna i {region_name}"
    table = totals.filter(pl.col("area").is_in(shown)).sort(
        ["period", "area"], descending=[True, False]
    )
    # Every area against riket, a kommun also against its region: the one comparison rule.
    for prefix, reference in (("vs_riket", RIKET), ("vs_region", region_code)):
        table = benchmark(
            table,
            totals.filter(pl.col("area") == reference),
            polarity=indicator.polarity,
            on=["period"],
            prefix=prefix,
        )
    markers = trend_markers(totals.filter(pl.col("area").is_in(shown)), polarity=indicator.polarity)
    area_names = dict(totals.select("area", "area_name").unique().iter_rows())
    decimals = indicator.decimals
    return IndicatorView(
        chart_svg=line_chart_svg(
            series,
            title=f"{indicator.title}: {name} över tid",
            unit=indicator.unit,
            decimals=decimals,
        ),
        sex_chart_svg=line_chart_svg(
            sex_series,
            title=f"{indicator.title}: {name} efter kön",
            unit=indicator.unit,
            decimals=decimals,
        )
        if sex_series
        else "",
        series_rows=period_table(series, decimals),
        sex_rows=period_table(sex_series, decimals),
        map_svg=choropleth_svg(
            list(features),
            dict(map_rows.select("area", "value").iter_rows()),
            title=f"{indicator.title}{f', {period}' if period else ''}: karta över {where}",
            unit=unit_label(indicator.unit),
            decimals=decimals,
        ),
        map_period=period,
        map_rows=[
            {"code": c, "name": names.get(c, c), "value": format_number(v, decimals)}
            for c, v in map_rows.select("area", "value").iter_rows()
        ],
        map_summary=map_summary(map_rows, names, decimals),
        table_rows=table.to_dicts(),
        trends=[(area_names.get(c, c), markers[c]) for c in shown if c in markers],
    )


@dataclass(frozen=True)
class LatestLine:
    """The region page's line for one indicator: latest value, change, and riket beside it.

    ``indicator`` is the object the caller passed (anything with ``code``, ``title``, ``unit``
    and ``polarity``, such as :class:`IndicatorFacts`), so a page can link and label it.
    """

    indicator: object
    period: str | None
    value: float | None
    previous_period: str | None
    change: float | None
    riket_value: float | None
    difference: float | None
    judgement: str


def latest_lines(frame: pl.DataFrame, indicators: Sequence, *, area: str) -> list[LatestLine]:
    """Latest total per indicator for ``area``, its change and riket's value in that period.

    The comparison with riket is the one rule of :func:`halsogap.indicator_stats.benchmark`,
    the same words as on the indicator page.

    >>> df = pl.DataFrame({"indicator": ["X"] * 4, "area": ["01", "01", "00", "00"],
    ...     "period": ["2021", "2022", "2021", "2022"], "sex": "T", "age_band": "",
    ...     "socioeconomic_group": "", "value": [6.0, 5.8, 6.6, 6.2]})
    >>> line = latest_lines(df, [IndicatorFacts("X", "Rökning", "procent", "lower_better")],
    ...     area="01")[0]
    >>> line.value, round(line.change, 1), line.judgement
    (5.8, -0.2, 'bättre (ej statistiskt prövat)')
    """
    totals = totals_of(frame)
    lines = []
    for indicator in indicators:
        part = totals.filter(pl.col("indicator") == indicator.code)
        own = part.filter(pl.col("area") == area).sort("period")
        riket = part.filter(pl.col("area") == RIKET)
        if own.height == 0:
            lines.append(LatestLine(indicator, None, None, None, None, None, None, ""))
            continue
        latest = own.tail(1)
        if area != RIKET:
            latest = benchmark(
                latest, riket, polarity=indicator.polarity, on=["period"], prefix="vs"
            )
        row = latest.row(0, named=True)
        value = row["value"]
        previous = own["value"][-2] if own.height > 1 else None
        riket_value = dict(riket.select("period", "value").iter_rows()).get(row["period"])
        lines.append(
            LatestLine(
                indicator,
                row["period"],
                value,
                own["period"][-2] if own.height > 1 else None,
                value - previous if value is not None and previous is not None else None,
                riket_value,
                value - riket_value if value is not None and riket_value is not None else None,
                row.get("vs_text") or "",
            )
        )
    return lines
