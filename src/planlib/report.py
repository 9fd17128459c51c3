"""Reports: what the notebooks call (:class:`CountyReport`, :class:`Comparison`) and the batch that runs them.

The batch (:func:`run_reports`) executes notebooks/county_report.ipynb once per county with
papermill in a pool of worker processes, then the comparison notebook, and exports each to
HTML (code hidden, figures embedded, CJK font embedded) in the same worker. One failure is
recorded in reports/index.html and does not stop the others.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import logging
import os
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import paths

COUNTY_NOTEBOOK = "county_report.ipynb"
COMPARE_NOTEBOOK = "compare_counties.ipynb"
COMPARISON = "compare"  #: folder and status name of the comparison report
TABLE_NAMES = ("targets", "indicators", "plans", "schools", "checks")
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


# ---------------------------------------------------------------------------------------------
# tables


def load_tables(processed_dir: str | Path | None = None, warn_stale: bool = True) -> dict:
    """The five processed tables; ``planlib.load_tables`` when the pipeline provides it."""
    try:
        from .pipeline import load_tables as pipeline_load
    except ImportError:
        pipeline_load = None
    if pipeline_load is not None:
        return pipeline_load(processed_dir, warn_stale=warn_stale)
    from .io import read_table

    folder = paths.resolve(processed_dir, paths.PROCESSED_DIR)
    return {name: read_table(name, folder) for name in TABLE_NAMES}


def national_targets(indicators=None):
    """National 十四五 targets (package data) with their source, keyed by indicator_id.

    Rows without an id are matched to the dictionary by Chinese name or alias.
    """
    import pandas as pd

    nat = pd.read_csv(paths.PACKAGE_DATA / "national_targets.csv", dtype=str, keep_default_na=False)
    nat["value"] = pd.to_numeric(nat["value"])
    if indicators is not None and len(indicators):
        names = {}
        for _, row in indicators.iterrows():
            for alias in [row["indicator_zh"], *str(row.get("aliases_zh") or "").split(";")]:
                if isinstance(alias, str) and alias.strip():
                    names.setdefault(alias.strip(), row["indicator_id"])
        nat["indicator_id"] = [i or names.get(zh, "") for i, zh in zip(nat["indicator_id"], nat["indicator_zh"])]
    return nat[nat["indicator_id"] != ""].reset_index(drop=True)


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

    def __init__(self, name: str, processed_dir=None, out_dir=None, lang: str = "zh"):
        from . import fonts

        if lang not in ("zh", "en"):
            from .errors import PlanlibError

            raise PlanlibError(f"lang must be 'zh' or 'en', not {lang!r}")
        self.lang = lang
        self.tables = load_tables(processed_dir)
        self.root = paths.resolve(out_dir, paths.PROJECT_ROOT)
        self.figures_dir = self.root / "figures" / name
        self.render_warnings: list[str] = []
        self.saved: list[Path] = []
        fonts.use_style()

    def _draw(self, key: str):
        raise NotImplementedError

    def figure(self, key: str, show: bool = True):
        """Draw figure ``key``; save PNG, SVG and CSV (its values with their source lines); show the PNG and,
        below it, the source lines of what it plots. Warnings are recorded (and still shown)."""
        from . import plots

        log = logging.getLogger("matplotlib")
        handler = _RenderLog(self.render_warnings)
        log.addHandler(handler)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fig = self._draw(key)
                files = plots.save_figure(fig, self.figures_dir / key)
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
        names = dict(zip(self.tables["indicators"]["indicator_id"],
                         self.tables["indicators"]["label_en" if self.lang == "en" else "indicator_zh"]))
        rows = []
        for _, r in data.iterrows():
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
                from .derived import in_language

                quote = in_language(quote, self.lang)
            cells = [r["place"], names.get(r["indicator_id"], r["indicator_id"]), plots.level_label(r["level"], self.lang),
                     f"{plots._cmp_prefix(r['comparator'])}{shown}", r["unit"], year, where, quote]
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{h}</th>" for h in self._SOURCE_HEADERS.get(self.lang, self._SOURCE_HEADERS["zh"]))
        return (f'<details class="planlib-sources"><summary>{"图中数值的来源" if self.lang == "zh" else "Sources of the values shown"}'
                f' ({len(rows)})</summary><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></details>')

    def warnings_summary(self) -> dict:
        """What went wrong while drawing, as JSON output the tests read (expected: nothing)."""
        summary = {"render_warnings": self.render_warnings, "figures": [str(p) for p in self.saved]}
        try:
            from IPython.display import Markdown, display

            n = len(self.render_warnings)
            display(Markdown(f"Rendering warnings: {n}" + ("" if not n else "\n\n- " + "\n- ".join(self.render_warnings))))
            # machine-readable in the .ipynb; an HTML comment (invisible) in the exported page
            display({"application/json": summary, "text/html": "<!-- planlib render warnings -->"}, raw=True,
                    metadata={"planlib": "render-warnings"})
        except ImportError:  # pragma: no cover - outside IPython
            pass
        return summary

    def _plan_rows(self, counties):
        plans = self.tables["plans"]
        return plans[plans["county"].isin(counties)]

    def _footer(self, counties) -> str:
        from . import __version__

        lines = [f"planlib {__version__} · built {build_date()}" if self.lang == "en"
                 else f"planlib {__version__} · 生成日期 {build_date()}"]
        for _, row in self._plan_rows(counties).iterrows():
            lines.append(f"`{row['source_file']}` sha256 `{row['sha256']}`")
        return "\n\n".join(["---", *lines])

    def _display_md(self, text: str) -> str:
        from IPython.display import Markdown, display

        display(Markdown(text))
        return text


def _short_lines(lines, limit: int = 12) -> str:
    """'1;2;3' -> '1, 2, 3', at most ``limit`` numbers then '…'.

    >>> _short_lines("5;9;12", limit=2)
    '5, 9, …'
    """
    parts = [p for p in str(lines or "").split(";") if p]
    return ", ".join(parts[:limit]) + (", …" if len(parts) > limit else "")


class CountyReport(_Report):
    """One county's report: heading, figures, data-quality table, citable footer."""

    def __init__(self, county: str, processed_dir=None, out_dir=None, lang: str = "zh"):
        from . import plots
        from .errors import PlanlibError

        super().__init__(county, processed_dir, out_dir, lang)
        self.county = county
        plans = self.tables["plans"]
        if not (plans["county"] == county).any():
            raise PlanlibError(f"{county!r} is not in the processed tables (plans has {sorted(plans['county'])}); "
                               "run `planlib build` after adding data/raw/<county>.txt")
        self.national = national_targets(self.tables["indicators"])
        self.figure_functions = plots.COUNTY_FIGURES

    def _draw(self, key: str):
        t = self.tables
        kwargs = {"plans": t["plans"], "lang": self.lang}
        if key == "rates":
            kwargs["national"] = self.national
        return self.figure_functions[key](t["targets"], t["indicators"], self.county, **kwargs)

    def heading(self) -> str:
        row = self._plan_rows([self.county]).iloc[0]
        name = row["name_en"] if self.lang == "en" and isinstance(row["name_en"], str) else row["name_zh"]
        title = row["title"] if isinstance(row["title"], str) else ""
        n = int((self.tables["targets"]["county"] == self.county).sum())
        sub = f"{n} numbers read from `{row['source_file']}`" if self.lang == "en" else f"从 `{row['source_file']}` 读取的数字 {n} 个"
        return self._display_md(f"# {name if isinstance(name, str) else self.county}\n\n{title}\n\n{sub}")

    def checks(self):
        """The data-quality findings for this county, as a table (or a line saying there are none)."""
        checks = self.tables["checks"]
        rows = checks[checks["county"] == self.county][["severity", "check", "indicator_id", "year", "message", "lines"]]
        if rows.empty:
            return self._display_md("No data-quality findings." if self.lang == "en" else "未发现数据质量问题。")
        rows = rows.sort_values(["severity", "check"]).reset_index(drop=True)
        if self.lang == "zh":
            rows = rows.rename(columns={"severity": "严重程度", "check": "检查", "indicator_id": "指标",
                                        "year": "年份", "message": "说明", "lines": "行号"})
        from IPython.display import display

        shown = rows.copy()
        line_col = shown.columns[-1]
        shown[line_col] = [_short_lines(x) for x in shown[line_col]]
        display(shown.style.hide(axis="index")
                .set_properties(**{"text-align": "left", "white-space": "normal", "vertical-align": "top"})
                .set_properties(subset=[shown.columns[4]], **{"min-width": "28em"}))
        return rows

    def terms(self, top: int = 15):
        """The words that set this plan apart from the others (the `terms` table), with their first line."""
        terms = self.tables.get("terms")
        if terms is None or terms.empty or not (terms["county"] == self.county).any():
            return self._display_md("No term analysis in these tables." if self.lang == "en" else "这些表中没有词语分析。")
        rows = terms[terms["county"] == self.county].sort_values("rank").head(top)
        rows = rows[["rank", "term", "count", "score", "first_line"]].reset_index(drop=True)
        rows["score"] = rows["score"].astype(float).round(2)
        if self.lang == "zh":
            rows = rows.rename(columns={"rank": "排名", "term": "词语", "count": "次数", "score": "区分度", "first_line": "首次出现行"})
        from IPython.display import display

        score = rows.columns[3]
        display(rows.style.hide(axis="index").format({score: "{:.2f}"}))
        return rows

    def footer(self) -> str:
        return self._display_md(self._footer([self.county]))


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

    SECTIONS = {
        "zh": {"enrollment": "在校生", "teachers": "教师队伍", "funding": "教育经费"},
        "en": {"enrollment": "Enrolment", "teachers": "Teachers", "funding": "Funding"},
    }

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
            from .derived import derived_tables

            self.derived, self.derived_missing = derived_tables(self.tables["targets"], self.tables["indicators"],
                                                                self.tables["plans"])

    def _draw(self, key: str):
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

    def section(self, domain: str) -> str:
        """A section heading: enrollment, teachers or funding."""
        return self._display_md(f"## {self.SECTIONS.get(self.lang, self.SECTIONS['zh'])[domain]}")

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
                parts.append(f"{r[name_col]} {year}{plots._cmp_prefix(r['comparator'])}"
                             f"{plots.format_value(float(r['value']), r['unit'], self.lang)}"
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
        names = dict(zip(self.tables["indicators"]["indicator_id"],
                         self.tables["indicators"]["label_en" if self.lang == "en" else "indicator_zh"]))
        lead = "Not computed, and why:" if self.lang == "en" else "未能计算的可比指标及原因："
        from .derived import in_language

        items = [f"<li>{html.escape(self._place(r['county']))} · {html.escape(names.get(r['indicator_id'], r['indicator_id']) or '')}"
                 f"{'：' if self.lang == 'zh' else ': '}{html.escape(in_language(r['reason'], self.lang))}</li>"
                 for _, r in m.iterrows()]
        display(HTML(f"<p>{html.escape(lead)}</p><ul>{''.join(items)}</ul>"))
        return m

    def growth_table(self):
        from IPython.display import display

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
        display(shown.style.hide(axis="index").format(escape="html"))
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


def _exporter():
    """One HTMLExporter per process: building its Jinja environment takes seconds."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True, extra_template_paths=[str(TEMPLATES_DIR)])
        exporter.template_file = "report.html.j2"
        _EXPORTER = exporter
    return _EXPORTER


def export_html(notebook_path: str | Path, html_path: str | Path, title: str | None = None) -> Path:
    """Executed notebook -> one self-contained HTML page: code hidden, figures and CJK font embedded."""
    import nbformat

    from .fonts import font_face_css

    nb = nbformat.read(str(notebook_path), as_version=4)
    if title:
        nb.metadata["title"] = title
    resources = {"planlib_font_css": font_face_css(_notebook_text(nb))}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    out = Path(html_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# the batch


def _error_text(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill's PapermillExecutionError: the error inside the notebook
        return f"{ename}: {getattr(exc, 'evalue', '')}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


_KERNEL = None  # this worker's kernel manager, reused from notebook to notebook
_WARMING = None  # thread that builds the HTML exporter while the first notebook runs


def _warm_exporter() -> None:
    from .fonts import font_face_css

    _exporter()
    font_face_css("规划")  # loads (or makes once per machine) the font file


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
    if _KERNEL is not None:
        _KERNEL.cleanup_resources()
    _KERNEL = KernelManager(kernel_name=kernel_name)
    _KERNEL.start_kernel()
    util.Finalize(None, _shutdown_kernel, args=(_KERNEL,), exitpriority=10)
    return _KERNEL


def _shutdown_kernel(km) -> None:
    try:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001 - the worker is exiting anyway
        pass


def _reset_namespace(km) -> None:
    """Empty the kernel's namespace before the next notebook (imported modules stay: that is the saving)."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive("%reset -f\nimport matplotlib.pyplot as _plt; _plt.close('all'); del _plt",
                               store_history=False, timeout=60, output_hook=lambda msg: None)
    finally:
        kc.stop_channels()


