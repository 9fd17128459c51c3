"""A researcher's fixes to the source (data/corrections.csv), applied by `build` and listed in `checks`.

Each correction is keyed by ``source_file, line, value_raw`` and sets a corrected value, year
or indicator_id, or drops the number, with a reason. ``line`` is a line of the row's ``text_file``
(the plan itself for a .txt; the derived text for a web page or Word file), and ``source_file`` may
name either the original or that text. A correction that matches no row is an
error: a fix must never silently stop applying.

The file is decoded like a plan (UTF-8 with or without BOM, GB18030/GBK, UTF-16 ...) and read
with the csv module; every malformed row is reported as ``file:line`` before anything is built.
"""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from ..errors import PlanlibError
from ..schema import KINDS
from ..read.text import decode_bytes

COLUMNS = ["source_file", "line", "value_raw", "value", "year", "indicator_id", "kind", "drop", "reason"]
REQUIRED = ("source_file", "line", "value_raw", "reason")
#: The only values of ``drop``: empty means no.
DROP_VALUES = ("", "yes", "no")
_WHOLE = re.compile(r"[0-9]+")


def read_corrections(path: str | Path | None) -> pd.DataFrame | None:
    """Read the corrections file; ``None`` if it does not exist or is blank.

    Raises one :class:`PlanlibError` listing every bad row as ``file:line: what is wrong``.
    """
    if path is None or not Path(path).exists():
        return None
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanlibError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if not raw.strip():
        return None
    text, _ = decode_bytes(raw, path)  # names the file if it is binary or in no known encoding
    header, records, errors = _records(text, path)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        what = "; ".join(filter(None, [missing and f"missing column(s) {', '.join(missing)}",
                                       unknown and f"unknown column(s) {', '.join(unknown)}"]))
        raise PlanlibError(f"{path}:1: {what}; the columns are {', '.join(COLUMNS)}")
    known = set(_indicator_ids())
    rows, seen = [], {}
    for line, fields in records:
        where = f"{path}:{line}"
        if len(fields) != len(header):
            errors.append(f"{where}: {len(fields)} fields, the header has {len(header)} (a stray comma or quote?)")
            continue
        row = {c: "" for c in COLUMNS} | {c: v.strip() for c, v in zip(header, fields)}
        problems = _problems(row, known)
        key = (row["source_file"], row["line"], row["value_raw"])
        if key in seen:
            problems.append(f"the same number is corrected at line {seen[key]} already")
        seen.setdefault(key, line)
        errors.extend(f"{where}: {p}" for p in problems)
        rows.append({**row, "_file_line": line})
    if errors:
        raise PlanlibError(f"{path}: {len(errors)} bad correction(s):\n  " + "\n  ".join(errors))
    df = pd.DataFrame(rows, columns=[*COLUMNS, "_file_line"])
    df["_path"] = str(path)
    return df


def _records(text: str, path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Header and (first line, fields) of each non-blank record; a quoting error names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []
    records, errors = [], []
    previous_end = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            hint = "a quote opened here is never closed" if "end of data" in str(exc) else "a stray quote?"
            errors.append(f"{path}:{previous_end + 1}: cannot read the row ({exc}; {hint})")
            previous_end = reader.line_num
            continue  # the reader goes on with the next line
        start, previous_end = previous_end + 1, reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if not header:
            header = [f.strip() for f in fields]
            continue
        records.append((start, fields))
    if not header:
        raise PlanlibError(f"{path}:1: no header row; the columns are {', '.join(COLUMNS)}")
    return header, records, errors


def _problems(row: dict, known_ids: set[str]) -> list[str]:
    problems = []
    if not _WHOLE.fullmatch(row["line"]) or int(row["line"]) < 1:
        problems.append(f"line must be a whole number from 1, got {row['line']!r}")
    if not row["source_file"]:
        problems.append("source_file is empty")
    if not row["value_raw"]:
        problems.append("value_raw is empty")
    if not row["reason"]:
        problems.append("every correction needs a reason")
    drop = row["drop"].lower()
    if drop not in DROP_VALUES:
        problems.append(f"drop must be yes or no (or empty), got {row['drop']!r}")
    changes = [c for c in ("value", "year", "indicator_id", "kind") if row[c]]
    if drop == "yes" and changes:
        problems.append(f"drop=yes together with {', '.join(changes)}: drop the number or change it, not both")
    if drop != "yes" and not changes and drop in DROP_VALUES:
        problems.append("the correction changes nothing (give value, year, indicator_id, kind or drop=yes)")
    if row["value"]:
        try:
            if not math.isfinite(float(row["value"])):
                raise ValueError
        except ValueError:
            problems.append(f"value must be a number, got {row['value']!r}")
    if row["year"] and not _WHOLE.fullmatch(row["year"]):
        problems.append(f"year must be a whole number such as 2025, got {row['year']!r}")
    if row["kind"] and row["kind"] not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}, got {row['kind']!r}")
    if row["indicator_id"] and row["indicator_id"] not in known_ids:
        problems.append(f"indicator_id {row['indicator_id']!r} is not in the dictionary (src/planlib/data/indicators.yml)")
    return problems


def _indicator_ids() -> list[str]:
    from ..extract.dictionary import load_indicators

    return list(load_indicators())


def apply_corrections(targets: pd.DataFrame, corrections: pd.DataFrame | None) -> tuple[pd.DataFrame, list[dict]]:
    """Return corrected targets and one `checks` finding per correction applied."""
    if corrections is None or corrections.empty:
        return targets, []
    out = targets.copy()
    findings = []
    drop_index = []
    for _, c in corrections.iterrows():
        named = out["source_file"] == c["source_file"]
        if "text_file" in out.columns:
            named |= out["text_file"] == c["source_file"]
        mask = named & (out["line"] == int(c["line"])) & (out["value_raw"] == c["value_raw"])
        if not mask.any():
            raise PlanlibError(f"{c['_path']}:{c['_file_line']}: correction matches no number "
                               f"({c['source_file']} line {c['line']} value {c['value_raw']!r})")
        changes = []
        if c["drop"].lower() == "yes":
            drop_index.extend(out.index[mask])
            changes.append("dropped")
        else:
            for col, conv in (("value", float), ("year", int), ("indicator_id", str), ("kind", str)):
                if c[col].strip():
                    new = conv(c[col].strip())
                    changes.append(f"{col} {out.loc[mask, col].iloc[0]} -> {new}")
                    out.loc[mask, col] = new
                    if col == "indicator_id" and "measure_type" in out.columns:  # what it counts follows the id
                        from ..extract.dictionary import measure_type_of
                        out.loc[mask, "measure_type"] = measure_type_of(new) or out.loc[mask, "measure_type"]
            out.loc[mask, "correction"] = c["reason"].strip()
        first = out.loc[mask].iloc[0]
        findings.append({
            "county": first["county"], "check": "correction_applied", "severity": "info",
            "indicator_id": first["indicator_id"] or "", "year": first["year"],
            "message": f"corrections.csv line {c['_file_line']}: {', '.join(changes)} ({c['reason'].strip()})",
            "lines": str(int(c["line"])), "source_file": first["source_file"],
        })
    if drop_index:
        out = out.drop(index=drop_index)
    return out.reset_index(drop=True), findings
