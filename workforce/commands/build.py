"""`python -m workforce build [--out build/catalog.duckdb]`: load and validate data/, print row counts."""

from __future__ import annotations

import json
from pathlib import Path

from workforce import ROOT
from workforce.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "catalog.duckdb",
                        help="DuckDB file to write atomically (default: build/catalog.duckdb)")
    parser.add_argument("--json", action="store_true", help="print counts as JSON")


def run(args) -> int:
    from workforce import db

    frames, issues = db.load_all()
    counts = db.write_catalog_file(args.out)
    if args.json:
        print(json.dumps({"tables": counts, "issues": [i.__dict__ for i in issues], "out": str(args.out)}))
    else:
        width = max(len(n) for n in counts)
        for name, n in counts.items():
            print(f"{name:<{width}}  {n:>7,}")
        print(f"catalog written to {args.out}")
    if issues:
        raise CliError("; ".join(f"{i.file}: {i.problem}" for i in issues))
    return 0
