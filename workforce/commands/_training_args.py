"""Shared argument handling for the training commands (gap, overlaps, whitespots)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

from workforce.cli import CliError


def add_country_out(parser) -> None:
    parser.add_argument("--country", help="two-letter country code (Eurostat style: EL, UK); default all Europe")
    parser.add_argument("--out", help="CSV file to write (default: standard output)")


def add_scenario(parser) -> None:
    parser.add_argument("--scenario", default="base",
                        help="forecast scenario for the demand side (base, fast_ramp, delays, high_automation)")


def scenario(value) -> str:
    from workforce.params import SCENARIOS

    if value not in SCENARIOS:
        raise CliError(f"--scenario must be one of {', '.join(SCENARIOS)}, got {value!r}")
    return value


def add_level(parser) -> None:
    parser.add_argument("--level", default="2", help="NUTS level 0, 1 or 2 (default 2)")


def add_max_km(parser) -> None:
    parser.add_argument("--max-km", dest="max_km", default=None,
                        help="also count programmes within this travel distance in km (haversine)")


def level(value) -> int:
    if str(value) not in ("0", "1", "2"):
        raise CliError(f"--level must be 0, 1 or 2, got {value!r}")
    return int(value)


def number(value, name: str, low: float = 0.0, high: float | None = None) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except ValueError:
        raise CliError(f"{name} must be a number, got {value!r}") from None
    if out != out or out < low or (high is not None and out > high):
        raise CliError(f"{name} must be between {low:g} and {high if high is not None else 'infinity'}, got {value!r}")
    return out


def country(value) -> str | None:
    if value in (None, ""):
        return None
    from workforce import db
    from workforce.params import COUNTRY_ALIASES

    code = COUNTRY_ALIASES.get(str(value).upper(), str(value).upper())
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise CliError(f"--country must be a two-letter code, got {value!r}")
    known = set(db.run("countries")["country"])
    if code not in known:
        raise CliError(f"unknown country {value!r}; known: {', '.join(sorted(known))}")
    return code


def write(df: pd.DataFrame, out: str | None) -> None:
    from workforce import export

    clean = export.neutralise(df)
    if not out:
        clean.to_csv(sys.stdout, index=False)
        return
    path = Path(out)
    if path.is_dir() or not path.parent.exists():
        raise CliError(f"cannot write {out!r}: not a file in an existing folder")
    clean.to_csv(path, index=False)
    print(f"{len(df):,} rows written to {path}", file=sys.stderr)
