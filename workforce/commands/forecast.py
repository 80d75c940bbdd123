"""`python -m workforce forecast --scenario base --level 2 [--country HU] [--seed 1] [--draws N]
[--set jpg=120 …] [--all-regions] --out f.csv` — P10/P50/P90 jobs and training per region × year × role (2024–2035)."""

from __future__ import annotations

import re
import sys

from workforce.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("--scenario", default="base", help="scenario name from data/assumptions.yaml")
    parser.add_argument("--level", type=int, choices=[0, 1, 2], default=2, help="NUTS level of the output")
    parser.add_argument("--country", help="restrict to one country (Eurostat code, e.g. HU, EL)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (default from the model)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="what-if value, e.g. jpg=120, ramp=2, auto=0.8, p_announced=0.5, train_eqf68=0.8 "
                             "(new-hire training factor of an EQF band: train_eqf24, train_eqf5, train_eqf68)")
    parser.add_argument("--all-regions", action="store_true",
                        help="also write rows of zeros for regions without a modelled plant")
    parser.add_argument("--out", help="output CSV file (default: standard output)")


def params_from_args(args, assumptions: dict):
    from workforce import model

    if not assumptions:
        raise CliError("data/assumptions.yaml is missing or empty: no forecast without assumptions")
    overrides: dict[str, float] = {}
    for pair in args.overrides:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CliError(f"--set expects KEY=VALUE, got {pair!r}")
        try:
            overrides[key.strip()] = float(value)
        except ValueError:
            raise CliError(f"--set {key}: not a number: {value!r}") from None
    extra = {"seed": args.seed}
    if args.draws is not None:
        extra["draws"] = args.draws
    try:
        return model.Params.from_assumptions(assumptions, args.scenario).with_overrides(**extra, **overrides)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def run(args) -> int:
    from workforce import db, model

    country = None
    if args.country:
        country = {"GR": "EL", "GB": "UK"}.get(args.country.strip().upper(), args.country.strip().upper())
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise CliError(f"invalid country code {args.country!r} (expected two letters, e.g. HU)")
    params = params_from_args(args, model.load_assumptions())
    plants = db.run("plants", country=country)
    roles = db.run("roles")
    regions = None
    if args.all_regions:
        regions = db.run("region_summary", level=args.level, country=country)["nuts_id"].tolist()
    out = model.forecast(plants, roles, params, level=args.level, country=country, regions=regions)
    if out.empty:
        print(f"note: no plants to forecast{' in ' + country if country else ''}", file=sys.stderr)
    if args.out:
        out.to_csv(args.out, index=False)
        print(f"wrote {len(out)} rows to {args.out}", file=sys.stderr)
    else:
        out.to_csv(sys.stdout, index=False)
    return 0
