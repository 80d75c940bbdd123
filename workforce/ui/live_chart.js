// A Plotly chart that stays mounted (issue 19): a Streamlit v2 component whose instance is keyed, so a new
// figure updates the same graph in place (Plotly.react) instead of a new graph and a new MapLibre map.
// Plotly itself is the plotly.js of the installed Python package, served by the app (`app/static/`, never a CDN).
function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__atlasPlotly) {
    window.__atlasPlotly = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = new URL(src, document.baseURI).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { window.__atlasPlotly = null; reject(new Error('plotly.js did not load')); };
      document.head.appendChild(s);
    });
  }
  return window.__atlasPlotly;
}

export default function ({ data, parentElement, setTriggerValue }) {
  if (data && data.preload) {  // mounted at the top of the page: plotly.js loads while the rest arrives
    loadPlotly(data.src).catch(() => {});
    return;
  }
  const el = parentElement.querySelector('.atlas-live-chart');
  if (!el || !data) return;
  el.style.width = '100%';
  const fig = JSON.parse(data.spec);
  const layout = fig.layout || {};
  // Streamlit's chart theme, as st.plotly_chart draws it: the app's font and text colour, transparent paper.
  layout.font = Object.assign({ family: '"Source Sans", sans-serif', color: data.text_color }, layout.font || {});
  layout.paper_bgcolor = layout.paper_bgcolor || 'rgba(0,0,0,0)';
  layout.autosize = true;
  el.style.height = (layout.height || 450) + 'px';
  el.setAttribute('aria-label', data.label || '');
  // Figures are drawn in the order they arrive; a newer figure waits for the one being drawn.
  el.__atlasQueue = (el.__atlasQueue || Promise.resolve())
    .then(() => loadPlotly(data.src))
    .then((Plotly) => Plotly.react(el, fig.data || [], layout, data.config || {}).then(() => {
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
    .catch((err) => {
      el.textContent = data.error_text || String(err);
    });
  el.__atlasClick = (location) => setTriggerValue('click', location);
  return () => {
    // Called before a new render and on unmount: only an element that has left the page is released.
    setTimeout(() => {
      if (!el.isConnected && window.Plotly) {
        if (el.__atlasResize) el.__atlasResize.disconnect();
        window.Plotly.purge(el);
      }
    }, 0);
  };
}
