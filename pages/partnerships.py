"""/partnerships — industry–education partnerships: network, regional hubs, regions without a
partnership, a regional story (demand, partner schools, gap, coverage) and the training-needs brief."""

import pandas as pd
import streamlit as st

from workforce import text, training_charts, ui
from workforce.i18n import role_label, t
from workforce.views import training_data

ui.ensure_router()

f = ui.current()
lang = f.lang
ui.preload_live_chart("pt_preload", "finance")  # plotly.js for the chart below starts loading now
st.title(t("partnerships.title", lang))
st.markdown(t("partnerships.intro", lang))

edges = training_data.network(f.country)
hubs = training_data.hubs(edges)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("partnerships.count", lang), ui.fmt_number(len(edges)))
m2.metric(t("partnerships.companies", lang), ui.fmt_number(edges['company'].nunique()))
m3.metric(t("partnerships.schools", lang), ui.fmt_number(edges['education_party'].nunique()))
m4.metric(t("partnerships.regions", lang), ui.fmt_number(edges['nuts2'].nunique()))

# ---------------------------------------------------------------- network
st.subheader(t("partnerships.network", lang))
if edges.empty:
    st.info(t("partnerships.none", lang))
else:
    network_fig = ui.shared_figure(("network", f.country, lang),
                                   lambda: training_charts.network_figure(edges, set(hubs["nuts2"]), lang=lang))
    ui.chart(network_fig, key="pt_network", lang=lang, label=t("partnerships.network", lang))
    top = hubs.iloc[0] if not hubs.empty else None
    st.caption(t("partnerships.network_alt", lang, n=len(edges), companies=edges["company"].nunique(),
                 schools=edges["education_party"].nunique(), regions=edges["nuts2"].nunique(), hubs=len(hubs),
                 top=text.md(f"{top['nuts2']} {top['region_name'] or ''}") if top is not None else "—"))
if not hubs.empty:
    st.markdown("**" + t("partnerships.hubs", lang) + "**")
    ui.table(hubs, ["nuts2", "region_name", "partnerships", "companies", "schools", "company_names", "school_names"])

st.subheader(t("partnerships.all", lang))
ui.table(edges, ["company", "site_name", "education_party", "programme_ids", "country", "city", "nuts2", "started",
                 "what", "status", "source_title", "source_url", "as_of"])
ui.csv_download(edges, "partnerships", lang)
ui.sources_footnote(edges, lang)

st.subheader(t("partnerships.without", lang))
without = training_data.regions_without_partnership(f.country)
st.caption(t("partnerships.without_alt", lang, n=len(without),
             jobs=ui.fmt_number(pd.to_numeric(without["jobs_announced"], errors="coerce").sum())))
if not without.empty:
    ui.table(without, ["nuts2", "region_name", "sites", "jobs_announced", "companies"])

# ---------------------------------------------------------------- regional story
st.subheader(t("partnerships.story", lang))
names = training_data.region_names(2, f.country)
plants = training_data.plants(f.country)
options = sorted((set(edges["nuts2"].dropna()) | set(plants["nuts2"].dropna()) | ({f.region} if f.region else set()))
                 - {""})
default = f.region if f.region in options else None
region = st.selectbox(t("partnerships.pick_region", lang), [None, *options], key="pt_region",
                      index=[None, *options].index(default),
                      format_func=lambda r: t("partnerships.no_region", lang) if r is None else f"{r} {names.get(r, '')}")
if region != f.region:
    ui.set_region(region)

