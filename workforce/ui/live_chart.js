// A Plotly chart that stays mounted (issue 19): a Streamlit v2 component whose instance is keyed, so a new
// figure updates the same graph in place (Plotly.react) instead of a new graph and a new MapLibre map.
// Plotly is a plotly.js served by the app (`app/static/`, never a CDN): the installed Python package's full bundle,
// or one of our partial bundles ("finance", "atlas") that holds every trace of the figure (live_chart.py
// chooses `src`).
// Each bundle defines the global `Plotly`; bundles load one after another and each is kept under its own URL, so
// a graph is always updated by the bundle that drew it.
window.__atlasPlotlyBundles = window.__atlasPlotlyBundles || {};
function loadPlotly(src) {
  const url = new URL(src, document.baseURI).href;
  const bundles = window.__atlasPlotlyBundles;
  if (!bundles[url]) {
    const previous = window.__atlasPlotlyLoading || Promise.resolve();
    bundles[url] = previous.catch(() => {}).then(() => new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = url;
      s.onload = () => resolve(window.Plotly);  // before any other bundle runs (loads are chained)
      s.onerror = () => { delete bundles[url]; reject(new Error('plotly.js did not load')); };
      document.head.appendChild(s);
    }));
    window.__atlasPlotlyLoading = bundles[url];
  }
  return bundles[url];
}

// A map's NUTS shapes come as the URL of a file of the app (live_chart.py shapes_by_url): fetched once per page,
// in parallel with plotly.js, and shared by every trace and figure that names it (a trace draws only the shapes of
// its locations). A failed fetch is tried once more after a second (a proxy restarting), then forgotten, so the
// next figure tries again; meanwhile the chart says it could not be drawn.
window.__atlasShapes = window.__atlasShapes || {};
function loadShapes(src) {
  const url = new URL(src, document.baseURI).href;
  const shapes = window.__atlasShapes;
  const get = () => fetch(url, { credentials: 'same-origin' })
    .then((r) => { if (!r.ok) throw new Error('map shapes did not load'); return r.json(); });
  if (!shapes[url]) {
    shapes[url] = get()
      .catch(() => new Promise((resolve) => { setTimeout(resolve, 1000); }).then(get))
      .catch((err) => { delete shapes[url]; throw err; });
  }
  return shapes[url];
}

