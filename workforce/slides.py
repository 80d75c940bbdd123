"""Presenter slides: a storyline slide spec -> title, figure or table, caption, sources (no Streamlit calls).

Every number comes from a named query (`db.run`); figures from `charts.py`. Also: the audience link and
its QR code, and minimal PPTX / PDF decks of a whole storyline (one slide per view).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pandas as pd

from workforce import charts, db, i18n, pipeline
from workforce.i18n import t
from workforce.stories import (  # noqa: F401  (re-exported for pages/present.py: pages import views, not domain)
    SlideSpec,
    Story,
    StoryError,
    builtin,
    clamp_slide,
    list_stories,
    text_for,
)

DEFAULT_BASE_URL = "http://localhost:8501"
PAGE_PATH = "present"
MAX_SOURCES = 6
NOT_QUANTITIES = ("year", "started", "as_of", "date", "eqf")  # numeric columns that are labels, not amounts
DATE_COLUMNS = ("jobs_target_as_of", "headcount_date", "started", "status_date", "as_of", "capacity_phase_as_of",
                "capacity_full_as_of")
BRIDGE_YEAR = 2030  # the headline slide's bridge year (the filters' default year)
SLIDE_TITLE_CHARS = 80  # a chart on a slide has the slide's width: its title's lines at most this long


@dataclass
class Slide:
    view: str
    title: str
    caption: str
    figure: object | None = None  # plotly Figure
    table: pd.DataFrame | None = None  # columns already labelled for display
    metrics: list[tuple[str, str, str]] = field(default_factory=list)  # (label, formatted value, note)
    sources: list[dict] = field(default_factory=list)  # {"title", "url", "as_of"}
    assumption: bool = False
    empty: bool = False
    notes: str = ""  # presenter notes (presenter view, PPTX notes page); never on the audience's screen


# ---------------------------------------------------------------- helpers

def place(country: str | None, lang: str) -> str:
    return i18n.country_name(country, lang) if country else t("present.europe", lang)


def sources_of(*frames: pd.DataFrame, limit: int = MAX_SOURCES) -> list[dict]:
    seen, out = set(), []
    for df in frames:
        if df is None or df.empty or "source_title" not in df.columns:
            continue
        for row in df.itertuples(index=False):
            title = getattr(row, "source_title", None)
            url = getattr(row, "source_url", None)
            key = (title, url)
            if pd.isna(title) or key in seen:
                continue
            seen.add(key)
            as_of = getattr(row, "as_of", None)
            out.append({"title": str(title), "url": None if pd.isna(url) else str(url),
                        "as_of": None if as_of is None or pd.isna(as_of) else str(as_of)})
            if len(out) >= limit:
                return out
    return out


def label_columns(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Display copy: status/mode values and column names in `lang`."""
    out = df.copy()
    for col in out.columns:  # counts and modelled figures in the locale's digits (never "1747.5259"); years as years
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]) \
                and not any(k in col for k in NOT_QUANTITIES):
            out[col] = out[col].map(lambda v: i18n.fmt_number(v, lang))
    for col, prefix in (("status", "present.status."), ("mode", "present.mode."), ("segment", "value.segment.")):
        if col in out.columns:
            out[col] = out[col].map(lambda v, p=prefix: i18n.code_label(p, v, lang))
    for col in out.columns:  # dates in the locale's form ("2022. nov. 27."); undated cells stay as they are
        if col in DATE_COLUMNS:
            out[col] = out[col].map(lambda v: i18n.fmt_date(v, lang) if isinstance(v, str) and v[:1].isdigit() else v)
    labels = [t(f"present.col.{c}", lang) for c in out.columns]
    out.columns = [lab if labels.count(lab) == 1 else f"{lab} ({c})" for lab, c in zip(labels, df.columns, strict=True)]
    return out


