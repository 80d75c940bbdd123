"""Plotly figure builders (pure: DataFrame in, Figure out). Offline only: `*_map` traces with
map_style="white-bg", never geo traces that fetch a CDN topojson. All data text is HTML-escaped."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from workforce import pipeline
from workforce.i18n import t
from workforce.text import html_text

ATTRIBUTION = "© EuroGeographics for the administrative boundaries"
# Okabe–Ito colour-blind-safe palette; status is also carried by pattern/shape and text.
STATUS_COLORS = {
    "operating": "#009E73",
    "under_construction": "#0072B2",
    "announced": "#E69F00",
    "paused": "#CC79A7",
    "cancelled": "#7F7F7F",
}
STATUS_PATTERNS = {"operating": "", "under_construction": "/", "announced": ".", "paused": "x", "cancelled": "-"}
STATUS_ORDER = list(STATUS_COLORS)
# Maps carry status by marker shape too. MapLibre symbol markers and text need a sprite/glyph server that the
# offline white-bg style lacks, so each shape is concentric circles: the status disc, then overlay discs
# (diameter as a fraction of the outer marker, fill "white" or the status colour). The glyph (DejaVu Sans has
# all five) prefixes the legend name and the caption `map.status_symbols`.
STATUS_GLYPHS = {"operating": "●", "under_construction": "◉", "announced": "○", "paused": "◎", "cancelled": "◌"}
STATUS_RINGS: dict[str, tuple[tuple[float, str], ...]] = {
    "operating": (),                                                     # solid disc
    "under_construction": ((0.72, "white"), (0.44, "status")),          # bullseye: ring + centre dot
    "announced": ((0.52, "white"),),                                     # thick ring
    "paused": ((0.82, "white"), (0.62, "status"), (0.40, "white")),     # double ring
    "cancelled": ((0.80, "white"),),                                     # thin ring
}
PLANT_MIN_SIZE, PLANT_MAX_SIZE = 12.0, 40.0  # px diameter; 12 keeps the inner rings readable
EUROPE_VIEW = {"lat": 52.0, "lon": 14.0, "zoom": 2.6}


def _layout(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=html_text(title) if title else None, height=height, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        font=dict(size=14), legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0),
    )
    return fig


def unvalidated_figure(data: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain trace/layout dicts without Plotly's per-property validation (10× faster to build;
    the JSON is the same). Only for builders whose output a test re-validates (tests/test_figures_valid.py)."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def pipeline_bar(df: pd.DataFrame, value: str = "sites", title: str | None = None) -> go.Figure:
    """Stacked bars per country, one trace per plant status (colour + pattern)."""
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = df[df["status"] == status]
        if part.empty:
            continue
        fig.add_bar(
            x=part["country"].map(html_text), y=part[value], name=status.replace("_", " "),
            marker=dict(color=STATUS_COLORS[status], pattern=dict(shape=STATUS_PATTERNS[status])),
            hovertemplate="%{x}: %{y:,.0f} " + html_text(value.replace("_", " ")) + f" ({status.replace('_', ' ')})<extra></extra>",
        )
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=value.replace("_", " "))
    return _layout(fig, title)


def plants_map(df: pd.DataFrame, view: dict | None = None, size_by: str = "jobs_announced", height: int = 520,
               lang: str = "en") -> go.Figure:
    """Sites as points coloured and shaped by status; hover shows company, segment, capacity, jobs, source."""
    fig = go.Figure()
    add_plants(fig, df, size_by, lang=lang)
    return map_layout(fig, view, height)


def status_label(status: str, lang: str = "en") -> str:
    """Legend name of a plant status: its glyph, then the status in the UI language ("◉ under construction")."""
    key = f"present.status.{status}"
    label = t(key, lang)
    return f"{STATUS_GLYPHS.get(status, '●')} {status.replace('_', ' ') if label == key else label}"


def status_symbols_caption(lang: str = "en") -> str:
    """The text key of the plant shapes, shown under every plants map (markdown-safe: catalogue text only)."""
    legend = " · ".join(f"{status_label(s, lang)} ({t(f'map.shape.{s}', lang)})" for s in STATUS_ORDER)
    return t("map.status_symbols", lang, legend=legend)


def plant_marker_sizes(sizes: pd.Series, size_by: str = "jobs_announced") -> pd.Series:
    """Marker diameter (px) from the size column: PLANT_MIN_SIZE + sqrt(value) x scale, capped."""
    scale = 0.35 if size_by == "jobs_announced" else 2.0
    values = pd.to_numeric(sizes, errors="coerce").fillna(0).clip(lower=0).astype(float)
    return (PLANT_MIN_SIZE + (values ** 0.5) * scale).clip(upper=PLANT_MAX_SIZE)


def add_plants(fig: go.Figure, df: pd.DataFrame, size_by: str = "jobs_announced", lang: str = "en") -> go.Figure:
    """Per plant status one hoverable scattermap trace (colour + glyph-prefixed legend name; the hover states
    the status too) and its pattern overlays (STATUS_RINGS): same points, smaller discs, hoverinfo "skip"
    (no hover, no click/selection events), no legend entry, same legendgroup (the legend toggles the shape).
    `meta` = {"status", "layer"} (0 = the hoverable disc) lets tests and the browser find the layers."""
    pts = pipeline.with_freshness(df.dropna(subset=["lat", "lon"]))
    size_col = pts[size_by] if size_by in pts else pd.Series(0.0, index=pts.index)
    for status in STATUS_ORDER:
        part = pts[pts["status"] == status]
        if part.empty:
            continue
        marker_size = plant_marker_sizes(size_col.reindex(part.index), size_by)
        order = marker_size.sort_values(ascending=False, kind="stable").index  # small sites drawn over big ones
        part, marker_size = part.loc[order], marker_size.loc[order]
        colour = STATUS_COLORS[status]
        hover = [_plant_hover(r) for r in part.itertuples(index=False)]
        fig.add_scattermap(
            lat=part["lat"], lon=part["lon"], mode="markers", name=status_label(status, lang),
            legendgroup=status, meta={"status": status, "layer": 0},
            marker=dict(size=marker_size.round(1), color=colour, opacity=0.9),
            text=hover, hovertemplate="%{text}<extra></extra>",
        )
        for layer, (fraction, fill) in enumerate(STATUS_RINGS[status], start=1):
            white = fill == "white"
            opacity = 1.0 if white else 0.9
            fig.add_scattermap(
                lat=part["lat"], lon=part["lon"], mode="markers", name=f"{status} pattern {layer}",
                legendgroup=status, showlegend=False, hoverinfo="skip", meta={"status": status, "layer": layer},
                marker=dict(size=(marker_size * fraction).round(1), color="#ffffff" if white else colour,
                            opacity=opacity),
                # a selection elsewhere dims unselected points; the white holes stay so the shape survives
                unselected=dict(marker=dict(opacity=1.0)) if white else None,
            )
    return fig


def add_providers(fig: go.Figure, df: pd.DataFrame, name: str = "training providers") -> go.Figure:
    """Training programmes as small dark squares-like markers (one trace; hover names provider and source)."""
    pts = df.dropna(subset=["lat", "lon"])
    if pts.empty:
        return fig
    hover = [
        "<br>".join([
            f"<b>{html_text(r.provider)}</b>",
            html_text(r.programme),
            f"EQF {html_text('' if pd.isna(r.eqf_level) else int(r.eqf_level)) or 'n/a'} · "
            f"{html_text(str(r.mode or '').replace('_', ' '))}",
            f"Source: {html_text(r.source_title)} ({html_text(r.as_of or 'undated')})",
        ])
        for r in pts.itertuples(index=False)
    ]
    fig.add_scattermap(lat=pts["lat"], lon=pts["lon"], mode="markers", name=name,
                       marker=dict(size=9, color="#222222", opacity=0.8), text=hover,
                       hovertemplate="%{text}<extra></extra>")
    return fig


def _plant_hover(r) -> str:
    def fmt(v, unit=""):
        return "n/a" if v is None or pd.isna(v) else f"{v:,.0f}{unit}"

    cap_unit = f" {getattr(r, 'capacity_unit', '') or ''}"
    return "<br>".join([
        f"<b>{html_text(r.site_name)}</b>",
        f"{html_text(r.company)} · {html_text(r.segment)} · {html_text(str(r.status).replace('_', ' '))}",
        f"Capacity: {fmt(r.capacity_value, cap_unit)}",
        f"Jobs announced: {fmt(r.jobs_announced)}",
        f"Source: {html_text(r.source_title)} ({html_text(r.as_of or 'undated')})",
        *([f"<i>{html_text(r.freshness)}</i>"] if getattr(r, "freshness", "") else []),
    ])


def map_layout(fig: go.Figure, view: dict | None, height: int) -> go.Figure:
    view = view or EUROPE_VIEW
    fig.update_layout(
        map=dict(style="white-bg", center=dict(lat=view["lat"], lon=view["lon"]), zoom=view["zoom"]),
        height=height, margin=dict(l=0, r=0, t=0, b=0),
        legend=dict(orientation="h", yanchor="bottom", y=0.0, x=0, bgcolor="rgba(255,255,255,0.8)"),
        annotations=[dict(text=ATTRIBUTION, showarrow=False, xref="paper", yref="paper", x=1, y=0,
                          xanchor="right", yanchor="bottom", font=dict(size=10, color="#333"),
                          bgcolor="rgba(255,255,255,0.8)")],
    )
    return fig


def choropleth(geojson: dict, df: pd.DataFrame, value: str, label: str, view: dict | None = None,
               diverging: bool = False, height: int = 560, context: dict | None = None,
               uncertain: list[str] | None = None, uncertain_label: str = "uncertain",
               notes: list[str] | None = None) -> go.Figure:
    """NUTS choropleth on a blank base. `context` = faded geometry of the rest of Europe;
    `uncertain` = region ids greyed over (with a legend entry saying why); `notes` = one extra hover line per
    row of `df` (e.g. the baseline's reference year), '' for none."""
    fig = go.Figure()
    if context and context.get("features"):
        ids = [f["id"] for f in context["features"]]
        fig.add_choroplethmap(geojson=context, locations=ids, z=[0] * len(ids), showscale=False,
                              colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]], marker=dict(line=dict(width=0.3, color="#bbbbbb")),
                              hoverinfo="skip", name="context", showlegend=False)
    values = pd.to_numeric(df[value], errors="coerce").astype(float)
    if diverging:
        bound = float(values.abs().max()) if values.notna().any() else 1.0
        bound = bound or 1.0
        # colour-blind-safe diverging (blue = surplus of places, orange = shortfall), centred on 0
        scale, zmin, zmax, zmid = [[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b35806"]], -bound, bound, 0
    else:
        scale, zmin, zmax, zmid = "Viridis", None, None, None
    known = values.notna()
    hover = [f"<b>{html_text(n)}</b> ({html_text(i)})<br>{html_text(label)}: " + ("no data" if pd.isna(v) else f"{v:,.0f}")
             for i, n, v in zip(df["nuts_id"], df["name"], values)]
    if notes is not None:
        hover = [h + (f"<br>{html_text(x)}" if x else "") for h, x in zip(hover, notes, strict=True)]
    missing = df.loc[~known, "nuts_id"].tolist()
    if missing:  # regions without a value: light grey, never a colour of the scale
        fig.add_choroplethmap(geojson=subset_features(geojson, missing), locations=missing, z=[0] * len(missing), featureidkey="id",
                              colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]], showscale=False, name="no data",
                              marker=dict(opacity=0.7, line=dict(width=0.5, color="white")), showlegend=True,
                              text=[h for h, k in zip(hover, known) if not k], hovertemplate="%{text}<extra></extra>")
    fig.add_choroplethmap(
        geojson=subset_features(geojson, df.loc[known, "nuts_id"]), locations=df.loc[known, "nuts_id"], z=values[known], featureidkey="id", colorscale=scale,
        zmin=zmin, zmax=zmax, zmid=zmid, marker=dict(opacity=0.85, line=dict(width=0.5, color="white")),
        text=[h for h, k in zip(hover, known) if k], hovertemplate="%{text}<extra></extra>",
        colorbar=dict(title=dict(text=html_text(label)), len=0.7), name=html_text(label), showlegend=False,
    )
    if uncertain:
        fig.add_choroplethmap(geojson=subset_features(geojson, uncertain), locations=uncertain,
                              z=[0] * len(uncertain), featureidkey="id",
                              colorscale=[[0, "#555555"], [1, "#555555"]], showscale=False,
                              marker=dict(opacity=0.35, line=dict(width=1.5, color="#333333")),
                              name=html_text(uncertain_label), showlegend=True, hoverinfo="skip")
    return map_layout(fig, view, height)


