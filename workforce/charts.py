"""Plotly figure builders (pure: DataFrame in, Figure out). Offline only: `*_map` traces with
map_style="white-bg", never geo traces that fetch a CDN topojson. All data text is HTML-escaped."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from workforce import pipeline
from workforce.i18n import code_label, fmt_number, t
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
# "bounds" = the box a view must show whole (west, south, east, north): a browser's map area too small for it at the
# view's zoom zooms out to fit it (live_chart.js mapWindow). Europe's: the Azores to Turkey's east, the Canaries to
# the North Cape (France's overseas regions stay off the map), and to 60° E so the legend (top right) has Russia
# to sit over.
EUROPE_VIEW = {"lat": 52.0, "lon": 14.0, "zoom": 2.6, "bounds": (-31.5, 27.4, 60.0, 71.2)}
COMPACT_SCALE, OUTLINE_PX = 0.6, 2.5  # plants over a choropleth: 60 % size (7–24 px) on a 1.25-px dark outline


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


def pipeline_bar(df: pd.DataFrame, value: str = "sites", title: str | None = None, lang: str = "en",
                 by_total: bool = True) -> go.Figure:
    """Stacked bars per country, one trace per plant status (colour + pattern); legend, hover and axis title in
    `lang` (status `present.status.<s>`, value `i18n.column_label`). Countries by their total, largest first;
    `by_total=False` keeps the categories in their own order (years on the timeline slide)."""
    from workforce.i18n import column_label

    fig = go.Figure()
    value_label = column_label(value, lang)
    for status in STATUS_ORDER:
        part = df[df["status"] == status]
        if part.empty:
            continue
        name = _status_text(status, lang)
        fig.add_bar(
            x=part["country"].map(html_text), y=part[value], name=name,
            marker=dict(color=STATUS_COLORS[status], pattern=dict(shape=STATUS_PATTERNS[status])),
            hovertemplate="%{x}: %{y:,.0f} " + html_text(value_label) + f" ({html_text(name)})<extra></extra>",
        )
    # countries by their total, largest first (ties by code): Plotly orders categories as the traces meet them,
    # which put NL, SK, BG, PT … after TR (the countries the first statuses lack came last, whatever their size)
    totals = pd.to_numeric(df[value], errors="coerce").fillna(0).groupby(df["country"].map(html_text)).sum() \
        if len(df) else pd.Series(dtype=float)
    order = sorted(totals.index, key=lambda c: (-float(totals[c]), c) if by_total else (0.0, c))
    fig.update_layout(barmode="stack", xaxis_title=None, yaxis_title=value_label,
                      xaxis=dict(categoryorder="array", categoryarray=order))
    return _layout(fig, title)


def plants_map(df: pd.DataFrame, view: dict | None = None, size_by: str = "jobs_announced", height: int = 520,
               lang: str = "en", outlines: dict | None = None) -> go.Figure:
    """Sites as points coloured and shaped by status; hover shows company, segment, capacity, jobs, source.
    `outlines` (NUTS 0 shapes) draws the countries underneath: faint land, grey borders."""
    fig = go.Figure()
    if outlines and outlines.get("features"):
        add_outlines(fig, outlines, view, width=0.8, fill="#f5f5f5")
    add_plants(fig, df, size_by, lang=lang)
    return map_layout(fig, view, height)


def _status_text(status: str, lang: str = "en") -> str:
    """A plant status in the UI language ("under construction"); unknown statuses with spaces."""
    return code_label("present.status.", status, lang)


def status_label(status: str, lang: str = "en") -> str:
    """Legend name of a plant status: its glyph, then the status in the UI language ("◉ under construction")."""
    return f"{STATUS_GLYPHS.get(status, '●')} {_status_text(status, lang)}"


def status_symbols_caption(lang: str = "en") -> str:
    """The text key of the plant shapes, shown under every plants map (markdown-safe: catalogue text only)."""
    legend = " · ".join(f"{status_label(s, lang)} ({t(f'map.shape.{s}', lang)})" for s in STATUS_ORDER)
    return t("map.status_symbols", lang, legend=legend)


def plant_marker_sizes(sizes: pd.Series, size_by: str = "jobs_announced") -> pd.Series:
    """Marker diameter (px) from the size column: PLANT_MIN_SIZE + sqrt(value) x scale, capped."""
    scale = 0.35 if size_by == "jobs_announced" else 2.0
    values = pd.to_numeric(sizes, errors="coerce").fillna(0).clip(lower=0).astype(float)
    return (PLANT_MIN_SIZE + (values ** 0.5) * scale).clip(upper=PLANT_MAX_SIZE)


def add_plants(fig: go.Figure, df: pd.DataFrame, size_by: str = "jobs_announced", lang: str = "en",
               compact: bool = False) -> go.Figure:
    """Plants as concentric-disc status shapes in few traces (issue 19: a trace per status and ring made the
    /regions map's plants 17 traces, and MapLibre gets four sources and layers per trace on every repaint):

    - per status present, one trace of the shapes (meta {"plants": "shapes", "status"}): for each plant, in
      turn, its status disc then its pattern overlays (STATUS_RINGS: smaller discs, white or the status colour),
      so every plant's shape is complete before the next (smaller) plant is drawn over it; with `compact` (over
      a choropleth) a dark outline disc first and everything COMPACT_SCALE as large, so a plant never hides its
      region's colour and never blends into it. The trace is the status's legend entry (glyph-prefixed name;
      its first point has no position and sets the legend swatch to the status colour) and has no hover;
    - one hoverable trace over them of every plant (meta {"plants": "hover", "layer": 0}): invisible discs of
      the plant's size, carrying the hover text (status included) and the click/selection events.
    Small sites are drawn over big ones."""
    pts = pipeline.with_freshness(df.dropna(subset=["lat", "lon"]), lang=lang)
    pts = pts[pts["status"].isin(STATUS_ORDER)] if "status" in pts else pts.iloc[0:0]
    if pts.empty:
        return fig
    size_col = pts[size_by] if size_by in pts else pd.Series(0.0, index=pts.index)
    sizes = plant_marker_sizes(size_col.reindex(pts.index), size_by) * (COMPACT_SCALE if compact else 1.0)
    order = sizes.sort_values(ascending=False, kind="stable").index  # small sites drawn over big ones
    pts, sizes = pts.loc[order], sizes.loc[order].round(1)
    for status in STATUS_ORDER:
        rows = (pts["status"] == status).to_numpy()
        if not rows.any():
            continue
        colour = STATUS_COLORS[status]
        lat, lon, size, fill, opacity = [None], [None], [10.0], [colour], [0.9]  # the legend swatch
        for la, lo, outer in zip(pts.loc[rows, "lat"], pts.loc[rows, "lon"], sizes[rows]):
            layers = [(outer + OUTLINE_PX, "#1a1a1a", 1.0)] if compact else []
            layers.append((outer, colour, 0.9))
            layers += [(outer * fraction, "#ffffff" if f == "white" else colour, 1.0 if f == "white" else 0.9)
                       for fraction, f in STATUS_RINGS[status]]
            for diameter, c, o in layers:
                lat.append(la)
                lon.append(lo)
                size.append(round(float(diameter), 1))
                fill.append(c)
                opacity.append(o)
        fig.add_scattermap(lat=lat, lon=lon, mode="markers", name=status_label(status, lang), legendgroup=status,
                           hoverinfo="skip", meta={"plants": "shapes", "status": status},
                           marker=dict(size=size, color=fill, opacity=opacity),
                           unselected=dict(marker=dict(opacity=1.0)))  # a selection elsewhere never dims a shape
    hidden = dict(marker=dict(opacity=0.0))
    fig.add_scattermap(lat=pts["lat"].tolist(), lon=pts["lon"].tolist(), mode="markers", name="plants",
                       showlegend=False, meta={"plants": "hover", "layer": 0},
                       marker=dict(size=(sizes + (OUTLINE_PX if compact else 0.0)).round(1).tolist(),
                                   color=[STATUS_COLORS[s] for s in pts["status"]], opacity=0.0),
                       selected=hidden, unselected=hidden,
                       text=[_plant_hover(r, lang) for r in pts.itertuples(index=False)],
                       hovertemplate="%{text}<extra></extra>")
    return fig


def add_providers(fig: go.Figure, df: pd.DataFrame, name: str = "training providers", lang: str = "en") -> go.Figure:
    """Training programmes as small dark squares-like markers (one trace; hover names provider and source, in
    `lang`)."""
    from workforce import i18n

    pts = df.dropna(subset=["lat", "lon"])
    if pts.empty:
        return fig
    hover = [
        "<br>".join([
            f"<b>{html_text(r.provider)}</b>",
            html_text(r.programme),
            " · ".join(p for p in (
                "" if pd.isna(r.eqf_level) else html_text(t("training.eqf_n", lang, n=int(r.eqf_level))),
                html_text(i18n.code_label("present.mode.", r.mode, lang) or "")) if p) or t("brief.na", lang),
            f"{t('training.hover_source', lang)}: {html_text(r.source_title)} "
            f"({html_text(r.as_of or t('value.undated', lang))})",
        ])
        for r in pts.itertuples(index=False)
    ]
    fig.add_scattermap(lat=pts["lat"], lon=pts["lon"], mode="markers", name=name,
                       marker=dict(size=9, color="#222222", opacity=0.8), text=hover,
                       hovertemplate="%{text}<extra></extra>")
    return fig


def _plant_hover(r, lang: str = "en") -> str:
    """A site's hover card in `lang`: name, company · segment · status, capacity, jobs, source (date)."""
    from workforce import i18n

    def fmt(v, unit=""):
        return t("brief.na", lang) if v is None or pd.isna(v) else f"{i18n.fmt_number(v, lang)}{unit}"

    cap_unit = f" {getattr(r, 'capacity_unit', '') or ''}"
    return "<br>".join([
        f"<b>{html_text(r.site_name)}</b>",
        f"{html_text(r.company)} · {html_text(i18n.value_label('segment', r.segment, lang))} · "
        f"{html_text(i18n.code_label('present.status.', r.status, lang))}",
        f"{i18n.column_label('capacity_value', lang)}: {html_text(fmt(r.capacity_value, cap_unit))}",
        f"{i18n.column_label('jobs_announced', lang)}: {html_text(fmt(r.jobs_announced))}",
        f"{t('training.hover_source', lang)}: {html_text(r.source_title)} "
        f"({html_text(r.as_of or t('value.undated', lang))})",
        *([f"<i>{html_text(r.freshness)}</i>"] if getattr(r, "freshness", "") else []),
    ])


