"""Routing chrome: make every page run through app.py's st.navigation."""

from __future__ import annotations

import streamlit as st


def ensure_router() -> None:
    """Make sure pages run through app.py's st.navigation (shared sidebar, filters, URL sync).

    Streamlit still has its legacy "pages/ folder" runner: in a fresh server process, until some
    session has called st.navigation, a deep link such as /regions runs pages/regions.py on its
    own. Every page calls this first. A run started by that legacy runner (`_mpa_v1` on the stack)
    switches the legacy mode off and reruns, so the request goes through app.py and lands on the
    same page. Under AppTest (which re-enables the legacy runner before every run) a rerun would
    swallow widget events such as button clicks, so there the page simply goes on with the session's
    filters (sidebar widgets rendered from a legacy run would get new ids and reset the filters).
    """
    import inspect

    from streamlit.runtime.pages_manager import PagesManager

    if not PagesManager.uses_pages_directory:
        return
    if not any(frame.function == "_mpa_v1" for frame in inspect.stack(context=0)):
        PagesManager.uses_pages_directory = False  # already routed by app.py's st.navigation
        return
    if _in_apptest():
        return  # the session's filters (parsed on its first run) still apply; no sidebar widgets here
    PagesManager.uses_pages_directory = False
    st.rerun()


def _in_apptest() -> bool:
    """True inside streamlit.testing's AppTest, whose runtime is a MagicMock."""
    from unittest.mock import MagicMock, NonCallableMagicMock

    from streamlit.runtime import Runtime

    return isinstance(getattr(Runtime, "_instance", None), (MagicMock, NonCallableMagicMock))
