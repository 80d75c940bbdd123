"""The /regions room: the choropleth of the current view, clicked regions and the region panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import charts, db, params, text
from workforce.i18n import code_label, t
from workforce.session import run, session_frames
from workforce.ui.downloads import brief_download
from workforce.ui.figures import geometry_for, shared_figure, view_for
from workforce.ui.live_chart import event_locations, live_chart
from workforce.ui.widgets import assumption_badge, bullet_list, fmt_number, sources_footnote, table


def clicked_region(event, known) -> str | None:
    """The NUTS id of a clicked map shape (a location from `ui.live_chart` or a plotly selection event), if it is
    a known region (a click is browser input: anything else is ignored)."""
    ids = set(known)
    locations = [event] if isinstance(event, str) else event_locations(event)
    return next((location for location in locations if location in ids), None)


def region_panel(region: str, lang: str = "en", scenario: str = "base", year: int = 2030,
                 details=None) -> None:
    """The region at a glance — name, brief, forecast sparkline, training need (with the reskilling pool and its
    split), how many plants, programmes and partnerships it has — and then its lists and tables (`_region_tables`)
    in `details`: /regions gives a container under the ranked table and the panel, at the page's full width (in
    the panel's column of ≈ 300 px at 1 280 px a table showed one column — the site's name — and hid every number
    to the right). Without `details` the tables follow the panel."""
    from workforce.views import pipeline_view

    plants = pipeline_view.region_plants(run, region, lang=lang)
    programmes = run("programmes", region=region)
    partnerships = run("partnerships", region=region)
    bounds = run("region_bounds", nuts_id=region)
    name = bounds.iloc[0]["name"] if not bounds.empty else region
    st.markdown(f"#### {text.md(name)} ({text.md(region)})")
    brief_download(region, lang)

    fc = region_forecast(region, scenario)
    total = fc["total"]
    if total["jobs_p50"].sum() > 0:
        st.caption(t("panel.forecast", lang, scenario=t(f"scenario.{scenario}", lang)))
        # the page's map already loaded the atlas bundle: the sparkline uses it too (no second bundle)
        live_chart(charts.sparkline(total, lang=lang), key="rg_spark", config={"displayModeBar": False}, clickable=False,
                   bundle="atlas", label=t("panel.forecast", lang, scenario=t(f"scenario.{scenario}", lang)))
        assumption_badge(lang)
    else:
        st.caption(t("panel.no_forecast", lang))
    if len(region) - 2 in (0, 1, 2):
        need_block(region, lang, scenario, year)
    st.markdown(t("panel.counts", lang, plants=len(plants), programmes=len(programmes),
                  partnerships=len(partnerships)))
    with details if details is not None else st.container():
        _region_tables(region, name, plants, programmes, partnerships, lang, scenario, year)


def _region_tables(region: str, name: str, plants: pd.DataFrame, programmes: pd.DataFrame,
                   partnerships: pd.DataFrame, lang: str, scenario: str, year: int) -> None:
    """The region's lists and tables: plants, jobs targets and headcounts, site timelines, programmes,
    partnerships, the gap by role, the modelled supply, the Eurostat baseline and the sources."""
    from workforce.views import pipeline_view, training_data

    st.subheader(t("panel.details", lang, name=text.md(name), region=text.md(region)))
    st.markdown(f"**{t('panel.plants', lang)}** ({len(plants)})")
    bullet_list([f"{r.site_name} — {code_label('value.segment.', r.segment, lang)}, "
                 f"{code_label('present.status.', r.status, lang)}"
                 + (f" ({r.freshness})" if r.freshness else "")
                 for r in plants.head(12).itertuples()], more=len(plants) - 12)
    table(plants, pipeline_view.PLANT_TABLE_COLUMNS)
    facts = pipeline_view.jobs_facts(run, region, lang=lang)
    if not facts.empty:
        st.markdown(f"**{t('panel.jobs_facts', lang)}**")
        st.caption(t("panel.jobs_facts_caption", lang))
        table(facts, ["site_name", "status", "capacity_phase", "capacity_phase_as_of", "capacity_full",
                      "capacity_full_as_of", "jobs_target", "jobs_target_scope", "jobs_target_as_of",
                      "jobs_target_source_url", "headcount", "headcount_date", "headcount_counts",
                      "headcount_source_url", "freshness"])
    timelines = pipeline_view.region_timelines(run, region, lang)
    if timelines:
        st.markdown(f"**{t('panel.timelines', lang)}**")
        names = dict(zip(plants["site_id"], plants["site_name"], strict=False))
        for site_id, events in list(timelines.items())[:20]:
            with st.expander(t("panel.timeline_of", lang, site=names.get(site_id, site_id), n=len(events))):
                table(events)
    st.markdown(f"**{t('panel.programmes', lang)}** ({len(programmes)})")
    bullet_list([f"{r.provider}: {r.programme}" for r in programmes.head(12).itertuples()], more=len(programmes) - 12)
    table(programmes, ["provider", "programme", "eqf_level", "mode", "capacity_per_year", "source_url"])
    st.markdown(f"**{t('panel.partnerships', lang)}** ({len(partnerships)})")
    bullet_list([f"{r.industry_party} ↔ {r.education_party}" for r in partnerships.head(12).itertuples()],
                more=len(partnerships) - 12)
    table(partnerships, ["industry_party", "education_party", "started", "source_url"])

    level = len(region) - 2
    if level in (0, 1, 2):
        gap, _source = training_data.gap(region[:2], level, scenario)
        gap = gap[(gap["nuts_id"] == region) & (gap["year"] == int(year))]
        if not gap.empty:
            st.markdown(f"**{t('panel.gap_by_role', lang, year=year)}**")
            table(gap.assign(role=training_data.role_names_in(gap["role_id"], lang))[
                ["role", "need", "capacity", "gap", "capacity_known"]].sort_values("need", ascending=False))

    supply = run("supply_baseline", level=len(region) - 2, country=region[:2], year=int(year), nuts_id=region) \
        if len(region) - 2 in (0, 1, 2) else pd.DataFrame()
    if not supply.empty:  # the modelled baseline with its key (catalogue places are in the programmes table above)
        st.markdown(f"**{t('panel.supply', lang)}**")
        table(supply, ["supply_vet_low", "supply_vet_mid", "supply_vet_high", "supply_tertiary_low",
                       "supply_tertiary_mid", "supply_tertiary_high", "held_from", "supply_key",
                       "supply_modelled_status", "source_url"])

    indicators = run("region_indicators", nuts_id=region)
    if indicators.empty:
        st.caption(t("panel.no_indicators", lang))
    else:
        import datetime as dt

        from workforce.views import region_table as region_view

        st.markdown(f"**{t('age.indicator_years', lang)}**")
        table(region_view.latest_indicators(indicators, dt.date.today(), lang),
              ["indicator", "year", "age", "value", "unit", "flag", "status", "source_url"])
    with st.expander(t("panel.sources", lang)):
        parts = [d[["source_title", "source_url", "as_of"]] for d in (plants, programmes, partnerships, indicators)
                 if not d.empty]
        cited = pd.concat(parts) if parts else pd.DataFrame(columns=["source_title", "source_url", "as_of"])
        sources_footnote(cited, lang, limit=40)


def need_block(region: str, lang: str, scenario: str, year: int) -> None:
    """The region's training need (views.need.training_need, cumulative with its period) beside the C27/C29
    reskilling pool (its year, "old data" label) and the split into reskilled incumbents vs new entrants."""
    import datetime as dt

    from workforce.views import need as need_view
    from workforce.views import region_table as region_view

    need = training_need(region, year, scenario)
    st.markdown(f"**{t('panel.need', lang, period=need.period)}**")
    st.metric(t("panel.need", lang, period=need.period), fmt_number(need.p50, lang=lang),
              label_visibility="collapsed")
    st.caption(t("need.definition", lang, period=need.period, p10=fmt_number(need.p10, lang=lang),
                 p90=fmt_number(need.p90, lang=lang), scenario=t(f"scenario.{scenario}", lang)))
    pool = need_view.reskill_pool(run, len(region) - 2, nuts_id=region)
    share = need_view.reskill_share()
    if pool.empty or pd.isna(pool.iloc[0]["pool"]):
        st.caption(t("need.no_pool", lang))
    else:
        p = pool.iloc[0]
        split = need_view.need_split(need.p50, p["pool"], share)
        st.markdown(t("need.pool_line", lang, pool=fmt_number(p["pool"], lang=lang), c27=fmt_number(p["pool_c27"], lang=lang),
                      c29=fmt_number(p["pool_c29"], lang=lang),
                      years=region_view.year_text([p["pool_year"]], dt.date.today(), lang)))
        st.markdown(t("need.split_line", lang, period=need.period, reskilled=fmt_number(split["reskilled"], lang=lang),
                      new=fmt_number(split["new_entrants"], lang=lang)))
        st.caption(t("need.split_assumption", lang, share=fmt_number((share or 0) * 100, lang=lang)))
        assumption_badge(lang)


def training_need(scope: str | None, year: int, scenario: str, overrides: tuple = ()):
    """views.need.training_need for this session (uploads included; only upload-free results are cached)."""
    from workforce.views import need as need_view

    if session_frames():
        return need_view.training_need(scope, year, scenario, run, overrides)
    return _training_need_cached(scope, year, scenario, overrides)


@st.cache_data(show_spinner=False, max_entries=128)
def _training_need_cached(scope, year, scenario, overrides):
    from workforce.views import need as need_view

    return need_view.training_need(scope, year, scenario, db.run, overrides)


def region_metrics(level: int, country: str | None, year: int, scenario: str) -> pd.DataFrame:
    """Forecast (P10/P50/P90 at `year`, `scenario`) beside supply and baseline for every region of `level`.
    Includes this session's uploaded rows; only upload-free results are cached (process-wide)."""
    if session_frames():
        return _region_metrics(level, country, year, scenario, run)
    return _region_metrics_cached(level, country, year, scenario)


