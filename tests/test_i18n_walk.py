"""Issue 21 part 3: a Finnish, Hungarian or German user walking every page sees no English leftovers.

Fails on (per page, per language):
- shown text (headings, markdown, captions, labels, alerts) equal to an English catalogue value whose
  translation differs;
- a table header that is snake_case or equals an English catalogue value whose translation differs;
- figure text (title, axis titles, legend entries, colour-bar titles) that is snake_case, equal to an English
  catalogue value whose translation differs, or a raw column name written with spaces ("jobs p50");
- a table cell equal to an English catalogue value whose translation differs (a status, a role name, a
  segment, a dataset shown in English);
- a widget option (select box, multiselect, radio, pills) shown in English the same way.

The helpers (`english_leftovers`, `table_headers`, `figure_texts`, `leftovers_in`) take plain strings/frames so the
PDF and PPTX checks (tests/test_i18n_exports.py) can reuse them.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import chart_specs
from tests.test_no_raw_keys import PAGES, shown_texts
from tests.test_pages import open_page
from workforce import i18n

LANGS = ("fi", "hu", "de")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
# English words that are the same in a language (e.g. "Status" in German) are not leftovers: only values whose
# translation differs count; very short values ("P50", "EU") are not words.
MIN_LEN = 4


def english_only(lang: str) -> dict[str, str]:
    """English catalogue text (normalised) -> its key, for every key whose `lang` translation differs."""
    en, other = i18n.catalogue("en"), i18n.catalogue(lang)
    out = {}
    for key, text in en.items():
        if "{" in text or key not in other:
            continue
        norm = _norm(text)
        if len(norm) >= MIN_LEN and re.search(r"[A-Za-z]{3}", norm) and _norm(other[key]) != norm:
            out[norm] = key
    # a value equal to some translation in this language (e.g. a word shared by both) is not a leftover
    for text in other.values():
        out.pop(_norm(text), None)
    return out


def _norm(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", str(text))
    return re.sub(r"\s+", " ", text.strip().strip("*#_:·• ")).strip().casefold()


def raw_column_names() -> set[str]:
    """Column names that have a display label (col.<name> / present.col.<name>), spelled with spaces."""
    names = {k.split(".", 1)[1] for k in i18n.catalogue("en") if k.startswith("col.")}
    names |= {k.split(".", 2)[2] for k in i18n.catalogue("en") if k.startswith("present.col.")}
    return {n.replace("_", " ") for n in names if "_" in n}


def labelled_raw_names() -> set[str]:
    """Raw column names (any, also one word like "reason") that have a display label different from the name."""
    en = i18n.catalogue("en")
    names = {k.split(".", 1)[1] for k in en if k.startswith("col.")}
    names |= {k.split(".", 2)[2] for k in en if k.startswith("present.col.")}
    return {n for n in names if i18n.column_label(n, "en") != n}


def english_leftovers(texts, lang: str) -> list[str]:
    """Texts equal to an English catalogue value whose `lang` translation differs."""
    english = english_only(lang)
    return sorted({str(t) for t in texts if _norm(t) in english})


def leftovers_in(texts, lang: str, headers: bool = False) -> list[str]:
    """English leftovers plus (for headers, figure text) snake_case names and raw column names with spaces."""
    found = set(english_leftovers(texts, lang))
    raw, labelled = raw_column_names(), labelled_raw_names()
    for text in texts:
        norm = str(text).strip()
        if headers and SNAKE_RE.match(norm):
            found.add(norm)
        if headers and (norm.casefold() in raw or norm in labelled):  # a raw name shown instead of its label
            found.add(norm)
    return sorted(found)


def table_headers(at: AppTest) -> list[str]:
    """The header of every shown table column: its column_config label, else the frame's column name."""
    headers = []
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        hidden = {name for name, c in config.items() if isinstance(c, dict) and c.get("hidden")}
        order = list(frame.proto.column_order) or None
        df = frame.value
        for col in df.columns:
            name = str(col)
            if name in hidden or (order and name not in order):
                continue
            c = config.get(name) or config.get(f"_pos:{list(df.columns).index(col)}") or {}
            headers.append(str(c.get("label") or name) if isinstance(c, dict) else name)
    return headers


