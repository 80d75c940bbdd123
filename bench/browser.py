"""`python -m bench browser`: what a person waits for, measured in headless Debian Chromium (issue 19).

For every page: a fresh browser context (no HTTP cache), navigation → first Plotly chart painted (the first
`.js-plotly-plot` with a drawn `.main-svg`, or a map canvas) → script idle (Streamlit's status widget gone, no table
still waiting for the first chart), bytes received (HTTP + websocket frames, from the DevTools protocol); then a
returning visitor (same context, warm HTTP cache — really warm since 2026-12-05: requests are no longer
intercepted, see LAUNCH_ARGS); then
interactions (country, year, metric, layers) → chart repainted: from the input that commits the choice (the
Enter that picks an option, the arrow key that moves the year, the click on a layer button — stamped in the page
by a capture listener, so the bench's own DevTools round trips are not counted; opening a list or typing a
filter beforehand is not part of the wait) to the last change inside a chart — a DOM mutation or a frame MapLibre
renders into a map's canvas — once the page has been quiet for 150 ms; the page is first left to settle (300 ms
without a change), and again after the preparing steps; and the bytes the choice made the browser receive.
Each figure is p50/p95 over --runs, also at a 4× CPU throttle
(`Emulation.setCPUThrottlingRate`, a policymaker's laptop). The floor — a bare Streamlit page with one Plotly
chart (`bench/floor_app.py`) — is served and measured in the same run. A cold figure starts a new server
process: server start → first chart painted; every other figure is measured once the app's process has made its
first run and finished its warm-up (with --no-cold too: a first visit that is not measured starts them). Loopback
only; never `playwright install`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from bench.common import emit, free_port, note, percentile, start_streamlit, stop_process
from workforce import ROOT
from workforce.ui.tables_later import BOX_SELECTOR

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Loopback only, enforced by Chromium itself: every other host goes to a proxy that does not exist (loopback is
# never proxied). Not Playwright's `page.route`: intercepting requests turns Chromium's HTTP cache off (so a
# "returning visitor" re-downloaded everything) and sends each request through the driver process and back.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--proxy-server=http://127.0.0.1:9",
               "--proxy-bypass-list=127.0.0.1;localhost;[::1]"]
NET_LATENCY_MS = 40  # --net-mbit: the round trip a viewer on a hotel or office Wi-Fi may have
PAGES = ("/", "/regions", "/forecast", "/training", "/partnerships", "/present", "/sources", "/explorer")
CHART = "document.querySelector('.js-plotly-plot .main-svg, .js-plotly-plot canvas')"
# what "painted" means on a page without a chart: its first table / the query box
FIRST = {"/sources": ("table", "document.querySelector('[data-testid=\"stDataFrame\"] canvas')"),
         "/explorer": ("query_box", "document.querySelector('[data-testid=\"stMain\"] textarea')")}
# The moment of the committing input, in the page's clock (capture phase: before any handler of the page).
COMMIT_STAMP = """
() => { window.__commitAt = null;
  const stamp = () => { if (window.__commitAt === null) window.__commitAt = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'mousedown']) window.addEventListener(type, stamp, {capture: true, once: true});
}
"""
# The script (or fragment) run is over: Streamlit's own run state on the app root, its status widget gone, and no
# table still waiting for the first chart (workforce/ui/tables_later.py: the page runs once more to send them).
IDLE = ("!document.querySelector('[data-testid=\"stStatusWidget\"]') && !['running', 'rerunRequested'].includes("
        "(document.querySelector('[data-testid=\"stApp\"]') || {dataset: {}}).dataset.testScriptState)"
        " && !document.querySelector('" + BOX_SELECTOR + "')")
# Records the last change inside a chart (a mutation under .js-plotly-plot, an added chart, a map frame rendered)
# and the last change anywhere (for "quiet").
OBSERVER = """
() => { window.__lastMutation = performance.now(); window.__lastChart = 0; window.__mutations = 0;
  // inside a chart, or a chart added; not an attribute of a container that merely holds one (a stale mark)
  const within = (n) => n && n.nodeType === 1 && n.closest('.js-plotly-plot');
  const isChart = (n) => n && n.nodeType === 1 && (n.closest('.js-plotly-plot') || n.querySelector('.js-plotly-plot'));
  new MutationObserver((records) => { const now = performance.now(); window.__lastMutation = now;
    for (const r of records) {
      if (within(r.target) || [...r.addedNodes].some(isChart)) { window.__lastChart = now; window.__mutations++; break; }
    } }).observe(document.body, {subtree: true, childList: true, attributes: true});
  // A map draws into a WebGL canvas without DOM changes: every frame MapLibre renders counts as a chart change
  // (maps mounted later, e.g. a remounted chart, are hooked as they appear).
  if (!window.__mapHook) window.__mapHook = setInterval(() => {
    document.querySelectorAll('.js-plotly-plot').forEach((gd) => {
      const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      const map = sub && sub.map;
      if (map && !map.__benchHooked) { map.__benchHooked = true;
        map.on('render', () => { const now = performance.now(); window.__lastChart = now; window.__lastMutation = now;
                                 window.__mutations++; }); }
    }); }, 20); }
