"""Tables after the first chart (issue 19): on a chart page a session's first tables wait until its first chart is
painted.

Streamlit draws a table with a data grid whose JavaScript (≈ 1.2 MB) the browser loads, compiles and lays out the
first time a session shows a table, wherever the table is on the page (below the chart, in a collapsed expander):
measured on /forecast, the first chart was painted at 1.48–1.68 s with the page's tables and at 1.27–1.32 s without
them; /training 1.75–1.89 s against 1.45–1.51 s (docs/PERFORMANCE.md, "Eighth cut").

So, until a session has been sent its first table, a table on a chart page (one that calls `ui.preload_live_chart`)
is held: a blank box of the table's height takes its place. The page's preloader (live_chart.js) tells the server
once the first chart has been painted and a box is on the page (or after 5 s without a chart), and the page runs
again with its tables (one more run per session, on the first chart page it opens). Once a session has been sent a
table, its browser has the grid and nothing is held again. Never held under AppTest (tests see every table in the first run), nor on pages without
a preloader, nor where live charts are off.
"""

from __future__ import annotations

import streamlit as st

from workforce.ui import router
from workforce.ui.server import in_apptest

READY = "_atlas_tables_ready"  # session: a table has been sent (its browser has the data grid) or the chart is painted
HOLD_PAGE = "_atlas_tables_hold_page"  # session: the page whose tables wait for its first chart
WAITING = "_atlas_tables_waiting"  # session: how many boxes have stood in for a table (each box's key)
BOX = "atlas_table_wait_"  # key prefix of the box that stands in for a held table
BOX_SELECTOR = f'[class*="st-key-{BOX}"]'  # such a box on the page (live_chart.js, bench browser, e2e tests)
ROW_PX, HEADER_PX, MAX_ROWS = 35, 38, 10  # st.dataframe's rows and header; "auto" height shows up to 10 rows


def _page() -> str:
    return router.page_paths()[0]  # the url path of the page being run


def waiting() -> bool:
    """True while this session's tables still wait for a first chart (the preloader then asks for the rerun)."""
    return not in_apptest() and not st.session_state.get(READY, False)


def hold_here() -> bool:
    """Called by the page's preloader: hold this page's tables until its first chart is painted (a session that
    has not been sent a table yet). Returns whether they are held."""
    if not waiting():
        return False
    st.session_state[HOLD_PAGE] = _page()
    return True


def painted() -> None:
    """The preloader's callback: the first chart is painted; the run it starts sends the tables (and shows the
    first run's notices about the link again: router.begin_notices)."""
    st.session_state[router.REPEAT_NOTICES] = True  # first: a run stopped between the two keeps the notices
    st.session_state[READY] = True


def hold(rows: int, height: int | str | None = None) -> bool:
    """True when a table of `rows` rows (at `height`, st.dataframe's) is to wait for the page's first chart: a blank
    box of its height is drawn in its place. False when it is to be drawn now (the session's tables are marked as
    sent: its browser will have the data grid)."""
    if not waiting():
        return False
    if st.session_state.get(HOLD_PAGE) != _page():  # a page without a preloader: sent now
        st.session_state[READY] = True
        return False
    px = height if isinstance(height, int) else HEADER_PX + ROW_PX * min(max(int(rows), 1), MAX_ROWS)
    n = st.session_state[WAITING] = st.session_state.get(WAITING, 0) + 1  # a key of its own
    st.container(height=px, border=False, key=f"{BOX}{n}")
    return True
