"""Uploads room: this session's upload boxes with row-level rejects, and the Eurostat refresh on /sources."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from workforce import text
from workforce.i18n import t
from workforce.session import UPLOADS_KEY, catalog_table, uploads
from workforce.ui.widgets import MISSING, UPLOAD_ACCEPTS, UPLOAD_TYPES, WORDS_KEY, fmt_number, table

UPLOAD_RESULTS = "upload_results"  # st.session_state[UPLOAD_RESULTS][box key] = last result shown by that box


EUROSTAT_RESULTS = "eu_last"  # st.session_state[EUROSTAT_RESULTS] = last Eurostat refresh (eurostat_refresh.load)


# Streamlit's file uploader says "Upload", "50MB per file • CSV, …", "Remove x.csv" and "Add files" in English on
# every page. This element (no room on the page: APP_CSS hides its container) puts the page's words in their place
# in the box it sits in: the button's text and the limit's, as text (so a screen reader and an accessibility check
# read them as the button's name; CSS-drawn words are not a name for axe), and the chosen file's buttons' names,
# again whenever Streamlit draws the uploader anew.
_WORDS_JS = """
export default function ({ data, parentElement }) {
  const box = (parentElement.host || parentElement).closest('[data-testid="stVerticalBlock"]');
  if (!box || !data) return;
  // only the values of React's own text nodes change (the first one says the words, any others say nothing):
  // replacing the nodes broke the uploader when React next removed them (a chosen file never reached the app)
  const put = (el, words) => {
    if (!el || !words || el.textContent === words) return;
    const texts = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE);
    texts.forEach((n, i) => { const v = i === 0 ? words : ''; if (n.nodeValue !== v) n.nodeValue = v; });
  };
  const name = (button, words) => { if (words && button.getAttribute('aria-label') !== words) button.setAttribute('aria-label', words); };
  const apply = () => {
    for (const zone of box.querySelectorAll('[data-testid="stFileUploaderDropzone"]')) {
      put(zone.querySelector('button [data-testid="stMarkdownContainer"] p'), data.button);
      put(zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span'), data.limit);
      for (const chip of zone.querySelectorAll('[data-testid="stFileChip"]')) {  // a chosen file: "Remove x.csv"
        const file = chip.querySelector('[data-testid="stFileChipName"]');
        const remove = chip.querySelector('[data-testid="stFileChipDeleteBtn"] button');
        if (file && remove) name(remove, data.remove.replace('{name}', () => file.textContent));  // as written: no $-patterns
      }
      for (const more of zone.querySelectorAll('[data-testid="stBaseButton-borderlessIcon"]')) name(more, data.add);
    }
  };
  apply();
  const seen = new MutationObserver(apply);  // a chosen or removed file draws the dropzone again
  seen.observe(box, { childList: true, subtree: true });
  return () => seen.disconnect();
}
"""


@functools.cache
def _words_component():
    return st.components.v2.component("atlas_upload_words", html="<span></span>", js=_WORDS_JS, isolate_styles=False)


def _uploader_words(lang: str, key: str) -> None:
    """The upload box's button and limit in `lang` (the limit: upload.MAX_MB, the box's own; the types the reader
    reads)."""
    from workforce import upload

    _words_component()(key=f"{WORDS_KEY}{key}", data={
        "button": t("upload.button", lang),
        "limit": t("upload.dropzone", lang, mb=upload.MAX_MB, types=", ".join(x.upper() for x in UPLOAD_TYPES)),
        "remove": t("upload.remove_file", lang, name="{name}"), "add": t("upload.add_file", lang)})


def _kind_names(tables, lang: str) -> str:
    return ", ".join(t(f"upload.kind_{k}", lang) for k in tables)


def upload_section(lang: str = "en", tables: tuple[str, ...] | None = None, key: str = "up",
                   compact: bool = False) -> None:
    """Upload plants, programmes or regional indicators for this session and show the rejects.
    /sources shows the full box; other pages pass `tables` (what fits there), their own widget `key`
    prefix and `compact=True` (a collapsed expander). Valid rows reach every page via session_frames()."""
    from workforce import upload

    tables = tuple(tables or upload.UPLOAD_KINDS)
    if compact:
        with st.expander(t("upload.page_title", lang, kinds=_kind_names(tables, lang)), icon=":material/upload_file:"):
            _upload_box(lang, tables, key, "upload.page_help")
    else:
        st.subheader(t("upload.title", lang))
        with st.container():  # the box's own block: its words element looks for the uploader there only
            _upload_box(lang, tables, key)


def _upload_box(lang: str, tables: tuple[str, ...], key: str, help_key: str = "upload.help") -> None:
    from workforce import upload

    st.caption(t(help_key, lang, mb=upload.MAX_MB, rows=fmt_number(upload.MAX_ROWS, lang=lang)))
    kind = tables[0]
    if len(tables) > 1:
        kind = st.selectbox(t("upload.kind", lang), tables, key=f"{key}_kind",
                            format_func=lambda k: t(f"upload.kind_{k}", lang))
    file = st.file_uploader(t("upload.file_kind", lang, kind=t(f"upload.kind_{kind}", lang)),
                            type=list(UPLOAD_ACCEPTS), max_upload_size=upload.MAX_MB, key=f"{key}_file")
    _uploader_words(lang, key)
    if file is not None:
        _take_file(file, kind, lang, key)
    _show_result((st.session_state.get(UPLOAD_RESULTS) or {}).get(key), lang, key)
    current_uploads = uploads()
    if current_uploads:
        st.caption(t("upload.active", lang, tables=", ".join(
            f"{t(f'upload.kind_{k}', lang)} ({fmt_number(len(v), lang=lang)})" for k, v in current_uploads.items())))
        if st.button(t("upload.clear", lang), key=f"{key}_clear"):
            for name in (UPLOADS_KEY, UPLOAD_RESULTS, EUROSTAT_RESULTS):
                st.session_state.pop(name, None)
            st.rerun()


def _take_file(file, kind: str, lang: str, key: str) -> None:
    """Read and check a chosen file, add its valid rows to this session and keep the result for the box.

    Streamlit may stop a run at any read or write of `st.session_state` when a newer run is asked for (a chart or
    another widget sending its value while the page is still loading). So the file is read and checked first,
    and the state is written last, in an order that survives such a stop: the rows (merged on their key, so
    writing them twice changes nothing), then the result, then the marker that the file was taken. A stop
    before the marker leaves the file untaken, and the next run takes it again: a file chosen while the page
    is loading is never dropped. A file already taken (the mark says so) is left alone."""
    from workforce import upload

    if st.session_state.get(f"{key}_done") == (file.file_id, kind):
        return
    result = {"kind": kind, "name": file.name}
    valid = None
    try:
        df = upload.read_table_file(file.getvalue(), file.name, lang=lang)
    except upload.UploadError as exc:
        result.update(error=str(exc))
    else:
        valid, rejected, messages, mapped = upload.validate_with_notices(df, kind, lang=lang)
        result.update(summary=upload.summary(df, valid, rejected, messages), rejected=rejected, mapped=mapped)
    if valid is not None:
        _add_upload(kind, valid)
    _set_result(key, result)
    st.session_state[f"{key}_done"] = (file.file_id, kind)


def _add_upload(kind: str, valid: pd.DataFrame) -> None:
    from workforce import upload

    if len(valid):
        store = dict(uploads())
        store[kind] = upload.combine_uploads(store.get(kind), valid, kind)
        st.session_state[UPLOADS_KEY] = store


def _set_result(key: str, result: dict) -> None:
    st.session_state[UPLOAD_RESULTS] = {**(st.session_state.get(UPLOAD_RESULTS) or {}), key: result}


def _show_result(last: dict | None, lang: str, key: str) -> None:
    """Summary, notes and the rejected rows (table + CSV with the reason) of one upload."""
    from workforce import export, upload

    if not last:
        return
    if last.get("error"):
        error = last["error"].removeprefix(f"{last['name']}: ")  # the reader names the file; the line says it once
        st.error(t("upload.unreadable", lang, name=text.md(last["name"]), error=text.md(error)))
        return
    s = last["summary"]
    box = st.success if s["rejected"] == 0 and s["rows"] else st.warning
    box(t("upload.summary", lang, name=text.md(last["name"]), rows=fmt_number(s["rows"], lang=lang),
          valid=fmt_number(s["valid"], lang=lang), rejected=fmt_number(s["rejected"], lang=lang),
          kind=t(f"upload.kind_{last['kind']}", lang)))
    for message in s["messages"]:
        st.caption(text.md(message))
    mapped = last.get("mapped")
    if mapped is not None and len(mapped):  # row-level notice: which old NUTS code became which NUTS 2024 code
        st.markdown(f"**{t('upload.mapped_title', lang)}**")
        st.dataframe(mapped, hide_index=True, width="stretch", key=f"{key}_mapped", placeholder=MISSING)
    rejected = last["rejected"]
    if len(rejected):
        st.markdown(f"**{t('upload.rejected', lang)}**")
        # the file's own columns keep their names; the two the check adds are named in the page's language
        st.dataframe(rejected, hide_index=True, width="stretch", key=f"{key}_rejected", placeholder=MISSING,
                     column_config={upload.ROW_COLUMN: st.column_config.NumberColumn(t("upload.col_row", lang),
                                                                                      format="%d", pinned=True),
                                    upload.REASON_COLUMN: st.column_config.TextColumn(t("upload.col_reason", lang))})
        st.download_button(t("upload.download_rejected", lang), export.to_csv_bytes(rejected),
                           file_name=f"rejected_{last['kind']}.csv", mime="text/csv", key=f"{key}_dl_rejected",
                           on_click="ignore")


@st.cache_data(show_spinner=False)
def _eurostat_bundled() -> tuple[pd.DataFrame, str]:
    """What the catalog's regions table holds per refreshable dataset, and its newest as-of date: a function of
    the catalog alone, cached per process like `catalog_table` (a copy of that 62k-row table and a pass over it
    for each dataset cost /sources most of its run)."""
    from workforce import eurostat_refresh as er

    regions = catalog_table("regions")
    return er.bundled_summary(regions), er.bundled_as_of(regions)


def eurostat_section(lang: str = "en") -> None:
    """/sources: refresh the regional indicators from the Eurostat API on a button press only (short
    timeout, cached file as fallback); downloaded rows join this session's regional-indicator uploads."""
    from workforce import eurostat_refresh as er

    st.subheader(t("eurostat.title", lang))
    st.caption(t("eurostat.help", lang, seconds=f"{er.TIMEOUT:g}"))
    summary, bundled_as_of = _eurostat_bundled()
    table(er.with_cached_copies(summary), ["dataset", "title", "bundled_indicators", "refreshed_indicators",
                                           "bundled_rows", "bundled_years", "bundled_as_of", "cached_copy",
                                           "source_url"])
    as_of = bundled_as_of or t("eurostat.undated", lang)
    if st.button(t("eurostat.button", lang), key="eu_fetch", icon=":material/cloud_download:"):
        with st.spinner(t("eurostat.fetching", lang, seconds=f"{er.TIMEOUT:g}")):
            fetches = er.refresh()
            loaded = [er.load(f, lang=lang) for f in fetches]
        for item in loaded:
            if item.get("valid") is not None:
                _add_upload("regions", item["valid"])
        st.session_state[EUROSTAT_RESULTS] = loaded
        st.rerun()  # so the upload box above lists the refreshed indicators too
    loaded = st.session_state.get(EUROSTAT_RESULTS)
    if not loaded:
        return
    offline = [x for x in loaded if x["unreachable"]]
    if offline:
        key = "eurostat.offline_cached" if any(x.get("valid") is not None for x in offline) else "eurostat.offline"
        st.warning(t(key, lang, as_of=as_of, error=text.md(offline[0]["error"])), icon="⚠️")
    for x in loaded:
        if x.get("unreadable"):
            st.error(t("eurostat.unreadable", lang, dataset=x["dataset"], error=text.md(x["error"])))
        elif x["error"] and not x["unreachable"]:
            st.warning(t("eurostat.failed", lang, dataset=x["dataset"], error=text.md(x["error"]), as_of=as_of))
        if not x["fresh"] and x.get("valid") is not None:
            st.info(t("eurostat.using_cache", lang, dataset=x["dataset"], date=x["saved_on"]))
    rows = [x for x in loaded if x.get("valid") is not None]
    if not rows:
        return
    table(pd.DataFrame([_eurostat_row(x, lang) for x in rows]))
    for u in er.updates(rows, catalog_table("regions")):  # say what the refresh updated (or that nothing is newer)
        if u["newer"]:
            st.success(t("sources.refresh_updated", lang, dataset=u["dataset"], n=u["rows"],
                         indicators=u["indicators"], year=u["newest_year"]))
        else:
            st.info(t("sources.refresh_unchanged", lang, dataset=u["dataset"]))
    st.caption(t("eurostat.in_use", lang))
    for x in rows:
        summary = {"rows": x["counts"]["region_rows"], "valid": len(x["valid"]), "rejected": len(x["rejected"]),
                   "messages": x["messages"]}
        _show_result({"kind": "regions", "name": f"Eurostat {x['dataset']}", "summary": summary,
                      "rejected": x["rejected"]}, lang, f"eu_{x['dataset']}")


def _eurostat_row(x: dict, lang: str) -> dict:
    s, c = x["eurostat"], x["counts"]
    return {
        "dataset": x["dataset"],
        "source": t("eurostat.fresh", lang) if x["fresh"] else t("eurostat.cached_on", lang, date=x["saved_on"]),
        "rows": s["rows"], "geo_count": s["geo_count"], "time": f"{s['time_min']}–{s['time_max']}",
        "flags": ", ".join(f"{k}: {v}" for k, v in s["flags"].items()), "missing": s["missing"],
        "other_series": c["other_series"], "not_nuts_0_2": c["not_nuts_0_2"],
        "region_rows": c["region_rows"], "in_use": len(x["valid"]), "rejected": len(x["rejected"]),
    }
