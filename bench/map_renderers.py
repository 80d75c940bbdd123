"""`python -m bench map-renderers`: the /regions map drawn by MapLibre (as the app drew it until the eleventh cut, and
as exports still do) and by Plotly's SVG map (`choropleth`/`scattergeo` on a Mercator `geo`), in headless Chromium
(issue 19). The app's live charts draw maps with the SVG map since 2026-12-06 (workforce/ui/live_chart.js
`toSvgMap`, which also fits the window exactly); this bench keeps its own simpler conversion to compare the two.

Why: on this machine most of a /regions change is the browser drawing the map — MapLibre renders into WebGL, and
without a GPU Chromium rasterises in software and reads every frame back (docs/PERFORMANCE.md, "Where a year
change's time goes"). This bench measured what the other renderer would cost with the app's own figure, before
the maps were switched to it.

The figures are the live chart's data for the default /regions view (Europe, NUTS-2, the default metric) in two
years (`--years`), taken from the app through AppTest — what the browser receives, shapes by URL included. The
harness page (served from a temporary folder on loopback, with the installed package's full plotly.js, which has
both renderers) puts the shapes back and, for the SVG run only, converts the traces (`choroplethmap` →
`choropleth`, `scattermap` → `scattergeo`), turns MapLibre's centre and zoom into the same Mercator window, and
rewinds the shapes' rings (d3-geo wants outer rings clockwise; MapLibre does not care). Plotly's SVG map also asks
for a world topojson (coastlines it would draw under the shapes): it gets an empty one, as an offline app would.
The conversion is the bench's, not the app's: it checks nothing the app draws.

Per run, a fresh context: `map_renderers.<maplibre|svg>.<throttle>.first_draw_ms` (Plotly.react of the first
year until the map is drawn: MapLibre's `idle`, or the frame after Plotly's promise for SVG) and
`…year_change_ms` (Plotly.react of the other year on the same graph until drawn; 6 changes per run, alternating
the two years), p50/p95. Renderers alternate run by run.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from bench.browser import CHROMIUM, LAUNCH_ARGS
from bench.common import emit, fresh_page, note, percentile, served

WIDTH, HEIGHT = 1100, 650  # about the /regions map's size at the bench's 1400 × 1000 viewport
CHANGES = 6
# An empty world: what Plotly's SVG map draws under the shapes, offline (no coastlines, no land).
EMPTY_TOPOJSON = {"type": "Topology", "arcs": [], "objects": {
    name: {"type": "GeometryCollection", "geometries": []}
    for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")}}
PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script src="plotly.js"></script>
<body style="margin:0"><div id="g" style="width:%(w)dpx;height:%(h)dpx"></div><script>
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const files = {};
// d3-geo (Plotly's SVG map) wants each outer ring clockwise and each hole anticlockwise (as seen on a plain
// lon/lat plane); GeoJSON (RFC 7946) and MapLibre the other way round or either way
function rewind(fc) {
  for (const f of fc.features) {
    const g = f.geometry || {};
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const p of polys) p.forEach((ring, i) => {
      let area = 0;
      for (let k = 0; k < ring.length - 1; k++) area += (ring[k + 1][0] - ring[k][0]) * (ring[k + 1][1] + ring[k][1]);
      if ((i === 0) !== (area > 0)) ring.reverse();
    });
  }
  return fc;
}
async function shapes(url, svg) {
  const name = url.split('/').pop();
  const key = name + svg;
  if (!files[key]) {
    const fc = await (await fetch('shapes/' + name)).json();
    files[key] = svg ? rewind(fc) : fc;
  }
  return files[key];
}
// MapLibre's centre and zoom as the Mercator window of the same size (512-px world tiles at zoom 0)
function window_(map) {
  const world = 512 * Math.pow(2, map.zoom);
  const lonSpan = %(w)d / world * 360;
  const y = (lat) => Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360));
  const lat = (v) => (2 * Math.atan(Math.exp(v)) - Math.PI / 2) * 180 / Math.PI;
  const yc = y(map.center.lat), half = %(h)d / 2 / world * 2 * Math.PI;
  return { lonaxis: { range: [map.center.lon - lonSpan / 2, map.center.lon + lonSpan / 2] },
           lataxis: { range: [lat(yc - half), lat(yc + half)] } };
}
async function prepare(spec, svg) {
  const data = [];
  for (const t0 of spec.data) {
    const t = JSON.parse(JSON.stringify(t0));
    if (typeof t.geojson === 'string') t.geojson = await shapes(t.geojson, svg);
    if (svg && t.type === 'choroplethmap') { t.type = 'choropleth'; delete t.below; delete t.subplot; }
    if (svg && t.type === 'scattermap') { t.type = 'scattergeo'; delete t.below; delete t.subplot; }
    data.push(t);
  }
  const layout = JSON.parse(JSON.stringify(spec.layout));
  layout.width = %(w)d; layout.height = %(h)d;
  if (svg) {
    layout.geo = { projection: { type: 'mercator' }, visible: false, bgcolor: 'rgba(0,0,0,0)', ...window_(layout.map || { center: { lon: 14, lat: 52 }, zoom: 2.6 }) };
    delete layout.map;
  }
  return { data, layout };
}
window.measure = async (svg) => {
  const [a, b] = await (await fetch('specs.json')).json();
  const A = await prepare(a, svg), B = await prepare(b, svg);
  const gd = document.getElementById('g');
  const config = { topojsonURL: 'topojson/', displaylogo: false };
  const map = () => gd._fullLayout.map._subplot.map;
  const idle = () => new Promise((r) => map().once('idle', r));
  let t = performance.now();
  await Plotly.react(gd, A.data, A.layout, config);
  if (svg || (map().loaded() && map().areTilesLoaded())) await frame(); else await idle();
  const first = performance.now() - t;
  const changes = [];
  for (let k = 1; k <= %(changes)d; k++) {
    await new Promise((r) => setTimeout(r, 300));
    const F = k %% 2 ? B : A;
    t = performance.now();
    const drawn = svg ? null : idle();
    await Plotly.react(gd, F.data, F.layout, config);
    await (drawn || frame());
    changes.push(performance.now() - t);
  }
  return { first, changes, traces: gd.data.length, types: [...new Set(gd.data.map((d) => d.type))] };
};
</script></body>"""