ATTRIBUTION_STRIP = 16  # px below the map area that hold the attribution: no legend can ever cover it


def attribution_annotation() -> dict:
    """The boundary attribution as a layout annotation: right-aligned in its own strip BELOW the map area
    (paper y = 0, anchored at its top), so legends, colour bars and dots, which all sit inside the map area,
    never overlap it (issue 21: the Finland map's legend covered it)."""
    return dict(text=ATTRIBUTION, name="attribution", showarrow=False, xref="paper", yref="paper", x=1, y=0,
                xanchor="right", yanchor="top", yshift=-1, font=dict(size=10, color="#333"))


def map_layout(fig: go.Figure, view: dict | None, height: int) -> go.Figure:
    view = view or EUROPE_VIEW
    fig.update_layout(
        map=dict(style="white-bg", center=dict(lat=view["lat"], lon=view["lon"]), zoom=view["zoom"]),
        height=height, margin=dict(l=0, r=0, t=0, b=ATTRIBUTION_STRIP),
        # one swatch size for every entry: Plotly otherwise sizes a marker's swatch by its trace's markers, so the
        # plant statuses' dots differed in size by the plants they hold (size means capacity on the map)
        legend=dict(orientation="h", yanchor="bottom", y=0.0, x=0, bgcolor="rgba(255,255,255,0.8)",
                    itemsizing="constant"),
        annotations=[attribution_annotation()],
    )
    if view.get("bounds"):  # the box to show whole, for the browser's SVG map (live_chart.js mapWindow)
        fig.update_layout(meta=dict(atlas_fit=[round(float(v), 4) for v in view["bounds"]]))
    return fig


