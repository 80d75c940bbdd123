"""Opened at a page's URL, the front end finds the server at once (ui.base_url_hint, workforce/ui/server.py): no
probe of `<page>/_stcore/health`, the websocket at the app's base, the page drawn — at the root and under
`server.baseUrlPath`. No timing assertions (the effect is measured by `python -m bench browser`,
docs/PERFORMANCE.md "Thirteenth cut")."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from tests.conftest import _AppServer
from tests.test_e2e_journeys import wait_ready

pytestmark = pytest.mark.e2e


def _stcore_requests(page) -> list[str]:
    """The paths of Streamlit's connection requests (`…/_stcore/…`) the page makes from now on."""
    requests = []
    page.on("request", lambda r: requests.append(urlparse(r.url).path) if "_stcore/" in r.url else None)
    return requests


def _open(page, url: str) -> tuple[list[str], list[str]]:
    """Open `url`; the paths of Streamlit's connection requests and the websockets' URLs."""
    requests, sockets = _stcore_requests(page), []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(url, wait_until="domcontentloaded")
    wait_ready(page)
    page.locator(".atlas-live-chart .main-svg").first.wait_for(timeout=60_000)
    return requests, sockets


def _check(page, origin: str, base: str) -> None:
    # the first run of a process turns the hint on (app.py); the root URL never needed it
    _open(page, f"{origin}{base}/")
    requests, sockets = _open(page, f"{origin}{base}/regions?year=2032")
    assert not [p for p in requests if re.fullmatch(rf"{base}/regions/_stcore/.*", p)], requests
    assert f"{base}/_stcore/health" in requests
    assert sockets and all(urlparse(u).path == f"{base}/_stcore/stream" for u in sockets), sockets
    assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == f"{origin}{base}/"
    assert "year=2032" in page.url  # the page and its parameters kept
    page.locator("[data-testid='stSidebarNav'] a[href$='/training']").first.click()  # navigation still works
    page.wait_for_url(re.compile(rf"{re.escape(origin + base)}/training"))
    wait_ready(page)
    # an unknown path is not a page: Streamlit finds the server as before and says the page is not found
    requests, unset = _open_unknown(page, f"{origin}{base}/no-such-page")
    assert f"{base}/no-such-page/_stcore/health" in requests and unset


def _open_unknown(page, url: str) -> tuple[list[str], bool]:
    """Open a URL that is no page: Streamlit's connection requests, and whether the hint stayed unset."""
    requests = _stcore_requests(page)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_function("() => !!document.querySelector('[data-testid=\"stSidebarNav\"]')", timeout=60_000)
    return requests, page.evaluate("() => window.__streamlit === undefined")


NOT_FOUND = "does not seem to exist"  # Streamlit's own message for /no-such-page, provoked by _check


@pytest.mark.console_errors(NOT_FOUND)
def test_a_page_url_connects_at_the_base(app_server, browser_page):
    _check(browser_page, app_server, "")


@pytest.fixture
def base_path_server():
    """A server under `server.baseUrlPath` (set up before the browser page, so stopped after it)."""
    with _AppServer("streamlit-e2e-base-path.log", extra_args=("--server.baseUrlPath", "atlas")) as origin:
        yield origin


# "404": /atlas/no-such-page/_stcore/health, the probe the hint leaves to Streamlit
@pytest.mark.console_errors(NOT_FOUND, "404")
def test_a_page_url_connects_at_the_base_under_a_base_url_path(base_path_server, browser_page):
    _check(browser_page, base_path_server, "/atlas")
