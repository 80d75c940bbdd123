"""`python -m workforce gap [--level 2] [--country FI] [--out gap.csv]`: training need vs programme capacity.

Columns: nuts_id, role_id, year, need, capacity, gap, capacity_known (+ programmes, capacity_lower_bound,
supply_low/mid/high, supply_status, supply_gap, gap_class (training.supply_classes: catalogue places where
published, else the modelled Eurostat baseline; shortage / balanced / surplus / unknown), need_source). Unknown
capacity stays empty (capacity_known false), never zero.
"""

from __future__ import annotations

from workforce.commands import _training_args as a


def add_arguments(parser) -> None:
    a.add_level(parser)
    a.add_country_out(parser)
    a.add_scenario(parser)


def run(args) -> int:
    from workforce.views import training_data

    level, country = a.level(args.level), a.country(args.country)
    df, source = training_data.gap(country, level, a.scenario(args.scenario))
    df = training_data.gap_classes(df, country, level)
    a.write(df.assign(need_source=source), args.out)
    return 0
