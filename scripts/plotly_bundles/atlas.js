// The "atlas" plotly.js bundle: every trace type the atlas draws on screen and no other (workforce/ui/live_chart.py
// PARTIAL; workforce/ui/vendor/README.md). Its maps are drawn with Plotly's SVG map (choropleth, scattergeo: live_chart.js
// toSvgMap), so MapLibre's map traces are not in it (they were until 2026-12-06: 3.48 MB, now 1.78 MB); a figure that
// must be drawn by MapLibre gets the full plotly.js. plotly.js's own sources of the version in package.json,
// registered as its lib/index-*.js partial bundles register theirs.
'use strict';

var Plotly = require('plotly.js/lib/core');  // holds scatter

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/waterfall'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/calendars'),
]);

module.exports = Plotly;
