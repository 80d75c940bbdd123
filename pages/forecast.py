"""/forecast — jobs over time. Until the forecast engine lands: announced jobs by planned start year."""

import plotly.express as px
import streamlit as st

from workforce import db, ui
from workforce.i18n import t

f = ui.current()
lang = f.lang
st.title(t("forecast.title", lang))
st.markdown(t("forecast.intro", lang))

timeline = db.run("jobs_by_start_year", country=f.country)
if timeline.empty:
    st.info(t("overview.no_data", lang))
else:
    fig = px.bar(timeline, x="start_year", y="jobs_announced", color="status", pattern_shape="status",
                 color_discrete_map=ui.charts.STATUS_COLORS, labels={"start_year": "start year", "jobs_announced": "jobs announced"})
    st.plotly_chart(fig, key="fc_timeline")
    ui.table(timeline)
plants = db.run("plants", country=f.country)
ui.sources_footnote(plants, lang)
