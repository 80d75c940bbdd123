"""/forecast — bottom-up jobs and training forecast (P10/P50/P90), what-if, scenario comparison,
top-down allocation of the EBA headline, reconciliation and pipeline risk. Layout only."""

import datetime as dt

import streamlit as st

from workforce import text, ui
from workforce.i18n import role_label, t, value_label
from workforce.views import bridge as bv
from workforce.views import forecast_data as fv
from workforce.views import track_record as tr

ui.ensure_router()

f = ui.current()
lang = f.lang
ui.preload_live_chart("fc_preload", "finance")  # plotly.js for the charts below starts loading now
st.title(t("forecast.title", lang))
st.markdown(t("forecast.engine_intro", lang))
ui.upload_section(lang, tables=("plants",), key="fc_up", compact=True)
ui.assumption_badge(lang)

raw = st.query_params.to_dict()
overrides, warnings = fv.parse_what_if(raw, lang)
by, w_by = fv.parse_choice(raw, "by", fv.BY_CHOICES, "role", lang)
scenarios = fv.scenarios()
cmp, w_cmp = fv.parse_choice(raw, "cmp", (*scenarios, "none"), "none", lang)
cmp = "none" if cmp == f.scenario else cmp
alloc_key, w_key = fv.parse_choice(raw, "key", fv.KEY_CHOICES, "capacity", lang)
for warning in [*warnings, *(w for w in (w_by, w_cmp, w_key) if w)]:
    st.warning(text.md(warning))  # echoes URL text: escaped

if not fv.assumptions():
    st.info(t("forecast.no_assumptions", lang))
    st.stop()

base_params = fv.make_params(f.scenario)
defaults = fv.scenario_defaults(base_params)


def _sync(key: str, default):
    value = st.session_state.get(f"wi_{key}")
    if value is None or (default is not None and abs(float(value) - float(default)) < 1e-9):
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = fv.fmt_value(fv.WHAT_IF_BY_KEY[key], float(value))


def _reset():
    for spec in fv.WHAT_IF:
        st.query_params.pop(spec.key, None)
        st.session_state.pop(f"wi_{spec.key}", None)


with st.expander(t("forecast.what_if", lang), expanded=bool(overrides)):
    st.caption(t("forecast.what_if_help", lang))
    cols = st.columns(3)
    for i, spec in enumerate(fv.WHAT_IF):
        default = defaults.get(spec.key)
        with cols[i % 3]:
            if default is None and spec.key not in overrides:
                st.caption(f"{t(spec.label, lang)}: {t('forecast.not_set', lang)}")
                continue
            st.session_state[f"wi_{spec.key}"] = float(overrides.get(spec.key, default))
            st.number_input(t(spec.label, lang), min_value=float(spec.lo), max_value=float(spec.hi),
                            step=float(spec.step), format=spec.fmt, key=f"wi_{spec.key}",
                            on_change=_sync, args=(spec.key, default))
    st.caption(t("forecast.band_help", lang))
    st.button(t("forecast.reset", lang), on_click=_reset, key="wi_reset")

ov_key = fv.overrides_key(overrides)
scope = f.region or f.country
scope_name = scope or t("filter.all_europe", lang)
label = f"{t(f'scenario.{f.scenario}', lang)}" + (f" + {t('forecast.custom', lang)}" if overrides else "")
res = fv.results(f.scenario, ov_key, scope, f.level, f.country, f.year)

for problem in res["missing"]["problem"]:
    st.warning(t("forecast.missing_param", lang, problem=problem))

st.subheader(t("forecast.scope_title", lang, scope=scope_name, scenario=label))
if res["plants"].empty or not res["plants"]["included"].any():
    st.info(t("forecast.no_data", lang))
total = res["total"]
compare = fv.results(cmp, (), scope, f.level, f.country, f.year)["total"] if cmp != "none" else None
cmp_name = t(f"scenario.{cmp}", lang) if cmp != "none" else ""

row = total[total["year"] == f.year]
if not row.empty:
    r = row.iloc[0]
    need = ui.training_need(scope, f.year, f.scenario, ov_key)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("forecast.jobs_p50", lang, year=f.year), ui.fmt_number(r["jobs_p50"]))
    c2.metric(t("forecast.jobs_band", lang), f"{fv.compact(r['jobs_p10'], lang)} – {fv.compact(r['jobs_p90'], lang)}")
    c3.metric(t("forecast.training_in_year", lang, year=f.year), ui.fmt_number(r["training_p50"]))
    c4.metric(t("panel.need", lang, period=need.period), ui.fmt_number(need.p50))
    st.caption(t("need.definition", lang, period=need.period, p10=ui.fmt_number(need.p10),
                 p90=ui.fmt_number(need.p90), scenario=label))

left, right = ui.wide_columns("fc_fans", 2)
with left:
    ui.chart(fv.fan_chart(total, "jobs", t("forecast.fan_jobs", lang), compare, (label, cmp_name), lang),
             key="fc_fan_jobs", lang=lang)
