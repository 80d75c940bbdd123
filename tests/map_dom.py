"""What a map in the page actually drew, read in Chromium whichever renderer drew it (e2e tests): Plotly's SVG map
(`geo`: every live map, `live_chart(svg_map=True)`) or MapLibre (`map`: a map drawn by st.plotly_chart, where the
live chart falls back to it). JavaScript function expressions, to be called inside page code."""

from __future__ import annotations

# (gd) => true once the graph's map is drawn: SVG shapes or markers in its geo, or MapLibre loaded
READY_JS = """(gd) => {
  if (!gd || !gd._fullLayout) return false;
  if (gd._fullLayout.geo) return gd.querySelectorAll('.geo .choroplethlocation, .geo .point, .geo .js-line').length > 0;
  const map = gd._fullLayout.map && gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
  return !!(map && map.loaded());
}"""

# (gd, trace) => {has_layer, drawn, painted}: whether the trace (an entry of gd._fullData) has its own layer in the
# drawing, how many of its regions / lines / markers were drawn, and the fill colours its regions were painted with
TRACE_DRAWN_JS = """(gd, t) => {
  if (gd._fullLayout.geo) {
    const group = [...gd.querySelectorAll('.geo .trace')].find(g => g.__data__ && g.__data__[0]
      && g.__data__[0].trace && g.__data__[0].trace.uid === t.uid);
    if (!group) return {has_layer: false, drawn: 0, painted: []};
    const shapes = [...group.querySelectorAll('path.choroplethlocation')].filter(p => (p.getAttribute('d') || '').length > 1);
    const lines = [...group.querySelectorAll('path.js-line')].filter(p => (p.getAttribute('d') || '').length > 1);
    const points = group.querySelectorAll('path.point');
    return {has_layer: true, drawn: shapes.length + lines.length + points.length,
            painted: [...new Set(shapes.map(p => p.style.fill || p.getAttribute('fill')).filter(Boolean))]};
  }
  const map = gd._fullLayout.map._subplot.map;
  const kind = t.type === 'choroplethmap' ? 'fill' : t.mode === 'lines' ? 'line' : 'circle';
  const id = `plotly-trace-layer-${t.uid}-${kind}`;
  const drawn = map.getLayer(id) ? map.queryRenderedFeatures({layers: [id]}) : [];
  return {has_layer: !!map.getLayer(id), drawn: drawn.length,
          painted: [...new Set(drawn.map(f => (f.properties || {}).fc).filter(Boolean))]};
}"""

# (gd, lon, lat) => {x, y}: where a point of the map is in the page (client pixels)
PROJECT_JS = """(gd, lon, lat) => {
  if (gd._fullLayout.geo) {
    const box = gd.querySelector('.main-svg').getBoundingClientRect();
    const [x, y] = gd._fullLayout.geo._subplot.projection([lon, lat]);
    return {x: box.left + x, y: box.top + y};
  }
  const map = gd._fullLayout.map._subplot.map;
  const box = map.getCanvas().getBoundingClientRect();
  const p = map.project([lon, lat]);
  return {x: box.left + p.x, y: box.top + p.y};
}"""

# (gd) => the number of region shapes drawn
REGIONS_DRAWN_JS = """(gd) => gd._fullLayout.geo
  ? [...gd.querySelectorAll('.geo path.choroplethlocation')].filter(p => (p.getAttribute('d') || '').length > 1).length
  : gd._fullLayout.map._subplot.map.queryRenderedFeatures().filter(f => f.layer.type === 'fill').length"""
