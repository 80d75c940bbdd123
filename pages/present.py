"""/present — seminar presenter mode: full-screen slides of a storyline (stories/*.yaml) from live data.

URL: ?story=hu&slide=3 (1-based; out of range -> clamped with a warning). ← / → keys, Prev / Next buttons.
"""

import base64

import streamlit as st

from workforce import charts, params, slides, text, ui
from workforce.i18n import fmt_date, t

ui.ensure_router()
ui.preload_live_chart("pr_preload", "atlas", tables=False)  # plotly.js for the slide's chart starts loading now

f = ui.current()
# The page's own language box wins while it is on screen (it also updates the shared filter).
lang = st.session_state.get("pr_lang") or f.lang
url_lang = st.query_params.get("lang")
if "pr_lang" not in st.session_state and url_lang in params.LANGS:
    lang = url_lang  # a shared deep link (QR code) opens in its language even if the filters missed it
ui.present_chrome()

available = slides.list_stories()
default_story = "eu" if "eu" in available else available[0]
story_id = st.query_params.get("story") or default_story
if story_id not in available:
    st.warning(t("present.unknown_story", lang, story=text.md(story_id[:40]), default=default_story))
    story_id = default_story

try:
    story = slides.builtin(story_id)
except slides.StoryError as exc:
    st.error(t("present.error", lang, error=text.md(exc)))
    st.stop()

count = len(story.slides)
number, clamped = slides.clamp_slide(st.query_params.get("slide"), count)
if clamped:
    st.warning(t("present.slide_clamped", lang, requested=text.md(str(st.query_params.get("slide"))[:20]),
                 n=number, count=count))
if st.query_params.get("story") != story_id:
    st.query_params["story"] = story_id
if st.query_params.get("slide") != str(number):
    st.query_params["slide"] = str(number)


def _go(target: int) -> None:
    st.query_params["slide"] = str(min(max(target, 1), count))


def _switch_story() -> None:
    st.query_params["story"] = st.session_state["pr_story"]
    st.query_params["slide"] = "1"


def _switch_lang() -> None:
    st.session_state["flt_lang"] = st.session_state["pr_lang"]


top = st.columns([3, 2, 2, 1, 1], vertical_alignment="bottom")
top[0].selectbox(t("present.story", lang), available, index=available.index(story_id), key="pr_story",
                 on_change=_switch_story, format_func=lambda s: slides.text_for(slides.builtin(s).title, lang))
top[1].selectbox(t("filter.language", lang), params.LANGS, index=params.LANGS.index(lang), key="pr_lang",
                 on_change=_switch_lang, format_func=ui.LANG_NAMES.get)
with top[2].container(key="pr_counter"):
    # escaped: "5. dia / 6" (hu) would otherwise render as an ordered list starting at 5
    st.markdown(text.md(t("present.slide_of", lang, n=number, count=count)))
top[3].button(t("present.prev", lang), key="pr_prev", on_click=_go, args=(number - 1,), disabled=number <= 1,
              width="stretch")
top[4].button(t("present.next", lang), key="pr_next", on_click=_go, args=(number + 1,), disabled=number >= count,
              width="stretch")

slide = slides.render(story.slides[number - 1], lang)
st.title(slide.title or slides.text_for(story.title, lang))

main, side = st.columns([5, 1])
# The stage fills the screen below the title (presenter CSS: .st-key-pr_stage); the chart or table stretches into
# what the metrics and the caption leave, so a slide fits 16:9 at 1280×720 and 1920×1080 without scrolling.
with main.container(key="pr_stage", gap="small"):
    if slide.metrics:
        for i, (col, (label, value, note)) in enumerate(zip(st.columns(len(slide.metrics)), slide.metrics,
                                                            strict=True)):
            with col.container(border=True, key=f"pr_metric_{i}"):  # unique even when two cards look alike
                st.markdown(text.md(label))  # wraps, unlike a metric label
                st.metric(label, value, label_visibility="collapsed")
                if note:
                    st.caption(text.md(note))
    if slide.figure is not None:
        ui.chart(slides.fit_figure(slide.figure), key=f"pr_fig_{story_id}_{number}", lang=lang, bundle="atlas",
                 stretch=True, label=slide.title or "", config={"scrollZoom": False, "responsive": True})
        if slide.view == "plants_map":
            st.caption(charts.status_symbols_caption(lang))
    if slide.table is not None and not slide.table.empty and slide.figure is None:
        # one exhibit per slide on screen: a slide with a figure keeps its table for the PPTX/PDF and the live view
        st.dataframe(slide.table, hide_index=True, width="stretch", height="stretch", placeholder=ui.MISSING,
                     column_config=ui.number_columns(slide.table, lang))
    if slide.empty:
        st.info(t("present.no_data", lang))
    with st.container(key="pr_caption" if len(slide.caption) <= 200 else "pr_caption_long"):  # long: smaller type
        st.markdown(text.md(slide.caption))
    if slide.assumption:
        ui.assumption_badge(lang)
public = ui.public_url()
with side.container(key="pr_side"):
    if public:
        link = slides.live_link(public, story_id, number, lang)
        # The QR code as an <img> with alt text (st.image has none); only our own PNG and catalogue text.
        qr_b64 = base64.b64encode(slides.qr_png(link)).decode("ascii")
        st.html(f'<figure class="bwa-qr"><img src="data:image/png;base64,{qr_b64}" '
                f'alt="{text.html_text(t("present.qr_caption", lang))}">'
                f'<figcaption>{text.html_text(t("present.qr_caption", lang))}</figcaption></figure>')
        st.markdown(text.md_link(t("present.link", lang), link))
        st.caption(t("present.audience_opens", lang, url=text.md(public)))
    else:
        st.warning(t("present.no_public_url", lang))
    if slide.sources:
        st.caption(f"{t('sources.label', lang)}: " + "; ".join(
            text.md_link(s["title"], s["url"])
            + (f" ({text.md(fmt_date(s['as_of'], lang))})" if s.get("as_of") else "")
            for s in slide.sources))
    st.caption(t("present.keys_hint", lang))
    if slide.notes:
        with st.expander(t("present.notes", lang)):
            st.markdown(text.md(slide.notes))
    with st.expander(t("present.export", lang)):
        if st.button(t("present.export", lang), key="pr_export"):
            base = public
            c1, c2 = st.columns(2)
            c1.download_button(t("present.export_pptx", lang), slides.to_pptx(story, lang, base),
                               file_name=f"{story_id}-{lang}.pptx", key="pr_dl_pptx", on_click="ignore",
                               mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
            c2.download_button(t("present.export_pdf", lang), slides.to_pdf(story, lang, base),
                               file_name=f"{story_id}-{lang}.pdf", mime="application/pdf", key="pr_dl_pdf", on_click="ignore")
