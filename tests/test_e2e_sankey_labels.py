"""/training's pathways Sankey at a laptop's width: every node label whole, inside the chart, and clear of every other
label, in each language (issue 19's sweep at 1 024 px with the sidebar open: "initial vocational training · EQF
unknown" ran across "Maintenance technician", German labels out of the chart; training_charts._sankey_label). On a
phone or at 800 px with the sidebar open the chart keeps its least width and scrolls sideways (SANKEY_MIN_WIDTH)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

LABELS_JS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g.querySelector('.sankey'));
  const plot = gd.querySelector('.main-svg').getBoundingClientRect();
  const boxes = [...gd.querySelectorAll('.sankey .node-label')].map((e) => { const r = e.getBoundingClientRect();
    return [e.textContent, r.left, r.top, r.right, r.bottom]; }).filter((b) => b[3] > b[1]);
  const over = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a[3], b[3]) - Math.max(a[1], b[1]), h = Math.min(a[4], b[4]) - Math.max(a[2], b[2]);
    if (w > 1 && h > 1) over.push([a[0], b[0]]); }
  const out = boxes.filter((b) => b[1] < plot.left - 1 || b[3] > plot.right + 1).map((b) => b[0]);
  return {n: boxes.length, over, out}; }"""

SCROLLS = """() => { const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g.querySelector('.sankey'));
  const wrap = gd.closest('.atlas-live-chart-wrap');
  return wrap.scrollWidth > wrap.clientWidth + 1 && gd.getBoundingClientRect().width >= 679; }"""


@pytest.mark.parametrize("width", [390, 800, 1024, 1280])  # below ≈ 1 000 px the chart scrolls sideways (SANKEY_MIN_WIDTH)
def test_pathway_labels_stay_apart_and_inside_the_chart(app_server, browser_page, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    for lang in ("en", "de", "hu", "fi"):
        page.goto(f"{app_server}/training?lang={lang}", wait_until="domcontentloaded")
        page.locator(".sankey .node-label").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)  # the fonts and the column settled
        found = page.evaluate(LABELS_JS)
        assert found["n"] >= 10, found
        assert found["over"] == [] and found["out"] == [], (lang, found)
        if width < 1000:  # the column is narrower than the chart's least width: the chart scrolls, whole
            assert page.evaluate(SCROLLS), (lang, width)
