"""`python -m workforce import KIND FILE` — import a data file.

Kinds: ``eurostat`` (implemented: Eurostat TSV / SDMX-CSV, see workforce.ingest), ``plants`` and
``programmes`` (placeholders: another module wires their validation later by adding an entry to
IMPORTERS). Prints a JSON summary on stdout; exit 0 ok, 2 on user errors (workforce.cli.CliError).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workforce.cli import CliError


def _add_eurostat(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, nargs="?", help="Eurostat file: old bulk TSV, current TSV or SDMX-CSV (.gz ok)")
    p.add_argument("--fetch", metavar="DATASET",
                   help="download DATASET (e.g. nama_10r_3gdp) from the Eurostat API instead of reading FILE; "
                        "cached in .cache/eurostat/ ($WORKFORCE_CACHE_DIR/eurostat/); offline: the cached copy, "
                        "else exit 2")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds for the download (default 15)")
    p.add_argument("--format", dest="fetch_format", choices=("tsv", "json"), default="tsv",
                   help="API answer to fetch: gzip TSV (default) or JSON-stat; both go through the same reader")
    p.add_argument("--dataset", help="dataset code when the file does not name it (default: from file)")
    p.add_argument("--out", type=Path, help="also write the tidy table to this .parquet or .csv file")


def _run_eurostat(args: argparse.Namespace) -> int:
    from workforce.ingest import IngestError, read_eurostat, summarise

    if args.out is not None and args.out.suffix.lower() not in (".parquet", ".csv"):
        raise CliError(f"--out must end in .parquet or .csv, got {args.out.name}")
    fetched = _fetch(args) if args.fetch else None
    path: Path | None = fetched.path if fetched else args.file
    if path is None:
        raise CliError("give a FILE or --fetch DATASET")
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    try:
        df = read_eurostat(path, dataset=args.dataset)
    except IngestError as exc:
        raise CliError(f"{path.name}: refused (not a readable Eurostat file): {exc}") from exc
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if args.out.suffix.lower() == ".parquet":
            df.to_parquet(args.out, index=False)
        else:
            from workforce import export

            export.neutralise(df).to_csv(args.out, index=False)  # cells starting with = + - @ neutralised
    summary = summarise(df)
    summary["file"] = str(path)
    _print_warnings(path.name, summary)
    if fetched is not None:
        summary["fetched"] = "now" if fetched.fresh else f"cached copy of {fetched.saved_on}"
        if fetched.error:
            summary["fetch_error"] = fetched.error
    if df.attrs.get("last_update"):
        summary["last_update"] = df.attrs["last_update"]
    if args.out is not None:
        summary["out"] = str(args.out)
    print(json.dumps(summary, indent=2, sort_keys=False))
    return 0


def _print_warnings(name: str, summary: dict) -> None:
    """Cell-level problems go to stderr (the file is still read; exit 0): one line per warning listed."""
    import sys

    for w in summary.get("warning_list", []):
        print(f"warning: {name}: {w['message']}", file=sys.stderr)
    listed = sum(1 for w in summary.get("warning_list", []) if w.get("kind") == "malformed_cell")
    if summary.get("malformed_cells", 0) > listed:
        print(f"warning: {name}: {summary['malformed_cells'] - listed:,} more malformed cells not listed",
              file=sys.stderr)


def _fetch(args: argparse.Namespace):
    import sys

    from workforce import eurostat_refresh, ingest

    if args.file is not None:
        raise CliError("give either FILE or --fetch DATASET, not both")
    directory = eurostat_refresh.cache_dir()
    try:
        fetched = ingest.fetch_eurostat(args.fetch, directory, timeout=max(0.1, args.timeout),
                                        fmt=getattr(args, "fetch_format", "tsv"))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if fetched.path is None:
        raise CliError(f"Eurostat is unreachable or the download failed ({fetched.error}); "
                       f"no cached copy of {fetched.dataset} in {directory}")
    if not fetched.fresh:
        print(f"warning: Eurostat is unreachable or the download failed ({fetched.error}); using the copy cached on {fetched.saved_on}: {fetched.path}", file=sys.stderr)
    return fetched


def _not_yet(kind: str):
    def run(args: argparse.Namespace) -> int:
        raise CliError(f"import {kind}: not yet implemented")

    return run


def _add_file_only(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path)


def _add_upload(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="CSV/TSV (UTF-8, cp1252; , ; or tab) or XLSX, max 50 MB")
    p.add_argument("--rejects", type=Path, help="write rejected rows with a `reason` column to this CSV")


def _upload_runner(kind: str):
    """Validate a plants/programmes file like the /sources upload: exit 0 all valid, 2 otherwise."""

    def run(args: argparse.Namespace) -> int:
        from workforce import export, upload

        path: Path = args.file
        if not path.is_file():
            raise CliError(f"no such file: {path}")
        if path.stat().st_size > upload.MAX_BYTES:
            raise CliError(f"{path.name}: larger than {upload.MAX_MB} MB")
        try:
            df = upload.read_table_file(path.read_bytes(), path.name)
        except upload.UploadError as exc:
            raise CliError(str(exc)) from None
        valid, rejected, messages = upload.validate(df, kind)
        if args.rejects is not None:
            args.rejects.parent.mkdir(parents=True, exist_ok=True)
            args.rejects.write_bytes(export.to_csv_bytes(rejected))
        summary = {"file": str(path), "table": kind, **upload.summary(df, valid, rejected, messages)}
        if args.rejects is not None:
            summary["rejects"] = str(args.rejects)
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0 if summary["rejected"] == 0 and summary["rows"] > 0 else 2

    return run


# kind -> (add_arguments, run, help). Other importers register here.
IMPORTERS = {
    "eurostat": (_add_eurostat, _run_eurostat, "Eurostat TSV/SDMX-CSV file -> JSON summary (and --out table)"),
    "plants": (_add_upload, _upload_runner("plants"), "plants CSV/XLSX -> validate, JSON summary (--rejects)"),
    "programmes": (_add_upload, _upload_runner("programmes"), "programmes CSV/XLSX -> validate, JSON summary"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="kind", metavar="KIND")
    for kind, (add, run, help_text) in IMPORTERS.items():
        p = sub.add_parser(kind, help=help_text, description=help_text)
        add(p)
        p.set_defaults(_import_run=run)


def run(args: argparse.Namespace) -> int:
    runner = getattr(args, "_import_run", None)
    if runner is None:
        raise CliError("usage: python -m workforce import {" + "|".join(IMPORTERS) + "} FILE")
    return int(runner(args) or 0)
