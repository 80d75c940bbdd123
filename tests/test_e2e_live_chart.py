"""Charts we draw ourselves (`ui.live_chart`, `ui.chart`) look as `st.plotly_chart` draws them (issue 19): the same
figures drawn by Streamlit in Chromium and themed by workforce/ui/chart_theme.py give Plotly the same data and
layout; and the stored theme is still what this Streamlit resolves for the app's [theme]."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from bench import chart_theme as probe
from workforce import ROOT
from workforce.ui import chart_theme
from workforce.ui.tables_later import BOX_SELECTOR

pytestmark = pytest.mark.e2e

# What Plotly computes into the layout it was given (axis ranges and types) and the size each graph was given.
COMPUTED = {"width", "height", "autosize", "range", "autorange", "type"}


def _same(ours, theirs, path="") -> list[str]:
    """Where `theirs` differs from `ours` in what `ours` sets (compared both ways: the same). An empty container
    and none are the same to Plotly (it drops empty containers): Streamlit's graph may be read before or after its
    second draw drops an emptied template textfont, and a map's geojson features gain `properties: {}` once drawn."""
    if (ours == {} and theirs is None) or (ours is None and theirs == {}):
        return []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return [d for key, value in ours.items() if key not in COMPUTED and key != "uid" and not key.startswith("_")
                for d in _same(value, theirs.get(key), f"{path}.{key}")]
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [d for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) for d in _same(a, b, f"{path}[{i}]")]
    if isinstance(ours, str) and isinstance(theirs, str):  # Streamlit may set a title in bold twice
        ours, theirs = (re.sub(r"(<b>)+(.*?)(</b>)+", r"<b>\2</b>", x) for x in (ours, theirs))
    if isinstance(ours, float) or isinstance(theirs, float):
        return [] if ours == pytest.approx(theirs, rel=1e-9) else [f"{path}: {ours!r} != {theirs!r}"]
    return [] if ours == theirs else [f"{path}: {ours!r} != {theirs!r}"]


def _plain_specs() -> list[str]:
    """The figures of the pages whose charts are live charts, as `st.plotly_chart` would receive them (static
    serving off: every live chart falls back to st.plotly_chart)."""
    from streamlit import config

    specs = []
    config.set_option("server.enableStaticServing", False)
    try:
        for page in ("overview", "forecast", "partnerships", "training", "present"):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.run()
            if page != "overview":
                at.switch_page(f"pages/{page}.py").run()
            assert not at.exception
            specs += [el.proto.spec for el in at.get("plotly_chart")]
    finally:
        config.set_option("server.enableStaticServing", True)
    return specs


def test_the_stored_chart_theme_is_what_streamlit_resolves(_browser):
    read = probe.read_theme(_browser)
    stored = chart_theme.theme()
    assert read["placeholders"] == stored["placeholders"]
    assert read["layout"] == stored["layout"]


def test_live_charts_give_plotly_what_st_plotly_chart_gives_it(_browser):
    specs = _plain_specs()
    types = {d.get("type", "scatter") for s in specs for d in json.loads(s)["data"]}
    assert {"bar", "waterfall", "scatter", "scattermap", "choroplethmap", "sankey", "heatmap"} <= types
    # as figures, as the pages hold them (the probe app makes a figure of each spec again: the same JSON)
    figures = [go.Figure(json.loads(spec)) for spec in specs]
    specs = [fig.to_json(validate=False) for fig in figures]
    themed = [chart_theme.themed_json(fig) for fig in figures]
    assert not any(re.search(r"#0000(0[1-9]|[12][0-9]|30|3[2-9]|40)", s) for s in themed)  # no placeholder left
    streamlit_drawn, ours_drawn = probe.drawn(specs, themed, browser=_browser)
    assert len(streamlit_drawn) == len(ours_drawn) == len(specs)
    for i, (ours, theirs) in enumerate(zip(ours_drawn, streamlit_drawn, strict=True)):
        differences = (_same(ours["data"], theirs["data"], f"{i}.data") + _same(theirs["data"], ours["data"], f"{i}.data")
                       + _same(ours["layout"], theirs["layout"], f"{i}.layout")
                       + _same(theirs["layout"], ours["layout"], f"{i}.layout"))
        assert not differences, differences[:10]


def _plotly_files(urls) -> list[str]:
    """The plotly.js files among script URLs, without their version and digest ("plotly-atlas"; Streamlit's own
    chunk "PlotlyChart.<hash>.js" is listed as it is)."""
    names = sorted({u.rsplit("/", 1)[-1] for u in urls if "plotly" in u.lower()})
    return [re.sub(r"-[0-9.]+(-[0-9a-f]{12})?\.min\.js$", "", name) for name in names]


