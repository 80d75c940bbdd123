"""`python -m workforce overlaps [--country FI] [--threshold 0.5] [--max-km 50] [--out overlaps.csv]`:
programme pairs in the same region (or within a distance) at the same EQF level with similar roles."""

from __future__ import annotations

from workforce.commands import _training_args as a


def add_arguments(parser) -> None:
    a.add_country_out(parser)
    parser.add_argument("--threshold", default="0.5", help="minimum Jaccard similarity of role sets (0..1, ties count)")
    a.add_max_km(parser)


def run(args) -> int:
    from workforce.views import training_data

    threshold = a.number(args.threshold, "--threshold", 0.0, 1.0)
    max_km = a.number(args.max_km, "--max-km")
    df = training_data.overlaps(a.country(args.country), threshold=threshold, max_km=max_km)
    a.write(df, args.out)
    return 0
