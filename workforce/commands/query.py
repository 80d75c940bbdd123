"""`python -m workforce query NAME [--param key=value …] [--format csv|json]`."""

from __future__ import annotations

import sys

from workforce.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("name", nargs="?", help="query name (file in queries/ without .sql); omit to list")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help="bind a named parameter; use an empty value (key=) for NULL")
    parser.add_argument("--format", choices=["csv", "json"], default="csv")


def parse_params(pairs: list[str]) -> dict[str, object]:
    params: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise CliError(f"--param expects KEY=VALUE, got {pair!r}")
        params[key] = coerce(value)
    return params


def coerce(value: str) -> object:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value)
    except ValueError:
        return value


def run(args) -> int:
    from workforce import db

    if not args.name:
        for name in db.query_names():
            print(f"{name}  ({', '.join(db.query_params(name)) or 'no parameters'})")
        return 0
    try:
        df = db.run(args.name, **parse_params(args.param))
    except db.QueryError as exc:
        raise CliError(str(exc)) from None
    if args.format == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, date_format="iso") + "\n")
    else:
        df.to_csv(sys.stdout, index=False)
    return 0
