#!/usr/bin/env bash
# Refresh workforce/ui/vendor/plotly-{map,finance}.min.js: plotly.js's published "map" and "finance" partial
# bundles, of the plotly.js version the installed Python plotly package carries (its figures are written for it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python}"
VERSION="$(cd "$ROOT" && "$PYTHON" -c "from workforce.ui.live_chart import plotly_js_version, _plotly_js; print(plotly_js_version(_plotly_js()))")"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "plotly.js@$VERSION" >/dev/null && tar -xzf plotly.js-"$VERSION".tgz package/dist)
for BUNDLE in map finance; do
  cp "$WORK/package/dist/plotly-$BUNDLE.min.js" "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js"
  echo "plotly.js $VERSION $BUNDLE bundle: $(sha256sum "$ROOT/workforce/ui/vendor/plotly-$BUNDLE.min.js" | cut -d' ' -f1)"
done
echo "update the version and sha256 in workforce/ui/vendor/README.md"
