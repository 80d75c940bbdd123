"""`python -m bench soak --sessions 50 --minutes 30 [--url http://127.0.0.1:PORT] [--server-pid PID …]`.

Memory soak of the server under steady real traffic. Up to --sessions concurrent viewers cycle for --minutes
(or --seconds): each viewer does what bench/load.py's viewer does on the wire (GET the page, keeping cookies;
websocket /_stcore/stream with subprotocol "streamlit"; BackMsg `rerun_script`; ForwardMsgs until
`script_finished`), then *navigates* inside the same websocket session: further `rerun_script` BackMsgs whose
ClientState carries another `page_name` / `query_string` (as the browser does on a page switch), with
--think seconds between pages, and disconnects after --pages pages; a new viewer replaces it at once.
Error = failed GET/handshake, an exception element, a compile error, or a page not finished within --timeout
(the viewer then disconnects and is replaced).

The server's RSS (VmRSS from /proc/<pid>/status, summed over the server pids) is sampled every ~10 s.
Warm-up = the later of max(10 % of the run, min(60 s, half the run)) and "steady state": the first generation
of --sessions viewers has disconnected and Streamlit's store of disconnected sessions (kept for
`server.disconnectedSessionTTL`, 120 s, up to 128 sessions) has filled, i.e. first generation + TTL; capped at
half the run. Growth compares the median of the last 3 samples (taken while traffic is still running) with the
median of the first 3 samples after warm-up; `soak.rss_growth_from_first_pct` is the same end against the first
samples after the plain 10 % warm-up, so nothing is hidden.
`soak.rss_growth_2nd_half_pct` compares the same end with the first 3 samples after half time (warm-up vs a
steady leak); all samples go to .cache/bench/soak-samples.csv.
Every loop is bounded by count and by time; only loopback targets are accepted.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from urllib.parse import urlparse

from bench.common import emit, free_port, note, stop_process
from bench.load import SessionError, _http_get, forward_msgs, loopback_base, start_server
from workforce import ROOT

# (url path, query string): the default page plus a few pages/filters a seminar viewer switches through.
ROUTES = [
    ("", ""),
    ("regions", "country=HU"),
    ("forecast", ""),
    ("training", "country=FI"),
    ("", "country=DE"),
    ("partnerships", ""),
]
MAX_SESSIONS_PER_WORKER = 100_000  # hard count bound next to the time bound


def rss_mb(pids: list[int]) -> float | None:
    """Sum of VmRSS of the given processes in MB (None if any is gone)."""
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/status") as fh:
                kb = next((int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")), None)
            if kb is None:
                return None
            total += kb
    except OSError:
        return None
    return total / 1024


async def _run_page(ws, path: str, query: str, timeout: float) -> float:
    """Send one rerun_script for (path, query) and read until the run really finished; returns ms."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    exceptions = 0
    async for kind, fwd, now in forward_msgs(ws, path, query, t0 + timeout, t0):
        if kind == "delta" and fwd.delta.HasField("new_element"):
            if fwd.delta.new_element.WhichOneof("type") == "exception":
                exceptions += 1
        elif kind == "script_finished":
            if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the app asked for a rerun (e.g. query-param sync): wait for that run
            if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise SessionError("script compile error")
            if exceptions:
                raise SessionError(f"{exceptions} exception element(s) on /{path}")
            return now
    raise SessionError(f"/{path}?{query} not finished within {timeout:.0f} s")


async def one_viewer(base: str, routes: list[tuple[str, str]], timeout: float, think: float, stats: dict) -> None:
    """One browser session: GET the first page, open the websocket, visit `routes` in order, disconnect."""
    from websockets.asyncio.client import connect

    u = urlparse(base)
    first_path, first_query = routes[0]
    status, cookies = await _http_get(u.hostname, u.port, "/" + first_path + (f"?{first_query}" if first_query else ""),
                                      timeout)
    if status != 200:
        raise SessionError(f"GET returned {status}")
    headers = {"Cookie": "; ".join(cookies)} if cookies else {}
    async with connect(f"ws://{u.hostname}:{u.port}/_stcore/stream", subprotocols=["streamlit"],
                       additional_headers=headers, max_size=None, open_timeout=timeout, proxy=None,
                       ping_interval=None) as ws:
        for i, (path, query) in enumerate(routes):
            if i:
                await asyncio.sleep(think)
            await _run_page(ws, path, query, timeout)
            stats["page_runs"] += 1


