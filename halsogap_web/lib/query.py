"""Reading numbers from a page's query string the way Swedish users type them.

"0,3" and "0.3" both mean three tenths and spaces between thousands are ignored; anything else
keeps the default and adds a Swedish sentence to ``problems``, which the page shows, so that a
mistyped weight never silently becomes another number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def number_from_query(
    query,
    name: str,
    default: float,
    *,
    problems: list[str] | None = None,
    label: str | None = None,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """A number from ``query`` (decimal comma or point, spaces ignored), else ``default``.

    >>> problems = []
    >>> number_from_query({"w": "0,3"}, "w", 1.0), number_from_query({"w": "0.3"}, "w", 1.0)
    (0.3, 0.3)
    >>> number_from_query({"w": "1e309"}, "w", 1.0, problems=problems, label="Vikten")
    1.0
    >>> problems
    ['Vikten: ”1e309” är inget tal; skriv till exempel 0,3.']
    """
    raw = str(query.get(name, "")).strip()
    if raw == "":
        return default
    text = raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    what = label or name
    if not _NUMBER.match(text) or not math.isfinite(float(text)):
        if problems is not None:
            problems.append(f"{what}: ”{raw}” är inget tal; skriv till exempel 0,3.")
        return default
    value = float(text)
    if (low is not None and value < low) or (high is not None and value > high):
        if problems is not None:
            bounds = f"mellan {_n(low)} och {_n(high)}" if high is not None else f"minst {_n(low)}"
            problems.append(f"{what}: ”{raw}” ska vara {bounds}.")
        return default
    return value


def _n(value: float | None) -> str:
    from halsogap.numbers import format_number

    return format_number(value, 0 if value is None or float(value).is_integer() else 2)


def weights_from_query(
    query,
    defaults: Mapping[str, float],
    *,
    problems: list[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """Weights ``w_<name>`` between 0 and 100; the defaults when all would be zero.

    >>> weights_from_query({"w_a": "2,5", "w_b": "x"}, {"a": 1.0, "b": 1.0}, problems=[])
    {'a': 2.5, 'b': 1.0}
    """
    weights = dict(defaults)
    for name in weights:
        label = f"Vikten för {(labels or {}).get(name, name)}"
        weights[name] = number_from_query(
            query, f"w_{name}", weights[name], problems=problems, label=label, low=0, high=100
        )
    if sum(weights.values()) <= 0:
        if problems is not None:
            problems.append("Minst en vikt måste vara större än 0; standardvikterna används.")
        return dict(defaults)
    return weights


def pk_from_query(query, name: str) -> int | None:
    """The id in ``query[name]``, None when it is absent or empty; a 400 when it is no id.

    >>> pk_from_query({"behov": "12"}, "behov"), pk_from_query({}, "behov")
    (12, None)
    >>> pk_from_query({"behov": "abc"}, "behov")
    Traceback (most recent call last):
    ...
    django.core.exceptions.BadRequest: Parametern ”behov” ska vara ett id (ett heltal), inte ”abc”.
    """
    from django.core.exceptions import BadRequest

    raw = str(query.get(name, "")).strip()
    if raw == "":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise BadRequest(f"Parametern ”{name}” ska vara ett id (ett heltal), inte ”{raw[:40]}”.")
    return int(raw)


def year_from_query(query, default: int, *, name: str = "ar") -> int:
    """A year 2000–2100 from ``query[name]``; anything else keeps ``default``.

    >>> year_from_query({"ar": "2025"}, 2026), year_from_query({"ar": "abc"}, 2026)
    (2025, 2026)
    """
    raw = str(query.get(name, "")).strip()
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100 else default
