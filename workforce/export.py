"""Exports: tables to CSV/XLSX/Parquet with formula cells neutralised, charts to images (pure)."""

from __future__ import annotations

import io

import pandas as pd

from workforce.text import neutralise_cell


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of df where string cells starting with = + - @ tab or CR are prefixed with a quote."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_cell, na_action="ignore")
    out.columns = [neutralise_cell(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    neutralise(df).to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")
