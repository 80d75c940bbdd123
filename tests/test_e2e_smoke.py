"""Real-browser smoke test: start `streamlit run app.py`, load / in Debian chromium, offline."""

from __future__ import annotations

import pytest

from tests.test_e2e_routing import assert_status_shapes_rendered

pytestmark = pytest.mark.e2e


def test_overview_loads_in_chromium(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_text("Where will Europe").first.wait_for(timeout=60_000)
    page.get_by_text("4,000,000").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.get_by_text("Where the sites are").first.wait_for(timeout=60_000)
    assert_status_shapes_rendered(page)  # the plants map: status by shape too, drawn offline
    # the favicon: 🔋 drawn locally as Streamlit draws an emoji favicon (given as a data URL: workforce/ui/router.py)
    icon = page.evaluate("() => document.querySelector(\"link[rel='shortcut icon']\").href")
    assert icon.startswith("data:image/svg+xml,") and "\U0001F50B" in __import__("urllib.parse").parse.unquote(icon)
