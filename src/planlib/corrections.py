"""A researcher's fixes to the source (data/corrections.csv), applied by `build` and listed in `checks`.

Each correction is keyed by ``source_file, line, value_raw`` and sets a corrected value, year
or indicator_id, or drops the number, with a reason. A correction that matches no row is an
error: a fix must never silently stop applying.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import PlanlibError

COLUMNS = ["source_file", "line", "value_raw", "value", "year", "indicator_id", "kind", "drop", "reason"]
TRUE = {"1", "true", "yes", "y", "drop", "x"}


def read_corrections(path: str | Path | None) -> pd.DataFrame | None:
    """Read the corrections file; ``None`` if it does not exist. Bad rows raise, naming file and line."""
    if path is None or not Path(path).exists():
        return None
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("source_file", "line", "value_raw", "reason") if c not in df.columns]
    if missing:
        raise PlanlibError(f"{path}: missing column(s) {missing}; expected {COLUMNS}")
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    for i, row in df.iterrows():
        where = f"{path}:{i + 2}"
        if not row["line"].strip().isdigit():
            raise PlanlibError(f"{where}: line must be a whole number, got {row['line']!r}")
        if not row["reason"].strip():
            raise PlanlibError(f"{where}: every correction needs a reason")
        if not (row["drop"].strip() or row["value"].strip() or row["year"].strip() or row["indicator_id"].strip() or row["kind"].strip()):
            raise PlanlibError(f"{where}: the correction changes nothing (give value, year, indicator_id, kind or drop)")
        for col in ("value", "year"):
            if row[col].strip():
                try:
                    float(row[col])
                except ValueError:
                    raise PlanlibError(f"{where}: {col} must be a number, got {row[col]!r}") from None
    df["_file_line"] = [i + 2 for i in range(len(df))]
    df["_path"] = str(path)
    return df


def apply_corrections(targets: pd.DataFrame, corrections: pd.DataFrame | None) -> tuple[pd.DataFrame, list[dict]]:
    """Return corrected targets and one `checks` finding per correction applied."""
    if corrections is None or corrections.empty:
        return targets, []
    out = targets.copy()
    findings = []
    drop_index = []
    for _, c in corrections.iterrows():
        mask = (out["source_file"] == c["source_file"]) & (out["line"] == int(c["line"])) & (out["value_raw"] == c["value_raw"])
        if not mask.any():
            raise PlanlibError(f"{c['_path']}:{c['_file_line']}: correction matches no number "
                               f"({c['source_file']} line {c['line']} value {c['value_raw']!r})")
        changes = []
        if c["drop"].strip().lower() in TRUE:
            drop_index.extend(out.index[mask])
            changes.append("dropped")
        else:
            for col, conv in (("value", float), ("year", int), ("indicator_id", str), ("kind", str)):
                if c[col].strip():
                    new = conv(float(c[col])) if col == "year" else conv(c[col].strip())
                    changes.append(f"{col} {out.loc[mask, col].iloc[0]} -> {new}")
                    out.loc[mask, col] = new
                    if col == "indicator_id" and "measure_type" in out.columns:  # what it counts follows the id
                        from .dictionary import measure_type_of
                        out.loc[mask, "measure_type"] = measure_type_of(new) or out.loc[mask, "measure_type"]
            out.loc[mask, "correction"] = c["reason"].strip()
        first = out.loc[mask].iloc[0]
        findings.append({
            "county": first["county"], "check": "correction_applied", "severity": "info",
            "indicator_id": first["indicator_id"] or "", "year": first["year"],
            "message": f"corrections.csv line {c['_file_line']}: {', '.join(changes)} ({c['reason'].strip()})",
            "lines": str(int(c["line"])), "source_file": c["source_file"],
        })
    if drop_index:
        out = out.drop(index=drop_index)
    return out.reset_index(drop=True), findings
