"""Small shared building blocks: tables with source links, source footnotes, badges, lists, numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workforce import text
from workforce.i18n import t
from workforce.ui.filters import current


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


def source_columns(lang: str | None = None) -> dict:
    from workforce.i18n import column_label

    lang = lang or current().lang
    return {
        "source_url": st.column_config.LinkColumn(column_label("source_url", lang), display_text="link"),
        "source_title": st.column_config.TextColumn(column_label("source_title", lang)),
        "as_of": st.column_config.TextColumn(column_label("as_of", lang)),
    }


def table(df: pd.DataFrame, columns: list[str] | None = None, height: int | None = None, **config) -> None:
    """A table whose headers are the localised display names (`i18n.column_label`, keys `col.<name>`); the
    frame keeps its raw column names (downloads stay machine-readable)."""
    from workforce.i18n import column_labels

    from workforce.i18n import freshness_text

    shown = df[columns] if columns else df
    lang = current().lang
    if "freshness" in shown.columns and lang != "en":
        shown = shown.assign(freshness=shown["freshness"].map(lambda v: freshness_text(v, lang)))
    labels = column_labels(shown.columns, lang)
    config = {name: ({**c, "label": labels[name]} if isinstance(c, dict) and not c.get("label") and name in labels
                     else c) for name, c in config.items()}
    labels = {name: label for name, label in labels.items() if name not in config}
    st.dataframe(shown, hide_index=True, column_config={**labels, **source_columns(lang), **config},
                 height=height or "auto", width="stretch")


def assumption_badge(lang: str = "en") -> None:
    st.caption("⚠️ " + t("assumption.badge", lang))


def fmt_number(value, digits: int = 0, lang: str | None = None) -> str:
    """Locale-formatted number (Babel); `lang` defaults to the current filter language."""
    from workforce import i18n

    return i18n.fmt_number(value, lang or current().lang, digits)


def sources_markdown(part: str = "body") -> str:
    """data/SOURCES.md, shown on the sources page (our own committed text): `body` = the sections about the
    data (from the first `## ` heading), `build` = the opening build notes (for contributors, not readers)."""
    from workforce import DATA_DIR

    path = DATA_DIR / "SOURCES.md"
    full = path.read_text(encoding="utf-8") if path.is_file() else ""
    head, sep, rest = full.partition("\n## ")
    if part == "build":
        return head
    return ("## " + rest) if sep else full


def bullet_list(items: list[str], more: int = 0) -> None:
    """A short markdown list of data text (escaped): readable by people and screen readers."""
    if not items:
        return
    lines = [f"- {text.md(item)}" for item in items]
    if more > 0:
        lines.append(f"- … (+{more})")
    st.markdown("\n".join(lines))
