"""`python -m workforce COMMAND …` — one module per command under workforce/commands/.

Each command module defines `add_arguments(parser)` and `run(args) -> int`.
Exit codes: 0 ok, 2 bad input (unknown name/param, malformed file, refused query).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command name -> (module, one-line help). Add a line here and a module in workforce/commands/.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("workforce.commands.build", "build and validate the catalog from data/, print row counts"),
    "query": ("workforce.commands.query", "run a named query from queries/ and print the result"),
    "forecast": ("workforce.commands.forecast", "P10/P50/P90 jobs and training per region x year x role (scenario engine)"),
    "import": ("workforce.commands.import_", "import a file: eurostat FILE | plants FILE | programmes FILE"),
    "present": ("workforce.commands.present", "export a storyline to pptx or pdf"),
    "sql": ("workforce.commands.sql", "run one read-only SELECT in the sandbox, print CSV"),
    "export": ("workforce.commands.export", "export a view: chart png/svg/pdf/json, table csv/xlsx/parquet, deck pptx, brief pdf"),
    "gap": ("workforce.commands.gap", "training need vs programme capacity by region x role x year (CSV)"),
    "overlaps": ("workforce.commands.overlaps", "programme pairs with overlapping roles at the same EQF level (CSV)"),
    "store": ("workforce.commands.store", "contributions database: upgrade | downgrade | backup | restore | grant | status"),
    "need": ("workforce.commands.need", "THE training need per scope (cumulative 2024-YEAR, P50) with the reskilling pool (CSV totals)"),
    "whitespots": ("workforce.commands.whitespots", "roles with demand but no programme in the region (CSV)"),
}


class CliError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workforce", description="Battery Workforce Atlas CLI")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