def _view(country: str | None) -> dict | None:
    if not country:
        return None
    bounds = db.run("region_bounds", nuts_id=country)
    if bounds.empty or bounds.iloc[0].isna().any():
        return None
    b = bounds.iloc[0]
    return charts.view_from_bounds(b["minx"], b["miny"], b["maxx"], b["maxy"])


def _with_outlines(fig):
    """The figure on top of faint country outlines (NUTS-0, offline GeoJSON), so dots have a context."""
    import plotly.graph_objects as go

    from workforce.views import geometry

    try:
        shapes = geometry.shapes(0, 2024)
    except Exception:  # noqa: BLE001 - no outlines is better than no slide
        return fig
    features = shapes.get("features") or []
    if not features:
        return fig
    ids = [ft["id"] for ft in features]
    base = go.Choroplethmap(geojson=shapes, locations=ids, z=[0] * len(ids), showscale=False, hoverinfo="skip",
                            colorscale=[[0, "#f4f4f4"], [1, "#f4f4f4"]], showlegend=False, name="",
                            marker=dict(line=dict(width=0.7, color="#8a8a8a")))
    return go.Figure(data=[base, *fig.data], layout=fig.layout)


def _metric(label_key: str, value, lang: str, note: str = "") -> tuple[str, str, str]:
    return t(label_key, lang), i18n.fmt_number(value, lang), note


def _region_summary(country, level) -> pd.DataFrame:
    df = db.run("region_summary", level=level, country=country)
    return df


# ---------------------------------------------------------------- one builder per view

def _headline(p: dict, lang: str) -> Slide:
    df = db.run("headlines")
    if p.get("metrics"):
        df = df[df["metric"].isin(p["metrics"])].set_index("metric").reindex(p["metrics"]).dropna(subset=["value"])
        df = df.reset_index()
    else:
        df = df.head(2)
    from workforce.views import bridge, forecast_data

    metrics = []
    dated = False
    for row in df.itertuples(index=False):
        key = f"present.metric.{row.metric}"
        label = t(key, lang)
        if label == key:
            label = str(row.scope or row.metric)
        note = i18n.fmt_date(row.as_of, lang)
        if row.metric in bridge.CLAIM_METRICS:  # the 2022 claim: dated, and its year has passed
            dated = True
            note = t("present.claim_note", lang, as_of=note, year=bridge.CLAIM_YEAR)
        metrics.append((label, i18n.fmt_number(row.value, lang), note))
    figure = None
    if dated:  # beside the claim: what the pipeline supports, and the bridge (same builder as / and /forecast)
        hl = forecast_data.builtin_headline("base", BRIDGE_YEAR)  # cached: the overview's numbers
        label = t(f"scenario.{hl['scenario']}", lang)
        support = bridge.support_text(hl, lang)  # 2025, 2030, 2035; four cards fit a slide: 2035 goes in a note
        later = "; ".join(f"{lab}: {value}" for lab, value, _ in support[2:])
        metrics += [(lab, value, " · ".join(x for x in (band, label, later if i == 1 else "") if x))
                    for i, (lab, value, band) in enumerate(support[:2])]
        figure = bridge.bridge_figure(hl["steps"], lang, t("bridge.title", lang, year=hl["year"], scenario=label),
                                      title_chars=SLIDE_TITLE_CHARS, label_chars=None)  # rows too low for two lines
    return Slide("headline", t("present.view.headline", lang), "", figure=figure, metrics=metrics,
                 sources=sources_of(df), assumption=dated, empty=df.empty)


