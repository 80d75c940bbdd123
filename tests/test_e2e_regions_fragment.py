"""/regions in Chromium (issue 19): the metric and the layers rerun only the map fragment (no sidebar delta on
the wire), the URL keeps the metric (permalink), and a click on a map region still selects it for the whole
page (a full rerun: region panel, sidebar, `region=` in the URL)."""

from __future__ import annotations

import html
import re

import pytest

from tests.map_dom import PROJECT_JS, READY_JS, REGIONS_DRAWN_JS
from tests.test_e2e_journeys import wait_ready
from workforce.i18n import t

pytestmark = pytest.mark.e2e
SHAPES_FILE = re.compile(r".*/app/static/nuts-l2-[0-9a-f]{16}\.json$")  # the level-2 shapes file (live_chart.shape_name)

SIDEBAR = 1  # RootContainer.SIDEBAR: the first element of a delta's path


def _delta_roots(frames: list[bytes]) -> list[int]:
    """Root container (0 main, 1 sidebar, …) of every element delta among Streamlit's ForwardMsgs."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    roots = []
    for payload in frames:
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not a ForwardMsg
            continue
        if msg.WhichOneof("type") == "delta" and msg.metadata.delta_path:
            roots.append(msg.metadata.delta_path[0])
    return roots


def test_metric_and_layers_rerun_only_the_map_and_a_click_selects_the_region(app_server, browser_page):
    page = browser_page
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda p: frames.append(p) if isinstance(p, bytes) else None))
    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".js-plotly-plot").first.wait_for()
    assert SIDEBAR in _delta_roots(frames)  # a full run draws the sidebar

    frames.clear()
    box = page.locator('[data-testid="stSelectbox"]', has_text="Metric").first
    box.click()
    page.get_by_role("option", name=re.compile("Training need, cumulative")).first.click()
    page.wait_for_url(re.compile(r"metric=need"), timeout=30_000)
    wait_ready(page)
    roots = _delta_roots(frames)
    assert roots and SIDEBAR not in roots, roots  # the fragment only: nothing redrawn in the sidebar
    assert "country=HU" in page.url

    frames.clear()
    page.get_by_role("button", name="Training providers").first.click()  # a layer on
    wait_ready(page)
    roots = _delta_roots(frames)
    assert roots and SIDEBAR not in roots, roots
    assert "metric=need" in page.url

    # with "Link to this view" open, a metric change reruns the whole app so the link in the sidebar follows
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary').filter(
        has_text="Link to this view").first.click()
    wait_ready(page)
    code = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').first
    code.wait_for()
    assert "metric=need" in code.inner_text()
    box.click()
    page.get_by_role("option", name="Forecast battery jobs", exact=True).first.click()
    page.wait_for_url(re.compile(r"metric=jobs(&|$)"), timeout=30_000)
    wait_ready(page)
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stSidebar\"] [data-testid=\"stCode\"]')]"
                           ".some(c => /metric=jobs(&|$|\\s)/.test(c.innerText))", timeout=30_000)

    plot = page.locator(".js-plotly-plot").first
    bounds = plot.bounding_box()
    frames.clear()
    for fx, fy in ((0.55, 0.45), (0.45, 0.55), (0.6, 0.6), (0.4, 0.4), (0.5, 0.35)):  # some point inside a region
        page.mouse.click(bounds["x"] + bounds["width"] * fx, bounds["y"] + bounds["height"] * fy)
        try:
            page.wait_for_url(re.compile(r"region=[A-Z]{2}\w+"), timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - hit a plant or the sea: try another point
            continue
    else:
        pytest.fail("no click on the map selected a region")
    wait_ready(page)
    region = re.search(r"region=([A-Z]{2}\w+)", page.url).group(1)
    page.locator('[data-testid="stMain"] h4').filter(has_text=f"({region})").first.wait_for(timeout=30_000)
    assert SIDEBAR in _delta_roots(frames)  # the whole app reran
    assert re.search(r"metric=jobs(&|$)", page.url)


def test_hovering_a_plant_shows_its_card_through_the_invisible_hover_trace(app_server, browser_page):
    """The shapes traces have no hover; the invisible hover trace on top carries every plant's card."""
    page = browser_page
    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    point = page.wait_for_function(f"""() => {{
      const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => (g.data || []).some(t => t.meta && t.meta.plants));
      if (!({READY_JS})(gd)) return null;
      const t = gd._fullData.find(t => t.meta && t.meta.plants === 'hover');
      const box = gd.querySelector('.main-svg').getBoundingClientRect();
      const px = t.lat.map((la, i) => ({PROJECT_JS})(gd, t.lon[i], la));
      const alone = px.findIndex((p, i) => p.x > box.left + 40 && p.y > box.top + 40 && p.x < box.right - 40
        && p.y < box.bottom - 40
        && px.every((q, j) => j === i || Math.hypot(p.x - q.x, p.y - q.y) > t.marker.size[i] + t.marker.size[j]));
      if (alone < 0) return null;  // a plant with no neighbour within reach, inside the map
      return {{x: px[alone].x, y: px[alone].y, text: t.text[alone]}};
    }}""", timeout=60_000, polling=500).json_value()
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=4)
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(timeout=15_000)
    name = html.unescape(re.sub(r"<[^>]+>", "", point["text"].split("<br>")[0]))
    shown = label.text_content()
    assert name and name in shown, (name, shown)