def _run_notebook(job: dict) -> dict:
    """Worker: execute one notebook with papermill, export it to HTML; never raises."""
    import papermill as pm

    start = time.perf_counter()
    out_nb, out_html = Path(job["ipynb"]), Path(job["html"])
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    status, error = "ok", ""
    kernel_name = job.get("kernel_name") or "python3"
    engine_kwargs = {}
    try:
        if job.get("reuse_kernel"):
            km = _kernel(kernel_name)
            _reset_namespace(km)
            engine_kwargs["km"] = km
        pm.execute_notebook(job["notebook"], str(out_nb), parameters=job["parameters"], progress_bar=False,
                            kernel_name=kernel_name, cwd=str(out_nb.parent), **engine_kwargs)
    except Exception as exc:  # noqa: BLE001 - a failed notebook is a result, not a crash
        status, error = "failed", _error_text(exc)
    try:
        if _WARMING is not None:
            _WARMING.join()
        if out_nb.exists():
            export_html(out_nb, out_html, title=job["title"])
    except Exception as exc:  # noqa: BLE001
        status, error = "failed", error or f"HTML export: {_error_text(exc)}"
    return {"county": job["name"], "status": status, "seconds": round(time.perf_counter() - start, 2),
            "html": str(out_html) if out_html.exists() else "", "error": error}


