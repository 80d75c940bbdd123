"""workforce.export: every format produced and read back, with provenance and neutralised cells."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from pptx import Presentation

from tests.conftest import IN_CI, missing
from workforce import charts, export

DF = pd.DataFrame({
    "site_name": ["=HYPERLINK(\"http://evil\")", "Győr plant", "@SUM(A1)"],
    "jobs_announced": pd.array([100, None, -5], dtype="Int64"),
    "source_title": ["Src A", "Src B", "Src A"],
    "source_url": ["https://a.example/x", "https://b.example/y", "https://a.example/x"],
    "as_of": ["2024-05-01", "2025-02-01", "2024-05-01"],
})
PROV = export.provenance(DF, view="overview", scenario="base", url="http://localhost:8501/overview?country=HU",
                         title="Test export")


def _has_chromium() -> bool:
    return bool(export.ensure_browser())


needs_chromium = pytest.mark.skipif(
    not _has_chromium() and not IN_CI,
    reason="chromium not installed (apt-get install -y chromium); kaleido image exports not tested here",
)


def test_provenance_lists_sources_and_as_of():
    assert PROV["as_of"] == "2025-02-01" and PROV["scenario"] == "base"
    assert {s["source_title"] for s in PROV["sources"]} == {"Src A", "Src B"}
    assert PROV["url"].endswith("country=HU") and charts.ATTRIBUTION == PROV["attribution"]


def test_csv_with_provenance_and_neutralised_cells():
    data = export.table_bytes(DF, "csv", PROV)
    text = data.decode("utf-8-sig")
    assert text.startswith("# title: Test export")
    assert "# source: Src B | https://b.example/y | 2025-02-01" in text
    n_meta = sum(1 for line in text.splitlines() if line.startswith("# "))
    back = pd.read_csv(io.StringIO(text), skiprows=n_meta)
    assert back["site_name"].tolist()[0].startswith("'=") and back["site_name"].tolist()[2].startswith("'@")
    assert len(back) == len(DF)


def test_xlsx_has_data_and_provenance_sheets():
    wb = openpyxl.load_workbook(io.BytesIO(export.table_bytes(DF, "xlsx", PROV)))
    assert wb.sheetnames == ["data", "provenance"]
    data = list(wb["data"].values)
    assert data[0][0] == "site_name" and data[1][0].startswith("'=") and data[3][0].startswith("'@")
    assert all(c.data_type != "f" for row in wb["data"].iter_rows() for c in row)  # no live formulas
    prov = {r[0]: r[1] for r in wb["provenance"].values if r and r[0]}
    assert prov["scenario"] == "base" and prov["url"].endswith("country=HU")
    assert "Src B" in prov  # sources table follows the key/value block


def test_parquet_round_trip_with_metadata():
    data = export.table_bytes(DF, "parquet", PROV)
    assert data[:4] == b"PAR1"
    back = pd.read_parquet(io.BytesIO(data))
    pd.testing.assert_frame_equal(back.astype(str), DF.astype(str))
    meta = export.read_parquet_provenance(data)
    assert meta["title"] == "Test export" and len(meta["sources"]) == 2


def test_json_table():
    import json

    body = json.loads(export.table_bytes(DF, "json", PROV))
    assert body["provenance"]["view"] == "overview" and len(body["rows"]) == 3


def _map_fig():
    df = pd.DataFrame({"lat": [47.5], "lon": [21.6], "status": ["operating"], "site_name": ["<b>x</b>"], "company": ["c"],
                       "segment": ["cell"], "capacity_value": [1.0], "capacity_unit": ["GWh"], "jobs_announced": [10],
                       "source_title": ["s"], "as_of": ["2025"]})
    return charts.plants_map(df)


def test_attribution_added_to_maps_without_it():
    fig = go.Figure(go.Scattermap(lat=[1], lon=[2]))
    out = export.with_attribution(fig, caption="Sources: <script>")
    texts = [a.text for a in out.layout.annotations]
    assert charts.ATTRIBUTION in texts and any("&lt;script&gt;" in t for t in texts)
    assert not export.with_attribution(go.Figure(go.Bar(x=[1], y=[1]))).layout.annotations


@pytest.fixture(scope="module")
def kaleido():
    with export.kaleido_session():
        yield


@needs_chromium
def test_figure_formats(kaleido):
    bar = go.Figure(go.Bar(x=["HU", "FI"], y=[3, 4]))
    png = export.figure_bytes(bar, "png", width=600, height=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = export.figure_bytes(bar, "pdf", width=600, height=400)
    assert pdf[:5] == b"%PDF-"
    svg = export.figure_bytes(_map_fig(), "svg", width=600, height=400)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert charts.ATTRIBUTION in svg.decode("utf-8")  # attribution on every exported map
    with pytest.raises(ValueError):
        export.figure_bytes(bar, "gif")


@needs_chromium
def test_plants_map_png_draws_each_status_shape(kaleido):
    """kaleido (offline) renders the concentric status overlays: along a radius from each marker's centre the
    ink/paper profile is the status's shape (solid disc, bullseye, thick ring, double ring, thin ring)."""
    from PIL import Image

    zoom, step = 4.0, 4.0
    rows = [dict(lat=50.0, lon=10.0 + step * (i - 2), status=s, jobs_announced=10**7, site_name=s, company="c",
                 segment="cell", capacity_value=1.0, capacity_unit="GWh", source_title="s", as_of="2025")
            for i, s in enumerate(charts.STATUS_ORDER)]
    fig = charts.plants_map(pd.DataFrame(rows), {"lat": 50.0, "lon": 10.0, "zoom": zoom}, height=400)
    png = export.figure_bytes(fig, "png", width=600, height=400)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(png)).convert("RGB")
    px_per_degree = 512 * 2 ** zoom / 360
    radius = charts.PLANT_MAX_SIZE / 2
    profiles = {}
    for i, status in enumerate(charts.STATUS_ORDER):
        cx = round(img.width / 2 + step * (i - 2) * px_per_degree)
        cy = (img.height - charts.ATTRIBUTION_STRIP) // 2  # the map area ends above the attribution strip
        ink = [min(img.getpixel((cx + d, cy))) < 200 for d in range(int(radius) + 4)]
        runs = _runs(ink)
        profiles[status] = runs
        fills = ["status", *(fill for _, fill in charts.STATUS_RINGS[status])]
        expected = [v == "status" for v in reversed(fills)]  # centre first, outer ring last
        assert [v for v, _ in runs] == [*expected, False], (status, runs)
    # thick ring (announced) vs thin ring (cancelled): same structure, clearly different width
    assert profiles["announced"][-2][1] >= 2 * profiles["cancelled"][-2][1]


