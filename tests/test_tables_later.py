"""Tables after the first chart (workforce/ui/tables_later.py, issue 19): on a chart page a session's first tables
wait until its first chart is painted, once per session; never under AppTest, nor on a page without a preloader.
The browser side (the preloader asks for the tables once the chart is painted) is tests/test_e2e_live_chart.py."""

from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT
from workforce.ui import tables_later


@pytest.fixture
def session(monkeypatch):
    """A running session outside AppTest on page "forecast": its state, and the heights of the boxes drawn."""
    boxes, page = [], {"hash": "forecast"}
    fake = SimpleNamespace(session_state={}, container=lambda height, border, key: boxes.append((height, border, key)))
    monkeypatch.setattr(tables_later, "st", fake)
    monkeypatch.setattr(tables_later, "in_apptest", lambda: False)
    monkeypatch.setattr(tables_later, "_page", lambda: page["hash"])
    return SimpleNamespace(state=fake.session_state, boxes=boxes, page=page)


def test_a_chart_pages_tables_wait_for_its_first_chart_then_never_again(session):
    assert tables_later.hold_here()
    assert tables_later.hold(3) and tables_later.hold(250) and tables_later.hold(0)
    assert tables_later.hold(4, height=600)
    # st.dataframe's "auto" height: header and up to ten rows, so the page does not jump when the table comes
    assert [(h, b) for h, b, _ in session.boxes] == [(38 + 3 * 35, False), (38 + 10 * 35, False), (38 + 35, False),
                                                     (600, False)]
    assert len({key for _, _, key in session.boxes}) == 4  # each its own key
    tables_later.painted()  # the preloader's callback: the rerun sends them
    assert not tables_later.hold_here() and not tables_later.hold(3)
    session.page["hash"] = "training"  # and no other page holds them again in this session
    assert not tables_later.hold_here() and not tables_later.hold(3)
    assert len(session.boxes) == 4


def test_a_table_on_a_page_without_a_preloader_is_sent_and_ends_the_wait(session):
    assert tables_later.hold_here()  # /forecast's preloader ran …
    session.page["hash"] = "sources"  # … but the visitor went on to /sources before its chart was painted
    assert not tables_later.hold(5)  # sent: the browser now loads the data grid anyway
    session.page["hash"] = "forecast"
    assert not tables_later.hold_here() and not tables_later.hold(5)
    assert session.boxes == []


def test_nothing_waits_under_apptest(session, monkeypatch):
    monkeypatch.setattr(tables_later, "in_apptest", lambda: True)
    assert not tables_later.hold_here() and not tables_later.hold(3)
    assert session.boxes == [] and tables_later.HOLD_PAGE not in session.state


def test_every_table_is_in_the_first_run_under_apptest():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/forecast.py").run()
    assert not at.exception
    assert len(at.dataframe) >= 5


def test_the_tables_run_shows_the_first_runs_notices_about_the_link_again(monkeypatch):
    """The first run cleans the URL (unknown or invalid parameters named in a notice); the run that sends the tables
    follows it and shows those notices again, once; a later run does not."""
    from workforce.ui import router

    shown = []
    fake = SimpleNamespace(session_state={}, warning=lambda md, icon=None: shown.append(md))
    monkeypatch.setattr(router, "st", fake)
    monkeypatch.setattr(tables_later, "st", fake)
    router.begin_notices()  # the first run
    router.url_notice("Ignored link parameter(s): zz.")
    router.url_notice("Ignored link parameter(s): zz.")  # once per run
    assert shown == ["Ignored link parameter(s): zz."]
    tables_later.painted()
    router.begin_notices()  # the tables' run: its URL is clean, the notice comes again
    assert shown == ["Ignored link parameter(s): zz."] * 2
    router.begin_notices()  # the visitor's next run: gone
    assert len(shown) == 2
