"""The /forecast track-record panel's table, cached per scenario (the numbers come from views.hindcast.hindcast,
the same builder as `python -m workforce forecast --as-of DATE`; this module only caches and picks the runner)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import db
from workforce.views import forecast_data as fv
from workforce.views import hindcast

DATES = hindcast.DATES
YEARS = hindcast.YEARS


def track_record(scenario: str) -> pd.DataFrame:
    """hindcast.hindcast for the page's scenario (page draws and seed, like the CLI defaults), all Europe."""
    runner = fv._session_runner()
    if runner:
        return _build(scenario, runner)
    return _cached(scenario)


@st.cache_data(show_spinner=False, max_entries=8)
def _cached(scenario: str) -> pd.DataFrame:
    return _build(scenario, db.run)


def _build(scenario: str, run) -> pd.DataFrame:
    return hindcast.hindcast(run, fv.make_params(scenario))
