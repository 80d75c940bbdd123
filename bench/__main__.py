"""`python -m bench COMMAND …` — synth | queries | pages | load | browser | bundles | map-renderers | chart-theme | sandbox | cold | soak. Prints one JSON line per figure."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = {
    "synth": ("bench.synth_cmd", "write the synthetic Parquet files (.cache/bench/) for --rows/--seed"),
    "queries": ("bench.queries", "page-shaped aggregations at scale (DuckDB vs pandas) + every real query"),
    "pages": ("bench.pages", "AppTest rerun per page (cold/warm), NUTS-2 map figure bytes, peak RSS"),
    "load": ("bench.load", "N concurrent Streamlit websocket sessions: time to first chart, errors"),
    "browser": ("bench.browser", "headless Chromium: first chart painted, script idle, bytes, repaint; 4x CPU throttle"),
    "bundles": ("bench.bundles", "headless Chromium: fetch and evaluation time of each plotly.js the app serves"),
    "map-renderers": ("bench.map_renderers", "headless Chromium: the /regions map by MapLibre (as its figure is built) and by Plotly's SVG map (as the app draws it)"),
    "chart-theme": ("bench.chart_theme", "headless Chromium: Streamlit's chart theme as st.plotly_chart applies it"),
    "sandbox": ("bench.sandbox", "hostile explorer queries: worker wall time and peak RSS, viewers' query times"),
    "cold": ("bench.cold", "new server process -> first script run done (floor and atlas alternating)"),
    "soak": ("bench.soak", "N viewers cycling pages for M minutes: server RSS growth, sessions, errors"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = {}
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        modules[name] = importlib.import_module(module_name)
        modules[name].add_arguments(p)
    args = parser.parse_args(argv)
    from bench.common import emit

    emit("machine.loadavg_1m", os.getloadavg()[0], "load", None, cpus=os.cpu_count(), when="start")
    code = modules[args.command].run(args)
    emit("machine.loadavg_1m", os.getloadavg()[0], "load", None, cpus=os.cpu_count(), when="end")
    return code


if __name__ == "__main__":
    sys.exit(main())
