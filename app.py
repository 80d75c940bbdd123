"""Battery Workforce Atlas — router: page config, navigation, shared sidebar filters."""

import streamlit as st

from workforce import ui
from workforce.i18n import t

st.set_page_config(page_title="Battery Workforce Atlas", page_icon=ui.FAVICON, layout="wide")  # 🔋 (ui/router.py)
ui.tcp_nodelay()  # once per process: responses are not held back by Nagle's algorithm (workforce/ui/server.py)

lang = ui.current().lang if "filters" in st.session_state else st.query_params.get("lang", "en")

PAGES = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), url_path="home", default=True),
    st.Page("pages/regions.py", title=t("nav.regions", lang), url_path="regions"),
    st.Page("pages/forecast.py", title=t("nav.forecast", lang), url_path="forecast"),
    st.Page("pages/training.py", title=t("nav.training", lang), url_path="training"),
    st.Page("pages/partnerships.py", title=t("nav.partnerships", lang), url_path="partnerships"),
    st.Page("pages/explorer.py", title=t("nav.explorer", lang), url_path="explorer"),
    st.Page("pages/present.py", title=t("nav.present", lang), url_path="present"),
    st.Page("pages/sources.py", title=t("nav.sources", lang), url_path="sources"),
    st.Page("pages/contribute.py", title=t("nav.contribute", lang), url_path="contribute"),
    st.Page("pages/review.py", title=t("nav.review", lang), url_path="review"),
]

page = st.navigation(PAGES)
ui.base_url_hint([p.url_path for p in PAGES])  # once per process: a page's URL finds the server at once (server.py)
ui.cache_app_static(ui.STATIC_DIR)  # once per process: the live charts' files cached for good, compressed once (server.py)
ui.app_css()  # metric cards whose numbers fit (ui/widgets.py APP_CSS)
st.sidebar.markdown(f"**{t('app.title', lang)}**")
ui.sidebar()
page.run()
ui.permalink(ui.current().lang)  # after the page, so page-level parameters (e.g. metric) are in the link
st.sidebar.caption(t("app.footer", lang))
# once per process, in the background: a headless visit of every chart page builds its default data and figures
# before the first person opens it, then /regions at every other year, with every other metric, with every other
# choice of layers and zoomed on every country of the filter (ui/server.py)
ui.warm_up(["home", "regions", "forecast", "training", "partnerships", "present"], every_year=("regions",),
           every_metric=("regions",), every_layers=("regions",), every_country=("regions",))
