"""Real-browser journeys (Debian chromium, every non-loopback request blocked and failing the test)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

PAGES = ["", "regions", "forecast", "training", "partnerships", "explorer", "sources"]


def wait_ready(page, timeout=90_000):
    """A page is ready when its title is shown, Streamlit no longer reports a running script and no table waits
    for the page's first chart (workforce/ui/tables_later.py: the page then runs once more to send its tables)."""
    from workforce.ui.tables_later import BOX_SELECTOR

    # once the first run is over its boxes are on the page until the run that sends the tables is over too
    ready = ("() => (!document.querySelector('[data-testid=\"stStatusWidget\"]')"
             " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running'))"
             " && !['running', 'rerunRequested'].includes(document.querySelector('[data-testid=\"stApp\"]')"
             f".dataset.testScriptState) && !document.querySelector('{BOX_SELECTOR}')")
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=timeout)
    page.wait_for_function(ready, timeout=timeout)
    page.wait_for_timeout(700)


def pick(page, label: str, option: str):
    """Choose an option of a Streamlit selectbox by its label, typing to filter."""
    box = page.get_by_label(label, exact=True).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    wait_ready(page)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_offline_without_console_errors(app_server, browser_page, path):
    page = browser_page
    page.goto(f"{app_server}/{path}", wait_until="domcontentloaded")
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.is_visible()


def test_policymaker_headline_map_hungary_debrecen(app_server, browser_page):
    page = browser_page
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_ready(page)
    page.get_by_text("4,000,000").first.wait_for()
    page.get_by_text("800,000").first.wait_for()
    assert page.get_by_role("link", name=re.compile("Automotive Skills Alliance|European Battery Alliance|ASA", re.I)).count() >= 1
    page.get_by_role("link", name="Regions").first.click()
    wait_ready(page)
    page.locator(".js-plotly-plot").first.wait_for()
    pick(page, "Country", "Hungary")
    page.wait_for_url(re.compile(r"country=HU"), timeout=30_000)
    pick(page, "Region", "Észak-Alföld")
    page.wait_for_url(re.compile(r"region=HU32"), timeout=30_000)
    main = page.locator('[data-testid="stMain"]')
    main.locator("li").filter(has_text="EcoPro").first.wait_for()
    main.locator("li").filter(has_text="CATL").first.wait_for()
    main.locator("li").filter(has_text=re.compile("Debrecen Vocational|DSZC")).first.wait_for()


def test_agency_permalink_restores_view(app_server, browser_page, _browser):
    page = browser_page
    page.goto(app_server + "/regions?country=FI&level=1", wait_until="domcontentloaded")
    wait_ready(page)
    slider = page.get_by_role("slider").first
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_ready(page)
    pick(page, "Scenario", "Delays")
    url = page.url
    assert "year=2031" in url and "scenario=delays" in url and "country=FI" in url and "level=1" in url
    other = _browser.new_context().new_page()
    try:
        other.goto(url, wait_until="domcontentloaded")
        wait_ready(other)
        assert "2031" in other.get_by_test_id("stSlider").first.inner_text()
        assert "scenario=delays" in other.url and "country=FI" in other.url
    finally:
        other.context.close()


def test_analyst_downloads_csv_and_png(app_server, browser_page, tmp_path):
    page = browser_page
    page.goto(app_server + "/training?country=FI", wait_until="domcontentloaded")
    wait_ready(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV", exact=True).first.click()
    path = tmp_path / "download.csv"
    info.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].count(",") >= 3 and len(text.splitlines()) > 2

    page.goto(app_server + "/regions?country=HU", wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".js-plotly-plot").first.wait_for()
    page.get_by_role("button", name="Download", exact=True).first.click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Chart PNG").first.click()
    png = tmp_path / "map.png"
    info.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
