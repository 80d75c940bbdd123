"""Real browser: walk the `hu` storyline with the keyboard (→ / ←), offline, no console errors."""

from __future__ import annotations

import pytest

from tests.conftest import missing
from workforce import slides, stories

pytestmark = pytest.mark.e2e


def test_present_keyboard_navigation(app_server, browser_page):
    page = browser_page
    count = len(stories.builtin("hu").slides)
    # Enter through / and the navigation: in a process whose first run has not yet turned ui.base_url_hint on, a
    # deep link (/present?…) makes Streamlit's frontend probe /present/_stcore/health first, a 404 that the browser
    # reports as a console error.
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_text("Where will Europe").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stSidebarNav'] a[href$='/present']").first.click()
    counter = page.locator(".st-key-pr_counter")
    counter.get_by_text(f"of {len(stories.builtin('eu').slides)}").wait_for(timeout=60_000)
    page.locator(".st-key-pr_story").click()
    page.get_by_role("option", name="Hungary's battery workforce").click()
    counter.get_by_text(f"Slide 1 of {count}").wait_for(timeout=60_000)
    first_expected = slides.render(stories.builtin("hu").slides[0], "en").title  # the dated claim opens the story
    page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText"
                           ".includes(t)", arg=first_expected, timeout=30_000)
    assert "story=hu" in page.url
    page.locator("h1").first.click()  # focus leaves the select box: keys go to the page
    title = page.locator("h1").first
    title.wait_for(timeout=30_000)
    first_title = title.inner_text()
    assert first_expected in first_title
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


AXE = __import__("pathlib").Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("lang", ["en", "hu"])
def test_present_has_no_serious_accessibility_violations(app_server, browser_page, lang):
    """High contrast is the point of presenter mode: axe-core finds no serious/critical violation."""
    import json

    if not AXE.exists():
        missing("axe-core missing: run `npm ci` in tests/js (scripts/test.sh does)")
    page = browser_page
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.locator("[data-testid='stSidebarNav'] a[href$='/present']").first.wait_for(timeout=60_000)
    page.goto(f"{app_server}/present?story=hu&slide=5&lang={lang}", wait_until="domcontentloaded")
    page.locator(".st-key-pr_counter").get_by_text("5").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stMain'] img").first.wait_for(timeout=30_000)
    page.wait_for_function(  # stale elements are faded while a script runs: audit the settled page
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=60_000)
    page.wait_for_timeout(1500)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [{"id": v["id"], "nodes": [(n["html"][:120], (n.get("any") or [{}])[0].get("message", "")[:160])
                                        for n in v["nodes"][:4]]} for v in bad]
    assert not bad, json.dumps(report, indent=1)[:3000]
