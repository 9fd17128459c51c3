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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import __version__, schema
from ..errors import PlanFileError, PlanlibError
from .io import read_table, write_table
from .outdir import (BUILDING_MARK, MANIFEST, TABLE_NAMES, TEXT_DIR, check_output_dir, clean_leftovers, old_path,
                     output_lock, readable_dir, remove_output, swap_in, temp_prefix)
from ..paths import CACHE_DIR, CORRECTIONS_FILE, PROCESSED_DIR, PROJECT_ROOT, RAW_DIR, check_slug, resolve
from ..read.document import Document, as_document
from ..read.formats import read_any
from ..read.text import PlanText, _cited, has_plan_heading, not_a_plan_message

if TYPE_CHECKING:  # textmine loads jieba: imported where the terms are counted
    from ..teach.textmine import TermCounts
    from .io import BackgroundExcel


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


def parse_plan(path: str | Path, text_dir: str | Path | None = None,
               text_path: str | Path | None = None) -> ParsedPlan:
    """Parse one plan file in memory (tables, prose, schools, metadata); raise PlanFileError if it is not a plan.

    Any format :mod:`planlib.read.formats` reads: a web page, a Word file … is read into a derived text,
    and ``text_dir`` names the folder it will be written to as ``<slug>.txt`` (or ``text_path`` the file):
    rows cite it as ``text_file``. ``ParsedPlan.plan.text`` is that text.
    """
    from ..extract.meaning import assign_meaning
    from ..extract.metadata import describe
    from ..extract.projects import apply_project_periods
    from ..extract.prose import extract_prose
    from ..extract.schools import extract_school_tables
    from ..extract.tables import extract_tables

    check_slug(Path(path).stem, path)
    plan = read_any(path, text_dir, text_path)
    doc = Document(plan)  # read once: every extractor below reads its headings, period and furniture
    period = doc.period
    chrome = set(plan.furniture_marks)  # page chrome a reader marked (menus, footers): no numbers from it
    schools = extract_school_tables(doc, skip=chrome)
    tables = extract_tables(doc, period, skip=schools.consumed_lines | chrome)
    skip = tables.consumed_lines | schools.consumed_lines
    doc.table_lines = frozenset(set(skip) | {n for grid in doc.tables for n in grid.lines})  # for the terms
    prose_rows = extract_prose(doc, skip_lines=skip, period=period)
    for row, section in zip(prose_rows, innermost_sections(doc, [r["line"] for r in prose_rows])):
        row["_section"] = section  # lets the checks tell a list's items from restatements elsewhere
    targets = _dedupe(tables.rows + schools.target_rows + prose_rows)  # each cites plan.source_file
    projects = apply_project_periods(doc, targets, period)  # a project's numbers: the end of its 建设年限
    assign_meaning(targets, plan, period)  # basis, span, measure_type: what each number is
    if not has_plan_heading(plan) and not targets:
        raise PlanFileError(plan.path, not_a_plan_message(plan))
    if plan.script == "traditional":  # matched on the simplified conversion; quotes keep the file's characters
        from ..read.script import restore_quotes
        restore_quotes(targets, plan.lines, plan.original_lines)
    _locate(plan, targets)
    _locate(plan, schools.rows)
    return ParsedPlan(plan, targets, schools.rows, tables.findings + schools.findings + projects,
                      describe(doc, period=period), doc)


#: The columns :func:`_locate` gives every row after the extractors (where the line is, and where it was).
LOCATION_COLUMNS = ("text_file", "page", "table_row", "table_col")


def _locate(plan: PlanText, rows: list[dict]) -> None:
    """Give each row its ``text_file`` and, from the reader's line metadata, ``page``, ``table_row``, ``table_col``."""
    text_file = plan.text_file
    meta = plan.meta
    for r in rows:
        r["text_file"] = text_file
        if meta:
            m = meta[r["line"] - 1]
            r["page"], r["table_row"], r["table_col"] = m.page, m.row, m.col


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


#: Files of the raw folder that are not plans.
NOT_PLANS = frozenset({"sources.csv"})


def plan_files(raw_dir: Path) -> list[Path]:
    """Every plan in ``raw_dir``: any file except sources.csv and dotfiles (whatever its format)."""
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and p.name not in NOT_PLANS and not p.name.startswith("."))


