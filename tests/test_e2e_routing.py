"""A permalink opened as the very first request after a server start still goes through app.py."""

from __future__ import annotations

import re

import pytest

from tests.map_dom import READY_JS, TRACE_DRAWN_JS
from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e


def test_deep_link_on_a_fresh_server_keeps_filters_and_navigation(fresh_app_server, browser_page):
    page = browser_page
    page.goto(fresh_app_server + "/regions?country=HU&region=HU32&year=2032", wait_until="domcontentloaded")
    wait_ready(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Europe overview").first.wait_for()
    assert nav.get_by_text("app", exact=True).count() == 0, "legacy pages/ navigation must not show"
    assert "2032" in page.get_by_test_id("stSlider").first.inner_text()
    page.wait_for_url(re.compile(r"country=HU"))
    page.locator('[data-testid="stMain"] li').filter(has_text="EcoPro").first.wait_for()


def test_regions_map_renders_with_every_outside_request_blocked(app_server, browser_page):
    """The offline proof: `browser_page` aborts and fails on any non-loopback request (and on console errors),
    with the plant status shapes (concentric-disc overlays) drawn on top of the choropleth (Plotly's SVG map, no
    topojson asked of a CDN)."""
    page = browser_page
    page.goto(app_server + "/regions?level=2", wait_until="domcontentloaded")
    wait_ready(page)
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    plot.locator(".geo .choroplethlocation, canvas").first.wait_for(state="attached")  # the choropleth drawn (SVG; MapLibre's canvas)
    page.get_by_text("© EuroGeographics for the administrative boundaries").first.wait_for()
    assert_status_shapes_rendered(page)


STATUS_LAYERS_JS = f"""() => {{
  const gd = [...document.querySelectorAll('.js-plotly-plot')]
    .find(g => (g.data || []).some(t => t.meta && t.meta.plants));
  if (!({READY_JS})(gd)) return null;
  return gd._fullData.filter(t => t.meta && t.meta.plants).map(t => {{
    const drawn = ({TRACE_DRAWN_JS})(gd, t);
    return {{plants: t.meta.plants, status: t.meta.status || null, hoverinfo: t.hoverinfo, showlegend: t.showlegend,
            name: t.name, points: t.lat.length, colours: [...new Set(t.marker.color)], has_layer: drawn.has_layer,
            drawn: drawn.drawn}};
  }});
}}"""


def assert_status_shapes_rendered(page) -> None:
    """Every plant status on the map has its shapes trace (a glyph-prefixed legend entry, no hover) holding the
    status discs and their pattern overlays, a layer of the map with markers actually drawn; one hover trace
    over them carries every plant's hover; plus the caption."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from workforce import charts

    try:  # the map draws asynchronously (and again after a rerun): poll until every layer has drawn features
        traces = page.wait_for_function(
            f"() => {{ const t = ({STATUS_LAYERS_JS})(); return t && t.length"
            " && t.filter(x => x.plants === 'shapes').every(x => x.drawn > 0) && t; }",
            timeout=90_000, polling=500).json_value()
    except PlaywrightTimeout:
        traces = page.evaluate(STATUS_LAYERS_JS)
    by_status = {t["status"]: t for t in traces if t["plants"] == "shapes"}
    assert len(by_status) >= 3, traces  # the real pipeline has operating, building, announced, ... sites
    (hover,) = [t for t in traces if t["plants"] == "hover"]
    assert hover["hoverinfo"] != "skip" and hover["showlegend"] is False
    plants = 0
    for status, t in by_status.items():
        assert t["showlegend"] and t["hoverinfo"] == "skip", t
        assert t["name"].startswith(charts.STATUS_GLYPHS[status])
        fills = {"#ffffff" if fill == "white" else charts.STATUS_COLORS[status] for _, fill in charts.STATUS_RINGS[status]}
        assert {charts.STATUS_COLORS[status], *fills} <= set(t["colours"]), t  # the discs and their overlays
        outlined = "#1a1a1a" in t["colours"]
        per_plant = 1 + len(charts.STATUS_RINGS[status]) + outlined
        assert (t["points"] - 1) % per_plant == 0, t  # the legend swatch, then one full stack per plant
        plants += (t["points"] - 1) // per_plant
        assert t["has_layer"] and t["drawn"] > 0, t  # drawn, offline (no sprite, no glyphs, no topojson)
    assert hover["points"] == plants
    statuses = set(by_status)
    legend = page.locator(".js-plotly-plot .legendtext").all_text_contents()
    assert sum(text[:1] in charts.STATUS_GLYPHS.values() for text in legend) == len(statuses), legend
    page.get_by_text("Plant status is shown by shape as well as colour").first.wait_for()