def _plants_map(p: dict, lang: str) -> Slide:
    country = p.get("country")
    df = pipeline.with_freshness(db.run("plants", country=country), lang=lang)
    totals = db.run("plant_totals", country=country)
    metrics = []
    if not totals.empty:
        r = totals.iloc[0]
        metrics = [_metric("present.col.sites", r["sites"], lang),
                   _metric("present.col.jobs_announced", r["jobs_announced"], lang),
                   _metric("present.col.capacity_gwh", r["capacity_gwh"], lang)]
    shown = df
    if p.get("cities"):
        wanted = {c.casefold() for c in p["cities"]}
        shown = df[df["city"].fillna("").str.casefold().isin(wanted)]
    shown = shown.sort_values("jobs_announced", ascending=False, na_position="last").head(p.get("limit", 10))
    table = label_columns(shown[["company", "site_name", "city", "segment", "status", "freshness", "jobs_announced",
                                 "start_year"]], lang)
    return Slide("plants_map", t("present.view.plants_map", lang, place=place(country, lang)), "",
                 figure=_with_outlines(charts.plants_map(df, _view(country), height=480, lang=lang)), table=table, metrics=metrics,
                 sources=sources_of(shown, df), empty=df.empty)


def _pipeline(p: dict, lang: str) -> Slide:
    country, metric = p.get("country"), p.get("metric", "sites")
    df = db.run("plant_pipeline_by_country", country=country)
    plants = db.run("plants", country=country)
    return Slide("pipeline", t("present.view.pipeline", lang, place=place(country, lang),
                                metric=t(f"present.col.{metric}", lang)), "",
                 figure=charts.pipeline_bar(df, metric, lang=lang) if not df.empty else None, sources=sources_of(plants),
                 empty=df.empty)


def _timeline(p: dict, lang: str) -> Slide:
    country = p.get("country")
    df = db.run("jobs_by_start_year", country=country)
    plants = db.run("plants", country=country)
    fig = None
    if not df.empty:
        by_year = df.assign(country=df["start_year"].astype("Int64").astype(str))
        fig = charts.pipeline_bar(by_year, "jobs_announced", lang=lang, by_total=False)  # years in their order
        fig.update_xaxes(type="category")
    return Slide("timeline", t("present.view.timeline", lang, place=place(country, lang)), "", figure=fig,
                 sources=sources_of(plants), empty=df.empty)


def _region_table(p: dict, lang: str) -> Slide:
    country, level, metric = p.get("country"), p.get("level", 2), p.get("metric", "jobs_announced")
    df = _region_summary(country, level)
    df = df[(df["sites"] > 0) | (df["programmes"] > 0)]
    df = df.sort_values(metric, ascending=False, na_position="last").head(p.get("limit", 12))
    table = label_columns(df[["nuts_id", "name", "sites", "jobs_announced", "capacity_gwh", "programmes",
                              "partnerships"]], lang)
    return Slide("region_table", t("present.view.region_table", lang, place=place(country, lang)), "",
                 table=table, sources=sources_of(db.run("plants", country=country)), empty=df.empty)


def _gap(p: dict, lang: str) -> Slide:
    """Training need (views.need, cumulative with its period) and white spots (roles with modelled need but no
    programme for them in the region: the same `training_data.white_spots_view` as /training) per region."""
    from workforce.views import need as need_view
    from workforce.views import training_data

    country, level = p.get("country"), p.get("level", 2)
    year, scenario = p.get("year", 2030), "base"
    df = _region_summary(country, level)
    sim = need_view.simulation(scenario, db.run)
    total = need_view.training_need(country, year, scenario, db.run, sim=sim)
    by_region = need_view.training_need_by_region(level, country, year, scenario, db.run, sim=sim)
    ws = training_data.white_spots_view(country, None, scenario, None)
    ws_level = ws.assign(nuts_id=ws["nuts_id"].astype(str).str[: level + 2])
    counts = ws_level.groupby("nuts_id")["role_id"].nunique()
    df = df.merge(by_region[["nuts_id", "need_p50"]], on="nuts_id", how="left")
    df["need_p50"] = df["need_p50"].fillna(0.0)
    df["white_spots"] = df["nuts_id"].map(counts).fillna(0).astype(int)
    df = df[(df["sites"] > 0) | (df["white_spots"] > 0)].sort_values(
        ["white_spots", "need_p50"], ascending=False, na_position="last")
    shown = df.head(p.get("limit", 12)).copy()
    table = label_columns(shown[["nuts_id", "name", "sites", "jobs_announced", "need_p50", "programmes",
                                 "white_spots"]], lang)
    table = table.rename(columns={t("present.col.need_p50", lang): f"{t('present.col.need_p50', lang)}, {total.period}"})
    metrics = [(t("present.training_need", lang, period=total.period), i18n.fmt_number(total.p50, lang),
                t("present.training_need_note", lang, scenario=t(f"scenario.{scenario}", lang))),
               _metric("present.regions_with_sites", int((df["sites"] > 0).sum()), lang),
               _metric("present.white_spots", len(ws), lang, t("present.white_spot_regions", lang,
                                                                n=ws["nuts_id"].nunique()))]
    sources = sources_of(db.run("plants", country=country), db.run("programmes", country=country))
    return Slide("gap", t("present.view.gap", lang, place=place(country, lang)), "", table=table, metrics=metrics,
                 sources=sources, assumption=True, empty=df.empty)


