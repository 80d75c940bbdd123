"""This session's uploads overlaid on the catalog: the only module that knows about Streamlit sessions.

`run(name, **params)` is `db.run` with this session's uploaded rows shadowing the catalog tables (uncached when
uploads exist); `session_frames()` the overlaid tables; `uploads()` the raw valid rows per table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import db

UPLOADS_KEY = "uploads"  # st.session_state[UPLOADS_KEY][table] = valid uploaded rows (this session only)


def uploads() -> dict[str, pd.DataFrame]:
    """This session's uploaded (valid) rows per table; never shared between sessions."""
    return st.session_state.get(UPLOADS_KEY) or {}


@st.cache_data(show_spinner=False)
def catalog_table(name: str) -> pd.DataFrame:
    """A whole catalog table (shared catalog data only; never session uploads), cached per process."""
    return db.catalog_table(name)


@st.cache_data(ttl=30, show_spinner=False)
def contribution_frames() -> dict[str, pd.DataFrame]:
    """Catalog tables with the store's approved contributions (issue 20), refreshed every 30 s for every viewer
    without a restart; {} when no store is configured (WORKFORCE_STORE_URL unset and no .data/store.sqlite) or
    it cannot be read (the atlas then shows the curated data only)."""
    from workforce import store_configured

    if not store_configured():
        return {}  # before importing the store: a read-only atlas never loads SQLAlchemy
    from workforce import contributions, store

    try:
        eng = store.engine()
        try:
            approved = {kind: store.approved(eng, kind) for kind in ("plant_event", "programme", "partnership")}
        finally:
            eng.dispose()
    except Exception:  # noqa: BLE001 - an unreachable or not-yet-migrated store must not break a page
        return {}
    return contributions.catalog_rows(approved, catalog_table)


def session_frames() -> dict[str, pd.DataFrame]:
    """Catalog table (with approved contributions) ∪ this session's uploaded rows (uploaded rows replace the
    same ids)."""
    frames = dict(contribution_frames())
    for name, df in uploads().items():
        if len(df):
            from workforce import upload  # only with uploads: pandera is not loaded for a plain page

            frames[name] = upload.merge(frames.get(name, catalog_table(name)), df, name)
    return frames


def run(name: str, **query_params) -> pd.DataFrame:
    """db.run with this session's uploads overlaid (uncached when uploads exist)."""
    return db.run(name, frames=session_frames() or None, **query_params)
