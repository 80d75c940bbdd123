"""A permalink opened as the very first request after a server start still goes through app.py."""

from __future__ import annotations

import re

import pytest

from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e


def test_deep_link_on_a_fresh_server_keeps_filters_and_navigation(fresh_app_server, browser_page):
    page = browser_page
    page.goto(fresh_app_server + "/regions?country=HU&region=HU32&year=2032", wait_until="domcontentloaded")
    wait_ready(page)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Europe overview").first.wait_for()
    assert nav.get_by_text("app", exact=True).count() == 0, "legacy pages/ navigation must not show"
    assert "2032" in page.get_by_test_id("stSlider").first.inner_text()
    page.wait_for_url(re.compile(r"country=HU"))
    page.locator('[data-testid="stMain"] li').filter(has_text="EcoPro").first.wait_for()


def test_regions_map_renders_with_every_outside_request_blocked(app_server, browser_page):
    """The offline proof: `browser_page` aborts and fails on any non-loopback request."""
    page = browser_page
    page.goto(app_server + "/regions?level=2", wait_until="domcontentloaded")
    wait_ready(page)
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    plot.locator("canvas").first.wait_for()  # the MapLibre canvas of the choropleth
    page.get_by_text("© EuroGeographics for the administrative boundaries").first.wait_for()