# ---------------------------------------------------------------- classed choropleths (#17 "maps people can read")
# Colour-blind-safe ColorBrewer schemes (YlGnBu sequential, RdYlBu diverging). A metric is drawn in classes with a
# legend of classes, one trace per class (constant colour, legend entry); "no data" is light grey AND hatched, so it
# can never be read as a low value; outliers do not set the class breaks: they sit in the open-ended top class
# and get a thick outline and a legend entry naming them. Every map trace carries meta={"map": <role>} so tests and
# the browser can tell the layers apart (class, no_data, hatch, uncertain, outliers, outlines, labels, context).
SEQUENTIAL_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")  # YlGnBu, 5 classes
ZERO_COLOUR = "#ffffff"  # exactly 0 (e.g. no forecast jobs): white inside grey borders, unlike hatched no data
SHORTAGE_COLOURS = ("#fee090", "#fc8d59", "#d73027")  # RdYlBu warm side, small -> large shortage (need > places)
SURPLUS_COLOURS = ("#e0f3f8", "#91bfdb", "#4575b4")   # RdYlBu cool side, small -> large surplus (places > need)
BALANCED_COLOUR = "#ffffbf"                            # RdYlBu midpoint: the diverging scale is centred on 0
GAP_CLASS_COLOURS = {"shortage": "#d73027", "balanced": "#ffffbf", "surplus": "#4575b4"}
GAP_CLASSES = ("shortage", "balanced", "surplus", "unknown")  # values of the `gap_class` column ("unknown" = no data)
NO_DATA_FILL, NO_DATA_HATCH = "#e6e6e6", "#7a7a7a"
BORDER = "#9e9e9e"
SEQUENTIAL_CLASSES, DIVERGING_CLASSES = 5, 3  # classes per side on a diverging map
BALANCED_TOLERANCE = 0.5  # |gap| below this rounds to 0: balanced
OUTLIER_IQR = 3.0         # beyond Q3 + 3 IQR of the non-zero magnitudes ...
OUTLIER_MIN_VALUES = 8    # ... with at least this many non-zero values ...
OUTLIER_MAX_SHARE = 0.05  # ... and at most max(3, 5 %) of them: the scale is never set by a few regions
HATCH_PX, LABEL_PX = 7.0, 13.0  # hatch spacing and label height in screen pixels at the map's initial zoom
LABEL_ADVANCE = 5.5  # stroke-font units from one character to the next (glyphs are 4 wide)


@dataclass(frozen=True)
class MapClass:
    key: str
    label: str
    colour: str


def nice(value: float) -> float:
    """`value` rounded to two significant digits (class breaks people can read: 140, not 137.62)."""
    if not math.isfinite(value) or value == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(value))))
    return float(round(value, digits))


def _num(value: float, lang: str) -> str:
    """A map number: whole numbers (also after rounding: 3.99 -> "4", never "4.0") without decimals."""
    digits = 0 if abs(value) >= 10 or float(value).is_integer() else (1 if abs(value) >= 1 else 2)
    if digits and float(round(value, digits)).is_integer():
        digits = 0
    return fmt_number(value, lang, digits)


def _single_value(values: pd.Series) -> float | None:
    """The one value when every value is the same (a single region, or all equal), else None: such a map has
    no range to show, so its legend gives the value itself, never a range such as 12.9348k–12.9352k."""
    v = values.dropna().astype(float)
    if v.empty or not math.isclose(float(v.min()), float(v.max()), rel_tol=1e-9, abs_tol=1e-9):
        return None
    return float(v.iloc[0])


def find_outliers(magnitudes: pd.Series) -> pd.Index:
    """Index of the few values far above the rest (Tukey's far-out fence, Q3 + 3 IQR, over the non-zero
    magnitudes), at most max(3, 5 %) of them; empty when there are too few values to tell."""
    v = magnitudes[magnitudes > 0].dropna()
    if len(v) < OUTLIER_MIN_VALUES:
        return pd.Index([])
    q1, q3 = v.quantile(0.25), v.quantile(0.75)
    beyond = v[v > q3 + OUTLIER_IQR * (q3 - q1)].sort_values(ascending=False)
    return beyond.index[: max(3, int(OUTLIER_MAX_SHARE * len(v)))] if len(beyond) else pd.Index([])


def quantile_breaks(values: pd.Series, k: int) -> list[float]:
    """Up to k-1 inner class breaks: quantiles of `values`, rounded (nice), unique, strictly inside the range."""
    v = values.dropna().astype(float)
    if v.empty:
        return []
    lo, hi = float(v.min()), float(v.max())
    breaks = sorted({nice(float(v.quantile(i / k))) for i in range(1, k)})
    return [b for b in breaks if lo <= b < hi]


