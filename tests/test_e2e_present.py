"""Real browser: walk the `hu` storyline with the keyboard (→ / ←), offline, no console errors."""

from __future__ import annotations

import pytest

from workforce import stories

pytestmark = pytest.mark.e2e


def test_present_keyboard_navigation(app_server, browser_page):
    page = browser_page
    count = len(stories.builtin("hu").slides)
    # Enter through / and the navigation: a deep link (/present?…) makes Streamlit's frontend probe
    # /present/_stcore/health first, a 404 that the browser reports as a console error.
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_text("Where will Europe").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stSidebarNav'] a[href$='/present']").first.click()
    counter = page.locator(".st-key-pr_counter")
    counter.get_by_text(f"of {len(stories.builtin('eu').slides)}").wait_for(timeout=60_000)
    page.locator(".st-key-pr_story").click()
    page.get_by_role("option", name="Hungary's battery workforce").click()
    counter.get_by_text(f"Slide 1 of {count}").wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText"
                           ".includes('Debrecen')", timeout=30_000)
    assert "story=hu" in page.url
    page.locator("h1").first.click()  # focus leaves the select box: keys go to the page
    title = page.locator("h1").first
    title.wait_for(timeout=30_000)
    first_title = title.inner_text()
    assert "Debrecen" in first_title
    page.locator("[data-testid='stMain'] img").first.wait_for(timeout=30_000)  # the QR code
    assert not page.locator("section[data-testid='stSidebar']").is_visible()

    page.wait_for_timeout(500)  # let the keyboard listener attach
    page.keyboard.press("ArrowRight")
    counter.get_by_text(f"Slide 2 of {count}").wait_for(timeout=30_000)
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText !== t",
                           arg=first_title, timeout=30_000)
    assert "slide=2" in page.url

    page.keyboard.press("ArrowRight")
    counter.get_by_text(f"Slide 3 of {count}").wait_for(timeout=30_000)
    page.keyboard.press("ArrowLeft")
    counter.get_by_text(f"Slide 2 of {count}").wait_for(timeout=30_000)
    page.keyboard.press("ArrowLeft")
    counter.get_by_text(f"Slide 1 of {count}").wait_for(timeout=30_000)
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText === t",
                           arg=first_title, timeout=30_000)
    assert "slide=1" in page.url
