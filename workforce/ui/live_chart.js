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

// Charts are drawn one at a time, the first one on screen first, and the browser paints between two charts: a
// page's first chart is not held back by the charts below it (/training drew its four charts in one task of
// ≈ 0.32 s before anything was painted). A draw that has started is not waited for (a map finishes on its own).
window.__atlasDraws = window.__atlasDraws || { queue: [], busy: false };
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
  // The figure arrives with Streamlit's chart theme already applied (chart_theme.py): drawn as st.plotly_chart.
  const fig = JSON.parse(data.spec);
  const layout = fig.layout || {};
  layout.autosize = true;
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
      if (el.__atlasFailed) { el.textContent = ''; el.__atlasFailed = false; }  // the message of a failed figure
      return Plotly.react(el, fig.data || [], layout, data.config || {});
    }).then(() => {
      if (el.__atlasBound) return;
      el.__atlasBound = true;
      el.on('plotly_click', (ev) => {
        const p = ev && ev.points && ev.points.find((q) => q.location !== undefined && q.location !== null);
        if (p) el.__atlasClick(String(p.location));
      });
      const ro = new ResizeObserver(() => { if (el.isConnected && el._fullLayout) Plotly.Plots.resize(el); });
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
    // Called before a new render and on unmount: only an element that has left the page is released.
    setTimeout(() => {
      if (!el.isConnected && el.__atlasPlotly) release(el);
    }, 0);
  };
}