def _range_labels(breaks: list[float], open_top: bool, lang: str, top: float | None) -> list[str]:
    """Labels of the classes cut by `breaks`: "≤ b1", "b1–b2", ..., "> bn" (or "bn–max" without outliers)."""
    if not breaks:
        return [t("map.class.upto", lang, hi=_num(top, lang)) if top is not None else "—"]
    labels = [t("map.class.upto", lang, hi=_num(breaks[0], lang))]
    labels += [t("map.class.range", lang, lo=_num(a, lang), hi=_num(b, lang)) for a, b in zip(breaks, breaks[1:])]
    if open_top or top is None:
        labels.append(t("map.class.above", lang, lo=_num(breaks[-1], lang)))
    else:
        labels.append(t("map.class.range", lang, lo=_num(breaks[-1], lang), hi=_num(top, lang)))
    return labels


def classify(values: pd.Series, diverging: bool = False, lang: str = "en",
             gap_class: pd.Series | None = None) -> tuple[pd.Series, list[MapClass], pd.Index]:
    """Class key per row (NaN = no data), the classes in legend order (high to low; shortage to surplus) and the
    index of outliers. `gap_class` (shortage|balanced|surplus|unknown), when given, drives a diverging map
    instead of the numbers; "unknown" and missing classes are no data, never a colour of the scale."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    keys = pd.Series(np.nan, index=values.index, dtype=object)
    if gap_class is not None:
        cls = gap_class.astype(object).where(gap_class.notna(), None).map(lambda c: str(c).strip().lower() if c else None)
        classes = [MapClass(c, t(f"map.gap_class.{c}", lang), GAP_CLASS_COLOURS[c]) for c in GAP_CLASS_COLOURS]
        keys[cls.isin(list(GAP_CLASS_COLOURS))] = cls[cls.isin(list(GAP_CLASS_COLOURS))]
        return keys, classes, pd.Index([])
    known = values.notna()
    if diverging:
        magnitude = values.abs()
        nonzero = known & (magnitude >= BALANCED_TOLERANCE)
        outliers = find_outliers(magnitude[nonzero])
        core = magnitude[nonzero].drop(outliers)
        breaks = quantile_breaks(core, DIVERGING_CLASSES)
        top = float(core.max()) if len(core) else None
        labels = _range_labels(breaks, len(outliers) > 0, lang, top)
        if (one := _single_value(core)) is not None and not len(outliers):
            labels = [_num(one, lang)]
        level = pd.Series(np.searchsorted(breaks, magnitude.fillna(0).to_numpy(), side="left"), index=values.index)
        n = len(labels)
        keys[known & ~nonzero] = "balanced"
        for side, sign in (("shortage", 1), ("surplus", -1)):
            rows = nonzero & (np.sign(values) == sign)
            keys[rows] = side + "_" + level[rows].clip(upper=n - 1).astype(str)
        palette = {"shortage": SHORTAGE_COLOURS[-n:], "surplus": SURPLUS_COLOURS[-n:]} if n <= 3 else None
        classes = [MapClass(f"shortage_{i}", t("map.gap.shortage", lang, range=labels[i]), palette["shortage"][i])
                   for i in reversed(range(n))]
        classes.append(MapClass("balanced", t("map.gap.balanced", lang), BALANCED_COLOUR))
        classes += [MapClass(f"surplus_{i}", t("map.gap.surplus", lang, range=labels[i]), palette["surplus"][i])
                    for i in range(n)]
        return keys, classes, outliers
    positive = known & (values != 0)
    outliers = find_outliers(values.abs()[positive])
    core = values[positive].drop(outliers)
    breaks = quantile_breaks(core, SEQUENTIAL_CLASSES)
    labels = _range_labels(breaks, len(outliers) > 0, lang, float(core.max()) if len(core) else None)
    if (one := _single_value(core)) is not None and not len(outliers):  # one value (zeros have their own class)
        every = _single_value(values[known]) is not None
        labels = [t("map.class.single", lang, value=_num(one, lang)) if every else _num(one, lang)]
    n = len(labels)
    level = pd.Series(np.searchsorted(breaks, values.fillna(0).to_numpy(), side="left"), index=values.index)
    keys[positive] = "q" + level[positive].clip(upper=n - 1).astype(str)
    keys[known & ~positive] = "zero"
    colours = SEQUENTIAL_COLOURS[-n:] if n < len(SEQUENTIAL_COLOURS) else SEQUENTIAL_COLOURS
    classes = [MapClass(f"q{i}", labels[i], colours[i]) for i in reversed(range(n))]
    classes.append(MapClass("zero", t("map.class.zero", lang), ZERO_COLOUR))
    return keys, classes, outliers


def _feature_shape(feature: dict):
    from shapely import make_valid
    from shapely.geometry import shape

    geom = shape(feature["geometry"])
    return geom if geom.is_valid else make_valid(geom)


def _px_degrees(view: dict | None) -> float:
    """Degrees of longitude per screen pixel at the view's zoom (Web Mercator, 512-px tiles)."""
    return 360.0 / (512.0 * 2 ** float((view or EUROPE_VIEW)["zoom"]))


def hatch_lines(geojson: dict, ids, view: dict | None = None, spacing_px: float = HATCH_PX) -> tuple[list, list]:
    """(lat, lon) of 45° hatch segments clipped to the regions `ids` (None-separated, for one scattermap line
    trace): the "no data" pattern, drawn offline (choroplethmap fills have no pattern)."""
    from shapely import MultiLineString

    step = spacing_px * _px_degrees(view)
    wanted = set(ids)
    lats: list = []
    lons: list = []
    for ft in geojson.get("features", []):
        if ft.get("id") not in wanted:
            continue
        geom = _feature_shape(ft)
        minx, miny, maxx, maxy = geom.bounds
        span = (maxx - minx) + (maxy - miny)
        offsets = np.arange(miny - (maxx - minx), maxy + step, step)
        lines = MultiLineString([[(minx, c), (minx + span, c + span)] for c in offsets])
        cut = geom.intersection(lines)
        for part in getattr(cut, "geoms", [cut]):
            if part.geom_type != "LineString" or part.is_empty:
                continue
            xs, ys = part.xy
            lons += [*map(float, xs), None]
            lats += [*map(float, ys), None]
    return lats, lons


