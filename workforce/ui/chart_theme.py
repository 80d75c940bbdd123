"""Streamlit's chart theme applied in Python, so a chart we draw ourselves (`live_chart`) looks as `st.plotly_chart`
draws it (issue 19).

`import streamlit` makes "streamlit" plotly's default template: its colours are placeholders ("#000001" …
"#000040") that Streamlit's front end replaces with the app theme's colours, and the front end then merges a
layout of its own (fonts, grid, margins, hover labels) into the figure's `layout.template.layout` and sets the
title in bold. `chart_theme.json` holds what that front end resolves for this app's `[theme]`
(.streamlit/config.toml), captured in Chromium by `python -m bench chart-theme --write`;
tests/test_e2e_live_chart.py draws the same figures both ways and compares what Plotly received.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

_FILE = Path(__file__).with_name("chart_theme.json")
_PLACEHOLDER = re.compile(r"#0000[0-4][0-9]")  # as the front end's replaceAll: the first 7 characters
# Template text colours the front end drops when the figure sets layout.font.color (its own font then shows).
_INJECTED_TEXTFONT = {"icicle": "white", "sankey": "#000036"}


@functools.cache
def theme() -> dict:
    """{"placeholders": {placeholder: colour}, "layout": {…}} (read once per process)."""
    return json.loads(_FILE.read_text(encoding="utf-8"))


def _merge(target: dict, source: dict) -> dict:
    """lodash `merge` (the front end's): `source` into `target`, recursively; a dict or list in both is merged
    key by key / index by index, anything else from `source` replaces."""
    for key, value in source.items():
        if value is None:
            continue
        here = target.get(key)
        if isinstance(value, dict) and isinstance(here, dict):
            _merge(here, value)
        elif isinstance(value, list) and isinstance(here, list):
            for i, item in enumerate(value):
                if i < len(here) and isinstance(item, dict) and isinstance(here[i], dict):
                    _merge(here[i], item)
                elif i < len(here):
                    here[i] = copy.deepcopy(item)
                else:
                    here.append(copy.deepcopy(item))
        else:
            target[key] = copy.deepcopy(value)
    return target


def apply_layout(spec: dict) -> dict:
    """The front end's layout step, in place on a figure dict: the theme layout merged into
    `layout.template.layout`, injected template text colours dropped when `layout.font.color` is set, the title
    in bold."""
    layout = spec.get("layout") if isinstance(spec.get("layout"), dict) else {}
    spec["layout"] = layout
    template = layout.get("template") if isinstance(layout.get("template"), dict) else {}
    layout["template"] = template
    template_layout = template.get("layout") if isinstance(template.get("layout"), dict) else {}
    template["layout"] = template_layout
    _merge(template_layout, theme()["layout"])
    font = layout.get("font")
    if isinstance(font, dict) and font.get("color") is not None and isinstance(template.get("data"), dict):
        colours = theme()["placeholders"]
        for trace_type, injected in _INJECTED_TEXTFONT.items():
            for trace in template["data"].get(trace_type) or []:
                textfont = trace.get("textfont") if isinstance(trace, dict) else None
                if isinstance(textfont, dict) and colours.get(textfont.get("color"), textfont.get("color")) \
                        == colours.get(injected, injected):
                    del textfont["color"]
                    if not textfont:  # the front end leaves no empty textfont behind (a slide's dark text)
                        del trace["textfont"]
    if layout.get("title") is not None:
        title = layout["title"]
        title = {"text": title} if isinstance(title, str) else dict(title) if isinstance(title, dict) else {}
        text = title.get("text") if isinstance(title.get("text"), str) else ""
        layout["title"] = {**title, "text": f"<b>{text}</b>"}
    return spec


def resolve_colours(text: str) -> str:
    """Every placeholder colour in a figure's JSON replaced by the theme's (unknown ones are left as they are)."""
    colours = theme()["placeholders"]
    return _PLACEHOLDER.sub(lambda m: colours.get(m.group(0), m.group(0)), text)


def themed_json(fig) -> str:
    """The JSON of `fig` (a plotly Figure, or a figure dict, which is changed) as Streamlit's front end would hand
    it to Plotly (theme "streamlit")."""
    from plotly.io.json import to_json_plotly

    spec = fig if isinstance(fig, dict) else fig.to_dict()
    return resolve_colours(to_json_plotly(apply_layout(spec)))
