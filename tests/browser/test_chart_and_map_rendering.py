"""What the charts and the map look like once a browser lays them out.

These checks need a real layout engine (``getBBox``), so they live with the browser tests; the
bugs they pinned down (found while writing this suite) are fixed.
"""

from __future__ import annotations

import pytest
from browser_support import KOLADA_INDICATOR, REGION_INDICATOR
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

TEXT_BOXES = """svg => {
  const width = svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(t => {
    const b = t.getBBox();
    return {text: t.textContent, left: b.x, right: b.x + b.width, y: b.y, width};
  });
}"""


def chart_text_boxes(page: Page) -> list[list[dict]]:
    return [chart.evaluate(TEXT_BOXES) for chart in page.locator("svg.chart").all()]


def period_labels(boxes: list[dict]) -> list[dict]:
    """The x-axis labels: the year texts on one line below the plot."""
    years = [b for b in boxes if b["text"].isdigit() and len(b["text"]) == 4]
    axis = max(b["y"] for b in years)
    return sorted((b for b in years if b["y"] == axis), key=lambda b: b["left"])


def legend_labels(boxes: list[dict]) -> list[str]:
    """The legend: the texts below the x-axis labels, top to bottom."""
    axis = period_labels(boxes)[0]["y"]
    return [b["text"] for b in sorted(boxes, key=lambda b: b["y"]) if b["y"] > axis]


def map_legend(page: Page) -> list[str]:
    return [t for t in page.locator("svg.map > text").all_text_contents() if t != "Uppgift saknas"]


def test_charts_and_map_are_drawn_for_a_kommun(page: Page, seed):
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=0180")
    charts = chart_text_boxes(page)
    assert len(charts) == 2  # over time, by sex
    assert legend_labels(charts[0]) == ["Stockholm", "Region Stockholm", "Riket"]
    expect(page.locator("svg.map path")).to_have_count(26)
    assert len(map_legend(page)) == 5


def test_chart_legend_fits_inside_the_chart(page: Page, seed):
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=0180")
    clipped = [
        f"{b['text']!r} ends at {b['right']:.0f} > {b['width']:.0f}"
        for boxes in chart_text_boxes(page)
        for b in boxes
        if b["right"] > b["width"]
    ]
    assert not clipped, "chart text outside the SVG viewBox: " + "; ".join(clipped)


def test_chart_period_labels_do_not_overlap(page: Page, seed):
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=0180")
    overlaps = []
    for boxes in chart_text_boxes(page):
        labels = period_labels(boxes)
        overlaps += [
            f"{a['text']}/{b['text']}"
            for a, b in zip(labels, labels[1:], strict=False)
            if a["right"] > b["left"]
        ]
    assert not overlaps, "overlapping period labels: " + ", ".join(overlaps)


def test_chart_spaces_years_by_time(page: Page, seed):
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=00")  # riket: 2016, 2018, 2020-2022
    labels = {
        b["text"]: (b["left"] + b["right"]) / 2 for b in period_labels(chart_text_boxes(page)[0])
    }
    assert list(labels) == ["2016", "2018", "2020", "2021", "2022"]
    one_year = labels["2021"] - labels["2020"]
    assert labels["2018"] - labels["2016"] == pytest.approx(2 * one_year, rel=0.02)


def test_map_without_values_names_no_period_none(page: Page, analyst_page: Page):
    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")  # only riket and the region have values
    expect(page.locator("svg.map")).to_be_visible()
    page.locator("details").evaluate_all("els => els.forEach(e => { e.open = true; })")
    texts = [
        page.locator("svg.map > title").text_content(),
        *page.locator("section[aria-labelledby=map-heading] caption").all_text_contents(),
    ]
    assert not [t for t in texts if "None" in t], texts


def test_map_legend_has_no_empty_or_repeated_classes(page: Page, analyst_page: Page):
    problems = {}
    # The region's own indicator: no kommun has a value.
    page.goto(f"/indikator/{REGION_INDICATOR}/?omrade=01")
    if map_legend(page):
        problems["no values"] = map_legend(page)
    # The map of regions: only Region Stockholm has a value in this data set.
    page.goto(f"/indikator/{KOLADA_INDICATOR}/?omrade=00")
    legend = map_legend(page)
    if len(set(legend)) != len(legend):
        problems["one value"] = legend
    assert not problems, problems
