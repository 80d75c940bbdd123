"""Real browser: every slide of every storyline fits a 16:9 screen (1280×720 and 1920×1080) — no scrolling, nothing
clipped inside the stage, the chart keeps a readable size (issue 21). Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from workforce import stories

pytestmark = pytest.mark.e2e

SIZES = [(1280, 720, "en"), (1920, 1080, "en"), (1280, 720, "hu")]  # Hungarian: the longest captions

MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const stage = document.querySelector('.st-key-pr_stage');
  const out = {h: innerHeight, w: innerWidth, doc: document.scrollingElement.scrollHeight,
               main: main ? main.scrollHeight : null, stage: null, clipped: [], plots: []};
  if (stage) {
    const s = stage.getBoundingClientRect();
    out.stage = [s.top, s.bottom];
    for (const kid of stage.children) {
      const r = kid.getBoundingClientRect();
      let inner = r.bottom;
      kid.querySelectorAll('p, li, [data-testid="stPlotlyChart"], [data-testid="stDataFrame"]').forEach(e => {
        inner = Math.max(inner, e.getBoundingClientRect().bottom); });
      if (inner > s.bottom + 1) { out.clipped.push([kid.getAttribute('data-testid'), Math.round(inner - s.bottom)]); }
    }
  }
  document.querySelectorAll('.st-key-pr_stage .js-plotly-plot').forEach(p => {
    const r = p.getBoundingClientRect(); out.plots.push([r.left, r.top, r.right, r.bottom]); });
  return out; }"""


def _settle(page):
    page.locator(".st-key-pr_stage").first.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=60_000)
    page.wait_for_timeout(1200)  # Plotly's draw and the fit script's resize


@pytest.mark.parametrize("width,height,lang", SIZES, ids=[f"{w}x{h}-{lang}" for w, h, lang in SIZES])
def test_every_slide_fits_the_screen(app_server, _browser, width, height, lang):
    context = _browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    try:
        page.goto(app_server + "/", wait_until="domcontentloaded")
        page.locator("[data-testid='stSidebarNav'] a[href$='/present']").first.wait_for(timeout=60_000)
        for story_id in stories.list_stories():
            story = stories.builtin(story_id)
            for number, spec in enumerate(story.slides, start=1):
                page.goto(f"{app_server}/present?story={story_id}&slide={number}&lang={lang}",
                          wait_until="domcontentloaded")
                page.locator(".st-key-pr_counter").get_by_text(str(number)).first.wait_for(timeout=60_000)
                _settle(page)
                m = page.evaluate(MEASURE)
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"slide-{story_id}-{number}-{width}x{height}-{lang}.png"))
                where = f"{story_id} slide {number} ({spec.view}) at {width}×{height} in {lang}"
                if m["doc"] > m["h"] or (m["main"] or 0) > m["h"] + 1:
                    problems.append(f"{where}: page scrolls (document {m['doc']}, main {m['main']} > {m['h']})")
                if m["stage"] is None or m["stage"][1] > m["h"] + 1:
                    problems.append(f"{where}: stage missing or below the screen: {m['stage']}")
                if m["clipped"]:
                    problems.append(f"{where}: content clipped at the stage's bottom: {m['clipped']}")
                for left, top, right, bottom in m["plots"]:
                    if right > m["w"] + 1 or bottom > m["h"] + 1 or left < -1 or top < -1:
                        problems.append(f"{where}: chart outside the screen {left, top, right, bottom}")
                    if bottom - top < 0.25 * m["h"]:  # at least a quarter of the screen
                        problems.append(f"{where}: chart squashed to {round(bottom - top)} px")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