# A stroke font for NUTS codes (A–Z, 0–9) on a 4 x 6 grid: map text without a glyph server (MapLibre symbol text
# needs font files from a CDN; line layers need nothing). Zero is slashed so "NO0B" reads.
STROKE_FONT: dict[str, tuple[tuple[tuple[int, int], ...], ...]] = {
    "0": (((0, 0), (4, 0), (4, 6), (0, 6), (0, 0)), ((0, 0), (4, 6))),
    "1": (((1, 5), (2, 6), (2, 0)), ((1, 0), (3, 0))),
    "2": (((0, 5), (1, 6), (3, 6), (4, 5), (4, 4), (0, 0), (4, 0)),),
    "3": (((0, 6), (4, 6), (4, 0), (0, 0)), ((1, 3), (4, 3))),
    "4": (((3, 0), (3, 6), (0, 2), (4, 2)),),
    "5": (((4, 6), (0, 6), (0, 3), (3, 3), (4, 2), (4, 1), (3, 0), (0, 0)),),
    "6": (((4, 6), (1, 6), (0, 5), (0, 0), (4, 0), (4, 3), (0, 3)),),
    "7": (((0, 6), (4, 6), (1, 0)),),
    "8": (((0, 0), (4, 0), (4, 6), (0, 6), (0, 0)), ((0, 3), (4, 3))),
    "9": (((4, 3), (0, 3), (0, 6), (4, 6), (4, 1), (3, 0), (0, 0)),),
    "A": (((0, 0), (0, 4), (2, 6), (4, 4), (4, 0)), ((0, 3), (4, 3))),
    "B": (((0, 0), (0, 6), (3, 6), (4, 5), (4, 4), (3, 3), (0, 3)), ((3, 3), (4, 2), (4, 1), (3, 0), (0, 0))),
    "C": (((4, 6), (0, 6), (0, 0), (4, 0)),),
    "D": (((0, 0), (0, 6), (2, 6), (4, 4), (4, 2), (2, 0), (0, 0)),),
    "E": (((4, 6), (0, 6), (0, 0), (4, 0)), ((0, 3), (3, 3))),
    "F": (((4, 6), (0, 6), (0, 0)), ((0, 3), (3, 3))),
    "G": (((4, 6), (0, 6), (0, 0), (4, 0), (4, 3), (2, 3)),),
    "H": (((0, 0), (0, 6)), ((4, 0), (4, 6)), ((0, 3), (4, 3))),
    "I": (((1, 6), (3, 6)), ((2, 6), (2, 0)), ((1, 0), (3, 0))),
    "J": (((4, 6), (4, 1), (3, 0), (1, 0), (0, 1)),),
    "K": (((0, 0), (0, 6)), ((4, 6), (0, 2)), ((1, 3), (4, 0))),
    "L": (((0, 6), (0, 0), (4, 0)),),
    "M": (((0, 0), (0, 6), (2, 3), (4, 6), (4, 0)),),
    "N": (((0, 0), (0, 6), (4, 0), (4, 6)),),
    "O": (((1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5), (4, 1), (3, 0), (1, 0)),),
    "P": (((0, 0), (0, 6), (4, 6), (4, 3), (0, 3)),),
    "Q": (((1, 0), (0, 1), (0, 5), (1, 6), (3, 6), (4, 5), (4, 1), (3, 0), (1, 0)), ((2, 2), (4, 0))),
    "R": (((0, 0), (0, 6), (4, 6), (4, 3), (0, 3)), ((1, 3), (4, 0))),
    "S": (((4, 5), (3, 6), (1, 6), (0, 5), (0, 4), (1, 3), (3, 3), (4, 2), (4, 1), (3, 0), (1, 0), (0, 1)),),
    "T": (((0, 6), (4, 6)), ((2, 6), (2, 0))),
    "U": (((0, 6), (0, 0), (4, 0), (4, 6)),),
    "V": (((0, 6), (2, 0), (4, 6)),),
    "W": (((0, 6), (1, 0), (2, 3), (3, 0), (4, 6)),),
    "X": (((0, 0), (4, 6)), ((0, 6), (4, 0))),
    "Y": (((0, 6), (2, 3), (4, 6)), ((2, 3), (2, 0))),
    "Z": (((0, 6), (4, 6), (0, 0), (4, 0)),),
}


def label_strokes(text: str, lon: float, lat: float, view: dict | None = None,
                  height_px: float = LABEL_PX) -> tuple[list, list]:
    """(lat, lon) polylines (None-separated) writing `text` centred on (lon, lat), `height_px` tall at the view's
    zoom; characters outside STROKE_FONT are skipped."""
    unit_lon = height_px / 6.0 * _px_degrees(view)
    unit_lat = unit_lon * math.cos(math.radians(lat))  # Web Mercator: a degree of latitude is longer on screen
    chars = [c for c in str(text).upper() if c in STROKE_FONT]
    width = LABEL_ADVANCE * len(chars) - (LABEL_ADVANCE - 4)
    lats: list = []
    lons: list = []
    for i, char in enumerate(chars):
        for stroke in STROKE_FONT[char]:
            lons += [lon + (LABEL_ADVANCE * i + x - width / 2) * unit_lon for x, _ in stroke] + [None]
            lats += [lat + (y - 3) * unit_lat for _, y in stroke] + [None]
    return lats, lons


