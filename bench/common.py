"""Shared helpers: JSON-line output, percentiles, peak RSS, optional sibling bench modules."""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib
import json
import math
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from workforce import ROOT

CACHE_DIR = ROOT / ".cache" / "bench"


def emit(figure: str, value, unit: str, rows: int | None = None, **extra) -> dict:
    """Print one figure as a JSON line (flushed at once) and return it."""
    if isinstance(value, float):
        value = round(value, 3) if math.isfinite(value) else None
    rec = {"figure": figure, "value": value, "unit": unit, "rows": rows, **extra}
    print(json.dumps(rec), flush=True)
    return rec


def note(message: str) -> None:
    """Human-readable progress on stderr (stdout carries only JSON lines)."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def timed_ms(fn, repeat: int, warmup: int = 1) -> list[float]:
    """Run fn warmup+repeat times; return the `repeat` wall times in ms."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def peak_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def optional_module(name: str):
    """bench.forecast / bench.present are written by other developers; None while absent."""
    if not (Path(__file__).parent / f"{name}.py").is_file():
        return None
    return importlib.import_module(f"bench.{name}")


def run_optional(name: str) -> list[dict]:
    """Print the figures of bench.<name>.run() if that module exists; errors become a figure, not a crash."""
    module = optional_module(name)
    if module is None:
        note(f"bench.{name} not present: skipped")
        return []
    try:
        records = list(module.run() or [])
    except Exception as exc:  # a sibling's bug must not hide our figures
        return [emit(f"{name}.error", f"{type(exc).__name__}: {exc}", "text")]
    for rec in records:
        print(json.dumps(rec), flush=True)
    return records


def is_chart(element) -> bool:
    """Whether a new element (a ForwardMsg delta's `new_element`) is a chart with its figure: an `st.plotly_chart`,
    or a chart that stays mounted (`ui.live_chart`: a v2 component whose data carries the figure; its preloader
    carries none)."""
    kind = element.WhichOneof("type")
    if kind == "plotly_chart":
        return True
    if kind != "bidi_component" or not element.bidi_component.component_name.endswith("atlas_live_chart"):
        return False
    return '"spec"' in (element.bidi_component.json or "")


def live_chart_data(at) -> list[dict]:
    """The data of every `ui.live_chart` element an AppTest page drew, in page order: preloaders ({"preload": True,
    "srcs": …}) and charts ({"spec": figure JSON, "src": …, …})."""
    return [json.loads(el.proto.json) if el.proto.json else {} for el in at.get("bidi_component")
            if el.proto.component_name.endswith("atlas_live_chart")]


def figure_specs(at) -> list[str]:
    """The JSON of every figure an AppTest page drew: `st.plotly_chart` specs, then the figures of charts that stay
    mounted (`ui.live_chart`, e.g. the /regions map: a v2 component whose data carries the figure JSON; its
    preloader carries none). What the browser receives for each figure, byte for byte."""
    return [el.proto.spec for el in at.get("plotly_chart")] + [d["spec"] for d in live_chart_data(at) if "spec" in d]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # stdout carries only JSON lines
        pass


@contextlib.contextmanager
def served(directory: str | Path):
    """`directory` served over HTTP on loopback (a free port) while the block runs; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def fresh_page(browser, throttle: float = 1.0, **context_options):
    """A page in a new context of a Playwright `browser` (no HTTP or code cache), its CPU slowed `throttle` times
    (DevTools `Emulation.setCPUThrottlingRate`); the context is closed after the block."""
    context = browser.new_context(**context_options)
    try:
        page = context.new_page()
        if throttle != 1.0:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        yield page
    finally:
        context.close()


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: str | Path, port: int, log_path: str | Path, extra_args: tuple = (),
                    env: dict | None = None, watcher: str = "none",
                    timeout: float = 90.0) -> tuple[subprocess.Popen, float]:
    """`streamlit run script` as in production (loopback, headless, no usage stats, no file watcher unless
    `watcher`: it costs every new session a walk over sys.modules; MALLOC_ARENA_MAX=2 as deploy/ sets it: glibc
    would otherwise grow one malloc arena per script thread), its output in `log_path`. Returns (process,
    seconds until /_stcore/health, under `--server.baseUrlPath` if given, said ok); TimeoutError, the process
    stopped, when it did not within `timeout`. One starter for the benches and the browser tests."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", watcher, *extra_args]
    env = {"MALLOC_ARENA_MAX": "2", **os.environ, **(env or {})}
    args = list(extra_args)
    base = args[args.index("--server.baseUrlPath") + 1].strip("/") if "--server.baseUrlPath" in args[:-1] else ""
    health = f"http://127.0.0.1:{port}/{base + '/' if base else ''}_stcore/health"
    t0 = time.perf_counter()
    with open(log_path, "w") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(health, timeout=2).read() == b"ok":
                return proc, time.perf_counter() - t0
        except OSError:
            time.sleep(0.1)
    stop_process(proc)
    raise TimeoutError(f"streamlit {Path(script).name} did not become healthy within {timeout:g} s (log: {log_path})")


def stop_process(proc: subprocess.Popen, wait: float = 10.0) -> None:
    """Terminate `proc`; kill it when it is still there after `wait` seconds."""
    proc.terminate()
    try:
        proc.wait(wait)
    except subprocess.TimeoutExpired:
        proc.kill()
