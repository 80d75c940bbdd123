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


def session_frames() -> dict[str, pd.DataFrame]:
    """Catalog table ∪ this session's uploaded rows (uploaded rows replace the same ids)."""
    from workforce import upload

    return {name: upload.merge(catalog_table(name), df, name) for name, df in uploads().items() if len(df)}


def run(name: str, **query_params) -> pd.DataFrame:
    """db.run with this session's uploads overlaid (uncached when uploads exist)."""
    return db.run(name, frames=session_frames() or None, **query_params)