def _programmes(p: dict, lang: str) -> Slide:
    country, region, group = p.get("country"), p.get("region"), p.get("group", "none")
    df = db.run("programmes", country=country)
    if country:
        df = df[df["country"] == country]
    if region:
        df = df[df["nuts2"].fillna("").str.startswith(region)]
    if group == "none":
        shown = df.head(p.get("limit", 12))[["provider", "programme", "city", "eqf_level", "mode"]]
    else:
        key = {"region": "region_name"}.get(group, group)
        grouped = df.assign(**{key: df[key].astype("string").fillna(t("present.unknown", lang))})
        shown = (grouped.groupby(key, dropna=False)
                 .agg(programmes=("programme_id", "count"), providers=("provider", "nunique"))
                 .reset_index().sort_values(["programmes", key], ascending=[False, True])
                 .head(p.get("limit", 15)))
        if group == "provider":
            shown = shown.drop(columns="providers")
    # the counts once per storyline: on the list or the provider network, not again on its pathway/region cuts
    metrics = ([_metric("present.col.programmes", len(df), lang),
                _metric("present.col.providers", df["provider"].nunique(), lang)]
               if group in ("none", "provider") else [])
    return Slide("programmes", t("present.view.programmes", lang, place=place(country, lang)), "",
                 table=label_columns(shown, lang), metrics=metrics, sources=sources_of(df), empty=df.empty)


def _partnerships(p: dict, lang: str) -> Slide:
    country, region = p.get("country"), p.get("region")
    df = db.run("partnerships", country=country)
    if region:
        df = df[df["nuts2"].fillna("").str.startswith(region)]
    shown = df.head(p.get("limit", 12))[["industry_party", "education_party", "city", "started"]]
    return Slide("partnerships", t("present.view.partnerships", lang, place=place(country, lang)), "",
                 table=label_columns(shown, lang), metrics=[_metric("present.col.partnerships", len(df), lang)],
                 sources=sources_of(df), empty=df.empty)


def _roles(p: dict, lang: str) -> Slide:
    df = db.run("roles")
    shown = df.head(p.get("limit", 12)).copy()
    # English: ESCO's own label; other languages: i18n.role_label (ESCO label in that language, else the reviewed
    # translation in locales/)
    shown["role"] = [(lab if isinstance(lab, str) and lab else role) if lang == "en" else i18n.role_label(rid, lang)
                     for rid, lab, role in zip(shown["role_id"], shown["esco_label"], shown["role"], strict=True)]
    for col in ("mix_cell", "mix_materials", "mix_pack", "mix_recycling"):
        shown[col] = shown[col].map(lambda v: i18n.fmt_number(None if pd.isna(v) else v * 100, lang) + " %"
                                    if not pd.isna(v) else "—")
    table = label_columns(shown[["role", "typical_eqf", "mix_cell", "mix_materials", "mix_pack", "mix_recycling"]],
                          lang)
    return Slide("roles", t("present.view.roles", lang, place=place(p.get("country"), lang)), "", table=table,
                 sources=sources_of(df), assumption=True, empty=df.empty)


