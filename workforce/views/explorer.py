"""/explorer's tables: the sandbox schema (cached per process) and one user query in a bounded sandbox pool.

The page imports this module, never workforce.db (pages use view builders only)."""

from __future__ import annotations

import pandas as pd

from workforce import db

SandboxError = db.SandboxError  # refused, failed, stopped or busy: the message is safe to show
SandboxBusy = db.SandboxBusy
EXPORT_MAX_ROWS = db.EXPORT_MAX_ROWS


def schema() -> pd.DataFrame:
    """table_name, column_name, data_type of every table the explorer can query."""
    return db.sandbox_schema()


def query(sql: str, max_rows: int) -> tuple[pd.DataFrame, bool]:
    """(rows, truncated) of one read-only user query; raises SandboxError (SandboxBusy past the pool)."""
    return db.run_user_sql(sql, max_rows=max_rows)