async def soak(base: str, sessions: int, duration: float, pages: int, think: float, timeout: float,
               pids: list[int], sample_every: float, warmup: float, seed: int) -> dict:
    stats = {"sessions_total": 0, "errors": 0, "page_runs": 0, "samples": [], "kinds": {}}
    t_start = time.monotonic()
    t_end = t_start + duration
    rng = random.Random(seed)

    async def worker(w: int) -> None:
        await asyncio.sleep(min(sample_every, 10.0) * w / max(sessions, 1))  # spread the first arrivals
        for _ in range(MAX_SESSIONS_PER_WORKER):
            if time.monotonic() >= t_end:
                return
            start = rng.randrange(len(ROUTES))
            routes = [ROUTES[(start + k) % len(ROUTES)] for k in range(pages)]
            try:
                await asyncio.wait_for(one_viewer(base, routes, timeout, think, stats),
                                       pages * (timeout + think) + 10)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                stats["errors"] += 1
                key = f"{type(exc).__name__}: {exc}"[:120]
                stats["kinds"][key] = stats["kinds"].get(key, 0) + 1
                await asyncio.sleep(1.0)  # do not hammer a failing server
            stats["sessions_total"] += 1
            if stats["sessions_total"] == sessions:
                stats["first_generation_s"] = time.monotonic() - t_start

    async def sampler() -> None:
        n_max = int(duration / sample_every) + 2
        for _ in range(n_max):
            now = time.monotonic()
            if now >= t_end:
                break
            rss = rss_mb(pids)
            if rss is not None:
                stats["samples"].append((now - t_start, rss))
                if len(stats["samples"]) % 6 == 1:
                    note(f"soak t={now - t_start:5.0f}s rss={rss:.1f} MB sessions={stats['sessions_total']} "
                         f"pages={stats['page_runs']} errors={stats['errors']}")
            await asyncio.sleep(min(sample_every, max(0.0, t_end - time.monotonic())))
        rss = rss_mb(pids)  # one last sample at the end, traffic still running
        if rss is not None:
            stats["samples"].append((time.monotonic() - t_start, rss))

    workers = [asyncio.create_task(worker(i)) for i in range(sessions)]
    await sampler()
    # traffic stops: give in-flight viewers a bounded grace period, then cancel them
    done, pending = await asyncio.wait(workers, timeout=min(timeout, 30.0))
    for task in pending:
        task.cancel()
    if pending:
        await asyncio.wait(pending, timeout=10)
    stats["wall_s"] = time.monotonic() - t_start
    await asyncio.sleep(min(5.0, sample_every))  # sessions closed: how much the server gives back
    stats["rss_after_close_mb"] = rss_mb(pids)
    return stats


def session_ttl() -> float:
    """Streamlit's `server.disconnectedSessionTTL` (seconds a disconnected session is kept for a reconnect)."""
    try:
        from streamlit import config

        return float(config.get_option("server.disconnectedSessionTTL"))
    except Exception:  # noqa: BLE001 - an unknown option in another Streamlit version: its default
        return 120.0


def add_arguments(parser) -> None:
    parser.add_argument("--sessions", type=int, default=50, help="concurrent viewers (max 500)")
    parser.add_argument("--minutes", type=float, default=30.0, help="soak duration in minutes")
    parser.add_argument("--seconds", type=float, help="soak duration in seconds (overrides --minutes)")
    parser.add_argument("--url", help="base URL of a running app on 127.0.0.1 (default: start one)")
    parser.add_argument("--server-pid", type=int, action="append", default=[],
                        help="pid of a server process behind --url (repeatable; RSS is summed)")
    parser.add_argument("--pages", type=int, default=4, help="pages each viewer visits before disconnecting")
    parser.add_argument("--think", type=float, default=3.0, help="seconds between page switches")
    parser.add_argument("--timeout", type=float, default=120.0, help="per-page limit in seconds")
    parser.add_argument("--sample-every", type=float, default=10.0, help="RSS sampling interval in seconds")
    parser.add_argument("--seed", type=int, default=0, help="seed of the route order")


