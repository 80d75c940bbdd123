"""The headline room: the 2022 claim as a dated claim, what the pipeline supports, the bridge between them and
T&E's secure share measured. Numbers come from `views.forecast_data.headline` (= `views.bridge.compute`); the
overview and the forecast page draw them with these functions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import text
from workforce.i18n import fmt_date, t
from workforce.ui.downloads import download_menu
from workforce.ui.figures import shared_figure
from workforce.ui.live_chart import chart
from workforce.ui.widgets import fmt_number, table
from workforce.views import bridge as bv
from workforce.views import forecast_data as fv


def _link(row: pd.Series | None) -> str:
    if row is None:
        return "—"
    return text.md_link(row.get("source_title"), row.get("source_url"))


def claim_panel(headlines: pd.DataFrame, hl: dict, scenario_label: str, lang: str) -> None:
    """The dated claim (wording, date, source; 2025 has passed) with the pipeline's 2025/2030/2035 jobs beside."""
    rows = bv.claim_rows(headlines).set_index("metric")
    jobs = rows.loc[bv.CLAIM_METRICS[0]] if bv.CLAIM_METRICS[0] in rows.index else None
    train = rows.loc[bv.CLAIM_METRICS[1]] if bv.CLAIM_METRICS[1] in rows.index else None
    esf = rows.loc[bv.RANGE_METRICS[0]] if bv.RANGE_METRICS[0] in rows.index else None
    st.subheader(t("bridge.claim_title", lang))
    cols = st.columns(2)
    for col, row, key in ((cols[0], jobs, "bridge.claim_jobs"), (cols[1], train, "bridge.claim_training")):
        if row is None:
            continue
        passed = t("bridge.claim_passed", lang, year=bv.CLAIM_YEAR, as_of=fmt_date(row.get("as_of"), lang))
        col.metric(t(key, lang, year=bv.CLAIM_YEAR), fmt_number(row["value"], lang=lang), help=passed, border=True)
        col.caption(passed)
    st.markdown(f"**{t('bridge.support_head', lang, scenario=text.md(scenario_label))}**")
    years = [int(y) for y in hl["support"]["year"]]
    for col, year, (label, value, band) in zip(st.columns(3), years, bv.support_text(hl, lang), strict=False):
        col.metric(str(year), value, help=label, border=True)
        col.caption(band)
    st.markdown(t("bridge.claim_text", lang, date=fmt_date(bv.CLAIM_DATE, lang), year=bv.CLAIM_YEAR,
                  source=_link(jobs), source2=_link(esf)))
    st.caption(t("bridge.support_caption", lang, scenario=text.md(scenario_label)))
    tr = hl["training_to_claim"]
    st.caption(t("bridge.training_to_claim", lang, first=hl["first_year"], year=bv.CLAIM_YEAR,
                 scenario=text.md(scenario_label), p10=fmt_number(tr["p10"], lang=lang),
                 p50=fmt_number(tr["p50"], lang=lang), p90=fmt_number(tr["p90"], lang=lang)))


def bridge(hl: dict, scenario_label: str, lang: str, key: str, details: bool = True) -> None:
    """The waterfall from plant jobs to the 3–4M claim, its caption, the envelope check and the steps."""
    steps = hl["steps"]
    title = t("bridge.title", lang, year=hl["year"], scenario=scenario_label)
    # one figure per process for the same steps, language and title (every viewer of / and /forecast in a scenario
    # and year sees the same one): the steps' values are the key, so a session's uploads or overrides get their own
    fig = shared_figure(("bridge", lang, title, tuple(tuple(steps[c].tolist()) for c in bv.FIGURE_COLUMNS)),
                        lambda: bv.bridge_figure(steps, lang, title))
    chart(fig, key=key, lang=lang)
    cap = hl["capacity"].get("cell", 0.0)
    intensity = (fv.assumptions().get("anchors") or {}).get("icct_components_recycling_jobs_per_gwh") or {}
    st.caption(t("bridge.caption", lang, icct=fmt_number(intensity.get("value"), lang=lang),
                 gwh=fmt_number(cap, lang=lang)))
    env, imp = hl["envelope"], hl["intensity"]
    st.caption(t("bridge.envelope", lang, chain=fmt_number(imp["cell_chain_per_gwh"], lang=lang),
                 direct=fmt_number(imp["cell_direct_per_gwh"], lang=lang), isi=fmt_number(env["isi"], lang=lang),
                 jrc=fmt_number(env["jrc"], lang=lang), jrc_low=fmt_number(env["jrc_low"], lang=lang),
                 jrc_high=fmt_number(env["jrc_high"], lang=lang)))
    shown = bv.steps_table(steps, lang)[["label", "jobs", "status", "scope", "source_title", "source_url", "as_of",
                                         "note"]]
    if details:
        with st.expander(t("bridge.steps_table", lang)):
            table(shown, jobs=st.column_config.NumberColumn(format="%.0f"))
    download_menu(fig=fig, df=shown, name=f"bridge_{hl['year']}_{hl['scenario']}", lang=lang)


def te_measured(hl: dict, scenario_label: str, lang: str) -> None:
    """T&E's 47 % next to the same share measured on this pipeline (and the scenario's expected share)."""
    anchors = fv.assumptions().get("anchors") or {}
    te = anchors.get("te_2024_secure_share") or {}
    shares = hl["te"].set_index("measure")["share"] if not hl["te"].empty else pd.Series(dtype=float)

    def pct(name):
        return fv.fmt_percent(shares.get(name), lang)

    st.markdown(f"#### {t('bridge.te_title', lang)}")
    st.markdown(t("bridge.te_text", lang, as_of=text.md(str(te.get("as_of") or "")),
                  source=text.md_link(te.get("source_title"), te.get("source_url")), horizon=2030,
                  status=pct("status"), status_incl=pct("status_incl_cancelled"), scenario=text.md(scenario_label),
                  expected_all=pct("expected_all"), expected_not_op=pct("expected_not_operating")))
    table(hl["te"], share=st.column_config.NumberColumn(format="percent"),
          secure_gwh=st.column_config.NumberColumn(format="%.1f"),
          planned_gwh=st.column_config.NumberColumn(format="%.1f"))
