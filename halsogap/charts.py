"""Server-side SVG charts: pages work without JavaScript and every chart has a text alternative.

The functions return SVG markup as strings with a ``<title>`` and ``<desc>``; callers pair
each chart with a table of the same numbers.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from html import escape

from halsogap.numbers import format_number

# Okabe–Ito colours stay distinguishable for the common forms of colour blindness.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4"]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering ``low``–``high``.

    >>> nice_ticks(4.9, 15.9)
    [0, 5, 10, 15, 20]
    >>> nice_ticks(59.1, 63.8)
    [58, 60, 62, 64]
    """
    span = (high - low) or abs(high) or 1.0
    raw = span / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _position(periods: list[str]) -> dict[str, float]:
    # Yearly periods are placed by time, so that a missing year shows as a longer gap instead
    # of bending the trend; other periods (e.g. "2019-2022") are evenly spaced.
    if all(p.isdigit() and len(p) == 4 for p in periods):
        years = [int(p) for p in periods]
        span = (max(years) - min(years)) or 1
        return {p: (int(p) - min(years)) / span for p in periods}
    last = max(len(periods) - 1, 1)
    return {p: i / last for i, p in enumerate(periods)}


def line_chart_svg(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 260,
    decimals: int = 1,
) -> str:
    """A line chart of one or more series over the same periods, legend below the plot.

    ``decimals`` is the indicator's precision for the values in the text alternative.

    >>> svg = line_chart_svg({"Riket": [("2020", 10.0), ("2021", 12.0)]}, title="Rökning")
    >>> svg.startswith("<svg") and "<title" in svg and "Riket" in svg
    True
    """
    periods = sorted({p for points in series.values() for p, _ in points})
    values = [v for points in series.values() for _, v in points if v is not None]
    label_id = "chart-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    if not periods or not values:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="60" '
            f'aria-labelledby="{label_id}"><title id="{label_id}">{escape(title)}: inga värden'
            '</title><text x="10" y="30">Inga värden att visa.</text></svg>'
        )
    ticks = nice_ticks(min(values), max(values))
    if min(values) >= 0 and ticks[0] < 0:
        ticks = [t for t in ticks if t >= 0] or [0.0]
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1
    legend_rows = len(series)
    left, right, top, bottom = 64, 24, 16 + (14 if unit else 0), 36 + 20 * legend_rows
    total_height = height + 20 * legend_rows
    plot_w, plot_h = width - left - right, total_height - top - bottom
    where = _position(periods)

    def x(period: str) -> float:
        return left + (plot_w * where[period] if len(periods) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {total_height}" '
        f'class="chart" aria-labelledby="{label_id} {label_id}-desc">',
        f'<title id="{label_id}">{escape(title)}</title>',
        f'<desc id="{label_id}-desc">{escape(_describe(series, unit, decimals))}</desc>',
    ]
    if unit:
        parts.append(f'<text x="{left - 56}" y="14" font-size="12">{escape(unit)}</text>')
    tick_decimals = 0 if all(float(t).is_integer() for t in ticks) else 1
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="13">'
            f"{format_number(tick, tick_decimals)}</text>"
        )
    # Keep at least 44 units between period labels so they never run together; the last
    # period is always labelled, replacing a neighbour that would crowd it.
    axis_y = top + plot_h + 20
    shown: list[str] = []
    for period in periods:
        if not shown or x(period) - x(shown[-1]) >= 44:
            shown.append(period)
    if shown[-1] != periods[-1]:
        if x(periods[-1]) - x(shown[-1]) < 44 and len(shown) > 1:
            shown.pop()
        shown.append(periods[-1])
    for period in shown:
        parts.append(
            f'<text x="{x(period):.1f}" y="{axis_y}" text-anchor="middle" '
            f'font-size="13">{escape(period)}</text>'
        )
    for i, (name, points) in enumerate(series.items()):
        colour, dash = SERIES_COLOURS[i % 6], DASHES[i % 6]
        coords = [(x(p), y(v)) for p, v in sorted(points) if v is not None]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if coords:
            path = " ".join(
                f"{'M' if j == 0 else 'L'}{cx:.1f},{cy:.1f}" for j, (cx, cy) in enumerate(coords)
            )
            parts.append(
                f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
            parts.extend(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>'
                for cx, cy in coords
            )
        ly = axis_y + 22 + 20 * i
        parts.append(
            f'<line x1="{left}" x2="{left + 28}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/><circle cx="{left + 14}" cy="{ly - 4}" r="3.5" '
            f'fill="{colour}"/><text x="{left + 36}" y="{ly}" font-size="13">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _describe(
    series: Mapping[str, Sequence[tuple[str, float | None]]], unit: str, decimals: int = 1
) -> str:
    sentences = []
    for name, points in series.items():
        known = [(p, v) for p, v in sorted(points) if v is not None]
        if not known:
            continue
        (p0, v0), (p1, v1) = known[0], known[-1]
        sentences.append(
            f"{name}: {format_number(v0, decimals)} {unit} år {p0} och "
            f"{format_number(v1, decimals)} {unit} år {p1}."
        )
    return " ".join(sentences).replace("  ", " ")


def bar_chart_svg(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 260,
    decimals: int = 1,
) -> str:
    """Vertical bars with their values written on them (so colour is never the only cue).

    >>> svg = bar_chart_svg([("Kvintil 1", 12.0), ("Kvintil 5", 6.5)], title="Rökning")
    >>> "Kvintil 1: 12,0" in svg and svg.count("<rect") == 2
    True
    >>> ">0,5<" in bar_chart_svg([("målet nått", 1.0)], title="Status", unit="st", decimals=0)
    False
    """
    label_id = "bars-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    values = [v for _, v in bars if v is not None]
    top_value = max(values) if values else 1.0
    ticks = nice_ticks(0, top_value)
    if decimals == 0:
        # Counts have whole-number gridlines only: "0,5 indikatorer" is not a count.
        ticks = [t for t in ticks if float(t).is_integer()]
    high = ticks[-1] or 1.0
    left, bottom, top = 56, 40, 16
    plot_w, plot_h = width - left - 16, height - top - bottom
    slot = plot_w / max(len(bars), 1)
    summary = "; ".join(f"{name}: {format_number(v, decimals)} {unit}".strip() for name, v in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{label_id} {label_id}-desc">',
        f'<title id="{label_id}">{escape(title)}</title>',
        f'<desc id="{label_id}-desc">{escape(summary)}</desc>',
    ]
    for tick in ticks:
        y = top + plot_h * (1 - tick / high)
        parts.append(
            f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{format_number(tick, decimals=0 if float(tick).is_integer() else 1)}</text>"
        )
    for i, (name, value) in enumerate(bars):
        x = left + slot * i + slot * 0.15
        w = slot * 0.7
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height - 16}" text-anchor="middle" font-size="12">'
            f"{escape(name)}</text>"
        )
        if value is None:
            continue
        h = plot_h * value / high
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#0072B2">'
            f"<title>{escape(name)}: {format_number(value, decimals)} {escape(unit)}</title></rect>"
            f'<text x="{x + w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">'
            f"{format_number(value, decimals)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
