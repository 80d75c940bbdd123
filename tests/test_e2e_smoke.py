"""Real-browser smoke test: start `streamlit run app.py`, load / in Debian chromium, offline."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_overview_loads_in_chromium(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_text("Where will Europe").first.wait_for(timeout=60_000)
    page.get_by_text("4,000,000").first.wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