def raw_files(raw_dir: Path) -> list[Path]:
    """The plans in ``raw_dir``; refuses (naming every file and the rule) names that are not slugs, and two
    files with one stem (one slug, one plan)."""
    files = plan_files(raw_dir)
    if not files:
        raise PlanlibError(f"{raw_dir}: no plans (.txt, .html, .docx, .pdf) to build from")
    bad = []
    stems: dict[str, list[str]] = {}
    for p in files:
        stems.setdefault(p.stem, []).append(p.name)
        try:
            check_slug(p.stem, p)
        except PlanlibError as exc:
            bad.append(str(exc))
    for stem, names in stems.items():
        if len(names) > 1:
            bad.append(f"{raw_dir}: {' and '.join(names)} share the slug {stem!r} (one slug, one plan); "
                       "keep one of them in data/raw")
    if bad:
        raise PlanlibError("cannot build; bad raw file name(s):\n  " + "\n  ".join(bad))
    return files


def raw_fingerprint(raw_dir: Path) -> str:
    """Hash of the raw folder's plan files and sources.csv: what the tables were built from."""
    h = hashlib.sha256()
    for p in plan_files(raw_dir) + sorted(raw_dir.glob("sources.csv")) + [CORRECTIONS_FILE]:
        if p.exists():
            h.update(p.name.encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@dataclass
class PlanResult:
    """What one plan contributes to the tables: its rows as compact Arrow tables, no Document or text.

    Made by :func:`plan_result` in a worker process (or read back from the cache); small and
    picklable (Arrow buffers, not a pandas frame per table), so a build keeps only these while the
    corpus-wide steps wait for every plan. The rows are typed as the schema says
    (:func:`planlib.schema.rows_to_arrow`) and become pandas once, for the whole corpus
    (:func:`planlib.schema.frame_from_arrow`).
    """

    slug: str
    source_file: str
    targets: pa.Table    # the plan's targets rows in the schema's columns and types
    internal: pa.Table   # key + the parser's working columns (_row_line, _parent_line, _section) the checks read
    schools: pa.Table
    findings: list[dict]
    meta: dict
    term_counts: TermCounts  # teach.textmine.count_terms of this plan: compact (a corpus holds thousands)
    derived_text: str | None = None  # the text read from a web page, Word file, PDF … (None for a plan text)

    _TABLES = ("targets", "internal", "schools")

    def __getstate__(self) -> dict:
        """Pickled with its tables as Arrow IPC streams: read back 4 times faster than pickled tables
        (a driver reads thousands: from workers and from the cache)."""
        state = dict(self.__dict__)
        for name in self._TABLES:
            table = state[name]
            if isinstance(table, pa.Table):
                sink = pa.BufferOutputStream()
                with pa.ipc.new_stream(sink, table.schema) as writer:
                    writer.write_table(table)
                state[name] = sink.getvalue()
        return state

    def __setstate__(self, state: dict) -> None:
        for name in self._TABLES:
            if isinstance(state.get(name), pa.Buffer):
                state[name] = pa.ipc.open_stream(state[name]).read_all()
        self.__dict__.update(state)


#: The parser's working columns the corpus-wide checks read (see :func:`planlib.build.checks.run_checks`).
INTERNAL_COLUMNS = ("_row_line", "_parent_line", "_section")
_ROW_KEY = ("source_file", "line", "char_start")
#: Arrow types of the key and working columns (a line number, or a heading's path)
_INTERNAL_TYPES = {"source_file": pa.string(), "line": pa.int64(), "char_start": pa.int64(),
                   "_row_line": pa.int64(), "_parent_line": pa.int64(), "_section": pa.string()}


def _internal_table(rows: list[dict]) -> pa.Table:
    """The key and working columns of ``rows``: a column for each of them that some row has."""
    present = set().union(*rows) if rows else set()
    names = [k for k in (*_ROW_KEY, *INTERNAL_COLUMNS) if k in present or k in _ROW_KEY]
    return pa.table({k: pa.array([r.get(k) for r in rows], _INTERNAL_TYPES[k], from_pandas=True) for k in names})


def plan_result(path: str | Path) -> PlanResult:
    """Parse one plan into its :class:`PlanResult` (raises PlanFileError as :func:`parse_plan`).

    A top-level function of plain arguments, so a process pool (any start method) or a Dask
    worker can run it.
    """
    from ..teach.textmine import count_terms

    parsed = parse_plan(path)  # a derived text's text_file is set by the build that writes it
    plan = parsed.plan
    return PlanResult(
        slug=parsed.plan.slug, source_file=parsed.plan.source_file,
        targets=schema.rows_to_arrow(parsed.targets, "targets"),
        internal=_internal_table(parsed.targets),
        schools=schema.rows_to_arrow(parsed.schools, "schools"), findings=list(parsed.findings),
        meta=dict(parsed.meta),
        term_counts=count_terms(parsed.document, segmenter="rjieba"),  # jieba-rs: jieba's cuts, ≈15× faster
        # written as read, in the file's own script (quotes are restored to it)
        derived_text=None if plan.format == "text" else (plan.original_text or plan.text))


def _with_text_file(rows: pa.Table, cited: str) -> pa.Table:
    """``rows`` citing ``cited`` as their text_file."""
    at = rows.schema.get_field_index("text_file")
    return rows.set_column(at, rows.schema.field(at), pa.array([cited] * rows.num_rows, pa.string()))


def build_tables(raw_dir: Path, corrections_file: Path | None = CORRECTIONS_FILE,
                 progress: bool = False, jobs: int = 1, cache_dir: Path | None = None,
                 cluster: str | None = None, text_dir: Path | None = None,
                 derived: dict[str, str] | None = None,
                 on_comparison: Callable[[pd.DataFrame], None] | None = None) -> dict[str, pd.DataFrame]:
    """Parse every plan in ``raw_dir`` and return the finished, validated tables (nothing written).

    ``jobs`` worker processes parse the plans (1: in this process); ``cache_dir`` keeps each
    plan's :class:`PlanResult` so an unchanged file is not parsed again (:mod:`planlib.build.cache`);
    ``cluster`` (``"local"`` or a Dask scheduler address) parses on Dask instead. Whichever way, the
    results are put in file order, so the tables are the same bytes. ``progress`` shows a tqdm bar
    per plan on stderr (only when stderr is a terminal).
    ``text_dir``: where the texts derived from web pages, Word files, PDFs … will be written (default:
    data/processed/text), which their rows cite as ``text_file``; ``derived``, when given, receives
    slug -> derived text of each such plan, for the caller to write. ``on_comparison``: see :func:`assemble_tables`.
    """
    from .parallel import collect_results

    files = raw_files(raw_dir)
    text_dir = PROCESSED_DIR / TEXT_DIR if text_dir is None else text_dir
    results = collect_results(files, jobs=jobs, cache_dir=cache_dir, cluster=cluster, progress=progress)
    for r in results:  # a derived text is cited where this build writes it (a worker, or the cache, cannot know)
        if r.derived_text is not None:
            cited = _cited(Path(text_dir) / f"{r.slug}.txt")
            r.targets = _with_text_file(r.targets, cited)
            r.schools = _with_text_file(r.schools, cited)
            if derived is not None:
                derived[r.slug] = r.derived_text
    return assemble_tables(results, raw_dir, corrections_file, cache_dir=cache_dir, on_comparison=on_comparison,
                           release=True)


def assemble_tables(results: list[PlanResult], raw_dir: Path,
                    corrections_file: Path | None = CORRECTIONS_FILE,
                    cache_dir: Path | None = None, release: bool = False,
                    on_comparison: Callable[[pd.DataFrame], None] | None = None) -> dict[str, pd.DataFrame]:
    """The corpus-wide steps on per-plan results (in file order): corrections, plans, derived, comparison, checks, terms.

    ``cache_dir``: the build cache, where the terms step keeps what it tagged (:func:`terms_from_counts`)
    and the checks each plan's findings (:class:`planlib.build.cache.ChecksMemo`).
    ``release``: drop each result's rows and term counts once they are folded into the corpus's tables
    (the caller's results are emptied), so that the build does not hold them twice.
    ``on_comparison``: called with the comparison table as soon as it is final (before the checks and
    the terms are made), so that comparison.xlsx can be written meanwhile by another process.
    """
    from .comparison import comparison_table
    from .corrections import apply_corrections, read_corrections
    from .derived import derived_tables
    from ..extract.dictionary import indicators_frame
    from ..extract.metadata import SOURCE_FIELDS, read_sources

    def finished(df: pd.DataFrame, name: str) -> pd.DataFrame:  # conformed and validated, copied only if need be
        return schema.validate(_conformed(_reindexed(df), name), name)

    sources = read_sources(raw_dir)
    targets = schema.frame_from_arrow([r.targets for r in results], "targets")
    internal = _internal_frame([r.internal for r in results])
    schools = schema.frame_from_arrow([r.schools for r in results], "schools")
    if release:
        for r in results:
            r.targets = r.internal = r.schools = None
    corrections = read_corrections(corrections_file) if corrections_file else None
    targets, correction_findings = apply_corrections(targets, corrections)
    findings = [f for r in results for f in r.findings] + correction_findings
    plans = []
    for r in results:
        row = dict(r.meta)
        src = sources.get(r.slug, {})
        for f in SOURCE_FIELDS:  # what the text says of itself wins; sources.csv fills the gaps
            if src.get(f) and not row.get(f):
                row[f] = src[f]
        row["source_file"] = r.source_file
        plans.append(row)
    # what the comparison is made of first, so that it is final before the checks and the terms
    early = {"targets": finished(_sorted_rows(targets), "targets"),
             "indicators": finished(indicators_frame(), "indicators"),
             "plans": finished(pd.DataFrame(plans).sort_values("county", kind="stable"), "plans")}
    derived, missing = derived_tables(early["targets"], early["indicators"], early["plans"])
    derived = finished(derived, "derived")
    missing = finished(missing, "derived_missing")
    comparison = comparison_table(early["targets"], derived)
    if on_comparison is not None:
        on_comparison(comparison)
    checks = _checks(targets, internal, findings, results, correction_findings, cache_dir)
    del targets, internal
    terms = terms_from_counts([r.term_counts for r in results], raw_dir, cache_dir=cache_dir)
    if release:
        for r in results:
            r.term_counts = None
    return {
        "terms": finished(terms, "terms"),
        **early,
        "schools": finished(schools, "schools"),
        "checks": finished(checks, "checks"),
        "derived": derived,
        "derived_missing": missing,
        "comparison": comparison,
    }


def _conformed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """``schema.conform(df, name)``, without its copy when ``df`` already has the schema's columns and dtypes."""
    return df if schema.has_shape(df, name) else schema.conform(df, name)


def _reindexed(df: pd.DataFrame) -> pd.DataFrame:
    """``df.reset_index(drop=True)``, without its copy when the index is already 0, 1, 2 …"""
    index = df.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return df
    return df.reset_index(drop=True)


def _sorted_rows(targets: pd.DataFrame) -> pd.DataFrame:
    """``targets`` sorted by source_file, line and char_start (stable); as it is when already in that order."""
    keys = ["source_file", "line", "char_start"]
    if not targets.empty and not targets[keys].isna().to_numpy().any():
        files = targets["source_file"].to_numpy(dtype=object)
        change = np.flatnonzero(files[1:] != files[:-1]) + 1  # where the next plan's rows start
        starts = files[np.concatenate(([0], change))]
        if all(a < b for a, b in zip(starts[:-1], starts[1:])):  # plans in source_file order, each once
            plan = np.zeros(len(files), dtype=np.int64)
            plan[change] = 1
            order = np.lexsort((targets["char_start"].to_numpy(dtype=np.int64),
                                targets["line"].to_numpy(dtype=np.int64), np.cumsum(plan)))
            if (order == np.arange(len(order))).all():
                return targets
            return targets.take(order)
    return targets.sort_values(keys, kind="stable")


def _checks(targets: pd.DataFrame, internal: pd.DataFrame, findings: list[dict], results: list[PlanResult],
            correction_findings: list[dict], cache_dir: Path | None) -> pd.DataFrame:
    """:func:`planlib.build.checks.run_checks`, with the findings of unchanged plans from the cache's
    :class:`~planlib.build.cache.ChecksMemo` (a plan a correction touches is always checked again)."""
    from .cache import ChecksMemo, result_key
    from .checks import run_checks

    if cache_dir is None:
        return run_checks(targets, internal, findings)
    memo = ChecksMemo(cache_dir)
    touched = {f["source_file"] for f in correction_findings}
    keys = {r.source_file: result_key(r.meta["sha256"], r.source_file) for r in results
            if r.meta.get("sha256") and r.source_file not in touched}
    known = {f: memo.get(k) for f, k in keys.items() if memo.get(k) is not None}
    found: dict[str, dict] = {}
    checks = run_checks(targets, internal, findings, known=known, found=found)
    kept = {k: known.get(f, found.get(f, {})) for f, k in keys.items()}
    if found or kept.keys() != memo.plans.keys():  # a build of the same files leaves it as it is
        memo.save(kept)
    return checks


def _internal_frame(parts: list[pa.Table]) -> pd.DataFrame:
    """The per-plan working columns as one frame, typed as if built from all rows at once.

    Line columns are numbers with NaN where a row has none (as ``pd.DataFrame`` makes of rows
    that lack the key); a column is there when some plan's rows have it.
    """
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return pd.DataFrame()
    return pa.concat_tables(parts, promote_options="default").combine_chunks().to_pandas()


#: In the build cache: the noise kinds of candidate terms (teach.textmine.NoiseMemo), so a rebuild tags none again.
NOISE_MEMO = "noise_terms.json"


def terms_from_counts(counts: list[TermCounts], raw_dir: Path, top: int = 20,
                      cache_dir: Path | None = None) -> pd.DataFrame:
    """The `terms` table from per-plan term counts: each plan's most distinctive words, place names
    excluded (names from sources.csv). With ``cache_dir``, the noise kinds of the terms are kept there
    (:data:`NOISE_MEMO`) for the next build."""
    from ..teach.textmine import NoiseMemo, distinctive_terms_of_counts, place_names

    memo = NoiseMemo(Path(cache_dir) / NOISE_MEMO) if cache_dir is not None else None
    terms = distinctive_terms_of_counts(counts, top=top, exclude=place_names(raw_dir),
                                        kind_of=memo.kind if memo is not None else None)
    if memo is not None:
        memo.save()
    terms["score"] = terms["score"].round(6)  # stable bytes across platforms' last-bit differences
    return terms


def distinctive_terms_table(plans: list[PlanText | Document], raw_dir: Path, top: int = 20) -> pd.DataFrame:
    """The `terms` table from plans read in memory (see :func:`terms_from_counts`)."""
    from ..teach.textmine import count_terms

    return terms_from_counts([count_terms(p, segmenter="rjieba") for p in plans], raw_dir, top=top)


def build(raw_dir: str | Path | None = None, out_dir: str | Path | None = None,
          progress: bool = False, jobs: int = 1, cache_dir: str | Path | None = None,
          cluster: str | None = None, csv: bool = True,
          notify: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Build all tables and swap them into ``out_dir``; on any error nothing is written.

    Refuses, before parsing anything, an ``out_dir`` that is a file, the project root, the raw
    folder, a folder holding either, or a non-empty folder that a build did not write
    (:func:`planlib.outdir.check_output_dir`). Paths are taken from the current directory.
    ``jobs``, ``cache_dir`` and ``cluster``: see :func:`build_tables` (from Python the default is
    one process and no cache; the command line uses every core and ``.cache/planlib``).
    ``csv=False`` writes Parquet only. ``notify`` receives what the build leaves out and why
    (comparison.xlsx past Excel's limits); the default warns.
    """
    raw = resolve(raw_dir, RAW_DIR)
    out = resolve(out_dir, PROCESSED_DIR)
    if raw.exists() and not raw.is_dir():
        raise PlanlibError(f"{raw}: is a file, not a folder; --raw takes the folder that holds the plan texts (*.txt)")
    if not raw.is_dir():
        raise PlanlibError(f"{raw}: raw folder not found")
    protected = [(PROJECT_ROOT, "the project root"), (RAW_DIR, "the project's raw folder"), (raw, "the raw folder")]
    check_output_dir(out, protected)
    cache = None if cache_dir is None else resolve(cache_dir, CACHE_DIR)
    derived: dict[str, str] = {}  # slug -> the text derived from a web page, Word file, PDF …
    early = _EarlyExcel(jobs)
    try:
        tables = build_tables(raw, progress=progress, jobs=jobs, cache_dir=cache, cluster=cluster,
                              text_dir=out / TEXT_DIR, derived=derived, on_comparison=early.start)
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
                # build_tables validated every table where it made it: written without validating again
                write_outputs(tables, tmp, csv=csv, derived=derived, jobs=jobs, notify=notify, validated=True,
                              excel=early.job)
                manifest = {"planlib_version": __version__, "raw_fingerprint": raw_fingerprint(raw),
                            "files": [p.name for p in plan_files(raw)],
                            "rows": {name: int(len(df)) for name, df in tables.items()}}
                (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8")
                (tmp / BUILDING_MARK).unlink()
                swap_in(tmp, out)
            except BaseException:
                if tmp.exists():
                    remove_output(tmp)
                raise
    except BaseException:
        early.stop()
        raise
    return tables


class _EarlyExcel:
    """Starts writing comparison.xlsx in a process of its own as soon as the comparison table is final
    (``assemble_tables``' ``on_comparison``), while the driver makes the checks and terms and writes the
    other tables: where :func:`write_outputs` would write it in the background (``jobs`` > 1, a large
    table within Excel's limits)."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.job = None

    def start(self, comparison: pd.DataFrame) -> None:
        from .io import EXCEL_BACKGROUND_CELLS, BackgroundExcel, excel_problem

        if self.jobs > 1 and comparison.size >= EXCEL_BACKGROUND_CELLS and excel_problem(comparison) is None:
            self.job = BackgroundExcel(comparison)

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()


def write_outputs(tables: dict[str, pd.DataFrame], folder: Path, csv: bool = True,
                  derived: dict[str, str] | None = None, jobs: int = 1,
                  notify: Callable[[str], None] | None = None, validated: bool = False,
                  excel: BackgroundExcel | None = None) -> float:
    """Write every table (CSV + Parquet), the derived texts and comparison.xlsx into ``folder``.

    With ``jobs`` > 1 and a large comparison table, comparison.xlsx is written by a process of its
    own while this one writes the rest (:class:`planlib.build.io.BackgroundExcel`); ``excel``, such a
    process started earlier on ``tables["comparison"]`` (by :func:`build`, as soon as that table was
    final), is waited for instead. On any error that process is ended before the error goes on, so the
    caller can remove ``folder`` whole. ``validated``: the tables are as :func:`build_tables` returns
    them, validated there (:func:`planlib.build.io.write_table`). Returns the CPU seconds of the
    background process (0.0 when there is none), which this process's clock does not see.
    """
    from .io import EXCEL_BACKGROUND_CELLS, BackgroundExcel, excel_problem

    comparison = tables.get("comparison")
    if comparison is not None:
        problem = excel_problem(comparison)
        if problem is not None:
            message = f"comparison.xlsx not written: {problem} (comparison.parquet holds the table)"
            if notify is None:
                warnings.warn(message, stacklevel=3)
            else:
                notify(message)
            comparison = None
    background = excel if comparison is not None else None
    if excel is not None and background is None:
        excel.stop()
    try:
        if background is None and comparison is not None and jobs > 1 and comparison.size >= EXCEL_BACKGROUND_CELLS:
            background = BackgroundExcel(comparison, folder / "comparison.xlsx")
        for name, df in tables.items():
            write_table(df, name, folder, csv=csv, validated=validated)
        if derived:  # the texts that text_file names, inside the same all-or-nothing swap
            (folder / TEXT_DIR).mkdir()
            for slug, text in sorted(derived.items()):
                (folder / TEXT_DIR / f"{slug}.txt").write_text(text, encoding="utf-8", newline="\n")
        if background is not None:
            return background.wait(folder / "comparison.xlsx")
        if comparison is not None:
            from .comparison import write_excel
            write_excel(comparison, folder / "comparison.xlsx")
        return 0.0
    except BaseException:
        if background is not None:
            background.stop()
        raise


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
