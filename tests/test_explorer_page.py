"""AppTest of /explorer: run a query and see rows; a hostile query shows a plain error without paths."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.test_pages import open_page


def run_query(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql_text").set_value(sql)
    at.button(key="sql_run").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_query_shows_results_chart_and_history():
    at = open_page("explorer")
    run_query(at, "select range as n, range * 2 as doubled from range(25)")
    assert len(at.error) == 0, [e.value for e in at.error]
    df = at.dataframe[0].value
    assert len(df) == 25 and list(df.columns) == ["n", "doubled"]
    assert len(at.get("arrow_vega_lite_chart")) + len(at.get("vega_lite_chart")) >= 1
    assert len(at.get("download_button")) == 1
    assert at.session_state["sql_history"][0].startswith("select range")


def test_truncated_results_warn():
    at = run_query(open_page("explorer"), "select * from range(20000)")
    assert not at.error, [e.value for e in at.error]  # a refused or stopped query says why here
    assert len(at.dataframe[0].value) == 10_000
    assert len(at.warning) >= 1


def test_hostile_query_shows_error_without_path():
    at = open_page("explorer")
    for sql in ("select * from read_csv('/etc/passwd')", "copy plants to '/tmp/x.csv'",
                "select cast('/etc/passwd' as integer)", "select 1; drop table plants"):
        run_query(at, sql)
        assert len(at.error) == 1, sql
        message = at.error[0].value
        assert not re.search(r"/(etc|tmp|root|work)\b", message), message
        assert "Traceback" not in message
        assert len(at.dataframe) == 0
