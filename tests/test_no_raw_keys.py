"""Every page in every non-English language shows no raw catalogue key (e.g. 'overview.title')."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import open_page
from workforce import ROOT, i18n

LANGS = ("fi", "hu", "de")
KEY_RE = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)+")
WHOLE_RE = re.compile(r"^[a-z_]+\.[a-z0-9_.]+$")
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.startswith("_"))


def shown_texts(at: AppTest) -> list[str]:
    """Titles, headers, markdown, captions, metric labels, widget labels, expander/tab labels, alerts."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [str(e.value) for e in at.get(kind)]
    texts += [m.label for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio", "select_slider", "slider", "text_input", "text_area",
                 "number_input", "checkbox", "toggle", "button", "date_input", "button_group", "download_button"):
        texts += [str(getattr(w, "label", "") or "") for w in at.get(kind)]
    texts += [str(getattr(e, "label", "") or "") for e in at.get("expander")]
    texts += [str(getattr(e, "label", "") or "") for e in at.get("tab")]
    return texts


def raw_keys(texts: list[str], keys: set[str]) -> list[str]:
    """Catalogue keys shown as text, and whole texts shaped like a key of a known namespace (a key used
    in code but never added to en.yaml)."""
    namespaces = {k.split(".")[0] for k in keys}
    found = []
    for text in texts:
        stripped = text.strip().strip("*#_ ")
        if stripped in keys or (WHOLE_RE.match(stripped) and stripped.split(".")[0] in namespaces):
            found.append(stripped)
        found += [m for m in KEY_RE.findall(text) if m in keys]
    return sorted(set(found))


def test_helper_finds_raw_keys():
    keys = {"overview.title", "present.col.city"}
    assert raw_keys(["overview.title", "Sources: present.col.city", "example.org", "plants.csv"], keys) == sorted(keys)
    assert raw_keys(["overview.not_in_catalogue"], keys) == ["overview.not_in_catalogue"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_no_raw_keys_on_page(page, lang):
    keys = set(i18n.catalogue("en"))
    at = open_page(page, lang=lang)
    texts = shown_texts(at)
    assert texts, f"{page} shows no text"
    found = raw_keys(texts, keys)
    assert not found, f"{page} in {lang} shows raw keys: {found}"
