#!/usr/bin/env bash
# Rebuild workforce/ui/vendor/plotly-{finance,atlas}.min.js for the plotly.js version the installed Python plotly
# package carries (its figures are written for it), from plotly.js's sources with the toolchain pinned in
# scripts/plotly_bundles/package-lock.json (npm registry only). "finance" is plotly.js's own finance partial
# bundle's entry, "atlas" every trace type the atlas draws (scripts/plotly_bundles/atlas.js).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python}"
VERSION="$(cd "$ROOT" && "$PYTHON" -c "from workforce.ui.live_chart import plotly_js_version, _plotly_js; print(plotly_js_version(_plotly_js()))")"
trap 'rm -rf "$ROOT/scripts/plotly_bundles/node_modules"' EXIT
cd "$ROOT/scripts/plotly_bundles"
if grep -q "\"plotly.js\": \"$VERSION\"" package.json; then
  npm ci --no-audit --no-fund --silent
else  # a plotly upgrade: pin the new plotly.js (package.json and package-lock.json change; commit them)
  npm install --no-audit --no-fund --silent --save-exact "plotly.js@$VERSION"
fi
for BUNDLE in finance atlas; do
  node build.js "$BUNDLE" "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js"
  echo "plotly.js $VERSION $BUNDLE bundle: $(sha256sum "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js" | cut -d' ' -f1)"
done
echo "update the version and sha256 in workforce/ui/vendor/README.md"