def _site_jobs(p: dict, lang: str) -> Slide:
    """Target jobs (phase / full build-out) and reported headcount side by side per site of a region, each
    with its own date (views.pipeline_view.jobs_facts): never merged into one number."""
    from workforce.views import pipeline_view

    region = p.get("region", "")
    facts = (pipeline_view.jobs_facts(db.run, region, lang=lang) if region
             else pd.DataFrame(columns=pipeline_view.JOBS_FACT_COLUMNS))
    shown = facts.head(p.get("limit", 12))
    table = label_columns(shown[["site_name", "status", "jobs_target", "jobs_target_scope", "jobs_target_as_of",
                                 "headcount", "headcount_date", "headcount_counts", "freshness"]], lang)
    return Slide("site_jobs", t("present.view.site_jobs", lang, place=region), "", table=table,
                 sources=sources_of(pipeline_view.jobs_facts_sources(db.run, region, shown)), empty=facts.empty)


def _gap_map(p: dict, lang: str) -> Slide:
    """Where training falls short, on the map: the /regions gap map (views.regions, the same figure as the page
    and its export) with the training need of the scope (views.need) and the white spots as cards."""
    from workforce import views
    from workforce.views import need as need_view
    from workforce.views import training_data

    country, level, year, scenario = p.get("country"), p.get("level", 2), p.get("year", 2030), "base"
    raw = {"level": str(level), "year": str(year), "scenario": scenario, "lang": lang, "metric": "gap"}
    if country:
        raw["country"] = country
    view = views.build("regions", raw)
    total = need_view.training_need(country, year, scenario, db.run)
    ws = training_data.white_spots_view(country, None, scenario, None)
    data = view.table
    classes = data["gap_class"].value_counts() if "gap_class" in data.columns else pd.Series(dtype=int)
    short = int(classes.get("shortage", 0))
    metrics = [(t("present.training_need", lang, period=total.period), i18n.fmt_number(total.p50, lang),
                t("present.training_need_note", lang, scenario=t(f"scenario.{scenario}", lang))),
               _metric("present.regions_short", short, lang, t("present.regions_short_note", lang, year=year)),
               _metric("present.white_spots", len(ws), lang, t("present.white_spot_regions", lang,
                                                                n=ws["nuts_id"].nunique()))]
    sources = sources_of(db.run("programmes", country=country), db.run("plants", country=country))
    return Slide("gap_map", t("present.view.gap", lang, place=place(country, lang)), "", figure=view.figure,
                 metrics=metrics, sources=sources, assumption=True, empty=data.empty)


def _forecast(p: dict, lang: str) -> Slide:
    """The forecast fan for the scope (P10–P90 band, P50 line, every year): the /forecast page's builder."""
    from workforce.views import forecast_data

    country, measure, scenario = p.get("country"), p.get("measure", "jobs"), "base"
    res = forecast_data.results(scenario, (), country, 2, country, 2030)
    label = t(f"scenario.{scenario}", lang)
    title = t(f"forecast.fan_{measure}", lang) + f" · {place(country, lang)}"
    fig = forecast_data.fan_chart(res["total"], measure, title, names=(label, ""), lang=lang,
                                  title_chars=SLIDE_TITLE_CHARS)
    return Slide("forecast", t("present.view.forecast", lang, place=place(country, lang)), "", figure=fig,
                 sources=sources_of(db.run("plants", country=country)), assumption=True, empty=res["total"].empty)


def _text(p: dict, lang: str) -> Slide:
    return Slide("text", "", "")


