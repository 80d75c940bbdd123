"""`python -m workforce forecast --scenario base --level 2 [--country HU] [--seed 1] [--draws N]
[--set jpg=120 …] [--all-regions] --out f.csv` — P10/P50/P90 jobs and training per region × year × role (2024–2035).

`forecast --as-of 2022-07-01 [--json] [--out f.csv]` runs the same model on the plant pipeline as known at that day
(`build --as-of`) and prints direct jobs by year and the track record: its 2025/2026 forecast against what is
operating now (workforce.views.hindcast, the builder of the /forecast panel). `--out` then writes the region ×
year × role CSV of the as-of pipeline."""

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
    parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                        help="forecast on the pipeline as known at this day and compare 2025/2026 with what is "
                             "operating now (prints a report; --out still writes the CSV)")
    parser.add_argument("--json", action="store_true", help="with --as-of: print the report as JSON")


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
    if args.as_of is not None:
        return run_as_of(args, params, country)
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


def _pct(value: float) -> str:
    return "n/a" if value != value else f"{value:+.0%}"


def run_as_of(args, params, country: str | None) -> int:
    """The forecast on the pipeline as known at args.as_of, with its track record against today."""
    import json

    from workforce import db, model, pipeline
    from workforce.views import hindcast

    try:
        day = pipeline.as_of_day(args.as_of)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    roles = db.run("roles")
    params = params.with_roles(roles)
    plants = pipeline.plants_as_of(day, country=country)
    by_year = hindcast.forecast_by_year(plants, params)
    record = hindcast.hindcast(db.run, params, dates=(day,), country=country)
    if args.out:
        regions = (db.run("region_summary", level=args.level, country=country)["nuts_id"].tolist()
                   if args.all_regions else None)
        out = model.forecast(plants, roles, params, level=args.level, country=country, regions=regions)
        out.to_csv(args.out, index=False)
        print(f"wrote {len(out)} rows to {args.out}", file=sys.stderr)
    scope = country or "Europe"
    if args.json:
        print(json.dumps({"as_of": day, "scope": scope, "scenario": args.scenario, "sites": len(plants),
                          "forecast": by_year.to_dict(orient="records"),
                          "hindcast": record.to_dict(orient="records")}, default=float))
        return 0
    print(f"direct jobs forecast, {scope}, scenario {args.scenario}, on the plant pipeline as known at {day} "
          f"({len(plants)} sites)")
    print(f"{'year':<6} {'jobs P10':>10} {'jobs P50':>10} {'jobs P90':>10} {'training P50':>13}")
    for r in by_year.itertuples():
        print(f"{r.year:<6} {r.jobs_p10:>10,.0f} {r.jobs_p50:>10,.0f} {r.jobs_p90:>10,.0f} {r.training_p50:>13,.0f}")
    print()
    print(f"track record: that forecast vs what is operating now ({scope})")
    for r in record.itertuples():
        print(f"{r.year}: forecast {r.jobs_p50:,.0f} direct jobs (P10–P90 {r.jobs_p10:,.0f}–{r.jobs_p90:,.0f}) vs "
              f"{r.jobs_operating_now:,.0f} at sites operating now: error {r.jobs_error:+,.0f} "
              f"({_pct(r.jobs_error_pct)}); cell capacity expected {r.gwh_expected:,.1f} GWh/yr "
              f"(scheduled {r.gwh_scheduled:,.1f}) vs {r.gwh_operating_now:,.1f} operating now: error "
              f"{r.gwh_error:+,.1f} GWh ({_pct(r.gwh_error_pct)})")
    r = record.iloc[0]
    print(f"coverage: {int(r.operating_sites_known_then)} of the {int(r.operating_sites_now)} sites operating now "
          f"were in the pipeline as known at {day}; those sites alone: {r.gwh_known_sites_now:,.1f} GWh/yr and "
          f"{r.jobs_known_sites_now:,.0f} jobs in {int(r.year)}")
    print("jobs 'operating now' = the same model on today's operating sites (modelled, not a headcount); "
          "the past pipeline holds only evidence dated by then (see build --as-of)")
    return 0
