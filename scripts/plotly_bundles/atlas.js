// The "atlas" plotly.js bundle: every trace type the atlas draws and no other (workforce/ui/live_chart.py PARTIAL;
// workforce/ui/vendor/README.md). plotly.js's own sources of the version in package.json, registered as its
// lib/index-*.js partial bundles register theirs.
'use strict';

var Plotly = require('plotly.js/lib/core');  // holds scatter

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/waterfall'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/scattermap'),
    require('plotly.js/lib/choroplethmap'),
    require('plotly.js/lib/densitymap'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/calendars'),
]);

module.exports = Plotly;
