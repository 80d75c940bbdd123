"""Functional test of `python -m bench soak` (tiny run; no timing or memory assertions)."""

from __future__ import annotations

import json
import subprocess
import sys

from workforce import ROOT

FIGURES = {"soak.rss_start_mb", "soak.rss_end_mb", "soak.rss_growth_pct", "soak.sessions_total", "soak.errors"}


def test_soak_tiny_run_prints_its_figures():
    proc = subprocess.run([sys.executable, "-m", "bench", "soak", "--sessions", "2", "--seconds", "10",
                           "--think", "0.2", "--pages", "2"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)  # stdout carries only JSON lines
        figures[rec["figure"]] = rec
    assert FIGURES <= set(figures), sorted(figures)
    assert isinstance(figures["soak.sessions_total"]["value"], int)
    assert figures["soak.rss_start_mb"]["value"] is not None and figures["soak.rss_start_mb"]["value"] > 0


def test_soak_refuses_non_loopback_url():
    proc = subprocess.run([sys.executable, "-m", "bench", "soak", "--url", "http://10.0.0.1:8501", "--server-pid", "1",
                           "--seconds", "1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
