"""`python -m workforce sql "QUERY"` — one read-only SELECT in the sandbox (same as the explorer page).

Prints CSV (formula cells neutralised) to stdout; a refused, failed or timed-out query exits 2.
"""

from __future__ import annotations

import sys

from workforce.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("query", help="one SELECT statement (read only; files, network and settings are off)")
    parser.add_argument("--max-rows", type=int, default=100_000, help="rows to print (at most 100000)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before the query is stopped")


def run(args) -> int:
    from workforce import db, export

    if not 0 < args.max_rows <= db.EXPORT_MAX_ROWS:
        raise CliError(f"--max-rows must be between 1 and {db.EXPORT_MAX_ROWS}")
    if not 0 < args.timeout <= 300:
        raise CliError("--timeout must be between 0 and 300 seconds")
    try:
        df, truncated = db.run_user_sql(args.query, max_rows=args.max_rows, timeout_s=args.timeout)
    except db.SandboxError as exc:
        raise CliError(str(exc)) from None
    sys.stdout.write(export.to_csv_bytes(df).decode("utf-8-sig"))
    if truncated:
        print(f"note: output truncated to {args.max_rows} rows", file=sys.stderr)
    return 0
