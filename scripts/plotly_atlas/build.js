// Build workforce/ui/vendor/plotly-atlas.min.js from entry.js with plotly.js's own esbuild settings
// (plotly.js esbuild-config.js: iife, global `Plotly`, the same aliases and defines; its glsl and environment
// plugins change nothing for these traces) and a licence header like its published bundles'.
// Run by scripts/vendor_plotly.sh after `npm ci` here.
'use strict';
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const out = process.argv[2];
const version = JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/plotly.js/package.json'), 'utf8')).version;
esbuild.build({
    entryPoints: [path.join(__dirname, 'entry.js')],
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
        js: `/**\n* plotly.js (atlas - minified) v${version}\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n`
            + '* Licensed under the MIT license\n* A custom bundle of plotly.js built by scripts/plotly_atlas (Battery Workforce Atlas)\n*/',
    },
}).catch(() => process.exit(1));