MAP_STATE = """() => { const gd = [...document.querySelectorAll('.atlas-live-chart.js-plotly-plot')][0];
  return gd ? {mark: gd.__testMark || null, traces: gd.data.length,
               names: gd.data.map(t => t.name || '').join('|'), canvases: gd.querySelectorAll('canvas').length} : null; }"""


def test_the_map_stays_mounted_and_is_updated_in_place(app_server, browser_page):
    """A metric, year or country change redraws the same Plotly graph and map (`ui.live_chart`), not a
    new one: what made every interaction on /regions cost ≈ 1.5 s (issue 19). plotly.js is the app's own copy: the
    "atlas" partial bundle (evaluated in under a third of the full bundle's time), and no other plotly.js on the page."""
    page = browser_page
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(app_server + "/regions", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".atlas-live-chart.js-plotly-plot .geo .choroplethlocation").first.wait_for(state="attached")  # Plotly's SVG map
    assert any(u.startswith(app_server + "/app/static/plotly-atlas-") for u in scripts), scripts[-5:]
    assert all(u.startswith(app_server) for u in scripts)  # never a CDN
    before = page.evaluate(MAP_STATE)
    assert before and before["traces"] > 1
    assert before["canvases"] == 0  # drawn by Plotly's SVG map, not MapLibre's WebGL (live_chart(svg_map=True))
    page.evaluate("() => { document.querySelector('.atlas-live-chart.js-plotly-plot').__testMark = 'kept'; }")

    box = page.locator('[data-testid="stSelectbox"]', has_text="Metric").first
    box.click()
    page.get_by_role("option", name=re.compile("Training need, cumulative")).first.click()
    page.wait_for_url(re.compile(r"metric=need"), timeout=30_000)
    wait_ready(page)
    page.wait_for_function(f"() => {{ const s = ({MAP_STATE})(); return s && s.names !== {before['names']!r}; }}",
                           timeout=30_000)
    after = page.evaluate(MAP_STATE)
    assert after["mark"] == "kept", after  # the same element: updated in place
    assert len(page.locator(".atlas-live-chart.js-plotly-plot").all()) == 1

    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first.focus()
    page.keyboard.press("ArrowRight")  # year 2031: a full app rerun
    page.wait_for_url(re.compile(r"year=2031"), timeout=30_000)
    wait_ready(page)
    assert page.evaluate(MAP_STATE)["mark"] == "kept"
    plotly_js = [u for u in scripts if "/app/static/plotly" in u]
    assert len(plotly_js) == 1 and "/plotly-atlas-" in plotly_js[0], plotly_js  # loaded once, the atlas bundle only


FILLS = f"""() => {{ const gd = [...document.querySelectorAll('.atlas-live-chart.js-plotly-plot')][0];
  if (!({READY_JS})(gd)) return null;
  return {{fills: ({REGIONS_DRAWN_JS})(gd),
          urls: gd.data.filter(t => typeof t.geojson === 'string').length,
          shapes: gd._fullData.filter(t => ['choropleth', 'choroplethmap'].includes(t.type) && t.geojson
                                      && t.geojson.features).length}}; }}"""


