// Legend swatches of choropleth traces (issue 19's map legend; used on screen and in exports): the live charts
// (workforce/ui/live_chart.py puts this before live_chart.js) and kaleido's page (workforce/export.py appends it
// to the plotly.js kaleido draws with) run the same function.
// Plotly draws a choropleth's legend swatch with its colour scale only, so a class drawn white ("0"), a washed-out
// overlay ("Greyed …") or a transparent trace that only outlines its regions ("Outliers …") had no visible swatch.
// Each swatch gets its trace's outline (the marker line its regions are drawn with, 1–3 px) and opacity. A class
// whose regions are styled one by one (some washed out: the "Greyed" entry says so) keeps its colour, outlined
// thin as its plain regions are (or in a neutral grey when all of them are washed out).
function outlineSwatches(el) {
  for (const item of el.querySelectorAll('.legend .traces')) {
    const d = item.__data__;
    const trace = d && d[0] && d[0].trace;
    const swatch = item.querySelector('path.legend3dandfriends');
    if (!trace || !swatch || !/^choropleth/.test(trace.type)) continue;
    const marker = trace.marker || {};
    const line = marker.line || {};
    let width = line.width;
    let colour = line.color;
    if (Array.isArray(marker.opacity) || Array.isArray(width) || Array.isArray(colour)) {
      const plain = [].concat(marker.opacity).findIndex((o) => o === 1 || o === undefined);
      colour = plain >= 0 ? [].concat(colour)[plain] || [].concat(colour)[0] : 'rgba(0, 0, 0, 0.35)';
      width = 1;
    } else if (Number.isFinite(marker.opacity)) {
      swatch.style.fillOpacity = String(marker.opacity);
    }
    swatch.style.stroke = colour || '#444';
    swatch.style.strokeWidth = Math.min(Math.max(Number.isFinite(width) ? width : 1, 1), 3) + 'px';
  }
}
