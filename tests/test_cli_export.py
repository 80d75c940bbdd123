"""`python -m workforce export …` and `import plants|programmes …` (in-process and one subprocess)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation

from tests.conftest import IN_CI
from workforce import ROOT, charts, export
from workforce.cli import main

needs_chromium = pytest.mark.skipif(not export.ensure_browser() and not IN_CI,
                                    reason="chromium not installed; kaleido exports not tested here")


def test_regions_json_subprocess(tmp_path):
    out = tmp_path / "fig.json"
    proc = subprocess.run([sys.executable, "-m", "workforce", "export", "--view", "regions", "--level", "2",
                           "--metric", "jobs", "--format", "json", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["out"] == str(out)
    fig = json.loads(out.read_text())
    assert fig["data"][-1]["type"] == "choroplethmap"
    assert any(a["text"] == charts.ATTRIBUTION for a in fig["layout"]["annotations"])
    prov = fig["layout"]["meta"]["provenance"]
    assert prov["view"] == "regions" and "metric=jobs" in prov["url"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_overview_tables(tmp_path, capsys, fmt):
    out = tmp_path / f"t.{fmt}"
    assert main(["export", "--view", "overview", "--country", "HU", "--format", fmt, "--out", str(out)]) == 0
    data = out.read_bytes()
    if fmt == "csv":
        assert data.decode("utf-8-sig").startswith("# title:") and "country=HU" in data.decode("utf-8-sig")
    elif fmt == "xlsx":
        assert "provenance" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    else:
        back = pd.read_parquet(io.BytesIO(data))
        assert set(back["country"].dropna()) <= {"HU"}
        assert export.read_parquet_provenance(data)["view"] == "overview"


def test_param_and_bad_input(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--view", "training", "--param", "country=FI", "--format", "csv", "--out", str(out)]) == 0
    assert main(["export", "--view", "regions", "--metric", "nope", "--format", "json", "--out", str(out)]) == 2
    assert main(["export", "--view", "regions", "--level", "7", "--format", "json", "--out", str(out)]) == 2
    assert main(["export", "--view", "regions", "--param", "bogus", "--format", "json", "--out", str(out)]) == 2
    assert main(["export", "--view", "nowhere", "--format", "csv", "--out", str(out)]) == 2
    assert main(["export", "--view", "brief", "--format", "pdf", "--out", str(out)]) == 2  # needs an area
    assert "error:" in capsys.readouterr().err


def test_brief_pdf(tmp_path):
    out = tmp_path / "brief.pdf"
    assert main(["export", "--view", "brief", "--region", "HU32", "--format", "pdf", "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"


@needs_chromium
def test_png_and_pptx(tmp_path):
    png = tmp_path / "f.png"
    assert main(["export", "--view", "forecast", "--format", "png", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    deck = tmp_path / "d.pptx"
    assert main(["export", "--view", "partnerships", "--format", "pptx", "--out", str(deck)]) == 0
    prs = Presentation(str(deck))
    assert len(prs.slides) == 3


# ---------------------------------------------------------------- import plants|programmes

PLANTS = ("site_id,company,site_name,country,nuts2,segment,status,source_url,source_title\n"
          "cli-1,Co,Site,HU,HU32,cell,announced,https://example.org/a,src\n")


def test_import_plants_valid(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text(PLANTS)
    assert main(["import", "plants", str(f)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 1 and summary["valid"] == 1 and summary["rejected"] == 0


def test_import_plants_with_rejects(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text(PLANTS + "cli-1,Co,Dup,HU,HU32,cell,announced,https://example.org/a,src\n")
    rejects = tmp_path / "rej.csv"
    assert main(["import", "plants", str(f), "--rejects", str(rejects)]) == 2
    summary = json.loads(capsys.readouterr().out)
    assert (summary["valid"], summary["rejected"]) == (1, 1)
    rej = pd.read_csv(rejects, encoding="utf-8-sig")
    assert rej["reason"].str.contains("duplicate site_id").all() and rej["row"].tolist() == [3]


def test_import_unreadable_names_the_line(tmp_path, capsys):
    f = tmp_path / "p.csv"
    f.write_text(PLANTS + "a,b,c,d,e,f,g,h,i,j,k,l\n")
    assert main(["import", "programmes", str(f)]) == 2
    assert "line 3" in capsys.readouterr().err
    assert main(["import", "plants", str(tmp_path / "missing.csv")]) == 2
