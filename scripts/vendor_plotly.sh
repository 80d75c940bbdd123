#!/usr/bin/env bash
# Refresh workforce/ui/vendor/plotly-{map,finance,atlas}.min.js for the plotly.js version the installed Python
# plotly package carries (its figures are written for it): "map" and "finance" are plotly.js's published partial
# bundles; "atlas" (every trace type the atlas draws) is built from plotly.js's sources by scripts/plotly_atlas
# (pinned in its package-lock.json). npm registry only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python}"
VERSION="$(cd "$ROOT" && "$PYTHON" -c "from workforce.ui.live_chart import plotly_js_version, _plotly_js; print(plotly_js_version(_plotly_js()))")"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK" "$ROOT/scripts/plotly_atlas/node_modules"' EXIT
(cd "$WORK" && npm pack --silent "plotly.js@$VERSION" >/dev/null && tar -xzf plotly.js-"$VERSION".tgz package/dist)
for BUNDLE in map finance; do
  cp "$WORK/package/dist/plotly-$BUNDLE.min.js" "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js"
done
cd "$ROOT/scripts/plotly_atlas"
if grep -q "\"plotly.js\": \"$VERSION\"" package.json; then
  npm ci --no-audit --no-fund --silent
else  # a plotly upgrade: pin the new plotly.js (package.json and package-lock.json change; commit them)
  npm install --no-audit --no-fund --silent --save-exact "plotly.js@$VERSION"
fi
node build.js "$ROOT/workforce/ui/vendor/plotly-atlas.min.js"
for BUNDLE in map finance atlas; do
  echo "plotly.js $VERSION $BUNDLE bundle: $(sha256sum "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js" | cut -d' ' -f1)"
done
echo "update the version and sha256 in workforce/ui/vendor/README.md"
