"""`python -m bench sandbox`: what one hostile explorer query costs the serving machine.

Runs each hostile query (huge strings, long loops) through `db.run_user_sql` — i.e. in the OS-limited worker
process — and reports its wall time and the worker's peak RSS (RUSAGE_CHILDREN), the serving process's own
peak RSS growth, and other viewers' query times (a page-shaped catalog query, in a thread) while it runs,
against the same figure at idle. Figures are named for what they measure; no figure is asserted by tests.
"""

from __future__ import annotations

import resource
import threading
import time

from bench.common import emit, note, peak_rss_mb, percentile
from workforce import db

HOSTILE = {
    "repeat_huge": "select repeat('x', 100000000) from range(100)",
    "string_agg_over_range": "select string_agg(repeat('x', 1000000), '') from range(3000)",
    "lpad_huge": "select lpad('a', 2000000000, 'b')",
    "cross_join_loop": "select count(*) from range(1000000000) a, range(100000) b",
}
VIEWER_QUERY = ("region_summary", {"level": 2, "country": None})


def add_arguments(parser) -> None:
    parser.add_argument("--timeout", type=float, default=10.0, help="explorer timeout in seconds (default 10)")
    parser.add_argument("--viewer-runs", type=int, default=30, help="viewer queries per measurement")


def _viewer_times(n: int, stop: threading.Event | None = None) -> list[float]:
    name, params = VIEWER_QUERY
    out = []
    for _ in range(n):
        if stop is not None and stop.is_set():
            break
        con = db.catalog()
        t0 = time.perf_counter()
        db.execute(con, name, params)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def run(args) -> int:
    db.sandbox_catalog_file()  # set-up outside the figures
    idle = _viewer_times(args.viewer_runs)
    emit("sandbox.viewer_query_idle_p95_ms", percentile(idle, 95), "ms", None, query=VIEWER_QUERY[0])
    rss_before = peak_rss_mb()
    for name, sql in HOSTILE.items():
        result: dict = {}

        def hostile(sql=sql, result=result):
            t0 = time.perf_counter()
            try:
                db.run_user_sql(sql, timeout_s=args.timeout)
                result["outcome"] = "ran"
            except db.SandboxError as exc:
                result["outcome"] = str(exc)
            result["wall_s"] = time.perf_counter() - t0

        worker = threading.Thread(target=hostile)
        worker.start()
        time.sleep(0.3)  # the worker process is up and running the query
        during = []
        while worker.is_alive():
            during += _viewer_times(5)
        worker.join()
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        note(f"{name}: {result.get('outcome')}")
        emit(f"sandbox.hostile.{name}.wall_s", result.get("wall_s"), "s", None, outcome=result.get("outcome"),
             timeout_s=args.timeout)
        emit(f"sandbox.hostile.{name}.worker_peak_rss_mb_max_so_far", child_peak, "MB", None)
        if during:
            p95 = percentile(during, 95)
            emit(f"sandbox.hostile.{name}.viewer_query_p95_ms", p95, "ms", len(during),
                 ratio_to_idle=round(p95 / max(percentile(idle, 95), 1e-6), 2))
    emit("sandbox.serving_process_peak_rss_growth_mb", peak_rss_mb() - rss_before, "MB", None)
    return 0