def test_the_map_shapes_are_fetched_once_and_a_year_change_sends_only_colours(app_server, browser_page):
    """The region shapes come as a file of the app (`live_chart.shapes_by_url`): asked for once, beside plotly.js,
    drawn as before; a year change then sends a figure without them (the whole level-2 map's shapes were
    ≈ 0.26 MB per change)."""
    page = browser_page
    shapes: list[str] = []
    frames: list[int] = []
    page.on("request", lambda r: shapes.append(r.url) if "/app/static/nuts-l" in r.url else None)
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda p: frames.append(len(p)) if isinstance(p, bytes) else None))
    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    state = page.wait_for_function(f"() => {{ const s = ({FILLS})(); return s && s.fills > 0 ? s : null; }}",
                                   timeout=60_000).json_value()
    assert state["urls"] == 0 and state["shapes"] >= 2, state  # shapes put back before Plotly drew them
    assert len(shapes) == 1 and SHAPES_FILE.match(shapes[0]), shapes
    assert max(frames) > 20_000  # the first run: the page's elements and figures

    frames.clear()
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"year=\d{4}"), timeout=30_000)
    wait_ready(page)
    page.wait_for_function(f"() => {{ const s = ({FILLS})(); return s && s.fills > 0; }}", timeout=60_000)
    assert len(shapes) == 1, shapes  # not asked for again
    assert frames and max(frames) < 120_000, sorted(frames)[-3:]  # 46 KB here; before, the figure alone ≈ 0.27 MB


@pytest.mark.console_errors(r"status of 503 \(Service Unavailable\)")
def test_a_map_whose_shapes_cannot_be_fetched_says_so_and_the_next_figure_tries_again(app_server, browser_page):
    """The shapes file is asked for twice (a second apart) before the chart gives up with its error text — no
    blank map, no exception; once the file can be had again, the next figure draws the map."""
    page = browser_page
    asked: list[str] = []

    def refuse(route):
        asked.append(route.request.url)
        route.fulfill(status=503, body="busy")

    page.route(SHAPES_FILE, refuse)
    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    message = page.wait_for_function(
        "() => { const el = document.querySelector('.atlas-live-chart[aria-label]');"  # the map, not its preloader
        " return el && !el.querySelector('canvas, svg') && el.textContent.trim() || null; }", timeout=30_000).json_value()
    assert message == t("regions.map_failed", "en"), message
    assert len(asked) == 2, asked
    page.unroute(SHAPES_FILE)
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first.focus()
    page.keyboard.press("ArrowRight")  # a new figure
    page.wait_for_url(re.compile(r"year=\d{4}"), timeout=30_000)
    wait_ready(page)
    page.wait_for_function(f"() => {{ const s = ({FILLS})(); return s && s.fills > 0; }}", timeout=60_000)
    assert t("regions.map_failed", "en") not in page.locator(".atlas-live-chart[aria-label]").first.inner_text()


WINDOW = """() => { const gd = document.querySelector('.atlas-live-chart.js-plotly-plot');
  const view = gd && gd.__atlasMapView, full = gd && gd._fullLayout, sub = full && full.geo && full.geo._subplot;
  if (!view || !sub || !sub.bounds || !view.fit) return null;
  const rad = Math.PI / 180, y = (lat) => Math.log(Math.tan(Math.PI / 4 + lat * rad / 2));
  const [west, south, east, north] = view.fit;
  const fit = 0.96 * Math.min(full._size.w / ((east - west) * rad), full._size.h / (y(north) - y(south)));
  const want = 512 * 2 ** view.zoom / (2 * Math.PI);
  const zoomedOut = fit < want;  // the area is too small for the box at the figure's zoom
  const centre = zoomedOut ? [(west + east) / 2, (2 * Math.atan(Math.exp((y(north) + y(south)) / 2)) - Math.PI / 2) / rad]
                           : [view.center.lon, view.center.lat];
  const [x, yy] = sub.projection(centre);
  const corners = [[west, south], [east, north]].map((c) => sub.projection(c));
  return {scale: sub.projection.scale(), want: Math.min(want, fit), zoomedOut, x, y: yy, corners,
          cx: full._size.l + full._size.w / 2, cy: full._size.t + full._size.h / 2, w: full._size.w, h: full._size.h,
          l: full._size.l, t: full._size.t,
          drawn_w: sub.bounds[1][0] - sub.bounds[0][0], drawn_h: sub.bounds[1][1] - sub.bounds[0][1]}; }"""


