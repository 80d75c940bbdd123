"""/regions — NUTS 0/1/2 choropleth of forecast jobs, training need, capacity and gap; plant and
provider layers; country zoom; region panel (click a region or pick it from the list).

The metric, the layers, the map and everything that follows them form one fragment (issue 19): changing the
metric or the layers reruns only that part, not the sidebar and the rest of the app. A click on a region or a
pick from the list selects it for the whole page (`st.rerun(scope="app")`: panel, sidebar, URL)."""

import datetime as dt

import streamlit as st

from workforce import charts, params, text, ui
from workforce.i18n import t
from workforce.views import need as need_view
from workforce.views import region_table as region_view

ui.ensure_router()

f = ui.current()
lang = f.lang
ui.preload_live_chart("rg_map_preload")  # plotly.js for the map below starts loading now
st.title(t("regions.title", lang))
st.markdown(t("regions.intro", lang))
ui.upload_section(lang, tables=("regions", "plants"), key="rg_up", compact=True)


def link_layers(lang: str) -> list[str] | None:
    """The map layers the link asked for (`layers=plants,providers`; empty = none), read on the session's first run
    of this page and kept, so that the pickers' default stays the same while the URL follows them; None = the
    metric's default. A link naming anything else gets the default and a notice."""
    if "rg_link_layers" not in st.session_state:
        asked, unknown = region_view.parse_layers(st.query_params.get("layers"))
        st.session_state["rg_link_layers"] = asked
        if unknown:
            st.warning(t("regions.bad_layers", lang, layers=text.md(params.shown_names(unknown))))  # cut short
    return st.session_state["rg_link_layers"]


@st.fragment
def map_and_ranking() -> None:
    """Metric and layer pickers, the map with its captions and downloads, the ranked table and the region
    panel. Reruns alone when the metric or the layers change; reads the shared filters afresh each time."""
    f = ui.current()
    lang = f.lang
    metric = st.query_params.get("metric", "jobs")
    if metric not in region_view.METRICS:
        st.warning(t("regions.bad_metric", lang, metric=text.md(metric)))
        metric = "jobs"
    linked = link_layers(lang)
    c1, c2 = ui.wide_columns("rg_pickers", [3, 2])
    with c1:
        options = list(region_view.METRICS)
        metric = st.selectbox(t("regions.metric", lang), options, index=options.index(metric), key="rg_metric",
                              format_func=lambda m: t(f"metric.{m}", lang)) or "jobs"
    with c2:
        gap_map = region_view.METRICS[metric].diverging  # plants start hidden on gap maps (own widget state)
        layers = st.pills(t("regions.layers", lang), list(region_view.LAYERS), selection_mode="multi",
                          default=region_view.default_layers(metric) if linked is None else linked,
                          key="rg_layers_gap" if gap_map else "rg_layers",
                          format_func=lambda x: t(f"regions.layer_{x}", lang))
        layers = [layer for layer in region_view.LAYERS if layer in (layers or [])]  # one order: one cached map
    # the URL follows the metric and the layers (the layers only when they are not the metric's default)
    moved = st.query_params.get("metric") != metric
    if moved:
        st.query_params["metric"] = metric
    wanted = None if layers == region_view.default_layers(metric) else region_view.layers_query(layers)
    if st.query_params.get("layers") != wanted:
        moved = True
        if wanted is None:
            del st.query_params["layers"]
        else:
            st.query_params["layers"] = wanted
    if moved and ui.permalink_open():  # the open "Link to this view" box (sidebar, outside this fragment) must follow
        st.rerun(scope="app")
    spec = region_view.METRICS[metric]
    label = f"{t(f'metric.{metric}', lang)} · {region_view.unit_text(metric, lang)}"

    data = ui.region_metrics(f.level, f.country, f.year, f.scenario)
    fig = ui.region_map(f, metric, layers, data)
    event = ui.live_chart(fig, key="rg_map", label=label, config={"scrollZoom": False},
                          error_text=t("regions.map_failed", lang),
                          fullscreen=(t("chart.fullscreen", lang), t("chart.fullscreen_close", lang)))
    clicked = ui.clicked_region(event, data["nuts_id"])
    if clicked and clicked != f.region:  # the region panel, the sidebar and the URL follow: the whole page reruns
        ui.set_region(clicked)
        st.rerun(scope="app")
    st.caption(t("regions.alt", lang, n=int(data[spec.column].notna().sum()), total=len(data), metric=label,
                 year=f.year, scenario=t(f"scenario.{f.scenario}", lang)))
    st.caption(t("regions.uncertain_note", lang, small=region_view.SMALL_NUMBER))
    st.caption(t("map.reading", lang))
    if "plants" in (layers or []):
        st.caption(charts.status_symbols_caption(lang))
    if spec.forecast:
        ui.assumption_badge(lang)
    if spec.baseline_year:
        st.caption(region_view.baseline_caption(data, metric, lang, dt.date.today()))
    if note := region_view.supply_note(data, metric, lang):
        st.caption(note)
    ui.download_menu(fig=fig, df=data, name=f"regions_{metric}", lang=lang)
    unmapped = ui.run("unmapped_region_codes", country=f.country)
    if not unmapped.empty:
        with st.expander(t("regions.unmapped", lang, n=len(unmapped))):
            ui.table(unmapped)

    ranked = region_view.ranked(data, "gap" if f.country else metric)
    left, right = ui.wide_columns("rg_ranked", [3, 2])
    below = st.container()  # the region's tables, at the page's width under the ranked table and the panel
    with left:
        st.subheader(t("regions.ranked_gap" if f.country else "regions.ranked", lang,
                       metric=t(f"metric.{metric}", lang)))
        ui.table(ranked, region_view.table_columns(metric), name={"pinned": True})  # stays while its 28 columns scroll
        st.caption(t("need.table_caption", lang, period=need_view.need_period(f.year),
                     **region_view.need_caption_columns(lang),
                     scenario=t(f"scenario.{f.scenario}", lang),
                     years=region_view.year_text(data["pool_year"].dropna(), dt.date.today(), lang),
                     share=ui.fmt_number((need_view.reskill_share() or 0) * 100, lang=lang)))
    with right:
        names = dict(zip(data["nuts_id"], data["name"]))
        options = [None, *sorted(names, key=lambda r: (names[r] or r))]
        if f.region and f.region not in options:
            options.append(f.region)
        region = st.selectbox(t("regions.pick", lang), options, index=options.index(f.region) if f.region in options else 0,
                              format_func=lambda r: "—" if r is None else f"{names.get(r, r)} ({r})",
                              key=f"rg_region_{f.region}")
        if region != f.region:
            ui.set_region(region)
            st.rerun(scope="app")
        if region:
            ui.region_panel(region, lang, scenario=f.scenario, year=f.year, details=below)
        else:
            st.info(t("regions.no_region", lang))


map_and_ranking()