def label_box(text: str, lon: float, lat: float, view: dict | None = None, height_px: float = LABEL_PX):
    """The lon/lat box a label of `label_strokes` covers, with a little margin (to skip overlapping labels)."""
    from shapely import box

    unit_lon = height_px / 6.0 * _px_degrees(view)
    unit_lat = unit_lon * math.cos(math.radians(lat))
    half_w = (LABEL_ADVANCE * len(str(text)) / 2 + 1) * unit_lon
    return box(lon - half_w, lat - 4 * unit_lat, lon + half_w, lat + 4 * unit_lat)


def add_region_labels(fig: go.Figure, geojson: dict, ids, view: dict | None = None) -> go.Figure:
    """NUTS codes written inside their regions (country zoom): dark strokes on a white halo, no hover."""
    wanted = set(ids)
    lats: list = []
    lons: list = []
    placed: list = []
    shapes = [(ft["id"], _feature_shape(ft)) for ft in geojson.get("features", []) if ft.get("id") in wanted]
    for nuts_id, geom in sorted(shapes, key=lambda x: -x[1].area):  # larger regions first; overlapping labels skipped
        parts = getattr(geom, "geoms", [geom])
        point = max(parts, key=lambda g: g.area).representative_point()
        frame = label_box(nuts_id, point.x, point.y, view)
        if any(frame.intersects(other) for other in placed):
            continue
        placed.append(frame)
        la, lo = label_strokes(nuts_id, point.x, point.y, view)
        lats += la
        lons += lo
    if not lats:
        return fig
    for width, colour, layer in ((4.0, "rgba(255,255,255,0.9)", "halo"), (1.6, "#1a1a1a", "text")):
        fig.add_scattermap(lat=lats, lon=lons, mode="lines", line=dict(width=width, color=colour),
                           hoverinfo="skip", showlegend=False, name=f"region labels {layer}",
                           meta={"map": "labels", "layer": layer})
    return fig


