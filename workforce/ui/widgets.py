"""Small shared building blocks: tables with source links, source footnotes, badges, lists, numbers."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from workforce import text
from workforce.i18n import t
from workforce.ui import tables_later
from workforce.ui.filters import current
from workforce.views.pipeline_view import JOBS_SCOPE_TEXT
from workforce.views.region_table import EUROSTAT_UNITS


def sources_footnote(df: pd.DataFrame, lang: str = "en", limit: int = 12) -> None:
    """A caption listing the distinct sources behind the rows shown."""
    if df.empty or "source_title" not in df.columns:
        return
    cols = [c for c in ("source_title", "source_url", "as_of") if c in df.columns]
    every = df[cols].drop_duplicates()
    distinct = every.head(limit)
    parts = []
    for row in distinct.itertuples(index=False):
        link = text.md_link(getattr(row, "source_title", None), getattr(row, "source_url", None))
        as_of = getattr(row, "as_of", None)
        parts.append(f"{link} ({text.md(as_of)})" if isinstance(as_of, str) and as_of else link)
    more = len(every) - len(distinct)
    suffix = f" … {t('sources.more', lang, n=more)}" if more > 0 else ""
    st.caption(f"{t('sources.label', lang)}: " + "; ".join(parts) + suffix)


def source_columns(lang: str | None = None) -> dict:
    lang = lang or current().lang
    return {
        "source_url": st.column_config.LinkColumn(t("col.source_url", lang), display_text=t("col.link", lang)),
        "source_title": st.column_config.TextColumn(t("col.source_title", lang)),
        "as_of": st.column_config.TextColumn(t("col.as_of", lang)),
    }



PROVENANCE = ("value.provenance.",)
# column: catalogue prefixes of its values, tried in order (a status is a plant lifecycle or a provenance)
ENUM_COLUMNS = {"status": ("present.status.", *PROVENANCE), "plant_status": ("present.status.",),
                "mode": ("present.mode.",), "gap_class": ("gap_class.",), "supply_status": PROVENANCE,
                "supply_modelled_status": PROVENANCE, "population_status": PROVENANCE, "provenance": PROVENANCE,
                "evidence": PROVENANCE, "basis": ("value.basis.",), "measure": ("value.measure.",),
                "capacity_scope": ("value.scope.",), "jobs_scope": ("value.scope.",),
                "jobs_target_scope": ("value.scope.",), "unit": ("value.unit.",), "segment": ("value.segment.",),
                "flag": ("value.flag.",), "freshness_risk": ("freshness.risk.",)}
MISSING = "—"  # a table's empty cell (Streamlit writes "None", read as a value: no employment figure, not zero)
DATE_COLUMNS = ("as_of",)  # when a source was published or last checked (text): empty = undated
# columns of Eurostat indicator ids (one, or a ", " list): named in fi/hu/de; English keeps the ids
INDICATOR_COLUMNS = ("indicator", "indicators", "bundled_indicators", "refreshed_indicators")
UNCERTAINTY = {"announced plans only": "uncertainty.announced_only", "small numbers": "uncertainty.small"}
# values written as prose in the data/model -> their key suffix: headline units (data/headlines) and the
# measures of model.risk
ALIASES = {"jobs (high end)": "jobs_high", "jobs (low end)": "jobs_low", "people (total target)": "people_target",
           "workers (total target)": "workers_target", "learners (cumulative)": "learners_cumulative",
           "share of the 800000 workers": "share_of_800k", "cell capacity (GWh/yr)": "cell_gwh",
           "all capacity in GWh/yr": "all_gwh", "all capacity in kt/yr": "all_kt",
           "full-output jobs (announced or modelled, central)": "full_output_jobs",
           # jobs scopes in words (pipeline_view.JOBS_SCOPE_TEXT: /sources "what changed") and Eurostat units
           **{text: scope for scope, text in JOBS_SCOPE_TEXT.items()}, **EUROSTAT_UNITS}
_DATED = re.compile(r"(.+?) (\(\d{4}-\d{2}(?:-\d{2})?\))")


def enum_text(value, prefixes: tuple[str, ...], lang: str):
    """A machine value of an ENUM_COLUMNS column in `lang` ("under construction" and "under_construction" alike;
    a dated value "operating (2025-09-26)" keeps its date); the value itself when no key knows it."""
    from workforce import i18n

    if not isinstance(value, str) or not value:
        return value
    known = i18n.catalogue("en")
    for v in (value, value.replace(" ", "_"), ALIASES.get(value, "")):
        for prefix in prefixes:
            if prefix + v in known:
                return t(prefix + v, lang)
    if m := _DATED.fullmatch(value):
        head = enum_text(m[1], prefixes, lang)
        return f"{head} {m[2]}" if head != m[1] else value
    if "+" in value:  # flags together ("stale+past_due"): each in `lang`, when every one is known
        parts = [enum_text(part, prefixes, lang) for part in value.split("+")]
        if all(a != b for a, b in zip(parts, value.split("+"))):
            return "; ".join(parts)
    return value


def display_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """On-screen copy of a table: plant status, provenance, mode, model basis and measure values in `lang`, the
    English freshness label translated (downloads keep the machine values)."""
    from workforce import i18n
    from workforce.views import pipeline_view

    known = i18n.catalogue("en")
    out = None
    for col, prefixes in ENUM_COLUMNS.items():
        if col in df.columns and df[col].map(lambda v: isinstance(v, str)).any():
            out = df.copy() if out is None else out
            out[col] = out[col].map(lambda v, p=prefixes: enum_text(v, p, lang))
    for col in INDICATOR_COLUMNS if lang != "en" else ():
        if col in df.columns:
            out = df.copy() if out is None else out
            out[col] = out[col].map(lambda v: ", ".join(enum_text(x, ("value.indicator.",), lang) for x in v.split(", "))
                                    if isinstance(v, str) and v else v)
    if "dataset" in df.columns and lang != "en":  # catalog tables named, their SQL name kept: "Kohteet (plants)"
        out = df.copy() if out is None else out
        out["dataset"] = out["dataset"].map(lambda v: f"{t('value.dataset.' + v, lang)} ({v})"
                                            if isinstance(v, str) and "value.dataset." + v in known else v)
    if "language" in df.columns:
        from workforce.i18n import language_names

        out = df.copy() if out is None else out
        out["language"] = out["language"].map(lambda v: language_names(v, lang))
    if "uncertainty" in df.columns and lang != "en":
        out = df.copy() if out is None else out
        out["uncertainty"] = out["uncertainty"].map(
            lambda v: "; ".join(t(UNCERTAINTY[p], lang) if p in UNCERTAINTY else p for p in v.split("; "))
            if isinstance(v, str) and v else v)
    if "freshness" in df.columns and lang != "en":
        out = df.copy() if out is None else out
        out["freshness"] = out["freshness"].map(lambda v: pipeline_view.freshness_in(v, lang))
    for col in DATE_COLUMNS:  # a source without a date says so ("None" read as a value)
        if (col in df.columns and df[col].isna().any()
                and df[col].dropna().map(lambda v: isinstance(v, str)).all()):
            out = df.copy() if out is None else out
            out[col] = out[col].astype(object).where(out[col].notna(), t("value.undated", lang))
    return df if out is None else out


def whole_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Float columns whose every value is a whole number (up to float noise, relative 1e-6: 5199.9998 is 5200)
    as integers, so tables show "64" and "5,200", never "64.0" or "5199.9998". Other columns are untouched."""
    import numpy as np

    out = None
    for col in df.columns:
        values = df[col]
        if not pd.api.types.is_float_dtype(values):
            continue
        v = values.to_numpy(dtype="float64", na_value=np.nan)
        known = v[np.isfinite(v)]
        if len(known) == 0 or np.abs(known).max() >= 2**53:
            continue
        if np.all(np.abs(known - np.round(known)) <= 1e-6 * np.maximum(1.0, np.abs(known))):
            out = df.copy() if out is None else out
            out[col] = pd.array(np.where(np.isfinite(v), np.round(v), np.nan), dtype="Float64").astype("Int64")
    return df if out is None else out


