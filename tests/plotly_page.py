"""Draw a Plotly figure in a real Chromium page and redraw it at other widths (shared by the layout tests)."""

from __future__ import annotations

import json


def open_figure(page, fig, ready: str, **size) -> None:
    """The figure as a full offline HTML page (plotly.js inlined) in div #fig; waits for `ready` (a selector)."""
    import plotly.io as pio

    page.set_content(pio.to_html(fig, include_plotlyjs=True, full_html=True, div_id="fig", **size))
    page.wait_for_function(f"() => document.querySelector({json.dumps(ready)}) !== null", timeout=60_000)


def redraw_at_width(page, fig, width: int) -> None:
    """Plotly.react #fig with `fig` at `width` px and wait for the new layout (not awaited: a map's react promise
    waits for MapLibre, while legends, labels and annotations are SVG drawn at once)."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(fig))
    spec["layout"]["width"] = width
    page.evaluate("spec => { Plotly.react('fig', spec.data, spec.layout); }", spec)
    page.wait_for_function(f"() => document.getElementById('fig')._fullLayout.width === {width}", timeout=30_000)
