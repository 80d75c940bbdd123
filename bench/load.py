"""`python -m bench load --sessions 200 [--url http://127.0.0.1:PORT]`: N real Streamlit browser sessions.

Each simulated viewer does what a browser does on the wire: GET / (keeps any Set-Cookie, e.g. the nginx
sticky cookie), opens the websocket /_stcore/stream (subprotocol "streamlit"), sends a BackMsg
`rerun_script` (ClientState for the default page), and reads ForwardMsgs until `script_finished`.
Time to first chart = from the GET to the first ForwardMsg delta whose new element is a chart with its figure
(`plotly_chart` or a live chart, `bench.common.is_chart`; the protobuf arrives at the browser; Plotly's own
drawing in the browser is not included). An error is a session with no chart within --timeout (or a failed request/handshake, or an exception element); a session
that showed its chart but whose script did not finish in time counts as `load.incomplete`, not as an error.
Arrivals are spread evenly over --ramp seconds; each session is bounded by --timeout, the whole run by
ramp + timeout + hold + 30 s. Only loopback targets are accepted.

`--browsers N` (default 10) adds N real headless Chromium viewers (Debian chromium, Playwright, never
`playwright install`) among the protocol clients: each opens the page in a fresh browser context while the load
runs (arrivals spread over the same ramp) and measures what a person sees — navigation → first Plotly chart
painted (bench/browser.py's definition) — reported as `load.browsers.first_chart_painted_p50/p95_ms` beside the
protocol figure `load.first_chart_p95_ms`, with their own error count.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import threading
import time
from urllib.parse import urlparse

from bench.common import emit, free_port, is_chart, note, percentile, start_streamlit, stop_process
from workforce import ROOT

LOOPBACK = {"127.0.0.1", "localhost"}


class SessionError(Exception):
    pass


async def _http_get(host: str, port: int, path: str, timeout: float) -> tuple[int, list[str]]:
    """Minimal HTTP/1.1 GET; returns (status, cookies as 'name=value')."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # drain the body like a browser would
    finally:
        writer.close()
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    cookies = [ln.split(":", 1)[1].strip().split(";", 1)[0] for ln in lines[1:] if ln.lower().startswith("set-cookie:")]
    return status, cookies


