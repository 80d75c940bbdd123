"""/review — reviewers compare each contribution with the current data and approve, reject or ask for a change."""

import streamlit as st

from workforce import ui
from workforce.i18n import t
from workforce.ui import access

ui.ensure_router()
lang = ui.current().lang
st.title(t("review.title", lang))
who = access.gate(lang, ("reviewer", "admin"))
if who is not None:
    access.review_queue(who, lang)
    access.assessment_rounds(who, lang)
