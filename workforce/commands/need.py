"""`python -m workforce need [--scope HU32 --scope FI …] [--year 2030] [--scenario base] [--out need.csv]`:
THE training need of each scope (views.need.training_need: cumulative over 2024–YEAR, P50 with P10/P90), the
C27/C29 reskilling pool with its year and the split into reskilled incumbents vs new entrants (assumption
training.reskill_pool_share). Prints the totals as CSV (default scope: EU)."""

from __future__ import annotations

import pandas as pd

from workforce.cli import CliError
from workforce.commands import _training_args as a


def add_arguments(parser) -> None:
    parser.add_argument("--scope", action="append", default=[],
                        help="EU, a country (HU) or a NUTS code (HU32); repeat for several (default EU)")
    parser.add_argument("--year", default="2030", help="last year of the period 2024–YEAR (2024–2035)")
    a.add_scenario(parser)
    parser.add_argument("--out", help="CSV file to write (default: standard output)")


def totals(scopes: list[str], year: int, scenario: str, run) -> pd.DataFrame:
    from workforce.views import need as need_view

    sim = need_view.simulation(scenario, run)
    share = need_view.reskill_share()
    rows = []
    for scope in scopes:
        n = need_view.training_need(scope, year, scenario, run, sim=sim)
        pool = need_view.reskill_pool(run, len(n.scope) - 2, nuts_id=n.scope) if n.scope != "EU" else pd.DataFrame()
        p = pool.iloc[0] if not pool.empty else {}
        split = need_view.need_split(n.p50, p.get("pool") if len(p) else None, share)
        rows.append({"scope": n.scope, "period": n.period, "kind": n.kind, "scenario": scenario,
                     "need_p10": round(n.p10), "need_p50": round(n.p50), "need_p90": round(n.p90),
                     "pool_c27_c29": p.get("pool") if len(p) else None,
                     "pool_year": p.get("pool_year") if len(p) else None,
                     "reskill_pool_share": share, "need_reskilled": split["reskilled"],
                     "need_new_entrants": split["new_entrants"]})
    out = pd.DataFrame(rows)
    for col in ("pool_c27_c29", "pool_year", "need_reskilled", "need_new_entrants"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
    return out


def run(args) -> int:
    from workforce import db
    from workforce.views import need as need_view

    year = a.number(args.year, "--year", 2024, 2035)
    scenario = a.scenario(args.scenario)
    scopes = args.scope or ["EU"]
    try:
        codes = [need_view.scope_code(s) for s in scopes]
    except ValueError as exc:
        raise CliError(str(exc)) from None
    known = set(db.run("countries")["country"])
    for code in codes:
        if code != "EU" and code[:2] not in known:
            raise CliError(f"unknown scope {code!r}; countries: {', '.join(sorted(known))}")
    a.write(totals(codes, int(year), scenario, db.run), args.out)
    return 0