async def forward_msgs(ws, path: str, query: str, deadline: float, t0: float):
    """Send a `rerun_script` BackMsg for (path, query) as the browser does, then yield (kind, ForwardMsg, ms
    since t0) for every message until `deadline` (perf_counter seconds); a script compilation exception
    raises SessionError. The caller decides when the run is over (break)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from workforce.ui.server import rerun_request

    await ws.send(rerun_request(path, query))
    for _ in range(1_000_000):  # bounded; the real bound is the deadline
        left = deadline - time.perf_counter()
        if left <= 0:
            return
        try:
            data = await asyncio.wait_for(ws.recv(), left)
        except TimeoutError:
            return
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        kind = fwd.WhichOneof("type")
        if kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
            raise SessionError("script compilation exception")
        yield kind, fwd, (time.perf_counter() - t0) * 1000


async def one_session(base: str, path: str, query: str, timeout: float, hold: float) -> dict:
    from websockets.asyncio.client import connect

    u = urlparse(base)
    t0 = time.perf_counter()
    out = {"first_delta": None, "first_chart": None, "finished": None, "exceptions": 0}
    status, cookies = await _http_get(u.hostname, u.port, "/" + path + (f"?{query}" if query else ""), timeout)
    if status != 200:
        raise SessionError(f"GET / returned {status}")
    out["http"] = (time.perf_counter() - t0) * 1000
    headers = {"Cookie": "; ".join(cookies)} if cookies else {}
    ws_url = f"ws://{u.hostname}:{u.port}/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
                       open_timeout=timeout, proxy=None, ping_interval=None) as ws:
        async for kind, fwd, now in forward_msgs(ws, path, query, t0 + timeout, t0):
            if kind == "delta":
                out["first_delta"] = out["first_delta"] or now
                element = fwd.delta.new_element.WhichOneof("type") if fwd.delta.HasField("new_element") else None
                if element and out["first_chart"] is None and is_chart(fwd.delta.new_element):
                    out["first_chart"] = now
                elif element == "exception":
                    out["exceptions"] += 1
            elif kind == "script_finished":
                out["finished"] = now
                break
        if hold > 0 and out["finished"] is not None:
            await asyncio.sleep(hold)  # a viewer stays connected a little while
    if out["exceptions"]:
        raise SessionError(f"{out['exceptions']} exception element(s) on the page")
    if out["first_chart"] is None:
        raise SessionError("no plotly chart within the timeout" if out["finished"] is None
                           else "script finished without a plotly chart")
    return out


async def run_load(base: str, sessions: int, ramp: float, timeout: float, hold: float, path: str, query: str):
    async def delayed(i: int):
        await asyncio.sleep(ramp * i / max(sessions, 1))
        try:
            return await asyncio.wait_for(one_session(base, path, query, timeout, hold), timeout + hold + 5)
        except Exception as exc:
            return exc

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(delayed(i)) for i in range(sessions)]
    done, pending = await asyncio.wait(tasks, timeout=ramp + timeout + hold + 30)
    for task in pending:
        task.cancel()
    results = [t.result() for t in done] + [SessionError("cancelled at global deadline")] * len(pending)
    return results, time.perf_counter() - t0


def browser_viewers(base: str, n: int, ramp: float, timeout: float, path: str, query: str, out: list) -> None:
    """n real Chromium viewers, one fresh context each, spread over `ramp` (runs in its own thread; Playwright's
    sync API stays inside it). Appends visit dicts (bench.browser.Meter.visit) or exceptions to `out`."""
    from bench.browser import CHROMIUM, LAUNCH_ARGS, Meter

    if not os.path.exists(CHROMIUM):
        out.extend([SessionError(f"chromium not found at {CHROMIUM}")] * n)
        return
    from playwright.sync_api import sync_playwright

    url = base + "/" + path.lstrip("/") + (f"?{query}" if query else "")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            t0 = time.perf_counter()
            for i in range(n):
                wait = ramp * (i + 0.5) / n - (time.perf_counter() - t0)
                if wait > 0:
                    time.sleep(wait)
                meter = Meter(browser, 1.0)
                try:
                    out.append(meter.visit(url, timeout))
                except Exception as exc:  # noqa: BLE001 - a failed viewer is an error figure, not a crash
                    out.append(SessionError(f"browser viewer: {type(exc).__name__}: {str(exc)[:80]}"))
                finally:
                    meter.close()
        finally:
            browser.close()


def start_server(port: int, log_path, watch: bool = False) -> subprocess.Popen:
    """A production-like server of the app (bench.common.start_streamlit); the file watcher only with `watch`."""
    try:
        return start_streamlit(ROOT / "app.py", port, log_path, watcher="auto" if watch else "none", timeout=60)[0]
    except TimeoutError as exc:
        raise SystemExit(str(exc)) from None


def _peak_rss_of(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_seconds(pids: list[int]) -> float | None:
    """utime+stime of the given server processes (their threads included), from /proc."""
    total = 0.0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return total


def add_arguments(parser) -> None:
    parser.add_argument("--sessions", type=int, default=200, help="concurrent viewers (max 1000)")
    parser.add_argument("--url", help="base URL of a running app on 127.0.0.1 (default: start one)")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which viewers arrive")
    parser.add_argument("--timeout", type=float, default=60.0, help="per-session limit in seconds")
    parser.add_argument("--hold", type=float, default=2.0, help="seconds a viewer stays connected after the page")
    parser.add_argument("--page", default="", help="url path of the page (default: overview)")
    parser.add_argument("--query", default="", help="query string, e.g. country=DE")
    parser.add_argument("--warmup", type=int, default=1, help="sequential sessions before the timed run")
    parser.add_argument("--browsers", type=int, default=10,
                        help="real headless Chromium viewers among the protocol clients (0 = none, max 50)")
    parser.add_argument("--file-watcher", action="store_true",
                        help="start the server with Streamlit's file watcher on (the dev default)")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="pid of a server process behind --url (repeatable): reports its CPU seconds per session")


def loopback_base(url: str) -> str | None:
    """http://127.0.0.1:PORT for a loopback http URL with a port, else None (the bench never leaves the box)."""
    u = urlparse(url)
    return f"http://127.0.0.1:{u.port}" if u.scheme == "http" and u.hostname in LOOPBACK and u.port else None


