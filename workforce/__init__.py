"""Battery Workforce Atlas: data, queries and models behind the dashboard."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"

__all__ = ["ROOT", "DATA_DIR", "QUERIES_DIR"]
