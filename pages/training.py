"""/training — the training supply: programmes by country, mode and EQF level, with sources."""

import streamlit as st

from workforce import db, ui
from workforce.i18n import t

f = ui.current()
lang = f.lang
st.title(t("training.title", lang))
st.markdown(t("training.intro", lang))

counts = db.run("programme_counts", country=f.country)
programmes = db.run("programmes", country=f.country)
c1, c2, c3 = st.columns(3)
c1.metric(t("training.programmes", lang), f"{len(programmes):,}")
c2.metric(t("training.providers", lang), f"{programmes['provider'].nunique():,}")
c3.metric(t("training.countries", lang), f"{programmes['country'].nunique():,}")
ui.table(counts)
st.subheader(t("training.catalogue", lang))
ui.table(programmes, ["provider", "programme", "country", "city", "nuts2", "eqf_level", "mode", "language",
                      "role_ids", "capacity_per_year", "source_title", "source_url", "as_of"])
ui.csv_download(programmes, "programmes", lang)
ui.sources_footnote(programmes, lang)
