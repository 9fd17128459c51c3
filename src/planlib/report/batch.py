"""Reports: what the notebooks call (:class:`CountyReport`, :class:`Comparison`) and the batch that runs them.

The batch (:func:`run_reports`) executes notebooks/county_report.ipynb once per county with
papermill in a pool of worker processes, then the comparison notebook, and exports each to
HTML (code hidden, figures embedded, CJK font embedded) in the same worker. Each notebook and
page is written under a temporary name and moved in only when complete, so an interrupted or
failed run keeps the previous good report; reports/index.html is the landing page a reader
starts from, with the build status of every report at the bottom.

Every string that comes from a plan, sources.csv, corrections or a file name is escaped before
it reaches HTML (tables through :meth:`_Report.table`, prose through :func:`html.escape`, the
index through an autoescaping Jinja template), and every page carries a Content-Security-Policy
that forbids scripts.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from markupsafe import Markup

from .. import paths

COUNTY_NOTEBOOK = "county_report.ipynb"
COMPARE_NOTEBOOK = "compare_counties.ipynb"
COMPARISON = "compare"  #: folder and status name of the comparison report
DOWNLOADS = "downloads"  #: folder of reports/ that holds copies of the built tables
TABLE_NAMES = ("targets", "indicators", "plans", "schools", "checks")
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
#: the reports need no script: none may run, whatever a plan's text smuggles in
CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")
PARTIAL = ".part-"  #: marks a notebook or page still being written (``.report.part-<pid>.ipynb``)
FAILED = "failed"  #: stem of the notebook and page a failed run leaves for inspection


# ---------------------------------------------------------------------------------------------
# words and numbers as a reader sees them


@functools.cache
def _all_labels() -> dict:
    from ..datafiles import package_yaml

    return package_yaml("report_labels.yml")


def labels(lang: str) -> dict:
    """The words shown to readers in ``lang`` (src/planlib/data/report_labels.yml)."""
    return _all_labels()[lang]


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_number(value, decimals: int = 2) -> str:
    """A number as a reader writes it: thousands separators, no trailing zeros, blank when missing.

    >>> format_number(47700.0), format_number(98.50), format_number(1234567.891), format_number(None)
    ('47,700', '98.5', '1,234,567.89', '')
    """
    if _missing(value):
        return ""
    value = float(value)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_quantity(value, unit: str, lang: str = "zh") -> str:
    """A value with its unit; large sums of yuan in 万元 / 亿元 (Chinese) or million / billion yuan (English).

    >>> format_quantity(47700.0, "人"), format_quantity(3.2e9, "元"), format_quantity(95.0, "%")
    ('47,700人', '32亿元', '95%')
    >>> format_quantity(1.34e8, "元", "en"), format_quantity(3.2e9, "元", "en"), format_quantity(47700, "人", "en")
    ('134 million yuan', '3.2 billion yuan', '47,700 persons')
    """
    if _missing(value):
        return ""
    value, unit = float(value), unit if isinstance(unit, str) else ""
    if unit == "元" and lang == "en":
        for size, word in ((1e9, "billion yuan"), (1e6, "million yuan")):
            if abs(value) >= size:
                return f"{format_number(value / size)} {word}"
    elif unit == "元" and abs(value) >= 1e8:
        value, unit = value / 1e8, "亿元"
    elif unit == "元" and abs(value) >= 1e4:
        value, unit = value / 1e4, "万元"
    shown = labels(lang)["units"].get(unit, unit) if unit else ""
    number = format_number(value)
    if not shown:
        return number
    if shown == "%" or lang == "zh":
        return f"{number}{shown}"
    return f"{number} {shown}"


def _utc(ts: float | None) -> str:
    """A POSIX time as 'YYYY-MM-DD HH:MM:SS UTC' ('' for none)."""
    if ts is None:
        return ""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _partial_name(path: Path) -> Path:
    """Where ``path`` is written before it is complete: ``.report.part-<pid>.html`` (same folder, same suffix)."""
    return path.with_name(f".{path.stem}{PARTIAL}{os.getpid()}{path.suffix}")


def _remove_partials(folder: Path) -> list[Path]:
    """Delete the half-written files an earlier, killed run left here (ours by name; live writers' kept)."""
    removed = []
    for leftover in folder.glob(f".*{PARTIAL}*"):
        pid_text = leftover.name.split(PARTIAL, 1)[1].split(".", 1)[0]
        if not pid_text.isdigit() or not leftover.is_file() or _pid_alive(int(pid_text)):
            continue
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no cheap probe without psutil: keep the file (it is hidden and small)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` under a temporary name beside ``path`` and move it in whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _partial_name(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---------------------------------------------------------------------------------------------
# tables


_TABLES_CACHE: dict = {}  #: folder -> (files' size and mtime, tables): one read per kernel, not one per report


def _tables_signature(folder: Path) -> tuple:
    """Name, size and mtime of every table file in ``folder``: a rebuilt table changes it."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                 if e.is_file() and e.name.endswith((".parquet", ".csv", ".json")))


def load_tables(processed_dir: str | Path | None = None, warn_stale: bool = True) -> dict:
    """The five processed tables; ``planlib.load_tables`` when the pipeline provides it.

    Kept in memory per folder while its files are unchanged (the batch runs a hundred reports in one
    kernel: the tables are read once, not once per report). Each call gets its own frames: shallow copies that
    pandas' copy-on-write copies for real only if a report changes one, so no report sees another's changes.
    """
    try:
        from ..build.pipeline import load_tables as pipeline_load
    except ImportError:  # pragma: no cover - the pipeline is part of the package
        pipeline_load = None
    folder = paths.resolve(processed_dir, paths.PROCESSED_DIR)
    key = str(folder.resolve()) if folder.exists() else str(folder)
    signature = _tables_signature(folder)
    cached = _TABLES_CACHE.get(key)
    if cached is not None and signature and cached[0] == signature:
        if warn_stale and pipeline_load is not None:
            from ..build import pipeline

            pipeline._warn_if_stale(folder)  # the same warning as a fresh read
        return _own_copies(cached[1])
    if pipeline_load is not None:
        tables = pipeline_load(processed_dir, warn_stale=warn_stale)
    else:  # pragma: no cover
        from ..build.io import read_table

        tables = {name: read_table(name, folder) for name in TABLE_NAMES}
    if signature and signature == _tables_signature(folder):  # not rebuilt while we read
        _TABLES_CACHE.clear()  # one folder at a time: a kernel does not hoard old corpora
        _TABLES_CACHE[key] = (signature, tables)
    return _own_copies(tables)


def _own_copies(tables: dict) -> dict:
    return {name: frame.copy(deep=False) for name, frame in tables.items()}


def national_targets(indicators=None):
    """National 十四五 targets (package data) with their source, keyed by indicator_id.

    Rows without an id are matched to the dictionary by Chinese name or alias; the derived table
    reads the same rows (one reader: :func:`planlib.build.derived.read_national`).
    """
    from ..build.derived import read_national

    return read_national(indicators)


def build_date() -> str:
    """Today, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


# ---------------------------------------------------------------------------------------------
# what the notebooks call


class _RenderLog(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record):
        self.sink.append(f"{record.name}: {record.getMessage()}")


class _Report:
    """Shared by the county and comparison reports: tables, output folder, warnings seen while drawing."""

    figure_functions: dict = {}

    def __init__(self, name: str, processed_dir=None, out_dir=None, lang: str = "zh", svg: bool = True):
        from . import fonts

        if lang not in ("zh", "en"):
            from ..errors import PlanlibError

            raise PlanlibError(f"lang must be 'zh' or 'en', not {lang!r}")
        self.lang = lang
        self.labels = labels(lang)
        self.tables = load_tables(processed_dir)
        self.root = paths.resolve(out_dir, paths.PROJECT_ROOT)
        self.figures_dir = self.root / "figures" / name
        self.render_warnings: list[str] = []
        self.saved: list[Path] = []
        self.svg = bool(svg)  #: also save each figure as SVG (a third of a county report's CPU)
        fonts.use_style()

    def _draw(self, key: str):
        raise NotImplementedError

    def figure(self, key: str, show: bool = True):
        """Draw figure ``key``; save PNG, SVG (if asked) and CSV (its values with their source lines); show the PNG and,
        below it, the source lines of what it plots. Warnings are recorded (and still shown)."""
        from . import plots

        log = logging.getLogger("matplotlib")
        handler = _RenderLog(self.render_warnings)
        log.addHandler(handler)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fig = self._draw(key)
                files = plots.save_figure(fig, self.figures_dir / key, svg=self.svg)
        finally:
            log.removeHandler(handler)
        for w in caught:
            self.render_warnings.append(f"{w.category.__name__}: {w.message}")
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        self.saved += files
        if show:
            from IPython.display import HTML, Image, display

            display(Image(data=files[0].read_bytes(), format="png"))
            table = self._sources_html(plots.figure_data(fig))
            if table:
                display(HTML(table))
        return fig

    _SOURCE_HEADERS = {"zh": ("地区", "指标", "学段", "数值", "单位", "年份", "来源（文件:行）", "原文或算法"),
                       "en": ("Place", "Indicator", "Level", "Value", "Unit", "Year", "Source (file:line)", "Quote or method")}

    def _sources_html(self, data) -> str:
        """The plotted values and the lines they come from, as an HTML table (plan text escaped)."""
        from . import plots

        if data is None or data.empty:
            return ""
        rows = []
        for r in data.to_dict("records"):  # (a Series per row cost more than the row's HTML)
            files = str(r["source_file"]).split(";")
            lines = str(r["line"]).split(";")
            where = "; ".join(f"{Path(f).name}:{ln}" for f, ln in zip(files * len(lines) if len(files) == 1 else files, lines))
            year = r["year"] if _notna(r["year"]) else (f"{int(r['span_start'])}–{int(r['span_end'])}"
                                                        if _notna(r["span_start"]) and _notna(r["span_end"]) else "")
            year = str(int(year)) if isinstance(year, float) else str(year)
            value = float(r["value"])
            shown = f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 1e4 else f"{value:,.0f}"
            quote = r["quote"] if isinstance(r["quote"], str) else ""
            if r["basis"] == "derived":
                from ..build.derived import in_language

                quote = in_language(quote, self.lang)
            cells = [r["place"], self.indicator_name(r["indicator_id"]), plots.level_label(r["level"], self.lang),
                     f"{plots._cmp_prefix(r['comparator'])}{shown}", r["unit"], year, where, quote]
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{h}</th>" for h in self._SOURCE_HEADERS.get(self.lang, self._SOURCE_HEADERS["zh"]))
        return (f'<details class="planlib-sources"><summary>{"图中数值的来源" if self.lang == "zh" else "Sources of the values shown"}'
                f' ({len(rows)})</summary><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></details>')

    def warnings_summary(self) -> dict:
        """What went wrong while drawing, as JSON output the tests read (expected: nothing).

        Invisible to readers: the exported page shows only an HTML comment in its place.
        """
        summary = {"render_warnings": self.render_warnings, "figures": [str(p) for p in self.saved]}
        try:
            from IPython.display import display

            display({"application/json": summary, "text/html": "<!-- planlib render warnings -->"}, raw=True,
                    metadata={"planlib": "render-warnings"})
        except ImportError:  # pragma: no cover - outside IPython
            pass
        return summary

    def _plan_rows(self, counties):
        plans = self.tables["plans"]
        return plans[plans["county"].isin(counties)]

    def _footer(self, counties) -> str:
        from .. import __version__

        e = html.escape
        lines = [f"planlib {e(__version__)} · {e(self.labels['text']['built'])} {e(build_date())}"]
        for _, row in self._plan_rows(counties).iterrows():
            lines.append(f"<code>{e(str(row['source_file']))}</code> sha256 <code>{e(str(row['sha256']))}</code>")
        return Markup('<hr><div class="planlib-footer">' + "<br>".join(lines) + "</div>")

    def _display_html(self, markup: str, plain: str | None = None) -> str:
        """Show ready-escaped HTML (``plain``: the text/plain fallback, tags stripped if not given)."""
        import re

        from IPython.display import display

        plain = plain if plain is not None else html.unescape(re.sub(r"<[^>]+>", "", markup))
        display({"text/html": markup, "text/plain": plain}, raw=True)
        return markup

    def _display_md(self, text: str) -> str:
        """Show Markdown with any HTML in it escaped (so a name from a plan cannot become markup).

        Markdown syntax (headings, emphasis) still renders; inside backticks the escapes would show,
        so callers put plan text in plain prose, not in code spans.
        """
        from IPython.display import Markdown, display

        if isinstance(text, Markup):  # already-escaped HTML built here (e.g. the footer)
            return self._display_html(str(text))
        display(Markdown(html.escape(text, quote=False)))
        return text

    def section(self, key: str) -> str:
        """A section heading in the report's language (``key`` in report_labels.yml ``sections``)."""
        title = self.labels["sections"].get(key, key)
        self._display_html(f"<h2>{html.escape(title)}</h2>", title)
        return title

    def place_name(self, county: str) -> str:
        """The place's name in the report's language (sources.csv), else its slug."""
        rows = self._plan_rows([county])
        if rows.empty:
            return county
        row = rows.iloc[0]
        for col in (("name_en", "name_zh") if self.lang == "en" else ("name_zh", "name_en")):
            if col in row and isinstance(row[col], str) and row[col].strip():
                return row[col].strip()
        return county

    def admin_level(self, county: str) -> str:
        """plans.admin_level in the report's language ('' when sources.csv does not say)."""
        rows = self._plan_rows([county])
        raw = rows.iloc[0].get("admin_level") if not rows.empty else None
        if not isinstance(raw, str) or not raw.strip():
            return ""
        return self.labels["admin_levels"].get(raw.strip(), raw.strip())

    def indicator_name(self, indicator_id, fallback: str = "") -> str:
        """An indicator's name in the report's language (the dictionary), else ``fallback`` or the id."""
        if _missing(indicator_id) or not str(indicator_id):
            return fallback
        name = self._indicator_names().get(indicator_id)
        if isinstance(name, str) and name:
            return name
        return fallback or str(indicator_id)

    def _indicator_names(self) -> dict:
        """indicator_id -> name in the report's language, the dictionary's first row for each (made once: a report
        names a hundred indicators, and a filter of the dictionary for each cost more than its tables)."""
        if getattr(self, "_names", None) is None:
            ind = self.tables["indicators"]
            col = "label_en" if self.lang == "en" else "indicator_zh"
            names: dict = {}
            for key, name in zip(ind["indicator_id"].tolist(), ind[col].to_numpy(dtype=object, na_value=None).tolist()):
                names.setdefault(key, name)
            self._names = names
        return self._names

    def table(self, df, columns: dict[str, str] | None = None, formats: dict | None = None,
              caption: str | None = None, show: bool = True, right=None):
        """Show ``df`` for readers: headers in the report's language, numbers formatted, every string escaped.

        ``columns`` maps a column to a key of report_labels.yml ``columns`` (or to a header as is);
        ``formats`` maps a column to a callable (value -> text) or to "number" / "int" / "year" (those, and
        the columns in ``right``, are right-aligned).
        Returns the Styler (cells, index labels and caption all HTML-escaped).
        """
        formats = dict(formats or {})
        shown = df.reset_index(drop=True)
        if columns:
            shown = shown[list(columns)]
            shown.columns = [self.labels["columns"].get(v, v) for v in columns.values()]
            formats = {self.labels["columns"].get(columns.get(k, k), columns.get(k, k)): f for k, f in formats.items()}
        named = {"number": format_number, "int": lambda v: format_number(v, 0),
                 "year": lambda v: "" if _missing(v) else str(int(v))}
        funcs = {}
        for col in shown.columns:
            f = formats.get(col)
            f = named.get(f, f) if isinstance(f, str) else f
            funcs[col] = f or (lambda v: "" if _missing(v) else (format_number(v) if isinstance(v, (int, float)) else str(v)))
        numeric = [c for c in shown.columns if formats.get(c) in ("number", "int", "year")] + \
            [self.labels["columns"].get(columns.get(c, c), columns.get(c, c)) if columns else c for c in (right or [])]
        styler = (shown.style.hide(axis="index")
                  .format(funcs, escape="html")
                  .format_index(escape="html", axis=1)
                  .set_table_attributes('class="planlib-table"')
                  .set_table_styles([{"selector": "th", "props": [("white-space", "nowrap")]}])
                  .set_properties(**{"text-align": "left", "white-space": "normal", "vertical-align": "top"}))
        if numeric:
            styler = styler.set_properties(subset=numeric, **{"text-align": "right", "white-space": "nowrap"})
        if caption:
            styler = styler.set_caption(html.escape(caption))
        if show:
            from IPython.display import display

            display(styler)
        return styler


def _short_lines(lines, limit: int = 12) -> str:
    """'1;2;3' -> '1, 2, 3', at most ``limit`` numbers then '…'.

    >>> _short_lines("5;9;12", limit=2)
    '5, 9, …'
    """
    parts = [p for p in str(lines or "").split(";") if p]
    return ", ".join(parts[:limit]) + (", …" if len(parts) > limit else "")


class CountyReport(_Report):
    """One county's report: heading, figures, data-quality table, citable footer."""

    def __init__(self, county: str, processed_dir=None, out_dir=None, lang: str = "zh", svg: bool = True):
        from . import plots
        from ..errors import PlanlibError

        super().__init__(county, processed_dir, out_dir, lang, svg)
        self.county = county
        plans = self.tables["plans"]
        if not (plans["county"] == county).any():
            raise PlanlibError(f"{county!r} is not in the processed tables (plans has {sorted(plans['county'])}); "
                               "run `planlib build` after adding data/raw/<county>.txt")
        self.national = national_targets(self.tables["indicators"])
        self.figure_functions = plots.COUNTY_FIGURES

    def _draw(self, key: str):
        t = self.tables
        kwargs = {"plans": t["plans"], "lang": self.lang, "checks": t.get("checks")}  # findings marked on values
        if key == "rates":
            kwargs["national"] = self.national
        return self.figure_functions[key](t["targets"], t["indicators"], self.county, **kwargs)

    def heading(self) -> str:
        """Place name and admin level, the plan's title, issuer, document number and period."""
        e = html.escape
        row = self._plan_rows([self.county]).iloc[0]
        text = self.labels["text"]
        cols = self.labels["columns"]

        def field(name):
            value = row.get(name)
            return value.strip() if isinstance(value, str) and value.strip() else ""

        level = self.admin_level(self.county)
        badge = f' <span class="planlib-level">{e(level)}</span>' if level else ""
        facts = []
        for key, value in (("title", field("title")), ("issuer", " ".join(filter(None, [field("issuer"), field("doc_number")]))),
                           ("period", self._period(row))):
            if value:
                facts.append(f"<tr><th>{e(cols[key])}</th><td>{e(value)}</td></tr>")
        n = int((self.tables["targets"]["county"] == self.county).sum())
        read = text["numbers_read"].format(n=format_number(n), file="\x00")
        before, after = read.split("\x00")
        markup = (f"<h1>{e(self.place_name(self.county))}{badge}</h1>"
                  f'<table class="planlib-facts">{"".join(facts)}</table>'
                  f"<p>{e(before)}<code>{e(field('source_file'))}</code>{e(after)}</p>")
        return self._display_html(markup)

    def _period(self, row) -> str:
        start, end = row.get("period_start"), row.get("period_end")
        if _missing(start) or _missing(end):
            return ""
        return self.labels["text"]["period"].format(start=int(start), end=int(end))

    def title(self) -> str:
        """The page title: '<place>教育事业发展规划报告' / '<place>: education plan report'."""
        return self.labels["text"]["report_title"].format(place=self.place_name(self.county))

    def key_numbers(self):
        """Each indicator's baseline and target with units (the ``comparison`` table), lines cited."""
        table = self.tables.get("comparison")
        rows = None if table is None else table[table["county"] == self.county]
        if rows is None or rows.empty:
            return self._display_md(self.labels["text"]["no_key_numbers"])
        self._display_md(self.labels["text"]["key_numbers_intro"])
        levels = self.labels["levels"]

        def stated(value, year, comparator, unit):
            if _missing(value):
                return ""
            sign = {">=": "≥ ", "<=": "≤ ", ">": "> ", "<": "< ", "approx": "≈ "}.get(comparator if isinstance(comparator, str) else "", "")
            when = "" if _missing(year) else f" ({int(year)})"
            return f"{sign}{format_quantity(value, unit, self.lang)}{when}"

        shown = rows.assign(
            indicator=[self.indicator_name(i, zh) for i, zh in zip(rows["indicator_id"], rows["indicator_zh"])],
            level=[levels.get(v, v) if isinstance(v, str) else "" for v in rows["level"]],
            baseline=[stated(v, y, c, u) for v, y, c, u in zip(rows["baseline"], rows["baseline_year"],
                                                               rows["baseline_comparator"], rows["unit"])],
            target=[stated(v, y, c, u) for v, y, c, u in zip(rows["target"], rows["target_year"],
                                                             rows["target_comparator"], rows["unit"])],
            lines=[_short_lines(x) for x in rows["source_lines"]],
        )
        domains = {d: i for i, d in enumerate(("enrollment", "teachers", "funding", "schools"))}
        shown = (shown.assign(_order=shown["domain"].map(domains).fillna(len(domains)))
                 .sort_values(["_order", "indicator_id", "level"], kind="stable"))
        self.table(shown, {"indicator": "indicator", "level": "level", "baseline": "baseline", "target": "target",
                           "lines": "lines"}, right=["baseline", "target"])
        return shown

    def checks(self):
        """The data-quality findings for this county, as a table (or a line saying there are none)."""
        checks = self.tables["checks"]
        rows = checks[checks["county"] == self.county][["severity", "check", "indicator_id", "year", "message", "lines"]]
        if rows.empty:
            return self._display_md(self.labels["text"]["no_findings"])
        self._display_md(self.labels["text"]["checks_intro"])
        order = {"error": 0, "warning": 1, "info": 2}
        rows = rows.assign(_order=rows["severity"].map(order).fillna(3)).sort_values(["_order", "check"])
        rows = rows.drop(columns="_order").reset_index(drop=True)
        shown = rows.assign(
            severity=[self.labels["severities"].get(v, v) for v in rows["severity"]],
            check=[self.labels["checks"].get(v, v) for v in rows["check"]],
            indicator=[self.indicator_name(i) for i in rows["indicator_id"]],
            lines=[_short_lines(x) for x in rows["lines"]],
        )
        self.table(shown, {"severity": "severity", "check": "check", "indicator": "indicator", "year": "year",
                           "message": "message", "lines": "lines"}, formats={"year": "year"})
        return rows

    def terms(self, top: int = 15):
        """The words that set this plan apart from the others (the `terms` table), with their first line."""
        terms = self.tables.get("terms")
        if terms is None or terms.empty or not (terms["county"] == self.county).any():
            return self._display_md(self.labels["text"]["no_terms"])
        self._display_md(self.labels["text"]["terms_intro"])
        rows = terms[terms["county"] == self.county].sort_values("rank").head(top)
        rows = rows[["rank", "term", "count", "score", "first_line"]].reset_index(drop=True)
        rows["score"] = rows["score"].astype(float).round(2)
        self.table(rows, {c: c for c in rows.columns},
                   formats={"rank": "int", "count": "int", "first_line": "int", "score": lambda v: f"{v:.2f}"})
        return rows

    def footer(self) -> str:
        return self._display_html(str(self._footer([self.county])))


def _notna(value) -> bool:
    """True for a real value (not None, NaN or pd.NA)."""
    import pandas as pd

    return value is not None and not (isinstance(value, float) and value != value) and not (value is pd.NA)


class Comparison(_Report):
    """The cross-place report: enrollment, teachers and funding, each compared on like measures only.

    Like measures: the same indicator, level, basis (a level at a date, a cumulative total ...), unit and
    measure type (stock, flow, rate, money, designation). Raw counts are set side by side per level with
    each place's admin level; growth, money per pupil and gaps to the national targets come from the
    `derived` table. A measure only one place states is listed as that place's figure.
    """

    def __init__(self, counties=None, indicators=None, processed_dir=None, out_dir=None, lang: str = "zh"):
        super().__init__(COMPARISON, processed_dir, out_dir, lang)
        known = list(self.tables["plans"]["county"])
        self.counties = [c for c in (counties or known) if c in known]
        self.indicator_ids = list(indicators or [])
        self.national = national_targets(self.tables["indicators"])
        if "derived" in self.tables:
            self.derived = self.tables["derived"]
            self.derived_missing = self.tables.get("derived_missing")
        else:  # tables built before the derived table: the same computation, in memory
            from ..build.derived import derived_tables

            self.derived, self.derived_missing = derived_tables(self.tables["targets"], self.tables["indicators"],
                                                                self.tables["plans"])

    def _draw(self, key: str):
        from . import plots

        return plots.settle_layout(self._figure(key))

    def _figure(self, key: str):
        from . import plots

        t = self.tables
        common = {"plans": t["plans"], "lang": self.lang, "checks": self._checks()}
        args = (t["targets"], t["indicators"], self.counties)
        if key == "enrollment":
            return plots.compare_enrollment(*args, **common)
        if key == "rates":
            return plots.compare_rates(*args, indicator_ids=self.indicator_ids, national=self.national,
                                       domain=None if self.indicator_ids else "enrollment", **common)
        if key == "growth":
            return plots.compare_growth(*args, derived=self.derived, **common)
        if key == "teachers":
            return plots.compare_teachers(*args, national=self.national, **common)
        if key == "funding":
            return plots.compare_funding(*args, derived=self.derived, national=self.national, **common)
        raise KeyError(key)

    def _checks(self):
        checks = self.tables.get("checks")
        return None if checks is None else checks[checks["county"].isin(self.counties)]

    def _place(self, county: str) -> str:
        from . import plots

        return plots._place(self.tables["plans"], county, self.lang, with_admin=True)

    def heading(self) -> str:
        names = [self._place(c) for c in self.counties]
        if self.lang == "en":
            text = ("# Comparison of plans\n\n" + ", ".join(names) + "\n\nPlaces are compared only on like measures: "
                    "the same indicator, level, unit and basis (a level at a date is never set beside a five-year total, "
                    "a stock never beside a flow). Places differ in kind and size: each carries its administrative level.")
        else:
            text = ("# 各地规划比较\n\n" + "、".join(names) + "\n\n只比较口径相同的指标：同一指标、学段、单位和统计口径"
                    "（时点数不与五年累计数相比，存量不与新增相比）。各地行政级别与规模不同，名称后注明行政级别。")
        return self._display_md(text)

    def single_place(self, domain: str):
        """Measures of ``domain`` that only one place states: that place's figures, not a comparison."""
        from IPython.display import HTML, display

        from . import plots

        rows = plots.single_place_measures(self.tables["targets"], self.tables["indicators"], self.counties, domain)
        rows = rows[rows["kind"].isin(["baseline", "target"])]
        if rows.empty:
            return rows
        name_col = "label_en" if self.lang == "en" else "name_zh"
        lead = ("Stated by one place only (that place's figures, not a comparison):" if self.lang == "en"
                else "仅一地给出的指标（为该地数值，不作比较）：")
        items = []
        for county, group in rows.groupby("county", sort=True):
            parts = []
            for (_, r) in group.sort_values(["indicator_id", "year"]).head(12).iterrows():
                year = "" if r["year"] is None or str(r["year"]) == "<NA>" else f"{int(r['year'])} "
                if r.get("basis") in ("cumulative", "annual") and _notna(r.get("span_start")) and _notna(r.get("span_end")):
                    year = f"{int(r['span_start'])}–{int(r['span_end'])} {plots.TEXT[self.lang][r['basis']]} "
                parts.append(f"{r[name_col]} {year}{plots._cmp_prefix(r['comparator'])}"
                             f"{format_quantity(float(r['value']), r['unit'], self.lang)}"
                             f" ({Path(str(r['source_file'])).name}:{int(r['line'])})")
            more = len(group) - 12
            if more > 0:
                parts.append(f"… +{more}")
            items.append(f"<li><b>{html.escape(self._place(county))}</b>: {html.escape('; '.join(parts))}</li>")
        display(HTML(f"<p>{html.escape(lead)}</p><ul>{''.join(items)}</ul>"))
        return rows

    def missing(self, derived_ids=("per_pupil", "annual_mean")):
        """Why a derived measure could not be made for a place (from `derived_missing`)."""
        from IPython.display import HTML, display

        m = self.derived_missing
        if m is None or m.empty:
            return m
        m = m[m["county"].isin(self.counties) & m["derived_id"].isin(list(derived_ids))]
        if m.empty:
            return m
        import re

        from . import plots
        from ..build.derived import in_language
        from ..schema import LEVELS

        names = dict(zip(self.tables["indicators"]["indicator_id"],
                         self.tables["indicators"]["label_en" if self.lang == "en" else "indicator_zh"]))
        lead = "Not computed, and why:" if self.lang == "en" else "未能计算的可比指标及原因："
        sep = "、" if self.lang == "zh" else ", "

        def words(reason: str) -> str:
            text = in_language(reason, self.lang)
            ids = sorted((lv for lv in LEVELS if lv != "all"), key=len, reverse=True)  # 'all levels' is prose
            return re.sub(r"(?<![A-Za-z_])(" + "|".join(ids) + r")(?![A-Za-z_])",
                          lambda x: plots.level_label(x.group(1), self.lang), text)

        items = []  # one line per place and reason, the indicators it applies to listed together
        for (county, reason), group in m.groupby(["county", "reason"], sort=False):
            inds = sep.join(dict.fromkeys(names.get(i, i) for i in group["indicator_id"] if i))
            items.append(f"<li>{html.escape(self._place(county))}{' · ' + html.escape(inds) if inds else ''}"
                         f"{'：' if self.lang == 'zh' else ': '}{html.escape(words(reason))}</li>")
        display(HTML(f"<p>{html.escape(lead)}</p><ul>{''.join(items)}</ul>"))
        return m

    def growth_table(self):
        """Enrolment growth per place and level, from the `derived` table, with the two lines it rests on."""
        from . import plots

        table = plots.growth_table(self.tables["targets"], self.tables["indicators"], self.counties,
                                   plans=self.tables["plans"], derived=self.derived)
        names = dict(zip(self.tables["indicators"]["indicator_id"],
                         self.tables["indicators"]["label_en" if self.lang == "en" else "indicator_zh"]))
        shown = table.assign(place=[self._place(c) for c in table["county"]],
                             indicator=[names.get(i, i) for i in table["indicator_id"]],
                             growth=[f"{plots._cmp_prefix(c)}{v:+.1f}" for c, v in zip(table["comparator"], table["growth_pct"])],
                             span=[f"{int(a)}→{int(b)}" for a, b in zip(table["start_year"], table["end_year"])],
                             start=[f"{v:,.0f}" if v is not None and v == v else "" for v in table["start"]],
                             end=[f"{v:,.0f}" if v is not None and v == v else "" for v in table["end"]])
        shown = shown[["place", "indicator", "span", "start", "end", "growth", "source_file", "lines"]]
        shown = shown.assign(source_file=[Path(str(f)).name for f in shown["source_file"]])
        headers = (["地区", "指标", "年份", "基期（人）", "目标（人）", "增长（%）", "文件", "行"] if self.lang == "zh"
                   else ["Place", "Indicator", "Years", "Base (persons)", "End (persons)", "Growth (%)", "File", "Lines"])
        shown.columns = headers
        self.table(shown, right=headers[3:6])
        return table

    def footer(self) -> str:
        return self._display_md(self._footer(self.counties))


# ---------------------------------------------------------------------------------------------
# HTML export


def _notebook_text(nb) -> str:
    """Every character a reader can see in the exported page, for the font subset."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for mime in ("text/html", "text/markdown", "text/plain"):
                if mime in data:
                    parts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
            if "text" in out:
                parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
            if "evalue" in out:
                parts.append(str(out["evalue"]))
    parts.append(str(nb.metadata.get("title", "")))
    return "".join(parts)


_EXPORTER = None

_FOCUSABLE = re.compile(r'<div\b(?=[^>]*\bclass="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b)[^>]*')
_IMG = re.compile(r"<img\b[^>]*>")
NO_ALT = "No description has been provided for this image"  #: nbconvert's words for an image without alt text


def _accessible(page: str) -> str:
    """What nbconvert's HTMLExporter adds after rendering (tabindex on cells and outputs, alt on images), by text.

    nbconvert parses and re-serialises the whole page with BeautifulSoup for these few attributes: about half
    the export's time for a report with five embedded figures. The template's own tags are regular, and no
    plan text reaches the page unescaped, so ``<div`` and ``<img`` here are tags the template wrote.
    """
    page = _FOCUSABLE.sub(lambda m: m.group(0) if "tabindex=" in m.group(0) else f'{m.group(0)} tabindex="0"', page)
    return _IMG.sub(lambda m: m.group(0) if re.search(r"\salt=", m.group(0))
                    else m.group(0)[:-1].rstrip() + f' alt="{NO_ALT}">', page)


def _exporter():
    """One HTMLExporter per process: building its Jinja environment takes seconds."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportExporter(HTMLExporter):
            """HTMLExporter without its BeautifulSoup pass (:func:`_accessible` does the same by text)."""

            def from_notebook_node(self, nb, resources=None, **kw):
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code",
                                     self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                return _accessible(page), resources

        exporter = ReportExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                                  exclude_output_prompt=True, extra_template_paths=[str(TEMPLATES_DIR)])
        exporter.template_file = "report.html.j2"
        _EXPORTER = exporter
    return _EXPORTER


def export_html(notebook_path: str | Path, html_path: str | Path, title: str | None = None,
                lang: str = "zh") -> Path:
    """Executed notebook -> one self-contained HTML page: code hidden, figures and CJK font embedded.

    The page carries the Content-Security-Policy :data:`CSP` (no script runs) and is written under a
    temporary name, then moved in whole.
    """
    import nbformat

    from .fonts import font_face_css

    nb = nbformat.read(str(notebook_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    resources = {"planlib_font_css": font_face_css(_notebook_text(nb)), "planlib_csp": CSP}
    exporter = _exporter()
    exporter.language_code = lang if lang in ("zh", "en") else "en"
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _write_atomic(Path(html_path), body)


# ---------------------------------------------------------------------------------------------
# the batch


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill's PapermillExecutionError: the error inside the notebook
        return f"{ename}: {getattr(exc, 'evalue', '')}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


_KERNEL = None  # this worker's kernel manager, reused from notebook to notebook
_WARMING = None  # thread that builds the HTML exporter while the first notebook runs
_STOPPING = False  # set in a worker once Ctrl-C reached it


def _warm_exporter() -> None:
    from .fonts import font_face_css

    _exporter()
    font_face_css("规划")  # loads (or makes once per machine) the font file


_PRIMED: set = set()  # processed folders whose characters this worker's font subsets are cut from


def _prime_font(processed_dir) -> None:
    """Cut this worker's page fonts from the characters of the tables and labels (:func:`fonts.prime_subsets`).

    They are most of what a page shows; a page showing more widens the set. Same subset bytes, less CPU.
    """
    import pandas as pd

    from .fonts import prime_subsets

    key = str(processed_dir)
    if key in _PRIMED:
        return
    _PRIMED.add(key)
    parts = [(paths.PACKAGE_DATA / "report_labels.yml").read_text(encoding="utf-8")]
    try:
        tables = load_tables(processed_dir, warn_stale=False)
    except Exception:  # noqa: BLE001 - the notebook says what is wrong with the tables; pages widen the set
        tables = {}
    for frame in tables.values():
        for col in frame.columns:
            column = frame[col]
            if pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
                parts.append("".join(str(v) for v in column.dropna().unique()))
    prime_subsets("".join(set("".join(parts))))


def _init_worker(reuse_kernel: bool, kernel_name: str) -> None:
    """Pool initializer: start this worker's kernel and warm the exporter in the background."""
    global _WARMING
    import threading

    _WARMING = threading.Thread(target=_warm_exporter, daemon=True)
    _WARMING.start()
    if reuse_kernel:
        _kernel(kernel_name)


def _kernel(kernel_name: str):
    """This worker's live kernel, started (or restarted) on demand; shut down when the worker exits."""
    global _KERNEL
    from multiprocessing import util

    from jupyter_client.manager import KernelManager

    if _KERNEL is not None and _KERNEL.is_alive():
        return _KERNEL
    if _KERNEL is not None:  # it died: its files and socket folder go before a new one starts
        _KERNEL.cleanup_resources()
        _shutdown_kernel(_KERNEL)
    if os.name == "posix":
        # Unix sockets in a folder of this worker's own: TCP ports are picked free and bound later by the
        # kernel, and two kernels starting at once could pick the same one ("Address already in use")
        folder = tempfile.mkdtemp(prefix="planlib-kernel-")
        _KERNEL = KernelManager(kernel_name=kernel_name, transport="ipc", ip=os.path.join(folder, "kernel"))
        _KERNEL.planlib_socket_dir = folder
    else:
        _KERNEL = KernelManager(kernel_name=kernel_name)
    _KERNEL.start_kernel(extra_arguments=KERNEL_ARGUMENTS)
    util.Finalize(None, _shutdown_kernel, args=(_KERNEL,), exitpriority=10)
    return _KERNEL


def _shutdown_kernel(km) -> None:
    client = getattr(km, "planlib_client", None)
    if client is not None:
        try:
            client.stop_channels()
        except Exception:  # noqa: BLE001 - the worker is exiting anyway
            pass
    try:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - the worker is exiting anyway
        pass
    folder = getattr(km, "planlib_socket_dir", None)
    if folder:  # the folder _kernel made for this kernel's sockets (nothing else is in it)
        shutil.rmtree(folder, ignore_errors=True)


#: Empties a reused kernel's namespace (and its history) as ``%reset -f`` does, without that magic's two full
#: garbage collections (0.14 s a notebook); the kernel keeps no output cache (:data:`KERNEL_ARGUMENTS`), whose
#: flush collects too. What is left unreachable goes in Python's own collections.
RESET_CODE = "get_ipython().reset(new_session=False)\nimport matplotlib.pyplot as _plt; _plt.close('all'); del _plt"
#: A batch kernel keeps no ``Out[n]`` cache: nobody reads it, and it would hold every notebook's last values
KERNEL_ARGUMENTS = ["--InteractiveShell.cache_size=0"]
REUSED_KERNEL_ENGINE = "planlib-reused-kernel"  #: papermill engine that empties a reused kernel first
_ENGINE_REGISTERED: list = []  # [the engine's name] once this process registered it with papermill


def _register_engine() -> str:
    """Register (once) the papermill engine that empties a reused kernel's namespace before the notebook runs.

    nbclient would open a client to the kernel for each notebook, wait about 0.2 s for it to answer, and leave
    its channels open (it does not own the kernel): one client per kernel is kept on the kernel manager and
    used by every notebook, and the reset is sent on it. The kernel's imported modules stay: that is the point
    of reusing it.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args
    from nbclient.util import run_hook, run_sync

    if _ENGINE_REGISTERED:
        return REUSED_KERNEL_ENGINE

    class ResetFirstClient(PapermillNotebookClient):
        async def async_start_new_kernel_client(self):
            kc = getattr(self.km, "planlib_client", None)
            if kc is not None and kc.channels_running:  # this kernel's client from the notebook before
                self.kc = kc
                kc.allow_stdin = False
                await run_hook(self.on_notebook_start, notebook=self.nb)
            else:
                kc = await super().async_start_new_kernel_client()
                self.km.planlib_client = kc  # nbclient leaves the channels open for a kernel it does not own
            reply = await self.async_wait_for_reply(kc.execute(RESET_CODE, silent=True, store_history=False))
            if reply is None or reply["content"].get("status") != "ok":
                raise RuntimeError(f"could not empty the reused kernel: {reply and reply['content']}")
            return kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)  # nbclient binds the sync form by name

    class ReusedKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                     start_timeout=60, execution_timeout=None, **kwargs):
            # as papermill's NBClientEngine, with the client above
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(safe_kwargs, timeout=execution_timeout or kwargs.get("timeout"),
                                        startup_timeout=start_timeout, kernel_name=kernel_name,
                                        log=logging.getLogger("papermill"), log_output=log_output,
                                        stdout_file=stdout_file, stderr_file=stderr_file)
            return ResetFirstClient(nb_man, **final_kwargs).execute()

    papermill_engines.register(REUSED_KERNEL_ENGINE, ReusedKernelEngine)
    _ENGINE_REGISTERED.append(REUSED_KERNEL_ENGINE)
    return REUSED_KERNEL_ENGINE


def _run_notebook(job: dict) -> dict:
    """Worker: execute one notebook with papermill, export it to HTML; never raises (except on Ctrl-C).

    Both are written under temporary names and moved in only when the notebook ran and exported
    cleanly; a failed run is kept beside the good report as ``failed.ipynb`` / ``failed.html``, and
    an interrupted one leaves nothing behind: the previous good report stays until replaced.
    """
    import papermill as pm

    global _STOPPING
    started, start = time.time(), time.perf_counter()
    if _STOPPING:  # Ctrl-C reached this worker: run nothing more (its kernel may be half torn down)
        return {"county": job["name"], "status": "interrupted", "started": None, "finished": None,
                "seconds": None, "html": "", "failed_html": "", "error": ""}
    out_nb, out_html = Path(job["ipynb"]), Path(job["html"])
    folder = out_nb.parent
    folder.mkdir(parents=True, exist_ok=True)
    _remove_partials(folder)
    tmp_nb, tmp_html = _partial_name(out_nb), _partial_name(out_html)
    failed_nb, failed_html = folder / f"{FAILED}.ipynb", folder / f"{FAILED}.html"
    status, error = "ok", ""
    kernel_name = job.get("kernel_name") or "python3"
    engine_kwargs = {}
    try:
        try:
            if job.get("reuse_kernel"):
                engine_kwargs["km"] = _kernel(kernel_name)
                engine_kwargs["engine_name"] = _register_engine()
            # saved when done (and on failure), not after each cell: each save re-encodes every figure so far
            pm.execute_notebook(job["notebook"], str(tmp_nb), parameters=job["parameters"], progress_bar=False,
                                kernel_name=kernel_name, cwd=str(folder), request_save_on_cell_execute=False,
                                **engine_kwargs)
        except Exception as exc:  # noqa: BLE001 - a failed notebook is a result, not a crash
            status, error = "failed", _error_text(exc)
        try:
            if _WARMING is not None:
                _WARMING.join()
            _prime_font(job["parameters"].get("processed_dir"))
            if tmp_nb.exists():
                export_html(tmp_nb, tmp_html, title=job["title"], lang=job["parameters"].get("lang", "zh"))
        except Exception as exc:  # noqa: BLE001
            status, error = "failed", error or f"HTML export: {_error_text(exc)}"
        if status == "ok":
            os.replace(tmp_nb, out_nb)
            os.replace(tmp_html, out_html)
            failed_nb.unlink(missing_ok=True)  # an earlier failure's record (written by planlib, above)
            failed_html.unlink(missing_ok=True)
        else:
            for tmp, kept in ((tmp_nb, failed_nb), (tmp_html, failed_html)):
                if tmp.exists():
                    os.replace(tmp, kept)
    except KeyboardInterrupt:
        _STOPPING = True
        raise
    finally:
        tmp_nb.unlink(missing_ok=True)
        tmp_html.unlink(missing_ok=True)
    return {"county": job["name"], "status": status, "started": started, "finished": time.time(),
            "seconds": round(time.perf_counter() - start, 2), "html": str(out_html) if status == "ok" else "",
            "failed_html": str(failed_html) if status != "ok" and failed_html.exists() else "", "error": error}


def default_counties(processed_dir=None) -> list[str]:
    """Every plan in the built tables (plans.county), not the raw files' names."""
    plans = load_tables(processed_dir, warn_stale=False)["plans"]
    return sorted(str(c) for c in plans["county"])


def _titles(processed_dir, lang: str) -> dict[str, str]:
    """Page titles per report, in ``lang`` (the place's name from sources.csv, escaped by the exporter)."""
    text = labels(lang)["text"]
    titles = {COMPARISON: text["compare_link"]}
    try:
        plans = load_tables(processed_dir, warn_stale=False)["plans"]
    except Exception:  # noqa: BLE001 - the notebook itself will say what is wrong with the tables
        return titles
    for _, row in plans.iterrows():
        name = row.get("name_en" if lang == "en" else "name_zh")
        place = name if isinstance(name, str) and name.strip() else row["county"]
        titles[row["county"]] = text["report_title"].format(place=place)
    return titles


def _jobs(counties, root: Path, processed_dir, lang: str, svg: bool = False) -> list[dict]:
    processed = None if processed_dir is None else str(paths.resolve(processed_dir, paths.PROCESSED_DIR))
    common = {"processed_dir": processed, "out_dir": str(root), "lang": lang}
    titles = _titles(processed_dir, lang)
    jobs = []
    for county in counties:
        folder = root / "reports" / county
        jobs.append({"name": county, "notebook": str(paths.NOTEBOOKS_DIR / COUNTY_NOTEBOOK),
                     "parameters": {"county": county, **common, "svg": bool(svg)}, "ipynb": str(folder / "report.ipynb"),
                     "html": str(folder / "report.html"), "title": titles.get(county, county)})
    folder = root / "reports" / COMPARISON
    jobs.append({"name": COMPARISON, "notebook": str(paths.NOTEBOOKS_DIR / COMPARE_NOTEBOOK),
                 "parameters": {"counties": list(counties), "indicators": [], **common},
                 "ipynb": str(folder / "report.ipynb"), "html": str(folder / "report.html"),
                 "title": titles[COMPARISON]})
    return jobs


def _execute(work: list[dict], n_workers: int, results: dict, progress: bool, reuse_kernels: bool,
             kernel_name: str) -> None:
    """Run the jobs in a process pool, filling ``results`` (name -> status) as they finish.

    A KeyboardInterrupt propagates after the pool has shut down (its kernels with it); what finished
    before is in ``results``.
    """
    from tqdm import tqdm

    futures = {}
    try:
        with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker,
                                 initargs=(reuse_kernels, kernel_name)) as pool, \
                tqdm(total=len(work), desc="reports", unit="nb", disable=not progress) as bar:
            # the comparison is the longest notebook: start it first so the counties fill in around it
            futures = {pool.submit(_run_notebook, job): job["name"]
                       for job in sorted(work, key=lambda j: j["name"] != COMPARISON)}
            try:
                for future in as_completed(futures):
                    name = futures[future]
                    try:
                        results[name] = future.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker process
                        results[name] = {"county": name, "status": "failed", "seconds": 0.0, "html": "",
                                         "error": _error_text(exc)}
                    bar.set_postfix_str(f"{name}: {results[name]['status']}")
                    bar.update()
            except KeyboardInterrupt:
                pool.shutdown(wait=True, cancel_futures=True)  # start nothing new; the workers stop
                raise
    except KeyboardInterrupt:
        for future, name in futures.items():  # finished, but not yet collected when Ctrl-C came
            if name not in results and future.done() and not future.cancelled():
                try:
                    results[name] = future.result()
                except BaseException:  # noqa: BLE001 - interrupted or failed: settled by the caller
                    pass
        raise


def run_reports(counties: list[str] | None = None, jobs: int = 2, out_dir: str | Path | None = None,
                processed_dir=None, lang: str = "zh", progress: bool = True, *,
                reuse_kernels: bool = True, kernel_name: str = "python3", svg: bool = False) -> list[dict]:
    """Run the county notebook per county and the comparison in ``jobs`` worker processes; write index.html.

    Returns one status dict per notebook: county, status ('ok' | 'failed' | 'interrupted'), started,
    finished, seconds, html (the good report shown, possibly an earlier one), error.
    The comparison reads the tables, not the county reports, so it runs alongside them.
    With ``reuse_kernels`` each worker keeps one kernel and empties its namespace (``%reset -f``)
    between notebooks, so pandas and matplotlib are imported once per worker, not once per county;
    ``False`` gives every notebook a fresh kernel. The county figures are saved as PNG and CSV; ``svg`` adds an
    SVG of each (drawing every glyph as a path costs a third of a county report's CPU). On Ctrl-C the reports not finished are recorded as
    interrupted (index.html says so), their previous good reports kept, and KeyboardInterrupt re-raised.
    """
    counties = list(counties) if counties else default_counties(processed_dir)
    root = paths.resolve(out_dir, paths.PROJECT_ROOT)
    work = _jobs(counties, root, processed_dir, lang, svg)
    for job in work:
        job.update(reuse_kernel=reuse_kernels, kernel_name=kernel_name)
    started = time.perf_counter()
    results: dict[str, dict] = {}
    n_workers = max(1, min(int(jobs), len(work)))
    interrupted = False
    try:
        _execute(work, n_workers, results, progress, reuse_kernels, kernel_name)
    except KeyboardInterrupt:
        interrupted = True
        for result in results.values():  # a kernel stopped by the same Ctrl-C reports it as an error
            if result["status"] == "failed" and "KeyboardInterrupt" in (result.get("error") or ""):
                result["status"] = "interrupted"
    for job in work:
        results.setdefault(job["name"], {"county": job["name"], "status": "interrupted", "seconds": None,
                                         "html": "", "error": ""})
    ordered = [_settle(results[job["name"]], Path(job["html"])) for job in work]
    reports_dir = root / "reports"
    for result in ordered:  # each report keeps its status, so a partial rerun does not drop the others
        _write_atomic(reports_dir / result["county"] / STATUS_FILE,
                      json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    downloads = copy_downloads(processed_dir, reports_dir)
    write_index(_all_statuses(reports_dir, ordered), reports_dir / "index.html",
                total_seconds=time.perf_counter() - started, processed_dir=processed_dir, lang=lang,
                downloads=downloads)
    if interrupted:
        raise KeyboardInterrupt
    return ordered


STATUS_FILE = "status.json"


def _settle(result: dict, good_html: Path) -> dict:
    """A run's status with the report a reader is shown: this run's, or the previous good one (and its time)."""
    result = {"started": None, "finished": None, "failed_html": "", **result}
    if result["status"] != "ok":
        result["html"] = str(good_html) if good_html.exists() else ""
    result["report_built"] = good_html.stat().st_mtime if good_html.exists() else None
    return result


def _all_statuses(reports_dir: Path, latest: list[dict]) -> list[dict]:
    """This run's statuses, then those of earlier runs still on disk (counties first, comparison last)."""
    seen = {r["county"] for r in latest}
    earlier = []
    for path in sorted(reports_dir.glob(f"*/{STATUS_FILE}")):
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(status, dict) or "county" not in status or status.get("county") in seen:
            continue
        html_path = status.get("html") or ""
        if (html_path and Path(html_path).exists()) or status.get("status") != "ok":
            earlier.append(_settle(status, path.parent / "report.html"))
    merged = latest + earlier
    return sorted(merged, key=lambda r: (r["county"] == COMPARISON, r["county"]))


# ---------------------------------------------------------------------------------------------
# the landing page


def copy_downloads(processed_dir, reports_dir: Path) -> list[dict]:
    """Copy the built tables (CSV, Parquet, xlsx) and the codebook into ``reports/downloads/``.

    So the reports folder is self-contained wherever ``--out`` puts it. Each file is copied under a
    temporary name and moved in; files an earlier copy wrote that the tables no longer have are removed
    (the list of what was written is kept in ``downloads/.planlib-files.json``; nothing else is touched).
    Returns one entry per table: name, rows, files (names in downloads/).
    """
    source = paths.resolve(processed_dir, paths.PROCESSED_DIR)
    target = reports_dir / DOWNLOADS
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.suffix in (".csv", ".parquet", ".xlsx"))
    codebook = paths.PROJECT_ROOT / "docs" / "codebook.md"
    extra = [codebook] if codebook.is_file() else []
    written = []
    for src in files + extra:
        tmp = _partial_name(target / src.name)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, target / src.name)
        finally:
            tmp.unlink(missing_ok=True)
        written.append(src.name)
    ledger = target / ".planlib-files.json"
    try:
        before = json.loads(ledger.read_text(encoding="utf-8")) if ledger.exists() else []
    except ValueError:
        before = []
    for name in before:
        if name not in written and "/" not in name and "\\" not in name:
            (target / name).unlink(missing_ok=True)
    _write_atomic(ledger, json.dumps(written, ensure_ascii=False) + "\n")
    rows = {}
    manifest = source / "_build.json"
    if manifest.exists():
        try:
            rows = json.loads(manifest.read_text(encoding="utf-8")).get("rows", {})
        except ValueError:
            rows = {}
    tables: dict[str, dict] = {}
    for path in files:
        stem = path.name.rsplit(".", 1)[0]
        entry = tables.setdefault(stem, {"name": stem, "rows": rows.get(stem), "files": []})
        entry["files"].append(path.name)
        if path.suffix == ".parquet":  # the count from the file itself, not only the build's manifest
            import pyarrow.parquet as pq

            entry["rows"] = pq.ParquetFile(path).metadata.num_rows
    out = list(tables.values())
    if extra:
        out.append({"name": "codebook", "rows": None, "files": [codebook.name]})
    return out


def _index_places(processed_dir, reports_dir: Path, index_dir: Path, lang: str) -> list[dict]:
    """One entry per plan in the tables: names, admin level, plan facts, counts, link to its report."""
    L = labels(lang)
    try:
        t = load_tables(processed_dir, warn_stale=False)
    except Exception:  # noqa: BLE001 - the index still lists the status of every report
        return []
    targets, checks = t["targets"], t["checks"]
    places = []
    for _, row in t["plans"].iterrows():
        def field(name, row=row):
            value = row.get(name)
            return value.strip() if isinstance(value, str) and value.strip() else ""

        county = row["county"]
        report = reports_dir / county / "report.html"
        level = field("admin_level")
        start, end = row.get("period_start"), row.get("period_end")
        places.append({
            "county": county,
            "name": field("name_en" if lang == "en" else "name_zh") or county,
            "other_name": field("name_zh" if lang == "en" else "name_en"),
            "province": field("province"),
            "admin_level": L["admin_levels"].get(level, level),
            "admin_level_raw": level,
            "title": field("title"),
            "issuer": " ".join(filter(None, [field("issuer"), field("doc_number")])),
            "period": "" if _missing(start) or _missing(end) else L["text"]["period"].format(start=int(start), end=int(end)),
            "n_targets": format_number(int((targets["county"] == county).sum()), 0),
            "n_findings": format_number(int((checks["county"] == county).sum()), 0),
            "href": os.path.relpath(report, index_dir).replace(os.sep, "/") if report.exists() else "",
        })
    return places


def period_words(plans) -> dict[str, str]:
    """The plans' own years for the index page: ``periods`` ('2021–2025', or '2016–2020/2021–2025' where plans
    differ), ``base`` (period start − 1) and ``end``, each joined with '/'; '' where no plan states a period.

    >>> import pandas as pd
    >>> period_words(pd.DataFrame({"period_start": [2021, 2016], "period_end": [2025, 2020]}))
    {'periods': '2016–2020/2021–2025', 'base': '2015/2020', 'end': '2020/2025'}
    """
    spans = set()
    if plans is not None and len(plans) and {"period_start", "period_end"} <= set(plans.columns):
        spans = {(int(a), int(b)) for a, b in zip(plans["period_start"], plans["period_end"])
                 if not _missing(a) and not _missing(b)}
    spans = sorted(spans)
    return {"periods": "/".join(f"{a}–{b}" for a, b in spans),
            "base": "/".join(str(y) for y in sorted({a - 1 for a, _ in spans})),
            "end": "/".join(str(y) for y in sorted({b for _, b in spans}))}


def _table_about(L: dict, name: str, years: dict[str, str]) -> str:
    """A table's one-line description; the comparison's names the plans' base and end years."""
    about = L["tables"].get(name, "")
    if not years["base"]:  # no plan states its period: say which years in words
        years = {**years, "base": L["text"]["base_year_word"], "end": L["text"]["end_year_word"]}
    return about.format(**years) if "{" in about else about


def write_index(results: list[dict], path: Path, total_seconds: float | None = None, processed_dir=None,
                lang: str = "zh", downloads: list[dict] | None = None) -> Path:
    """reports/index.html: the landing page (places, comparison, tables) with the build status at the bottom.

    Rendered by templates/index.html.j2 with autoescaping: every name, title and error is escaped.
    """
    import jinja2

    from .. import __version__
    from .fonts import font_face_css

    L = labels(lang)
    index_dir = path.parent
    places = _index_places(processed_dir, index_dir, index_dir, lang)
    try:
        years = period_words(load_tables(processed_dir, warn_stale=False)["plans"])
    except Exception:  # noqa: BLE001 - the index still lists the status of every report
        years = period_words(None)
    index_title = (L["text"]["index_title"].format(periods=years["periods"]) if years["periods"]
                   else L["text"]["index_title_no_period"])
    names = {p["county"]: p["name"] for p in places}
    levels = sorted({p["admin_level"] for p in places if p["admin_level"]})

    def rel(target):
        return os.path.relpath(target, index_dir).replace(os.sep, "/") if target else ""

    statuses = []
    for r in results:
        status = r.get("status", "failed")
        statuses.append({
            "name": names.get(r["county"], L["text"]["compare_link"] if r["county"] == COMPARISON else r["county"]),
            "county": r["county"], "status": status, "status_label": L["statuses"].get(status, status),
            "started": _utc(r.get("started")), "finished": _utc(r.get("finished")),
            "seconds": "" if r.get("seconds") is None else L["text"]["seconds"].format(s=float(r["seconds"])),
            "error": r.get("error") or "",
            "href": rel(r.get("html")) if r.get("html") and Path(r["html"]).exists() else "",
            "failed_href": rel(r.get("failed_html")) if r.get("failed_html") and Path(r["failed_html"]).exists() else "",
            "note": (L["text"]["previous_report"].format(when=_utc(r.get("report_built")))
                     if status != "ok" and r.get("html") and r.get("report_built") else ""),
        })
    compare_html = index_dir / COMPARISON / "report.html"
    counts = {k: sum(r.get("status") == k for r in results) for k in ("ok", "failed", "interrupted")}
    summary = L["text"]["summary"].format(**counts)
    if total_seconds is not None:
        summary += " · " + L["text"]["seconds"].format(s=total_seconds)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                             autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    context = {
        "lang": lang, "L": L, "csp": CSP, "version": __version__, "date": build_date(), "index_title": index_title,
        "places": places, "statuses": statuses, "summary": summary,
        "admin_note": L["text"]["admin_note"].format(levels="、".join(levels) if lang == "zh" else ", ".join(levels))
        if len(levels) > 1 else "",
        "compare_href": rel(compare_html) if compare_html.exists() else "",
        "downloads": [{**d, "rows": "" if d.get("rows") is None else format_number(d["rows"], 0),
                       "about": _table_about(L, d["name"], years),
                       "links": [{"name": f, "href": f"{DOWNLOADS}/{f}"} for f in d["files"]]}
                      for d in (downloads or [])],
        "font_css": "",
    }
    page = env.get_template("index.html.j2").render(**context)
    context["font_css"] = Markup(font_face_css(page))  # the subset covers every character on the page
    page = env.get_template("index.html.j2").render(**context)
    return _write_atomic(path, page)


def main_report(counties=None, jobs: int = 2, out_dir=None, processed_dir=None, lang: str = "zh",
                svg: bool = False) -> int:
    """CLI body: run every report; exit code 0 if all succeeded, else 1 (failures are listed)."""
    import sys

    index = paths.resolve(out_dir, paths.PROJECT_ROOT) / "reports" / "index.html"
    try:
        results = run_reports(counties, jobs=jobs, out_dir=out_dir, processed_dir=processed_dir, lang=lang, svg=svg)
    except KeyboardInterrupt:
        print(f"planlib report: interrupted; earlier good reports kept; see {index}", file=sys.stderr)
        raise
    failed = [r for r in results if r["status"] != "ok"]
    for r in failed:
        print(f"planlib report: {r['county']} failed: {r['error']}", file=sys.stderr)
    print(f"{len(results) - len(failed)}/{len(results)} reports ok; see {index}")
    return 1 if failed else 0


__all__ = ["CountyReport", "Comparison", "run_reports", "main_report", "export_html", "load_tables",
           "national_targets", "write_index", "default_counties", "copy_downloads", "format_number",
           "format_quantity", "labels", "CSP"]
