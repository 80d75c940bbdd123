"""The Streamlit server process this UI runs in (issue 19): socket settings Streamlit leaves out, and a warm-up.

**TCP_NODELAY.** Streamlit 1.67 (uvicorn) listens on a socket made with `socket.socket(family)`, whose protocol
number is 0, and asyncio turns Nagle's algorithm off only for sockets whose protocol is `IPPROTO_TCP`. So every
response written in two parts (headers, then body; a websocket frame after another) waits for the browser's delayed
ACK: ≈ 40 ms per request on a kept-alive connection. A first visit fetches ~60–140 of Streamlit's JavaScript chunks
over six such connections, so plotly.js queued ≈ 0.3–0.5 s behind them on /training and /forecast
(docs/PERFORMANCE.md, "Seventh cut"). `tcp_nodelay` sets TCP_NODELAY on the process's TCP sockets: the listening
socket (Linux copies it to every connection accepted later) and the connections already open.

**Warm-up.** A page's first run in a process builds its data and figures (model percentiles, the map's figure:
0.1–0.3 s on /forecast, /training, /regions), and every later viewer reuses them from Streamlit's caches. After the
process's first page run, `warm_up` lets a headless visitor open every chart page once, with the default filters,
over the server's own websocket exactly as a browser does (BackMsg `rerun_script`, then ForwardMsgs until the run
is finished): the first *person* on each page finds it built. Nothing is duplicated: it runs the real page scripts.
/regions is then visited at every other year of the slider (a year's forecast percentiles and map: ≈ 0.35 s the
first time, 0.04 s after), so a year change on its default view is a cached rerun, with every other metric
(a metric's map: ≈ 0.2 s the first time, 0.04 s after), with every other choice of map layers (≈ 0.25 s the
first time) and zoomed on every country of the country filter (a country's table and map: ≈ 0.3 s the first
time, 0.05 s after): 68 visits, ≈ 2.5 min on a quiet box. Once Streamlit has dropped the warm-up's own
sessions, the objects left (≈ 480 000: what every page cached) are frozen out of the cyclic garbage collector's
reach (`freeze_heap`): a full collection then takes ≈ 0.07 s instead of ≈ 0.35 s.
It waits `delay` seconds first, visits one page after another, and before each page waits until the process has
been idle for 2 s (`quiet`): a burst of viewers right after a start goes first (measured with 200 viewers,
docs/PERFORMANCE.md). Off under AppTest and with `WORKFORCE_WARMUP=0`.

**Where the server is.** Opened at a page's URL (`/regions`), Streamlit's front end does not know whether `/regions`
is a page or the app's base path, so it asks `/regions/_stcore/health` first, gets a 404, waits 100 ms and asks
`/_stcore/health`: the websocket opened ≈ 0.12 s later on every page but the home page (docs/PERFORMANCE.md,
"Thirteenth cut"). Streamlit serves its index.html for a page's URL; `base_url_hint` gives it a copy whose <head>
ends with a script that tells the front end the base (`window.__streamlit.BACKEND_BASE_URL`, Streamlit's setting for hosts that
embed it) when the URL's last segment is one of the app's pages. The home page (`/`) is served as it was.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from streamlit.logger import get_logger  # Streamlit's handler and level: the warm-up's line is in the server log

log = get_logger(__name__)

_done = False


def tcp_nodelay(fd_dir: Path = Path("/proc/self/fd")) -> int:
    """Turn Nagle's algorithm off on every TCP socket of this process (once per process; Linux `/proc` only,
    elsewhere nothing happens). Returns how many sockets were set."""
    global _done
    if _done or not hasattr(socket, "TCP_NODELAY") or not fd_dir.is_dir():
        return 0
    _done = True
    count = 0
    for entry in fd_dir.iterdir():
        try:
            if not os.readlink(entry).startswith("socket:"):
                continue
            sock = socket.socket(fileno=os.dup(int(entry.name)))  # a second descriptor of the same socket
        except (OSError, ValueError):
            continue  # closed meanwhile, or not a socket Python can wrap
        try:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                count += 1
        except OSError:
            pass
        finally:
            sock.close()  # closes the duplicate only
    log.debug("TCP_NODELAY set on %d sockets", count)
    return count


_HINT_JS = ("(function(){try{var m=location.pathname.replace(/\\/+$/,'')"
            ".match(new RegExp('^(.*)/(?:'+%s.join('|')+')$','i'));if(!m)return;var s=window.__streamlit||{};if(s.BACKEND_BASE_URL)return;"
            "window.__streamlit=Object.assign({},s,{BACKEND_BASE_URL:location.origin+m[1]+'/'});}catch(e){}})();")
_hinted = False
_hint_lock = threading.Lock()


def hint_script(pages: list[str]) -> str:
    """The `<script>` that tells Streamlit's front end where the server is when a page's URL is opened: the URL
    without its last segment, if that segment is one of `pages` (url paths, matched regardless of case; a name
    with other characters than letters, digits, "_" and "-" is left out), else nothing; never over a base a host
    has set itself."""
    names = [re.escape(p) for p in pages if re.fullmatch(r"[A-Za-z0-9_-]+", p)]
    literal = json.dumps(names).replace("<", "\\u003c")  # nothing can close the script early
    return "<script>" + _HINT_JS % literal + "</script>"


def with_hint(index_html: str, pages: list[str]) -> str | None:
    """Streamlit's index.html with `hint_script` at the end of its <head> (a classic script runs as it is parsed,
    Streamlit's module scripts after the document); None if it has no </head> (another Streamlit: nothing is
    changed)."""
    match = re.search(r"</head\s*>", index_html, flags=re.IGNORECASE)
    if match is None or not pages:
        return None
    return index_html[:match.start()] + hint_script(pages) + index_html[match.start():]


def _server_objects() -> tuple[list, list]:
    """(the Starlette apps, the objects that serve Streamlit's front end: starlette's StaticFiles subclass of
    Streamlit 1.67's starlette_static_routes) of this process, found by their classes in one walk over the
    garbage collector's objects (≈ 12–20 ms in a new process; Streamlit keeps no reference to them a script can
    reach). Asked for again after either of them is seen: `base_url_hint` and `cache_app_static` share one walk."""
    import gc

    from starlette.applications import Starlette
    from starlette.staticfiles import StaticFiles

    with _hint_lock:
        if _found:
            return _found[0]
        static = [cls for cls in StaticFiles.__subclasses__()
                  if cls.__name__ == "_StreamlitStaticFiles" and cls.__module__.startswith("streamlit.")]
        referrers = gc.get_referrers(Starlette, *static)
        apps = [obj for obj in referrers if isinstance(obj, Starlette)]
        files = [obj for obj in referrers if static and isinstance(obj, tuple(static))
                 and isinstance(getattr(obj, "_index_path", None), str)]
        if apps or files:
            _found.append((apps, files))
        return apps, files


_found: list = []


def _streamlit_static_files() -> list:
    """The objects that serve Streamlit's front end (`_server_objects`)."""
    return _server_objects()[1]


