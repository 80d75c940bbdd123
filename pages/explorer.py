"""/explorer — read-only SQL over a sandboxed copy of the catalog: schema, query, history, chart, CSV."""

import pandas as pd
import streamlit as st

from workforce import export, text, ui
from workforce.i18n import t
from workforce.views import explorer

ui.ensure_router()

f = ui.current()
lang = f.lang
SHOW_ROWS = 10_000
HISTORY = 20
EXAMPLE = "select country, count(*) as sites, sum(jobs_announced) as jobs\nfrom plants\ngroup by country\norder by jobs desc"

st.title(t("explorer.title", lang))
st.markdown(t("explorer.intro", lang))

state = st.session_state
state.setdefault("sql_text", EXAMPLE)
state.setdefault("sql_history", [])


def _use(query: str) -> None:
    state["sql_text"] = query


with st.expander(t("explorer.schema", lang)):
    schema = explorer.schema()
    for table, cols in schema.groupby("table_name", sort=True):
        st.markdown(f"**{text.md(table)}**: " + ", ".join(
            f"{text.md(c)} ({text.md(d)})" for c, d in zip(cols["column_name"], cols["data_type"], strict=True)))

st.text_area(t("explorer.query", lang), key="sql_text", height=160)
if st.button(t("explorer.run", lang), type="primary", key="sql_run"):
    query = state["sql_text"]
    try:
        df, truncated = explorer.query(query, max_rows=SHOW_ROWS)
        state["sql_result"] = {"sql": query, "df": df, "truncated": truncated, "error": None}
    except explorer.SandboxError as exc:
        state["sql_result"] = {"sql": query, "df": None, "truncated": False, "error": str(exc)}
    history = [q for q in state["sql_history"] if q != query]
    state["sql_history"] = [query, *history][:HISTORY]

result = state.get("sql_result")
if result and result["error"]:
    st.error(text.md(result["error"]))
elif result:
    df: pd.DataFrame = result["df"]
    st.caption(t("explorer.rows", lang, n=ui.fmt_number(len(df))))
    if result["truncated"]:
        st.warning(t("explorer.truncated", lang, n=ui.fmt_number(SHOW_ROWS)))
    st.dataframe(df, hide_index=True, width="stretch")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    if len(df.columns) >= 2 and numeric and not df.empty:
        st.subheader(t("explorer.chart", lang))
        c1, c2 = st.columns(2)
        x = c1.selectbox(t("explorer.x", lang), list(df.columns), key="sql_x")
        y = c2.selectbox(t("explorer.y", lang), [c for c in numeric if c != x] or numeric, key="sql_y")
        if x != y:
            chart_df = df[[x, y]].head(1_000).copy()
            chart_df.columns = ["x", "y"]  # user column names may hold chart-spec characters
            st.bar_chart(chart_df, x="x", y="y", x_label=str(x), y_label=str(y))

    sql = result["sql"]

    def _export() -> bytes:
        if not result["truncated"]:
            return export.to_csv_bytes(df)
        try:
            full, _ = explorer.query(sql, max_rows=explorer.EXPORT_MAX_ROWS)
        except explorer.SandboxError as exc:
            full = pd.DataFrame({"error": [str(exc)]})
        return export.to_csv_bytes(full)

    st.download_button(t("explorer.download", lang, n=ui.fmt_number(explorer.EXPORT_MAX_ROWS)), _export,
                       file_name="query.csv", mime="text/csv", key="sql_download")

if state["sql_history"]:
    st.subheader(t("explorer.history", lang))
    for i, past in enumerate(state["sql_history"]):
        st.button(text.md(past[:120]), key=f"sql_hist_{i}", on_click=_use, args=(past,), type="tertiary")
