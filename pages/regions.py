"""/regions — NUTS choropleth of sites, announced jobs and training supply; region panel."""

import streamlit as st

from workforce import charts, text, ui
from workforce.i18n import t

f = ui.current()
lang = f.lang
st.title(t("regions.title", lang))
st.markdown(t("regions.intro", lang))

METRICS = {  # metric key -> (column in region_summary, diverging)
    "jobs": ("jobs_announced", False),
    "sites": ("sites", False),
    "programmes": ("programmes", False),
    "capacity": ("training_capacity", False),
}
metric = st.query_params.get("metric", "jobs")
if metric not in METRICS:
    st.warning(f"Unknown metric {text.md(metric)}: showing jobs.")
    metric = "jobs"
metric = st.segmented_control(t("regions.metric", lang), list(METRICS), default=metric, key="rg_metric",
                              format_func=lambda m: t(f"metric.{m}", lang)) or "jobs"
st.query_params["metric"] = metric
column, diverging = METRICS[metric]

summary = ui.run("region_summary", level=f.level, country=f.country)
shapes = ui.geometry_for(f.level, summary["nuts_id"].tolist())
context = ui.geometry_for(f.level, ui.run("region_summary", level=f.level, country=None)["nuts_id"].tolist()) if f.country else None
fig = charts.choropleth(shapes, summary, column, t(f"metric.{metric}", lang), ui.view_for(f.country),
                        diverging=diverging, context=context)
st.plotly_chart(fig, key="rg_map", config={"scrollZoom": False})
ui.download_menu(fig=fig, df=summary, name=f"regions_{metric}", lang=lang)
st.caption(t("regions.alt", lang, n=int(summary[column].notna().sum()), total=len(summary),
             metric=t(f"metric.{metric}", lang)))

ranked = summary.sort_values(column, ascending=False, na_position="last")
left, right = st.columns([2, 1])
with left:
    ui.table(ranked, ["nuts_id", "name", "sites", "jobs_announced", "capacity_gwh", "programmes",
                      "training_capacity", "partnerships", "industry_employment_ths", "industry_employment_year"])
with right:
    options = [None, *ranked.loc[ranked["sites"].gt(0) | ranked["programmes"].gt(0), "nuts_id"].tolist()]
    names = dict(zip(summary["nuts_id"], summary["name"]))
    if f.region and f.region not in options:
        options.append(f.region)
    region = st.selectbox(t("regions.pick", lang), options, index=options.index(f.region) if f.region in options else 0,
                          format_func=lambda r: "—" if r is None else f"{names.get(r, r)} ({r})", key="rg_region")
    if region != f.region:
        ui.set_region(region)
    if region:
        ui.region_panel(region, lang)
    else:
        st.info(t("regions.no_region", lang))
