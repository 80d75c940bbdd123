"""NUTS geometry for figures, loaded once per process (read-only: never mutate the result)."""

from __future__ import annotations

import streamlit as st


@st.cache_resource(show_spinner=False)
def shapes(level: int, version: int) -> dict:
    """GeoJSON of all NUTS regions of `level` in `version`, coordinates as arrays (raises OSError/ValueError)."""
    from workforce import geo

    return geo.with_array_coordinates(geo.load_regions(version=version, level=level))
