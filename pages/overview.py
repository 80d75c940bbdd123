"""/ — Europe overview: the 2022 claim as a dated claim beside what the pipeline supports and the bridge, the plant pipeline by status and country, sources."""

import streamlit as st

from workforce import charts, ui
from workforce.i18n import column_label, t
from workforce.views import bridge as bv
from workforce.views import forecast_data as fv
from workforce.views import pipeline_view

ui.ensure_router()

f = ui.current()
lang = f.lang
ui.preload_live_chart("ov_preload", "finance", "atlas")  # plotly.js for the charts below starts loading now

st.title(t("overview.title", lang))
st.markdown(t("overview.intro", lang))

headlines = ui.run("headlines")
scenario_label = t(f"scenario.{f.scenario}", lang)
hl = fv.headline(f.scenario, f.year)
claim_col, bridge_col = ui.wide_columns("ov_claim", [5, 6])
with claim_col:
    ui.claim_panel(headlines, hl, scenario_label, lang)
with bridge_col:
    ui.bridge(hl, scenario_label, lang, key="ov_bridge")

totals = ui.run("plant_totals", country=f.country).iloc[0]
k1, k2, k3 = st.columns(3)
k1.metric(t("overview.sites", lang), ui.fmt_number(totals["sites"]), help=t("overview.sites_help", lang))
k2.metric(t("overview.jobs_announced", lang), ui.fmt_number(totals["jobs_announced"]),
          help=t("overview.jobs_help", lang) + f" ({ui.fmt_number(totals['sites_with_jobs'])} / {ui.fmt_number(totals['sites'])})")
k3.metric(t("overview.capacity", lang), ui.fmt_number(totals["capacity_gwh"]))

others = headlines[~headlines["metric"].isin(bv.CLAIM_METRICS + bv.RANGE_METRICS)]
if not others.empty:
    with st.expander(t("overview.other_headlines", lang)):
        ui.table(others, ["scope", "value", "unit", "year", "source_title", "source_url", "as_of"])

st.subheader(t("overview.pipeline", lang))
pipeline = ui.run("plant_pipeline_by_country", country=f.country)
if pipeline.empty:
    st.info(t("overview.no_data", lang))
else:
    metric = st.segmented_control(t("overview.pipeline_metric", lang), ["sites", "jobs_announced", "capacity_gwh"],
                                  default="sites", key="ov_metric", format_func=lambda m: column_label(m, lang))
    pipeline_fig = ui.shared_figure(("pipeline", f.country, metric or "sites", lang),
                                    lambda: charts.pipeline_bar(pipeline, metric or "sites", lang=lang))
    ui.chart(pipeline_fig, key="ov_pipeline", lang=lang, label=t("overview.pipeline", lang))
    ui.download_menu(fig=pipeline_fig, df=pipeline, name="pipeline", lang=lang)
    n = {k: ui.fmt_number(totals[k], lang=lang) for k in ("sites", "countries", "operating", "under_construction",
                                                           "announced", "paused", "cancelled")}  # 186, not 186.0
    st.caption(t("overview.chart_alt", lang, sites=n["sites"], countries=n["countries"], operating=n["operating"],
                 building=n["under_construction"], announced=n["announced"], paused=n["paused"],
                 cancelled=n["cancelled"]))
    with st.expander(t("overview.pipeline_table", lang)):
        ui.table(pipeline)

plants = pipeline_view.plants(ui.run, f.country, lang=f.lang)
st.subheader(t("overview.map", lang))
plants_fig = ui.shared_figure(("plants_map", f.country, lang),
                              lambda: charts.plants_map(plants, ui.view_for(f.country), lang=lang,
                                                        outlines=ui.country_outlines()))
ui.chart(plants_fig, key="ov_map", lang=lang, config={"scrollZoom": False}, label=t("overview.map", lang))
st.caption(charts.status_symbols_caption(lang))
ui.download_menu(fig=plants_fig, df=plants, name="plants", lang=lang)
ui.sources_footnote(plants, lang)

with st.expander(t("overview.table", lang), expanded=False):
    ui.table(plants, ["company", "site_name", "country", "nuts2", "segment", "status", "status_date", "freshness",
                      "capacity_value",
                      "capacity_unit", "jobs_announced", "start_year", "source_title", "source_url", "as_of"])
    ui.csv_download(plants, "plants", lang)
