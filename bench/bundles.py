"""`python -m bench bundles`: what each plotly.js the app serves costs a browser to evaluate (issue 19).

The full bundle (the installed plotly package's `plotly.min.js`, about what Streamlit's own `PlotlyChart` chunk
costs) and each vendored partial bundle (`workforce/ui/vendor/`, see live_chart.PARTIAL) are served from a
temporary folder on loopback; for every run a fresh Chromium context (no HTTP or code cache) loads one of them
with a `<script>` tag. Figures: `bundles.<name>.<throttle>.fetch_ms` (request start → response end) and
`…eval_ms` (response end → the script's `load` event: parse, compile and run), p50/p95 over --runs, and the
bundle's bytes. Bundles alternate run by run, so a busy moment does not fall on one of them only.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.browser import CHROMIUM, LAUNCH_ARGS
from bench.common import emit, fresh_page, note, percentile, served

PAGE = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script>
window.load = (src) => new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = () => {
    const e = performance.getEntriesByName(new URL(src, location.href).href)[0];
    resolve([e.responseEnd - e.startTime, performance.now() - e.responseEnd]);
  };
  s.onerror = () => reject(new Error('did not load: ' + src));
  document.head.appendChild(s);
});
</script></body>"""


def add_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="fresh-context loads per bundle and throttle (default 5)")
    parser.add_argument("--throttle", type=float, nargs="*", default=[1.0, 4.0], help="CPU throttle rates")


def bundles() -> dict[str, Path]:
    """The plotly.js files the app may serve: the full one and every vendored partial bundle."""
    import importlib

    module = importlib.import_module("workforce.ui.live_chart")  # the module (`ui.live_chart` is the function)
    found = {"full": module._plotly_js()}
    found.update({name: module.bundle_path(name) for name in module.PARTIAL})
    return found


def run(args) -> int:
    from playwright.sync_api import sync_playwright

    files = bundles()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "index.html").write_text(PAGE, encoding="utf-8")
        for name, path in files.items():
            shutil.copyfile(path, root / f"{name}.js")
            emit(f"bundles.{name}.bytes", path.stat().st_size, "B")
        with served(tmp) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            for rate in args.throttle:
                tag = f"cpu{rate:g}x"
                times: dict[str, list[tuple[float, float]]] = {name: [] for name in files}
                for _ in range(args.runs):
                    for name in files:
                        try:
                            with fresh_page(browser, rate) as page:
                                page.goto(base + "index.html")
                                times[name].append(tuple(page.evaluate(f"load('{name}.js')")))
                        except Exception as exc:  # noqa: BLE001 - a failed run is a note, not a crash
                            note(f"{name} {tag}: {type(exc).__name__}: {str(exc)[:120]}")
                for name, pairs in times.items():
                    for i, part in enumerate(("fetch_ms", "eval_ms")):
                        values = [p[i] for p in pairs]
                        if values:
                            for q in (50, 95):
                                emit(f"bundles.{name}.{tag}.{part}.p{q}", percentile(values, q), "ms", len(values))
            browser.close()
    return 0
