// Build a partial plotly.js bundle for workforce/ui/vendor/: `node build.js <name> <out file>`.
//   atlas    every trace type the atlas draws (atlas.js)
//   finance  plotly.js's own "finance" partial bundle's entry (lib/index-finance.js: bar, waterfall, pie, …)
// plotly.js's own esbuild settings (its esbuild-config.js: iife with the global `Plotly`, the same aliases and
// defines; its glsl and environment plugins change nothing for these traces), a licence header like its
// published bundles' and the bundled packages' licence comments. Unlike plotly.js's published dist files, the
// bundle is not wrapped in a UMD factory; Chromium evaluates it ≈ 30 % faster (docs/PERFORMANCE.md, "Sixth
// cut"). Run by scripts/vendor_plotly.sh after `npm ci` here.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const ENTRIES = {
    atlas: path.join(__dirname, 'atlas.js'),
    finance: path.join(__dirname, 'node_modules/plotly.js/lib/index-finance.js'),
};
const [name, out] = process.argv.slice(2);
if (!ENTRIES[name] || !out) {
    console.error(`usage: node build.js <${Object.keys(ENTRIES).join('|')}> <out file>`);
    process.exit(2);
}
const version = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/plotly.js/package.json'), 'utf8')).version;
esbuild.build({
    entryPoints: [ENTRIES[name]],
    outfile: out,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    plugins: [InlineCSSPlugin()],
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'warning',
    banner: {
        js: `/**\n* plotly.js (${name} - minified) v${version}\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n`
            + '* Licensed under the MIT license\n'
            + '* Built from plotly.js\'s sources by scripts/plotly_bundles (Battery Workforce Atlas)\n*/',
    },
}).catch(() => process.exit(1));
