"""`python -m workforce build [--out build/catalog.duckdb]`: load and validate data/, print row counts.

`python -m workforce build --as-of 2022-07-01 [--out DIR]`: the plant pipeline as it was known at that day
(issue 15): only evidence dated on or before it; each site's status, capacity and jobs from the newest evidence
known then; sites first evidenced later are absent (queries/plants_as_of.sql). Writes plants.csv (same columns
as data/plants.csv), plant_evidence.csv (the evidence rows known then) and totals.csv to DIR (default
build/as_of_<DATE>/; never into data/ unless --force) and prints the totals by status.
"""

from __future__ import annotations

import json
from pathlib import Path

from workforce import DATA_DIR, ROOT
from workforce.cli import CliError


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="DuckDB file to write atomically (default: build/catalog.duckdb); with --as-of a "
                             "directory (default: build/as_of_<DATE>/)")
    parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                        help="rebuild the plant pipeline as known at this day (evidence dated on or before it)")
    parser.add_argument("--force", action="store_true",
                        help="with --as-of: allow writing into data/ (replaces the shipped plants.csv and "
                             "plant_evidence.csv)")
    parser.add_argument("--json", action="store_true", help="print counts as JSON")


def run(args) -> int:
    if args.as_of is not None:
        return run_as_of(args)
    from workforce import db

    out = args.out or ROOT / "build" / "catalog.duckdb"
    frames, issues = db.load_all()
    counts = db.write_catalog_file(out)
    if args.json:
        print(json.dumps({"tables": counts, "issues": [i.__dict__ for i in issues], "out": str(out)}))
    else:
        width = max(len(n) for n in counts)
        for name, n in counts.items():
            print(f"{name:<{width}}  {n:>7,}")
        print(f"catalog written to {out}")
    if issues:
        raise CliError("; ".join(f"{i.file}: {i.problem}" for i in issues))
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def run_as_of(args) -> int:
    from workforce import db, pipeline
    from workforce.export import neutralise
    from workforce.schemas import TABLES
    from workforce.views import hindcast

    try:
        day = pipeline.as_of_day(args.as_of)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    out = args.out or ROOT / "build" / f"as_of_{day}"
    if out.exists() and not out.is_dir():
        raise CliError(f"--out {out} is a file; with --as-of it must be a directory")
    if _inside(out, DATA_DIR) and not args.force:
        raise CliError(f"--out {out} is inside data/ (the shipped data); pass --force to overwrite it")
    plants = pipeline.plants_as_of(day)
    evidence = db.run("plant_evidence", site_id=None, country=None)
    evidence["as_of"] = evidence["as_of"].fillna("").astype(str)
    known = pipeline.pipeline_as_of(evidence, day)
    undated = int(evidence["as_of"].eq("").sum())
    later = len(evidence) - len(known) - undated
    totals = hindcast.pipeline_totals(plants)

    out.mkdir(parents=True, exist_ok=True)
    plant_cols = [c for c in TABLES["plants"].columns if c in plants.columns]
    neutralise(plants[plant_cols]).to_csv(out / "plants.csv", index=False)
    neutralise(known).to_csv(out / "plant_evidence.csv", index=False)
    totals.to_csv(out / "totals.csv", index=False)

    if args.json:
        print(json.dumps({"as_of": day, "out": str(out), "sites": len(plants), "evidence_known": len(known),
                          "evidence_later": later, "evidence_undated": undated,
                          "totals": totals.to_dict(orient="records")}))
        return 0
    print(f"plant pipeline as known at {day}: {len(plants)} sites from {len(known)} evidence rows "
          f"({later} dated later and {undated} undated rows left out)")
    print(f"{'status':<20} {'sites':>6} {'cell GWh/yr':>12} {'kt/yr':>8} {'jobs announced':>15}")
    for r in totals.itertuples():
        print(f"{r.status:<20} {r.sites:>6} {r.cell_gwh:>12,.1f} {r.kt_per_year:>8,.1f} {r.jobs_announced:>15,.0f}")
    print("jobs announced = published targets (a reported headcount is never counted); capacity as stated then")
    print(f"written to {out}/ (plants.csv, plant_evidence.csv, totals.csv)")
    return 0
