"""`python -m bench chart-theme`: what Streamlit's front end hands Plotly for `st.plotly_chart` under this app's
[theme], read in Chromium (issue 19; workforce/ui/chart_theme.py applies the same theme in Python).

Draws a probe figure whose marker colours are Streamlit's 40 placeholder colours ("#000001" … "#000040") and a
figure with an empty template (whose `layout.template.layout` then is exactly the layout the front end merges in),
and prints whether workforce/ui/chart_theme.json still matches them as a JSON line (`chart_theme.matches`, 1 or 0).
`--write` stores what was read in chart_theme.json (after a Streamlit upgrade or a change of [theme]).
`drawn(specs, ours)` is the same reading for any figures, beside the same figures themed by chart_theme.py and drawn
by plotly.js directly (tests/test_e2e_live_chart.py compares the app's).
"""

from __future__ import annotations

import json
import os
import tempfile

from bench.browser import CHROMIUM, LAUNCH_ARGS, start
from bench.common import emit, free_port, stop_process
from workforce import ROOT

PLACEHOLDERS = [f"#0000{i:02d}" for i in range(1, 41)]
READ = """() => [...document.querySelectorAll('.js-plotly-plot')].map((g) => ({data: g.data, layout: g.layout}))"""


def add_arguments(parser) -> None:
    parser.add_argument("--write", action="store_true", help="store what was read in workforce/ui/chart_theme.json")


# Each of our figures drawn by the Plotly on the page (Streamlit's own plotly.js) into a graph of its own.
DRAW = """async (specs) => {
  const out = [];
  for (const spec of specs) {
    const fig = JSON.parse(spec);
    const el = document.createElement('div');
    document.body.appendChild(el);
    await window.Plotly.newPlot(el, fig.data || [], Object.assign(fig.layout || {}, {autosize: true}));
    out.push({data: el.data, layout: el.layout});
  }
  return JSON.parse(JSON.stringify(out));
}"""


def drawn(specs: list[str], ours: list[str] | None = None, browser=None) -> tuple[list[dict], list[dict]]:
    """Each figure JSON of `specs` drawn by `st.plotly_chart` in Chromium, and each of `ours` drawn by
    `Plotly.newPlot` in the same page: the data and layout Plotly holds for each (in order; Plotly adds computed
    values such as axis ranges and drops empty containers). `browser`: a Playwright browser to use (else one is
    launched)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(specs, fh)
    port = free_port()
    os.environ["ATLAS_THEME_SPECS"] = fh.name
    proc, _ = start(ROOT / "bench" / "theme_app.py", port)
    try:
        if browser is not None:
            return _read(browser, port, specs, ours)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                return _read(own, port, specs, ours)
            finally:
                own.close()
    finally:
        stop_process(proc, 30)
        os.environ.pop("ATLAS_THEME_SPECS", None)
        os.unlink(fh.name)


def _read(browser, port: int, specs: list[str], ours: list[str] | None) -> tuple[list[dict], list[dict]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded")
        page.wait_for_function(f"[...document.querySelectorAll('.js-plotly-plot')].filter((g) => g._fullLayout)"
                               f".length >= {len(specs)}", timeout=120_000)
        return page.evaluate(READ), (page.evaluate(DRAW, ours) if ours else [])
    finally:
        context.close()


def read_theme(browser=None) -> dict:
    """{"placeholders": {placeholder: colour}, "layout": the theme layout} as the front end resolves them."""
    import plotly.graph_objects as go

    probe = go.Figure(go.Scatter(x=list(range(40)), y=list(range(40)), marker={"color": PLACEHOLDERS}))
    empty = go.Figure(go.Bar(x=[1], y=[1]), layout={"template": {}})
    (colours, bare), _ = drawn([probe.to_json(validate=False), empty.to_json(validate=False)], browser=browser)
    resolved = colours["data"][0]["marker"]["color"]
    import streamlit

    return {"streamlit": streamlit.__version__,
            "placeholders": {p: c for p, c in zip(PLACEHOLDERS, resolved, strict=True) if p != c},
            "layout": bare["layout"]["template"]["layout"]}


def run(args) -> int:
    from workforce.ui import chart_theme

    path = ROOT / "workforce" / "ui" / "chart_theme.json"
    read = read_theme()
    stored = chart_theme.theme()
    matches = {k: stored.get(k) for k in ("placeholders", "layout")} == {k: read[k] for k in ("placeholders", "layout")}
    emit("chart_theme.matches", int(matches), "bool", None, streamlit=read["streamlit"], stored=stored.get("streamlit"))
    if args.write:
        about = stored.get("about", "")
        path.write_text(json.dumps({"about": about, **read}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0
