"""URL text in a real browser (issue 22): escaped parameters never become links, images or math in Chromium,
bare URLs included (no autolinks)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.e2e

PAYLOAD = ("[Session expired](https://evil.example/login) ![t](http://evil.example/p.png) $x^2$ :red[evil] "
           "https://evil.example/a www.evil.example")


@pytest.mark.parametrize("path", ["/", "/regions", "/forecast"])
def test_url_parameters_render_as_text(app_server, browser_page, path):
    page = browser_page
    query = "&".join(f"{k}={quote(PAYLOAD)}" for k in ("country", "year", "metric", "by", "scenario"))
    page.goto(f"{app_server}{path}?{query}", wait_until="domcontentloaded")
    page.get_by_text("Session expired").first.wait_for(timeout=60_000)  # the warning echoing the value
    page.wait_for_timeout(500)
    # our own navigation links keep the (encoded) query string; a planted link points AT the evil host
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => new URL(e.href, location.href).hostname)")
    assert not [h for h in hrefs if "evil" in h], hrefs
    srcs = page.eval_on_selector_all("img[src]", "els => els.map(e => new URL(e.src, location.href).hostname)")
    assert not [h for h in srcs if "evil" in h], srcs
    assert page.locator(".katex").count() == 0