def test_pages_load_only_the_partial_bundles_and_charts_go_full_screen(app_server, browser_page):
    """`/` draws its bridge and pipeline bars with the finance bundle and its plants map with the atlas bundle, /training its maps,
    Sankey and heat map with the atlas bundle, and neither Streamlit's own plotly.js chunk nor the full bundle is
    loaded; a chart's full-screen button works by mouse and keyboard and says what it does."""
    page = browser_page
    scripts = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(app_server + "/", wait_until="domcontentloaded")
    for key in ("ov_bridge", "ov_pipeline", "ov_map"):
        page.locator(f".st-key-{key} .atlas-live-chart.js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    assert _plotly_files(scripts) == ["plotly-atlas", "plotly-finance"], scripts
    assert page.locator(".st-key-ov_bridge .ytick text").count() > 0  # axis labels in Streamlit's grey
    fill = page.locator(".st-key-ov_bridge .ytick text").first.evaluate("e => getComputedStyle(e).fill")
    assert fill == "rgb(128, 132, 149)", fill

    scripts.clear()
    page.goto(app_server + "/training", wait_until="domcontentloaded")
    for key, drawn in (("tr_map", ".geo .point"), ("tr_sankey", ".sankey-node"), ("tr_gap", ".hm image")):
        page.locator(f".st-key-{key} .atlas-live-chart.js-plotly-plot {drawn}").first.wait_for(timeout=60_000)
    assert _plotly_files(scripts) == ["plotly-atlas"], scripts
    assert page.locator(".st-key-tr_sankey .atlas-live-chart").get_attribute("aria-label")

    scripts.clear()  # a slide's map: the same bundle, the chart filling the stage below the metrics
    page.goto(app_server + "/present?story=eu&slide=3", wait_until="domcontentloaded")
    page.locator(".st-key-pr_stage .atlas-live-chart .geo .choroplethlocation").first.wait_for(state="attached",
                                                                                             timeout=60_000)
    assert _plotly_files(scripts) == ["plotly-atlas"], scripts
    assert page.locator(".st-key-pr_stage .atlas-live-chart").evaluate("e => e.getBoundingClientRect().height") > 300

    page.goto(app_server + "/forecast", wait_until="domcontentloaded")
    wrap = page.locator(".st-key-fc_fan_jobs .atlas-live-chart-wrap")
    wrap.locator(".main-svg").first.wait_for(timeout=60_000)
    button = wrap.locator(".atlas-live-chart-full")
    wrap.hover()
    assert button.is_visible() and button.get_attribute("aria-label") == "Full screen"
    # the button follows in its `fullscreenchange` handler, which the browser runs a frame after the switch:
    # wait for the switch and then for the button (asserting at once raced the event on a busy CI machine)
    pressed = "(want) => document.querySelector('.st-key-fc_fan_jobs .atlas-live-chart-full').getAttribute('aria-pressed') === want"
    button.click()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.matches('.atlas-live-chart-wrap')")
    page.wait_for_function(pressed, arg="true", timeout=5_000)
    assert button.get_attribute("aria-label") == "Close full screen"
    assert wrap.locator(".atlas-live-chart").evaluate("e => e.style.height") == "100vh"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("!document.fullscreenElement")
    page.wait_for_function(pressed, arg="false", timeout=5_000)
    assert button.get_attribute("aria-label") == "Full screen"
    assert wrap.locator(".atlas-live-chart").evaluate("e => e.style.height") != "100vh"


def test_a_returning_visitor_takes_plotly_js_and_the_shapes_from_its_cache(app_server, _browser):
    """app/static/'s plotly.js bundles and NUTS shapes are named by their content and served `immutable`
    (ui/server.py, CachedAppStatic): a second visit in the same browser asks the server for none of them.
    (A context of its own: `browser_page` intercepts requests, which turns Chromium's HTTP cache off; every
    request is checked to stay on loopback instead.)"""
    import os
    import time
    from urllib.parse import urlparse

    now = time.time()  # as just deployed: without a Cache-Control, Chromium would keep the files for 10 % of their
    for path in (ROOT / "static").glob("*"):  # age (so an old checkout passed this test without CachedAppStatic)
        os.utime(path, (now, now))
    context = _browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        asked, outside, policy = [], [], {}
        page.on("request", lambda r: (asked.append(r.url), outside.append(r.url) if urlparse(r.url).scheme in (
            "http", "https", "ws", "wss") and urlparse(r.url).hostname not in ("127.0.0.1", "localhost") else None))
        page.on("response", lambda r: policy.__setitem__(r.url, r.headers.get("cache-control")))
        charts = ".st-key-ov_bridge, .st-key-ov_pipeline, .st-key-ov_map"
        drawn = f"document.querySelectorAll('{charts}').length === 3 && [...document.querySelectorAll('{charts}')]" \
                ".every((el) => el.querySelector('.atlas-live-chart .main-svg'))"
        page.goto(app_server + "/", wait_until="domcontentloaded")
        page.wait_for_function(drawn, timeout=60_000)
        first = sorted({u for u in asked if "/app/static/" in u})
        assert {n for n in _plotly_files(first)} == {"plotly-atlas", "plotly-finance"}, first
        assert any("/app/static/nuts-" in u for u in first), first
        assert {policy.get(u) for u in first} == {"public, max-age=31536000, immutable"}, policy
        page.goto(app_server + "/", wait_until="domcontentloaded")
        page.wait_for_function(drawn, timeout=60_000)
        entries = page.evaluate("""performance.getEntriesByType('resource').filter((e) => e.name.includes('/app/static/'))
            .map((e) => [e.name, e.transferSize])""")
        assert sorted({n for n, _ in entries}) == first  # the same files drawn ...
        assert all(size == 0 for _, size in entries), entries  # ... from the cache, not even revalidated
        assert not outside, outside
    finally:
        context.close()


def test_charts_are_drawn_one_per_frame_the_one_on_screen_first(app_server, browser_page):
    """A page's charts are drawn one at a time with a frame between two (the browser paints the first chart before
    the next one is drawn; /training drew its four in one task of ≈ 0.32 s), the first on screen first, and every
    chart is drawn without the visitor scrolling to it."""
    page = browser_page
    page.add_init_script("""
      window.__frame = 0; (function tick() { window.__frame++; requestAnimationFrame(tick); })();
      window.__drawnAt = {};
      new MutationObserver(() => {
        for (const svg of document.querySelectorAll('.atlas-live-chart .main-svg')) {
          const box = svg.closest('[class*="st-key-"]');
          const key = box && [...box.classList].find((c) => c.startsWith('st-key-'));
          if (key && !(key in window.__drawnAt)) window.__drawnAt[key] = window.__frame;
        }
      }).observe(document, {subtree: true, childList: true});""")
    page.goto(app_server + "/training", wait_until="domcontentloaded")
    page.wait_for_function("Object.keys(window.__drawnAt).length >= 4", timeout=60_000)
    drawn = page.evaluate("window.__drawnAt")
    assert set(drawn) == {"st-key-tr_map", "st-key-tr_sankey", "st-key-tr_ws_map", "st-key-tr_gap"}, drawn
    assert len(set(drawn.values())) == 4, drawn  # each in a frame of its own
    assert min(drawn, key=drawn.get) == "st-key-tr_map", drawn  # the first one (at the top) first
    assert page.evaluate("window.scrollY") == 0 and page.evaluate(
        "document.querySelector('.st-key-tr_gap').getBoundingClientRect().top") > 1000  # drawn while off screen


def test_a_sessions_first_tables_come_after_its_first_chart(app_server, browser_page):
    """On a chart page a new session's tables wait until its first chart is painted (Streamlit's data grid is
    ≈ 1.2 MB of JavaScript that held the chart back), in boxes of their height meanwhile, then every table comes;
    the next page the session opens sends its tables at once (the browser has the grid)."""
    page = browser_page
    grids = []
    page.on("request", lambda r: grids.append(r.url) if "/DataFrame." in r.url else None)
    page.add_init_script("""
      window.__atChart = null; window.__waits = 0;
      new MutationObserver(() => {
        const waits = document.querySelectorAll('BOX').length;
        window.__waits = Math.max(window.__waits, waits);
        if (window.__atChart === null && document.querySelector('.atlas-live-chart .main-svg'))
          window.__atChart = [document.querySelectorAll('[data-testid="stDataFrame"]').length, waits];
      }).observe(document, {subtree: true, childList: true});""".replace("BOX", BOX_SELECTOR))
    page.goto(app_server + "/forecast", wait_until="domcontentloaded")
    page.wait_for_function("window.__atChart !== null", timeout=60_000)
    tables, waiting = page.evaluate("window.__atChart")
    assert tables == 0 and waiting >= 5, (tables, waiting)
    page.wait_for_function("document.querySelectorAll('[data-testid=\"stDataFrame\"]').length >= 5", timeout=60_000)
    page.wait_for_function(f"!document.querySelector('{BOX_SELECTOR}')", timeout=30_000)
    assert grids  # the grid's code came after the chart
    page.evaluate("window.__waits = 0")
    page.locator("[data-testid='stSidebarNav'] a[href$='/training']").first.click()
    page.wait_for_function("location.pathname.endsWith('/training')", timeout=30_000)
    page.locator(".st-key-tr_map .main-svg").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stDataFrame']").first.wait_for(state="attached", timeout=60_000)
    assert page.evaluate("window.__waits") == 0  # no table waited on the session's second page