def default_counties() -> list[str]:
    """Every plan in data/raw: the stems of its .txt files."""
    return sorted(p.stem for p in paths.RAW_DIR.glob("*.txt"))


def _jobs(counties, root: Path, processed_dir, lang: str) -> list[dict]:
    processed = None if processed_dir is None else str(paths.resolve(processed_dir, paths.PROCESSED_DIR))
    common = {"processed_dir": processed, "out_dir": str(root), "lang": lang}
    jobs = []
    for county in counties:
        folder = root / "reports" / county
        jobs.append({"name": county, "notebook": str(paths.NOTEBOOKS_DIR / COUNTY_NOTEBOOK),
                     "parameters": {"county": county, **common}, "ipynb": str(folder / "report.ipynb"),
                     "html": str(folder / "report.html"), "title": f"{county} — planlib"})
    folder = root / "reports" / COMPARISON
    jobs.append({"name": COMPARISON, "notebook": str(paths.NOTEBOOKS_DIR / COMPARE_NOTEBOOK),
                 "parameters": {"counties": list(counties), "indicators": [], **common},
                 "ipynb": str(folder / "report.ipynb"), "html": str(folder / "report.html"),
                 "title": "compare — planlib"})
    return jobs


def run_reports(counties: list[str] | None = None, jobs: int = 2, out_dir: str | Path | None = None,
                processed_dir=None, lang: str = "zh", progress: bool = True, *,
                reuse_kernels: bool = True, kernel_name: str = "python3") -> list[dict]:
    """Run the county notebook per county and the comparison in ``jobs`` worker processes; write index.html.

    Returns one status dict per notebook: county, status ('ok' | 'failed'), seconds, html, error.
    The comparison reads the tables, not the county reports, so it runs alongside them.
    With ``reuse_kernels`` each worker keeps one kernel and empties its namespace (``%reset -f``)
    between notebooks, so pandas and matplotlib are imported once per worker, not once per county;
    ``False`` gives every notebook a fresh kernel.
    """
    from tqdm import tqdm

    counties = list(counties) if counties else default_counties()
    root = paths.resolve(out_dir, paths.PROJECT_ROOT)
    work = _jobs(counties, root, processed_dir, lang)
    for job in work:
        job.update(reuse_kernel=reuse_kernels, kernel_name=kernel_name)
    started = time.perf_counter()
    results: dict[str, dict] = {}
    n_workers = max(1, min(int(jobs), len(work)))
    with ProcessPoolExecutor(max_workers=n_workers, initializer=_init_worker,
                             initargs=(reuse_kernels, kernel_name)) as pool, \
            tqdm(total=len(work), desc="reports", unit="nb", disable=not progress) as bar:
        # the comparison is the longest notebook: start it first so the counties fill in around it
        futures = {pool.submit(_run_notebook, job): job["name"] for job in sorted(work, key=lambda j: j["name"] != COMPARISON)}
        for future in as_completed(futures):
            name = futures[future]
            try:
                results[name] = future.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker process
                results[name] = {"county": name, "status": "failed", "seconds": 0.0, "html": "",
                                 "error": _error_text(exc)}
            bar.set_postfix_str(f"{name}: {results[name]['status']}")
            bar.update()
    ordered = [results[job["name"]] for job in work]
    for result in ordered:  # each report keeps its status, so a partial rerun does not drop the others
        folder = root / "reports" / result["county"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / STATUS_FILE).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_index(_all_statuses(root / "reports", ordered), root / "reports" / "index.html",
                total_seconds=time.perf_counter() - started, processed_dir=processed_dir)
    return ordered


