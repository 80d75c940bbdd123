"""/contribute — signed-in contributors send plant events, programmes, partnerships and expected hires."""

import streamlit as st

from workforce import ui
from workforce.i18n import t
from workforce.ui import access

ui.ensure_router()
f = ui.current()
lang = f.lang
st.title(t("contrib.title", lang))
st.markdown(t("contrib.intro", lang))
access.needs_assessment(f.region, f.scenario, f.year, lang)
who = access.gate(lang, ("contributor", "reviewer", "admin"))
if who is not None:
    access.contribution_forms(who, lang)
    access.my_submissions(who, lang)