def subset_features(geojson: dict, ids) -> dict:
    """A FeatureCollection holding only the features whose id is in `ids` (each trace carries only
    its own shapes, so the figure never ships the same geometry twice)."""
    wanted = set(ids)
    return {"type": "FeatureCollection", "features": [f for f in geojson.get("features", []) if f.get("id") in wanted]}


def view_from_bounds(minx: float, miny: float, maxx: float, maxy: float, width_px: int = 640,
                     height_px: int = 520) -> dict:
    """Centre and zoom (Web-Mercator tiles of 512 px) that fit a lon/lat box into the figure."""
    import math

    def merc_y(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    lon_span = max(maxx - minx, 0.05)
    y_span = max(merc_y(maxy) - merc_y(miny), 0.001)
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span))
    zoom = max(min(zoom_x, zoom_y) - 0.35, 1.0)
    centre_lat = math.degrees(math.atan(math.sinh((merc_y(maxy) + merc_y(miny)) / 2)))
    return {"lat": centre_lat, "lon": (minx + maxx) / 2, "zoom": round(zoom, 2)}


def sparkline(total: pd.DataFrame, height: int = 160) -> go.Figure:
    """Small P10–P90 band + P50 line of forecast jobs per year."""
    fig = go.Figure()
    fig.add_scatter(x=total["year"], y=total["jobs_p90"], mode="lines", line=dict(width=0), showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=total["year"], y=total["jobs_p10"], mode="lines", line=dict(width=0), fill="tonexty",
                    fillcolor="rgba(0,114,178,0.25)", name="P10–P90", hoverinfo="skip")
    fig.add_scatter(x=total["year"], y=total["jobs_p50"], mode="lines+markers", line=dict(color="#0072B2", width=2),
                    name="P50", hovertemplate="%{x}: %{y:,.0f} jobs (P50)<extra></extra>")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=5, b=0), showlegend=False,
                      yaxis=dict(rangemode="tozero"))
    return fig
