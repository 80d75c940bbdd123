"""A chart that stays mounted while its figure changes (issue 19).

`st.plotly_chart` derives its element id from the figure, so every new figure (another metric, year or country)
mounts a new Plotly graph and, for a map, a new MapLibre map (≈ 1 s p50 per change on /regions). This Streamlit v2
component is keyed: the same graph receives the new figure and `Plotly.react` updates it in place (≈ 0.5–0.7 s;
docs/PERFORMANCE.md, "Third cut").

Plotly comes from the installed Python package (`plotly/package_data/plotly.min.js`, the plotly.js its figures
are written for), copied once into the app's static folder as `static/plotly-<version>.min.js` (served by
`server.enableStaticServing` at `app/static/`, or by nginx from disk; never a CDN). A figure whose traces are all
of the types of one of the partial plotly.js bundles that we build from plotly.js's sources (`vendor/`, see
vendor/README.md; "finance" = scatter, bar, waterfall, pie, …: 1.47 MB that a browser evaluates in ≈ 0.13–0.14 s;
"atlas" = every trace type the atlas draws on screen, its maps as Plotly's SVG map: 1.78 MB (3.48 MB with MapLibre's
map traces until 2026-12-06, evaluated in ≈ 0.21–0.24 s); the full 4.82 MB take ≈ 0.73–0.82 s) gets that bundle
instead, as `static/plotly-<bundle>-<plotly.js version>-<digest>.min.js` (a new build, a new URL: the file is cached
for good), but only while its plotly.js version is the package's.
The figure is sent with Streamlit's chart theme applied (chart_theme.py: the colours, fonts and grid
`st.plotly_chart` would give it) and gets a full-screen button like st.plotly_chart's. Where none of this is
possible (static serving off, a read-only install) `live_chart` falls back to `st.plotly_chart`: the page still
works, only slower.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

import streamlit as st

from workforce import ROOT
from workforce.i18n import t
from workforce.ui import chart_theme, tables_later

log = logging.getLogger(__name__)

STATIC_DIR = ROOT / "static"  # beside app.py: Streamlit serves it at app/static/ (enableStaticServing)
# the legend swatches' outlines first (one function for the screen and the exports: workforce/legend_swatches.js)
_JS = (Path(__file__).parents[1] / "legend_swatches.js").read_text(encoding="utf-8") + "\n" + (
    Path(__file__).with_name("live_chart.js")).read_text(encoding="utf-8")
_HTML = ('<div class="atlas-live-chart-wrap"><button type="button" class="atlas-live-chart-full" hidden>'
         '<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path fill="none" '
         'stroke="currentColor" stroke-width="2" d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg></button>'
         '<div class="atlas-live-chart" role="figure"></div></div>')
# The full-screen button sits over the chart's top-right corner (below Plotly's mode bar), shown on hover and on
# keyboard focus like st.plotly_chart's; in full screen the chart fills the screen on the page's background.
_CSS = """
.atlas-live-chart-wrap { position: relative; background: var(--st-background-color, #fff); }
.atlas-live-chart-full { position: absolute; top: 2.1rem; right: 0.25rem; z-index: 2; opacity: 0;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: var(--st-background-color, #fff);
  color: inherit; line-height: 0; padding: 0.3rem; cursor: pointer; }
.atlas-live-chart-wrap:hover .atlas-live-chart-full, .atlas-live-chart-full:focus-visible { opacity: 1; }
.atlas-live-chart-wrap:fullscreen { padding: 1rem; overflow: auto; }
"""
VENDOR = Path(__file__).with_name("vendor")
# The partial plotly.js bundles we build (vendor/README.md, scripts/plotly_bundles), in the order they are tried,
# with the trace types each holds. A figure is drawn with Streamlit's chart theme either way (chart_theme.py), so a
# live chart looks as st.plotly_chart draws it.
PARTIAL = {  # smallest first: a bar chart gets the finance bundle unless a page prefers another
    # plotly.js's own "finance" partial bundle (its lib/index-finance.js)
    "finance": frozenset({"bar", "candlestick", "funnel", "funnelarea", "histogram", "indicator", "ohlc", "pie",
                          "scatter", "waterfall"}),
    # every trace type the atlas draws on screen: the maps as Plotly's SVG map (SVG_TYPES; a figure MapLibre must
    # draw gets the full bundle), and pages that mix them with a Sankey or a heat map
    "atlas": frozenset({"bar", "choropleth", "heatmap", "sankey", "scatter", "scattergeo", "waterfall"}),
}


# A map figure built for MapLibre (`choroplethmap`/`scattermap` on a white-bg `map`) is drawn by live_chart.js with
# Plotly's SVG map instead (`live_chart`'s `svg_map`): the trace types it becomes. A density map has no SVG form.
SVG_TYPES = {"choroplethmap": "choropleth", "scattermap": "scattergeo"}
MAP_TYPES = frozenset({"choroplethmap", "scattermap", "densitymap", "choroplethmapbox", "scattermapbox",
                       "densitymapbox"})


def _trace_types(fig) -> set[str]:
    """The trace types of `fig` (a trace without one is a scatter, as Plotly reads it); none without a figure."""
    return {getattr(trace, "type", None) or "scatter" for trace in (getattr(fig, "data", None) or ())}


def svg_drawable(fig) -> bool:
    """Whether `fig` is a map live_chart.js can draw with Plotly's SVG map: it has map traces, all of them
    `choroplethmap`/`scattermap` (SVG_TYPES)."""
    maps = _trace_types(fig) & MAP_TYPES
    return bool(maps) and maps <= SVG_TYPES.keys()


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_version(path: Path) -> str | None:
    """The plotly.js version a bundle names in its licence header ("plotly.js (map - minified) v4.1.1")."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            head = fh.read(400)
    except OSError:
        return None
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+\S*)", head)
    return match.group(1) if match else None


@functools.cache
def asset_name() -> str:
    """plotly-<version>.min.js: a new plotly gives a new URL, so the file can be cached for good (nginx)."""
    import plotly

    return f"plotly-{plotly.__version__}.min.js"


def bundle_path(bundle: str) -> Path:
    return VENDOR / f"plotly-{bundle}.min.js"


@functools.cache
def partial_asset_name(bundle: str) -> str | None:
    """plotly-<bundle>-<plotly.js version>-<first 12 hex digits of its sha256>.min.js (a rebuilt bundle gets a new
    URL: browsers and nginx cache these for a year), or None when the vendored bundle is not the plotly.js of the
    installed package (after a plotly upgrade, until scripts/vendor_plotly.sh is run: the full bundle then)."""
    path = bundle_path(bundle)
    version = plotly_js_version(path)
    if version is None or version != plotly_js_version(_plotly_js()):
        return None
    return f"plotly-{bundle}-{version}-{hashlib.sha256(path.read_bytes()).hexdigest()[:12]}.min.js"


def _copy(source: Path | bytes, target: Path) -> None:
    """`source` (a file, or bytes) as `target`, atomically (replicas starting together each write a temporary
    file and rename it); nothing done when the bytes are already there."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if target.is_file() and target.stat().st_size == size \
            and target.read_bytes() == (source if isinstance(source, bytes) else source.read_bytes()):
        return
    STATIC_DIR.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=STATIC_DIR, suffix=".tmp")
    os.close(fd)
    try:
        if isinstance(source, bytes):
            Path(tmp).write_bytes(source)
        else:
            shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)  # only left when the copy failed (a full disk)


def shape_name(level: int) -> str | None:
    """`nuts-l<level>-<digest>.json`: the file of geo.merged_regions(level), named by its sources' digest, so new
    shapes give a new URL and a file can be cached for good; None when the shapes cannot be read."""
    from workforce import geo

    try:
        return f"nuts-l{level}-{geo.merged_regions_digest(level)[:16]}.json"
    except (OSError, ValueError):
        return None


def shape_url(level: int) -> str | None:
    """The URL of the NUTS shapes of `level` in the static folder (written by the first process that needs them;
    the name says the content, so a file is never rewritten or removed while a page may ask for it), or None
    (unreadable shapes, a read-only folder: maps keep their shapes in the figure)."""
    name = shape_name(level) if level in (0, 1, 2) else None
    return _shape_file(level, name) if name else None


@functools.cache
def _shape_file(level: int, name: str) -> str | None:
    import json

    from workforce import geo

    target = STATIC_DIR / name
    try:
        if not target.is_file():
            body = json.dumps(geo.merged_regions(level), separators=(",", ":"), ensure_ascii=False)
            _copy(body.encode("utf-8"), target)
    except (OSError, ValueError) as exc:
        log.warning("map shapes stay in the figures: %s", exc)
        return None
    return "app/static/" + name


def europe_outlines_url() -> str | None:
    """The URL of every country's border simplified for the Europe-wide view (`charts.outline_tolerance()`, what
    the Europe-wide maps draw on top), as `nuts-l0-europe-<digest>.json`; None when it cannot be had. Borders
    simplified for another zoom stay in their figure (that file would be written while the app runs, and behind
    nginx app/static/ is a copy made at deploy time)."""
    entry = _europe_outlines(shape_name(0))
    return entry[0] if entry else None


OUTLINES_RULE = "charts.simplified v1"  # part of the borders file's name: change it when `simplified` changes


@functools.cache
def _europe_outlines(source: str | None) -> tuple[str, dict] | None:
    """(URL, {code: feature} as the file holds them) of the Europe-wide borders made from the level-0 shapes named
    `source`: the file is made once (simplifying every country costs ≈ 0.15 s), later processes read it. A figure's
    borders go by URL only when they equal the file's, so a stale file costs bytes, never a wrong border."""
    import hashlib
    import json

    from workforce import charts, geo

    if source is None:
        return None
    tolerance = charts.outline_tolerance()
    key = hashlib.sha256(f"{source} {tolerance!r} {OUTLINES_RULE}".encode()).hexdigest()[:16]
    target = STATIC_DIR / f"nuts-l0-europe-{key}.json"
    try:
        if not target.is_file():
            shapes = charts.simplified(geo.merged_regions(0), tolerance)
            _copy(json.dumps(shapes, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), target)
        known = {ft["id"]: ft for ft in json.loads(target.read_bytes())["features"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("country borders stay in the figures: %s", exc)
        return None
    return "app/static/" + target.name, known


def prepare_static() -> bool:
    """Everything the live charts ask app/static/ for, written now (deploy/static_www.sh and the image, before
    nginx's copy is made): plotly.js and its partial bundles, the shapes of every level, Europe's borders."""
    return asset_ready() and all(shape_url(level) for level in (0, 1, 2)) and bool(europe_outlines_url())


def _known_shapes(level: int) -> dict:
    """{code: feature} of the shapes in shape_url(level)'s file, as the pages hold them (views.geometry, loaded once
    per process), merged by the same rule (geo.merge_versions)."""
    from workforce import geo
    from workforce.views import geometry

    merged = geo.merge_versions(geometry.shapes(level, version) for version in geo.MAP_VERSIONS)
    return {ft["id"]: ft for ft in merged["features"]}


@functools.cache
def asset_ready() -> bool:
    """plotly.js in the static folder, the same bytes as the installed package's, and the partial bundles beside
    it that match (copied once per process)."""
    try:
        wanted = {asset_name(): _plotly_js()}
        wanted.update({partial_asset_name(b): bundle_path(b) for b in PARTIAL if partial_asset_name(b)})
        for name, source in wanted.items():
            _copy(source, STATIC_DIR / name)
        for old in STATIC_DIR.glob("plotly-*.min.js"):  # an earlier plotly's copies
            if old.name not in wanted:
                old.unlink(missing_ok=True)
        return True
    except OSError as exc:
        log.warning("live charts fall back to st.plotly_chart: %s", exc)
        return False


def bundle_src(fig=None, *, prefer: str | None = None, svg_map: bool = False) -> str:
    """The URL of a plotly.js that draws `fig`: the first partial bundle (`prefer` first, e.g. "atlas" for a
    sparkline beside a map: one bundle per page) that holds every trace type of `fig` (with `svg_map`, the types
    its map traces are drawn as: SVG_TYPES), else the full one. Without a figure: the `prefer` bundle (a
    preloader ahead of its chart)."""
    types = _trace_types(fig)
    if svg_map:
        types = {SVG_TYPES.get(kind, kind) for kind in types}
    for bundle in ([prefer] if prefer else []) + [b for b in PARTIAL if b != prefer]:
        name = partial_asset_name(bundle)
        fits = bundle == prefer if fig is None else types <= PARTIAL[bundle]
        if name and fits:
            return "app/static/" + name
    return "app/static/" + asset_name()


@functools.cache
def _component():
    return st.components.v2.component("atlas_live_chart", html=_HTML, css=_CSS, js=_JS, isolate_styles=False)


def enabled() -> bool:
    return bool(st.get_option("server.enableStaticServing")) and asset_ready()


def _same(a, b) -> bool:
    """Equal JSON values, where a list of points may be a numpy array on either side (geo.with_array_coordinates)."""
    if a is b:
        return True
    if hasattr(a, "shape") or hasattr(b, "shape"):
        import numpy as np

        try:
            return bool(np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float)))
        except (TypeError, ValueError):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def shapes_by_url(spec: dict) -> dict:
    """In place on a figure dict: a map trace whose shapes are all the atlas's own shapes of one NUTS level (the
    same codes and coordinates as shape_url's file) names that file instead of carrying them; live_chart.js
    fetches it once per page and puts the shapes back before Plotly draws (a trace draws only the shapes of its
    `locations`). A change of year or metric on /regions then sends the colours, not 0.26 MB of shapes again.
    Country borders simplified for the Europe-wide view go the same way (europe_outlines_url); any other geometry
    (borders for another zoom, a changed shape) stays in the figure."""
    known_by_level: dict[int, dict] = {}  # one look-up per level and figure, not per trace
    for trace in spec.get("data") or ():
        shapes = trace.get("geojson") if isinstance(trace, dict) and trace.get("type") == "choroplethmap" else None
        features = shapes.get("features") if isinstance(shapes, dict) else None
        if not features or trace.get("featureidkey", "id") != "id" or not isinstance(features[0], dict):
            continue
        level = len(str(features[0].get("id") or "")) - 2  # NUTS codes: "DE" 0, "DE1" 1, "DE11" 2
        meta = trace.get("meta") if isinstance(trace.get("meta"), dict) else {}
        if "simplified" in meta:  # borders simplified for a zoom (charts.add_outlines): Europe's only
            from workforce import charts

            europe = level == 0 and meta["simplified"] == charts.outline_tolerance()
            url, known = (_europe_outlines(shape_name(0)) if europe else None) or (None, {})
        else:
            url = shape_url(level) if level in (0, 1, 2) else None
            try:
                if url and level not in known_by_level:
                    known_by_level[level] = _known_shapes(level)
            except (OSError, ValueError):
                continue
            known = known_by_level.get(level, {})
        if url and all(isinstance(ft, dict) and _same(ft, known.get(ft.get("id"))) for ft in features):
            trace["geojson"] = url
    return spec


def figure_json(fig) -> str:
    """The figure's JSON with Streamlit's chart theme applied (chart_theme.py) and the NUTS shapes by URL
    (shapes_by_url), computed once per figure object (shared figures are reused between reruns and viewers: the
    same string makes the same message, which Streamlit then sends as a reference)."""
    cached = getattr(fig, "_atlas_json", None)
    if cached is None:
        cached = chart_theme.themed_json(shapes_by_url(fig if isinstance(fig, dict) else fig.to_dict()))
        try:
            fig._atlas_json = cached
        except (AttributeError, ValueError):
            pass
    return cached


def preload(key: str, *bundles: str, tables: bool = True) -> None:
    """Start loading plotly.js at the top of a page whose live charts come further down (a chart's own element
    arrives only once its figure is built): the partial `bundles` in the order the page's charts need them
    (default "atlas"; the full bundle for one that is not available). Draws nothing. With `tables`, a session's
    first tables on this page wait until its first chart is painted (tables_later.py)."""
    if enabled():
        st.html(f"<style>.st-key-{key} {{display: none}}</style>")
        srcs = list(dict.fromkeys(bundle_src(prefer=b) for b in bundles or ("atlas",)))
        hold = tables and tables_later.hold_here()
        _component()(key=key, data={"preload": True, "srcs": srcs, "hold_tables": hold,
                                    "box_selector": tables_later.BOX_SELECTOR},
                     on_tables_change=tables_later.painted)


def event_locations(event) -> list[str]:
    """The locations (NUTS ids) of the selected shapes in an `st.plotly_chart` selection event, in order."""
    try:
        points = event.selection.points if event else []
    except AttributeError:
        points = []
    return [str(p["location"]) for p in points or [] if isinstance(p, dict) and p.get("location")]


def live_chart(fig, *, key: str, label: str = "", config: dict | None = None, error_text: str = "",
               clickable: bool = True, bundle: str | None = None, fullscreen: tuple[str, str] | None = None,
               stretch: bool = False, svg_map: bool = True, min_width: int | None = None) -> str | None:
    """Draw `fig` in a graph that stays mounted under `key`; returns the location (NUTS id) of a shape the viewer
    clicked in this run, else None (always None unless `clickable`). `label` is the chart's accessible name;
    `bundle` the partial plotly.js to prefer (the one the page's other live charts use); `fullscreen` the
    labels (open, close) of a full-screen button, none without; `stretch` fills the height its container gives
    it (as st.plotly_chart's height="stretch": the presenter's stage) instead of the figure's height. A map figure
    (`svg_drawable`) is drawn with Plotly's SVG map instead of MapLibre, in the same view (live_chart.js: 2–4.5×
    faster to draw on a machine without a GPU, docs/PERFORMANCE.md), unless `svg_map` is False; the figure
    itself, its exports and the st.plotly_chart fallback stay MapLibre's. `min_width` (px): a column narrower than
    that scrolls the chart sideways instead of squeezing it (the Sankey's labels would run over each other)."""
    config = {"displaylogo": False, **(config or {})}
    if not enabled():
        height = {"height": "stretch"} if stretch else {}
        if not clickable:
            st.plotly_chart(fig, key=key, config=config, **height)
            return None
        event = st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points", **height)
        return next(iter(event_locations(event)), None)
    svg = svg_map and svg_drawable(fig)
    data = {"spec": figure_json(fig), "config": config, "src": bundle_src(fig, prefer=bundle, svg_map=svg),
            "label": label, "error_text": error_text, "fullscreen": list(fullscreen) if fullscreen else None,
            "stretch": stretch, "svg_map": svg, "min_width": int(min_width) if min_width else None}
    if not clickable:
        _component()(key=key, data=data)
        return None
    result = _component()(key=key, data=data, on_click_change=lambda: None)
    clicked = getattr(result, "click", None)
    return str(clicked) if clicked else None


def _title(fig) -> str:
    """A figure's title as plain text (its accessible name): tags dropped, entities ("&amp;") as characters."""
    text = getattr(getattr(fig.layout, "title", None), "text", None) or ""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", str(text))).strip())


def chart(fig, *, key: str, lang: str, label: str = "", config: dict | None = None,
          bundle: str | None = None, stretch: bool = False, min_width: int | None = None) -> None:
    """A chart as `st.plotly_chart` draws it (Streamlit's theme, a full-screen button), kept mounted under `key`
    and drawn by the smallest plotly.js that holds its traces. `label` (default: the figure's title) is its
    accessible name; `stretch` fills the height of its container; `min_width` (px) scrolls it sideways in a
    narrower column."""
    live_chart(fig, key=key, label=label or _title(fig), config=config, error_text=t("chart.failed", lang),
               clickable=False, bundle=bundle, stretch=stretch, min_width=min_width,
               fullscreen=(t("chart.fullscreen", lang), t("chart.fullscreen_close", lang)))