def base_url_hint(pages: list[str]) -> int:
    """Once per process: serve index.html for a page's URL with `hint_script` (see the module's docstring).
    Returns how many of Streamlit's static file handlers now serve it (0: not under a server, under AppTest, or
    a Streamlit this does not know; the front end then finds the server as before)."""
    global _hinted
    with _hint_lock:  # two sessions' first runs at once: one of them does it
        if _hinted or in_apptest():
            return 0
        _hinted = True
    count, folder = 0, None
    for files in _streamlit_static_files():
        try:
            html = with_hint(Path(files._index_path).read_text(encoding="utf-8"), pages)
            if html is None:
                continue
            if folder is None:  # private to this process (0700), removed at its exit
                folder = Path(tempfile.mkdtemp(prefix="atlas-index-"))
                atexit.register(shutil.rmtree, folder, True)
            path = folder / f"index-{count}.html"
            path.write_text(html, encoding="utf-8")
            files._index_path = str(path)
            count += 1
        except OSError as exc:
            log.info("base URL hint not served: %s", exc)
    log.debug("base URL hint served by %d static file handlers", count)
    return count


# The files of app/static/ that workforce/ui/live_chart.py names by their content or by plotly.js's version:
# `plotly-<version>.min.js`, `plotly-<bundle>-<version>-<digest>.min.js`, `nuts-l<level>-<digest>.json`,
# `nuts-l0-europe-<digest>.json`. A new build or new shapes get a new name, so these may be cached for good.
IMMUTABLE_NAME = re.compile(r"plotly-(?:[a-z]+-)?\d+(?:\.\d+){1,3}(?:-[0-9a-f]{12})?\.min\.js"
                            r"|nuts-l[0-9]-(?:europe-)?[0-9a-f]{16}\.json")