// A map drawn by Plotly's SVG map (issue 19; live_chart.py `svg_map`): the figure is built for MapLibre
// (`choroplethmap`/`scattermap` traces, a `map` centre and zoom); without a GPU MapLibre's WebGL frames are drawn
// in software and cost 2–4.5× what the same view costs as SVG (docs/PERFORMANCE.md). So the traces become
// `choropleth`/`scattergeo` on a Mercator `geo` window of the same scale as MapLibre's zoom, filling the plot
// area (its width and height in pixels: a `geo` window is a box fitted into the plot area, so it is computed
// for the area's size and computed again when the chart is resized). d3-geo wants each outer ring clockwise
// (GeoJSON's own order is the other way): the shapes are rewound once per file. Plotly's SVG map asks for a world
// topojson (coastlines, land) even when it draws none: it gets an empty one in a data: URL, never a CDN.
const EMPTY_TOPOLOGY = 'data:application/json,' + encodeURIComponent(JSON.stringify({
  type: 'Topology', arcs: [], objects: Object.fromEntries(
    ['coastlines', 'land', 'ocean', 'lakes', 'rivers', 'countries', 'subunits']
      .map((name) => [name, { type: 'GeometryCollection', geometries: [] }])),
})) + '#';  // Plotly appends "/<name>.json": after the '#', a fragment the data: URL ignores
const SVG_TYPES = { choroplethmap: 'choropleth', scattermap: 'scattergeo' };
const rewound = new WeakMap();
function rewind(fc) {
  if (!fc || typeof fc !== 'object') return fc;
  if (rewound.has(fc)) return rewound.get(fc);
  const out = JSON.parse(JSON.stringify(fc));  // a file's shapes may also be drawn by MapLibre on the same page
  for (const f of out.features || []) {
    const g = (f && f.geometry) || {};
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const p of polys) (p || []).forEach((ring, i) => {
      let area = 0;  // the shoelace sum on the lon/lat plane: > 0 clockwise
      for (let k = 0; k < ring.length - 1; k++) area += (ring[k + 1][0] - ring[k][0]) * (ring[k + 1][1] + ring[k][1]);
      if ((i === 0) !== (area > 0)) ring.reverse();
    });
  }
  rewound.set(fc, out);
  return out;
}
// MapLibre's centre and zoom (512-px world at zoom 0) as Plotly `geo` settings that draw the same Mercator view in
// a w × h px plot area: Plotly fits the box of `lonaxis`/`lataxis` into the area, its top and bottom edges drawn
// as great-circle arcs (four per edge) that bow towards the pole, so an edge on the pole's side is given at the
// latitude whose arcs reach the wanted one; the centre is set (Plotly's default is the middle in degrees).
// `view.fit` ([west, south, east, north], charts.map_layout's `atlas_fit`) is the box the view is made to show:
// an area too small for it at the view's zoom (a slide on a 720-px projector, a phone) zooms out until the box fits,
// centred on it; a larger area keeps the zoom (the map is never blown up).
const RAD = Math.PI / 180;
const FIT_PAD = 0.96;  // a box fitted into an area fills 96 % of it
const mercY = (lat) => Math.log(Math.tan(Math.PI / 4 + lat * RAD / 2));  // Mercator y (radians) of a latitude
const viewScale = (view) => 512 * Math.pow(2, Number.isFinite(view.zoom) ? view.zoom : 2.6) / (2 * Math.PI);
// The view's box ([west, south, east, north], latitudes within ±85°), or null when it has none that can be fitted
function fitBox(view) {
  const fit = view && view.fit;
  if (!Array.isArray(fit) || fit.length !== 4 || !fit.every(Number.isFinite) || fit[2] <= fit[0] || fit[3] <= fit[1]) {
    return null;
  }
  return fit.map((v, i) => (i % 2 ? Math.max(Math.min(v, 85), -85) : v));
}
function mapWindow(view, w, h) {
  const centre = view.center || {};
  let lon0 = Number.isFinite(centre.lon) ? centre.lon : 14;
  let lat0 = Number.isFinite(centre.lat) ? Math.max(Math.min(centre.lat, 80), -80) : 52;
  let k = viewScale(view);  // px per radian
  const lat = (v) => (2 * Math.atan(Math.exp(v)) - Math.PI / 2) / RAD;
  const fit = fitBox(view);
  if (fit) {
    const [west, south, east, north] = fit;
    const kFit = FIT_PAD * Math.min(w / ((east - west) * RAD), h / (mercY(north) - mercY(south)));
    if (kFit < k) {
      k = kFit;
      lon0 = (west + east) / 2;
      lat0 = lat((mercY(north) + mercY(south)) / 2);
    }
  }
  const lonSpan = Math.min(w / k / RAD, 359);
  const top = lat(mercY(lat0) + h / 2 / k);
  const bottom = lat(mercY(lat0) - h / 2 / k);
  const bow = Math.cos(lonSpan / 8 * RAD);  // an arc over a quarter of the span: half of it either side of its top
  const edge = (phi, poleward) => (poleward ? Math.atan(Math.tan(phi * RAD) * bow) / RAD : phi);
  return { center: { lon: lon0, lat: lat0 },
           lonaxis: { range: [lon0 - lonSpan / 2, lon0 + lonSpan / 2] },
           lataxis: { range: [edge(bottom, bottom < 0), edge(top, top > 0)] } };
}
function plotArea(el, layout) {
  const m = layout.margin || {};
  const pick = (v, d) => (Number.isFinite(v) ? v : d);
  const width = el.clientWidth || layout.width || 700;
  const height = el.clientHeight || layout.height || 450;
  return { w: Math.max(width - pick(m.l, 80) - pick(m.r, 80), 10),
           h: Math.max(height - pick(m.t, 100) - pick(m.b, 80), 10) };
}
function toSvgMap(el, fig, layout, config) {
  for (const trace of fig.data || []) {
    if (!trace || !SVG_TYPES[trace.type]) continue;
    trace.type = SVG_TYPES[trace.type];
    delete trace.below;
    delete trace.subplot;
    if (trace.geojson) trace.geojson = rewind(trace.geojson);
    // MapLibre's circles have no outline; Plotly's SVG markers of varying sizes get a white one unless told
    if (trace.type === 'scattergeo' && trace.marker) trace.marker.line = { width: 0, ...(trace.marker.line || {}) };
  }
  const fit = (layout.meta && layout.meta.atlas_fit) || null;
  const view = { ...(layout.map || {}), fit };
  delete layout.map;
  // as the figure places its legend, attribution and height: a wide map keeps them
  el.__atlasBase = { legend: layout.legend || {}, annotations: layout.annotations || [],
                     margin: layout.margin || {}, height: layout.height };
  const area = plotArea(el, layout);  // the map's area as the figure has it
  el.__atlasMapMax = area.h;
  if (narrowMap(el, layout) && !el.__atlasStretch) {
    Object.assign(layout, legendBelow(el, el.__atlasGrow || 0));  // the last figure's growth: often the same
    el.__atlasHeight = layout.height + 'px';
    if (!document.fullscreenElement) el.style.height = el.__atlasHeight;
  } else {
    el.__atlasGrow = 0;
  }
  layout.geo = { projection: { type: 'mercator' }, visible: false, bgcolor: 'rgba(0,0,0,0)',
                 ...mapWindow(view, area.w, area.h) };
  el.__atlasMapView = view;
  return { ...config, topojsonURL: EMPTY_TOPOLOGY };
}
// A map narrower than NARROW_MAP px (a 1 024-px laptop with the sidebar open: ≈ 560 px; a phone) has its legend
// under it, its entries in rows: over the map (its lines ≤ 34 characters, ≈ 230 px wide) it covered Finland, the
// Baltic states, eastern Poland and Romania. The boundaries' attribution moves from under the map to over it (the
// legend takes its strip), and the figure grows by what the legend's rows take from the height the map needs to
// show its box at this width (Europe's box is wider than tall: often nothing).
const NARROW_MAP = 700;
function narrowMap(el, layout) {
  const m = layout.margin || {};
  const width = el.clientWidth || layout.width || 700;
  return layout.showlegend !== false && width - (m.l || 0) - (m.r || 0) < NARROW_MAP;
}
function isBelow(legend) {
  return Boolean(legend && legend.orientation === 'h' && legend.yanchor === 'top' && legend.y === 0);
}
// The layout of a narrow map (its base: el.__atlasBase, as the figure came) grown by `grow` px
function legendBelow(el, grow) {
  const base = el.__atlasBase;
  const strip = Number.isFinite(base.margin.b) ? base.margin.b : 0;
  const annotations = base.annotations.map((a) => (a && a.name === 'attribution'
    ? { ...a, y: 1, yanchor: 'bottom', yshift: 1 } : a));
  const height = (Number.isFinite(base.height) ? base.height : 450) + grow;
  return { legend: { ...base.legend, orientation: 'h', x: 0, xanchor: 'left', y: 0, yanchor: 'top',
                     maxheight: undefined },
           annotations, margin: { ...base.margin, t: (base.margin.t || 0) + strip }, height };
}
// The plot-area height at which the map shows its box across the whole width (at most `most`, the figure's own)
function mapHeight(view, w, most) {
  const fit = fitBox(view);
  if (!fit) return most;
  const [west, south, east, north] = fit;
  const k = Math.min(viewScale(view), FIT_PAD * w / ((east - west) * RAD));  // mapWindow's scale at this width
  return Math.min(most, Math.ceil(k * (mercY(north) - mercY(south)) / FIT_PAD) + 2);
}
// After a draw (and a resize): the legend under a narrow map and back over a wide one, the figure's height fitted
function placeLegend(el, Plotly) {
  const full = el._fullLayout;
  if (!el.__atlasMapView || !full || !full._size || !el.__atlasBase || el.__atlasStretch) return undefined;
  if (document.fullscreenElement && document.fullscreenElement.contains(el)) return undefined;
  const narrow = narrowMap(el, el.__atlasBase);
  const below = isBelow(full.legend);
  let grow = el.__atlasGrow || 0;
  if (narrow && below) {
    const short = mapHeight(el.__atlasMapView, full._size.w, el.__atlasMapMax) - full._size.h;
    if (Math.abs(short) <= 4 || (short < 0 && grow === 0)) return undefined;
    grow = Math.max(grow + short, 0);
  } else if (!narrow && !below) {
    return undefined;
  } else {
    grow = 0;
  }
  el.__atlasGrow = grow;
  // the height by the element's (a height given to relayout would end autosize: no full screen, no resize)
  const { height, ...next } = narrow ? legendBelow(el, grow) : { ...el.__atlasBase };
  el.__atlasHeight = (Number.isFinite(height) ? height : 450) + 'px';
  el.style.height = el.__atlasHeight;
  return Plotly.relayout(el, next).then(() => Plotly.Plots.resize(el)).then(() => refitSvgMap(el, Plotly));
}
// A title wider than its chart (Plotly never wraps one; charts.chart_title breaks it for a half-page column, but
// at 1 024 px with the sidebar open such a column is ≈ 270 px): broken again at spaces into lines that fit, as
// measured in the drawn title, the top margin and the chart grown by a line per added line; the figure's own title
// again once it fits (a wider window). The last fit is kept, so the next figure with the same title is drawn
// fitted at once.
const TITLE_LINE_PX = 22;  // charts.chart_title's line height
function titleParts(text) {
  const bold = /^<b>([\s\S]*)<\/b>$/.exec(text);
  return { bold: Boolean(bold), lines: (bold ? bold[1] : text).split(/<br\s*\/?>/i) };
}
function plainLength(s) {
  return s.replace(/<[^>]*>/g, '').replace(/&#?\w+;/g, '_').length;
}
function baseTitle(el, layout) {
  const title = layout.title;
  const text = title && typeof title.text === 'string' ? title.text : '';
  const m = layout.margin || {};
  el.__atlasTitle = text ? { text, marginT: Number.isFinite(m.t) ? m.t : null, height: layout.height } : null;
  const fit = el.__atlasTitleFit;
  if (!text || !fit || fit.from !== text || fit.width !== el.clientWidth || el.__atlasStretch) return;
  layout.title = { ...title, text: fit.text };  // as the last figure with this title was fitted at this width
  layout.margin = { ...m, t: fit.marginT };
  if (Number.isFinite(layout.height) && fit.grow) {
    layout.height += fit.grow;
    el.__atlasHeight = layout.height + 'px';
    if (!document.fullscreenElement) el.style.height = el.__atlasHeight;
  }
}
function fitTitle(el, Plotly) {
  const full = el._fullLayout, base = el.__atlasTitle;
  const node = el.querySelector('.gtitle');
  if (!full || !base || !node || !full.title) return undefined;
  if (base.marginT === null) base.marginT = full.margin.t;
  const box = el.getBoundingClientRect(), r = node.getBoundingClientRect();
  const now = full.title.text;
  if (r.right <= box.right - 2 && r.left >= box.left && now === base.text) return undefined;
  const shown = titleParts(now), own = titleParts(base.text);
  const perChar = r.width / Math.max(...shown.lines.map(plainLength), 1);
  const limit = Math.max(Math.floor((box.right - r.left - 8) / perChar), 8);
  let text = base.text;
  if (Math.max(...own.lines.map(plainLength)) > limit) {
    const out = [];
    let line = '';
    for (const word of own.lines.join(' ').split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (line && plainLength(next) > limit) { out.push(line); line = word; } else { line = next; }
    }
    if (line) out.push(line);
    text = own.bold ? `<b>${out.join('<br>')}</b>` : out.join('<br>');
  }
  if (text === now) return undefined;
  const added = titleParts(text).lines.length - own.lines.length;
  const marginT = base.marginT + added * TITLE_LINE_PX;
  const grow = el.__atlasStretch ? 0 : added * TITLE_LINE_PX;
  el.__atlasTitleFit = { from: base.text, text, marginT, grow, width: el.clientWidth };
  if (!el.__atlasStretch && Number.isFinite(base.height) && !document.fullscreenElement) {
    el.__atlasHeight = (base.height + grow) + 'px';
    el.style.height = el.__atlasHeight;
  }
  return Plotly.relayout(el, { 'title.text': text, 'margin.t': marginT }).then(() => Plotly.Plots.resize(el));
}
// The geo window again for the plot area Plotly drew (its size known only once drawn, and after a resize)
function refitSvgMap(el, Plotly) {
  const full = el._fullLayout;
  if (!el.__atlasMapView || !full || !full.geo || !full._size) return undefined;
  const win = mapWindow(el.__atlasMapView, full._size.w, full._size.h);
  const now = [...full.geo.lonaxis.range, ...full.geo.lataxis.range, full.geo.center.lon, full.geo.center.lat];
  const want = [...win.lonaxis.range, ...win.lataxis.range, win.center.lon, win.center.lat];
  if (now.every((v, i) => Math.abs(v - want[i]) < 1e-6)) return undefined;
  return Plotly.relayout(el, { 'geo.lonaxis.range': win.lonaxis.range, 'geo.lataxis.range': win.lataxis.range,
                               'geo.center.lon': win.center.lon, 'geo.center.lat': win.center.lat });
}

// A new figure for the same map (another year or metric: new colours, the same shapes) makes Plotly's SVG map
// project every shape again and rebuild its path, though neither the shapes nor the view changed (≈ 40 % of
// Plotly's map update in a profile of a /regions year change; the whole redraw ≈ 8 % faster: docs/PERFORMANCE.md).
// A shape's path is kept with the view it was drawn for (the projection's scale, translate, rotation, centre, clip
// and precision), by the shape's geometry object: the shapes of a file are one object per page (loadShapes,
// rewind), a figure's own shapes new objects each time (never a stale hit). Only Mercator maps (the live maps'
// projection: toSvgMap); zooming and panning change the view, so they draw afresh.
const pathMemo = new WeakMap();
function memoPaths(el) {
  const geo = el._fullLayout && el._fullLayout.geo && el._fullLayout.geo._subplot;
  const proto = geo && Object.getPrototypeOf(geo);
  if (!proto || typeof proto._render !== 'function' || proto.__atlasMemo) return;
  proto.__atlasMemo = true;
  const render = proto._render;
  proto._render = function atlasRender(...args) {
    const projection = this.projection;
    const full = this.graphDiv && this.graphDiv._fullLayout;
    const kind = full && full[this.id] && full[this.id].projection && full[this.id].projection.type;
    if (kind === 'mercator' && projection && typeof projection.getPath === 'function' && !projection.__atlasMemo) {
      projection.__atlasMemo = true;
      const getPath = projection.getPath;
      projection.getPath = function memoGetPath(...pathArgs) {
        const path = getPath.apply(this, pathArgs);
        const view = JSON.stringify([projection.scale(), projection.translate(), projection.rotate(),
          projection.center(), projection.clipExtent(), projection.precision()]);
        const memo = (shape, ...rest) => {
          const geometry = shape && shape.type === 'Feature' ? shape.geometry : null;
          if (!geometry || typeof geometry !== 'object' || rest.length) return path(shape, ...rest);
          const hit = pathMemo.get(geometry);
          if (hit && hit.view === view) return hit.d;
          const d = path(shape);
          pathMemo.set(geometry, { view, d });
          return d;
        };
        return Object.assign(memo, path);
      };
    }
    return render.apply(this, args);
  };
}

// A slide's chart (a stretching chart: the presenter's stage) has its text sized for a 1 080-px-high screen
// (slides.PRESENT_FONT); on another screen every font of the figure follows the window's height, as the slide's own
// text does (PRESENT_CSS, vh): ×0.75 at 720 px (12 px, where 16 px dropped every other step name of the bridge),
// up to ×1.25. Each font's own size is kept (`_atlasBase`, a key plotly.js leaves alone) and scaled afresh.
const FONT_DESIGN_HEIGHT = 1080;
function fontScale() {
  return Math.min(1.25, Math.max(0.75, window.innerHeight / FONT_DESIGN_HEIGHT));
}
function eachFont(node, fn, depth) {
  if (!node || typeof node !== 'object' || depth > 6) return;
  if (Array.isArray(node)) {
    if (node.length && typeof node[0] === 'object') node.forEach((item) => eachFont(item, fn, depth + 1));
    return;
  }
  for (const key of Object.keys(node)) {
    if (key === 'geojson' || key.startsWith('_')) continue;
    const value = node[key];
    if (!value || typeof value !== 'object') continue;
    if (/font$/i.test(key) && !Array.isArray(value)) fn(value);
    eachFont(value, fn, depth + 1);
  }
}
function scaleFonts(data, layout, k) {
  const scale = (font) => {
    if (font._atlasBase === undefined) font._atlasBase = font.size;
    if (typeof font._atlasBase === 'number') font.size = Math.round(font._atlasBase * k * 10) / 10;
  };
  eachFont(data, scale, 0);
  eachFont(layout, scale, 0);
  return k;
}

// Charts are drawn one at a time, the first one on screen first, and the browser paints between two charts: a
// page's first chart is not held back by the charts below it (/training drew its four charts in one task of
// ≈ 0.32 s before anything was painted). A draw that has started is not waited for (a map finishes on its own).
window.__atlasDraws = window.__atlasDraws || { queue: [], busy: false };
// outlineSwatches(el): workforce/legend_swatches.js (the same in exports), placed before this file by live_chart.py
function onScreen(el) {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.bottom > 0 && r.top < window.innerHeight;
}
function nextDraw() {
  const draws = window.__atlasDraws;
  if (!draws.queue.length) { draws.busy = false; return; }
  draws.busy = true;
  // the first on screen in the page's order, else the first in the page's order (while a page is still arriving,
  // a chart further down can be on screen for a moment)
  const shown = draws.queue.filter((job) => onScreen(job.el));
  const job = (shown.length ? shown : draws.queue).reduce((a, b) => (
    a.el.compareDocumentPosition(b.el) & Node.DOCUMENT_POSITION_PRECEDING ? b : a));
  draws.queue.splice(draws.queue.indexOf(job), 1);
  try { Promise.resolve(job.draw()).then(job.resolve, job.reject); } catch (err) { job.reject(err); }
  // the next chart after this one has been painted (the task after the next frame), or after 100 ms in a tab
  // that does not paint (in the background)
  let started = false;
  const next = () => { if (!started) { started = true; setTimeout(nextDraw, 0); } };
  requestAnimationFrame(next);
  setTimeout(next, 100);
}
function drawInTurn(el, draw) {
  return new Promise((resolve, reject) => {
    const draws = window.__atlasDraws;
    draws.queue.push({ el, draw, resolve, reject });
    if (!draws.busy) {  // the charts whose plotly.js has just loaded all join the queue before one is chosen
      draws.busy = true;
      setTimeout(nextDraw, 0);
    }
  });
}

// A graph given up: its resize observer stopped, Plotly's state and listeners gone (the next figure binds anew).
function release(el) {
  if (el.__atlasResize) el.__atlasResize.disconnect();
  el.__atlasPlotly.purge(el);
  el.__atlasBound = false;
}

// A full-screen button as st.plotly_chart has (shown on hover and keyboard focus): the chart fills the screen.
function fullScreenButton(wrap, el, data) {
  const button = wrap && wrap.querySelector('.atlas-live-chart-full');
  if (!button) return;
  if (!data.fullscreen || !document.fullscreenEnabled) { button.hidden = true; return; }
  button.__atlasLabels = data.fullscreen;  // [open, close], in the page's language
  const show = () => {
    const full = document.fullscreenElement === wrap;
    button.setAttribute('aria-label', button.__atlasLabels[full ? 1 : 0]);
    button.title = button.getAttribute('aria-label');
    button.setAttribute('aria-pressed', String(full));
  };
  button.hidden = false;
  show();
  if (button.__atlasBound) return;
  button.__atlasBound = true;
  button.addEventListener('click', () => {
    if (document.fullscreenElement === wrap) document.exitFullscreen();
    else wrap.requestFullscreen().catch(() => {});
  });
  wrap.addEventListener('fullscreenchange', () => {
    // the chart's ResizeObserver redraws it at the new size
    el.style.height = document.fullscreenElement === wrap ? '100vh' : el.__atlasHeight;
    show();
  });
}

export default function ({ data, parentElement, setTriggerValue }) {
  if (data && data.preload) {  // mounted at the top of the page: plotly.js loads while the rest arrives
    for (const src of data.srcs || []) loadPlotly(src).catch(() => {});
    if (!data.hold_tables) return;
    // The page's tables wait for its first chart (tables_later.py): once one has been painted (the frame after it
    // is drawn; or 5 s without one) and a table is waiting in its box, ask for them.
    const started = performance.now();
    let timer = 0;
    let frame = 0;
    const check = () => {
      const chart = document.querySelector('.atlas-live-chart .main-svg') || performance.now() - started > 5000;
      if (chart && document.querySelector(data.box_selector)) {
        frame = requestAnimationFrame(() => { timer = setTimeout(() => setTriggerValue('tables', true), 0); });
      } else {
        timer = setTimeout(check, chart ? 200 : 50);  // a page's tables may come after its chart, or later
      }
    };
    check();
    return () => { clearTimeout(timer); cancelAnimationFrame(frame); };
  }
  const el = parentElement.querySelector('.atlas-live-chart');
  const wrap = parentElement.querySelector('.atlas-live-chart-wrap');
  if (!el || !data) return;
  el.style.width = '100%';
  // a chart that needs some width to be read (the Sankey's three columns of labels) scrolls sideways in a column
  // narrower than that, instead of being squeezed (live_chart's min_width)
  el.style.minWidth = data.min_width ? data.min_width + 'px' : '';
  wrap.style.overflowX = data.min_width ? 'auto' : '';
  // The figure arrives with Streamlit's chart theme already applied (chart_theme.py): drawn as st.plotly_chart.
  const fig = JSON.parse(data.spec);
  const layout = fig.layout || {};
  layout.autosize = true;
  el.__atlasStretch = Boolean(data.stretch);
  if (data.stretch) {  // fill the container's height (st.plotly_chart's height="stretch"): the figure has none
    el.__atlasHeight = '100%';
    const box = wrap.closest('[data-testid="stElementContainer"]');
    for (let e = wrap; e && e !== box; e = e.parentElement) e.style.height = '100%';
  } else {
    el.__atlasHeight = (layout.height >= 10 ? layout.height : 450) + 'px';  // st.plotly_chart's default height
  }
  if (document.fullscreenElement !== wrap) el.style.height = el.__atlasHeight;
  el.setAttribute('aria-label', data.label || '');
  fullScreenButton(wrap, el, data);
  // the shapes the figure names by URL, asked for now (while plotly.js loads), put back in before it is drawn
  const shapes = (fig.data || []).filter((trace) => trace && typeof trace.geojson === 'string')
    .map((trace) => loadShapes(trace.geojson).then((geojson) => { trace.geojson = geojson; }));
  shapes.forEach((p) => p.catch(() => {}));  // reported below, when the figure is drawn
  // Figures are drawn in the order they arrive; a newer figure waits for the one being drawn.
  el.__atlasQueue = (el.__atlasQueue || Promise.resolve())
    .then(() => Promise.all([loadPlotly(data.src), ...shapes]).then(([Plotly]) => Plotly))
    .then((Plotly) => {
      if (el.__atlasPlotly && el.__atlasPlotly !== Plotly) release(el);  // another bundle drew it: start again
      el.__atlasPlotly = Plotly;
      return Plotly;
    })
    .then((Plotly) => drawInTurn(el, () => {
      if (!el.isConnected) return undefined;  // left the page while it waited its turn: nothing to draw
      if (el.__atlasFailed) { el.textContent = ''; el.__atlasFailed = false; }  // the message of a failed figure
      let config = data.config || {};
      baseTitle(el, layout);
      if (data.svg_map) config = toSvgMap(el, fig, layout, config);
      else el.__atlasMapView = null;
      el.__atlasFontK = el.__atlasStretch ? scaleFonts(fig.data || [], layout, fontScale()) : null;
      const drawn = Plotly.react(el, fig.data || [], layout, config);
      if (data.svg_map) memoPaths(el);  // the map's subplot is made as the draw begins, its shapes drawn later
      el.__atlasInFlight = drawn.then(() => placeLegend(el, Plotly))
        .then(() => fitTitle(el, Plotly)).then(() => refitSvgMap(el, Plotly));
      return el.__atlasInFlight;
    }).then(() => {
      if (el.__atlasBound || !el._fullLayout) return;
      el.__atlasBound = true;
      outlineSwatches(el);  // the first draw; every later one (a new figure, a restyle, a click on the legend):
      el.on('plotly_afterplot', () => outlineSwatches(el));
      el.on('plotly_click', (ev) => {
        const p = ev && ev.points && ev.points.find((q) => q.location !== undefined && q.location !== null);
        if (p) el.__atlasClick(String(p.location));
      });
      const ro = new ResizeObserver(() => {
        if (el.isConnected && el._fullLayout) {
          const k = el.__atlasFontK ? fontScale() : null;
          let redraw = Promise.resolve();
          if (k && Math.abs(k - el.__atlasFontK) > 0.02) {  // a slide on a screen of another height
            el.__atlasFontK = scaleFonts(el.data, el.layout, k);
            redraw = Plotly.redraw(el);  // from the figure as changed in place (react would see no change)
          }
          redraw.then(() => Plotly.Plots.resize(el)).then(() => placeLegend(el, Plotly)).then(() => fitTitle(el, Plotly))
            .then(() => refitSvgMap(el, Plotly)).catch(() => {});
        }
      });
      ro.observe(el);
      el.__atlasResize = ro;
    }))
    .catch((err) => {  // the graph (if any) released and a message in its place; the next figure starts afresh
      if (el.__atlasPlotly && el._fullLayout) release(el);
      el.textContent = data.error_text || String(err);
      el.__atlasFailed = true;
    });
  el.__atlasClick = (location) => setTriggerValue('click', location);
  return () => {
    // Called before a new render and on unmount: only an element that has left the page is released, once the
    // draw in flight has finished (a map's first draw waits for its topojson: purged under it, Plotly went on to
    // read the context it had just deleted — "reading '_scrollZoom'" when slides were skipped quickly).
    setTimeout(() => {
      if (el.isConnected || !el.__atlasPlotly) return;
      Promise.resolve(el.__atlasInFlight).catch(() => {}).then(() => {
        if (!el.isConnected && el.__atlasPlotly) release(el);
      });
    }, 0);
  };
}
