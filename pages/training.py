"""/training — training supply: catalogue, providers map, pathways, overlaps, white spots and the
programme–demand gap (layout only; logic in workforce.training / workforce.training_data)."""

import pandas as pd
import streamlit as st

from workforce import training_charts, ui
from workforce.i18n import language_names, role_label, t
from workforce.views import training_data

ui.ensure_router()
ui.preload_live_chart("tr_preload", "atlas")  # plotly.js for the maps, Sankey and heat map below starts loading now

f = ui.current()
lang = f.lang
st.title(t("training.title", lang))
st.markdown(t("training.intro", lang))
ui.upload_section(lang, tables=("programmes",), key="tr_up", compact=True)

programmes = training_data.programmes(f.country)
prog_roles = training_data.programme_roles(f.country)
roles = training_data.roles()
role_names = dict(zip(roles["role_id"], roles["role"], strict=False))
names = training_data.region_names(2, f.country)

# ---------------------------------------------------------------- filters
regions = sorted(set(programmes["nuts2"].dropna()) | ({f.region} if f.region else set()))
c1, c2, c3, c4, c5 = ui.wide_columns("tr_filters", 5, least_rem=8)
region = c1.selectbox(t("training.filter_region", lang), [None, *regions], index=([None, *regions].index(f.region)
                      if f.region in regions else 0), key="tr_region",
                      format_func=lambda r: t("training.all_regions", lang) if r is None else f"{r} {names.get(r, '')}")
if region != f.region:
    ui.set_region(region)
everything = t("training.filter_all", lang)  # an empty filter: Streamlit's placeholder is English ("Choose options")
eqf_opts = sorted(programmes["eqf_level"].dropna().astype(int).unique().tolist())
eqf = c2.multiselect(t("training.filter_eqf", lang), [*eqf_opts, "unknown"], key="tr_eqf", placeholder=everything,
                     format_func=lambda e: t("present.unknown", lang) if e == "unknown" else str(e))
modes = c3.multiselect(t("training.filter_mode", lang), list(training_data.MODE_LABEL), key="tr_mode", placeholder=everything,
                       format_func=lambda m: t(f"present.mode.{m}", lang))
langs = c4.multiselect(t("training.filter_language", lang), sorted(programmes["language"].dropna().unique()),
                       key="tr_lang", placeholder=everything, format_func=lambda v: language_names(v, lang))
role_filter = c5.multiselect(t("training.filter_role", lang), sorted(role_names), key="tr_role", placeholder=everything,
                             format_func=lambda r: role_label(r, lang))

shown = training_data.filter_programmes(programmes, prog_roles, region, eqf, modes, langs, role_filter)

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("training.programmes", lang), ui.fmt_number(len(shown)))
m2.metric(t("training.providers", lang), ui.fmt_number(shown['provider'].nunique()))
m3.metric(t("training.countries", lang), ui.fmt_number(shown['country'].nunique()))
m4.metric(t("training.with_capacity", lang), ui.fmt_number(int(shown['capacity_per_year'].notna().sum())))

with st.expander(t("training.by_country_mode", lang)):
    ui.table(training_data.programme_counts(f.country))

# ---------------------------------------------------------------- catalogue
st.subheader(t("training.catalogue", lang))
view = ui.view_for(region or f.country)
outlines = ui.country_outlines()  # NUTS-0 of 2024 plus the UK (2021): borders under both point maps
providers_fig = ui.shared_figure(("providers_map", f.country, region, tuple(eqf), tuple(modes), tuple(langs),
                                  tuple(role_filter), lang),
                                 lambda: training_charts.providers_map(shown, view, context=outlines, lang=lang))
ui.chart(providers_fig, key="tr_map", lang=lang, bundle="atlas", label=t("training.catalogue", lang))
located = int(shown[["lat", "lon"]].notna().all(axis=1).sum())
st.caption(t("training.map_alt", lang, n=located, total=len(shown), providers=shown["provider"].nunique()))
ui.table(shown.assign(role_ids=training_data.role_lists_in(shown["role_ids"], lang)),
         ["programme_id", "provider", "programme", "country", "city", "nuts2", "eqf_level", "mode", "language",
          "role_ids", "capacity_per_year", "status", "source_title", "source_url", "as_of"])
ui.csv_download(shown, "programmes", lang)
ui.sources_footnote(shown, lang)

# ---------------------------------------------------------------- pathways
st.subheader(t("training.pathways", lang))
links = training_data.pathways(shown, roles)
if links.empty:
    st.info(t("training.no_pathways", lang))
else:
    node_labels = training_data.pathway_labels(links, lang)
    ui.chart(training_charts.pathways_sankey(links, lang=lang, labels=node_labels), key="tr_sankey", lang=lang,
             bundle="atlas", label=t("training.pathways", lang), min_width=training_charts.SANKEY_MIN_WIDTH)
    entry = links[links["kind"] == "entry_to_programme"].groupby("source")["value"].sum().sort_values(ascending=False)
    to_role = links[links["kind"] == "programme_to_role"].groupby("target")["value"].sum().sort_values(ascending=False)
    st.caption(t("training.pathways_alt", lang, n=int(entry.sum()), entry=node_labels.get(entry.index[0], entry.index[0]),
                 role=node_labels.get(to_role.index[0], to_role.index[0]), without=int(len(shown) - entry.sum())))

