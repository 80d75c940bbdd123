"""AppTest smoke test of every page (the meta-test fails when a page has no case)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_specs
from workforce import ROOT

TIMEOUT = 60


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [str(m.value) for m in at.metric] + [m.label for m in at.metric]
    return "\n".join(parts)


PAGES = {
    "overview": lambda at: ("4,000,000" in all_text(at) and "800,000" in all_text(at)),
    "regions": lambda at: len(chart_specs(at)) >= 1,
    "forecast": lambda at: len(chart_specs(at)) >= 1,
    "training": lambda at: len(at.dataframe) >= 1,
    "partnerships": lambda at: len(at.dataframe) >= 1,
    # a slide with its content; no QR without WORKFORCE_PUBLIC_URL (issue 21: a QR no phone can open is worse)
    "present": lambda at: len(at.title) >= 1 and (len(chart_specs(at)) >= 1 or len(at.metric) >= 1),
    "sources": lambda at: len(at.dataframe) >= 2,
    "explorer": lambda at: len(at.text_area) == 1 and len(at.expander) >= 1,
    # read-only by default: no sign-in configured, so no form, and a note on how to enable contributions
    "contribute": lambda at: not at.text_input and any("not enabled" in i.value for i in at.info),
    "review": lambda at: not at.text_input and not at.button and any("not enabled" in i.value for i in at.info),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_renders_real_data(page):
    at = open_page(page)
    assert PAGES[page](at), f"{page} shows its data"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_with_country_filter(page):
    at = open_page(page, country="HU", level="2", year="2030")
    assert at.session_state["filters"].country == "HU"


def test_every_page_has_a_smoke_test():
    pages = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert pages == set(PAGES)


def test_hostile_query_params_do_not_crash():
    at = open_page("overview", country="<img src=x onerror=alert(1)>", level="9", year="abc", lang="zz")
    assert at.session_state["filters"].country is None
    assert len(at.warning) >= 1


def test_filters_survive_widget_changes_and_page_switches():
    at = open_page("overview", country="HU", year="2032")
    assert at.query_params["country"] == ["HU"] or at.query_params["country"] == "HU"
    at.sidebar.select_slider[0].set_value(2033).run()
    assert at.session_state["filters"].year == 2033
    at.switch_page("pages/regions.py").run()
    assert not at.exception
    assert at.session_state["filters"].year == 2033 and at.session_state["filters"].country == "HU"


def test_sources_page_opens_with_the_sources_not_build_notes():
    at = open_page("sources")
    assert at.subheader[0].value == "All sources" or "source" in at.subheader[0].value.lower()
    outside = "\n".join(m.value for m in at.markdown if "pip install" in m.value)
    expander_text = "\n".join(m.value for e in at.expander for m in e.markdown)
    assert "pip install" not in outside.replace(expander_text, "")


def test_overview_counts_are_integers():
    import re

    at = open_page("overview")
    captions = " ".join(c.value for c in at.caption)
    assert "sites in" in captions and not re.search(r"\b\d+\.0 (sites|countries|operating)", captions), captions
