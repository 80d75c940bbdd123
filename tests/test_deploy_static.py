"""The nginx recipe serves Streamlit's bundle and app/static/ (plotly.js and the NUTS shapes for the live charts) from disk
(deploy/static_www.sh, issue 19): every file the app's index.html names is there, pre-compressed, with the right
type, and the template renders with and without those locations (docker-compose leaves them out)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit

from workforce import ROOT

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def render(static: str, prefix: Path) -> str:
    text = TEMPLATE.read_text()
    for key, value in (("SERVERS", "        server 127.0.0.1:9;"), ("PREFIX", str(prefix)),
                       ("LISTEN", "127.0.0.1:9"), ("STATIC", static)):
        text = text.replace("{{" + key + "}}", value)
    assert "{{" not in text, re.findall(r"\{\{\w+\}\}", text)
    return text


@pytest.fixture(scope="module")
def www(tmp_path_factory):
    out = tmp_path_factory.mktemp("www") / "www"
    proc = subprocess.run(["bash", str(ROOT / "deploy" / "static_www.sh"), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHON": sys.executable})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out, proc.stdout


def test_static_www_holds_what_index_html_loads_and_plotly(www):
    out, locations = www
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    for asset in re.findall(r'\./static/([^"]+)', index):
        assert (out / "static" / asset).is_file(), asset
    from workforce.ui.live_chart import PARTIAL, asset_name, partial_asset_name

    plotly_js = sorted(p.name for p in (out / "app" / "static").glob("plotly-*.min.js"))
    assert plotly_js == sorted([asset_name()] + [partial_asset_name(b) for b in PARTIAL])  # full and partial bundles
    assert all((out / "app" / "static" / (name + ".gz")).is_file() for name in plotly_js)
    from workforce.ui.live_chart import europe_outlines_url, shape_name

    shapes = [out / "app" / "static" / shape_name(level) for level in (0, 1, 2)]  # the NUTS shapes the maps fetch
    shapes.append(out / "app" / "static" / europe_outlines_url().rsplit("/", 1)[1])  # and Europe's borders
    assert all(p.is_file() and p.with_name(p.name + ".gz").is_file() for p in shapes), shapes
    assert (out / "static" / "js").is_dir() and list((out / "static" / "js").glob("*.js.gz"))  # gzip_static
    assert locations.count("location ^~") == 2 and "immutable" in locations and "gzip_static on" in locations


def test_template_renders_with_and_without_static_locations(www, tmp_path):
    out, locations = www
    for static in ("", locations.rstrip("\n")):
        conf = tmp_path / "nginx.conf"
        conf.write_text(render(static, tmp_path))
        text = conf.read_text()
        assert "application/javascript js mjs;" in text  # a module served as text/plain is refused by browsers
        if shutil.which("nginx"):
            (tmp_path / "tmp").mkdir(exist_ok=True)
            check = subprocess.run(["nginx", "-t", "-q", "-c", str(conf), "-p", str(tmp_path)], capture_output=True,
                                   text=True, timeout=30)
            assert check.returncode == 0, check.stderr
