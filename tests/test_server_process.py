"""The server process (workforce/ui/server.py, issue 19).

ui.tcp_nodelay: Streamlit's listening socket has protocol number 0, so asyncio leaves Nagle's algorithm on
and every response written in two parts waits ≈ 40 ms for the browser's delayed ACK on a kept-alive connection.
The app turns TCP_NODELAY on for the process's TCP sockets: those open now and, through the listening socket,
every connection accepted later.

ui.warm_up: once per process, a headless visitor opens every chart page in a background thread (the real browser
check is tests/test_e2e_warm_up.py)."""

import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from workforce.ui import server

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/fd")


def _nodelay(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(server, "_done", False)


def _join_warm_up(timeout: float = 10.0) -> None:
    """Wait for the warm-up thread to end (with every visit mocked it may have ended before this looks for it)."""
    for thread in threading.enumerate():
        if thread.name == "atlas-warm-up":
            thread.join(timeout)


@linux
def test_listener_and_open_connections_get_nodelay_and_later_connections_inherit_it(fresh):
    listener = socket.socket(socket.AF_INET)  # as Streamlit makes it: protocol 0
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early_client = socket.create_connection(listener.getsockname())
    early, _ = listener.accept()
    unix_a, unix_b = socket.socketpair()  # not TCP: left alone, no error
    try:
        assert listener.proto == 0 and not _nodelay(listener) and not _nodelay(early)
        assert server.tcp_nodelay() >= 3  # listener, early, early_client (and any other TCP socket of pytest)
        assert _nodelay(listener) and _nodelay(early)
        late_client = socket.create_connection(listener.getsockname())
        late, _ = listener.accept()
        assert _nodelay(late)  # Linux copies the listening socket's option to accepted connections
        # the descriptors we were given are untouched (tcp_nodelay worked on duplicates and closed only those)
        early.sendall(b"ok")
        assert early_client.recv(2) == b"ok"
        unix_a.sendall(b"x")
        assert unix_b.recv(1) == b"x"
        late_client.close()
        late.close()
    finally:
        for s in (listener, early_client, early, unix_a, unix_b):
            s.close()


@linux
def test_once_per_process(fresh):
    assert server.tcp_nodelay() >= 0
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        assert server.tcp_nodelay() == 0 and not _nodelay(listener)  # the second call does nothing
    finally:
        listener.close()


def test_without_proc_nothing_happens(fresh, tmp_path: Path):
    assert server.tcp_nodelay(tmp_path / "missing") == 0
    assert server._done is False  # a later call with /proc still works


def test_app_turns_it_on_first():
    """app.py calls it once per process, right after the page config (before any page's elements are sent)."""
    lines = [ln.strip() for ln in (Path(server.__file__).parents[2] / "app.py").read_text().splitlines()]
    config = next(i for i, ln in enumerate(lines) if ln.startswith("st.set_page_config("))
    assert lines[config + 1].startswith("ui.tcp_nodelay()")


def test_app_warms_up_every_chart_page_by_its_url_path():
    """The warm-up's list names real pages (a renamed page would silently warm the default page instead) and
    every page that draws a chart (ui.chart / ui.live_chart / a region map / a slide)."""
    import ast
    import re

    root = Path(server.__file__).parents[2]
    source = (root / "app.py").read_text()
    paths = dict(re.findall(r'st\.Page\("pages/(\w+)\.py".*?url_path="([\w-]+)"', source))
    call = next(node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "warm_up")
    warmed = [elt.value for elt in call.args[0].elts]
    assert set(warmed) <= set(paths.values()) and len(warmed) == len(set(warmed))
    charts = {paths[f.stem] for f in (root / "pages").glob("*.py") if f.stem in paths
              and re.search(r"ui\.(chart|live_chart|region_map|preload_live_chart)\(", f.read_text())}
    assert charts == set(warmed), (charts, warmed)


# ---------------------------------------------------------------- warm-up


@pytest.fixture
def not_started(monkeypatch):
    monkeypatch.setattr(server, "_warm_started", False)
    monkeypatch.delenv("WORKFORCE_WARMUP", raising=False)
    frozen = []
    monkeypatch.setattr(server, "freeze_heap", lambda after=0.0: frozen.append(after) or 0)  # not this process's
    return frozen


def test_warm_up_visits_every_page_once_in_the_background(not_started, monkeypatch):
    calls, threads = [], []
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setattr(server, "stream_url", lambda: "ws://127.0.0.1:1/_stcore/stream")

    def fake_visit(url, page, timeout=60.0, query=""):
        calls.append((url, page) if not query else (url, page, query))
        threads.append(threading.current_thread().name)
        if page == "broken":
            raise ConnectionRefusedError("no server")  # a failed page does not stop the others
        return True

    monkeypatch.setattr(server, "visit", fake_visit)
    monkeypatch.setattr(server, "quiet", lambda: True)
    assert server.warm_up(["home", "broken", "training"], delay=0) is True
    _join_warm_up()
    assert calls == [("ws://127.0.0.1:1/_stcore/stream", p) for p in ("home", "broken", "training")]
    assert set(threads) == {"atlas-warm-up"}  # never in the script run that started it
    assert server.warm_up(["home"], delay=0) is False and len(calls) == 3  # once per process
    # then, once Streamlit has dropped the warm-up's own sessions, the heap left is frozen (once)
    assert not_started == [server._session_ttl() + 5.0] and server._session_ttl() == 120.0


def test_warm_up_visits_a_page_at_every_other_year_after_the_pages(not_started, monkeypatch):
    """/regions at every year of the slider but the default (built by then), nearest the default first: a year
    change on its default view is then a cached rerun."""
    from workforce import params

    calls = []
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setattr(server, "stream_url", lambda: "ws://127.0.0.1:1/_stcore/stream")
    monkeypatch.setattr(server, "visit", lambda url, page, timeout=60.0, query="": calls.append((page, query)) or True)
    monkeypatch.setattr(server, "quiet", lambda: True)
    assert server.warm_up(["home", "regions"], delay=0, every_year=("regions",)) is True
    _join_warm_up()
    default = params.Filters().year
    assert calls[:2] == [("home", ""), ("regions", "")]
    years = [int(q.removeprefix("year=")) for page, q in calls[2:] if page == "regions"]
    assert len(calls) == 2 + len(params.YEARS) - 1 and sorted(years + [default]) == list(params.YEARS)
    assert years[:4] == [default + 1, default - 1, default + 2, default - 2]
    assert params.parse({"year": f"{years[0]}"})[0].year == years[0]  # a query the page reads as that year


def test_warm_up_visits_a_page_with_every_other_metric_after_the_years(not_started, monkeypatch):
    """/regions with every metric of its map but the default: a metric's first map is built before a person picks
    it (≈ 0.2 s the first time, 0.04 s after); each query is one the page reads as that metric."""
    from workforce import params
    from workforce.views import region_table

    calls = []
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setattr(server, "stream_url", lambda: "ws://127.0.0.1:1/_stcore/stream")
    monkeypatch.setattr(server, "visit", lambda url, page, timeout=60.0, query="": calls.append((page, query)) or True)
    monkeypatch.setattr(server, "quiet", lambda: True)
    assert server.warm_up(["regions"], delay=0, every_year=("regions",), every_metric=("regions",)) is True
    _join_warm_up()
    metrics = [q.removeprefix("metric=") for _, q in calls[len(params.YEARS):]]
    assert all(q.startswith("year=") for _, q in calls[1:len(params.YEARS)])  # the years first
    assert metrics == list(region_table.METRICS)[1:] and "jobs" not in metrics  # the page's default is "jobs"
    source = (Path(server.__file__).parents[2] / "pages" / "regions.py").read_text()
    assert 'st.query_params.get("metric", "jobs")' in source and list(region_table.METRICS)[0] == "jobs"


def test_warm_up_visits_a_page_with_other_layers_then_zoomed_on_every_country(not_started, monkeypatch):
    """/regions with every other choice of map layers (most layers first), then zoomed on every country of the
    sidebar's country filter, in its order, after the years and metrics: a country's first view (its table and
    map, ≈ 0.3 s) or the providers layer's first map is built before a person picks it; each query is one the page
    reads as those layers or that country."""
    from workforce import params
    from workforce.ui import filters
    from workforce.views import region_table

    calls = []
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setattr(server, "stream_url", lambda: "ws://127.0.0.1:1/_stcore/stream")
    monkeypatch.setattr(server, "visit", lambda url, page, timeout=60.0, query="": calls.append((page, query)) or True)
    monkeypatch.setattr(server, "quiet", lambda: True)
    assert server.warm_up(["regions"], delay=0, every_year=("regions",), every_metric=("regions",),
                          every_layers=("regions",), every_country=("regions",)) is True
    _join_warm_up()
    codes = filters.countries()["country"].tolist()
    first = len(params.YEARS) + len(region_table.METRICS) - 1  # the page, its other years, its other metrics
    assert [q for _, q in calls[:first]] == [""] + server.year_queries() + server.metric_queries()
    assert [q for _, q in calls[first:first + 3]] == ["layers=plants,providers", "layers=providers", "layers="]
    for _, query in calls[first:first + 3]:  # each a choice the page reads, none its default (plants)
        asked, unknown = region_table.parse_layers(query.removeprefix("layers="))
        assert asked is not None and not unknown and asked != region_table.default_layers("jobs")
    assert calls[first + 3:] == [("regions", f"country={code}") for code in codes] and len(codes) >= 20
    for code in codes:  # a query the page reads as that country (no warning)
        parsed, warnings = params.parse({"country": [code]}, set(codes))
        assert parsed.country == code and not list(warnings), code


def test_warm_up_is_off_under_apptest_and_when_switched_off(not_started, monkeypatch):
    monkeypatch.setattr(server, "visit", lambda *a, **k: pytest.fail("no visit expected"))
    monkeypatch.setattr(server, "in_apptest", lambda: True)
    assert server.warm_up(["home"], delay=0) is False
    monkeypatch.setattr(server, "_warm_started", False)
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setenv("WORKFORCE_WARMUP", "0")
    assert server.warm_up(["home"], delay=0) is False


def test_app_pages_run_under_apptest_start_no_warm_up(not_started):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(server.__file__).parents[2] / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert not any(th.name == "atlas-warm-up" for th in threading.enumerate())


@pytest.mark.parametrize(("options", "url"), [
    ({}, "ws://127.0.0.1:8501/_stcore/stream"),
    ({"server.port": 9000, "server.baseUrlPath": "/atlas/"}, "ws://127.0.0.1:9000/atlas/_stcore/stream"),
    ({"server.address": "0.0.0.0"}, "ws://127.0.0.1:8501/_stcore/stream"),
    ({"server.address": "::"}, "ws://[::1]:8501/_stcore/stream"),
    ({"server.address": "10.1.2.3"}, "ws://10.1.2.3:8501/_stcore/stream"),  # listens on that address only
    ({"server.address": "fd00::5"}, "ws://[fd00::5]:8501/_stcore/stream"),
    ({"server.address": "atlas.example.org"}, None),  # a host name: not resolved from a warm-up
    ({"server.address": "unix:///tmp/atlas.sock"}, None),
    ({"server.sslCertFile": "/etc/atlas.pem"}, None),
])
def test_stream_url(options, url):
    from streamlit import config

    keys = ("server.port", "server.baseUrlPath", "server.address", "server.sslCertFile")
    saved = {k: config.get_option(k) for k in keys}
    try:
        config.set_option("server.port", 8501)
        config.set_option("server.baseUrlPath", "")
        config.set_option("server.address", None)
        config.set_option("server.sslCertFile", None)
        for key, value in options.items():
            config.set_option(key, value)
        assert server.stream_url() == url
    finally:
        for key, value in saved.items():
            config.set_option(key, value)


def test_warm_up_gives_way_to_a_busy_server(not_started, monkeypatch):
    """Before each page the warm-up waits until the process is quiet; a server that stays busy stops it."""
    calls, answers = [], iter([True, False])
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    monkeypatch.setattr(server, "stream_url", lambda: "ws://127.0.0.1:1/_stcore/stream")
    monkeypatch.setattr(server, "visit", lambda url, page, timeout=60.0, query="": calls.append(page) or True)
    monkeypatch.setattr(server, "quiet", lambda: next(answers))
    assert server.warm_up(["home", "regions", "training"], delay=0)
    _join_warm_up()
    assert calls == ["home"]


def test_quiet_measures_this_process():
    assert server.quiet(limit=2, window=0.1) is True  # an idle test process
    stop = time.monotonic() + 0.6
    spin = threading.Thread(target=lambda: [None for _ in iter(lambda: time.monotonic() > stop, True)])
    spin.start()
    try:
        assert server.quiet(limit=0.3, window=0.1, busy=0.5) is False  # one core busy the whole time
    finally:
        spin.join()


# ---------------------------------------------------------------- where the server is (base_url_hint)

PAGES = ["regions", "forecast", "training"]


def test_hint_goes_at_the_end_of_the_head_and_only_there():
    html = ("<!DOCTYPE html><html><HEAD><title>x</title><script type=module src=./a.js></script></head>"
            "<body></body></html>")
    out = server.with_hint(html, PAGES)
    assert out.count("<script>") == 1 and out.index("<script>(function") < out.lower().index("</head>")
    assert out.replace(server.hint_script(PAGES), "") == html  # nothing else changed
    assert server.with_hint("<html><body>no head</body></html>", PAGES) is None  # another Streamlit: left alone
    assert server.with_hint(html, []) is None


def test_hint_names_only_plain_url_paths():
    script = server.hint_script(["regions", "", "a</script><img src=x>", "x|.*", "Über"])
    assert '["regions"]' in script and "</script><img" not in script and "x|.*" not in script
    assert script.count("</script>") == 1


@pytest.fixture
def unhinted(monkeypatch):
    monkeypatch.setattr(server, "_hinted", False)
    monkeypatch.setattr(server, "_found", [])
    monkeypatch.setattr(server, "in_apptest", lambda: False)


def test_streamlit_serves_the_hint_for_a_page_url_not_for_its_root(unhinted):
    """Against Streamlit's own static file handler (the installed Streamlit: an upgrade that renames it fails here,
    the app then works as before, only slower)."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient
    from streamlit import file_util
    from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_assets_routes

    app = Starlette(routes=create_streamlit_static_assets_routes(None))
    client = TestClient(app)
    before = client.get("/regions").text
    assert "__streamlit" not in before
    assert server.base_url_hint(PAGES) >= 1
    assert server.base_url_hint(PAGES) == 0  # once per process
    page = client.get("/regions")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert page.text == server.with_hint(before, PAGES)
    assert "__streamlit" not in client.get("/").text  # the root URL is its own base
    assert client.get("/regions/_stcore/health").status_code == 404  # Streamlit's reserved paths unchanged
    index = Path(file_util.get_static_dir()) / "index.html"
    assert "__streamlit" not in index.read_text(encoding="utf-8")  # Streamlit's own file untouched


def test_no_hint_under_apptest(monkeypatch):
    monkeypatch.setattr(server, "_hinted", False)
    monkeypatch.setattr(server, "in_apptest", lambda: True)
    assert server.base_url_hint(PAGES) == 0


def test_app_names_its_pages_to_the_hint():
    lines = [ln.strip() for ln in (Path(server.__file__).parents[2] / "app.py").read_text().splitlines()]
    nav = next(i for i, ln in enumerate(lines) if ln.startswith("page = st.navigation(PAGES)"))
    assert lines[nav + 1].startswith("ui.base_url_hint([p.url_path for p in PAGES])")


def test_a_new_process_first_run_does_not_load_streamlits_emoji_catalogue():
    """The favicon is given as a data URL (ui.FAVICON): as the emoji itself, `st.set_page_config` imports
    streamlit.emojis, ≈ 0.1 s of a new server process's first run (a regular expression of every emoji)."""
    import subprocess
    import textwrap
    from urllib.parse import unquote

    from workforce import ROOT
    from workforce.ui import FAVICON

    assert FAVICON.isascii() and unquote(FAVICON).endswith("font-size='90'>\U0001F50B</text></svg>")
    code = textwrap.dedent("""
        import sys
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file("app.py", default_timeout=120).run()
        assert not at.exception, at.exception
        print("emojis" if "streamlit.emojis" in sys.modules else "no emojis")
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "no emojis"


# --- app/static/ cached for good (CachedAppStatic) ---

BUNDLE = "plotly-finance-4.1.1-0123456789ab.min.js"
SHAPES = "nuts-l2-0123456789abcdef.json"


@pytest.fixture
def app_static(tmp_path: Path, monkeypatch):
    """Streamlit's own app/static/ route and gzip middleware (the installed Streamlit: an upgrade that renames the
    route fails here; the app then serves the files as before) over a folder with a bundle, shapes and another
    file; `cache_app_static` not yet applied in this process."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.testclient import TestClient
    from streamlit.web.server.starlette.starlette_gzip_middleware import SelectiveGZipMiddleware
    from streamlit.web.server.starlette.starlette_routes import create_app_static_serving_routes

    monkeypatch.setattr(server, "_cached_static", False)
    monkeypatch.setattr(server, "_found", [])  # this test's server objects, not an earlier test's
    monkeypatch.setattr(server, "in_apptest", lambda: False)
    (tmp_path / "app.py").write_text("")
    static = tmp_path / "static"
    static.mkdir()
    (static / BUNDLE).write_text("var Plotly = {};\n" * 400)
    (static / SHAPES).write_text('{"type": "FeatureCollection", "features": []}' + " " * 2000)
    (static / "notes.txt").write_text("not ours " * 300)
    app = Starlette(routes=create_app_static_serving_routes(str(tmp_path / "app.py"), None),
                    middleware=[Middleware(SelectiveGZipMiddleware, minimum_size=1000, compresslevel=5)])
    return TestClient(app), static


def test_streamlit_alone_serves_app_static_without_caching(app_static):
    client, _ = app_static
    response = client.get(f"/app/static/{BUNDLE}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and "cache-control" not in response.headers  # why this exists
    etag = response.headers["etag"]
    again = client.get(f"/app/static/{BUNDLE}", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 200  # never a 304


def test_live_chart_files_are_cached_for_good_compressed_once_and_revalidated(app_static):
    client, static = app_static
    assert server.cache_app_static(static) >= 1  # this test's app (and any other test's still in memory)
    assert server.cache_app_static(static) == 0  # once per process
    for name, kind in ((BUNDLE, "text/javascript; charset=utf-8"), (SHAPES, "application/json")):
        response = client.get(f"/app/static/{name}", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["content-encoding"] == "gzip" and response.headers["content-type"] == kind
        assert response.content == (static / name).read_bytes()  # decompressed by the client
        etag = response.headers["etag"]
        for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
            not_modified = client.get(f"/app/static/{name}", headers={"Accept-Encoding": "gzip", "If-None-Match": sent})
            assert not_modified.status_code == 304 and not_modified.content == b""
            assert not_modified.headers["etag"] == etag and "immutable" in not_modified.headers["cache-control"]
        other = client.get(f"/app/static/{name}", headers={"Accept-Encoding": "gzip", "If-None-Match": '"x"'})
        assert other.status_code == 200 and other.content == (static / name).read_bytes()
    head = client.head(f"/app/static/{BUNDLE}", headers={"Accept-Encoding": "gzip"})
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) > 0


def test_a_client_without_gzip_gets_streamlits_response_with_the_cache_header(app_static):
    client, static = app_static
    server.cache_app_static(static)
    response = client.get(f"/app/static/{BUNDLE}", headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200 and "content-encoding" not in response.headers
    assert response.content == (static / BUNDLE).read_bytes()
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    refused = client.get(f"/app/static/{BUNDLE}", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert refused.content == (static / BUNDLE).read_bytes() and "immutable" in refused.headers["cache-control"]


def test_other_files_missing_files_and_bad_paths_are_streamlits_as_before(app_static):
    client, static = app_static
    server.cache_app_static(static)
    other = client.get("/app/static/notes.txt", headers={"Accept-Encoding": "gzip"})
    assert other.status_code == 200 and "cache-control" not in other.headers
    assert client.get("/app/static/nuts-l2-ffffffffffffffff.json").status_code == 404
    assert client.get("/app/static/plotly-finance-4.1.1-0123456789ab.min.js/x").status_code == 404
    assert client.get("/app/static/..%2Fapp.py", headers={"Accept-Encoding": "gzip"}).status_code == 400
    assert client.post(f"/app/static/{BUNDLE}").status_code == 405


def test_a_rewritten_file_gets_a_new_etag(app_static):
    client, static = app_static
    server.cache_app_static(static)
    first = client.get(f"/app/static/{SHAPES}", headers={"Accept-Encoding": "gzip"})
    (static / SHAPES).write_text('{"type": "FeatureCollection", "features": [1]}' + " " * 3000)
    second = client.get(f"/app/static/{SHAPES}", headers={"Accept-Encoding": "gzip"})
    assert second.headers["etag"] != first.headers["etag"]
    assert second.content == (static / SHAPES).read_bytes()


@pytest.mark.parametrize("name, cached", [
    ("plotly-7.1.0.min.js", True), ("plotly-finance-4.1.1-0874ee9e627f.min.js", True),
    ("plotly-atlas-4.1.1-cbf5833fdebf.min.js", True), ("nuts-l0-europe-289d9644600330ce.json", True),
    ("nuts-l2-0123456789abcdef.json", True), ("plotly-finance-4.1.1.min.js.map", False),
    ("plotly-x.min.js", False), ("nuts-l2-0123.json", False), ("../nuts-l2-0123456789abcdef.json", False),
    ("sub/plotly-7.1.0.min.js", False), ("notes.txt", False)])
def test_only_names_made_from_content_or_version_are_cached_for_good(name, cached):
    assert bool(server.IMMUTABLE_NAME.fullmatch(name)) is cached


@pytest.mark.parametrize("header, ok", [
    ("gzip", True), ("gzip, deflate, br, zstd", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("GZIP", True), ("identity", False), ("", False), ("gzip;q=0", False), ("gzip;q=0.0, br", False),
    ("gzip;q=x", False), ("x-gzip", True)])
def test_accepts_gzip(header, ok):
    assert server.accepts_gzip(header) is ok


def test_no_app_static_caching_under_apptest(monkeypatch, tmp_path):
    monkeypatch.setattr(server, "_cached_static", False)
    monkeypatch.setattr(server, "in_apptest", lambda: True)
    assert server.cache_app_static(tmp_path) == 0


def test_app_caches_its_static_folder():
    lines = [ln.strip() for ln in (Path(server.__file__).parents[2] / "app.py").read_text().splitlines()]
    assert any(ln.startswith("ui.cache_app_static(ui.STATIC_DIR)") for ln in lines)


def test_freeze_heap_moves_what_is_left_out_of_the_collectors_reach():
    """In a process of its own (freezing the test run's objects would change every test after this one)."""
    import subprocess
    import textwrap

    code = textwrap.dedent("""
        import gc, time
        from workforce.ui import server
        kept = [[i] for i in range(50_000)]  # long-lived objects, as the cached views are
        t0 = time.perf_counter()
        count = server.freeze_heap()
        assert count >= 50_000 and gc.get_freeze_count() == count
        gone = [[] for _ in range(10)]; gone.append(gone)  # a cycle made after: still collected
        del gone
        assert gc.collect() >= 1
        assert gc.get_freeze_count() == count  # a full collection left the frozen objects alone
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(server.__file__).parents[2])
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-2000:]


def test_the_hint_and_the_cache_share_one_walk_over_the_heap(app_static, monkeypatch):
    """Finding Streamlit's server objects walks every object of the process (≈ 12–20 ms in a new process's first
    run): base_url_hint and cache_app_static do it once between them."""
    import gc

    from starlette.applications import Starlette
    from starlette.testclient import TestClient
    from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_assets_routes

    _, static = app_static
    client = TestClient(Starlette(routes=create_streamlit_static_assets_routes(None)))
    monkeypatch.setattr(server, "_hinted", False)
    walks = []
    real = gc.get_referrers
    monkeypatch.setattr(gc, "get_referrers", lambda *objs: walks.append(objs) or real(*objs))
    assert server.base_url_hint(PAGES) >= 1 and server.cache_app_static(static) >= 1
    assert len(walks) == 1, walks
    assert "__streamlit" in client.get("/regions").text


def test_visitors_asking_for_a_file_at_once_wait_for_one_compression(tmp_path: Path, monkeypatch):
    import gzip
    import threading
    import time

    (tmp_path / BUNDLE).write_text("var Plotly = {};\n" * 400)
    made, real = [], gzip.compress

    def slow_compress(data, *args, **kwargs):
        made.append(len(data))
        time.sleep(0.3)  # long enough for every thread below to ask while the first compresses
        return real(data, *args, **kwargs)

    monkeypatch.setattr(gzip, "compress", slow_compress)
    front = server.CachedAppStatic(None, tmp_path)
    found = []
    threads = [threading.Thread(target=lambda: found.append(front.entry(BUNDLE))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 1 and len(found) == 4 and len(set(found)) == 1
    assert gzip.decompress(found[0][1]) == (tmp_path / BUNDLE).read_bytes()
    (tmp_path / BUNDLE).write_text("var Plotly = {a: 1};\n" * 400)  # a new content is compressed again, once
    assert front.entry(BUNDLE)[0] != found[0][0] and len(made) == 2
    assert front.entry("nuts-l2-ffffffffffffffff.json") is None  # a missing file