# ---------------------------------------------------------------- overlaps
st.subheader(t("training.overlaps", lang))
o1, o2 = st.columns(2)
threshold = o1.slider(t("training.threshold", lang), 0.0, 1.0, 0.5, 0.05, key="tr_threshold")
max_km = o2.number_input(t("training.max_km", lang), min_value=0, max_value=1000, value=0, step=10, key="tr_km")
ov = training_data.overlaps_of(shown, threshold=threshold, max_km=max_km or None)
comparable = ov[ov["comparable"]]
st.caption(t("training.overlaps_alt", lang, n=ui.fmt_number(len(comparable)), unknown=ui.fmt_number(len(ov) - len(comparable)),
             threshold=ui.fmt_number(threshold, digits=2)))
if ov.empty:
    st.info(t("training.no_overlaps", lang))
else:
    ov_shown = training_data.reasons_in(ov, lang)
    ui.table(ov_shown.assign(shared_roles=training_data.role_lists_in(ov["shared_roles"], lang)),
             ["programme_a", "provider_a", "programme_b", "provider_b", "nuts2", "distance_km", "eqf_level",
              "similarity", "shared_roles", "comparable", "reason"])

# ---------------------------------------------------------------- demand: white spots and gap
_, need_source = training_data.need(f.country, 2, f.scenario)
ui.assumption_badge(lang)
if training_data.is_proxy(need_source):
    st.caption(t("training.need_proxy", lang))
else:
    st.caption(t("training.need_model", lang, scenario=t(f"scenario.{f.scenario}", lang)))

st.subheader(t("training.white_spots", lang))
ws_km = st.number_input(t("training.ws_km", lang), min_value=0, max_value=1000, value=0, step=25, key="tr_ws_km")
ws = training_data.white_spots_view(f.country, region, f.scenario, ws_km or None)
if ws.empty:
    st.info(t("training.no_white_spots", lang))
else:
    ws_map = ui.shared_figure(
        ("white_spots_map", f.country, region, f.scenario, ws_km, lang),
        lambda: training_charts.white_spots_map(ws, training_data.centroids(2, f.country), view, context=outlines,
                                                lang=lang))
    ui.chart(ws_map, key="tr_ws_map", lang=lang, bundle="atlas", label=t("training.white_spots", lang))
    ui.table(training_data.reasons_in(ws, lang).assign(role=training_data.role_names_in(ws["role_id"], lang)),
             ["nuts_id", "region_name", "role", "need", "nearest_name", "nearest_km", "reason"],
             need=st.column_config.NumberColumn(format="%.0f"), nearest_km=st.column_config.NumberColumn(format="%.0f"),
             nearest_name=st.column_config.TextColumn(t("col.nearest_programme", lang)))
st.caption(t("training.white_spots_alt", lang, n=len(ws), regions=ws["nuts_id"].nunique(),
             need=ui.fmt_number(ws["need"].sum() if not ws.empty else 0)))
st.caption(t("need.white_spots_period", lang, period=f"{training_data.FORECAST_YEARS[0]}–{training_data.FORECAST_YEARS[-1]}"))

st.subheader(t("training.gap", lang, start=2024, end=f.year))
gap_view = training_data.gap_view(f.country, region, f.scenario, f.year)
win, pivot_gap, pivot_text = gap_view["window"], gap_view["pivot_gap"], gap_view["pivot_text"]
if win.empty:
    st.info(t("training.no_gap", lang))
else:
    pivot_gap, pivot_text = training_data.gap_pivots_in(gap_view, lang)
    gap_fig = ui.shared_figure(("gap_heatmap", f.country, region, f.scenario, f.year, lang),
                               lambda: training_charts.gap_heatmap(pivot_gap, pivot_text, lang=lang))
    ui.chart(gap_fig, key="tr_gap", lang=lang, bundle="atlas", label=t("training.gap", lang, start=2024, end=f.year))
    known = win[win["capacity_known"]]
    short = known[known["gap"] > 0]
    st.caption(t("training.gap_alt", lang, cells=len(win), short=len(short), unknown=int((~win["capacity_known"]).sum()),
                 need=ui.fmt_number(win["need"].sum())))
    heat_table, heat_labels = training_data.gap_table_in(gap_view, lang)
    if not ui.hold_table(len(heat_table)):
        st.dataframe(heat_table, hide_index=True, width="stretch", column_config=heat_labels, placeholder=ui.MISSING)
    table = win[["nuts_id", "role", "gap_class", "need", "supply_low", "supply_high", "supply_status", "capacity",
                 "gap", "capacity_known", "programmes"]].assign(role=training_data.role_names_in(win["role_id"], lang))
    table["capacity"] = table["capacity"].map(lambda v: t("present.unknown", lang) if pd.isna(v) else ui.fmt_number(v))
    table["gap"] = table["gap"].map(lambda v: t("present.unknown", lang) if pd.isna(v) else ui.fmt_number(v))
    with st.expander(t("training.gap_table", lang)):
        ui.table(table, need=st.column_config.NumberColumn(format="%.0f"))
    ui.csv_download(gap_view["all"], "training_gap", lang)