CACHE_FOREVER = "public, max-age=31536000, immutable"  # as deploy/static_www.sh's nginx locations
MAX_CACHED_BYTES = 64 * 1024 * 1024  # a file larger than this is left to Streamlit's handler


class CachedAppStatic:
    """ASGI app in front of Streamlit's app/static/ route (issue 19). Streamlit 1.67 serves that folder with a
    `FileResponse` of no Cache-Control that never answers 304, through a gzip middleware that compresses the body
    on every request: a browser kept the live charts' plotly.js only by its heuristic (a tenth of the file's age),
    so a returning visitor soon after a deploy downloaded it again (≈ 1.1 MB compressed) and every first visit had
    the server compress ≈ 3.7 MB (73 ms of CPU at level 5).

    For the names IMMUTABLE_NAME matches (GET/HEAD), this answers with `Cache-Control: public, max-age=31536000,
    immutable` and a strong ETag of the content; `If-None-Match` with that ETag gets a 304; a client that accepts
    gzip gets the file compressed once per process (level 6, kept in memory, made in a worker thread); one that
    does not gets Streamlit's own response with the Cache-Control added. Every other request, a missing file or
    an unreadable one is Streamlit's as before (its 404s, its path checks)."""

    def __init__(self, app, folder: Path):
        self.app = app
        self.folder = Path(folder)
        self._files: dict[str, tuple[tuple[int, int], str, bytes]] = {}  # name -> ((mtime_ns, size), etag, gzip)
        self._lock = threading.Lock()
        self._making: dict[str, threading.Lock] = {}  # name -> held while that file is read and compressed

    def entry(self, name: str) -> tuple[str, bytes] | None:
        """(ETag, gzip body) of the file `name` in the folder, made once per content (by size and mtime): the
        first visitors of a new process asking for a file at the same moment wait for one compression instead of
        each making their own; None when it cannot be read or is too large."""
        path = self.folder / name
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            known = self._files.get(name)
            making = self._making.setdefault(name, threading.Lock()) if not (known and known[0] == key) else None
        if making is None:
            return known[1], known[2]
        with making:
            with self._lock:
                known = self._files.get(name)
            if known and known[0] == key:  # made by the request this one waited for
                return known[1], known[2]
            return self._make(name, path, key)

    def _make(self, name: str, path: Path, key: tuple[int, int]) -> tuple[str, bytes] | None:
        import gzip
        import hashlib

        try:
            if not path.is_file() or key[1] > MAX_CACHED_BYTES:
                return None
            raw = path.read_bytes()
        except OSError:
            return None
        etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '-gz"'
        body = gzip.compress(raw, compresslevel=6, mtime=0)
        with self._lock:
            self._files[name] = (key, etag, body)
        return etag, body

    async def __call__(self, scope, receive, send) -> None:
        name = scope.get("path_params", {}).get("path", "") if scope.get("type") == "http" else ""
        if scope.get("method") not in ("GET", "HEAD") or not IMMUTABLE_NAME.fullmatch(name or ""):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not accepts_gzip(headers.get("accept-encoding", "")):
            await self.app(scope, receive, _with_header(send, b"cache-control", CACHE_FOREVER.encode()))
            return
        import anyio.to_thread

        found = await anyio.to_thread.run_sync(self.entry, name)
        if found is None:
            await self.app(scope, receive, send)
            return
        etag, body = found
        common = [(b"cache-control", CACHE_FOREVER.encode()), (b"etag", etag.encode()),
                  (b"vary", b"Accept-Encoding"), (b"access-control-allow-origin", b"*"),
                  (b"x-content-type-options", b"nosniff")]
        if etag_matches(headers.get("if-none-match", ""), etag):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        kind = b"text/javascript; charset=utf-8" if name.endswith(".js") else b"application/json"
        await send({"type": "http.response.start", "status": 200, "headers": common + [
            (b"content-type", kind), (b"content-encoding", b"gzip"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else body})


def _with_header(send, name: bytes, value: bytes):
    async def wrapped(message) -> None:
        if message.get("type") == "http.response.start" and message.get("status") == 200:
            message = {**message, "headers": [*message.get("headers", []), (name, value)]}
        await send(message)
    return wrapped


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header admits gzip (by name or `*`, with a q above 0)."""
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            q = params.strip().lower()
            if q.startswith("q="):
                try:
                    if float(q[2:]) <= 0:
                        continue
                except ValueError:
                    continue
            return True
    return False


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for it) or is `*`."""
    tags = [tag.strip() for tag in if_none_match.split(",")]
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)


_cached_static = False


def cache_app_static(folder: Path) -> int:
    """Once per process: put `CachedAppStatic` in front of Streamlit's app/static/ route(s) (found among the
    routes of the Starlette app Streamlit made; a route already wrapped is left alone). Returns how many routes
    it now serves (0: under AppTest, not Streamlit's Starlette server, or a Streamlit this does not know: the files
    are served as before)."""
    global _cached_static
    with _hint_lock:
        if _cached_static or in_apptest():
            return 0
        _cached_static = True
    from starlette.routing import Route

    count = 0
    for app in _server_objects()[0]:
        for route in getattr(app.router, "routes", []):
            endpoint = getattr(route, "endpoint", None)
            if isinstance(route, Route) and "GET" in (route.methods or ()) \
                    and getattr(endpoint, "__name__", "") == "_app_static_endpoint" \
                    and not isinstance(route.app, CachedAppStatic):
                route.app = CachedAppStatic(route.app, folder)
                count += 1
    log.debug("app/static served with Cache-Control by %d routes", count)
    return count


def in_apptest() -> bool:
    """True inside streamlit.testing's AppTest, whose runtime is a MagicMock."""
    from unittest.mock import MagicMock, NonCallableMagicMock

    from streamlit.runtime import Runtime

    return isinstance(getattr(Runtime, "_instance", None), (MagicMock, NonCallableMagicMock))


_warm_lock = threading.Lock()
_warm_started = False


def stream_url() -> str | None:
    """The URL of this server's websocket (`/_stcore/stream`) as this process reaches it: loopback when the server
    listens on every address (or on loopback), else the one address it listens on; None where a headless visitor
    cannot reach it (a Unix socket, TLS, a host name)."""
    import ipaddress

    import streamlit as st

    address = str(st.get_option("server.address") or "")
    if address.startswith("unix:") or st.get_option("server.sslCertFile"):
        return None
    if address in ("", "0.0.0.0", "localhost", "127.0.0.1"):
        host = "127.0.0.1"
    else:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return None
        ip = ipaddress.ip_address("::1") if ip == ipaddress.ip_address("::") else ip
        host = f"[{ip}]" if ip.version == 6 else str(ip)
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"ws://{host}:{int(st.get_option('server.port'))}/{base + '/' if base else ''}_stcore/stream"


def warm_up(pages: list[str], delay: float = 2.0, *, every_year: tuple[str, ...] = (),
            every_metric: tuple[str, ...] = (), every_layers: tuple[str, ...] = (),
            every_country: tuple[str, ...] = ()) -> bool:
    """Once per process: visit `pages` (url paths) in a background thread after `delay` seconds, then each page of
    `every_year` at every other year of the year slider (`year_queries`: the years next to the default first —
    the slider's arrow keys step one year), then each page of `every_metric` with every other map metric
    (`metric_queries`: a metric's first map took ≈ 0.2 s to build, 0.04 s after), then each page of `every_layers`
    with every other choice of map layers (`layer_queries`: the providers layer's first map took ≈ 0.25 s), then
    each page of `every_country` zoomed on every country of the country filter (`country_queries`: a country's
    first view took ≈ 0.3 s to build, 0.05 s after). True if started."""
    global _warm_started
    with _warm_lock:
        if _warm_started:
            return False
        _warm_started = True
    if os.environ.get("WORKFORCE_WARMUP", "1") == "0" or in_apptest():
        return False
    url = stream_url()
    if url is None:
        return False
    variants = ((every_year, year_queries), (every_metric, metric_queries), (every_layers, layer_queries),
                (every_country, country_queries))
    visits = [(page, "") for page in pages] + [(page, query) for targets, queries in variants for page in targets
                                               for query in queries()]
    threading.Thread(target=_warm, args=(url, tuple(visits), delay), name="atlas-warm-up", daemon=True).start()
    return True


def year_queries() -> list[str]:
    """`year=<y>` for every year of the slider but the default, nearest the default first (later before earlier)."""
    from workforce import params

    default = params.Filters().year
    years = sorted((y for y in params.YEARS if y != default), key=lambda y: (abs(y - default), -y))
    return [f"year={y}" for y in years]


def metric_queries() -> list[str]:
    """`metric=<m>` for every metric of /regions' map but the default (the first), in the list's order."""
    from workforce.views import region_table

    return [f"metric={m}" for m in list(region_table.METRICS)[1:]]


def layer_queries() -> list[str]:
    """`layers=<names>` for every choice of /regions' map layers but the default metric's default, most layers first
    (a person adds the providers to the plants first)."""
    from itertools import combinations

    from workforce.views import region_table

    default = region_table.default_layers(list(region_table.METRICS)[0])
    names = region_table.LAYERS
    choices = [list(c) for n in range(len(names), -1, -1) for c in combinations(names, n)]
    return [f"layers={region_table.layers_query(c)}" for c in choices if c != default]


def country_queries() -> list[str]:
    """`country=<code>` for every country of the sidebar's country filter (its query, `countries`: the countries with
    a plant, programme or partnership), in the filter's order."""
    from workforce import db

    return [f"country={code}" for code in db.run("countries")["country"]]


def quiet(limit: float = 120.0, window: float = 2.0, busy: float = 0.05) -> bool:
    """Wait (at most `limit` seconds) until this process used less than `busy` of one core over `window` seconds, i.e.
    it is idle: the warm-up gives way to real visitors (a burst of 200 viewers right after a start took 0.8–1.4 s
    instead of 0.2–0.5 s to their first chart message while the warm-up ran at 30 % of a core). False if the
    process never got idle (then its visitors build the pages themselves)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        cpu0, t0 = time.process_time(), time.monotonic()
        time.sleep(window)
        if (time.process_time() - cpu0) / max(time.monotonic() - t0, 1e-6) < busy:
            return True
    return False


def _warm(url: str, visits: tuple[tuple[str, str], ...], delay: float) -> None:
    time.sleep(delay)
    t0, done = time.perf_counter(), []
    for page, query in visits:
        name = f"{page}?{query}" if query else page
        if not quiet():
            log.info("warm-up stopped before %s: the server stayed busy", name)
            break
        try:
            if visit(url, page, query=query):
                done.append(name)
        except Exception as exc:  # noqa: BLE001 - a warm-up that fails leaves the page to be built by its visitor
            log.info("warm-up of %s failed: %s: %s", name, type(exc).__name__, exc)
    log.info("warm-up: %d of %d page visits in %.1f s", len(done), len(visits), time.perf_counter() - t0)
    freeze_heap(_session_ttl() + 5.0)


def _session_ttl() -> float:
    """How long Streamlit keeps a disconnected session (`server.disconnectedSessionTTL`, 120 s by default)."""
    from streamlit import config

    try:
        return float(config.get_option("server.disconnectedSessionTTL"))
    except (KeyError, TypeError, ValueError, RuntimeError):
        return 120.0


def freeze_heap(after: float = 0.0) -> int:
    """`after` seconds from now (the warm-up's own sessions gone: Streamlit keeps a disconnected session for
    `server.disconnectedSessionTTL`), one full collection, then every object left moved out of the cyclic
    garbage collector's reach (`gc.freeze`); returns how many. After the warm-up the process holds ≈ 420 000–
    480 000 objects that live as long as it does (the cached data, views and figures of every page); a full
    collection walked all of them — 334–367 ms with the GIL held, every viewer of the server waiting; one came
    during 100 joining viewers (Python runs one whenever the long-lived objects have grown by a quarter); 66 ms
    after the freeze (docs/PERFORMANCE.md, "Fifteenth cut"). Frozen objects are still freed when nothing refers to them; only reference cycles among
    them are never collected (what the sessions open at that moment leave behind: bounded, once)."""
    import gc

    if after > 0:
        time.sleep(after)
    t0 = time.perf_counter()
    gc.collect()
    gc.freeze()
    count = gc.get_freeze_count()
    log.info("heap frozen after the warm-up: %d objects in %.0f ms", count, (time.perf_counter() - t0) * 1000)
    return count


def rerun_request(page: str, query: str = "") -> bytes:
    """The websocket message a browser sends to run `page` (a url path) with `query`: a BackMsg `rerun_script`
    (also the bench's viewers: bench/load.py)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    return msg.SerializeToString()


def visit(url: str, page: str, timeout: float = 60.0, query: str = "") -> bool:
    """One headless visit of `page` with the default filters (or those of `query`, a URL query string): True once
    its script run has finished."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    deadline = time.monotonic() + timeout
    with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=timeout, proxy=None) as ws:
        ws.send(rerun_request(page, query))
        while (left := deadline - time.monotonic()) > 0:
            fwd = ForwardMsg()
            fwd.ParseFromString(ws.recv(timeout=left))
            if fwd.WhichOneof("type") == "script_finished":
                return True
    return False
