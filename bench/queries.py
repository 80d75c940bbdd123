"""`python -m bench queries --rows N`: page-shaped aggregations over N synthetic facts in DuckDB vs pandas
(same process, same Parquet), then every real query in queries/ on the real catalog."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from bench import synth
from bench.common import emit, note, peak_rss_mb, percentile, run_optional, timed_ms
from workforce import db

SCENARIO, YEAR, COUNTRY = "base", 2030, "DE"

# name -> SQL over bench_facts / bench_programmes (loaded next to the real catalog tables)
SQL = {
    "synth_region_year": """
        select nuts_id, year, sum(jobs) as jobs
        from bench_facts where scenario = $scenario
        group by nuts_id, year""",
    "synth_role_country": """
        select role_id, sum(jobs) as jobs
        from bench_facts where country = $country and year = $year and scenario = $scenario
        group by role_id order by jobs desc""",
    "synth_top_regions": """
        select nuts_id, sum(jobs) as jobs
        from bench_facts where year = $year and scenario = $scenario
        group by nuts_id order by jobs desc, nuts_id limit 10""",
    "synth_percentiles": """
        with per_draw as (
            select nuts_id, year, draw, sum(jobs) as jobs
            from bench_facts where scenario = $scenario group by nuts_id, year, draw
        )
        select nuts_id, year, quantile_cont(jobs, 0.05) as p05, quantile_cont(jobs, 0.5) as p50,
               quantile_cont(jobs, 0.95) as p95
        from per_draw group by nuts_id, year""",
    "synth_supply_gap": """
        with demand as (
            select nuts_id, sum(jobs) as demand from bench_facts
            where year = $year and scenario = $scenario group by nuts_id
        ),
        supply as (
            select nuts2 as nuts_id, sum(capacity_per_year) as supply from bench_programmes group by nuts2
        )
        select d.nuts_id, d.demand, coalesce(s.supply, 0) as supply, d.demand - coalesce(s.supply, 0) as gap
        from demand as d left join supply as s on s.nuts_id = d.nuts_id
        order by gap desc, d.nuts_id""",
}
# The same page questions answered from the region x year x scenario x draw rollup (roles summed once at
# build time): what a serving catalog would hold next to the role-level facts.
ROLLUP_SQL = {
    "synth_region_year_rollup": """
        select nuts_id, year, sum(jobs) as jobs
        from bench_region_draw where scenario = $scenario
        group by nuts_id, year""",
    "synth_percentiles_rollup": """
        select nuts_id, year, quantile_cont(jobs, 0.05) as p05, quantile_cont(jobs, 0.5) as p50,
               quantile_cont(jobs, 0.95) as p95
        from bench_region_draw where scenario = $scenario group by nuts_id, year""",
}
ROLLUP_OF = {"synth_region_year_rollup": "synth_region_year", "synth_percentiles_rollup": "synth_percentiles"}

# Served layout: dimensions as ENUMs and rows ordered by the usual filters, so DuckDB's per-row-group min/max
# (zonemaps) skip most of the table for one scenario/year/country. Naive layout = Parquet order, VARCHAR.
LAYOUT_SQL = [
    "create type nuts_t as enum (select distinct nuts_id::varchar from read_parquet($p) order by 1)",
    "create type country_t as enum (select distinct country::varchar from read_parquet($p) order by 1)",
    "create type role_t as enum (select distinct role_id::varchar from read_parquet($p) order by 1)",
    "create type scenario_t as enum (select distinct scenario::varchar from read_parquet($p) order by 1)",
    """create table bench_facts as
       select scenario::scenario_t as scenario, year, country::country_t as country, nuts_id::nuts_t as nuts_id,
              role_id::role_t as role_id, draw, jobs
       from read_parquet($p) order by scenario, year, country, nuts_id""",
]
ROLLUP_BUILD = """create table bench_region_draw as
    select scenario, year, country, nuts_id, draw, sum(jobs) as jobs
    from bench_facts group by all order by scenario, year, country, nuts_id, draw"""

SQL_PARAMS = {
    "synth_region_year": {"scenario": SCENARIO},
    "synth_role_country": {"country": COUNTRY, "year": YEAR, "scenario": SCENARIO},
    "synth_top_regions": {"year": YEAR, "scenario": SCENARIO},
    "synth_percentiles": {"scenario": SCENARIO},
    "synth_supply_gap": {"year": YEAR, "scenario": SCENARIO},
    "synth_region_year_rollup": {"scenario": SCENARIO},
    "synth_percentiles_rollup": {"scenario": SCENARIO},
}


def pandas_ops(facts: pd.DataFrame, programmes: pd.DataFrame) -> dict:
    """The same aggregations in idiomatic pandas (categoricals, observed=True)."""
    def region_year():
        f = facts[facts["scenario"] == SCENARIO]
        return f.groupby(["nuts_id", "year"], observed=True)["jobs"].sum().reset_index()

    def role_country():
        f = facts[(facts["country"] == COUNTRY) & (facts["year"] == YEAR) & (facts["scenario"] == SCENARIO)]
        return f.groupby("role_id", observed=True)["jobs"].sum().sort_values(ascending=False).reset_index()

    def top_regions():
        f = facts[(facts["year"] == YEAR) & (facts["scenario"] == SCENARIO)]
        return f.groupby("nuts_id", observed=True)["jobs"].sum().reset_index() \
            .sort_values(["jobs", "nuts_id"], ascending=[False, True]).head(10)

    def percentiles():
        f = facts[facts["scenario"] == SCENARIO]
        per_draw = f.groupby(["nuts_id", "year", "draw"], observed=True)["jobs"].sum()
        q = per_draw.groupby(level=["nuts_id", "year"], observed=True).quantile([0.05, 0.5, 0.95]).unstack()
        q.columns = ["p05", "p50", "p95"]
        return q.reset_index()

    def supply_gap():
        f = facts[(facts["year"] == YEAR) & (facts["scenario"] == SCENARIO)]
        demand = f.groupby("nuts_id", observed=True)["jobs"].sum().rename("demand")
        supply = programmes.groupby("nuts2", observed=True)["capacity_per_year"].sum().rename("supply")
        out = demand.to_frame().join(supply).fillna({"supply": 0}).reset_index()
        out["gap"] = out["demand"] - out["supply"]
        return out.sort_values(["gap", "nuts_id"], ascending=[False, True])

    return {"synth_region_year": region_year, "synth_role_country": role_country,
            "synth_top_regions": top_regions, "synth_percentiles": percentiles, "synth_supply_gap": supply_gap}


def _check_same(name: str, duck: pd.DataFrame, pand: pd.DataFrame) -> None:
    """Both engines must compute the same thing (else the ratio is meaningless)."""
    num = [c for c in duck.columns if c not in ("nuts_id", "year", "role_id", "draw")]
    if len(duck) != len(pand) or not all(np.allclose(np.sort(duck[c].to_numpy(float)), np.sort(pand[c].to_numpy(float)),
                                                     rtol=1e-6, atol=1e-6) for c in num):
        raise AssertionError(f"{name}: DuckDB and pandas results differ ({len(duck)} vs {len(pand)} rows)")


TYPICAL = {"country": None, "level": 2, "nuts_id": "DE", "year": 2030, "scenario": "base", "lang": "en",
           "region": None, "metric": "jobs"}


def typical_params(con, name: str) -> dict:
    """Params a page passes typically (None = Europe, level 2, 2030, base); unknown params -> None."""
    params = {}
    for p in db.query_params(name):
        if p == "site_id":
            row = con.execute("select site_id from plants where site_id is not null order by site_id limit 1").fetchone()
            params[p] = row[0] if row else "none"
        else:
            params[p] = TYPICAL.get(p)
    return params


def _time_duckdb(con, queries: dict, repeat: int, rows: int, prefix: str = "", suffix: str = "p95_ms") -> dict:
    """Time each query; return {name: (p50, first result)}."""
    out = {}
    for name, sql in queries.items():
        params = SQL_PARAMS[name]
        first = con.execute(sql, params).df()
        times = timed_ms(lambda sql=sql, params=params: con.execute(sql, params).df(), repeat)
        out[name] = (percentile(times, 50), first)
        emit(f"query.{name}.{prefix}{suffix}", percentile(times, 95), "ms", rows, p50=round(out[name][0], 3))
    return out


def bench_synthetic(rows: int, repeat: int, pandas_repeat: int, seed: int, naive: bool) -> None:
    t0 = time.perf_counter()
    files = synth.generate(rows, seed)
    note(f"synthetic data ready in {time.perf_counter() - t0:.1f}s: {files['facts']}")
    facts_path = {"p": str(files["facts"])}
    if naive:  # the table exactly as the Parquet comes: generator order, VARCHAR dimensions
        con = db.build_catalog()
        con.execute("create table bench_facts as select * from read_parquet($p)", facts_path)
        con.execute("create table bench_programmes as select * from read_parquet($p)", {"p": str(files["programmes"])})
        _time_duckdb(con, SQL, repeat, rows, prefix="naive_")
        con.close()
    con = db.build_catalog()  # the real catalog + the synthetic facts: the shape a production catalog would have
    t0 = time.perf_counter()
    for stmt in LAYOUT_SQL:
        con.execute(stmt, facts_path)
    con.execute("create table bench_programmes as select * from read_parquet($p)", {"p": str(files["programmes"])})
    emit("query.synth_build_ms", (time.perf_counter() - t0) * 1000, "ms", rows, note="load+sort+enum")
    t0 = time.perf_counter()
    con.execute(ROLLUP_BUILD)
    rollup_rows = con.execute("select count(*) from bench_region_draw").fetchone()[0]
    emit("query.synth_rollup_build_ms", (time.perf_counter() - t0) * 1000, "ms", rows, rollup_rows=rollup_rows)
    emit("rss.duckdb_peak_mb", peak_rss_mb(), "MB", rows, note="before the pandas frames are loaded")
    facts = pd.read_parquet(files["facts"])
    programmes = pd.read_parquet(files["programmes"])
    duck = {}
    # DuckDB and pandas runs alternate, so both see the same background load (the ratio stays fair on a busy box)
    for name, fn in pandas_ops(facts, programmes).items():
        sql, params = SQL[name], SQL_PARAMS[name]
        first = con.execute(sql, params).df()
        _check_same(name, first, fn())
        d_times, p_times = [], []
        for i in range(repeat):
            t0 = time.perf_counter()
            con.execute(sql, params).df()
            d_times.append((time.perf_counter() - t0) * 1000)
            if i < pandas_repeat:
                t0 = time.perf_counter()
                fn()
                p_times.append((time.perf_counter() - t0) * 1000)
        duck[name] = (percentile(d_times, 50), first)
        emit(f"query.{name}.p95_ms", percentile(d_times, 95), "ms", rows, p50=round(duck[name][0], 3))
        p50 = percentile(p_times, 50)
        emit(f"query.{name}.pandas_p95_ms", percentile(p_times, 95), "ms", rows, p50=round(p50, 3))
        emit(f"query.{name}.speedup_vs_pandas", p50 / duck[name][0] if duck[name][0] else float("nan"), "x", rows)
    del facts, programmes
    rolled = _time_duckdb(con, ROLLUP_SQL, repeat, rows)
    for name, (_, result) in rolled.items():
        _check_same(name, duck[ROLLUP_OF[name]][1], result)
    con.close()


def bench_real(repeat: int) -> None:
    con = db.build_catalog()
    rows = sum(db.table_counts(con).values())
    for name in db.query_names():
        params = typical_params(con, name)
        try:
            db.execute(con, name, params)
        except db.QueryError as exc:
            emit(f"query.{name}.error", str(exc)[:200], "text", rows)
            continue
        times = timed_ms(lambda name=name, params=params: db.execute(con, name, params), repeat)
        emit(f"query.{name}.p95_ms", percentile(times, 95), "ms", rows, p50=round(percentile(times, 50), 3))
    con.close()


def add_arguments(parser) -> None:
    parser.add_argument("--skip-optional", action="store_true", help="do not run bench/forecast.py")
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic fact rows (1000000, 10000000 …)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per DuckDB/real query (after 1 warm-up)")
    parser.add_argument("--pandas-repeat", type=int, default=5, help="timed runs per pandas baseline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-real", action="store_true", help="only the synthetic-scale part")
    parser.add_argument("--naive", action="store_true", help="also time the naive layout (Parquet order, VARCHAR)")


def run(args) -> int:
    bench_synthetic(args.rows, max(1, args.repeat), max(1, min(args.pandas_repeat, args.repeat)), args.seed,
                    args.naive)
    if not args.skip_real:
        bench_real(max(1, args.repeat))
    if not args.skip_optional:
        run_optional("forecast")
    emit("rss.peak_mb", peak_rss_mb(), "MB", args.rows)
    return 0