def add_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="fresh-context runs per renderer and throttle (default 3)")
    parser.add_argument("--throttle", type=float, nargs="*", default=[1.0], help="CPU throttle rates (default 1)")
    parser.add_argument("--years", type=int, nargs=2, default=[2030, 2031], help="the two years the map changes between")


def region_map_specs(years: list[int]) -> list[dict]:
    """The /regions map's live chart figure (JSON, as sent to the browser) for each year, through AppTest."""
    from streamlit.testing.v1 import AppTest

    from bench.common import live_chart_data
    from workforce import ROOT

    specs = []
    for year in years:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["year"] = str(year)
        at.run()
        at.switch_page("pages/regions.py").run()
        charts = [json.loads(d["spec"]) for d in live_chart_data(at) if "spec" in d]
        if not charts:
            raise SystemExit("map-renderers: /regions drew no live chart (live charts off?)")
        specs.append(charts[0])
    return specs


def run(args) -> int:
    import importlib

    from playwright.sync_api import sync_playwright

    from workforce import ROOT

    live_chart = importlib.import_module("workforce.ui.live_chart")  # the module (`ui.live_chart` is the function)
    specs = region_map_specs(args.years)
    urls = {tr["geojson"] for spec in specs for tr in spec["data"] if isinstance(tr.get("geojson"), str)}
    emit("map_renderers.figure_traces", len(specs[0]["data"]), "traces", None,
         types=sorted({tr["type"] for tr in specs[0]["data"]}), years=list(args.years))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "index.html").write_text(PAGE % {"w": WIDTH, "h": HEIGHT, "changes": CHANGES}, encoding="utf-8")
        (root / "specs.json").write_text(json.dumps(specs), encoding="utf-8")
        shutil.copyfile(live_chart._plotly_js(), root / "plotly.js")  # the full bundle: both renderers
        (root / "shapes").mkdir()
        for url in urls:  # app/static/<file>: written by the AppTest run above (live_chart.shapes_by_url)
            shutil.copyfile(ROOT / "static" / url.rsplit("/", 1)[-1], root / "shapes" / url.rsplit("/", 1)[-1])
        (root / "topojson").mkdir()
        (root / "topojson" / "world_110m.json").write_text(json.dumps(EMPTY_TOPOJSON), encoding="utf-8")
        with served(tmp) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            for rate in args.throttle:
                tag = f"cpu{rate:g}x"
                found: dict[str, dict[str, list[float]]] = {r: {"first": [], "changes": []} for r in ("maplibre", "svg")}
                for _ in range(args.runs):
                    for renderer in found:
                        try:
                            with fresh_page(browser, rate, viewport={"width": WIDTH + 100, "height": HEIGHT + 100}) as page:
                                page.goto(base + "index.html")
                                page.wait_for_function("typeof Plotly !== 'undefined' && window.measure")
                                result = page.evaluate(f"measure({'true' if renderer == 'svg' else 'false'})")
                            found[renderer]["first"].append(result["first"])
                            found[renderer]["changes"] += result["changes"]
                        except Exception as exc:  # noqa: BLE001 - a failed run is a note, not a crash
                            note(f"{renderer} {tag}: {type(exc).__name__}: {str(exc)[:160]}")
                for renderer, values in found.items():
                    for part, name in (("first", "first_draw_ms"), ("changes", "year_change_ms")):
                        if values[part]:
                            for q in (50, 95):
                                emit(f"map_renderers.{renderer}.{tag}.{name}.p{q}", percentile(values[part], q),
                                     "ms", len(values[part]))
            browser.close()
    return 0
