"""One measure has one value wherever it is shown: RII, the comparison with riket, the trend
of a need's gap."""

from __future__ import annotations

import re

import pytest

from halsogap.numbers import format_number

from .small_counts_support import SHARE


@pytest.mark.django_db
def test_the_analysis_and_the_equity_page_show_the_same_rii(client_for, analyst, small_counts):
    client = client_for(analyst)
    analysis = client.get(f"/behovsanalys/{small_counts['analysis'].pk}/")
    items = [i for g in analysis.context["content"].groups for i in g.items]
    texts = {i.equity_text for i in items if i.indicator_code == SHARE}
    assert len(texts) == 1 and None not in texts
    shown = re.search(r"RII (\S+)", texts.pop()).group(1)
    equity = client.get(f"/indikator/{SHARE}/jamlikhet/?omrade=01&bakgrund=N01982")
    rii = next(m["value"] for m in equity.context["view"].measures if m["measure"] == "rii")
    assert shown == format_number(rii, 2)


@pytest.mark.django_db
def test_the_analysis_and_the_assignment_say_the_same_about_the_gap(
    client_for, analyst, small_counts
):
    client = client_for(analyst)
    analysis = client.get(f"/behovsanalys/{small_counts['analysis'].pk}/")
    group = small_counts["group"].name
    section = next(g for g in analysis.context["content"].groups if g.name == group)
    item = next(i for i in section.items if i.indicator_code == SHARE)
    assignment = client.get(f"/uppdrag/{small_counts['assignment'].pk}/")
    background = next(
        b for b in assignment.context["backgrounds"] if b.indicator_title == item.indicator_title
    )
    assert item.trend_text and background.gap_closing_text == item.trend_text
    assert (background.current, background.desired, background.persons) == (
        item.total.current,
        item.total.desired,
        item.total.persons,
    )
