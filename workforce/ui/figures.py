"""Shared figures: NUTS geometry cached per process, map views, one figure per view shared between viewers."""

from __future__ import annotations

import streamlit as st

from workforce import charts, db, session
from workforce.i18n import t
from workforce.ui.filters import current
from workforce.views import geometry as geometry_views


def view_for(nuts_id: str | None) -> dict | None:
    """Map centre/zoom for a country or region code; None = Europe."""
    if not nuts_id:
        return None
    bounds = db.run("region_bounds", nuts_id=nuts_id)
    if bounds.empty:
        return None
    b = bounds.iloc[0]
    return charts.view_from_bounds(b["minx"], b["miny"], b["maxx"], b["maxy"])


_geometry_cached = geometry_views.shapes  # one process-wide cache, shared with slides


def _empty_geometry() -> dict:
    return {"type": "FeatureCollection", "features": []}


def geometry(level: int, version: int = 2024) -> dict:
    """NUTS geometry, loaded once per process (read-only: never mutate the result).

    A missing or corrupt geometry file gives an empty collection and a warning banner
    (failures are not cached, so a repaired file is picked up on the next run)."""
    try:
        shapes = _geometry_cached(level, version)
        if isinstance(shapes, dict) and isinstance(shapes.get("features"), list):
            return shapes
    except (OSError, ValueError):  # json.JSONDecodeError is a ValueError
        pass
    st.warning(t("geometry.unavailable", current().lang, level=level, version=version))
    return _empty_geometry()


def geometry_for(level: int, nuts_ids: list[str]) -> dict:
    """Only the shapes of the given regions, versions merged as every map merges them (geo.merge_versions: 2024,
    plus the UK from 2021); a version whose file cannot be read is left out with a warning."""
    from workforce import geo  # shapely: not at import time (a new process's first run)

    merged = geo.merge_versions(geometry(level, v) for v in geo.MAP_VERSIONS)
    return geo.subset(merged, nuts_ids)


def country_outlines() -> dict:
    """NUTS 0 shapes of every country (2024, the UK from 2021): borders under maps without regions."""
    from workforce import geo

    return geo.merge_versions(geometry(0, v) for v in geo.MAP_VERSIONS)


def shared_figure(key: tuple, build):
    """`build()` (a figure from catalog data) once per process per `key`, shared read-only between sessions.

    `key` names everything the figure depends on (view, filters, language) in small values: hashing them
    costs microseconds, hashing the input frames would cost milliseconds. A figure is the most expensive
    thing on a page (validation, hover text per row) and identical for every viewer of a view, so a seminar
    room opening one link builds it once. Streamlit copies a figure when it sends it; callers must not
    mutate the result. With uploads in this session the figure is built for this session only (uploads
    never enter a shared cache)."""
    if session.uploads():
        return build()
    return _shared_figure(key, build)


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared_figure(key: tuple, _build):
    return _build()
