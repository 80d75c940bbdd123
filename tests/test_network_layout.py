"""Partnership network (issue 21 part 5): one node per company with its sites as a hover attribute, and labels
that never overlap (a slot per node in the layout; the rendered text boxes checked in Chromium)."""

from __future__ import annotations

import pytest

from workforce import training_charts
from workforce.views import training_data

SCOPES = {"EU": None, "HU": "HU", "FI": "FI", "DE": "DE"}


@pytest.fixture(scope="module")
def networks():
    return {name: training_charts.network_figure(training_data.network(c)) for name, c in SCOPES.items()}


def _nodes(fig, kind):
    (trace,) = [t for t in fig.data if (t.meta or {}).get("network") == kind]
    return trace


def test_one_node_per_company_with_its_site_in_the_hover(networks):
    companies = _nodes(networks["HU"], "company")
    names = [c[0] for c in companies.customdata]
    assert len(names) == len(set(names))
    assert "CATL" in names and not any(n.startswith("CATL ") for n in names)
    catl = next(c for c in companies.customdata if c[0] == "CATL")
    assert "Site: CATL Debrecen battery plant" in catl[2]
    assert "Named as:" in catl[2] and "CATL Debrecen" in catl[2]  # the names as stated stay as attributes
    assert "%{customdata[2]}" in companies.hovertemplate


def test_every_column_has_room_for_its_labels(networks):
    for name, fig in networks.items():
        plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        for kind, gap in training_charts.NODE_GAP_PX.items():
            trace = [t for t in fig.data if (t.meta or {}).get("network") == kind]
            if not trace:
                continue
            n = len(trace[0].x)
            assert plot_px / n >= gap, (name, kind)
            assert max(trace[0].marker.size) <= gap - training_charts.NETWORK_FONT, (name, kind)


@pytest.mark.e2e
def test_rendered_labels_do_not_overlap(networks, browser_page):
    from tests.plotly_page import open_figure, redraw_at_width

    page = browser_page
    open_figure(page, networks["EU"], "#fig .textpoint", default_width=900)
    for name, fig in networks.items():
        for width in (540, 700, 1100):  # 540: /partnerships at 1 024 px with the sidebar open
            redraw_at_width(page, fig, width)
            # each node trace: its labels and markers, in point order (label i belongs to marker i)
            traces = page.evaluate("""() => [...document.querySelectorAll('#fig .scatterlayer .trace')].map(tr => {
                const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
                return {labels: [...tr.querySelectorAll('.textpoint text')].map(t => [t.textContent, ...box(t)]),
                        markers: [...tr.querySelectorAll('.points .point')].map(box)};
              }).filter(t => t.labels.length)""")
            labels = [(lab, ti, i) for ti, tr in enumerate(traces) for i, lab in enumerate(tr["labels"])]
            markers = [(m, ti, i) for ti, tr in enumerate(traces) for i, m in enumerate(tr["markers"])]
            clashes = [(a[0], b[0]) for k, (a, _, _) in enumerate(labels) for (b, _, _) in labels[k + 1:]
                       if _overlap(a[1:], b[1:])]
            clashes += [(a[0], f"marker {ti}/{i}") for (a, ta, ia) in labels for (m, ti, i) in markers
                        if (ta, ia) != (ti, i) and _overlap(a[1:], m)]
            assert labels and not clashes, (name, width, clashes[:5])
            # every label whole inside the chart: one line of 30 characters was cut at both edges at 540 px
            left, right, top, bottom = page.evaluate(
                "() => { const gd = document.getElementById('fig'), s = gd._fullLayout._size;"
                " const r = gd.querySelector('.main-svg').getBoundingClientRect();"
                " return [r.left, r.right, r.top + s.t, r.top + s.t + s.h]; }")  # the plot area clips text
            cut = [lab[0] for lab, _, _ in labels
                   if lab[1] < left - 0.5 or lab[3] > right + 0.5 or lab[2] < top - 0.5 or lab[4] > bottom + 0.5]
            assert not cut, (name, width, cut[:5])


def _overlap(a, b, tol: float = 0.5) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) + tol and min(a[3], b[3]) > max(a[1], b[1]) + tol