def run(args) -> int:
    sessions = max(1, min(args.sessions, 500))
    duration = args.seconds if args.seconds is not None else args.minutes * 60
    duration = max(1.0, min(duration, 6 * 3600))
    sample_every = max(0.5, min(args.sample_every, duration / 6))
    warmup = max(0.10 * duration, min(60.0, 0.5 * duration))
    pages = max(1, min(args.pages, 50))
    proc = None
    if args.url:
        base = loopback_base(args.url)
        if base is None:
            note("--url must be http://127.0.0.1:PORT (loopback only)")
            return 2
        pids = args.server_pid
        if not pids:
            note("--url without --server-pid: RSS cannot be sampled")
            return 2
    else:
        port = free_port()
        log = ROOT / ".cache" / "bench" / "soak-server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        proc = start_server(port, log)
        base = f"http://127.0.0.1:{port}"
        pids = [proc.pid]
    try:
        stats = asyncio.run(soak(base, sessions, duration, pages, max(0.0, args.think), args.timeout, pids,
                                 sample_every, warmup, args.seed))
    finally:
        if proc is not None:
            stop_process(proc)
    for key, n in sorted(stats["kinds"].items(), key=lambda kv: -kv[1])[:5]:
        note(f"error x{n}: {key}")
    samples = stats["samples"]
    first_gen = stats.get("first_generation_s")
    steady = min(max(warmup, (first_gen if first_gen is not None else duration) + session_ttl()), 0.5 * duration)

    def growth_after(t0: float) -> tuple[float, float, float]:
        after = [rss for t, rss in samples if t >= t0] or [rss for _, rss in samples[-3:]]
        first = statistics.median(after[:3]) if after else float("nan")
        last = statistics.median(after[-3:]) if after else float("nan")
        return first, last, (last / first - 1) * 100 if after and first else float("nan")

    start_mb, end_mb, growth = growth_after(steady)
    extra = {"duration_s": round(duration, 1), "warmup_s": round(steady, 1), "samples": len(samples),
             "first_generation_s": None if first_gen is None else round(first_gen, 1)}
    mid = [rss for t, rss in samples if t >= duration / 2][:3]
    mid_mb = statistics.median(mid) if mid else float("nan")
    csv = ROOT / ".cache" / "bench" / "soak-samples.csv"
    csv.parent.mkdir(parents=True, exist_ok=True)
    csv.write_text("t_s,rss_mb\n" + "".join(f"{t:.1f},{rss:.1f}\n" for t, rss in samples))
    note(f"RSS samples written to {csv.relative_to(ROOT)}")
    emit("soak.rss_start_mb", start_mb, "MB", sessions, **extra)
    emit("soak.rss_end_mb", end_mb, "MB", sessions, **extra)
    emit("soak.rss_growth_pct", growth, "%", sessions, budget="< 10", **extra)
    emit("soak.rss_growth_from_first_pct", growth_after(warmup)[2], "%", sessions, warmup_s=round(warmup, 1),
         note="end vs the first samples after the plain 10 % warm-up (disconnected-session store still filling)")
    emit("soak.rss_growth_2nd_half_pct", (end_mb / mid_mb - 1) * 100 if mid and mid_mb else float("nan"), "%",
         sessions, note="end vs the first 3 samples after half time: separates warm-up from a steady leak")
    emit("soak.rss_max_mb", max((rss for _, rss in samples), default=float("nan")), "MB", sessions)
    emit("soak.rss_after_close_mb", stats["rss_after_close_mb"] if stats["rss_after_close_mb"] else float("nan"),
         "MB", sessions, note="5 s after all viewers disconnected")
    emit("soak.sessions_total", stats["sessions_total"], "count", sessions)
    emit("soak.page_runs", stats["page_runs"], "count", sessions, pages_per_session=pages, think_s=args.think)
    emit("soak.errors", stats["errors"], "count", sessions)
    emit("soak.wall_s", stats["wall_s"], "s", sessions)
    return 0
