"""axe-core (from the npm registry, injected from tests/js/node_modules; no CDN) on every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_e2e_journeys import PAGES, wait_ready

pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(app_server, browser_page, path):
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm ci` in tests/js (scripts/test.sh does)")
    page = browser_page
    page.goto(f"{app_server}/{path}", wait_until="domcontentloaded")
    wait_ready(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
               "targets": [n["target"] for n in v["nodes"][:3]]} for v in bad]
    assert not bad, json.dumps(report, indent=1)[:3000]