with right:
    ui.chart(fv.fan_chart(total, "training", t("forecast.fan_training", lang), compare, (label, cmp_name), lang),
             key="fc_fan_training", lang=lang)
st.caption(t("forecast.fan_caption", lang))

c_by, c_cmp = st.columns(2)
with c_by:
    st.radio(t("forecast.stack_by", lang), fv.BY_CHOICES, index=fv.BY_CHOICES.index(by), horizontal=True,
             key="fc_by", format_func=lambda v: t(f"forecast.by_{v}", lang),
             on_change=lambda: st.query_params.update(by=st.session_state["fc_by"]))
with c_cmp:
    options = ["none", *[s for s in scenarios if s != f.scenario]]
    st.selectbox(t("forecast.compare", lang), options, index=options.index(cmp) if cmp in options else 0,
                 key="fc_cmp", format_func=lambda s: t("forecast.compare_none", lang) if s == "none"
                 else t(f"scenario.{s}", lang),
                 on_change=lambda: st.query_params.update(cmp=st.session_state["fc_cmp"]))
parts = res["by_role"] if by == "role" else res["by_segment"]
column = "role_id" if by == "role" else "segment"
if not parts.empty:
    names = ({r: role_label(r, lang) for r in parts[column].unique()} if by == "role" else
             {s: value_label("segment", s, lang) for s in parts[column].unique()})
    ui.chart(fv.stacked_chart(parts, column, t(f"forecast.stacked_{by}", lang), labels=names, lang=lang),
             key="fc_stacked", lang=lang)
    st.caption(t("forecast.stacked_caption", lang))

if compare is not None:
    st.markdown(f"#### {t('forecast.compare_title', lang)}")
    a, b = ui.wide_columns("fc_compare", 2)
    for col, name, df in ((a, label, total), (b, cmp_name, compare)):
        with col:
            st.markdown(f"**{text.md(name)}**")
            ui.table(df[["year", "jobs_p10", "jobs_p50", "jobs_p90", "training_p50"]].round(0))

st.markdown(f"#### {t('forecast.table_title', lang)}")
shown = total[["year", "jobs_p10", "jobs_p50", "jobs_p90", "training_p10", "training_p50", "training_p90"]].round(0)
ui.table(shown)
ui.csv_download(shown, f"forecast_{scope or 'europe'}_{f.scenario}", lang)
if not res["regional"].empty:
    st.markdown(f"#### {t('forecast.regional_title', lang, level=f.level, year=f.year)}")
    ui.table(res["regional"].round(0).sort_values("jobs_p50", ascending=False))
    st.caption(t("forecast.regional_not_additive", lang))

st.markdown(f"#### {t('forecast.plants_title', lang)}")
st.caption(t("forecast.plants_caption", lang))
st.caption(t("forecast.freshness_caption", lang))
plants_shown = res["plants"][["site_name", "company", "nuts_id", "segment", "status", "freshness", "freshness_risk",
                              "start", "basis", "weight",
                              "unit", "headcount_central"]]
ui.table(plants_shown)

# ---------------------------------------------------------------- top-down allocation
st.subheader(t("forecast.topdown_title", lang))
st.caption(t("forecast.topdown_caption", lang))
headlines = ui.run("headlines")
jobs_head = fv.headline_value(headlines, "jobs")
if jobs_head is None or jobs_head.get("value") is None:
    st.info(t("forecast.no_headline", lang))
else:
    st.selectbox(t("forecast.alloc_key", lang), fv.KEY_CHOICES, index=fv.KEY_CHOICES.index(alloc_key),
                 key="fc_key", format_func=lambda k: t(f"forecast.key_{k}", lang),
                 on_change=lambda: st.query_params.update(key=st.session_state["fc_key"]))
    bottom_up = fv.bottom_up_level(f.scenario, ov_key, f.level, f.year) if alloc_key == "bottom_up" else None
    alloc = fv.allocation(f.level, alloc_key, f.year, bottom_up, float(jobs_head["value"]))
    if f.country:
        alloc = alloc[alloc["nuts_id"].str.startswith(f.country)]
    st.markdown(t("forecast.alloc_of", lang, value=ui.fmt_number(jobs_head["value"]),
                  source=text.md_link(jobs_head.get("source_title"), jobs_head.get("source_url"))))
    st.caption(t("forecast.alloc_dated", lang, as_of=text.md(str(jobs_head.get("as_of") or "")), year=bv.CLAIM_YEAR))
    if alloc.empty or alloc["allocated"].notna().sum() == 0:
        st.info(t("forecast.no_data", lang))
    else:
        st.caption(fv.key_caption(alloc, alloc_key, lang, dt.date.today()))
        limits = fv.allocation_limits(alloc)
        st.caption(t("forecast.alloc_cap", lang, share=fv.fmt_percent(limits["share"], lang), n=limits["n_over"],
                     excess=ui.fmt_number(limits["excess"], lang=lang)))
        ui.table(alloc[["nuts_id", "name", "weight", "key_year", "share", "allocated", "employment", "cap",
                        "allocated_capped", "flag", "label"]].head(60),
                 share=st.column_config.NumberColumn(format="%.3f"),
                 allocated=st.column_config.NumberColumn(format="%.0f"),
                 employment=st.column_config.NumberColumn(format="%.0f"),
                 cap=st.column_config.NumberColumn(format="%.0f"),
                 allocated_capped=st.column_config.NumberColumn(format="%.0f"))

