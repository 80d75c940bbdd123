"""`python -m workforce whitespots [--level 2] [--country FI] [--max-km 100] [--out ws.csv]`:
roles with demand in a region but no programme for them there (or within the distance)."""

from __future__ import annotations

from workforce.commands import _training_args as a


def add_arguments(parser) -> None:
    a.add_level(parser)
    a.add_country_out(parser)
    a.add_max_km(parser)
    a.add_scenario(parser)


def run(args) -> int:
    from workforce.views import training_data

    level, country = a.level(args.level), a.country(args.country)
    df, source = training_data.white_spots(country, level, max_km=a.number(args.max_km, "--max-km"),
                                                 scenario=a.scenario(args.scenario))
    a.write(df.assign(need_source=source), args.out)
    return 0
