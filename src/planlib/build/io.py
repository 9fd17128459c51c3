"""Writing and reading finished tables: CSV (UTF-8 with BOM, for Excel) and Parquet side by side."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema


def write_table(df: pd.DataFrame, name: str, out_dir: Path) -> list[Path]:
    """Validate ``df`` against its schema and write ``name.csv`` and ``name.parquet`` reproducibly."""
    if name in schema.TABLES:
        df = schema.validate(schema.conform(df, name), name)
    csv_path = out_dir / f"{name}.csv"
    pq_path = out_dir / f"{name}.parquet"
    df.to_csv(csv_path, index=False, encoding="utf-8-sig", lineterminator="\n")
    # no pandas index metadata, fixed compression: byte-identical output for identical frames
    df.to_parquet(pq_path, index=False, compression="zstd", engine="pyarrow")
    return [csv_path, pq_path]


def read_table(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read one table, preferring Parquet (keeps dtypes), falling back to the CSV."""
    pq_path = processed_dir / f"{name}.parquet"
    if pq_path.exists():
        df = pd.read_parquet(pq_path)
    else:
        csv_path = processed_dir / f"{name}.csv"
        df = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
    if name in schema.TABLES:
        df = schema.conform(df, name)
    return df
