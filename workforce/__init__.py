"""Battery Workforce Atlas: data, queries and models behind the dashboard."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
STORE_PATH = ROOT / ".data" / "store.sqlite"  # the embedded contributions store (workforce.store.DEFAULT_PATH)


def store_configured() -> bool:
    """A contributions store exists to read: WORKFORCE_STORE_URL is set, or the embedded SQLite file was created.
    Here (not only in workforce.store) so a page can ask without importing SQLAlchemy."""
    return bool(os.environ.get("WORKFORCE_STORE_URL")) or STORE_PATH.is_file()


__all__ = ["ROOT", "DATA_DIR", "QUERIES_DIR", "STORE_PATH", "store_configured"]
