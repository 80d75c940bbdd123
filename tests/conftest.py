"""Shared fixtures: caches cleared between tests, a tiny synthetic catalog for SQL logic tests."""

from __future__ import annotations

import os
import re
import shutil

import pandas as pd
import pytest
import streamlit as st

from workforce import DATA_DIR
from workforce.schemas import TABLES

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(reason: str):
    """An environment need (../shared inputs, fonts, axe-core, chromium, build packages) is not met:
    skip locally, FAIL in CI (`CI` set), so CI can never pass by silently skipping."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: environment tests must run)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    from workforce import db, ui

    def clear():
        st.cache_data.clear()
        db._execute_cached.clear()  # query results and figures are per-process resources built from the catalog
        ui._shared_figure.clear()

    clear()
    yield
    clear()


def _row(table: str, **values) -> dict:
    spec = TABLES[table]
    return {c: values.get(c) for c in spec.columns}


@pytest.fixture
def tiny_data(tmp_path):
    """A synthetic data/ dir (test-only values, never shown as real) with real geometry tables."""
    (tmp_path / "geo").mkdir()
    shutil.copy(DATA_DIR / "geo" / "nuts_regions.csv", tmp_path / "geo" / "nuts_regions.csv")
    src = {"source_url": "https://example.org/test", "source_title": "test fixture", "as_of": "2025-01-01"}
    plants = [
        _row("plants", site_id="hu-a", company="A", site_name="A Debrecen", city="Debrecen", country="HU", nuts2="HU32",
             nuts_version="2024", lat=47.53, lon=21.62, segment="cell", capacity_value=100, capacity_unit="GWh/yr",
             jobs_announced=1000, status="operating", start_year=2024, evidence="observed", **src),
        _row("plants", site_id="hu-b", company="B", site_name="B Debrecen", city="Debrecen", country="HU", nuts2="HU32",
             nuts_version="2024", lat=47.53, lon=21.62, segment="cathode", capacity_value=10, capacity_unit="kt/yr",
             jobs_announced=500, status="cancelled", start_year=2026, evidence="announced", **src),
        _row("plants", site_id="fi-c", company="C", site_name="C Vaasa", city="Vaasa", country="FI", nuts2="FI19",
             nuts_version="2024", lat=63.1, lon=21.6, segment="precursor", status="announced", start_year=2027,
             evidence="announced", **src),
    ]
    frames = {
        "plants": plants,
        "plant_history": [_row("plant_history", site_id="hu-a", as_of="2023-01-01", status="announced",
                               jobs_announced=900, source_url="https://example.org/old", source_title="old")],
        "plant_evidence": [_row("plant_evidence", site_id="hu-a", country="HU", origin="plants_reference.csv",
                                segment="cell", status="announced", status_date="2023-01-01",
                                freshness="status unverified since 2023-01", jobs_announced=900,
                                jobs_scope="full_target", source_url="https://example.org/old", source_title="old",
                                as_of="2023-01-01", scope_basis="test fixture")],
        "roles": [_row("roles", role_id="operator", role="Operator", esco_uri="http://data.europa.eu/esco/occupation/x",
                       mix_cell=1.0, mix_materials=1.0, mix_pack=1.0, mix_recycling=1.0, status="assumption", **src)],
        "programmes": [_row("programmes", programme_id="P1", provider="School", programme="Battery VET", country="HU",
                            nuts2="HU32", mode="initial_vet", capacity_per_year=30, status="observed", **src),
                       _row("programmes", programme_id="P2", provider="EBA", programme="Academy", country="EU",
                            mode="continuous_learning", status="observed", **src)],
        "programme_partners": [_row("programme_partners", partner_id="P9", programme_id="P1", organisation="Partner",
                                    role="joint_partner", country="HU", status="observed", **src)],
        "partnerships": [_row("partnerships", partnership_id="PT1", industry_party="A", site_id="hu-a",
                              education_party="School", country="HU", nuts2="HU32", status="observed", **src)],
        "regions": [_row("regions", nuts_id="HU32", level=2, country="HU", name="Észak-Alföld",
                         indicator="employment_industry", dataset="lfst_r_lfe2en2", year=2015, unit="THS",
                         value=100.5, status="observed", **src)],
        "supply_baseline": [_row("supply_baseline", nuts_id=n, level=2, country="HU", name=n, path=path,
                                 graduates_country=1000, graduates_year=2015, graduates_codes="ED35", key="test key",
                                 key_year=2015, key_share=0.5, graduates_region=500, share_low=0.01,
                                 share_value=0.02, share_high=0.05, supply_low=5.0, supply_mid=10.0,
                                 supply_high=25.0, status="modelled", **src)
                            for n in ("HU31", "HU32") for path in ("vet", "tertiary")],
        "regions_unmapped": [_row("regions_unmapped", dataset="lfst_r_lfe2en2", geo="NL31", reason="split", n_values=8)],
        "headlines": [_row("headlines", metric="eba_battery_supply_chain_jobs_2025", value=4_000_000, unit="jobs", status="observed", **src)],
    }
    for table, rows in frames.items():
        pd.DataFrame(rows, columns=list(TABLES[table].columns)).to_csv(tmp_path / TABLES[table].file, index=False)
    return tmp_path


# ---------------------------------------------------------------- real-browser fixtures

CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parent.parent / "test-artifacts"


def _free_port() -> int:
    from bench.common import free_port

    return free_port()


def _require_chromium():
    if not os.path.exists(CHROMIUM):
        if IN_CI:
            pytest.fail(f"chromium not found at {CHROMIUM}; .ci/run must install it")
        pytest.skip(f"chromium not installed at {CHROMIUM} (apt-get install -y chromium); browser tests skipped")


class _AppServer:
    """`streamlit run app.py` on a free loopback port (context manager yielding the base URL)."""

    def __init__(self, log_name: str = "streamlit-e2e.log", extra_args: tuple = (), env: dict | None = None,
                 port: int | None = None):
        self.log_name, self.extra_args, self.env, self.port = log_name, tuple(extra_args), env, port

    def __enter__(self) -> str:
        from bench.common import start_streamlit
        from workforce import ROOT

        _require_chromium()
        port = self.port or _free_port()
        ARTIFACTS.mkdir(exist_ok=True)
        # the presenter's QR codes need a public address (issue 21); tests use a fixed, never-contacted one
        env = {"WORKFORCE_PUBLIC_URL": "https://atlas.example.org", **(self.env or {})}
        try:
            self.proc, _ = start_streamlit(ROOT / "app.py", port, ARTIFACTS / self.log_name, self.extra_args, env)
        except TimeoutError as exc:
            pytest.fail(str(exc))
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc) -> None:
        from bench.common import stop_process

        stop_process(self.proc)


@pytest.fixture(scope="session")
def app_server():
    """One app server for the whole e2e session; yields its base URL."""
    with _AppServer() as url:
        yield url


@pytest.fixture
def fresh_app_server():
    """A brand-new server process (for first-request behaviour such as deep links after a restart)."""
    with _AppServer("streamlit-e2e-fresh.log") as url:
        yield url


@pytest.fixture(scope="session")
def _browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser, request):
    """A fresh page; any non-loopback request is blocked and fails the test, as do console errors."""
    from urllib.parse import urlparse

    context = _browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    outside, console_errors = [], []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost", "::1"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    probes = []  # Streamlit's frontend probes <page>/_stcore/{health,host-config} before the root path (in a
    # process whose first run has not yet turned ui.base_url_hint on; tests/test_e2e_base_hint.py)

    def on_response(response):
        path = urlparse(response.url).path
        if response.status == 404 and re.fullmatch(r"/[^/]+/_stcore/(health|host-config)", path):
            probes.append(path)

    page.on("response", on_response)
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the real failure
        pass
    context.close()
    assert not outside, f"requests left the machine: {outside[:5]}"
    probe_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    for _ in probes:  # one benign 404 console line per known base-path probe
        if probe_404 in console_errors:
            console_errors.remove(probe_404)
    expected = [p for m in request.node.iter_markers("console_errors") for p in m.args]  # provoked by the test
    console_errors = [e for e in console_errors if not any(re.search(p, e) for p in expected)]
    assert not console_errors, f"console errors: {console_errors[:5]}"


# ---------------------------------------------------------------- PostgreSQL for the store tests (issue 20)
def _pg_bin(name: str) -> str | None:
    import glob

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster):
    return postgres_cluster["url"]


@pytest.fixture(scope="session")
def postgres_cluster(tmp_path_factory):
    """A throw-away PostgreSQL cluster started for the test session (Debian `postgresql` binaries; run as the
    `postgres` user when the tests run as root): {"url", "stop", "start"} (stop/start: outage tests)."""
    import subprocess

    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        missing("PostgreSQL binaries (Debian package postgresql) not installed")
    import tempfile
    from pathlib import Path

    base = Path(tempfile.mkdtemp(prefix="workforce-pg-"))  # not under pytest's 0700 root-only temp directory
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        pw = pwd.getpwnam("postgres")
        for p in (base, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(base, 0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
                   check=True, capture_output=True)
    def start():
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
                        f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off", "start"], check=True,
                       capture_output=True)

    def stop():
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True)

    start()
    try:
        yield {"url": f"postgresql+psycopg://postgres@/postgres?host={sock}&port={port}", "start": start,
               "stop": stop}
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def chart_specs(at) -> list[dict]:
    """Every figure an AppTest page drew: `st.plotly_chart` specs, then the figures of charts that stay mounted
    (`ui.live_chart`, the /regions map) — `bench.common.figure_specs`, parsed."""
    import json

    from bench.common import figure_specs

    return [json.loads(spec) for spec in figure_specs(at)]


def inline_shapes(data: list[dict]) -> list[dict]:
    """A live chart's figure data as `st.plotly_chart` is sent it: a trace whose NUTS shapes come by URL
    (`live_chart.shapes_by_url`, "app/static/nuts-l<level>-[europe-]<digest>.json") gets that file's shapes of its locations
    back, in the file's order."""
    import json as _json
    import re as _re

    from workforce import ROOT

    out = []
    for trace in data:
        url = trace.get("geojson")
        if isinstance(url, str):
            assert _re.fullmatch(r"app/static/nuts-l[012]-(europe-)?[0-9a-f]{16}\.json", url), url
            wanted = set(trace["locations"])
            features = _json.loads((ROOT / url.replace("app/", "", 1)).read_text(encoding="utf-8"))["features"]
            trace = {**trace, "geojson": {"type": "FeatureCollection",
                                          "features": [f for f in features if f["id"] in wanted]}}
        out.append(trace)
    return out


def map_spec(at) -> dict:
    """The first map figure of a page (a chart with a `map` subplot)."""
    maps = [s for s in chart_specs(at) if "map" in s.get("layout", {})]
    assert maps, "the page draws a map"
    return maps[0]


def regions_page_upload(name: str, data: bytes, mime: str = "text/csv", lang: str | None = None):
    """An AppTest of /regions (in `lang`, default the app's) after a file was chosen in its upload box."""
    from streamlit.testing.v1 import AppTest

    from workforce import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("pages/regions.py").run()
    at.file_uploader(key="rg_up_file").set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at
