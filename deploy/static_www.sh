#!/usr/bin/env bash
# deploy/static_www.sh OUT — the files nginx serves from disk in front of the replicas (issue 19), and the
# nginx locations for them on stdout (the template's STATIC placeholder):
#   OUT/static/      Streamlit's hashed front-end bundle (immutable names: cached for a year)
#   OUT/app/static/  app/static/ of the atlas: plotly-<version>.min.js and the partial bundles
#                    plotly-<finance|atlas>-<plotly.js version>-<digest>.min.js for the live charts (workforce/ui/live_chart.py)
#                    and nuts-l<level>-<digest>.json, nuts-l0-europe-<sha>.json: the NUTS shapes and Europe's
#                    borders the live maps fetch
# Copied where nginx's workers may read them (not under /root) and pre-compressed (gzip_static), so no replica's
# Python serves or compresses the 7-11 MB of a first visit. Used by deploy/run_replicas.sh and `python -m bench browser --nginx`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:?usage: deploy/static_www.sh OUT}"
PYTHON="${PYTHON:-python}"
rm -rf "$OUT" && mkdir -p "$OUT/static" "$OUT/app/static"
(cd "$ROOT" && "$PYTHON" -c "from workforce.ui.live_chart import prepare_static; assert prepare_static()" 2>/dev/null)
ST_STATIC="$("$PYTHON" -c 'import os, streamlit; print(os.path.join(os.path.dirname(streamlit.__file__), "static", "static"))')"
cp -r "$ST_STATIC/." "$OUT/static/"
cp "$ROOT"/static/plotly-*.min.js "$ROOT"/static/nuts-l*-*.json "$OUT/app/static/"
find "$OUT" -type f \( -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' \) -size +1k -exec gzip -k -5 {} +
chmod -R a+rX "$OUT"
for route in static app/static; do
    cat <<LOC
        location ^~ /$route/ {
            alias $OUT/$route/;
            gzip_static on;
            add_header Cache-Control "public, max-age=31536000, immutable";
            access_log off;
        }
LOC
done