BUILDERS = {
    "headline": _headline, "plants_map": _plants_map, "pipeline": _pipeline, "timeline": _timeline,
    "region_table": _region_table, "gap": _gap, "programmes": _programmes, "partnerships": _partnerships,
    "roles": _roles, "site_jobs": _site_jobs, "text": _text, "gap_map": _gap_map, "forecast": _forecast,
}


def render(spec: SlideSpec, lang: str = "en") -> Slide:
    """Build one slide from its spec with live data."""
    slide = BUILDERS[spec.view](spec.params, lang)
    slide.title = text_for(spec.title, lang) or slide.title
    slide.caption = text_for(spec.caption, lang)
    slide.notes = text_for(spec.notes, lang)
    return slide


PRESENT_FONT = 16  # px: a slide's chart text (the app's charts use 12, unreadable from a room's back row)
PRESENT_TEXT = "#111111"  # dark, as the slide's own text (PRESENT_CSS), not the app's grey


def fit_figure(fig):
    """The slide's figure for the presenter's screen: no fixed pixel height, so it fills the stage the page gives
    it (16:9 at any size); its text at PRESENT_FONT and dark, every explicit font size of the figure grown in
    proportion, the right margin (outside bar labels) too. At 1 920 × 1 080 the bridge's step names and numbers
    were 12-px grey beside 56-px card numbers. Exports keep their own fixed sizes."""
    import plotly.graph_objects as go

    scale = PRESENT_FONT / 12
    out = go.Figure(fig)
    spec = out.to_plotly_json()
    for trace in spec.get("data", []):
        _grow_fonts(trace, scale)
    _grow_fonts(spec.get("layout", {}), scale)
    out = go.Figure(spec)
    dark = dict(size=PRESENT_FONT, color=PRESENT_TEXT)
    out.update_layout(height=None, autosize=True, font=dark, legend_font=dark)
    out.update_xaxes(tickfont=dark, title_font=dark)
    out.update_yaxes(tickfont=dark, title_font=dark)
    margin = out.layout.margin
    if margin is not None and margin.r is not None and margin.r > 20:
        out.update_layout(margin_r=round(margin.r * scale))
    return out


def _grow_fonts(node, scale: float) -> None:
    """Every `size` of a font dict (textfont, tickfont, title.font, …) under `node`, times `scale`, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and key.endswith("font") and isinstance(value.get("size"), (int, float)):
                value["size"] = round(value["size"] * scale, 1)
            _grow_fonts(value, scale)
    elif isinstance(node, list):
        for item in node:
            _grow_fonts(item, scale)


# ---------------------------------------------------------------- audience link + QR

def base_url(context_url: str | None) -> str:
    """scheme://host[:port] of the URL the browser used; localhost when unknown or not http(s)."""
    if context_url:
        parsed = urlparse(str(context_url))
        if parsed.scheme in ("http", "https") and parsed.netloc and re.fullmatch(r"[\w.\-:\[\]]+", parsed.netloc):
            return f"{parsed.scheme}://{parsed.netloc}"
    return DEFAULT_BASE_URL


def public_base_url(value: str | None) -> str | None:
    """WORKFORCE_PUBLIC_URL, validated: an http(s) URL with a host (a path prefix is kept, e.g. behind a proxy);
    None when unset or invalid. The one base for every QR code: never the request's Host header."""
    if not value:
        return None
    s = str(value).strip().rstrip("/")
    parsed = urlparse(s)
    if (parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment
            or not re.fullmatch(r"[\w.\-:\[\]]+", parsed.netloc) or re.search(r"[\s\"'<>\\]", s)):
        return None
    return s


def live_link(base: str, story_id: str, number: int, lang: str = "en") -> str:
    query = {"story": story_id, "slide": number}
    if lang != "en":
        query["lang"] = lang
    return f"{base.rstrip('/')}/{PAGE_PATH}?{urlencode(query)}"