@st.cache_data(show_spinner=False, max_entries=128)
def _region_metrics_cached(level: int, country: str | None, year: int, scenario: str) -> pd.DataFrame:
    return _region_metrics(level, country, year, scenario, db.run)


def _region_metrics(level, country, year, scenario, runner) -> pd.DataFrame:
    from workforce import views

    return views.region_metrics(level, country, year, scenario, runner)


def region_forecast(region: str, scenario: str) -> dict[str, pd.DataFrame]:
    """Sparkline frame (year, P10/P50/P90 jobs and training) and the role split at each year for one region
    (this session's uploads included; only upload-free results are cached)."""
    if session_frames():
        return _region_forecast(region, scenario, run)
    return _region_forecast_cached(region, scenario)


@st.cache_data(show_spinner=False, max_entries=64)
def _region_forecast_cached(region: str, scenario: str) -> dict[str, pd.DataFrame]:
    return _region_forecast(region, scenario, db.run)


def _region_forecast(region, scenario, runner) -> dict[str, pd.DataFrame]:
    from workforce import model
    from workforce.views import forecast_data as forecast_view

    sim = model.simulate(runner("plants", country=None), forecast_view.make_params(scenario))
    total = model.scope_frame(sim, region)
    roles = runner("roles")
    labels, mix = model.role_mix(roles)
    by_role = (model.split(total.assign(nuts_id=region), labels, mix, bands=model.role_bands(roles)) if labels
               else pd.DataFrame())
    return {"total": total, "by_role": by_role}


def region_map(f: params.Filters, metric: str, layers, data: pd.DataFrame):
    """The /regions choropleth of `metric` (region_table.METRICS) for `data` (ui.region_metrics of the same
    filters) with the chosen layers ("plants", "providers"); built by views.region_map (the same function as
    the export); one figure per view, shared between viewers."""
    from workforce import views

    lang, layers = f.lang, tuple(layers or ())
    shapes = geometry_for(f.level, data["nuts_id"].tolist())
    context = geometry_for(f.level, run("region_summary", level=f.level, country=None)["nuts_id"].tolist()) \
        if f.country else None
    outlines = None if f.country else geometry_for(0, sorted({str(i)[:2] for i in data["nuts_id"]}))

    def build():
        return views.region_map(f, metric, data, run, shapes, context, view_for(f.country), layers, outlines)

    if not shapes["features"]:  # geometry unavailable (banner shown): never cache the fallback
        return build()
    return shared_figure(("regions", f.level, f.country, f.year, f.scenario, metric, layers, lang), build)
