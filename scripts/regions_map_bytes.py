"""Bytes and traces of the /regions map as shipped (issue 19): run the page in AppTest (Europe, NUTS-2, metric
`jobs`, default layers) and print one JSON line per figure: spec bytes, gzip bytes, trace count, and bytes per
map role (`meta.map`, plant layers as "plants"). Usage: python scripts/regions_map_bytes.py [--metric gap]"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def role(trace: dict) -> str:
    meta = trace.get("meta") or {}
    if not isinstance(meta, dict):
        return "other"
    return meta.get("map") or ("plants" if meta.get("plants") or "status" in meta or "outline" in meta else "other")


def main() -> int:
    from streamlit.testing.v1 import AppTest

    from bench.common import figure_specs

    parser = argparse.ArgumentParser()
    parser.add_argument("--metric", default="jobs")
    args = parser.parse_args()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["level"] = "2"
    at.run()
    at.switch_page("pages/regions.py")
    at.query_params["metric"] = args.metric
    at.run()
    spec = max(figure_specs(at), key=len)
    fig = json.loads(spec)
    sizes, counts = Counter(), Counter()
    for trace in fig["data"]:
        sizes[role(trace)] += len(json.dumps(trace, separators=(",", ":")))
        counts[role(trace)] += 1
    print(json.dumps({"metric": args.metric, "spec_bytes": len(spec.encode()),
                      "gzip_bytes": len(gzip.compress(spec.encode(), 6)), "traces": len(fig["data"]),
                      "traces_by_role": dict(counts), "bytes_by_role": dict(sizes)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
