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


CUT_TEXT = """() => [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')]
    .flatMap((box) => [box, ...box.querySelectorAll('*')])
    .filter((e) => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
    .map((e) => e.closest('[data-testid="stMetric"]').innerText.replace(/\\s+/g, ' '))"""


def test_the_overviews_numbers_are_whole_on_a_laptop_screen(app_server, browser_page):
    """At 1 280 px the overview's cards (the dated claim, what the pipeline supports in 2025/2030/2035) are ≈ 80 px
    wide: Streamlit cut their numbers to "29,8…" until ui.app_css sized a value to its card (issue 19's sweep)."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(app_server + "/", wait_until="domcontentloaded")
    page.get_by_text("4,000,000").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stMetricValue"]').nth(4).wait_for(timeout=30_000)  # the claim's two, the years' three
    page.wait_for_timeout(500)  # the fonts and the columns settled
    assert page.locator('[data-testid="stMetricValue"]').count() >= 5
    assert page.evaluate(CUT_TEXT) == []


CUT_TITLES = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((gd) => {
  const svg = gd.querySelector('.main-svg');
  const title = gd.querySelector('.g-gtitle .gtitle');
  if (!svg || !title) return [];
  const s = svg.getBoundingClientRect(), r = title.getBoundingClientRect();
  return r.left < s.left - 1 || r.right > s.right + 1 ? [title.textContent] : [];
})"""


def test_the_overviews_bridge_title_is_whole_on_a_laptop_screen(app_server, browser_page):
    """Plotly never wraps a title: the bridge's ("Bridge from plant jobs to the 3–4 million claim, 2030 (Base, all
    of Europe)") ran past its half-page column at 1 280 px, in every language, as did /forecast's fan charts' titles
    (charts.chart_title wraps them)."""
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in ("/?lang=en", "/?lang=de", "/forecast?lang=hu"):  # /forecast: two fan charts side by side
        page.goto(app_server + path, wait_until="domcontentloaded")
        page.locator(".js-plotly-plot .g-gtitle .gtitle").nth(1 if "forecast" in path else 0).wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        assert page.evaluate(CUT_TITLES) == [], path


def test_chart_titles_are_whole_in_a_narrow_column(app_server, browser_page):
    """On a phone (360 px) /forecast's fan charts are ≈ 310 px wide, narrower than the 46 characters
    charts.chart_title breaks their titles at (at 1 024 px with the sidebar open they were ≈ 270 px, side by side:
    they now stack, ui.wide_columns): live_chart.js breaks a title that does not fit again, at its drawn width, and
    the chart grows by the lines it adds; at a wider window the figure's own title is back."""
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(app_server + "/forecast?lang=hu", wait_until="domcontentloaded")
    titles = page.locator(".atlas-live-chart .g-gtitle .gtitle")
    titles.nth(1).wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({CUT_TITLES})().length === 0", timeout=15_000)
    fan = page.locator(".atlas-live-chart.js-plotly-plot").first
    lines = page.evaluate("() => document.querySelector('.atlas-live-chart .gtitle').querySelectorAll('tspan.line')"
                          ".length")
    assert lines >= 3, lines  # two lines as the figure has them, broken again into three or more
    narrow_height = fan.bounding_box()["height"]
    page.set_viewport_size({"width": 1600, "height": 900})
    page.wait_for_function("() => document.querySelector('.atlas-live-chart .gtitle')"
                           ".querySelectorAll('tspan.line').length === 2", timeout=15_000)
    assert page.evaluate(CUT_TITLES) == []
    assert fan.bounding_box()["height"] < narrow_height  # the lines it added, given back


COLUMNS_OF_JS = """(key) => [...document.querySelectorAll(`.st-key-${key} > [data-testid="stLayoutWrapper"] > `
  + '[data-testid="stHorizontalBlock"] > [data-testid="stColumn"]')].map((c) => {
  const r = c.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
COLUMNS_JS = f"() => ({COLUMNS_OF_JS})('wrap_ov_claim')"
VALUE_LINES_JS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].filter((v) => v.offsetParent)
  .map((v) => { const r = v.getBoundingClientRect(), lh = parseFloat(getComputedStyle(v).lineHeight) ||
  1.2 * parseFloat(getComputedStyle(v).fontSize); return [v.textContent, Math.round(r.height / lh)]; })"""


def test_the_overviews_claim_and_bridge_stack_where_the_page_is_narrow(app_server, browser_page):
    """At 1 024 px with the sidebar open the overview's claim column was ≈ 250 px: "4.000.000" broken over two
    lines, year cards reading "20 / 25", and the bridge beside it with its labels cut. Columns from
    ui.wide_columns stack below 22rem each; side by side at 1 400 px."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(app_server + "/?lang=de", wait_until="domcontentloaded")
    page.locator(".st-key-wrap_ov_claim [data-testid='stMetricValue']").first.wait_for(timeout=60_000)
    claim, bridge = page.evaluate(COLUMNS_JS)
    assert bridge[1] >= claim[3] - 1, (claim, bridge)  # the bridge under the claim, each at the page's width
    assert all(lines == 1 for _, lines in page.evaluate(VALUE_LINES_JS)), page.evaluate(VALUE_LINES_JS)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.wait_for_function(f"() => {{ const c = ({COLUMNS_JS})(); return c.length === 2 && c[1][0] >= c[0][2]; }}",
                           timeout=15_000)


def test_regions_pickers_and_ranking_stack_where_the_page_is_narrow(app_server, browser_page):
    """At 1 024 px with the sidebar open /regions' layer pills were cut ("Training prov…") beside the metric picker,
    and the ranked table, beside the region panel, showed its code, name and gap class but not one number (every
    figure behind a horizontal scroll). Both rows come from ui.wide_columns: stacked there, side by side at 1 400."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto(app_server + "/regions", wait_until="domcontentloaded")
    page.locator(".st-key-wrap_rg_ranked [data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    pickers = page.evaluate(f"() => ({COLUMNS_OF_JS})('wrap_rg_pickers')")
    ranked = page.evaluate(f"() => ({COLUMNS_OF_JS})('wrap_rg_ranked')")
    assert len(pickers) == 2 and pickers[1][1] >= pickers[0][3] - 1, pickers  # the layers under the metric
    assert len(ranked) == 2 and ranked[1][1] >= ranked[0][3] - 1, ranked  # the region panel under the table
    pills = page.evaluate("""() => [...document.querySelectorAll(
      '.st-key-wrap_rg_pickers [data-testid="stButtonGroup"] button')].map((b) => {
      const r = b.getBoundingClientRect(); return [b.innerText, r.right]; })""")
    assert len(pills) >= 2 and all(right <= pickers[1][2] + 1 for _, right in pills), (pills, pickers)
    grid = page.locator(".st-key-wrap_rg_ranked [data-testid='stDataFrame']").first.bounding_box()
    assert grid["width"] >= 500, grid  # room for the jobs columns beside code, name and gap class
    page.set_viewport_size({"width": 1400, "height": 900})
    for key in ("wrap_rg_pickers", "wrap_rg_ranked"):
        page.wait_for_function(f"() => {{ const c = ({COLUMNS_OF_JS})('{key}'); "
                               "return c.length === 2 && c[1][0] >= c[0][2]; }", timeout=15_000)
