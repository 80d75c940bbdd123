"""`python -m bench synth --rows N [--seed S] [--force]`: write the synthetic Parquet files."""

from __future__ import annotations

import time

from bench import synth
from bench.common import emit


def add_arguments(parser) -> None:
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--force", action="store_true", help="rewrite even if cached")


def run(args) -> int:
    t0 = time.perf_counter()
    files = synth.generate(args.rows, args.seed, force=args.force)
    emit("synth.generate_ms", (time.perf_counter() - t0) * 1000, "ms", args.rows,
         facts_bytes=files["facts"].stat().st_size, programmes_bytes=files["programmes"].stat().st_size)
    return 0
