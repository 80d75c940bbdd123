"""Downloads room: CSV buttons, the figure/table download menu and the training-needs brief (built on click)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import db
from workforce.i18n import t
from workforce.session import session_frames
from workforce.ui.filters import current, permalink_url


def csv_download(df: pd.DataFrame, name: str, lang: str = "en") -> None:
    from workforce import export

    st.download_button(t("download.csv", lang), _deferred(export.to_csv_bytes, df), file_name=f"{name}.csv",
                       mime="text/csv", key=f"dl_csv_{name}", on_click="ignore")


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
    """A 'training-needs brief (PDF)' button for a country or NUTS region, in the viewer's language; built only
    when clicked, from this session's data (uploads included, captured now because the build runs off-session)."""
    from workforce.views import brief

    frames = session_frames() or None
    scenario, year = current().scenario, current().year
    url = permalink_url()

    def build() -> bytes:
        def runner(name: str, **query_params):
            return db.run(name, frames=frames, **query_params)

        return brief.pdf(area, runner, lang, scenario=scenario, year=year, url=url)

    st.download_button(t("download.brief", lang), build, file_name=f"brief_{area}_{lang}.pdf",
                       mime="application/pdf", key=f"dl_brief_{area}", on_click="ignore",
                       icon=":material/picture_as_pdf:")


def _deferred(func, *args):
    def build() -> bytes:
        return func(*args)

    return build