def qr_png(url: str, box_size: int = 6) -> bytes:
    """A QR code of `url` as PNG bytes, generated locally."""
    import qrcode

    qr = qrcode.QRCode(border=2, box_size=box_size, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()


# ---------------------------------------------------------------- decks (PPTX / PDF)

def _table_rows(slide: Slide, lang: str, limit: int = 12) -> list[list[str]]:
    if slide.table is None or slide.table.empty:
        return []
    rows = [[str(c) for c in slide.table.columns]]
    for rec in slide.table.head(limit).itertuples(index=False):
        rows.append([_cell(v, lang) for v in rec])
    return rows


def _cell(v, lang: str) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "—"
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return i18n.fmt_number(v, lang)
    return str(v)


def _source_line(src: dict, lang: str) -> str:
    when = f" ({i18n.fmt_date(src['as_of'], lang)})" if src.get("as_of") else ""
    return f"{src['title']}{when}" + (f" — {src['url']}" if src.get("url") else "")


def _footer(slide: Slide, lang: str, number: int, count: int) -> str:
    """The sources of a slide (none: no empty "Sources:" label) and its number."""
    sources = "; ".join(_source_line(s, lang) for s in slide.sources)
    return (f"{t('sources.label', lang)}: {sources}  ·  " if sources else "") + f"{number}/{count}"


def deck_slides(story: Story, lang: str = "en") -> list[Slide]:
    return [render(spec, lang) for spec in story.slides]


def _figure_pngs(slides_: list[Slide], images: bool) -> list[bytes | None]:
    """PNG of each slide's figure via export.figure_bytes (kaleido + chromium), or None per slide."""
    if not images:
        return [None] * len(slides_)
    from workforce import export

    if not export.ensure_browser():
        return [None] * len(slides_)
    out = []
    with export.kaleido_session():
        for slide in slides_:
            try:
                out.append(export.figure_bytes(slide.figure, "png", width=1100, height=520)
                           if slide.figure is not None else None)
            except Exception:  # noqa: BLE001 - a chart that cannot be drawn falls back to the table
                out.append(None)
    return out


def _neutral_table(slide: Slide) -> None:
    from workforce import export

    if slide.table is not None:
        slide.table = export.neutralise(slide.table)


def to_pptx(story: Story, lang: str = "en", base: str | None = None, images: bool = False) -> bytes:
    """One PPTX slide per storyline slide: title, metrics, chart image (`images`, needs chromium) or table,
    caption, QR code + link, sources."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def box(sl, x, y, w, h, text, size, bold=False):
        tf = sl.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h)).text_frame
        tf.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.text = line
            para.font.size, para.font.bold = Pt(size), bold

    built = deck_slides(story, lang)
    for number, (slide, png) in enumerate(zip(built, _figure_pngs(built, images), strict=True), 1):
        _neutral_table(slide)
        sl = prs.slides.add_slide(blank)
        if slide.notes:  # presenter notes on the notes page, as in any deck
            sl.notes_slide.notes_text_frame.text = slide.notes
        box(sl, 0.5, 0.3, 10.5, 0.9, slide.title or text_for(story.title, lang), 30, bold=True)
        y = 1.3
        if slide.metrics:
            box(sl, 0.5, y, 10.5, 0.8, "   ·   ".join(f"{lab}: {val}" for lab, val, _ in slide.metrics), 20)
            y += 0.9
        rows = [] if png else _table_rows(slide, lang, limit=10)
        if png:
            sl.shapes.add_picture(io.BytesIO(png), Inches(0.5), Inches(y), height=Inches(5.2 - y))
            y = 5.3
        if rows:
            shape = sl.shapes.add_table(len(rows), len(rows[0]), Inches(0.5), Inches(y), Inches(10.5),
                                        Inches(0.3 * len(rows)))
            for r, values in enumerate(rows):
                for c, value in enumerate(values):
                    cell = shape.table.cell(r, c)
                    cell.text = value
                    cell.text_frame.paragraphs[0].font.size = Pt(11)
            y += 0.3 * len(rows) + 0.2
        elif slide.empty:
            box(sl, 0.5, y, 10.5, 0.5, t("present.no_data", lang), 16)
            y += 0.6
        box(sl, 0.5, min(y, 5.6), 10.5, 1.0, slide.caption + ("\n" + t("assumption.badge", lang)
                                                               if slide.assumption else ""), 16)
        if base:  # no public address configured: no QR code that no phone in the room could open
            link = live_link(base, story.id, number, lang)
            sl.shapes.add_picture(io.BytesIO(qr_png(link)), Inches(11.3), Inches(0.4), Inches(1.7), Inches(1.7))
            box(sl, 11.0, 2.1, 2.2, 0.8, link, 9)
        box(sl, 0.5, 6.5, 12.3, 0.9, _footer(slide, lang, number, len(story.slides)), 9)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def to_pdf(story: Story, lang: str = "en", base: str | None = None, images: bool = False) -> bytes:
    """One landscape PDF page per storyline slide (DejaVu Sans via export.unicode_font, else Helvetica
    with transliteration); chart images with `images` (needs chromium), else tables."""
    from fpdf import FPDF

    from workforce import export

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(text_for(story.title, lang))
    pdf.set_creator("Battery Workforce Atlas")
    regular = export.unicode_font()
    bold = regular.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") if regular else None
    if regular:
        pdf.add_font("DejaVu", "", regular)
        pdf.add_font("DejaVu", "B", bold if bold and Path(bold).is_file() else regular)
        family, clean = "DejaVu", str
    else:
        family, clean = "Helvetica", export._ascii
    built = deck_slides(story, lang)
    for number, (slide, png) in enumerate(zip(built, _figure_pngs(built, images), strict=True), 1):
        _neutral_table(slide)
        pdf.add_page()
        pdf.set_font(family, "B", 22)
        pdf.set_xy(12, 12)
        pdf.multi_cell(220, 10, clean(slide.title or text_for(story.title, lang)))
        pdf.set_font(family, "", 13)
        if slide.metrics:
            pdf.set_x(12)
            pdf.multi_cell(220, 8, clean("   ·   ".join(f"{lab}: {val}" for lab, val, _ in slide.metrics)))
        rows = [] if png else _table_rows(slide, lang, limit=10)
        if png:
            top = pdf.get_y() + 2
            height = max(40.0, min(104.0, 176.0 - top))  # 1100x520 px -> at most 220 mm wide, clear of the QR
            pdf.image(io.BytesIO(png), x=12, y=top, h=height)
            pdf.set_y(top + height)
        if rows:
            pdf.ln(2)
            pdf.set_font(family, "", 9)
            pdf.set_x(12)
            with pdf.table(width=220, align="LEFT", line_height=5, first_row_as_headings=True) as table:
                for values in rows:
                    row = table.row()
                    for value in values:
                        row.cell(clean(value[:60]))
        elif slide.empty:
            pdf.set_x(12)
            pdf.multi_cell(220, 7, clean(t("present.no_data", lang)))
        pdf.set_font(family, "", 12)
        pdf.ln(3)
        pdf.set_x(12)
        caption = slide.caption + (" " + t("assumption.badge", lang) if slide.assumption else "")
        pdf.multi_cell(220, 6, clean(caption))
        if base:  # no public address configured: no QR code
            link = live_link(base, story.id, number, lang)
            pdf.image(io.BytesIO(qr_png(link)), x=240, y=12, w=45, h=45)
            pdf.set_font(family, "", 7)
            pdf.set_xy(238, 58)
            pdf.multi_cell(50, 4, clean(link))
        pdf.set_xy(12, 185)
        pdf.multi_cell(270, 4, clean(_footer(slide, lang, number, len(story.slides))))
    return bytes(pdf.output())