def test_the_svg_map_shows_the_figures_view_at_any_width(app_server, browser_page):
    """The /regions map (Plotly's SVG map, live_chart.js) shows the view the figure gives MapLibre — the same
    scale as its zoom (512-px world at zoom 0), its centre in the middle — and fills the plot area, at the page's
    width and in full screen; narrowed until the figure's box ("bounds", the country) no longer fits at that zoom,
    it zooms out to show the box whole, centred (a slide on a projector, a phone), never in."""
    page = browser_page
    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".atlas-live-chart.js-plotly-plot .geo .choroplethlocation").first.wait_for(state="attached")

    def window(width: int | None) -> dict:
        before = page.evaluate(WINDOW)
        if width:
            page.set_viewport_size({"width": width, "height": 900})
        return page.wait_for_function(  # refitted once the resize has been drawn
            f"() => {{ const s = ({WINDOW})(); return s && (s.w !== {before['w'] if width else -1}) "
            "&& Math.abs(s.drawn_w - s.w) < 1.5 && Math.abs(s.drawn_h - s.h) < 1.5 && s; }",
            timeout=15_000).json_value()

    sizes, zoomed_out = [], []
    for width in (None, 800):
        s = window(width)
        assert abs(s["scale"] / s["want"] - 1) < 0.002, s  # the figure's zoom, or the box's fit if that is smaller
        assert abs(s["x"] - s["cx"]) < 1.5 and abs(s["y"] - s["cy"]) < 1.5, s  # its centre in the middle
        (x0, y0), (x1, y1) = s["corners"]  # the box whole inside the plot area
        assert s["l"] - 1 <= x0 and x1 <= s["l"] + s["w"] + 1 and s["t"] - 1 <= y1 and y0 <= s["t"] + s["h"] + 1, s
        sizes.append(s["w"])
        zoomed_out.append(s["zoomedOut"])
    assert sizes[1] < sizes[0] and zoomed_out == [False, True], s  # 800 px: too narrow for Hungary at its zoom
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.locator(".st-key-rg_map").hover()
    page.locator(".st-key-rg_map .atlas-live-chart-full").click()
    full = page.wait_for_function(
        f"() => {{ const s = ({WINDOW})(); return document.fullscreenElement && s && s.h > 800 "
        "&& Math.abs(s.drawn_h - s.h) < 1.5 && Math.abs(s.drawn_w - s.w) < 1.5 && s; }", timeout=15_000).json_value()
    assert abs(full["scale"] / full["want"] - 1) < 0.002, full


LAYERS_DRAWN = """() => { const gd = [...document.querySelectorAll('.atlas-live-chart.js-plotly-plot')][0];
  if (!gd || !gd.data) return null;
  return {plants: gd.data.some(t => t.meta && t.meta.plants), providers: gd.data.some(t => t.name === 'Training providers')}; }"""


def _layers_drawn(page, plants: bool, providers: bool) -> None:
    page.wait_for_function(f"() => {{ const s = ({LAYERS_DRAWN})(); return s && s.plants === {str(plants).lower()}"
                           f" && s.providers === {str(providers).lower()}; }}", timeout=30_000)


def test_a_link_opens_the_map_with_its_layers_and_the_url_follows_the_pickers(app_server, browser_page):
    """#19: the layers are part of the link: opened with `layers=providers` the map shows the providers and no
    plants; turning layers on and off writes them to the URL (`layers=` for none), and the default layers (plants)
    leave the URL without them."""
    page = browser_page
    page.goto(app_server + "/regions?country=FI&layers=providers", wait_until="domcontentloaded")
    wait_ready(page)
    _layers_drawn(page, plants=False, providers=True)
    assert "layers=providers" in page.url and "country=FI" in page.url
    page.get_by_role("button", name="Plants (by status)").first.click()
    page.wait_for_url(re.compile(r"layers=plants%2Cproviders|layers=plants,providers"), timeout=30_000)
    _layers_drawn(page, plants=True, providers=True)
    page.get_by_role("button", name="Training providers").first.click()
    page.wait_for_function("() => !location.search.includes('layers')", timeout=30_000)  # plants alone: the default
    _layers_drawn(page, plants=True, providers=False)
    page.get_by_role("button", name="Plants (by status)").first.click()
    page.wait_for_url(re.compile(r"layers=(&|$)"), timeout=30_000)  # none
    _layers_drawn(page, plants=False, providers=False)
    page.reload(wait_until="domcontentloaded")  # the link as it is now: still no layers
    wait_ready(page)
    _layers_drawn(page, plants=False, providers=False)


