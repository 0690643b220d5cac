"""Choropleth maps of Swedish areas as SVG, drawn from GeoJSON without any JavaScript."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from functools import cache
from html import escape
from pathlib import Path

from halsogap.numbers import format_number

# A sequential blue scale (ColorBrewer "Blues", the five darker of seven classes, so that the
# lowest class stays distinct from white): light to dark as values grow.
CLASS_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#d9d9d9"


@cache
def load_features(path: str | Path) -> tuple[dict, ...]:
    """The features of a GeoJSON file, read once per process (the boundaries never change).

    >>> features = load_features(Path(__file__).parents[1] / "data/demo/geo/regioner.geojson")
    >>> len(features), sorted(features[0]["properties"])
    (21, ['code', 'name'])
    """
    return tuple(json.loads(Path(path).read_text(encoding="utf-8"))["features"])


def class_breaks(values: list[float], classes: int = 5) -> list[float]:
    """Quantile breaks, so that each colour holds about as many areas.

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)
    [2.8, 4.6, 6.4, 8.2]
    """
    ordered = sorted(values)
    if not ordered:
        return []
    breaks = []
    for i in range(1, classes):
        position = (len(ordered) - 1) * i / classes
        lo, hi = math.floor(position), math.ceil(position)
        breaks.append(round(ordered[lo] + (ordered[hi] - ordered[lo]) * (position - lo), 10))
    return breaks


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def choropleth_svg(
    features: list[dict],
    values: Mapping[str, float | None],
    *,
    title: str,
    unit: str = "",
    width: int = 420,
    decimals: int = 1,
) -> str:
    """Colour each feature (with ``properties.code`` and ``name``) by its value.

    >>> square = {"type": "Polygon", "coordinates": [[[17, 59], [18, 59], [18, 60], [17, 59]]]}
    >>> f = [{"properties": {"code": "0180", "name": "Stockholm"}, "geometry": square}]
    >>> "Stockholm: 12,0" in choropleth_svg(f, {"0180": 12.0}, title="Test")
    True
    """
    rings = [(f, _rings(f["geometry"])) for f in features]
    xs = [pt[0] for _, rs in rings for r in rs for pt in r]
    ys = [pt[1] for _, rs in rings for r in rs for pt in r]
    if not xs:
        return ""
    # An equirectangular projection scaled by cos(latitude) keeps Sweden's shape recognisable.
    mid_lat = math.radians((min(ys) + max(ys)) / 2)
    kx = math.cos(mid_lat)
    span_x, span_y = (max(xs) - min(xs)) * kx or 1, (max(ys) - min(ys)) or 1
    scale = (width - 20) / span_x
    height = int(span_y * scale) + 20
    known = [v for v in values.values() if v is not None]
    breaks = sorted(set(class_breaks(known)))
    legend_height = 24 * (min(len(breaks) + 1, 5) + 1) + 10 if known else 34

    def colour(value: float | None) -> str:
        if value is None:
            return NO_DATA
        return CLASS_COLOURS[sum(value > b for b in breaks)]

    label_id = "map-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="map" '
        f'viewBox="0 0 {width} {height + legend_height}" aria-labelledby="{label_id}">',
        f'<title id="{label_id}">{escape(title)}</title>',
    ]
    for feature, feature_rings in rings:
        code, name = feature["properties"]["code"], feature["properties"]["name"]
        value = values.get(code)
        d = " ".join(
            "M"
            + " L".join(
                f"{10 + (x - min(xs)) * kx * scale:.1f},{10 + (max(ys) - y) * scale:.1f}"
                for x, y in ring
            )
            + " Z"
            for ring in feature_rings
        )
        label = f"{name}: {format_number(value, decimals)} {unit}".strip()
        parts.append(
            f'<path d="{d}" fill="{colour(value)}" stroke="#555" stroke-width="0.4">'
            f"<title>{escape(label)}</title></path>"
        )
    # One legend row per distinct class; equal breaks (few distinct values) collapse into one.
    edges = sorted({min(known), *breaks, max(known)}) if known else []
    classes = list(zip(edges, edges[1:], strict=False)) or ([(edges[0], edges[0])] if edges else [])
    for i, (lo, hi) in enumerate(classes):
        fill = colour(hi)
        y0 = height + 4 + 24 * i
        text = (
            format_number(lo, decimals)
            if lo == hi
            else f"{format_number(lo, decimals)}–{format_number(hi, decimals)}"
        )
        parts.append(
            f'<rect x="10" y="{y0}" width="18" height="16" fill="{fill}" stroke="#555"/>'
            f'<text x="34" y="{y0 + 13}" font-size="12">{text} {escape(unit)}</text>'
        )
    y0 = height + 4 + 24 * len(classes)
    parts.append(
        f'<rect x="10" y="{y0}" width="18" height="16" fill="{NO_DATA}" stroke="#555"/>'
        f'<text x="34" y="{y0 + 13}" font-size="12">Uppgift saknas</text></svg>'
    )
    return "".join(parts)