def simplified(geojson: dict, tolerance: float) -> dict:
    """The features with geometry simplified to `tolerance` degrees (borders drawn at a known zoom: a quarter of
    a pixel is invisible and the figure ships far fewer points); islets under two pixels across are dropped."""
    from shapely import MultiPolygon, set_precision
    from shapely.geometry import mapping

    grid = 10 ** math.floor(math.log10(tolerance)) if tolerance > 0 else 0  # coordinates rounded below the tolerance
    out = []
    for ft in geojson.get("features", []):
        geom = _feature_shape(ft)
        parts = [g for g in getattr(geom, "geoms", [geom]) if g.area >= (8 * tolerance) ** 2]  # drop sub-pixel islets
        geom = (MultiPolygon(parts) if len(parts) > 1 else parts[0]) if parts else geom
        geom = geom.simplify(tolerance, preserve_topology=True)
        if grid:
            geom = set_precision(geom, grid)
        if not geom.is_empty:
            out.append({"type": "Feature", "id": ft["id"], "properties": {}, "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": out}


def outline_tolerance(view: dict | None = None) -> float:
    """Degrees to which country borders are simplified at the view's zoom (None: Europe): a quarter pixel."""
    return 0.25 * _px_degrees(view)


def add_outlines(fig: go.Figure, geojson: dict, view: dict | None = None, name: str = "countries",
                 width: float = 1.3, fill: str = "rgba(0,0,0,0)") -> go.Figure:
    """Country (NUTS 0) borders: outline only (or a faint `fill` under a plants map), no hover, no legend;
    simplified to a quarter pixel at the view's zoom (`outline_tolerance`, named in the trace's meta)."""
    tolerance = outline_tolerance(view)
    shapes = simplified(geojson, tolerance)
    ids = [f["id"] for f in shapes["features"]]
    if ids:
        fig.add_choroplethmap(geojson=shapes, locations=ids, z=[0] * len(ids), featureidkey="id",
                              colorscale=_solid(fill), showscale=False,
                              marker=dict(opacity=1.0, line=dict(width=width, color="#4d4d4d")),
                              hoverinfo="skip", showlegend=False, name=name,
                              meta={"map": "outlines", "simplified": tolerance})
    return fig


def _solid(colour: str) -> list:
    return [[0, colour], [1, colour]]


def choropleth(geojson: dict, df: pd.DataFrame, value: str, label: str, view: dict | None = None,
               diverging: bool = False, height: int = 620, context: dict | None = None,
               uncertain: list[str] | None = None, uncertain_label: str = "uncertain",
               notes: list[str] | None = None, *, lang: str = "en", gap_class: str | None = None,
               outlines: dict | None = None, labels: bool = False) -> go.Figure:
    """Classed NUTS choropleth on a blank base (see `classify`): one trace per class with a legend of classes
    titled `label`; a diverging scale centred on 0 when `diverging`; `gap_class` = a column of `df` with
    shortage|balanced|surplus|unknown that drives the colours when it has any class (else the numbers do);
    no data light grey and hatched; outliers outlined and named. `context` = faded geometry of the rest of
    Europe; `uncertain` = region ids washed out (in their class trace: lighter, darker border) with a
    legend entry saying why; `notes` = one extra hover line
    per row; `outlines` = country borders drawn on top; `labels` writes the region codes (country zoom)."""
    fig = go.Figure()
    if context and context.get("features"):
        ids = [f["id"] for f in context["features"]]
        fig.add_choroplethmap(geojson=context, locations=ids, z=[0] * len(ids), showscale=False,
                              colorscale=_solid("#f2f2f2"), marker=dict(line=dict(width=0.3, color="#bbbbbb")),
                              hoverinfo="skip", name="context", showlegend=False, meta={"map": "context"})
    df = df.reset_index(drop=True)
    values = pd.to_numeric(df[value], errors="coerce").astype(float)
    classes_col = df[gap_class] if gap_class and gap_class in df and df[gap_class].notna().any() else None
    keys, classes, outliers = classify(values, diverging, lang, classes_col)
    has_class = keys.notna()
    no_data_text = t("map.no_data_hover", lang)
    hover = [f"<b>{html_text(n)}</b> ({html_text(i)})<br>{html_text(label)}: "
             + (no_data_text if pd.isna(v) else _num(v, lang))
             for i, n, v in zip(df["nuts_id"], df["name"], values)]
    if classes_col is not None:
        hover = [h + f"<br>{html_text(t('map.gap_class.title', lang))}: "
                 + html_text(t(f"map.gap_class.{k}", lang) if isinstance(k, str) else t("map.gap_class.unknown", lang))
                 for h, k in zip(hover, keys)]
    if len(outliers):
        note = html_text(t("map.outlier_hover", lang))
        hover = [h + (f"<br><i>{note}</i>" if i in outliers else "") for i, h in enumerate(hover)]
    if notes is not None:
        hover = [h + (f"<br>{html_text(x)}" if x else "") for h, x in zip(hover, notes, strict=True)]
    line = dict(width=0.5, color=BORDER)
    # Uncertain regions are washed out inside their own class traces (no second copy of their shapes); one of
    # them, the one with the smallest shape, keeps the white overlay trace that carries the legend entry.
    washed = set(uncertain or ()) & set(df["nuts_id"])
    overlay = min(washed, key=lambda i: (len(str(subset_features(geojson, [i])["features"])), i)) if washed else None
    washed.discard(overlay)
    for rank, cls in enumerate(classes):
        rows = (keys == cls.key).to_numpy()
        ids = df.loc[rows, "nuts_id"].tolist()
        if not ids:  # the legend lists the classes present
            continue
        z = values[rows].fillna(0.0).tolist()
        fig.add_choroplethmap(
            geojson=subset_features(geojson, ids), locations=ids, z=z, featureidkey="id",
            colorscale=_solid(cls.colour), showscale=False, marker=_washed_marker(ids, washed, line),
            text=[h for h, r in zip(hover, rows) if r], hovertemplate="%{text}<extra></extra>",
            name=legend_text(cls.label), showlegend=True, legendgroup="classes", legendrank=100 + rank,
            legendgrouptitle=dict(text=legend_text(label)), meta={"map": "class", "class": cls.key, "colour": cls.colour},
        )
    missing = df.loc[~has_class.to_numpy(), "nuts_id"].tolist()
    no_data_label = t("map.gap_class.unknown_legend" if classes_col is not None else "map.no_data", lang)
    if missing:  # no value: light grey AND hatched, never a colour of the scale
        fig.add_choroplethmap(geojson=subset_features(geojson, missing), locations=missing, z=[0] * len(missing),
                              featureidkey="id", colorscale=_solid(NO_DATA_FILL), showscale=False,
                              name=legend_text(no_data_label), legendgroup="classes", legendrank=100 + len(classes),
                              marker=_washed_marker(missing, washed, line), showlegend=True,
                              text=[h for h, k in zip(hover, has_class) if not k], hovertemplate="%{text}<extra></extra>",
                              meta={"map": "no_data", "colour": NO_DATA_FILL})
        lats, lons = hatch_lines(geojson, missing, view)
        if lats:
            fig.add_scattermap(lat=lats, lon=lons, mode="lines", line=dict(width=1.0, color=NO_DATA_HATCH),
                               hoverinfo="skip", showlegend=False, name="no data hatch",
                               meta={"map": "hatch"})
    if overlay:  # the legend entry, drawn over one small uncertain region (the others are washed in place)
        fig.add_choroplethmap(geojson=subset_features(geojson, [overlay]), locations=[overlay], z=[0],
                              featureidkey="id", colorscale=_solid("#ffffff"), showscale=False,
                              marker=dict(opacity=1 - UNCERTAIN_OPACITY,
                                          line=dict(width=UNCERTAIN_LINE[0], color=UNCERTAIN_LINE[1])),
                              name=legend_text(uncertain_label), showlegend=True, hoverinfo="skip",
                              legendgroup="notes", legendrank=300, meta={"map": "uncertain"})
    if len(outliers):
        out_ids = df.loc[outliers, "nuts_id"].tolist()
        named = "; ".join(f"{i} {_num(v, lang)}" for i, v in zip(out_ids, values[outliers]))
        fig.add_choroplethmap(geojson=subset_features(geojson, out_ids), locations=out_ids, z=[0] * len(out_ids),
                              featureidkey="id", colorscale=_solid("rgba(0,0,0,0)"), showscale=False,
                              marker=dict(opacity=1.0, line=dict(width=3.0, color="#000000")),
                              name=_two_line_label(t("map.outliers", lang, regions=_SLOT), named), showlegend=True,
                              hoverinfo="skip", legendgroup="notes", legendrank=310,
                              meta={"map": "outliers", "regions": out_ids})
    if outlines:
        add_outlines(fig, outlines, view)
    if labels:
        add_region_labels(fig, geojson, df["nuts_id"].tolist(), view)
    map_layout(fig, view, height)
    # Europe-wide, the legend sits top right, over Belarus, Russia and Ukraine (no NUTS regions, nothing drawn);
    # top left it covered Iceland, Ireland and Great Britain's west coast at 1 280 px. A country's zoom is centred.
    right = view is None or view == EUROPE_VIEW
    fig.update_layout(legend=dict(orientation="v", yanchor="top", y=0.99, xanchor="right" if right else "left",
                                  x=0.99 if right else 0.01,
                                  bgcolor="rgba(255,255,255,0.88)", font=dict(size=12), groupclick="toggleitem",
                                  tracegroupgap=6, maxheight=0.97))  # a long legend scrolls inside the map area
    return fig


HALF_PAGE_TITLE_CHARS = 46  # a chart in half the page's width (two columns): its title's lines at most this long


def chart_title(text: str, width: int = 80) -> tuple[dict, int]:
    """A chart's title (escaped) broken at spaces into lines of at most `width` characters, and the top margin
    its lines need: Plotly never wraps a title, so the overview's bridge title ("Bridge from plant jobs to the 3–4
    million claim, 2030 (Base, all of Europe)") was cut at its half-page column's edge in every language."""
    lines = _wrapped(text, width)
    return dict(text="<br>".join(html_text(line) for line in lines), font=dict(size=15)), 20 + 22 * len(lines)


def _wrapped(text: str, width: int) -> list[str]:
    """`text` broken at spaces into lines of at most `width` characters (a longer word keeps its own line)."""
    return textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]


