"""Shared filters: sidebar widgets, the canonical `Filters` in session state, URL sync and permalinks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import db, params, text
from workforce.i18n import country_name, t
from workforce.ui import router
from workforce.ui.router import page_paths as _page_paths

SHARED_KEYS = params.SHARED_KEYS


LANG_NAMES = {"en": "English", "fi": "Suomi", "hu": "Magyar", "de": "Deutsch"}


def countries() -> pd.DataFrame:
    return db.run("countries")


def sidebar() -> params.Filters:
    """Render the shared filters. The canonical state is `st.session_state["filters"]` (read from
    the URL on a session's first run); widgets mirror it and write back through on_change."""
    country_df = countries()
    names = dict(zip(country_df["country"], country_df["name"]))
    if "filters" not in st.session_state:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        parsed, warnings = params.parse(raw, set(names), localise=True)
        parsed = _region_2024(parsed, warnings)
        # the warnings first: Streamlit may stop a run at any session-state access, and "filters" is the mark
        # that the URL was read (a run stopped between the two then reads it again, and keeps its warnings)
        st.session_state["flt_warnings"] = warnings
        st.session_state["filters"] = parsed
    for key in ("country", "level", "year", "lang", "scenario"):
        canonical = _widget_value(key, getattr(st.session_state["filters"], key))
        if f"flt_{key}" not in st.session_state:  # widget state is dropped on page switches
            st.session_state[f"flt_{key}"] = canonical
        elif st.session_state[f"flt_{key}"] != canonical:
            _store(key)  # a widget value set by code (e.g. presenter language) wins
    state: params.Filters = st.session_state["filters"]
    lang = state.lang
    with st.sidebar:
        st.selectbox(t("filter.language", lang), params.LANGS, key="flt_lang", format_func=LANG_NAMES.get,
                     on_change=_store, args=("lang",))
        st.selectbox(
            t("filter.country", lang), [ALL_EUROPE, *names], key="flt_country", on_change=_store, args=("country",),
            format_func=lambda c: t("filter.all_europe", lang) if c == ALL_EUROPE else f"{country_name(c, lang)} ({c})",
        )
        st.radio(t("filter.level", lang), params.LEVELS, key="flt_level", horizontal=True,
                 format_func=lambda lv: f"NUTS-{lv}", on_change=_store, args=("level",))
        st.select_slider(t("filter.year", lang), params.YEARS, key="flt_year", on_change=_store, args=("year",))
        st.selectbox(t("filter.scenario", lang), params.SCENARIOS, key="flt_scenario",
                     format_func=lambda s: t(f"scenario.{s}", lang), on_change=_store, args=("scenario",))
    router.begin_notices()
    for warning in st.session_state.pop("flt_warnings", []):
        router.url_notice(text.md(warning))  # echoes URL text: escaped
    router.drop_unknown_params(lang)
    filters = current()
    sync_url(filters)
    return filters


def _region_2024(f: params.Filters, warnings: list[str]) -> params.Filters:
    """?region= of any NUTS vintage (2010–2024): mapped to NUTS 2024 with a notice, or dropped with a clear
    message when it was split or is unknown — never an exception."""
    from dataclasses import replace

    from workforce import geo

    if not f.region:
        return f
    try:
        mapping, _ = geo.to_nuts2024([f.region])
        row = mapping.iloc[0]
    except Exception:  # noqa: BLE001 - geometry files missing: keep the code as given
        return f
    target = str(row["nuts_id_2024"] or "")
    if target == f.region:
        return f
    lang = f.lang
    if target:
        warnings.append(t("url.region_mapped", lang, code=f.region, target=target,
                          source=row["source"] or t("url.older_nuts", lang)))
        return replace(f, region=target)
    reason = {"split": "split", "boundary_change": "boundary", "unknown": "unknown"}.get(str(row["relation"]),
                                                                                      "no_single")
    note = f" ({row['note']})" if row["note"] else ""
    warnings.append(t(f"url.region_{reason}", lang, code=f.region, note=note))
    return replace(f, region=None)


ALL_EUROPE = "*"  # the country selectbox's "All of Europe" option (None shows a placeholder)


def _widget_value(key: str, value):
    return ALL_EUROPE if key == "country" and value is None else value


def _store(key: str) -> None:
    """on_change: copy one widget's value into the canonical filters."""
    from dataclasses import replace

    value = st.session_state[f"flt_{key}"]
    if key == "country" and value == ALL_EUROPE:
        value = None
    changes = {key: value}
    if key == "country":
        changes["region"] = None
    st.session_state["filters"] = replace(st.session_state["filters"], **changes)


def current() -> params.Filters:
    f = st.session_state.get("filters") or params.Filters()
    if f.region and f.country and not f.region.startswith(f.country):
        from dataclasses import replace

        f = replace(f, region=None)
    return f


def set_region(region: str | None) -> None:
    from dataclasses import replace

    st.session_state["filters"] = replace(current(), region=region)
    sync_url(current())


def sync_url(filters: params.Filters) -> None:
    """Write the shared filters into the URL, leaving page-specific keys alone."""
    wanted = filters.to_query()
    for key in SHARED_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def current_page_path() -> str:
    """url_path of the page being run ('' for the default page)."""
    return _page_paths()[0]


PERMALINK_KEY = "permalink_box"


def permalink_url() -> str:
    """Absolute URL of the current view: app URL + page path + current query parameters."""
    from urllib.parse import urlencode

    from workforce.views import DEFAULT_BASE_URL

    try:
        browser_url = st.context.url
    except Exception:  # noqa: BLE001 - not available outside a browser session
        browser_url = None
    base = (browser_url or DEFAULT_BASE_URL).rstrip("/")
    path, all_paths = _page_paths()
    head, _, last = base.rpartition("/")
    if last in all_paths and "//" in head + "/":  # st.context.url may still end with a page path
        base = head
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    qs = urlencode([(k, v) for k, values in query.items() for v in values])
    return f"{base}/{path}".rstrip("/") + (f"?{qs}" if qs else "")


def permalink_open() -> bool:
    """Whether "Link to this view" is open (its code block shows the URL). A fragment that changes a page
    parameter then reruns the whole app so the link in the sidebar follows (issue 19)."""
    return bool(st.session_state.get(PERMALINK_KEY))


def permalink(lang: str = "en") -> None:
    """A 'link to this view' box with a copy button (st.code), no external requests. The code block is drawn only
    once the box is opened: st.code pulls Streamlit's 1.56 MB syntax-highlighter bundle into every first visit
    otherwise (issue 19; the address bar already holds the same link)."""
    box = st.sidebar.expander(t("permalink.label", lang), icon=":material/link:", key=PERMALINK_KEY,
                              on_change="rerun")
    with box:
        if box.open:
            st.code(permalink_url(), language=None, wrap_lines=True)
        st.caption(t("permalink.help", lang))