def table_cells(at: AppTest) -> set[str]:
    """Every distinct text cell of the shown tables (numbers, dates and booleans left out)."""
    cells = set()
    for frame in at.dataframe:
        df = frame.value
        for col in df.columns:
            if df[col].dtype.kind not in "iufMmb":
                cells |= {str(v) for v in df[col].dropna().unique()}
    return cells


def widget_options(at: AppTest) -> set[str]:
    """The options shown by select boxes, multiselects, radios, select sliders and button groups."""
    options = set()
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "button_group"):
        for widget in at.get(kind):
            options |= {str(o) for o in (getattr(widget, "options", None) or [])}
    return options


def figure_texts(figure: dict) -> list[str]:
    """Title, axis titles, legend entries (trace names shown in the legend) and colour-bar titles of a Plotly
    figure dict (plotly JSON)."""
    layout = figure.get("layout") or {}
    out = []

    def title(obj):
        t = (obj or {}).get("title")
        text = t.get("text") if isinstance(t, dict) else t
        if text:
            out.append(str(text))

    title(layout)
    for key, value in layout.items():
        if re.match(r"^[xy]axis\d*$", key):
            title(value)
        if key.startswith("coloraxis"):
            title((value or {}).get("colorbar"))
    title(layout.get("legend"))
    for trace in figure.get("data") or []:
        if trace.get("name") and trace.get("showlegend", True) is not False:
            out.append(str(trace["name"]))
        title(trace.get("colorbar"))
        title((trace.get("marker") or {}).get("colorbar"))
    return out


def page_figures(at: AppTest) -> list[dict]:
    return chart_specs(at)


def walk(at: AppTest, lang: str) -> dict[str, list[str]]:
    """English leftovers on an opened page, by kind."""
    figures = [t for fig in page_figures(at) for t in figure_texts(fig)]
    return {"text": leftovers_in(shown_texts(at), lang),
            "headers": leftovers_in(table_headers(at), lang, headers=True),
            "figures": leftovers_in(figures, lang, headers=True),
            "cells": english_leftovers(table_cells(at), lang),
            "options": english_leftovers(widget_options(at), lang)}


def test_helpers_find_leftovers():
    en = i18n.catalogue("en")
    key = next(k for k in en if k.startswith("present.status.") and i18n.t(k, "fi") != en[k])
    assert leftovers_in([en[key], i18n.t(key, "fi")], "fi") == [en[key]]
    assert leftovers_in(["jobs_p50", "Jobs p50", "Vuosi"], "fi", headers=True) == ["Jobs p50", "jobs_p50"]
    assert leftovers_in(["reason", "Peruste"], "fi", headers=True) == ["reason"]  # one-word raw name with a label
    fig = {"layout": {"title": {"text": "T"}, "xaxis": {"title": {"text": "X"}},
                      "coloraxis": {"colorbar": {"title": {"text": "C"}}}},
           "data": [{"name": "L"}, {"name": "hidden", "showlegend": False}, {"marker": {"colorbar": {"title": "M"}}}]}
    assert figure_texts(fig) == ["T", "X", "C", "L", "M"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_english_leftovers_on_page(page, lang):
    at = open_page(page, lang=lang)
    found = {kind: items for kind, items in walk(at, lang).items() if items}
    assert not found, f"{page} in {lang} shows English: {found}"


# page states beyond the first view: a region's story, the regional filter, the stacked-by-segment chart
STATES = [("training", {"region": "HU32"}), ("partnerships", {"region": "HU32"}),
          ("forecast", {"by": "segment", "country": "HU"}), ("regions", {"metric": "gap_per_100k", "country": "HU"})]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page,query", STATES, ids=[f"{p}-{'-'.join(q.values())}" for p, q in STATES])
def test_no_english_leftovers_in_page_states(page, query, lang):
    at = open_page(page, lang=lang, **query)
    found = {kind: items for kind, items in walk(at, lang).items() if items}
    assert not found, f"{page}?{query} in {lang} shows English: {found}"


@pytest.mark.parametrize("lang", LANGS)
def test_region_panel_and_country_filter(lang):
    at = open_page("regions", lang=lang, region="HU32", country="HU")
    found = {kind: items for kind, items in walk(at, lang).items() if items}
    assert not found, f"/regions?region=HU32 in {lang} shows English: {found}"
