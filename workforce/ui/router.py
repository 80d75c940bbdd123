"""Routing chrome: make every page run through app.py's st.navigation; the URL parameters each page knows."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from workforce import params, text
from workforce.i18n import t
from workforce.ui.server import in_apptest

# The page's favicon: 🔋 drawn as Streamlit's front end draws an emoji favicon (an SVG data URL), given in ASCII.
# Given as the emoji itself, `st.set_page_config` checks it against Streamlit's emoji catalogue, whose import
# compiles a regular expression of every emoji: ≈ 0.1 s of each new server process's first run
# (docs/PERFORMANCE.md, "Thirteenth cut").
FAVICON = "data:image/svg+xml," + quote("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
                                        "<text y='.9em' font-size='90'>\U0001F50B</text></svg>", safe="")


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
    if in_apptest():
        drop_unknown_params(_lang())  # app.py's sidebar did not run: the page still reports unknown parameters
        return  # the session's filters (parsed on its first run) still apply; no sidebar widgets here
    PagesManager.uses_pages_directory = False
    st.rerun()


def page_paths() -> tuple[str, set[str]]:
    """(url_path of the page being run, url_paths of all pages); ('', set()) when unknown."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        manager = get_script_run_ctx().pages_manager
        pages = manager.get_pages()
        page = pages.get(manager.current_page_script_hash) or {}
        return str(page.get("url_pathname") or ""), {str(p.get("url_pathname") or "") for p in pages.values()} - {""}
    except Exception:  # noqa: BLE001 - internal API; the link then points at the app root
        return "", set()


def page_params() -> dict[str, tuple[str, ...]]:
    """URL parameters a page reads itself (beside the shared filters), by the page's url_path ("" = home)."""
    from workforce.views import forecast_data as fv

    return {
        "regions": ("metric", "layers"),
        "present": ("story", "slide"),
        "forecast": ("by", "cmp", "key", *(spec.key for spec in fv.WHAT_IF)),
    }


NOTICES = "_atlas_url_notices"  # session: the notices about the link shown in the last run (escaped Markdown)
REPEAT_NOTICES = "_atlas_repeat_notices"  # session: the next run shows them again (the run that sends the tables)


def begin_notices() -> None:
    """Start a run's notices about its link (filters.sidebar, every full run): the last run's are shown again when
    this run is the one that sends a page's tables (tables_later.painted): it follows the first run, whose URL has
    been cleaned meanwhile, and must not take its notices away."""
    shown = st.session_state.pop(NOTICES, [])
    st.session_state[NOTICES] = []
    if st.session_state.pop(REPEAT_NOTICES, False):
        for md in shown:
            url_notice(md)


def url_notice(md: str) -> None:
    """A notice about the link (escaped Markdown: it echoes URL text), once per run, kept for the tables' run."""
    shown = st.session_state.setdefault(NOTICES, [])
    if md not in shown:
        shown.append(md)
        st.warning(md, icon=None)


def drop_unknown_params(lang: str = "en") -> list[str]:
    """Unknown URL parameters are ignored with a notice on every page: named (escaped, cut short) in a
    warning and removed from the URL, so the permalink does not carry them on. Unknown = read by no page:
    the shared filters, Streamlit's own and every page's parameters (`page_params`) are known anywhere, so
    a link such as ?story=hu that reaches the default page first loses nothing. Returns the names dropped."""
    allowed = tuple(k for keys in page_params().values() for k in keys)
    unknown = params.unknown_keys(list(st.query_params), allowed)
    if not unknown:
        return []
    for key in unknown:
        del st.query_params[key]
    url_notice(t("url.unknown_params", lang, names=text.md(params.shown_names(unknown))))
    return unknown


def _lang() -> str:
    f = st.session_state.get("filters")
    return getattr(f, "lang", "en")
