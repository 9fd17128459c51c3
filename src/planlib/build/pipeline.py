"""Build every table from data/raw into data/processed, whole or not at all.

``build`` parses each plan, applies a researcher's corrections, runs the source checks,
validates every table against :mod:`planlib.schema` and writes CSV + Parquet into a
temporary folder that replaces the output folder (see :mod:`planlib.outdir`: what it
refuses to replace, the lock, and how an interrupted build is recovered).
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__, schema
from ..errors import PlanFileError, PlanlibError
from .io import read_table, write_table
from .outdir import (BUILDING_MARK, MANIFEST, TABLE_NAMES, check_output_dir, clean_leftovers, old_path,
                     output_lock, readable_dir, remove_output, swap_in, temp_prefix)
from ..paths import CORRECTIONS_FILE, PROCESSED_DIR, PROJECT_ROOT, RAW_DIR, check_slug, resolve
from ..read.document import Document, as_document
from ..read.text import PlanText, has_plan_heading, not_a_plan_message, read_plan


class StaleTablesWarning(UserWarning):
    """data/processed was built from other raw files or another planlib version."""


@dataclass
class ParsedPlan:
    """One plan parsed in memory: its rows, school rows, findings and self-description."""

    plan: PlanText
    targets: list[dict] = field(default_factory=list)
    schools: list[dict] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    document: Document | None = None  # the plan read once: headings, period, furniture, table grids

    def frame(self, name: str) -> pd.DataFrame:
        rows = {"targets": self.targets, "schools": self.schools, "checks": self.findings}[name]
        public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        df = pd.DataFrame(public) if public else schema.empty_frame(name)
        return schema.conform(df, name)

    @property
    def targets_frame(self) -> pd.DataFrame:
        return self.frame("targets")


def parse_plan(path: str | Path) -> ParsedPlan:
    """Parse one plan file in memory (tables, prose, schools, metadata); raise PlanFileError if it is not a plan."""
    from ..extract.meaning import assign_meaning
    from ..extract.metadata import describe
    from ..extract.prose import extract_prose
    from ..extract.schools import extract_school_tables
    from ..extract.tables import extract_tables

    check_slug(Path(path).stem, path)
    plan = read_plan(path)
    doc = Document(plan)  # read once: every extractor below reads its headings, period and furniture
    period = doc.period
    schools = extract_school_tables(doc)
    tables = extract_tables(doc, period, skip=schools.consumed_lines)
    skip = tables.consumed_lines | schools.consumed_lines
    doc.table_lines = frozenset(set(skip) | {n for grid in doc.tables for n in grid.lines})  # for the terms
    prose_rows = extract_prose(doc, skip_lines=skip, period=period)
    for row, section in zip(prose_rows, innermost_sections(doc, [r["line"] for r in prose_rows])):
        row["_section"] = section  # lets the checks tell a list's items from restatements elsewhere
    targets = _dedupe(tables.rows + schools.target_rows + prose_rows)  # each cites plan.source_file
    assign_meaning(targets, plan, period)  # basis, span, measure_type: what each number is
    if not has_plan_heading(plan) and not targets:
        raise PlanFileError(plan.path, not_a_plan_message(plan))
    return ParsedPlan(plan, targets, schools.rows, tables.findings + schools.findings,
                      describe(doc, period=period), doc)


def innermost_sections(plan: PlanText | Document, lines: list[int]) -> list[str]:
    """The path of the innermost heading (一/（二）/3) that holds each line, '' before any heading."""
    by_line = as_document(plan).innermost_heading()
    return [by_line[line] if 0 <= line < len(by_line) else "" for line in lines]


def _dedupe(rows: list[dict]) -> list[dict]:
    """Keep the first row per key (tables come before prose): the key is the number's place in the file."""
    seen, out = set(), []
    for r in rows:
        key = (r["source_file"], r["line"], r["char_start"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def raw_files(raw_dir: Path) -> list[Path]:
    """The plan texts in ``raw_dir``; refuses (naming every file and the rule) names that are not slugs."""
    files = sorted(p for p in raw_dir.glob("*.txt") if p.is_file())
    if not files:
        raise PlanlibError(f"{raw_dir}: no plan texts (*.txt) to build from")
    bad = []
    for p in files:
        try:
            check_slug(p.stem, p)
        except PlanlibError as exc:
            bad.append(str(exc))
    if bad:
        raise PlanlibError("cannot build; bad raw file name(s):\n  " + "\n  ".join(bad))
    return files


def raw_fingerprint(raw_dir: Path) -> str:
    """Hash of the raw folder's plan files and sources.csv: what the tables were built from."""
    h = hashlib.sha256()
    for p in sorted(raw_dir.glob("*.txt")) + sorted(raw_dir.glob("sources.csv")) + [CORRECTIONS_FILE]:
        if p.exists():
            h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def build_tables(raw_dir: Path, corrections_file: Path | None = CORRECTIONS_FILE,
                 progress: bool = False) -> dict[str, pd.DataFrame]:
    """Parse every plan in ``raw_dir`` and return the finished, validated tables (nothing written).

    ``progress`` shows a tqdm bar per plan on stderr (only when stderr is a terminal).
    """
    from .checks import run_checks
    from .comparison import comparison_table
    from .corrections import apply_corrections, read_corrections
    from .derived import derived_tables
    from ..extract.dictionary import indicators_frame
    from ..extract.metadata import SOURCE_FIELDS, read_sources

    from tqdm import tqdm

    parsed, errors = [], []
    files = raw_files(raw_dir)
    # one refresh per plan (mininterval=0): a plan takes long enough that this costs nothing
    with tqdm(files, desc="plans", unit="plan", disable=None if progress else True, leave=False,
              mininterval=0) as bar:
        for path in bar:
            bar.set_postfix_str(path.name, refresh=True)
            try:
                parsed.append(parse_plan(path))
            except PlanFileError as exc:
                errors.append(str(exc))
    if errors:
        raise PlanlibError("cannot build; bad raw file(s):\n  " + "\n  ".join(errors))
    sources = read_sources(raw_dir)
    targets = pd.concat([p.targets_frame for p in parsed], ignore_index=True)
    corrections = read_corrections(corrections_file) if corrections_file else None
    targets, correction_findings = apply_corrections(targets, corrections)
    internal = pd.DataFrame([r for p in parsed for r in p.targets])
    findings = [f for p in parsed for f in p.findings] + correction_findings
    checks = run_checks(targets, internal, findings)
    plans = []
    for p in parsed:
        row = dict(p.meta)
        src = sources.get(p.plan.slug, {})
        for f in SOURCE_FIELDS:  # what the text says of itself wins; sources.csv fills the gaps
            if src.get(f) and not row.get(f):
                row[f] = src[f]
        row["source_file"] = p.plan.source_file
        plans.append(row)
    tables = {
        "terms": distinctive_terms_table([p.document for p in parsed], raw_dir),
        "targets": targets.sort_values(["source_file", "line", "char_start"], kind="stable"),
        "indicators": indicators_frame(),
        "plans": pd.DataFrame(plans).sort_values("county", kind="stable"),
        "schools": pd.concat([p.frame("schools") for p in parsed], ignore_index=True),
        "checks": checks,
    }
    tables = {name: schema.validate(schema.conform(df.reset_index(drop=True), name), name) for name, df in tables.items()}
    derived, missing = derived_tables(tables["targets"], tables["indicators"], tables["plans"])
    tables["derived"] = schema.validate(schema.conform(derived, "derived"), "derived")
    tables["derived_missing"] = schema.validate(schema.conform(missing, "derived_missing"), "derived_missing")
    tables["comparison"] = comparison_table(tables["targets"], tables["derived"])
    return tables


def distinctive_terms_table(plans: list[PlanText | Document], raw_dir: Path, top: int = 20) -> pd.DataFrame:
    """The `terms` table: each plan's most distinctive words, place names excluded (names from sources.csv)."""
    from ..teach.textmine import distinctive_terms, place_names, term_frequencies

    tf = term_frequencies(plans, segmenter="rjieba")  # jieba-rs: the same words on the plans measured, ≈15× faster
    terms = distinctive_terms(tf, top=top, exclude=place_names(raw_dir))
    terms["source_file"] = terms["county"].map({p.slug: p.source_file for p in plans})
    terms["score"] = terms["score"].round(6)  # stable bytes across platforms' last-bit differences
    return terms


def build(raw_dir: str | Path | None = None, out_dir: str | Path | None = None,
          progress: bool = False) -> dict[str, pd.DataFrame]:
    """Build all tables and swap them into ``out_dir``; on any error nothing is written.

    Refuses, before parsing anything, an ``out_dir`` that is a file, the project root, the raw
    folder, a folder holding either, or a non-empty folder that a build did not write
    (:func:`planlib.outdir.check_output_dir`). Paths are taken from the current directory.
    """
    raw = resolve(raw_dir, RAW_DIR)
    out = resolve(out_dir, PROCESSED_DIR)
    if raw.exists() and not raw.is_dir():
        raise PlanlibError(f"{raw}: is a file, not a folder; --raw takes the folder that holds the plan texts (*.txt)")
    if not raw.is_dir():
        raise PlanlibError(f"{raw}: raw folder not found")
    protected = [(PROJECT_ROOT, "the project root"), (RAW_DIR, "the project's raw folder"), (raw, "the raw folder")]
    check_output_dir(out, protected)
    tables = build_tables(raw, progress=progress)
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        clean_leftovers(out)
        check_output_dir(out, protected)  # again: it may have changed while we parsed
        if old_path(out).exists() or old_path(out).is_symlink():
            raise PlanlibError(f"{old_path(out)}: is in the way of the swap and was not made by planlib; "
                               "move it elsewhere")
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(out), dir=out.parent))
        try:
            (tmp / BUILDING_MARK).touch()
            tmp.chmod(0o755)
            for name, df in tables.items():
                write_table(df, name, tmp)
            if "comparison" in tables:
                from .comparison import write_excel
                write_excel(tables["comparison"], tmp / "comparison.xlsx")
            manifest = {"planlib_version": __version__, "raw_fingerprint": raw_fingerprint(raw),
                        "files": sorted(p.name for p in raw.glob("*.txt")),
                        "rows": {name: int(len(df)) for name, df in tables.items()}}
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
            (tmp / BUILDING_MARK).unlink()
            swap_in(tmp, out)
        except BaseException:
            if tmp.exists():
                remove_output(tmp)
            raise
    return tables


