"""The map's legend in Chromium: every class and note of a choropleth has a visible swatch (live_chart.js
`outlineSwatches`) — Plotly draws a choropleth's swatch with its colour scale only, so the white "0" class, the
washed-out "Greyed" overlay and the transparent "Outliers" outline had none. Also after the legend is drawn again
(a click on an entry hides its trace)."""

from __future__ import annotations

import pytest

from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e

SWATCHES_JS = """() => {
  const gd = document.querySelector('.st-key-rg_map .js-plotly-plot');
  if (!gd || !gd._fullLayout) return null;
  return [...gd.querySelectorAll('.legend .traces')].map((item) => {
    const trace = item.__data__ && item.__data__[0] && item.__data__[0].trace;
    const swatch = item.querySelector('path.legend3dandfriends');
    if (!trace || !swatch) return null;
    const style = getComputedStyle(swatch);
    return {role: (trace.meta || {}).map || null, name: item.textContent, stroke: style.stroke,
            width: parseFloat(style.strokeWidth), visible: trace.visible};
  }).filter(Boolean);
}"""


def _swatches(page) -> list[dict]:
    drawn = ("() => { const s = (" + SWATCHES_JS + ")(); "
             "return s && s.length && s.every(x => x.stroke && x.stroke !== 'none' && x.width >= 1); }")
    page.wait_for_function(drawn, timeout=30_000)
    return page.evaluate(SWATCHES_JS)


def test_every_choropleth_legend_entry_has_a_visible_swatch(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/regions", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".st-key-rg_map .js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    swatches = _swatches(page)
    roles = {s["role"] for s in swatches}
    assert {"class", "uncertain", "outliers"} <= roles, swatches  # the default view has all three
    outliers = next(s for s in swatches if s["role"] == "outliers")
    assert outliers["stroke"] == "rgb(0, 0, 0)" and outliers["width"] == 3, outliers  # as its regions are outlined
    for s in swatches:
        assert 1 <= s["width"] <= 3, s
    # a click on an entry hides its trace and Plotly draws the legend again: the outlines are drawn again too
    page.locator(".st-key-rg_map .legend .traces").filter(has_text="Outliers").first.click()
    page.wait_for_function(f"() => (({SWATCHES_JS})() || []).some(s => s.role === 'outliers' "
                           "&& s.visible === 'legendonly')", timeout=30_000)
    assert all(s["width"] >= 1 for s in _swatches(page))