COORDINATES = frozenset({"lat", "lon", "latitude", "longitude"})  # shown as given: a decimal is ≈ 10 km
# Counts of people, jobs and places (modelled ones are fractional: 8 827.3074 jobs): shown as whole numbers
PEOPLE_COLUMN = re.compile(r"(jobs|training|need|supply|gap|allocated|pool|people|places)(_.*)?")
NOT_PEOPLE = re.compile(r"per_|share|pct|ratio|_year|_km|_gwh|_kt")


def shown_step(name: str, values: pd.Series) -> float | None:
    """The display step of a column of fractional numbers (Streamlit shows up to four decimals: "7333.0335"
    modelled jobs): 1 for a count of people, jobs or places (PEOPLE_COLUMN) and for any column whose typical
    magnitude (the median of its non-zero values) is 100 or more; 0.1 from 10; None below (shares, ratios and small
    capacities keep Streamlit's decimals, so 0.2 GWh is never shown as 0). The values are not rounded: downloads
    and the frame keep them as they are."""
    import numpy as np

    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    known = np.abs(v[np.isfinite(v) & (v != 0)])
    if len(known) == 0:
        return None
    if PEOPLE_COLUMN.fullmatch(name) and not NOT_PEOPLE.search(name):
        return 1.0
    typical = float(np.median(known))
    return 1.0 if typical >= 100 else 0.1 if typical >= 10 else None