def _classed_map():
    """A classed choropleth with a zero class, an uncertain ("Greyed") region and an outlier: the three legend
    entries whose swatch Plotly draws invisible (white, washed out, transparent)."""
    n = 30
    ids = [f"XX{i:02d}" for i in range(n)]
    features = [{"type": "Feature", "id": i, "properties": {},
                 "geometry": {"type": "Polygon", "coordinates": [[[k % 6, k // 6], [k % 6 + 0.9, k // 6],
                                                                  [k % 6 + 0.9, k // 6 + 0.9], [k % 6, k // 6 + 0.9],
                                                                  [k % 6, k // 6]]]}}
                for k, i in enumerate(ids)]
    values = [0.0, 0.0, *(10.0 * k for k in range(1, n - 1))]
    values[-1] = 10**6  # far beyond the rest: an outlier
    df = pd.DataFrame({"nuts_id": ids, "name": ids, "v": values})
    return charts.choropleth({"type": "FeatureCollection", "features": features}, df, "v", "Jobs",
                             view={"lat": 2.5, "lon": 3.0, "zoom": 5}, uncertain=["XX05", "XX06"],
                             uncertain_label="Greyed: small numbers", height=500)


def _swatch_styles(svg: bytes) -> list[dict]:
    """The style of every choropleth legend swatch in an exported SVG, as {property: value}."""
    root = ET.fromstring(svg)
    out = []
    for el in root.iter():
        if "legend3dandfriends" in (el.get("class") or ""):
            style = dict(part.split(":", 1) for part in (el.get("style") or "").split(";") if ":" in part)
            out.append({k.strip(): v.strip() for k, v in style.items()})
    return out


@needs_chromium
def test_exported_map_legends_outline_every_swatch(kaleido):
    """As on screen (legend_swatches.js): Plotly draws a choropleth's swatch from its colour scale only, so the
    white "0" class, the washed-out "Greyed" entry and the transparent "Outliers" outline had no visible swatch in
    a PNG, SVG, PDF or slide."""
    fig = _classed_map()
    roles = [(tr.meta or {}).get("map") for tr in fig.data if tr.showlegend]
    assert {"class", "uncertain", "outliers"} <= set(roles), roles
    swatches = _swatch_styles(export.figure_bytes(fig, "svg", width=900, height=500))
    assert len(swatches) == len(roles), swatches
    for style in swatches:
        assert style.get("stroke") not in (None, "none") and 1 <= float(style["stroke-width"].removesuffix("px")) <= 3
    assert {"stroke": "rgb(0, 0, 0)", "stroke-width": "3px"}.items() <= swatches[roles.index("outliers")].items()
    png = export.figure_bytes(fig, "png", width=900, height=500)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_exports_outline_swatches_without_a_kaleido_session_too(tmp_path):
    """A single export (the CLI, a download) goes through plotly's own kaleido call, which takes plotly.js from
    plotly.io.defaults: a new process, so no server of this module is running."""
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, 'tests'); from test_export import _classed_map, _swatch_styles; "
            "from workforce import export; "
            "print(sorted({s.get('stroke') for s in _swatch_styles(export.figure_bytes(_classed_map(), 'svg'))}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    assert "None" not in out.stdout and "rgb(0, 0, 0)" in out.stdout, out.stdout


def _runs(values):
    out = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return [tuple(r) for r in out]


@needs_chromium
def test_pptx_deck_opens(kaleido):
    png = export.figure_bytes(go.Figure(go.Bar(x=[1], y=[2])), "png", width=600, height=300)
    data = export.deck_pptx("Seminar", [{"title": "Pipeline", "image": png, "caption": "Caption here",
                                         "sources": ["Src A", "Src B"]}], PROV)
    prs = Presentation(io.BytesIO(data))
    assert len(prs.slides) == 3  # title, chart, provenance
    texts = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    assert any("Caption here" in t and "Sources: Src A; Src B" in t for t in texts)
    assert any(sh.shape_type == 13 for sh in prs.slides[1].shapes)  # picture


@pytest.mark.parametrize("font", ["unicode", "core"])
def test_brief_pdf(monkeypatch, font):
    if font == "core":
        monkeypatch.setattr(export, "unicode_font", lambda: None)
    elif not export.unicode_font():
        missing("fonts-dejavu-core not installed (scripts/test.sh installs it); core-font path still tested")
    data = export.brief_pdf("Training-needs brief: Észak-Alföld (HU32)",
                            [("Demand", ["3 sites — Győr ↔ Debrecen “quoted”", "• bullet"])], PROV)
    assert data[:5] == b"%PDF-" and len(data) > 1000


def test_unknown_table_format():
    with pytest.raises(ValueError):
        export.table_bytes(DF, "docx")
    assert os.environ.get("BROWSER_PATH") or not _has_chromium()


def test_provenance_header_lines_cannot_open_a_formula_cell():
    import csv
    import io

    import pandas as pd

    from workforce import export

    df = pd.DataFrame({"source_title": ["x,=HYPERLINK(\"http://evil.example\",\"y\")"], "source_url": ["+1"],
                       "as_of": ["@now"], "v": ["=1+1"]})
    text = export.to_csv_with_provenance(df, export.provenance(df, view="t")).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row
    header = [r for r in csv.reader(io.StringIO(text)) if r and r[0].startswith("#")]
    assert header and all(len(r) == 1 for r in header)