# ---------------------------------------------------------------- reconciliation
hl = fv.headline(f.scenario, f.year, ov_key)
ui.bridge(hl, label, lang, key="fc_bridge")
train_head = fv.headline_value(headlines, "training")
cum = res["training_cumulative"].iloc[0]
st.markdown(t("forecast.training_vs_headline", lang, p10=ui.fmt_number(cum["p10"]), p50=ui.fmt_number(cum["p50"]),
              p90=ui.fmt_number(cum["p90"]), scope=scope_name,
              headline="—" if train_head is None else ui.fmt_number(train_head["value"]),
              source="" if train_head is None else text.md_link(train_head.get("source_title"),
                                                                train_head.get("source_url"))))
eff = res["effective_shares"].iloc[0]
st.caption(t("forecast.band_effective", lang, **{b: ui.fmt_number(eff.get(b), 2) for b in fv.EQF_BANDS}))
bands = res["band_shares"].iloc[0].to_dict() if not res["band_shares"].empty else {}
vet = (fv.assumptions().get("training") or {}).get("vet_share_of_training_need") or {}
if bands and vet.get("value") is not None:
    st.caption(t("forecast.vet_check", lang, eqf24=fv.fmt_percent(bands["eqf_2_4"], lang),
                 eqf25=fv.fmt_percent(bands["eqf_2_4"] + bands["eqf_5"], lang),
                 years=f"{fv.YEARS[0]}–{fv.YEARS[-1]}", scope=text.md(scope_name),
                 albatts=fv.fmt_percent(float(vet["value"]), lang),
                 source=text.md_link(vet.get("source_title"), vet.get("source_url"))))

# ---------------------------------------------------------------- risk
st.subheader(t("forecast.risk_title", lang, scope=scope_name))
ui.table(res["risk"], secure_share=st.column_config.NumberColumn(format="percent"),
         at_risk_share=st.column_config.NumberColumn(format="percent"))
ui.te_measured(hl, label, lang)

# ---------------------------------------------------------------- track record (hindcast)
st.subheader(t("forecast.track_title", lang))
st.caption(t("forecast.track_intro", lang, scenario=t(f"scenario.{f.scenario}", lang)))
record = tr.track_record(f.scenario)
for r in record[record["year"] == tr.YEARS[0]].itertuples():
    st.markdown(t("forecast.track_verdict", lang, as_of=r.as_of, year=r.year, forecast=ui.fmt_number(r.jobs_p50),
                  now=ui.fmt_number(r.jobs_operating_now), pct=fv.fmt_percent(abs(r.jobs_error_pct), lang),
                  direction=t("forecast.track_below" if r.jobs_error < 0 else "forecast.track_above", lang),
                  gwh=ui.fmt_number(r.gwh_expected), gwh_now=ui.fmt_number(r.gwh_operating_now),
                  gwh_pct=fv.fmt_percent(abs(r.gwh_error_pct), lang),
                  gwh_direction=t("forecast.track_below" if r.gwh_error < 0 else "forecast.track_above", lang)))
track_cols = {"as_of": "as_of", "year": "year", "sites_known": "sites", "jobs_p50": "jobs",
              "jobs_operating_now": "jobs_now", "jobs_error": "jobs_err", "jobs_error_pct": "pct",
              "gwh_expected": "gwh", "gwh_operating_now": "gwh_now", "gwh_error": "gwh_err", "gwh_error_pct": "gwh_pct"}
ui.table(record, list(track_cols), **{
    c: (st.column_config.NumberColumn(t(f"forecast.track_col_{k}", lang), format="percent") if k.endswith("pct")
        else st.column_config.NumberColumn(t(f"forecast.track_col_{k}", lang), format="%.0f") if c != "as_of"
        else st.column_config.TextColumn(t(f"forecast.track_col_{k}", lang)))
    for c, k in track_cols.items()})
if not record.empty:
    first = record.iloc[0]
    st.caption(t("forecast.track_coverage", lang, known=int(first["operating_sites_known_then"]),
                 total=int(first["operating_sites_now"]), as_of=first["as_of"],
                 gwh=ui.fmt_number(first["gwh_known_sites_now"]), jobs=ui.fmt_number(first["jobs_known_sites_now"]),
                 year=int(first["year"])))
st.caption(t("forecast.track_caption", lang))

# ---------------------------------------------------------------- assumptions
st.subheader(t("forecast.assumptions_title", lang))
ui.assumption_badge(lang)
cites = fv.citations(f.scenario if f.scenario in scenarios else "base")
ui.table(cites, ["parameter", "value", "low", "high", "unit", "status", "source_title", "source_url", "rationale"])
