"""Reading numbers from a page's query string the way Swedish users type them."""

from __future__ import annotations

from collections.abc import Mapping


def number_from_query(query, name: str, default: float) -> float:
    """A number from ``query`` (decimal comma or point, spaces ignored), else ``default``."""
    try:
        return float(query.get(name, "").replace(",", ".").replace(" ", ""))
    except ValueError:
        return default


def weights_from_query(query, defaults: Mapping[str, float]) -> dict[str, float]:
    """Weights ``w_<name>`` between 0 and 100; the defaults when all would be zero."""
    weights = dict(defaults)
    for name in weights:
        value = number_from_query(query, f"w_{name}", weights[name])
        if 0 <= value <= 100:
            weights[name] = value
    return weights if sum(weights.values()) > 0 else dict(defaults)
