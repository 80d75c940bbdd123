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


LEGEND_OVER_REGIONS_JS = """() => {
  const gd = document.querySelector('.st-key-rg_map .js-plotly-plot');
  const bg = gd && gd.querySelector('.legend .bg');
  if (!bg) return null;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const legend = box(bg), plot = box(gd.querySelector('.main-svg')), covered = [];
  for (const g of gd.querySelectorAll('.choroplethlayer .trace')) {
    const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    if (!['class', 'no_data'].includes(((trace && trace.meta) || {}).map)) continue;
    for (const p of g.querySelectorAll('path.choroplethlocation')) {
      const [l, t, r, b] = box(p);
      if (Math.min(r, legend[2]) > Math.max(l, legend[0]) && Math.min(b, legend[3]) > Math.max(t, legend[1]))
        covered.push(p.__data__ && p.__data__.loc);
    }
  }
  const cut = [];  // regions cut at the map's edges (the top of Lapland was, at the fixed zoom; 16 px: attribution)
  for (const g of gd.querySelectorAll('.choroplethlayer .trace')) {
    const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;
    if (!['class', 'no_data'].includes(((trace && trace.meta) || {}).map)) continue;
    for (const p of g.querySelectorAll('path.choroplethlocation')) {
      const [l, t, r, b] = box(p);
      // the map clips a shape at its edge: one that reaches an edge was cut there
      if (l <= plot[0] + 1 || t <= plot[1] + 1 || r >= plot[2] - 1 || b >= plot[3] - 17) cut.push(p.__data__ && p.__data__.loc);
    }
  }
  return {legend, plot, covered, cut};
}"""


def _legend_over_regions(page, url: str) -> dict:
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".st-key-rg_map .js-plotly-plot .legend .bg").first.wait_for(timeout=60_000)
    page.wait_for_function(f"() => !!({LEGEND_OVER_REGIONS_JS})()", timeout=30_000)
    page.wait_for_timeout(500)  # the geo window refitted to the drawn plot area (live_chart.js refitSvgMap)
    return page.evaluate(LEGEND_OVER_REGIONS_JS)


def test_the_europe_maps_legend_covers_no_region_on_a_laptop_screen(app_server, browser_page):
    """At 1 280 px the Europe-wide /regions legend sat top left over Iceland, Ireland and Great Britain's west; with
    a long metric name (120 characters on one line) it was as wide as the map and washed out half of Europe. It now
    sits top right (over Belarus, Russia, Ukraine: no NUTS regions), its lines at most charts.LEGEND_CHARS long.
    And the map shows Europe whole: at the view's fixed zoom the top of Lapland was cut off."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    default = _legend_over_regions(page, app_server + "/regions")
    assert default["covered"] == [], default
    # Europe whole: charts.EUROPE_VIEW's bounds fitted (live_chart.js); France's overseas regions are off the map
    assert [r for r in default["cut"] if not r.startswith("FRY")] == [], default["cut"]
    long_name = _legend_over_regions(page, app_server + "/regions?metric=capacity_gap_per_1000")
    (ll, _, lr, _), (pl, _, pr, _) = long_name["legend"], long_name["plot"]
    assert lr - ll <= 0.32 * (pr - pl), long_name  # ≈ 220 of 820 px; it was the whole width
    assert long_name["covered"] == [], long_name


PLACES_JS = """() => {
  const gd = document.querySelector('.st-key-rg_map .js-plotly-plot');
  const svg = gd && gd.querySelector('.main-svg'), bg = gd && gd.querySelector('.legend .bg');
  const note = gd && [...gd.querySelectorAll('.annotation')].find((a) => a.textContent.includes('EuroGeographics'));
  if (!svg || !bg || !note || !gd._fullLayout) return null;
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const s = gd._fullLayout._size, o = box(svg);
  return {legend: box(bg), note: box(note), map: [o[0] + s.l, o[1] + s.t, o[0] + s.l + s.w, o[1] + s.t + s.h]};
}"""


def _places(page) -> dict:
    page.wait_for_function(f"() => !!({PLACES_JS})()", timeout=30_000)
    return page.evaluate(PLACES_JS)


def _apart(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_a_narrow_maps_legend_sits_under_it(app_server, browser_page):
    """At 1 024 px with the sidebar open the map is ≈ 560 px wide, and its legend (≈ 230 px) covered Finland, the
    Baltic states, eastern Poland and Romania. Under NARROW_MAP px (live_chart.js) the legend goes under the map, the
    boundaries' attribution over it; the map keeps Europe whole; a wider window puts the legend back over Russia."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 800})
    for url in ("/regions", "/regions?lang=de&metric=gap_per_1000"):
        shown = _legend_over_regions(page, app_server + url)
        assert shown["covered"] == [], (url, shown)
        assert [r for r in shown["cut"] if not r.startswith("FRY")] == [], (url, shown["cut"])
        places = _places(page)
        assert places["legend"][1] >= places["map"][3] - 1, (url, places)  # under the map
        assert places["note"][3] <= places["map"][1] + 1, (url, places)  # the attribution over it
        assert _apart(places["legend"], places["note"]), (url, places)
    page.set_viewport_size({"width": 1400, "height": 900})  # wider: the legend over the map again, top right
    page.wait_for_function(f"() => {{ const p = ({PLACES_JS})(); return p && p.legend[3] < p.map[3]; }}",
                           timeout=15_000)
    page.wait_for_timeout(500)
    shown = page.evaluate(LEGEND_OVER_REGIONS_JS)
    places = _places(page)
    assert shown["covered"] == [] and places["note"][1] >= places["map"][3] - 1, (shown, places)