# A column of years, not of counts: "year", "start", "start_year", "pool_year", "newest_year" (never grouped: "2,030");
# "capacity_per_year" is a count of places
YEAR_COLUMN = re.compile(r"(?!.*per_)(.*_)?(year|start|end|since|until)|(.*_)?id")


def grouped_format(lang: str) -> str:
    """Streamlit's printf-style number format (sprintf-js) for a whole number with `lang`'s group sign, as
    i18n.fmt_number writes it: "1,234,567" in English, "1.234.567" in German, "1 234 567" (a no-break space) in
    Finnish and Hungarian. A table column's "localized" format would follow the browser's language, not the
    atlas's: a German page in an English browser would read "12,345" — twelve point three four five."""
    from babel.numbers import get_group_symbol

    from workforce.i18n import _locale

    sign = get_group_symbol(_locale(lang))
    return "%,.0f" if sign == "," or len(sign) != 1 or sign in "%$" else f"%'{sign},.0f"


def _years(name: str, values: pd.Series) -> bool:
    """Whether a numeric column holds years (or ids): by its name (YEAR_COLUMN), or, for a column that is not a
    count of people (PEOPLE_COLUMN), by its values — every one a whole number from 1800 to 2100."""
    if YEAR_COLUMN.fullmatch(name.lower()):
        return True
    if PEOPLE_COLUMN.fullmatch(name) and not NOT_PEOPLE.search(name):
        return False
    v = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(v)) and bool(((v % 1 == 0) & (v >= 1800) & (v <= 2100)).all())


def number_columns(df: pd.DataFrame, lang: str, labels: dict | None = None, config: dict | None = None) -> dict:
    """Streamlit column configs for the numbers of an on-screen table: whole numbers (integer columns, fractional
    counts shown whole by `shown_step`, and given "%.0f" formats) with `lang`'s group sign (`grouped_format`;
    years and ids without one); other fractional numbers to a precision that suits their size (`shown_step`).
    `labels` are the headers ({column: text}) the configs carry; `config` the caller's own, which win (a "%.0f"
    in them gets the group sign). Values are not changed: downloads stay exact and machine-readable."""
    labels, config, out = labels or {}, config or {}, {}
    whole = grouped_format(lang)
    for c in df.columns:
        if not isinstance(c, str) or c.lower() in COORDINATES:
            continue
        given = config.get(c)
        if given is not None:
            number = given.get("type_config") if isinstance(given, dict) else None
            if isinstance(number, dict) and number.get("format") == "%.0f" and not _years(c, df[c]):
                out[c] = {**given, "type_config": {**number, "format": whole}}
            continue
        values = df[c]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        step = shown_step(c, values) if pd.api.types.is_float_dtype(values) else None
        if (pd.api.types.is_integer_dtype(values) or step == 1.0) and not _years(c, values):
            out[c] = st.column_config.NumberColumn(labels.get(c), step=step, format=whole)
        elif step is not None:
            out[c] = st.column_config.NumberColumn(labels.get(c), step=step)
    return out