STATUS_FILE = "status.json"


def _all_statuses(reports_dir: Path, latest: list[dict]) -> list[dict]:
    """This run's statuses, then those of earlier runs still on disk (counties first, comparison last)."""
    seen = {r["county"] for r in latest}
    earlier = []
    for path in sorted(reports_dir.glob(f"*/{STATUS_FILE}")):
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if status.get("county") not in seen and Path(status.get("html") or path).exists():
            earlier.append(status)
    merged = latest + earlier
    return sorted(merged, key=lambda r: (r["county"] == COMPARISON, r["county"]))


def _place_names(processed_dir) -> dict[str, str]:
    try:
        plans = load_tables(processed_dir, warn_stale=False)["plans"]
        return {c: n for c, n in zip(plans["county"], plans["name_zh"]) if isinstance(n, str)}
    except Exception:  # noqa: BLE001 - the index is still useful without names
        return {}


def write_index(results: list[dict], path: Path, total_seconds: float | None = None, processed_dir=None) -> Path:
    """reports/index.html: every report with its status, run time and link; a failure shows its error."""
    from . import __version__
    from .fonts import font_face_css

    names = _place_names(processed_dir)
    rows = []
    for r in results:
        link = os.path.relpath(r["html"], path.parent) if r["html"] else ""
        label = names.get(r["county"], "比较 comparison" if r["county"] == COMPARISON else "")
        cell = f'<a href="{html.escape(link)}">{html.escape(r["county"])}</a>' if link else html.escape(r["county"])
        error = f"<pre>{html.escape(r['error'])}</pre>" if r["error"] else ""
        rows.append(f'<tr class="{r["status"]}"><td>{cell}</td><td>{html.escape(label)}</td>'
                    f'<td>{r["status"]}</td><td>{r["seconds"]:.1f} s</td><td>{error}</td></tr>')
    n_failed = sum(r["status"] != "ok" for r in results)
    total = f" in {total_seconds:.1f} s" if total_seconds is not None else ""
    text = "".join(rows) + "planlib 规划报告 目录 比较"
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>planlib reports 规划报告</title>
<style id="planlib-font">{font_face_css(text)}</style>
<style>body{{font-family:'Noto Sans SC','DejaVu Sans',sans-serif;margin:2em;}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .8em;text-align:left;vertical-align:top}}
tr.failed{{background:#fde8e8}} tr.ok td:nth-child(3){{color:#1a7f37}} pre{{white-space:pre-wrap;margin:0}}</style>
</head><body>
<h1>planlib 规划报告 · reports</h1>
<p>{len(results) - n_failed} ok, {n_failed} failed{total} · planlib {__version__} · {build_date()}</p>
<table><thead><tr><th>report</th><th>place</th><th>status</th><th>time</th><th>error</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def main_report(counties=None, jobs: int = 2, out_dir=None, processed_dir=None, lang: str = "zh") -> int:
    """CLI body: run every report; exit code 0 if all succeeded, else 1 (failures are listed)."""
    import sys

    results = run_reports(counties, jobs=jobs, out_dir=out_dir, processed_dir=processed_dir, lang=lang)
    failed = [r for r in results if r["status"] != "ok"]
    for r in failed:
        print(f"planlib report: {r['county']} failed: {r['error']}", file=sys.stderr)
    index = paths.resolve(out_dir, paths.PROJECT_ROOT) / "reports" / "index.html"
    print(f"{len(results) - len(failed)}/{len(results)} reports ok; see {index}")
    return 1 if failed else 0


__all__ = ["CountyReport", "Comparison", "run_reports", "main_report", "export_html", "load_tables",
           "national_targets", "write_index", "default_counties"]
