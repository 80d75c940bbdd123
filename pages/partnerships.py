"""/partnerships — industry–education partnerships: who trains for which plant."""

import streamlit as st

from workforce import db, ui
from workforce.i18n import t

f = ui.current()
lang = f.lang
st.title(t("partnerships.title", lang))
st.markdown(t("partnerships.intro", lang))

partnerships = db.run("partnerships", country=f.country)
st.metric(t("partnerships.count", lang), f"{len(partnerships):,}")
ui.table(partnerships, ["industry_party", "site_name", "education_party", "country", "city", "nuts2", "started",
                        "what", "source_title", "source_url", "as_of"])
ui.csv_download(partnerships, "partnerships", lang)
ui.sources_footnote(partnerships, lang)
