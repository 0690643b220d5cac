"""Answers in PxWebApi 2.0's JSON-stat 2.0 shape (the shape of the recorded SCB responses in
tests/fixtures/sources/), built for whatever selection a test's mocked route receives.

Shared by the connector tests of the core, the web and the browser journey.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable


def jsonstat_answer(
    categories: dict[str, dict[str, str]],
    selected: dict[str, list[str]],
    value: Callable[[tuple[str, ...]], float | None],
    *,
    table: str = "TAB638",
    label: str = "Folkmängd",
    updated: str | None = None,
) -> dict:
    """The dataset for ``selected`` (a variable left out gives its first category); each
    cell's value is ``value(codes)``, the codes in the order of ``categories``."""
    ids = list(categories)
    chosen = {d: selected.get(d, list(categories[d])[:1]) for d in ids}
    answer = {
        "version": "2.0",
        "class": "dataset",
        "source": "SCB",
        "label": label,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "id": ids,
        "size": [len(chosen[d]) for d in ids],
        "dimension": {
            d: {
                "label": d.lower(),
                "category": {
                    "index": {c: i for i, c in enumerate(chosen[d])},
                    "label": {c: categories[d][c] for c in chosen[d]},
                },
            }
            for d in ids
        },
        "extension": {"px": {"tableid": table}},
        # Row-major: the last variable varies fastest, as in JSON-stat.
        "value": [value(cell) for cell in itertools.product(*(chosen[d] for d in ids))],
    }
    if updated:
        answer["updated"] = updated
    return answer


def metadata_answer(categories: dict[str, dict[str, str]], **kwargs) -> dict:
    """The table's metadata: every category of every variable, no values."""
    everything = {d: list(c) for d, c in categories.items()}
    return jsonstat_answer(categories, everything, lambda cell: None, **kwargs) | {"value": []}


def selection_of(request) -> dict[str, list[str]]:
    """What a PxWebApi 2.0 data request asked for: variable → value codes."""
    body = json.loads(request.content)
    return {s["variableCode"]: s["valueCodes"] for s in body["selection"]}
