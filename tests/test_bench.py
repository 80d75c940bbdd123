"""Functional tests of the bench harness (no timing assertions: timings are measured by `python -m bench`)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from bench import synth
from workforce import ROOT


def _figures(stdout: str) -> dict[str, dict]:
    out = {}
    for line in stdout.splitlines():
        rec = json.loads(line)  # every stdout line is one JSON figure
        assert set(rec) >= {"figure", "value", "unit", "rows"}, rec
        out[rec["figure"]] = rec
    return out


def _bench(*args: str, timeout: int = 300) -> dict[str, dict]:
    proc = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return _figures(proc.stdout)


def test_synth_is_deterministic_for_a_seed(tmp_path):
    a = synth.generate(5000, seed=7, cache_dir=tmp_path / "a")
    b = synth.generate(5000, seed=7, cache_dir=tmp_path / "b")
    c = synth.generate(5000, seed=8, cache_dir=tmp_path / "c")
    fa, fb, fc = (pd.read_parquet(p["facts"]) for p in (a, b, c))
    assert len(fa) == 5000
    pd.testing.assert_frame_equal(fa, fb)
    pd.testing.assert_frame_equal(pd.read_parquet(a["programmes"]), pd.read_parquet(b["programmes"]))
    assert not fa["jobs"].equals(fc["jobs"])
    real = set(synth.regions())
    assert set(fa["nuts_id"].astype(str)) <= real and len(real) > 200
    assert set(fa["scenario"].astype(str)) == set(synth.SCENARIOS)
    assert fa["year"].nunique() == len(synth.YEARS)
    assert (fa["jobs"] >= 0).all()


def test_queries_command_prints_expected_figures():
    figs = _bench("queries", "--rows", "20000", "--repeat", "2", "--skip-optional")
    for name in ("synth_region_year", "synth_role_country", "synth_top_regions", "synth_percentiles", "synth_supply_gap"):
        assert figs[f"query.{name}.p95_ms"]["unit"] == "ms"
        assert figs[f"query.{name}.speedup_vs_pandas"]["unit"] == "x"
        assert figs[f"query.{name}.p95_ms"]["rows"] == 20000
    from workforce import db

    for name in db.query_names():
        assert f"query.{name}.p95_ms" in figs, name
    assert figs["rss.peak_mb"]["value"] > 0


def test_pages_command_for_one_page():
    figs = _bench("pages", "--page", "overview", "--repeat", "1", "--skip-optional")
    assert figs["page.overview.rerun_warm_ms"]["unit"] == "ms"
    assert figs["page.overview.cold_first_chart_ms"]["charts"] >= 1
    assert figs["map.nuts2.figure_bytes"]["value"] > 10_000
    assert figs["map.nuts2.shapes_file_bytes"]["value"] > 100_000  # the shapes, fetched once per page
    assert "rss.peak_mb" in figs
    assert not [f for f in figs if f.endswith(".error")]


def test_load_refuses_non_loopback_targets():
    proc = subprocess.run([sys.executable, "-m", "bench", "load", "--sessions", "1", "--url", "http://example.org:80"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2


def test_cold_command_starts_new_processes_for_floor_and_atlas():
    figs = _bench("cold", "--runs", "1", timeout=240)
    for label in ("floor", "atlas"):
        for key in ("new_process_to_first_script_run_done_ms", "first_script_run_done_ms", "first_chart_message_ms",
                    "server_healthy_ms"):
            rec = figs[f"cold.{label}.{key}.p50"]
            assert rec["unit"] == "ms" and rec["rows"] == 1 and rec["value"] > 0, rec
    assert "cold.atlas_minus_floor.new_process_to_first_script_run_done_ms" in figs


def test_forecast_bench_machine_reference_is_a_positive_time():
    from bench import forecast

    rec = forecast.machine_reference(rows=2, draws=1000, repeat=3, trials=2)
    assert rec["figure"] == "forecast.machine_partition_us_per_row" and rec["unit"] == "us" and rec["value"] >= 0