GRAPH = "document.querySelector('.atlas-live-chart.js-plotly-plot')"
# Every region's drawn path (`d`) by NUTS code, with the map's projection scale: what the visitor sees of the shapes.
PATHS = """() => { const gd = document.querySelector('.atlas-live-chart.js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
  if (!sub) return null;
  const out = {};
  for (const p of gd.querySelectorAll('.geo path.choroplethlocation')) {
    const loc = p.__data__ && p.__data__.loc;
    if (loc) out[loc] = p.getAttribute('d');
  }
  return {paths: out, scale: sub.projection.scale(),
          year: new URL(location.href).searchParams.get('year')}; }"""


def test_a_redrawn_map_draws_the_paths_a_fresh_map_draws(app_server, browser_page):
    """A year change redraws the map from the paths kept for its view (live_chart.js `memoPaths`: the same shapes
    in the same view are not projected again): every region's path is what a fresh page at that year draws, and a
    zoom (another view) draws new paths, which zooming back makes the kept ones again."""
    page = browser_page
    page.goto(app_server + "/regions", wait_until="domcontentloaded")
    wait_ready(page)
    page.wait_for_function(f"() => {{ const s = ({PATHS})(); return s && Object.keys(s.paths).length > 100; }}",
                           timeout=60_000)
    first = page.evaluate(PATHS)
    page.evaluate(f"() => {{ window.__firstTrace = ({GRAPH}).data[0]; }}")
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"year=\d{4}"), timeout=30_000)
    wait_ready(page)
    year = re.search(r"year=(\d{4})", page.url).group(1)
    page.wait_for_function(f"() => ({GRAPH}).data[0] !== window.__firstTrace", timeout=30_000)  # the new figure
    page.evaluate(f"() => ({GRAPH}).__atlasInFlight")  # … drawn
    redrawn = page.evaluate(PATHS)
    assert redrawn["scale"] == first["scale"]
    assert redrawn["paths"] == first["paths"]  # the same shapes in the same view

    zoom = page.evaluate("""() => { const gd = document.querySelector('.atlas-live-chart.js-plotly-plot');
      const scale = gd._fullLayout.geo.projection.scale;
      return gd.__atlasPlotly.relayout(gd, {'geo.projection.scale': scale * 1.5}).then(() => scale); }""")
    zoomed = page.evaluate(PATHS)
    assert zoomed["scale"] != redrawn["scale"]
    changed = [code for code, d in zoomed["paths"].items() if d != redrawn["paths"].get(code)]
    assert len(changed) > 0.9 * len(zoomed["paths"]), len(changed)  # projected again for the new view
    page.evaluate("""(scale) => { const gd = document.querySelector('.atlas-live-chart.js-plotly-plot');
      return gd.__atlasPlotly.relayout(gd, {'geo.projection.scale': scale}); }""", zoom)
    assert page.evaluate(PATHS)["paths"] == redrawn["paths"]

    fresh_page = page.context.new_page()
    try:
        fresh_page.goto(app_server + f"/regions?year={year}", wait_until="domcontentloaded")
        wait_ready(fresh_page)
        fresh_page.wait_for_function(
            f"() => {{ const s = ({PATHS})(); return s && Object.keys(s.paths).length > 100; }}", timeout=60_000)
        fresh = fresh_page.evaluate(PATHS)
    finally:
        fresh_page.close()
    assert fresh["year"] == year and fresh["scale"] == redrawn["scale"]
    assert fresh["paths"] == redrawn["paths"]  # a fresh draw of that year: the same paths, not stale ones
