"""Server-side SVG charts: pages work without JavaScript and every chart has a text alternative.

The functions return SVG markup as strings with a ``<title>`` and ``<desc>``; callers pair
each chart with a table of the same numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from html import escape

# Okabe–Ito colours stay distinguishable for the common forms of colour blindness.
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4"]


def format_number(value: float | None, *, decimals: int = 1) -> str:
    """Swedish number format: decimal comma and a thin space between thousands.

    >>> format_number(12345.678)
    '12\u202f345,7'
    >>> format_number(None)
    '–'
    """
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def line_chart_svg(
    series: Mapping[str, Sequence[tuple[str, float | None]]],
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 260,
) -> str:
    """A line chart of one or more series over the same periods.

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
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    low, high = (0 if low >= 0 and low - pad < 0 else low - pad), high + pad
    left, right, top, bottom = 64, 130, 16, 36
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(period: str) -> float:
        i = periods.index(period)
        return left + (plot_w * i / (len(periods) - 1) if len(periods) > 1 else plot_w / 2)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'class="chart" aria-labelledby="{label_id} {label_id}-desc">',
        f'<title id="{label_id}">{escape(title)}</title>',
        f'<desc id="{label_id}-desc">{escape(_describe(series, unit))}</desc>',
    ]
    for i in range(5):
        tick = low + (high - low) * i / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="13">'
            f"{format_number(tick)}</text>"
        )
    step = max(1, len(periods) // 8)
    for i, period in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            parts.append(
                f'<text x="{x(period):.1f}" y="{height - 12}" text-anchor="middle" '
                f'font-size="13">{escape(period)}</text>'
            )
    for i, (name, points) in enumerate(series.items()):
        colour, dash = SERIES_COLOURS[i % 6], DASHES[i % 6]
        coords = [(x(p), y(v)) for p, v in sorted(points) if v is not None]
        if not coords:
            continue
        path = " ".join(
            f"{'M' if j == 0 else 'L'}{cx:.1f},{cy:.1f}" for j, (cx, cy) in enumerate(coords)
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
        )
        parts.extend(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{colour}"/>' for cx, cy in coords
        )
        ly = top + 14 + 18 * i
        parts.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 36}" y1="{ly - 4}" '
            f'y2="{ly - 4}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text x="{width - right + 40}" y="{ly}" font-size="13">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _describe(series: Mapping[str, Sequence[tuple[str, float | None]]], unit: str) -> str:
    sentences = []
    for name, points in series.items():
        known = [(p, v) for p, v in sorted(points) if v is not None]
        if not known:
            continue
        (p0, v0), (p1, v1) = known[0], known[-1]
        sentences.append(
            f"{name}: {format_number(v0)} {unit} år {p0} och {format_number(v1)} {unit} år {p1}."
        )
    return " ".join(sentences).replace("  ", " ")