_SLOT = "\u241e"  # where a legend label's list goes (a character no translation holds)
LEGEND_CHARS = 34  # a map legend's line at most this many characters (≈ 210 px at 12 px): see legend_text


def legend_text(text: str, width: int = LEGEND_CHARS) -> str:
    """`text` escaped (html_text) and broken at spaces into lines of at most `width` characters (a word longer
    than that keeps its own line): a map legend is as wide as its longest line, and one long title ("Training gap
    (need − capacity) per 1,000 industry workers · people/yr …", 120 characters) made /regions' legend as wide as
    the map, washing out every region under its white box. A metric label's name and unit (" · ") start lines."""
    return "<br>".join(html_text(line) for part in str(text).split(" · ") for line in _wrapped(part, width))


def _two_line_label(template: str, listed: str) -> str:
    """A legend label whose list (outliers named with their values) starts a line of its own, broken between
    entries into lines of at most LEGEND_CHARS: on one line "Outliers beyond the scale: HU32 8,827; PL51 7,290;
    FRE1 6,531" made the map's legend ≈ 340 px wide at 1 280 px, washing out western France under it — FRE1, one
    of the regions it names. Escaped (html_text)."""
    head, slot, tail = template.partition(_SLOT)
    if not slot:
        return legend_text(template)
    lines: list[str] = []  # the list broken between its entries ("HU32 8,827"), never inside one
    for entry in listed.split("; "):
        if lines and len(lines[-1]) + 2 + len(entry) <= LEGEND_CHARS:
            lines[-1] += "; " + entry
        else:
            lines.append(entry)
    lines[-1] += tail
    return "<br>".join([legend_text(head.rstrip()), *(html_text(line) for line in lines)])


UNCERTAIN_OPACITY = 0.55  # an uncertain region's class colour at 55 % on the white base (= white at 45 % over it)
UNCERTAIN_LINE = (2.0, "#4d4d4d")  # and a darker, thicker border (neighbours drawn later cover part of it)


def _washed_marker(ids: list, washed: set, line: dict) -> dict:
    """Marker of a class / no-data trace: uncertain regions (`washed`) drawn at UNCERTAIN_OPACITY with a darker
    border in the same trace (per-region arrays), so their geometry is never sent twice (issue 19: the
    separate overlay of the uncertain regions repeated 43 KB of shapes). Scalars when none is uncertain."""
    flags = [i in washed for i in ids]
    if not any(flags):
        return dict(opacity=1.0, line=line)
    return dict(opacity=[UNCERTAIN_OPACITY if f else 1.0 for f in flags],
                line=dict(width=[UNCERTAIN_LINE[0] if f else line["width"] for f in flags],
                          color=[UNCERTAIN_LINE[1] if f else line["color"] for f in flags]))


def subset_features(geojson: dict, ids) -> dict:
    """A FeatureCollection holding only the features whose id is in `ids` (each trace carries only
    its own shapes, so the figure never ships the same geometry twice)."""
    wanted = set(ids)
    return {"type": "FeatureCollection", "features": [f for f in geojson.get("features", []) if f.get("id") in wanted]}


def view_from_bounds(minx: float, miny: float, maxx: float, maxy: float, width_px: int = 640,
                     height_px: int = 520) -> dict:
    """Centre and zoom (Web-Mercator tiles of 512 px) that fit a lon/lat box into the figure, and the box itself
    ("bounds": a smaller map area in the browser zooms out to show it whole)."""
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
    return {"lat": centre_lat, "lon": (minx + maxx) / 2, "zoom": round(zoom, 2), "bounds": (minx, miny, maxx, maxy)}


def sparkline(total: pd.DataFrame, height: int = 160, lang: str = "en") -> go.Figure:
    """Small P10–P90 band + P50 line of forecast jobs per year (hover and number signs in `lang`)."""
    from workforce.i18n import column_label, plotly_separators

    fig = go.Figure()
    fig.add_scatter(x=total["year"], y=total["jobs_p90"], mode="lines", line=dict(width=0), showlegend=False,
                    hoverinfo="skip")
    fig.add_scatter(x=total["year"], y=total["jobs_p10"], mode="lines", line=dict(width=0), fill="tonexty",
                    fillcolor="rgba(0,114,178,0.25)", name="P10–P90", hoverinfo="skip")
    fig.add_scatter(x=total["year"], y=total["jobs_p50"], mode="lines+markers", line=dict(color="#0072B2", width=2),
                    name="P50", hovertemplate="%{x}: %{y:,.0f} jobs (P50)<extra></extra>" if lang == "en" else
                    "%{x}: " + html_text(column_label("jobs_p50", lang)) + " %{y:,.0f}<extra></extra>")
    fig.update_layout(height=height, margin=dict(l=0, r=0, t=5, b=0), showlegend=False,
                      yaxis=dict(rangemode="tozero"), separators=plotly_separators(lang))
    return fig
