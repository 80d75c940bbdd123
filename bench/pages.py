"""`python -m bench pages [--page overview] [--repeat 5]`: every page's rerun with AppTest (cold = Streamlit
caches cleared, warm = repeated reruns), the Europe NUTS-2 choropleth size, peak RSS.

AppTest runs the script in-process without a browser, so a "first chart" time here is the full script run
(an upper bound for the moment the first chart element is produced; it excludes network and browser render).
"""

from __future__ import annotations

import gzip
import json
import time

import plotly.io as pio

from bench.common import emit, figure_specs, note, peak_rss_mb, percentile, run_optional
from workforce import ROOT

TIMEOUT = 60


def page_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.startswith("_"))


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _app(page: str):
    """An AppTest on `page` after one run of the default page (switch_page needs a first run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    return at


def _run_ms(at) -> float:
    t0 = time.perf_counter()
    at.run()
    ms = (time.perf_counter() - t0) * 1000
    if at.exception:
        e = at.exception[0]
        where = [ln.strip() for ln in (e.stack_trace or [])][-2:]
        raise RuntimeError(f"{e.message[:120]} at {' | '.join(where)}"[:400])
    return ms


def bench_page(page: str, repeat: int) -> None:
    at = _app(page)
    try:
        if page == "overview":
            _clear_caches()
            cold = _run_ms(at)
        else:
            at.run()
            _clear_caches()
            at.switch_page(f"pages/{page}.py")
            cold = _run_ms(at)
        charts = len(figure_specs(at))
        emit(f"page.{page}.cold_first_chart_ms", cold, "ms", None, charts=charts)
        warm = [_run_ms(at) for _ in range(repeat)]
        emit(f"page.{page}.rerun_warm_ms", percentile(warm, 50), "ms", None, p95=round(percentile(warm, 95), 3))
    except Exception as exc:  # one broken page must not hide the others
        emit(f"page.{page}.error", f"{type(exc).__name__}: {exc}"[:300], "text")


def explorer_warm(repeat: int) -> None:
    """/explorer rerun without a query, warm: the sandbox schema is cached, so no catalog copy (budget 100 ms)."""
    at = _app("explorer")
    try:
        at.run()
        at.switch_page("pages/explorer.py")
        at.run()
        warm = [_run_ms(at) for _ in range(repeat)]
        emit("page.explorer.rerun_warm_no_query_ms", percentile(warm, 50), "ms", None,
             p95=round(percentile(warm, 95), 3), budget_ms=100)
    except Exception as exc:  # noqa: BLE001 - reported as a figure, like bench_page
        emit("page.explorer.error", f"{type(exc).__name__}: {exc}"[:300], "text")


def forecast_what_if(repeat: int) -> None:
    """/forecast rerun after a what-if change (the "slider move"): every run sets jobs per GWh to a value not
    seen before, so the model runs (no cache hit) — the worst case of a move; moving back is a cache hit."""
    try:
        at = _app("forecast")
        at.run()
        at.switch_page("pages/forecast.py")
        at.run()
        times = []
        for i in range(max(1, repeat)):
            at.number_input(key="wi_jpg").set_value(61.0 + 5 * i)
            times.append(_run_ms(at))
        emit("page.forecast.rerun_after_what_if_ms", percentile(times, 50), "ms", None,
             p95=round(percentile(times, 95), 3), note="new value each run: model recomputed, not cached")
    except Exception as exc:
        emit("page.forecast.what_if_error", f"{type(exc).__name__}: {exc}"[:300], "text")


def map_figure() -> None:
    """The Europe NUTS-2 map as shipped: the plotly spec that /regions (default view: Europe, level 2) sends
    to the browser, plus the bare choropleth of region_summary built as charts.choropleth does."""
    from streamlit.testing.v1 import AppTest

    from workforce import charts, db, ui

    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.query_params["level"] = "2"
        at.run()
        at.switch_page("pages/regions.py")
        at.run()
        specs = figure_specs(at)
        if not specs:
            raise RuntimeError("no plotly chart on /regions")
        spec = max(specs, key=len)
        emit("map.nuts2.figure_bytes", len(spec.encode()), "bytes", None,
             gzip_bytes=len(gzip.compress(spec.encode(), 6)), source="/regions map figure (live chart)")
        shapes = sorted({t["geojson"] for t in json.loads(spec)["data"] if isinstance(t.get("geojson"), str)})
        for url in shapes:  # the region shapes the figure names by URL: fetched once per page (live_chart.py)
            body = (ROOT / url.replace("app/", "", 1)).read_bytes()
            emit("map.nuts2.shapes_file_bytes", len(body), "bytes", None, gzip_bytes=len(gzip.compress(body, 6)),
                 path=url)
    except Exception as exc:
        emit("map.nuts2.error", f"{type(exc).__name__}: {exc}"[:300], "text")
    con = db.build_catalog()
    summary = db.execute(con, "region_summary", {"level": 2, "country": None})
    con.close()
    shapes = ui.geometry_for(2, summary["nuts_id"].tolist())
    fig = charts.choropleth(shapes, summary, "sites", "Sites", None)
    spec = fig.to_json()
    emit("map.nuts2.choropleth_only_bytes", len(spec.encode()), "bytes", len(summary),
         gzip_bytes=len(gzip.compress(spec.encode(), 6)), features=len(shapes["features"]),
         geojson_bytes=len(pio.to_json(shapes, validate=False)), traces=len(fig.data))


def add_arguments(parser) -> None:
    parser.add_argument("--skip-optional", action="store_true", help="do not run bench/present.py")
    parser.add_argument("--page", action="append", help="only this page (repeatable), e.g. --page overview")
    parser.add_argument("--repeat", type=int, default=5, help="warm reruns per page")


def run(args) -> int:
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    pages = args.page or page_names()
    unknown = sorted(set(pages) - set(page_names()))
    if unknown:
        note(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(page_names())}")
        return 2
    # the very first run in a fresh process: imports + catalog build + geometry, what a new replica pays once
    t0 = time.perf_counter()
    first = _app("overview")
    first.run()
    emit("page.process_first_run_ms", (time.perf_counter() - t0) * 1000, "ms", None,
         note="first AppTest run in the bench process (pandas etc. already imported by bench modules); "
              "a new server process: python -m bench cold")
    for page in pages:
        bench_page(page, max(1, args.repeat))
    if "forecast" in pages:
        forecast_what_if(max(1, args.repeat))
    if "explorer" in pages:
        explorer_warm(max(1, args.repeat))
    map_figure()
    if not args.skip_optional:
        run_optional("present")
    emit("rss.peak_mb", peak_rss_mb(), "MB", None)
    return 0
