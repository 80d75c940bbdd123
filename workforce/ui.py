"""Streamlit building blocks shared by the pages: sidebar filters (synced to the URL),
source footnotes, tables with source links, downloads. Layout only; no business logic."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from workforce import charts, db, params, text
from workforce.i18n import country_name, t

SHARED_KEYS = ("country", "level", "year", "lang", "scenario", "region")
LANG_NAMES = {"en": "English", "fi": "Suomi", "hu": "Magyar", "de": "Deutsch"}


def countries() -> pd.DataFrame:
    return db.run("countries")


def sidebar() -> params.Filters:
    """Render the shared filters. The canonical state is `st.session_state["filters"]` (read from
    the URL on a session's first run); widgets mirror it and write back through on_change."""
    country_df = countries()
    names = dict(zip(country_df["country"], country_df["name"]))
    if "filters" not in st.session_state:
        raw = {k: st.query_params.get_all(k) for k in st.query_params}
        parsed, warnings = params.parse(raw, set(names))
        st.session_state["filters"] = parsed
        st.session_state["flt_warnings"] = warnings
    for key in ("country", "level", "year", "lang", "scenario"):
        canonical = _widget_value(key, getattr(st.session_state["filters"], key))
        if f"flt_{key}" not in st.session_state:  # widget state is dropped on page switches
            st.session_state[f"flt_{key}"] = canonical
        elif st.session_state[f"flt_{key}"] != canonical:
            _store(key)  # a widget value set by code (e.g. presenter language) wins
    state: params.Filters = st.session_state["filters"]
    lang = state.lang
    with st.sidebar:
        st.selectbox(t("filter.language", lang), params.LANGS, key="flt_lang", format_func=LANG_NAMES.get,
                     on_change=_store, args=("lang",))
        st.selectbox(
            t("filter.country", lang), [ALL_EUROPE, *names], key="flt_country", on_change=_store, args=("country",),
            format_func=lambda c: t("filter.all_europe", lang) if c == ALL_EUROPE else f"{country_name(c, lang)} ({c})",
        )
        st.radio(t("filter.level", lang), params.LEVELS, key="flt_level", horizontal=True,
                 format_func=lambda lv: f"NUTS-{lv}", on_change=_store, args=("level",))
        st.select_slider(t("filter.year", lang), params.YEARS, key="flt_year", on_change=_store, args=("year",))
        st.selectbox(t("filter.scenario", lang), params.SCENARIOS, key="flt_scenario",
                     format_func=lambda s: t(f"scenario.{s}", lang), on_change=_store, args=("scenario",))
    for warning in st.session_state.pop("flt_warnings", []):
        st.warning(warning, icon=None)
    filters = current()
    sync_url(filters)
    return filters


ALL_EUROPE = "*"  # the country selectbox's "All of Europe" option (None shows a placeholder)


def _widget_value(key: str, value):
    return ALL_EUROPE if key == "country" and value is None else value


def _store(key: str) -> None:
    """on_change: copy one widget's value into the canonical filters."""
    from dataclasses import replace

    value = st.session_state[f"flt_{key}"]
    if key == "country" and value == ALL_EUROPE:
        value = None
    changes = {key: value}
    if key == "country":
        changes["region"] = None
    st.session_state["filters"] = replace(st.session_state["filters"], **changes)


def current() -> params.Filters:
    f = st.session_state.get("filters") or params.Filters()
    if f.region and f.country and not f.region.startswith(f.country):
        from dataclasses import replace

        f = replace(f, region=None)
    return f


def set_region(region: str | None) -> None:
    from dataclasses import replace

    st.session_state["filters"] = replace(current(), region=region)
    sync_url(current())


def sync_url(filters: params.Filters) -> None:
    """Write the shared filters into the URL, leaving page-specific keys alone."""
    wanted = filters.to_query()
    for key in SHARED_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def sources_footnote(df: pd.DataFrame, lang: str = "en", limit: int = 12) -> None:
    """A caption listing the distinct sources behind the rows shown."""
    if df.empty or "source_title" not in df.columns:
        return
    cols = [c for c in ("source_title", "source_url", "as_of") if c in df.columns]
    distinct = df[cols].drop_duplicates().head(limit)
    parts = []
    for row in distinct.itertuples(index=False):
        link = text.md_link(getattr(row, "source_title", None), getattr(row, "source_url", None))
        as_of = getattr(row, "as_of", None)
        parts.append(f"{link} ({text.md(as_of)})" if isinstance(as_of, str) and as_of else link)
    more = len(df[cols].drop_duplicates()) - len(distinct)
    suffix = f" … {t('sources.more', lang, n=more)}" if more > 0 else ""
    st.caption(f"{t('sources.label', lang)}: " + "; ".join(parts) + suffix)


def source_columns() -> dict:
    return {
        "source_url": st.column_config.LinkColumn("Source", display_text="link"),
        "source_title": st.column_config.TextColumn("Source title"),
        "as_of": st.column_config.TextColumn("As of"),
    }


def table(df: pd.DataFrame, columns: list[str] | None = None, height: int | None = None, **config) -> None:
    shown = df[columns] if columns else df
    st.dataframe(shown, hide_index=True, column_config={**source_columns(), **config},
                 height=height or "auto", width="stretch")


def csv_download(df: pd.DataFrame, name: str, lang: str = "en") -> None:
    from workforce import export

    st.download_button(t("download.csv", lang), _deferred(export.to_csv_bytes, df), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl_csv_{name}", on_click="ignore")


def assumption_badge(lang: str = "en") -> None:
    st.caption("⚠️ " + t("assumption.badge", lang))


def view_for(nuts_id: str | None) -> dict | None:
    """Map centre/zoom for a country or region code; None = Europe."""
    if not nuts_id:
        return None
    bounds = db.run("region_bounds", nuts_id=nuts_id)
    if bounds.empty:
        return None
    b = bounds.iloc[0]
    return charts.view_from_bounds(b["minx"], b["miny"], b["maxx"], b["maxy"])


def fmt_number(value, digits: int = 0, lang: str | None = None) -> str:
    """Locale-formatted number (Babel); `lang` defaults to the current filter language."""
    from workforce import i18n

    return i18n.fmt_number(value, lang or current().lang, digits)


def sources_markdown() -> str:
    """data/SOURCES.md, shown on the sources page (our own committed text)."""
    from workforce import DATA_DIR

    path = DATA_DIR / "SOURCES.md"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@st.cache_resource(show_spinner=False)
def _geometry_cached(level: int, version: int) -> dict:
    from workforce import geo

    return geo.with_array_coordinates(geo.load_regions(version=version, level=level))


def _empty_geometry() -> dict:
    return {"type": "FeatureCollection", "features": []}


def geometry(level: int, version: int = 2024) -> dict:
    """NUTS geometry, loaded once per process (read-only: never mutate the result).

    A missing or corrupt geometry file gives an empty collection and a warning banner
    (failures are not cached, so a repaired file is picked up on the next run)."""
    try:
        shapes = _geometry_cached(level, version)
        if isinstance(shapes, dict) and isinstance(shapes.get("features"), list):
            return shapes
    except (OSError, ValueError):  # json.JSONDecodeError is a ValueError
        pass
    st.warning(t("geometry.unavailable", current().lang, level=level, version=version))
    return _empty_geometry()


def geometry_for(level: int, nuts_ids: list[str]) -> dict:
    """Only the shapes of the given regions (2024, plus UK from 2021)."""
    wanted = set(nuts_ids)
    features = [ft for v in (2024, 2021) for ft in geometry(level, v)["features"]
                if isinstance(ft, dict) and ft.get("id") in wanted]
    seen, unique = set(), []
    for ft in features:
        if ft["id"] not in seen:
            seen.add(ft["id"])
            unique.append(ft)
    return {"type": "FeatureCollection", "features": unique} if unique else _empty_geometry()


def bullet_list(items: list[str], more: int = 0) -> None:
    """A short markdown list of data text (escaped): readable by people and screen readers."""
    if not items:
        return
    lines = [f"- {text.md(item)}" for item in items]
    if more > 0:
        lines.append(f"- … (+{more})")
    st.markdown("\n".join(lines))


def clicked_region(event, known) -> str | None:
    """The NUTS id of a clicked map shape (plotly selection event), if it is a known region."""
    try:
        points = event.selection.points if event else []
    except AttributeError:
        points = []
    ids = set(known)
    for point in points or []:
        location = point.get("location") if isinstance(point, dict) else None
        if location in ids:
            return location
    return None


def region_panel(region: str, lang: str = "en", scenario: str = "base", year: int = 2030) -> None:
    """Plants, programmes, partnerships, forecast sparkline, gap by role and baseline of one region."""
    from workforce import training_data

    plants = run("plants", country=None)
    plants = plants[plants["nuts2"].fillna("").str.startswith(region)]
    programmes = run("programmes", country=None)
    programmes = programmes[programmes["nuts2"].fillna("").str.startswith(region)]
    partnerships = run("partnerships", country=None)
    partnerships = partnerships[partnerships["nuts2"].fillna("").str.startswith(region)]
    bounds = run("region_bounds", nuts_id=region)
    name = bounds.iloc[0]["name"] if not bounds.empty else region
    st.markdown(f"#### {text.md(name)} ({text.md(region)})")
    brief_download(region, lang)

    fc = region_forecast(region, scenario)
    total = fc["total"]
    if total["jobs_p50"].sum() > 0:
        st.caption(t("panel.forecast", lang, scenario=t(f"scenario.{scenario}", lang)))
        st.plotly_chart(charts.sparkline(total), key=f"spark_{region}", config={"displayModeBar": False})
        assumption_badge(lang)
    else:
        st.caption(t("panel.no_forecast", lang))

    st.markdown(f"**{t('panel.plants', lang)}** ({len(plants)})")
    bullet_list([f"{r.site_name} — {r.segment}, {str(r.status).replace('_', ' ')}"
                 for r in plants.head(12).itertuples()], more=len(plants) - 12)
    table(plants, ["company", "site_name", "segment", "status", "jobs_announced", "source_url"])
    st.markdown(f"**{t('panel.programmes', lang)}** ({len(programmes)})")
    bullet_list([f"{r.provider}: {r.programme}" for r in programmes.head(12).itertuples()], more=len(programmes) - 12)
    table(programmes, ["provider", "programme", "eqf_level", "mode", "capacity_per_year", "source_url"])
    st.markdown(f"**{t('panel.partnerships', lang)}** ({len(partnerships)})")
    bullet_list([f"{r.industry_party} ↔ {r.education_party}" for r in partnerships.head(12).itertuples()],
                more=len(partnerships) - 12)
    table(partnerships, ["industry_party", "education_party", "started", "source_url"])

    level = len(region) - 2
    if level in (0, 1, 2):
        gap, _source = training_data.gap(region[:2], level, scenario)
        gap = gap[(gap["nuts_id"] == region) & (gap["year"] == int(year))]
        if not gap.empty:
            st.markdown(f"**{t('panel.gap_by_role', lang, year=year)}**")
            roles = run("roles")[["role_id", "role"]]
            table(gap.merge(roles, on="role_id", how="left")[["role", "need", "capacity", "gap", "capacity_known"]]
                  .sort_values("need", ascending=False))

    indicators = run("region_indicators", nuts_id=region)
    if indicators.empty:
        st.caption(t("panel.no_indicators", lang))
    else:
        from workforce import region_view

        st.markdown(f"**{t('age.indicator_years', lang)}**")
        table(region_view.latest_indicators(indicators, dt.date.today(), lang),
              ["indicator", "year", "age", "value", "unit", "flag", "status", "source_url"])
    with st.expander(t("panel.sources", lang)):
        import pandas as _pd

        cited = _pd.concat([d[["source_title", "source_url", "as_of"]] for d in (plants, programmes, partnerships,
                                                                                  indicators) if not d.empty])
        sources_footnote(cited, lang, limit=40)


# ---------------------------------------------------------------- presenter mode (pages/present.py)

# A FIXED style string (never user text): hide the sidebar and header, large high-contrast type.
PRESENT_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="collapsedControl"],
header[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1rem !important; max-width: 100% !important; }
[data-testid="stMain"], [data-testid="stAppViewContainer"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem !important; color: #000000 !important; line-height: 1.15 !important; }
[data-testid="stMetricLabel"] p, [class*="st-key-pr_metric"] [data-testid="stMarkdownContainer"] p
{ font-size: 1.3rem !important; color: #111111 !important; }
[data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p
{ font-size: 3.4rem !important; line-height: 1.2 !important; color: #000000 !important; }
.st-key-pr_caption p { font-size: 1.7rem !important; line-height: 1.4 !important; color: #111111 !important; }
.st-key-pr_counter p { font-size: 1.2rem !important; font-weight: 700 !important; color: #000000 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"], [data-testid="stMain"] [data-testid="stCaptionContainer"] p
{ color: #222222 !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stMain"] a, [data-testid="stMain"] [data-testid="stCaptionContainer"] a { color: #0b3d91 !important; }
.bwa-qr { margin: 0; text-align: center; }
.bwa-qr img { width: 100%; max-width: 240px; image-rendering: pixelated; }
.bwa-qr figcaption { color: #222222; font-size: 0.95rem; }
</style>"""

# Keyboard navigation: ← / → (and PageUp / PageDown) click the Prev / Next buttons. Fixed script, no
# user text, no network; re-running replaces the previous listener instead of stacking listeners.
PRESENT_KEYS_JS = """<script>
(function () {
  var doc = document;
  try { if (window.parent && window.parent.document) { doc = window.parent.document; } } catch (e) { doc = document; }
  var win = doc.defaultView || window;
  if (win.__bwaPresentKeys) { doc.removeEventListener('keydown', win.__bwaPresentKeys); }
  win.__bwaPresentKeys = function (e) {
    var el = e.target || {};
    var tag = (el.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable) { return; }
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var key = null;
    if (e.key === 'ArrowRight' || e.key === 'PageDown') { key = 'pr_next'; }
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') { key = 'pr_prev'; }
    if (!key) { return; }
    var btn = doc.querySelector('.st-key-' + key + ' button');
    if (btn && !btn.disabled) { e.preventDefault(); btn.click(); }
  };
  doc.addEventListener('keydown', win.__bwaPresentKeys);
})();
</script>"""


def present_chrome() -> None:
    """Presenter-mode styling and the keyboard listener (both fixed strings)."""
    st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    st.html(PRESENT_KEYS_JS, unsafe_allow_javascript=True)


def context_url() -> str | None:
    """The URL the browser used, when Streamlit knows it (None in tests / older versions)."""
    try:
        return st.context.url
    except Exception:  # noqa: BLE001 - not available outside a browser session
        return None


# ---------------------------------------------------------------- uploads, downloads, permalinks (issue 7)

UPLOADS_KEY = "uploads"  # st.session_state[UPLOADS_KEY][table] = valid uploaded rows (this session only)


def uploads() -> dict[str, pd.DataFrame]:
    """This session's uploaded (valid) rows per table; never shared between sessions."""
    return st.session_state.get(UPLOADS_KEY) or {}


@st.cache_data(show_spinner=False)
def _catalog_table(name: str) -> pd.DataFrame:
    """A whole catalog table (shared catalog data only; never session uploads)."""
    from workforce.schemas import TABLES

    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}")
    with db._LOCK:  # cursor creation on the shared connection, as in db.execute
        cur = db.catalog().cursor()
    try:
        return cur.table(name).df()
    finally:
        cur.close()


def session_frames() -> dict[str, pd.DataFrame]:
    """Catalog table ∪ this session's uploaded rows (uploaded rows replace the same ids)."""
    from workforce import upload

    return {name: upload.merge(_catalog_table(name), df, name) for name, df in uploads().items() if len(df)}


def run(name: str, **query_params) -> pd.DataFrame:
    """db.run with this session's uploads overlaid (uncached when uploads exist)."""
    return db.run(name, frames=session_frames() or None, **query_params)


UPLOAD_RESULTS = "upload_results"  # st.session_state[UPLOAD_RESULTS][box key] = last result shown by that box
EUROSTAT_RESULTS = "eu_last"  # st.session_state[EUROSTAT_RESULTS] = last Eurostat refresh (eurostat_refresh.load)


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
        _upload_box(lang, tables, key)


def _upload_box(lang: str, tables: tuple[str, ...], key: str, help_key: str = "upload.help") -> None:
    from workforce import upload

    st.caption(t(help_key, lang, mb=upload.MAX_BYTES // (1024 * 1024), rows=f"{upload.MAX_ROWS:,}"))
    kind = tables[0]
    if len(tables) > 1:
        kind = st.selectbox(t("upload.kind", lang), tables, key=f"{key}_kind",
                            format_func=lambda k: t(f"upload.kind_{k}", lang))
    file = st.file_uploader(t("upload.file_kind", lang, kind=t(f"upload.kind_{kind}", lang)),
                            type=["csv", "tsv", "txt", "xlsx"], key=f"{key}_file")
    if file is not None and st.session_state.get(f"{key}_done") != (file.file_id, kind):
        st.session_state[f"{key}_done"] = (file.file_id, kind)
        result = {"kind": kind, "name": file.name}
        try:
            df = upload.read_table_file(file.getvalue(), file.name)
        except upload.UploadError as exc:
            result.update(error=str(exc))
        else:
            valid, rejected, messages = upload.validate(df, kind)
            result.update(summary=upload.summary(df, valid, rejected, messages), rejected=rejected)
            _add_upload(kind, valid)
        _set_result(key, result)
    _show_result((st.session_state.get(UPLOAD_RESULTS) or {}).get(key), lang, key)
    current_uploads = uploads()
    if current_uploads:
        st.caption(t("upload.active", lang, tables=", ".join(f"{k} ({len(v)})" for k, v in current_uploads.items())))
        if st.button(t("upload.clear", lang), key=f"{key}_clear"):
            for name in (UPLOADS_KEY, UPLOAD_RESULTS, EUROSTAT_RESULTS):
                st.session_state.pop(name, None)
            st.rerun()


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
    from workforce import export

    if not last:
        return
    if last.get("error"):
        st.error(t("upload.unreadable", lang, name=text.md(last["name"]), error=text.md(last["error"])))
        return
    s = last["summary"]
    box = st.success if s["rejected"] == 0 and s["rows"] else st.warning
    box(t("upload.summary", lang, name=text.md(last["name"]), rows=s["rows"], valid=s["valid"],
          rejected=s["rejected"], kind=t(f"upload.kind_{last['kind']}", lang)))
    for message in s["messages"]:
        st.caption(text.md(message))
    rejected = last["rejected"]
    if len(rejected):
        st.markdown(f"**{t('upload.rejected', lang)}**")
        st.dataframe(rejected, hide_index=True, width="stretch", key=f"{key}_rejected")
        st.download_button(t("upload.download_rejected", lang), export.to_csv_bytes(rejected),
                           file_name=f"rejected_{last['kind']}.csv", mime="text/csv", key=f"{key}_dl_rejected",
                           on_click="ignore")


def eurostat_section(lang: str = "en") -> None:
    """/sources: refresh the regional indicators from the Eurostat API on a button press only (short
    timeout, cached file as fallback); downloaded rows join this session's regional-indicator uploads."""
    from workforce import eurostat_refresh as er

    st.subheader(t("eurostat.title", lang))
    st.caption(t("eurostat.help", lang, seconds=f"{er.TIMEOUT:g}"))
    regions = _catalog_table("regions")
    table(er.bundled(regions), ["dataset", "title", "bundled_indicators", "refreshed_indicators", "bundled_rows",
                                "bundled_years", "bundled_as_of", "cached_copy", "source_url"])
    as_of = er.bundled_as_of(regions) or t("eurostat.undated", lang)
    if st.button(t("eurostat.button", lang), key="eu_fetch", icon=":material/cloud_download:"):
        with st.spinner(t("eurostat.fetching", lang, seconds=f"{er.TIMEOUT:g}")):
            fetches = er.refresh()
            loaded = [er.load(f) for f in fetches]
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
    for u in er.updates(rows, regions):  # say what the refresh updated (or that nothing is newer)
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


def download_menu(fig=None, df: pd.DataFrame | None = None, name: str = "export", provenance: dict | None = None,
                  lang: str = "en") -> None:
    """PNG/SVG/PDF of a figure and CSV/XLSX/Parquet of a table, each with provenance; files are built
    only when clicked (deferred callables), so page reruns stay fast."""
    from workforce import export

    url, scenario = permalink_url(), current().scenario  # captured now: the download runs off-session

    def table_bytes(fmt: str) -> bytes:
        return export.table_bytes(df, fmt, provenance or export.provenance(df, view=name, url=url, scenario=scenario))

    with st.popover(t("download.menu", lang), icon=":material/download:"):
        if fig is not None:
            for fmt, mime in export.FIGURE_FORMATS.items():
                st.download_button(
                    f"{t('download.chart', lang)} {fmt.upper()}", _deferred(export.figure_bytes, fig, fmt),
                    file_name=f"{name}.{fmt}", mime=mime, key=f"dl_{name}_fig_{fmt}", on_click="ignore")
        if df is not None:
            for fmt, mime in export.TABLE_FORMATS.items():
                st.download_button(
                    f"{t('download.table', lang)} {fmt.upper()}", _deferred(table_bytes, fmt),
                    file_name=f"{name}.{fmt}", mime=mime, key=f"dl_{name}_tab_{fmt}", on_click="ignore")


def brief_download(area: str, lang: str = "en") -> None:
    """A 'training-needs brief (PDF)' button for a country or NUTS region; built only when clicked,
    from this session's data (uploads included, captured now because the build runs off-session)."""
    from workforce import export, views

    frames = session_frames() or None
    scenario = current().scenario
    url = permalink_url()

    def build() -> bytes:
        def runner(name: str, **query_params):
            return db.run(name, frames=frames, **query_params)

        title, sections, rows = views.brief_sections(area, runner, scenario=scenario)
        prov = export.provenance(rows, view="brief", url=url, title=title, scenario=scenario)
        return export.brief_pdf(title, sections, prov, subtitle="Battery Workforce Atlas")

    st.download_button(t("download.brief", lang), build, file_name=f"brief_{area}.pdf", mime="application/pdf",
                       key=f"dl_brief_{area}", on_click="ignore", icon=":material/picture_as_pdf:")


def _deferred(func, *args):
    def build() -> bytes:
        return func(*args)

    return build


def _page_paths() -> tuple[str, set[str]]:
    """(url_path of the page being run, url_paths of all pages); ('', set()) when unknown."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        manager = get_script_run_ctx().pages_manager
        pages = manager.get_pages()
        page = pages.get(manager.current_page_script_hash) or {}
        return str(page.get("url_pathname") or ""), {str(p.get("url_pathname") or "") for p in pages.values()} - {""}
    except Exception:  # noqa: BLE001 - internal API; the link then points at the app root
        return "", set()


def current_page_path() -> str:
    """url_path of the page being run ('' for the default page)."""
    return _page_paths()[0]


def permalink_url() -> str:
    """Absolute URL of the current view: app URL + page path + current query parameters."""
    from urllib.parse import urlencode

    from workforce.views import DEFAULT_BASE_URL

    try:
        browser_url = st.context.url
    except Exception:  # noqa: BLE001 - not available outside a browser session
        browser_url = None
    base = (browser_url or DEFAULT_BASE_URL).rstrip("/")
    path, all_paths = _page_paths()
    head, _, last = base.rpartition("/")
    if last in all_paths and "//" in head + "/":  # st.context.url may still end with a page path
        base = head
    query = {k: st.query_params.get_all(k) for k in st.query_params}
    qs = urlencode([(k, v) for k, values in query.items() for v in values])
    return f"{base}/{path}".rstrip("/") + (f"?{qs}" if qs else "")


def permalink(lang: str = "en") -> None:
    """A 'link to this view' box with a copy button (st.code), no external requests."""
    with st.sidebar.expander(t("permalink.label", lang), icon=":material/link:"):
        st.code(permalink_url(), language=None, wrap_lines=True)
        st.caption(t("permalink.help", lang))


def region_metrics(level: int, country: str | None, year: int, scenario: str) -> pd.DataFrame:
    """Forecast (P10/P50/P90 at `year`, `scenario`) beside supply and baseline for every region of `level`.
    Includes this session's uploaded rows; only upload-free results are cached (process-wide)."""
    if session_frames():
        return _region_metrics(level, country, year, scenario, run)
    return _region_metrics_cached(level, country, year, scenario)


@st.cache_data(show_spinner=False, max_entries=128)
def _region_metrics_cached(level: int, country: str | None, year: int, scenario: str) -> pd.DataFrame:
    return _region_metrics(level, country, year, scenario, db.run)


def _region_metrics(level, country, year, scenario, runner) -> pd.DataFrame:
    from workforce import forecast_view, model, region_view

    summary = runner("region_summary", level=level, country=country)
    sim = model.simulate(runner("plants", country=None), forecast_view.make_params(scenario))
    if country:
        sim = model.subset(sim, country)
    pct = model.percentiles(model.aggregate(sim, level)) if not sim.index.empty else pd.DataFrame()
    return region_view.region_metrics(summary, pct, year)


def region_forecast(region: str, scenario: str) -> dict[str, pd.DataFrame]:
    """Sparkline frame (year, P10/P50/P90 jobs and training) and the role split at each year for one region
    (this session's uploads included; only upload-free results are cached)."""
    if session_frames():
        return _region_forecast(region, scenario, run)
    return _region_forecast_cached(region, scenario)


@st.cache_data(show_spinner=False, max_entries=64)
def _region_forecast_cached(region: str, scenario: str) -> dict[str, pd.DataFrame]:
    return _region_forecast(region, scenario, db.run)


def _region_forecast(region, scenario, runner) -> dict[str, pd.DataFrame]:
    from workforce import forecast_view, model

    sim = model.simulate(runner("plants", country=None), forecast_view.make_params(scenario))
    total = model.scope_frame(sim, region)
    roles = runner("roles")
    labels, mix = model.role_mix(roles)
    by_role = (model.split(total.assign(nuts_id=region), labels, mix, bands=model.role_bands(roles)) if labels
               else pd.DataFrame())
    return {"total": total, "by_role": by_role}


def ensure_router() -> None:
    """Make sure pages run through app.py's st.navigation (shared sidebar, filters, URL sync).

    Streamlit still has its legacy "pages/ folder" runner: in a fresh server process, until some
    session has called st.navigation, a deep link such as /regions runs pages/regions.py on its
    own. Every page calls this first. A run started by that legacy runner (`_mpa_v1` on the stack)
    switches the legacy mode off and reruns, so the request goes through app.py and lands on the
    same page. Under AppTest (which re-enables the legacy runner before every run) a rerun would
    swallow widget events such as button clicks, so there the page simply goes on with the session's
    filters (sidebar widgets rendered from a legacy run would get new ids and reset the filters).
    """
    import inspect

    from streamlit.runtime.pages_manager import PagesManager

    if not PagesManager.uses_pages_directory:
        return
    if not any(frame.function == "_mpa_v1" for frame in inspect.stack(context=0)):
        PagesManager.uses_pages_directory = False  # already routed by app.py's st.navigation
        return
    if _in_apptest():
        return  # the session's filters (parsed on its first run) still apply; no sidebar widgets here
    PagesManager.uses_pages_directory = False
    st.rerun()


def _in_apptest() -> bool:
    """True inside streamlit.testing's AppTest, whose runtime is a MagicMock."""
    from unittest.mock import MagicMock, NonCallableMagicMock

    from streamlit.runtime import Runtime

    return isinstance(getattr(Runtime, "_instance", None), (MagicMock, NonCallableMagicMock))


# ---------------------------------------------------------------- shared figures (issue 9)

def shared_figure(key: tuple, build):
    """`build()` (a figure from catalog data) once per process per `key`, shared read-only between sessions.

    `key` names everything the figure depends on (view, filters, language) in small values: hashing them
    costs microseconds, hashing the input frames would cost milliseconds. A figure is the most expensive
    thing on a page (validation, hover text per row) and identical for every viewer of a view, so a seminar
    room opening one link builds it once. Streamlit copies a figure when it sends it; callers must not
    mutate the result. With uploads in this session the figure is built for this session only (uploads
    never enter a shared cache)."""
    if uploads():
        return build()
    return _shared_figure(key, build)


@st.cache_resource(show_spinner=False, max_entries=256)
def _shared_figure(key: tuple, _build):
    return _build()


def region_map(f: params.Filters, metric: str, layers, data: pd.DataFrame):
    """The /regions choropleth of `metric` (region_view.METRICS) for `data` (ui.region_metrics of the same
    filters) with the chosen layers ("plants", "providers"); one figure per view, shared between viewers."""
    from workforce import region_view

    spec, lang, layers = region_view.METRICS[metric], f.lang, tuple(layers or ())
    shapes = geometry_for(f.level, data["nuts_id"].tolist())
    context = geometry_for(f.level, run("region_summary", level=f.level, country=None)["nuts_id"].tolist()) \
        if f.country else None

    def build():
        today = dt.date.today()
        fig = charts.choropleth(shapes, data, spec.column, region_view.metric_label(metric, data, lang, today),
                                view_for(f.country), diverging=spec.diverging, context=context,
                                uncertain=data.loc[data["uncertain"], "nuts_id"].tolist(),
                                uncertain_label=t("regions.uncertain_legend", lang),
                                notes=region_view.hover_notes(data, metric, lang, today))
        if "plants" in layers:
            charts.add_plants(fig, run("plants", country=f.country), lang=lang)
        if "providers" in layers:
            charts.add_providers(fig, run("programmes", country=f.country), name=t("regions.layer_providers", lang))
        return fig

    if not shapes["features"]:  # geometry unavailable (banner shown): never cache the fallback
        return build()
    return shared_figure(("regions", f.level, f.country, f.year, f.scenario, metric, layers, lang), build)