def run(args) -> int:
    sessions = max(1, min(args.sessions, 1000))
    proc = None
    if args.url:
        base = loopback_base(args.url)
        if base is None:
            note("--url must be http://127.0.0.1:PORT (loopback only)")
            return 2
    else:
        port = free_port()
        log = ROOT / ".cache" / "bench" / "load-server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = start_server(port, log, watch=args.file_watcher)
        base = f"http://127.0.0.1:{port}"
    try:
        warm = []
        for _ in range(max(0, args.warmup)):  # a replica's first viewer pays the catalog build once
            res, _ = asyncio.run(run_load(base, 1, 0, args.timeout, 0, args.page, args.query))
            warm += res
        if warm and not isinstance(warm[0], Exception):
            emit("load.warmup_first_chart_ms", warm[0]["first_chart"], "ms", 1)
        pids = [proc.pid] if proc is not None else args.server_pid
        cpu0 = _cpu_seconds(pids) if pids else None
        seen: list = []
        viewers = None
        if args.browsers > 0:
            viewers = threading.Thread(target=browser_viewers, daemon=True,
                                       args=(base, min(args.browsers, 50), args.ramp, args.timeout, args.page,
                                             args.query, seen))
            viewers.start()
        results, wall = asyncio.run(run_load(base, sessions, args.ramp, args.timeout, args.hold, args.page, args.query))
        if viewers is not None:
            viewers.join(timeout=args.ramp + args.timeout * min(args.browsers, 50) + 60)
        cpu1 = _cpu_seconds(pids) if pids else None
        if cpu0 is not None and cpu1 is not None:
            emit("load.server_cpu_s_per_session", (cpu1 - cpu0) / sessions, "s", sessions, processes=len(pids))
    finally:
        if proc is not None:
            rss = _peak_rss_of(proc.pid)
            stop_process(proc)
            if rss:
                emit("load.server_peak_rss_mb", rss, "MB", sessions)
    ok = [r for r in results if not isinstance(r, Exception)]
    errors = [r for r in results if isinstance(r, Exception)]
    kinds: dict[str, int] = {}
    for e in errors:
        key = f"{type(e).__name__}: {e}"[:120]
        kinds[key] = kinds.get(key, 0) + 1
    for key, n in sorted(kinds.items(), key=lambda kv: -kv[1])[:5]:
        note(f"error x{n}: {key}")
    charts = [r["first_chart"] for r in ok]
    emit("load.first_chart_p50_ms", percentile(charts, 50), "ms", sessions)
    emit("load.first_chart_p95_ms", percentile(charts, 95), "ms", sessions)
    emit("load.first_delta_p95_ms", percentile([r["first_delta"] for r in ok], 95), "ms", sessions)
    finished = [r["finished"] for r in ok if r["finished"] is not None]
    emit("load.script_finished_p95_ms", percentile(finished, 95), "ms", sessions)
    emit("load.incomplete", len(ok) - len(finished), "count", sessions, note="chart shown, page not finished in time")
    emit("load.errors", len(errors), "count", sessions)
    emit("load.wall_s", wall, "s", sessions, ramp_s=args.ramp)
    if args.browsers > 0:
        painted = [r["painted_ms"] for r in seen if isinstance(r, dict)]
        failed = [r for r in seen if not isinstance(r, dict)] + [None] * max(0, min(args.browsers, 50) - len(seen))
        for e in failed[:3]:
            note(f"browser viewer failed: {e or 'did not finish in time'}")
        n = min(args.browsers, 50)
        emit("load.browsers.first_chart_painted_p50_ms", percentile(painted, 50), "ms", n, protocol_sessions=sessions)
        emit("load.browsers.first_chart_painted_p95_ms", percentile(painted, 95), "ms", n, protocol_sessions=sessions,
             budget_ms=2500)
        emit("load.browsers.errors", len(failed), "count", n)
    return 0