def table(df: pd.DataFrame, columns: list[str] | None = None, height: int | None = None, **config) -> None:
    """A page table: whole numbers as integers with the language's group sign (`number_columns`), other numbers to
    a precision that suits their size (`shown_step`: Streamlit shows a float with up to four decimals, "7333.0335"
    modelled jobs), headers (col.*), statuses and freshness in the viewer's language; the frame keeps its raw column
    names and values (downloads stay machine-readable and exact)."""
    from workforce.i18n import column_label

    if tables_later.hold(len(df), height):
        return
    lang = current().lang
    shown = display_frame(whole_numbers(df[columns] if columns else df), lang)
    config = {name: ({**c, "label": label} if isinstance(c, dict) and not c.get("label")
                     and (label := column_label(name, lang)) != name else c) for name, c in config.items()}
    labels = {c: label for c in shown.columns
              if isinstance(c, str) and c not in config and (label := column_label(c, lang)) != c}
    config.update(number_columns(shown, lang, labels, config))
    st.dataframe(shown, hide_index=True, column_config={**labels, **source_columns(lang), **config},
                 height=height or "auto", width="stretch", placeholder=MISSING)


# Every page's numbers whole (issue 19's browser sweep, 2026-12-07): Streamlit draws a metric's value at 2.25rem and
# cuts what does not fit with "…", so at 1 280–1 400 px the overview's three "what the pipeline supports" cards
# showed "29,8…". A metric card is a size container: its value is at most a fifth of the card's width (a
# 9-character figure such as 4,000,000 is ≈ 4 em wide) and never above Streamlit's size; a value with spaces (a
# P10–P90 range) and the label wrap instead of being cut. Presenter mode sets its own sizes (presenter.PRESENT_CSS,
# !important), also at most a fifth of the card.
WORDS_KEY = "upwords_"  # key prefix of an upload box's words element (ui.uploads._uploader_words): hidden below
APP_CSS = """<style>
[data-testid="stMetric"] { container-type: inline-size; }
[data-testid="stMetric"] [data-testid="stMetricValue"] { font-size: clamp(0.8rem, 20cqi, 2.25rem); }
[data-testid="stMetric"] [data-testid="stMetricValue"] * { white-space: normal; overflow-wrap: normal; word-break: normal; }
[class*="st-key-wrap_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]
{ min-width: min(100%, 22rem); }
[class*="st-key-wrap8_"] > [data-testid="stLayoutWrapper"] > [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]
{ min-width: min(100%, 8rem); }
[data-testid="stMetric"] [data-testid="stMetricLabel"] p, [data-testid="stMetric"] [data-testid="stMetricLabel"] div
{ white-space: normal; overflow: visible; text-overflow: clip; }
""" + f'[class*="st-key-{WORDS_KEY}"] {{ display: none; }}' + """
</style>"""


WRAP_REM = {22: "wrap_", 8: "wrap8_"}  # a wide_columns column's least width (rem) -> its container's key prefix


def wide_columns(key: str, spec, least_rem: int = 22, **kwargs) -> list:
    """`st.columns(spec)` that wrap onto more rows where the page is too narrow for them side by side (a column
    narrower than `least_rem`, 22rem ≈ 350 px for a chart or a panel, 8rem for a filter; APP_CSS): at 1 024 px with
    the sidebar open the overview's claim cards broke "4.000.000" over two lines beside a bridge whose labels were
    cut, /forecast's fan charts were ≈ 270 px wide and /training's five filters ≈ 100 px ("Choose o…").
    Streamlit stacks columns only below 640 px of window."""
    with st.container(key=f"{WRAP_REM[least_rem]}{key}"):
        return st.columns(spec, **kwargs)


UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx")  # what every upload box reads (ui/uploads.py)
# and what it also takes, so that the reader can say what to do with an old Excel or an OpenDocument file in the
# page's language (Streamlit refuses other extensions itself, in English, before the file reaches the reader)
UPLOAD_ACCEPTS = (*UPLOAD_TYPES, "xls", "ods")


def app_css() -> None:
    """The app's few style rules (APP_CSS), once per page run, in the sidebar (they apply to the whole page)."""
    st.sidebar.html(APP_CSS)


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