def load_tables(processed_dir: str | Path | None = None, warn_stale: bool = True) -> dict[str, pd.DataFrame]:
    """The finished tables as DataFrames; warn when they are stale against data/raw and this version.

    A relative ``processed_dir`` is taken from the current directory. If a build was stopped
    while swapping its output in, the previous tables are put back (or read where they are).
    """
    out = readable_dir(resolve(processed_dir, PROCESSED_DIR))
    if not (out / "targets.csv").exists() and not (out / "targets.parquet").exists():
        raise PlanlibError(f"{out}: no tables here; run `planlib build` (or `make data`) first")
    tables = {name: read_table(name, out) for name in TABLE_NAMES
              if (out / f"{name}.parquet").exists() or (out / f"{name}.csv").exists()}
    if (out / "comparison.parquet").exists():
        tables["comparison"] = pd.read_parquet(out / "comparison.parquet")
    if warn_stale:
        _warn_if_stale(out)
    return tables


def _warn_if_stale(out: Path) -> None:
    manifest_path = out / MANIFEST
    if not manifest_path.exists():
        warnings.warn(f"{out}: no {MANIFEST}; cannot tell whether the tables are current", StaleTablesWarning, stacklevel=3)
        return
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    reasons = []
    if manifest.get("planlib_version") != __version__:
        reasons.append(f"built with planlib {manifest.get('planlib_version')}, this is {__version__}")
    if out.resolve() == PROCESSED_DIR.resolve() and RAW_DIR.is_dir() and manifest.get("raw_fingerprint") != raw_fingerprint(RAW_DIR):
        reasons.append("data/raw (or data/corrections.csv) changed since the build")
    if reasons:
        warnings.warn(f"{out}: tables are stale ({'; '.join(reasons)}); run `planlib build`", StaleTablesWarning, stacklevel=3)
