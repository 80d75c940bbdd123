"""View builders for exports (pure: no Streamlit calls). Each view -> (figure, table, provenance).

`build(view, params, run=db.run)` is used by the `export` CLI and by pages' download menus; `run`
is the query runner (pages pass `session.run`, i.e. `ui.run`, so session uploads are included). Figures come from
workforce.charts; maps carry charts.ATTRIBUTION. Never invents numbers: only query results.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from workforce import charts, params
from workforce.text import html_text

VIEWS = ("overview", "regions", "forecast", "training", "partnerships")
REGION_METRICS = {  # same keys as pages/regions.py: metric -> (column in region_summary, label)
    "jobs": ("jobs_announced", "Jobs announced"),
    "sites": ("sites", "Sites"),
    "programmes": ("programmes", "Programmes"),
    "capacity": ("training_capacity", "Training capacity (places/yr)"),
}
PAGE_KEYS = {"regions": ("metric",), "overview": ("metric",)}
DEFAULT_BASE_URL = "http://localhost:8501"


class ViewError(ValueError):
    """Unknown view or parameter value (user error)."""


@dataclass
class View:
    name: str
    title: str
    figure: go.Figure | None
    table: pd.DataFrame
    caption: str = ""
    query: dict = field(default_factory=dict)

    def url(self, base: str | None = None) -> str:
        return view_url(self.name, self.query, base)

    def provenance(self, base: str | None = None, source_frame: pd.DataFrame | None = None) -> dict:
        from workforce import export

        frame = source_frame if source_frame is not None else self.table
        return export.provenance(frame, view=self.name, scenario=self.query.get("scenario", "base"),
                                 url=self.url(base), title=self.title, notes=self.caption)


def view_url(page: str, query: dict, base: str | None = None) -> str:
    base = (base or os.environ.get("WORKFORCE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
    clean = {k: str(v) for k, v in query.items() if v not in (None, "")}
    return f"{base}/{page}" + (f"?{urlencode(clean)}" if clean else "")


def parse_params(raw: dict) -> tuple[params.Filters, dict, list[str]]:
    """key=value strings -> (shared Filters, page-specific extras, warnings)."""
    filters, warnings = params.parse({k: v for k, v in raw.items() if k in params.Filters.__dataclass_fields__})
    extras = {k: v for k, v in raw.items() if k not in params.Filters.__dataclass_fields__}
    return filters, extras, warnings


def _default_run():
    from workforce import db

    return db.run


def build(view: str, raw: dict | None = None, run: Callable | None = None) -> View:
    """Build one view from URL-style parameters (country, level, year, scenario, region, metric)."""
    if view not in VIEWS:
        raise ViewError(f"unknown view {view!r}; views: {', '.join(VIEWS)}")
    run = run or _default_run()
    filters, extras, _ = parse_params({k: v for k, v in (raw or {}).items() if v is not None})
    builder = {"overview": overview, "regions": regions, "forecast": forecast, "training": training,
               "partnerships": partnerships}[view]
    return builder(filters, extras, run)


def _query(filters: params.Filters, extras: dict, keys: tuple = ()) -> dict:
    q = filters.to_query()
    q.update({k: extras[k] for k in keys if k in extras})
    return q


def overview(filters: params.Filters, extras: dict, run: Callable) -> View:
    metric = extras.get("metric", "sites")
    if metric not in ("sites", "jobs_announced", "capacity_gwh"):
        raise ViewError(f"unknown overview metric {metric!r}; use sites, jobs_announced or capacity_gwh")
    from workforce.i18n import column_label, fmt_number, t
    from workforce.views import pipeline_view

    lang = filters.lang
    pipeline = run("plant_pipeline_by_country", country=filters.country)
    plants = pipeline_view.plants(run, filters.country, lang=lang)
    title = t("view.overview_title", lang, metric=column_label(metric, lang))
    fig = charts.pipeline_bar(pipeline, metric, title=title, lang=lang)
    caption = t("view.overview_caption", lang, n=fmt_number(len(plants), lang))
    return View("overview", title, fig, plants, caption, _query(filters, extras, ("metric",)))


def region_geometry(level: int, ids: list[str]) -> dict:
    from workforce import geo

    return geo.subset(geo.merged_regions(level), ids)


def country_view(country: str | None, run: Callable) -> dict | None:
    if not country:
        return None
    bounds = run("region_bounds", nuts_id=country)
    if bounds.empty:
        return None
    b = bounds.iloc[0]
    return charts.view_from_bounds(b["minx"], b["miny"], b["maxx"], b["maxy"])


def region_data(filters: params.Filters, run: Callable) -> tuple[pd.DataFrame, dict]:
    """The /regions table: forecast at `year`/`scenario` beside supply (workforce.region_view), as on the
    page; falls back to announced figures only when the forecast engine is unavailable."""
    try:
        from workforce.views import region_table as region_view

        data = region_metrics(filters.level, filters.country, filters.year, filters.scenario, run)
    except ImportError:
        summary = run("region_summary", level=filters.level, country=filters.country)
        return summary, {k: (c, False, lab) for k, (c, lab) in REGION_METRICS.items()}
    from workforce.i18n import t

    metrics = {k: (m.column, m.diverging, f"{t(f'metric.{k}', filters.lang)} ({region_view.unit_text(k, filters.lang)})")
               for k, m in region_view.METRICS.items()}
    return data, metrics


def region_metrics(level: int, country: str | None, year: int, scenario: str, run: Callable) -> pd.DataFrame:
    """Forecast (P10/P50/P90 at `year`, `scenario`) beside supply and baseline for every region of `level`:
    the one table behind the /regions page, its export and the CLI."""
    from workforce import model
    from workforce.views import forecast_data as forecast_view
    from workforce.views import region_table as region_view

    summary = run("region_summary", level=level, country=country)
    sim = model.simulate(run("plants", country=None), forecast_view.make_params(scenario))
    if country:
        sim = model.subset(sim, country)
    pct = model.percentiles(model.aggregate(sim, level)) if not sim.index.empty else pd.DataFrame()
    supply = run("supply_baseline", level=level, country=country, year=year, nuts_id=None)
    data = region_view.region_metrics(summary, pct, year, supply)
    return with_need(data, level, country, year, scenario, run, sim)


def with_need(data: pd.DataFrame, level: int, country: str | None, year: int, scenario: str, run: Callable,
              sim=None) -> pd.DataFrame:
    """Add the canonical cumulative training need (views.need.training_need of every region: need_p10/p50/p90,
    need_period), the C27/C29 reskilling pool (pool, pool_year) and the need split (need_reskilled,
    need_new_entrants; assumption training.reskill_pool_share) to a region table."""
    from workforce.views import need as need_view

    by_region = need_view.training_need_by_region(level, country, year, scenario, run, sim=sim)
    out = data.drop(columns=[c for c in ("need_p10", "need_p50", "need_p90", "need_period", "pool_c27", "pool_c29",
                                         "pool", "pool_year") if c in data.columns])
    out = out.merge(by_region.drop(columns="need_period"), on="nuts_id", how="left")
    for col in ("need_p10", "need_p50", "need_p90"):  # regions without a modelled plant: no need
        out[col] = pd.to_numeric(out[col], errors="coerce").fillna(0.0).astype(float)
    out["need_period"] = need_view.need_period(year)
    out = out.merge(need_view.reskill_pool(run, level, country), on="nuts_id", how="left")
    return need_view.with_split(out)


def region_map(filters: params.Filters, metric: str, data: pd.DataFrame, run: Callable, shapes: dict,
               context: dict | None = None, view: dict | None = None, layers: tuple = (),
               outlines: dict | None = None) -> go.Figure:
    """THE regions choropleth (page, export, slide): `metric` of `data` (region_metrics) on `shapes` in classes
    (charts.choropleth; the gap by `gap_class` when `data` has one), the rest of Europe faded (`context`),
    uncertain regions washed out, optional "plants"/"providers" layers (compact, outlined markers). Europe-wide
    (`filters.country` empty) the country borders `outlines` are drawn on top; on a country zoom the region codes
    are written in."""
    import datetime as dt

    from workforce.i18n import t
    from workforce.views import region_table as region_view

    spec, lang, today = region_view.METRICS[metric], filters.lang, dt.date.today()
    fig = charts.choropleth(shapes, data, spec.column, region_view.metric_label(metric, data, lang, today),
                            view, diverging=spec.diverging, context=context,
                            uncertain=data.loc[data["uncertain"], "nuts_id"].tolist(),
                            uncertain_label=t("regions.uncertain_legend", lang),
                            notes=region_view.hover_notes(data, metric, lang, today), lang=lang,
                            gap_class=region_view.GAP_CLASS_COLUMN if metric == "gap" else None,
                            outlines=None if filters.country or filters.level == 0 else outlines,
                            labels=bool(filters.country))
    if "plants" in layers:
        charts.add_plants(fig, run("plants", country=filters.country), lang=lang, compact=True)
    if "providers" in layers:
        charts.add_providers(fig, run("programmes", country=filters.country), name=t("regions.layer_providers", lang),
                             lang=lang)
    return fig


def country_outlines(ids) -> dict:
    """NUTS 0 borders (2024, UK from 2021) of the countries of the regions `ids`, for the Europe-wide map."""
    return region_geometry(0, sorted({str(i)[:2] for i in ids}))


def regions(filters: params.Filters, extras: dict, run: Callable) -> View:
    data, metrics = region_data(filters, run)
    metric = extras.get("metric", "jobs")
    if metric not in metrics:
        raise ViewError(f"unknown regions metric {metric!r}; use {', '.join(metrics)}")
    column, diverging, label = metrics[metric]
    shapes = region_geometry(filters.level, data["nuts_id"].tolist())
    context = (region_geometry(filters.level, run("region_summary", level=filters.level, country=None)["nuts_id"]
                               .tolist()) if filters.country else None)
    if "uncertain" in data.columns:  # the page's figure, built by the same function
        fig = region_map(filters, metric, data, run, shapes, context, country_view(filters.country, run),
                         outlines=None if filters.country else country_outlines(data["nuts_id"]))
    else:  # forecast engine unavailable: announced figures only
        fig = charts.choropleth(shapes, data, column, label, country_view(filters.country, run), diverging=diverging)
    from workforce.i18n import country_name, fmt_number, t
    from workforce.views import region_table as region_view

    lang = filters.lang
    n = int(pd.to_numeric(data[column], errors="coerce").notna().sum())
    title = t("view.regions_title", lang, metric=label, level=filters.level, year=filters.year) + (
        f" ({country_name(filters.country, lang)})" if filters.country else "")
    caption = t("view.regions_caption", lang, n=fmt_number(n, lang), total=fmt_number(len(data), lang),
                scenario=t(f"scenario.{filters.scenario}", lang)) + _baseline_note(data, metric, lang)

    if "uncertain" in data.columns and (note := region_view.supply_note(data, metric, filters.lang)):
        caption += " " + note
    return View("regions", title, fig, data, caption, _query(filters, extras, ("metric",)))


def _baseline_note(data: pd.DataFrame, metric: str, lang: str = "en") -> str:
    """What a per-worker / per-capita metric divides by, with its reference years (the page's caption text)."""
    import datetime as dt

    from workforce.views import region_table as region_view

    spec = region_view.METRICS.get(metric)
    if spec is None or not spec.baseline_year:
        return ""
    return " " + region_view.baseline_caption(data, metric, lang, dt.date.today())


def forecast(filters: params.Filters, extras: dict, run: Callable) -> View:
    from workforce.i18n import column_label, t

    lang = filters.lang
    timeline = run("jobs_by_start_year", country=filters.country)
    fig = go.Figure()
    for status in charts.STATUS_ORDER:
        part = timeline[timeline["status"] == status]
        if part.empty:
            continue
        fig.add_bar(x=part["start_year"], y=part["jobs_announced"], name=charts.status_label(status, lang),
                    marker=dict(color=charts.STATUS_COLORS[status], pattern=dict(shape=charts.STATUS_PATTERNS[status])))
    fig.update_layout(barmode="stack", xaxis_title=t("view.planned_start_year", lang),
                      yaxis_title=column_label("jobs_announced", lang))
    title = t("view.forecast_title", lang)
    charts._layout(fig, title)
    return View("forecast", title, fig, timeline, t("view.forecast_caption", lang), _query(filters, extras))


def training(filters: params.Filters, extras: dict, run: Callable) -> View:
    from workforce.i18n import code_label, column_label, fmt_number, t

    lang = filters.lang
    counts = run("programme_counts", country=filters.country)
    programmes = run("programmes", country=filters.country)
    fig = go.Figure()
    for mode in sorted(counts["mode"].dropna().unique()):
        part = counts[counts["mode"] == mode]
        fig.add_bar(x=part["country"].map(html_text), y=part["programmes"],
                    name=html_text(code_label("present.mode.", str(mode), lang)))
    fig.update_layout(barmode="stack", yaxis_title=column_label("programmes", lang))
    title = t("view.training_title", lang)
    charts._layout(fig, title)
    caption = t("brief.programmes", lang, n=fmt_number(len(programmes), lang),
                providers=fmt_number(programmes["provider"].nunique(), lang))
    view = View("training", title, fig, programmes, caption, _query(filters, extras))
    return view


def partnerships(filters: params.Filters, extras: dict, run: Callable) -> View:
    table = run("partnerships", country=filters.country)
    per_country = table.groupby("country", dropna=False).size().reset_index(name="partnerships") if len(table) else \
        pd.DataFrame({"country": [], "partnerships": []})
    from workforce.i18n import column_label, fmt_number, t

    lang = filters.lang
    fig = go.Figure(go.Bar(x=per_country["country"].fillna("—").map(html_text), y=per_country["partnerships"],
                           marker_color="#0072B2", name=column_label("partnerships", lang)))
    fig.update_layout(yaxis_title=column_label("partnerships", lang))
    title = t("view.partnerships_title", lang)
    charts._layout(fig, title)
    return View("partnerships", title, fig, table, t("brief.partnership_count", lang, n=fmt_number(len(table), lang)),
                _query(filters, extras))
