"""`python -m bench cold --runs 3`: a new server process → its first script run done (issue 19, cold server).

Each run starts a new `streamlit run` process (production-like flags, as `bench browser` does), waits for
`/_stcore/health`, then opens one session over the real wire protocol (GET /, websocket, `rerun_script`, as
`bench load` does) and waits for `script_finished`. The floor (`bench/floor_app.py`, a bare page with one
Plotly chart) and the atlas alternate, so both see the same background load. Figures (p50/p95 over --runs):

- `cold.<floor|atlas>.new_process_to_first_script_run_done_ms`: process start → first script run finished.
- `cold.<floor|atlas>.first_script_run_done_ms`: the new process's first script run alone (websocket request →
  `script_finished`, through a rerun the app asks for itself; the server was already healthy). Budget for the
  atlas: < 1.5 s.
- `cold.<floor|atlas>.first_chart_message_ms`: same start point → the first chart element sent (`plotly_chart` or
  a live chart with its figure, `bench.common.is_chart`; pages with a chart only).
- `cold.<floor|atlas>.server_healthy_ms`: process start → health check ok (Streamlit's own start-up).

Nothing is painted here (no browser): `bench browser` has the painted figure
(`browser.<label>.new_process_to_first_chart_painted_ms`). Loopback only.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import emit, is_chart, note, percentile
from workforce import ROOT

SCRIPTS = (("floor", ROOT / "bench" / "floor_app.py"), ("atlas", ROOT / "app.py"))


def add_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="new processes per app (default 3)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds for the first script run")
    parser.add_argument("--page", default="/", help="the atlas page the first viewer opens (default /); figures "
                        "for another page are named cold.atlas.<page>.…")


async def first_run(base: str, path: str, timeout: float) -> dict:
    """One viewer over the real wire protocol (`bench.load`): GET, websocket, `rerun_script`; ms since the GET of
    the GET's end, the first chart element (`is_chart`) and the end of the run (a run the app ends early to rerun
    itself, e.g. to sync query parameters, continues into the next one)."""
    from urllib.parse import urlparse

    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    from bench.load import SessionError, _http_get, forward_msgs

    u = urlparse(base)
    t0 = time.perf_counter()
    status, cookies = await _http_get(u.hostname, u.port, "/" + path, timeout)
    if status != 200:
        raise SessionError(f"GET /{path} returned {status}")
    out = {"http": (time.perf_counter() - t0) * 1000, "first_chart": None, "finished": None, "reruns": 0}
    headers = {"Cookie": "; ".join(cookies)} if cookies else {}
    async with connect(f"ws://{u.hostname}:{u.port}/_stcore/stream", subprotocols=["streamlit"],
                       additional_headers=headers, max_size=None, open_timeout=timeout, proxy=None,
                       ping_interval=None) as ws:
        async for kind, fwd, now in forward_msgs(ws, path, "", t0 + timeout, t0):
            if kind == "delta" and fwd.delta.HasField("new_element"):
                element = fwd.delta.new_element.WhichOneof("type")
                if element == "exception":
                    raise SessionError(f"exception element on /{path}")
                if out["first_chart"] is None and is_chart(fwd.delta.new_element):
                    out["first_chart"] = now
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    out["reruns"] += 1
                    continue
                out["finished"] = now
                break
    if out["finished"] is None:
        raise SessionError(f"/{path}: no finished run within {timeout:.0f} s")
    return out


def one(script, timeout: float, path: str = "") -> dict:
    """Start a new server for `script`, run one session of page `path` to `script_finished`; stop the server."""
    from bench.browser import start
    from bench.common import free_port, stop_process

    port = free_port()
    t0 = time.perf_counter()
    proc, healthy_s = start(script, port)
    try:
        t_session = time.perf_counter()
        out = asyncio.run(first_run(f"http://127.0.0.1:{port}", path, timeout))
        done = time.perf_counter()
    finally:
        stop_process(proc)
    offset = (t_session - t0) * 1000
    rec = {"new_process_to_first_script_run_done_ms": (done - t0) * 1000,
           "first_script_run_done_ms": out["finished"] - out["http"],
           "server_healthy_ms": healthy_s * 1000}
    if out["first_chart"] is not None:  # pages without a chart (/sources, /explorer) have no such figure
        rec["first_chart_message_ms"] = offset + out["first_chart"]
    return rec


def run(args) -> int:
    (ROOT / ".cache").mkdir(exist_ok=True)
    page = args.page.strip("/")
    atlas_label = f"atlas.{page}" if page else "atlas"
    scripts = [("floor", SCRIPTS[0][1], ""), (atlas_label, SCRIPTS[1][1], page)]
    series: dict[str, dict[str, list[float]]] = {label: {} for label, _, _ in scripts}
    for i in range(max(1, args.runs)):
        for label, script, path in scripts:
            try:
                rec = one(script, args.timeout, path)
            except Exception as exc:  # noqa: BLE001 - a failed run is reported, the others still count
                note(f"{label} run {i + 1}: {type(exc).__name__}: {str(exc)[:200]}")
                continue
            for key, value in rec.items():
                series[label].setdefault(key, []).append(value)
    for label, figures in series.items():
        for key, values in figures.items():
            emit(f"cold.{label}.{key}.p50", percentile(values, 50), "ms", len(values),
                 p95=round(percentile(values, 95), 1), values=[round(v) for v in values])
    atlas, floor = series[atlas_label], series["floor"]
    key = "new_process_to_first_script_run_done_ms"
    if atlas.get(key) and floor.get(key):
        emit(f"cold.{atlas_label}_minus_floor.new_process_to_first_script_run_done_ms",
             percentile(atlas[key], 50) - percentile(floor[key], 50), "ms", None)
    return 0
