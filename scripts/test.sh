#!/usr/bin/env bash
# Install everything the tests need and run them all (unit, SQL, AppTest, Playwright e2e).
# Usage: bash scripts/test.sh [pytest args…]
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r requirements-build.txt

# Real-browser tests use Debian's chromium (never `playwright install`).
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped outside CI" >&2
fi

# PostgreSQL for the store tests (tests/conftest.py starts and stops a throw-away cluster; Debian package).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
    || echo "warning: could not install postgresql; store tests fail under CI" >&2
fi

# Unicode TTF for PDF briefs (workforce.export.brief_pdf); without it they fall back to a core font.
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null) \
    || echo "warning: could not install fonts-dejavu-core; PDF briefs use a core font" >&2
fi

# axe-core for the accessibility tests comes from the npm registry (never a CDN).
if command -v npm >/dev/null 2>&1 && { [ ! -f tests/js/node_modules/axe-core/axe.min.js ] || [ ! -d tests/js/node_modules/oidc-provider ]; }; then
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error) || echo "warning: npm ci failed" >&2
fi

python -m ruff check .
# Layer contracts (pyproject.toml [tool.importlinter]; docs/ARCHITECTURE.md): a broken contract fails the run.
lint-imports
python -m pytest "$@"
