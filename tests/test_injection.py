"""Markdown injection through URL parameters (issue 22): every page, every parameter, a hostile corpus.

No parameter value may come back as a working link, image, math, colour directive, autolinked URL or HTML in
any markdown-rendered element (markdown, captions, titles, alerts, button/expander labels)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from workforce import ROOT

TIMEOUT = 60
PAYLOADS = (
    "[Session expired - log in again](https://evil.example/login)",
    "![t](http://evil.example/pixel.png) $x^2$ :red[evil] <img src=x onerror=alert(1)> https://evil.example/a www.evil.example",
)
PARAMS = ("country", "region", "level", "year", "lang", "scenario", "metric", "by", "cmp", "key", "auto", "page",
          "layers", "story", "slide", "q", "jobs_per_gwh")
PAGES = ("overview", "regions", "forecast", "training", "partnerships", "present", "sources", "explorer")
DANGER = {
    "link": re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\("),
    "image": re.compile(r"(?<!\\)!(?<!\\)\["),
    "math": re.compile(r"(?<!\\)\$"),
    "directive": re.compile(r"(?<!\\):[a-z]+(?<!\\)\["),
    "autolink": re.compile(r"(?:https?(?<!\\)://|(?<![\\\w])www(?<!\\)\.)evil"),
    "html": re.compile(r"(?<!\\)<img", re.I),
}


def _texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success",
                 "toast"):
        try:
            out += [str(e.value) for e in at.get(kind)]
        except Exception:  # noqa: BLE001 - element kind absent in this Streamlit version
            pass
    for kind in ("button", "expander", "tab", "checkbox", "radio", "selectbox", "text_area", "metric"):
        try:
            out += [str(getattr(e, "label", "")) for e in at.get(kind)]
        except Exception:  # noqa: BLE001
            pass
    return out


@pytest.mark.parametrize("payload", range(len(PAYLOADS)))
@pytest.mark.parametrize("page", PAGES)
def test_url_text_never_renders_as_markdown(page, payload):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key in PARAMS:
        at.query_params[key] = PAYLOADS[payload]
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    hits = []
    for text in _texts(at):
        if "evil" not in text:
            continue
        hits += [(name, text[:160]) for name, rx in DANGER.items() if rx.search(text)]
    assert not hits, hits


def test_sql_history_labels_are_escaped():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/explorer.py")
    at.run()
    at.text_area(key="sql_text").set_value("select '![t](http://evil.example/p.png) [x](https://evil.example)' as s")
    at.button(key="sql_run").click()
    at.run()
    labels = [b.label for b in at.button if "evil" in str(b.label)]
    assert labels and not any(rx.search(label) for label in labels for rx in DANGER.values()), labels