"""


def add_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="fresh-context runs per page and throttle (default 5)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="page paths (default: all)")
    parser.add_argument("--throttle", type=float, nargs="*", default=[1.0, 4.0], help="CPU throttle rates")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per navigation")
    parser.add_argument("--no-cold", action="store_true", help="skip the new-server-process figures")
    parser.add_argument("--net-mbit", type=float, default=None,
                        help=f"emulate a link of this many Mbit/s each way with {NET_LATENCY_MS} ms latency (figures "
                             "named cpu<rate>x.net<N>mbit); default: loopback")
    parser.add_argument("--nginx", action="store_true",
                        help="measure floor and atlas behind the production nginx recipe (deploy/nginx.conf.template "
                             "with the static bundle from disk, deploy/static_www.sh) instead of the bare server")


def start(script, port: int) -> tuple[subprocess.Popen, float]:
    """A production-like server for `script`; returns (process, seconds until /_stcore/health said ok)."""
    try:
        return start_streamlit(script, port, ROOT / ".cache" / f"bench-browser-{port}.log")
    except TimeoutError as exc:
        raise SystemExit(str(exc)) from None


def nginx_front(backend_port: int):
    """nginx from the deploy recipe in front of one server on loopback: (port, stop). The static bundle is
    copied afresh (it must match the installed Streamlit's index.html)."""
    import shutil

    if not shutil.which("nginx"):
        raise SystemExit("--nginx needs nginx (Debian package nginx or nginx-light)")
    www = ROOT / ".cache" / "bench-www"
    if not getattr(nginx_front, "prepared", False):
        out = subprocess.run(["bash", str(ROOT / "deploy" / "static_www.sh"), str(www)], cwd=ROOT, check=True,
                             capture_output=True, text=True, env={**os.environ, "PYTHON": sys.executable}).stdout
        (www / "locations.conf").write_text(out)
        nginx_front.prepared = True
    port = free_port()
    prefix = ROOT / ".cache" / f"bench-nginx-{port}"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for key, value in (("SERVERS", f"        server 127.0.0.1:{backend_port};"), ("PREFIX", str(prefix)),
                       ("LISTEN", f"127.0.0.1:{port}"), ("STATIC", (www / "locations.conf").read_text().rstrip("\n"))):
        text = text.replace("{{" + key + "}}", value)
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    subprocess.run(["nginx", "-c", str(conf), "-p", str(prefix)], check=True)

    def stop() -> None:
        subprocess.run(["nginx", "-c", str(conf), "-p", str(prefix), "-s", "quit"], check=False)

    return port, stop


class Meter:
    """One context + page (a browser launched with LAUNCH_ARGS: loopback only) and byte counting through the
    DevTools protocol; `outside` lists any request that tried to leave the machine (refused by the dead proxy)."""

    def __init__(self, browser, throttle: float, net_mbit: float | None = None):
        from urllib.parse import urlparse

        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.page.on("request", lambda r: self.outside.append(r.url) if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                     and (urlparse(r.url).hostname or "") not in ("127.0.0.1", "localhost", "::1") else None)
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        if throttle != 1.0:
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        if net_mbit:  # a slower link than loopback: Chromium's network emulation (HTTP and websocket frames)
            self.cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": NET_LATENCY_MS, "downloadThroughput": net_mbit * 1e6 / 8,
                "uploadThroughput": net_mbit * 1e6 / 8})
        self.bytes = 0
        self.cdp.on("Network.loadingFinished", lambda e: self._add(e.get("encodedDataLength", 0)))
        self.cdp.on("Network.webSocketFrameReceived",
                    lambda e: self._add(len(e.get("response", {}).get("payloadData", "")) * 3 // 4))

    def _add(self, n) -> None:
        self.bytes += int(n or 0)

    def visit(self, url: str, timeout: float, ready: str = CHART) -> dict:
        self.bytes = 0
        t0 = time.perf_counter()
        self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
        self.page.wait_for_function(ready, timeout=timeout * 1000, polling=20)
        painted = (time.perf_counter() - t0) * 1000
        self.page.wait_for_timeout(100)
        self.page.wait_for_function(IDLE, timeout=timeout * 1000, polling=50)
        idle = (time.perf_counter() - t0) * 1000
        return {"painted_ms": painted, "idle_ms": idle, "bytes": self.bytes, "started": t0}

    def settle(self, quiet_ms: float = 300, limit_s: float = 10) -> float:
        """Wait until nothing in the DOM has changed for `quiet_ms` (a person acts on a page that has finished
        drawing, not between two of its frames); returns the ms waited."""
        self.page.evaluate(OBSERVER)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < limit_s:
            if self.page.evaluate("performance.now() - window.__lastMutation") > quiet_ms:
                break
            self.page.wait_for_timeout(50)
        return (time.perf_counter() - t0) * 1000

    def repaint(self, action, timeout: float) -> float | None:
        """ms from the committing input of `action` (an `Interaction`) to the chart's last mutation once the page
        is quiet (None: nothing repainted). The page is settled first (`settle`) and again after the preparing
        steps: a mutation left over from the first paint or from opening a list is not the choice's."""
        self.settle()
        action.prepare(self.page)
        self.settle()
        self.page.evaluate(OBSERVER)
        self.page.evaluate(COMMIT_STAMP)
        self.bytes = 0  # what the choice made the browser receive (self.bytes after the call)
        action.commit(self.page)
        self.page.wait_for_timeout(300)
        self.page.wait_for_function(IDLE, timeout=timeout * 1000, polling=50)
        deadline = time.time() + timeout
        while time.time() < deadline:
            quiet = self.page.evaluate("performance.now() - window.__lastMutation")
            if quiet > 150:
                break
            self.page.wait_for_timeout(50)
        last, n, start = self.page.evaluate("[window.__lastChart, window.__mutations, window.__commitAt]")
        if start is None:
            raise RuntimeError("the committing input never reached the page")
        return (last - start) if n else None

    def close(self) -> None:
        self.context.close()


class Interaction(NamedTuple):
    """A person's choice in two parts: `prepare` (open the list, type a filter, focus the slider: not timed) and
    `commit` (the one input that makes the choice: its moment in the page starts the clock)."""

    prepare: Callable
    commit: Callable


def _open_country(page) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()
    page.keyboard.type("Hungary")


def _focus_year(page) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] [tabindex="0"]').first.focus()


def _open_metric(page) -> None:
    page.locator('[data-testid="stSelectbox"]', has_text="Metric").first.click()
    page.keyboard.press("ArrowDown")


def _nothing(page) -> None:
    pass


def _enter(page) -> None:
    page.keyboard.press("Enter")


def _arrow_right(page) -> None:
    page.keyboard.press("ArrowRight")


def _providers_on(page) -> None:
    page.get_by_role("button", name="Training providers").first.click()  # the providers layer on


INTERACTIONS = {"country": ("/regions", Interaction(_open_country, _enter)),
                "year": ("/regions", Interaction(_focus_year, _arrow_right)),
                "metric": ("/regions", Interaction(_open_metric, _enter)),
                "layers": ("/regions", Interaction(_nothing, _providers_on))}


def _emit_series(name: str, values: list[float], unit: str, **extra) -> None:
    if not values:
        emit(name, None, unit, 0, **extra)
        return
    emit(name + ".p50", percentile(values, 50), unit, len(values), **extra)
    # with a few runs the nearest-rank p95 is the slowest run: every run beside it, in the order run
    emit(name + ".p95", percentile(values, 95), unit, len(values), runs=[round(v, 3) for v in values], **extra)


def wait_for_warm_up(port: int) -> None:
    """Wait (up to 360 s) for the app's warm-up to log its end, and print after how long; none when it is off
    (68 visits, each after 2 s of quiet: ≈ 2.5 min on a quiet box)."""
    if os.environ.get("WORKFORCE_WARMUP", "1") == "0":
        emit("browser.atlas.warm_up_done_after_first_visit_s", None, "s", None, note="WORKFORCE_WARMUP=0")
        return
    warm = wait_for_log(ROOT / ".cache" / f"bench-browser-{port}.log", "warm-up: ", 360)
    emit("browser.atlas.warm_up_done_after_first_visit_s", warm, "s", None)


def wait_for_log(path: Path, text: str, timeout: float) -> float | None:
    """Seconds until `text` appears in the server log at `path` (None after `timeout`)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if path.is_file() and text in path.read_text(encoding="utf-8", errors="replace"):
            return time.perf_counter() - t0
        time.sleep(0.2)
    return None


def small_static_file() -> str:
    """The path of Streamlit's smallest JavaScript chunk (a response whose body is one small write)."""
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    return "/static/js/" + min(js.glob("*.js"), key=lambda p: (p.stat().st_size, p.name)).name


def keepalive_request_ms(port: int, path: str, n: int = 21) -> list[float]:
    """Request → response read, `n` times over one kept-alive connection; the first request is left out (TCP
    acknowledges at once at a connection's start, so only later requests show Nagle's delay, ui/server.py)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    try:
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            times.append((time.perf_counter() - t0) * 1000)
    finally:
        conn.close()
    return times[1:]


def run(args) -> int:
    from playwright.sync_api import sync_playwright

    (ROOT / ".cache").mkdir(exist_ok=True)
    floor_port, app_port = free_port(), free_port()
    servers, stops = [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            emit("browser.chromium_version", browser.version, "version", None)  # figures move between versions
            if not args.no_cold:  # a new server process: start → first chart painted (floor, then atlas)
                for label, script, port in (("floor", ROOT / "bench" / "floor_app.py", floor_port),
                                            ("atlas", ROOT / "app.py", app_port)):
                    t0 = time.perf_counter()
                    proc, healthy_s = start(script, port)
                    servers.append(proc)
                    meter = Meter(browser, 1.0)
                    first = meter.visit(f"http://127.0.0.1:{port}/", args.timeout)
                    meter.close()
                    # to the paint, not to the end of the visit (script idle) or of closing its context (both
                    # counted until 2026-12-06: ≈ 1.2 s for the atlas, ≈ 0.3 s for the floor)
                    emit(f"browser.{label}.new_process_to_first_chart_painted_ms",
                         (first["started"] - t0) * 1000 + first["painted_ms"], "ms", None,
                         server_healthy_ms=round(healthy_s * 1000), first_visit_ms=round(first["painted_ms"]))
                # the app's first run started its warm-up (ui.warm_up): let it finish before the floor is measured,
                # so the floor's figures do not share the CPU with it
                wait_for_warm_up(app_port)
            else:
                for script, port in ((ROOT / "bench" / "floor_app.py", floor_port), (ROOT / "app.py", app_port)):
                    servers.append(start(script, port)[0])
                # the process's first run (not measured) and its warm-up before anything is measured, as after the
                # cold figures: until 2026-12-06 a --no-cold run measured its first /regions visit as the process's
                # first run (3.1 s against ≈ 1.8 s) with the warm-up running beside the later runs
                meter = Meter(browser, 1.0)
                try:
                    meter.visit(f"http://127.0.0.1:{app_port}/", args.timeout)
                finally:
                    meter.close()
                wait_for_warm_up(app_port)
            if args.nginx:  # the production shape: the static bundle from disk, the rest proxied
                (floor_port, stop_floor), (app_port, stop_app) = nginx_front(floor_port), nginx_front(app_port)
                stops += [stop_floor, stop_app]
                emit("browser.served_via", None, "nginx", None, note="deploy/nginx.conf.template + static_www.sh")
            for rate in args.throttle:
                tag = f"cpu{rate:g}x" + (f".net{args.net_mbit:g}mbit" if args.net_mbit else "")
                targets = [("floor", f"http://127.0.0.1:{floor_port}/", "chart", CHART)]
                targets += [(("overview" if p == "/" else p.strip("/")), f"http://127.0.0.1:{app_port}{p}",
                             *FIRST.get(p, ("chart", CHART))) for p in args.pages]
                for label, url, kind, ready in targets:
                    painted, idle, sizes, returning = [], [], [], []
                    for _ in range(args.runs):
                        meter = Meter(browser, rate, args.net_mbit)
                        try:
                            r = meter.visit(url, args.timeout, ready)
                            painted.append(r["painted_ms"])
                            idle.append(r["idle_ms"])
                            sizes.append(r["bytes"])
                            returning.append(meter.visit(url, args.timeout, ready)["painted_ms"])  # warm HTTP cache
                            if meter.outside:
                                note(f"{label}: requests off the machine refused: {meter.outside[:3]}")
                        except Exception as exc:  # noqa: BLE001 - a failed run is a figure, not a crash
                            note(f"{label} {tag}: {type(exc).__name__}: {str(exc)[:120]}")
                        finally:
                            meter.close()
                    _emit_series(f"browser.{label}.{tag}.fresh_context_first_{kind}_painted_ms", painted, "ms")
                    _emit_series(f"browser.{label}.{tag}.fresh_context_script_idle_ms", idle, "ms")
                    _emit_series(f"browser.{label}.{tag}.returning_visitor_first_{kind}_painted_ms", returning, "ms")
                    if sizes:
                        emit(f"browser.{label}.{tag}.bytes_received_first_visit", percentile(sizes, 50), "B",
                             len(sizes))
                for name, (path, action) in INTERACTIONS.items():
                    times, received = [], []
                    for _ in range(args.runs):
                        meter = Meter(browser, rate, args.net_mbit)
                        try:
                            meter.visit(f"http://127.0.0.1:{app_port}{path}", args.timeout)
                            ms = meter.repaint(action, args.timeout)
                            if ms is not None:
                                times.append(ms)
                                received.append(meter.bytes)
                        except Exception as exc:  # noqa: BLE001
                            note(f"interaction {name} {tag}: {type(exc).__name__}: {str(exc)[:120]}")
                        finally:
                            meter.close()
                    _emit_series(f"browser.interaction.{name}.{tag}.chart_repainted_ms", times, "ms", page=path)
                    if received:  # websocket frames and requests from the committing input to the repaint
                        emit(f"browser.interaction.{name}.{tag}.bytes_received", percentile(received, 50), "B",
                             len(received), page=path)
            browser.close()
            small = small_static_file()  # after the pages ran: the app has set its sockets up (ui.tcp_nodelay)
            for label, port in (("floor", floor_port), ("atlas", app_port)):
                try:
                    _emit_series(f"browser.{label}.keepalive_small_file_request_ms", keepalive_request_ms(port, small),
                                 "ms", path=small)
                except OSError as exc:
                    note(f"keep-alive {label}: {type(exc).__name__}: {exc}")
    finally:
        for stop in stops:
            stop()
        for proc in servers:
            stop_process(proc)
    return 0
