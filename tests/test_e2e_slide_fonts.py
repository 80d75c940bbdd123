"""A slide's chart text follows the screen it is shown on (slides.fit_figure + live_chart.js fontScale): 16 px on a
1 080-px-high projector, where the bridge's step names and numbers were 12-px grey beside 56-px card numbers; 12 px at
720 px, where 16 px made plotly.js drop every other step name. Every step is named at both sizes, and a window that
changes height redraws the chart's text at the new size."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

TICKS_JS = """() => [...document.querySelectorAll('.st-key-pr_stage .js-plotly-plot .ytick text')]
  .map((t) => [t.textContent, parseFloat(getComputedStyle(t).fontSize), getComputedStyle(t).fill])"""
STEPS = 10  # the bridge: four plant segments, components, subtotal, the gap, the claim's ends and the step between


def _ticks(page, size):
    page.wait_for_function(f"() => {{ const t = ({TICKS_JS})(); return t.length === {STEPS} "
                           f"&& t.every((x) => Math.abs(x[1] - {size}) < 0.6); }}", timeout=60_000)
    return page.evaluate(TICKS_JS)


def test_the_bridge_slide_names_every_step_in_a_size_for_the_screen(app_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_server + "/present?story=eu&slide=1", wait_until="domcontentloaded")
    small = _ticks(page, 12)
    assert all(fill in ("rgb(17, 17, 17)",) for _, _, fill in small), small  # the slide's dark text, not grey
    page.set_viewport_size({"width": 1920, "height": 1080})
    large = _ticks(page, 16)
    assert [name for name, _, _ in large] == [name for name, _, _ in small]
