"""Unknown URL parameters are ignored with a visible, escaped notice on every page, and dropped from the URL
(never an exception); each page's own parameters are not reported (issue 21 part 4)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT, params, text
from workforce.i18n import t

HOSTILE = "<img src=x onerror=alert(1)>[link](http://evil.example)"


def test_unknown_keys_are_the_ones_no_one_reads():
    keys = ["country", "bogus", "metric", "embed", "bogus", "utm_source"]
    assert params.unknown_keys(keys, ("metric",)) == ["bogus", "utm_source"]
    assert params.unknown_keys(keys, ()) == ["bogus", "metric", "utm_source"]
    assert params.unknown_keys([], ()) == []


def test_shown_names_are_cut_and_counted():
    names = [f"p{i}" for i in range(8)] + ["x" * 300]
    shown = params.shown_names(names)
    assert shown.startswith("p0, p1, p2, p3, p4") and shown.endswith("(+4)")
    assert len(params.shown_names(["y" * 300])) <= 40


def _open(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page == "overview":
        for k, v in query.items():
            at.query_params[k] = v
        return at.run()
    at.run()
    at.switch_page(f"pages/{page}.py")
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "link parameter" in w.value]


# pages with their own parameters, and pages without any
@pytest.mark.parametrize("page, own", [("overview", {}), ("regions", {"metric": "gap"}),
                                       ("forecast", {"by": "segment"}), ("present", {"story": "hu", "slide": "2"}),
                                       ("sources", {})])
def test_unknown_param_is_ignored_with_a_notice(page, own):
    at = _open(page, **own, zz_unknown="1", **{HOSTILE: "2"})
    assert not at.exception, [e.message for e in at.exception]
    (notice,) = _notices(at)
    # exactly the escaped names: no raw HTML, no link survives markdown
    assert notice == t("url.unknown_params", "en", names=text.md(params.shown_names(["zz_unknown", HOSTILE])))
    assert re.search(r"(?<!\\)[<\[]", notice) is None
    assert "zz_unknown" not in at.query_params and HOSTILE not in at.query_params
    for key in own:  # the page's own parameters are neither reported nor dropped
        assert key not in notice


def test_known_params_give_no_notice():
    at = _open("overview", country="HU", year="2031")
    assert not _notices(at)


def test_another_pages_param_is_kept_for_that_page():
    """A link's parameters may reach the default page first (a fresh session): /present's story and slide and
    /regions' metric are known everywhere, so they are neither reported nor dropped on the way."""
    at = _open("overview", story="hu", slide="2", metric="gap")
    assert not _notices(at)
    assert {"story", "slide", "metric"} <= set(at.query_params)


@pytest.mark.e2e
def test_deep_link_with_an_unknown_param_in_the_browser(app_server, browser_page):
    """The real path (app.py's navigation, then the sidebar): /regions keeps its own `metric`, reports and drops
    the unknown parameter, and the permalink no longer carries it."""
    from tests.test_e2e_journeys import wait_ready

    page = browser_page
    page.goto(app_server + "/regions?metric=gap&country=HU&zz_unknown=1", wait_until="domcontentloaded")
    wait_ready(page)
    page.get_by_text("Ignored link parameter(s) this page does not know: zz_unknown.").first.wait_for()
    page.wait_for_function("() => !location.search.includes('zz_unknown') && location.search.includes('metric=gap')")
    assert page.get_by_text("Traceback").count() == 0
    # moving to another page through the navigation: /regions' own `metric` is not reported there
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Forecast", exact=True).first.click()
    page.wait_for_url(lambda url: "/forecast" in url)
    wait_ready(page)
    assert page.get_by_text("Ignored link parameter").count() == 0