unknown = t("present.unknown", lang)
if region:
    st.markdown(f"### {text.md(region)} {text.md(names.get(region, ''))}")
    story = training_data.region_story(region, edges, plants, f.scenario, f.year)
    local_plants, need_source, local_programmes = story["plants"], story["need_source"], story["programmes"]
    local_edges, partner_programmes = story["edges"], story["partner_programmes"]

    s1, s2, s3, s4 = st.columns(4)
    s1.metric(t("partnerships.story_plants", lang), ui.fmt_number(len(local_plants)))
    s2.metric(t("partnerships.story_jobs", lang), ui.fmt_number(
        pd.to_numeric(local_plants.loc[local_plants["status"] != "cancelled", "jobs_announced"], errors="coerce").sum()))
    s3.metric(t("partnerships.story_partnerships", lang), ui.fmt_number(len(local_edges)))
    s4.metric(t("partnerships.story_programmes", lang), ui.fmt_number(len(local_programmes)))

    st.markdown("**" + t("partnerships.story_demand", lang) + "**")
    ui.table(local_plants, ["company", "site_name", "segment", "status", "freshness", "jobs_announced", "start_year",
                            "source_title", "source_url", "as_of"])
    ui.assumption_badge(lang)
    if training_data.is_proxy(need_source):
        st.caption(t("training.need_proxy", lang))
    else:
        st.caption(t("training.need_model", lang, scenario=t(f"scenario.{f.scenario}", lang)))

    st.markdown("**" + t("partnerships.story_covers", lang) + "**")
    for r in local_edges.itertuples(index=False):
        st.markdown(f"- **{text.md(r.company)}** ↔ **{text.md(r.education_party)}** "
                    f"({text.md(r.started or t('partnerships.date_not_stated', lang))}): {text.md(r.what or '')} "
                    f"— {text.md_link(r.source_title, r.source_url)}")
    cov = story["coverage"]
    if story["need"] is not None:
        st.caption(t("need.definition", lang, period=story["need"].period, p10=ui.fmt_number(story["need"].p10),
                     p90=ui.fmt_number(story["need"].p90), scenario=t(f"scenario.{f.scenario}", lang)))
    if not cov.empty:
        n_cov = int((cov["covered_by"] == "partnership").sum())
        st.caption(t("partnerships.coverage_alt", lang, roles=len(cov), partnership=n_cov,
                     other=int((cov["covered_by"] == "other local programme").sum()),
                     none=int((cov["covered_by"] == "none").sum())))
        ui.table(cov.assign(role=training_data.role_names_in(cov["role_id"], lang),
                            covered_by=cov["covered_by"].map(lambda v: t(f"partnerships.covered_by.{training_data.COVERED_BY[v]}", lang)
                                                             if v in training_data.COVERED_BY else v)),
                 ["role", "need", "covered_by", "partnership_programmes", "other_programmes"],
                 need=st.column_config.NumberColumn(format="%.0f"))

    st.markdown("**" + t("partnerships.story_supply", lang) + "**")
    supply = pd.concat([partner_programmes, local_programmes]).drop_duplicates("programme_id")
    ui.table(supply.assign(role_ids=training_data.role_lists_in(supply["role_ids"], lang)),
             ["programme_id", "provider", "programme", "mode", "eqf_level", "role_ids", "capacity_per_year",
              "source_title", "source_url"])

    st.markdown("**" + t("partnerships.story_gap", lang, start=2024, end=f.year) + "**")
    g = story["gap"]
    if g.empty:
        st.info(t("training.no_gap", lang))
    else:
        g = g.assign(role=training_data.role_names_in(g["role_id"], lang),
                     capacity_text=g["capacity"].map(lambda v: unknown if pd.isna(v) else ui.fmt_number(v)),
                     gap_text=g["gap"].map(lambda v: unknown if pd.isna(v) else ui.fmt_number(v)))
        ui.table(g.sort_values("need", ascending=False), ["role", "need", "capacity_text", "gap_text", "programmes"],
                 need=st.column_config.NumberColumn(format="%.0f"))

# ---------------------------------------------------------------- training-needs brief
area = region or f.country
b = training_data.brief_view(area, f.scenario, f.year)
period = f", {b['period']}" if b["period"] else ""
st.subheader(t("partnerships.brief", lang, area=text.md(area or t("filter.all_europe", lang)) + period))
proxy = training_data.is_proxy(b["need_source"])
st.caption("⚠️ " + t("training.need_proxy" if proxy else "training.need_model", lang,
                     scenario=t(f"scenario.{f.scenario}", lang)))
lines = [t("partnerships.brief_need", lang, need=ui.fmt_number(b["total_need"]), programmes=b["programmes"],
           unknown=b["programmes_unknown_capacity"],
           source=t("training.need_source_proxy" if proxy else "training.need_source_model", lang))]
if b["top_roles"]:
    lines.append(t("partnerships.brief_roles", lang) + " " + "; ".join(
        f"{text.md(role_label(r['role_id'], lang))} ({ui.fmt_number(r['need'])})" for r in b["top_roles"]))
if b["gap"]:
    lines.append(t("partnerships.brief_gap", lang) + " " + "; ".join(
        f"{text.md(role_label(r['role_id'], lang))}: "
        + (unknown if not r["capacity_known"] else ui.fmt_number(r["gap"])) for r in b["gap"]))
if b["providers"]:
    lines.append(t("partnerships.brief_providers", lang) + " " + "; ".join(
        f"{text.md(r['provider'])} ({r['programmes']})" for r in b["providers"]))
lines.append(t("partnerships.brief_overlaps", lang, n=b["overlaps_count"]) + " " + "; ".join(
    text.md(training_data.reason_in(r["reason"], lang)) for r in b["overlaps"][:3]))
lines.append(t("partnerships.brief_white_spots", lang, n=b["white_spots_count"]) + " " + "; ".join(
    f"{text.md(r['nuts_id'])} {text.md(role_label(r['role_id'], lang))}" for r in b["white_spots"]))
st.markdown("\n".join(f"- {line}" for line in lines))
if b["sources"]:
    st.caption(t("sources.label", lang) + ": " + "; ".join(text.md_link(s["title"], s["url"]) for s in b["sources"][:12]))
