"""Seedable synthetic job-demand facts and programme records at scale (bench only, never shown in the app).

facts: one row per NUTS-2 region x role x year x scenario x Monte Carlo draw (real 2024 NUTS-2 codes from
data/geo/nuts_regions.csv, synthetic role ids R01..R40), enumerated scenario/year innermost, draw outermost, truncated at `rows`.
programmes: rows // 100 (at least 100) synthetic training programmes placed in the same regions.
Written as Parquet (dictionary-encoded strings, 1M-row groups) under .cache/bench/.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.common import CACHE_DIR
from workforce import DATA_DIR

YEARS = np.arange(2024, 2036, dtype=np.int16)
SCENARIOS = ("base", "fast_ramp", "delays", "high_automation")
SCENARIO_FACTOR = np.array([1.0, 1.25, 0.8, 0.7])
N_ROLES = 40
CHUNK = 1_000_000


def regions() -> list[str]:
    """Real NUTS-2 (2024) codes, sorted."""
    df = pd.read_csv(DATA_DIR / "geo" / "nuts_regions.csv", dtype={"nuts_id": str}, usecols=["nuts_id", "version", "level"])
    return sorted(df.loc[(df["version"] == 2024) & (df["level"] == 2), "nuts_id"].unique())


def roles() -> list[str]:
    return [f"R{i:02d}" for i in range(1, N_ROLES + 1)]


def _dict_array(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int32()), pa.array(labels, type=pa.string()))


def facts_batches(rows: int, seed: int = 0):
    """Yield pyarrow RecordBatches of the first `rows` facts, deterministic for (rows, seed)."""
    regs, rls = regions(), roles()
    countries = sorted({r[:2] for r in regs})
    country_of = np.array([countries.index(r[:2]) for r in regs], dtype=np.int32)
    rng = np.random.default_rng(seed)
    region_weight = rng.lognormal(0.0, 1.0, len(regs))          # some regions are hubs
    role_share = rng.dirichlet(np.ones(len(rls))) * len(rls)      # mean 1
    ramp = np.linspace(0.3, 1.6, len(YEARS))                      # demand grows towards 2035
    n_reg, n_role, n_year, n_scen = len(regs), len(rls), len(YEARS), len(SCENARIOS)
    for start in range(0, rows, CHUNK):
        i = np.arange(start, min(start + CHUNK, rows), dtype=np.int64)
        scen = (i % n_scen).astype(np.int32)          # innermost: every slice has data even at small sizes
        rest = i // n_scen
        year = (rest % n_year).astype(np.int32)
        rest //= n_year
        reg = (rest % n_reg).astype(np.int32)
        rest //= n_reg
        role = (rest % n_role).astype(np.int32)
        draw = (rest // n_role).astype(np.int32)
        mean = 25.0 * region_weight[reg] * role_share[role] * ramp[year] * SCENARIO_FACTOR[scen]
        jobs = np.round(mean * rng.lognormal(0.0, 0.25, len(i)), 1)
        yield pa.record_batch({
            "nuts_id": _dict_array(reg, regs),
            "country": _dict_array(country_of[reg], countries),
            "role_id": _dict_array(role, rls),
            "year": pa.array(YEARS[year]),
            "scenario": _dict_array(scen, list(SCENARIOS)),
            "draw": pa.array(draw),
            "jobs": pa.array(jobs),
        })


def programmes_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    regs, rls = regions(), roles()
    n = max(100, rows // 100)
    rng = np.random.default_rng([seed, 1])
    reg = rng.integers(0, len(regs), n)
    return pd.DataFrame({
        "programme_id": [f"SP{i:07d}" for i in range(n)],
        "nuts2": pd.Categorical.from_codes(reg, regs),
        "country": pd.Categorical([regs[r][:2] for r in reg]),
        "role_id": pd.Categorical.from_codes(rng.integers(0, len(rls), n), rls),
        "eqf_level": rng.integers(3, 8, n).astype("int16"),
        "mode": pd.Categorical.from_codes(rng.integers(0, 3, n), ["vet", "higher_ed", "upskilling"]),
        "capacity_per_year": rng.integers(10, 400, n).astype("int32"),
    })


def paths(rows: int, seed: int = 0, cache_dir: Path = CACHE_DIR) -> dict[str, Path]:
    return {"facts": cache_dir / f"facts_{rows}_s{seed}.parquet",
            "programmes": cache_dir / f"programmes_{rows}_s{seed}.parquet"}


def generate(rows: int, seed: int = 0, cache_dir: Path = CACHE_DIR, force: bool = False) -> dict[str, Path]:
    """Write (or reuse) the Parquet files for (rows, seed); returns their paths."""
    if rows < 1:
        raise ValueError("rows must be positive")
    out = paths(rows, seed, cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    if force or not out["facts"].exists():
        tmp = out["facts"].with_suffix(".tmp")
        writer = None
        try:
            for batch in facts_batches(rows, seed):
                if writer is None:
                    writer = pq.ParquetWriter(tmp, batch.schema, compression="zstd")
                writer.write_batch(batch, row_group_size=CHUNK)
        finally:
            if writer is not None:
                writer.close()
        tmp.replace(out["facts"])
    if force or not out["programmes"].exists():
        tmp = out["programmes"].with_suffix(".tmp")
        programmes_frame(rows, seed).to_parquet(tmp, index=False)
        tmp.replace(out["programmes"])
    return out
