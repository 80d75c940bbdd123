"""Contributions in Chromium with a REAL local OIDC provider (npm `oidc-provider`, issue 20): a contributor signs
in, submits a plant event and a needs response; a reviewer signs in, approves one and rejects the other; the
approved change shows on /regions and in the plant's timeline; the rejected one never does."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _AppServer, _free_port, missing
from workforce import ROOT, store

pytestmark = pytest.mark.e2e
JS = ROOT / "tests" / "js"


@pytest.fixture
def oidc_app(tmp_path):
    node = shutil.which("node")
    if not node or not (JS / "node_modules" / "oidc-provider").is_dir():
        missing("node and tests/js/node_modules/oidc-provider (npm ci in tests/js) are needed")
    oidc_port, app_port, secret = _free_port(), _free_port(), "e2e-client-secret"
    provider = subprocess.Popen([node, str(JS / "oidc_provider.mjs"), str(oidc_port), secret,
                                 f"http://127.0.0.1:{app_port}/oauth2callback"], cwd=JS,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{oidc_port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{"c" * 40}"\n'
        'client_id = "atlas"\n'
        f'client_secret = "{secret}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n', encoding="utf-8")  # oidc-provider has no select_account
    url = f"sqlite:///{tmp_path}/store.sqlite"
    store.upgrade(url)
    eng = store.engine(url)
    store.grant(eng, "alice", "contributor")
    store.grant(eng, "bob", "reviewer")
    eng.dispose()
    server = _AppServer("streamlit-e2e-contribute.log", extra_args=("--secrets.files", str(secrets)),
                        env={"WORKFORCE_STORE_URL": url}, port=app_port)
    try:
        with server as base:
            yield base, url
    finally:
        provider.terminate()
        provider.wait(10)


def _sign_in(page, base: str, who: str) -> None:
    page.goto(base + "/contribute", wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=login]").wait_for(timeout=30_000)  # the provider's own login page
    page.fill("input[name=login]", who)
    page.fill("input[name=password]", "any")
    page.locator("button[type=submit]").first.click()
    consent = page.locator("button[type=submit]", has_text="Continue")
    try:
        consent.wait_for(timeout=3_000)
        consent.click()
    except Exception:  # noqa: BLE001 - consent implied
        pass
    page.wait_for_url(base + "/**", timeout=60_000)  # back on the atlas (Streamlit lands on its home page)
    page.locator(".js-plotly-plot, [data-testid=stMain]").first.wait_for(timeout=60_000)
    page.goto(base + "/contribute", wait_until="domcontentloaded")
    page.get_by_text(f"Signed in as {who}").first.wait_for(timeout=60_000)


def _sign_out(page, base: str) -> None:
    import re

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/session/end|/oauth2callback|/home|/$"), timeout=30_000)
    if "/session/end" in page.url:  # the provider asks to confirm ending its own session
        page.locator("button[name=logout][value=yes], button[type=submit]").first.click()
        page.wait_for_url(base + "/**", timeout=30_000)
    page.goto(base + "/contribute", wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)


def _fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).first.fill(value)


@pytest.fixture
def page(_browser, request):
    """Like conftest's browser_page, but the provider's own dev login page may ask for a web font: requests
    leaving the machine are blocked silently here and asserted on afterwards only for the atlas's origin."""
    from urllib.parse import urlparse

    from tests.conftest import ARTIFACTS

    context = _browser.new_context(viewport={"width": 1400, "height": 1000})  # the session's Chromium
    pg = context.new_page()
    outside = []

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append((route.request.frame.url if route.request.frame else "", route.request.url))
            route.abort()

    pg.route("**/*", guard)
    pg.outside = outside
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    except Exception:  # noqa: BLE001
        pass
    context.close()


def test_contribute_review_and_see_it(oidc_app, page):
    base, url = oidc_app
    _sign_in(page, base, "alice")
    # a plant event: CATL Debrecen paused (status event)
    _fill(page, "Site id (as in the atlas, e.g. hu-catl-debrecen)", "hu-catl-debrecen")
    page.get_by_label("New status (for a status event)").click()
    page.get_by_role("option", name="paused").click()
    _fill(page, "Date the source refers to (YYYY-MM)", "2026-11")
    _fill(page, "NUTS-2 region (e.g. HU32)", "HU32")
    page.get_by_label("Source URL (http/https)").first.fill("https://example.org/news/e2e-paused")
    page.get_by_label("Source title").first.fill("E2E news")
    page.get_by_role("button", name="Send for review").first.click()
    page.get_by_text("is waiting for review").first.wait_for(timeout=30_000)
    # a needs response
    page.get_by_role("tab", name="Expected hires").click()
    for label, value in (("Employer", "E2E Cells Kft."), ("Year", "2027"), ("Expected hires", "40")):
        page.get_by_label(label, exact=True).last.fill(value)
    page.get_by_label("NUTS-2 region (e.g. HU32)").last.fill("HU32")
    page.get_by_role("button", name="Send for review").last.click()
    page.get_by_text("is waiting for review").last.wait_for(timeout=30_000)
    _sign_out(page, base)

    eng = store.engine(url)
    frame = store.submissions_frame(eng)
    assert set(frame["kind"]) == {"plant_event", "needs_response"} and set(frame["submitted_by"]) == {"alice"}
    plant_id = int(frame.loc[frame["kind"] == "plant_event", "id"].item())
    needs_id = int(frame.loc[frame["kind"] == "needs_response", "id"].item())

    _sign_in(page, base, "bob")
    page.goto(base + "/review", wait_until="domcontentloaded")
    page.get_by_text(f"#{plant_id} ·").first.click()
    page.get_by_role("button", name="Approve").first.click()
    page.get_by_text(f"#{needs_id} ·").first.wait_for(timeout=30_000)
    page.get_by_text(f"#{needs_id} ·").first.click()
    page.get_by_label("Reason (required to reject or ask for a change)").first.fill("not a real employer")
    page.get_by_role("button", name="Reject").first.click()
    page.get_by_text("Waiting for review: 0").first.wait_for(timeout=30_000)
    states = dict(zip(*[store.submissions_frame(eng)[c] for c in ("id", "state")], strict=True))
    assert states == {plant_id: "approved", needs_id: "rejected"}

    # the approved change on /regions (HU32 panel: CATL paused, reviewed by bob) within the 30 s refresh
    deadline = time.time() + 45
    while True:
        page.goto(base + "/regions?country=HU&region=HU32", wait_until="domcontentloaded")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        if "e2e-paused" in page.content() or "reviewed by bob" in page.content():
            break
        assert time.time() < deadline, "the approved contribution never reached /regions"
        page.wait_for_timeout(5000)
    assert "E2E Cells" not in page.content()  # the rejected needs response never shows
    assert not [u for frame, u in page.outside if frame.startswith(base)], page.outside  # the atlas stays offline
    eng.dispose()
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
