"""/sources — every dataset, its provenance and freshness; every source; load problems."""

import datetime as dt

import streamlit as st

from workforce import ui
from workforce.i18n import date_input_format, fmt_date, t
from workforce.views import pipeline_view, region_table

ui.ensure_router()

f = ui.current()
lang = f.lang
st.title(t("sources.title", lang))
st.markdown(t("sources.intro", lang))

issues = ui.run("catalog_issues")
if not issues.empty:
    st.error(t("sources.issues", lang))
    ui.table(issues)

st.subheader(t("sources.all_sources", lang))  # readers come for the sources: first
sources = ui.run("sources")
ui.table(sources)
ui.csv_download(sources, "sources", lang)

st.subheader(t("sources.datasets", lang))
ui.table(ui.run("dataset_inventory"))

st.subheader(t("sources.coverage_title", lang))
st.caption(t("sources.coverage_caption", lang))
ui.table(region_table.indicator_coverage(ui.run, dt.date.today(), lang))

st.subheader(t("sources.changes_title", lang))
today = dt.date.today()
since = st.date_input(t("sources.changes_since", lang), value=pipeline_view.default_since(today),
                      min_value=dt.date(2015, 1, 1), max_value=today, key="src_since",
                      format=date_input_format(lang))
try:
    changes = pipeline_view.changes_since(ui.run, since, f.country)
except ValueError as exc:
    st.warning(str(exc))
else:
    st.caption(t("sources.changes_caption", lang, n=len(changes), since=fmt_date(since, lang),
                 scope=f.country or t("filter.all_europe", lang)))
    ui.table(changes)
    ui.csv_download(changes, f"pipeline_changes_since_{since}", lang)

if lang == "en":
    st.markdown(ui.sources_markdown("body"))
else:  # the maintainers' notes on each dataset are written in English: say so, do not mix them into the page
    with st.expander(t("sources.notes_english", lang)):
        st.markdown(ui.sources_markdown("body"))
with st.expander(t("sources.build_notes", lang)):
    st.markdown(ui.sources_markdown("build"))

ui.upload_section(lang)
ui.eurostat_section(lang)
