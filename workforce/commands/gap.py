"""`python -m workforce gap [--level 2] [--country FI] [--out gap.csv]`: training need vs programme capacity.

Columns: nuts_id, role_id, year, need, capacity, gap, capacity_known (+ programmes, capacity_lower_bound,
supply_low/mid/high, supply_status, supply_gap, gap_class (training.supply_classes: catalogue places where
published, else the modelled Eurostat baseline; shortage / balanced / surplus / unknown), need_source). Unknown
capacity stays empty (capacity_known false), never zero. `need` there is the need of each single year; the total
(THE training need of the country or Europe, cumulative 2024–2030, P50, the same figure as every page) is printed on
standard error — `python -m workforce need` prints it per scope.
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
    if source.startswith("model"):
        import sys

        from workforce import db
        from workforce.views import need as need_view

        total = need_view.training_need(country, 2030, a.scenario(args.scenario), db.run)
        print(f"total: training need {total.scope} {total.period}, cumulative (P50, scenario {total.scenario}): "
              f"{total.p50:,.0f} (P10 {total.p10:,.0f} – P90 {total.p90:,.0f}); per scope: python -m workforce need",
              file=sys.stderr)
    return 0
