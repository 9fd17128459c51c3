"""Reports as a reader (and a hostile plan) meets them: escaping, CSP, the landing page, interrupted runs.

The hostile tables are the synthetic fixtures with the attack strings of issue 8 put where plan
text, sources.csv and file names reach the page: a caption / row label, prose, a file name, name_zh.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from planlib.report import batch as rp

from fixtures.hostile import IMG, SCRIPT, hostile_tables  # tests/fixtures/hostile.py (tests/ is on sys.path via conftest)
LIVE = re.compile(r"<\s*(script|img)\b", re.I)  # a live element made from a payload
CJK = re.compile(r"[\u4e00-\u9fff]")
pytestmark = pytest.mark.filterwarnings("ignore:.*no _build.json")


@pytest.fixture()
def hostile_dir(tmp_path, fixture_processed_dir) -> Path:
    return hostile_tables(fixture_processed_dir, tmp_path / "processed")


@pytest.fixture()
def shown(monkeypatch):
    """Everything the report displays, as the HTML the exported page would hold."""
    import IPython.display
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    pages: list[str] = []

    def capture(*objs, raw=False, **kwargs):
        for obj in objs:
            if raw and isinstance(obj, dict):
                pages.append(obj.get("text/html", ""))
            elif isinstance(obj, IPython.display.Markdown):
                pages.append(markdown2html_mistune(obj.data))
            elif hasattr(obj, "to_html"):
                pages.append(obj.to_html())
            elif hasattr(obj, "_repr_html_"):
                pages.append(obj._repr_html_() or "")

    monkeypatch.setattr(IPython.display, "display", capture)
    return pages


def _county_page(county, processed, tmp_path, lang="zh", shown=None):
    report = rp.CountyReport(county, processed, tmp_path / "out", lang)
    report.heading()
    for key in ("enrollment", "key_numbers", "checks", "terms"):
        report.section(key)
    report.key_numbers()
    report.checks()
    report.terms()
    report.warnings_summary()
    report.footer()
    return report, "\n".join(shown)


# --- escaping (issue 8 item 2) -----------------------------------------------------------------


def test_plan_strings_are_escaped_in_every_part_of_the_county_report(hostile_dir, tmp_path, shown):
    _, page = _county_page("alpha", hostile_dir, tmp_path, shown=shown)
    assert not LIVE.search(page), LIVE.search(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text: caption/row label, prose, file name
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # name_zh from sources.csv, in the heading
    assert page.count("&lt;script&gt;") >= 4  # title, key-numbers row label, checks prose, terms, file name


def test_english_report_escapes_name_en_too(hostile_dir, tmp_path, shown):
    _, page = _county_page("alpha", hostile_dir, tmp_path, lang="en", shown=shown)
    assert not LIVE.search(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_table_escapes_cells_headers_and_caption(tmp_path, fixture_processed_dir, shown):
    report = rp.CountyReport("alpha", fixture_processed_dir, tmp_path, "zh")
    df = pd.DataFrame({SCRIPT: [IMG, 47700.0]})
    html = report.table(df, caption=SCRIPT).to_html()
    assert not LIVE.search(html)
    assert "&lt;script&gt;" in html and "&lt;img" in html and "47,700" in html


def test_markdown_lines_escape_html(tmp_path, fixture_processed_dir, shown):
    report = rp.CountyReport("alpha", fixture_processed_dir, tmp_path, "zh")
    report._display_md(f"# 标题\n\n{IMG}")
    assert not LIVE.search(shown[-1]) and "<h1" in shown[-1]


# --- readers' text (issue 9 item 4) -----------------------------------------------------------


def test_numbers_are_formatted_with_units_and_separators(hostile_dir, tmp_path, shown):
    report = rp.CountyReport("alpha", hostile_dir, tmp_path, "zh")
    rows = report.key_numbers()
    page = "\n".join(shown)
    assert "47,700人 (2020)" in page and "≥ 52,000人 (2025)" in page and "≥ 32亿元 (2025)" in page
    assert "47700" not in page and "3200000000" not in page and "3.2e" not in page
    assert set(rows["baseline"]) >= {"47,700人 (2020)", "27,500人 (2020)"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headings_and_headers_are_in_one_language(hostile_dir, tmp_path, shown, lang):
    _county_page("beta", hostile_dir, tmp_path, lang=lang, shown=shown)
    page = "\n".join(shown)
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page) + re.findall(r"<th[^>]*>(.*?)</th>", page)
    headings = [re.sub(r"<[^>]+>", "", h) for h in headings]
    assert headings
    for h in headings:
        if lang == "en":
            assert not CJK.search(h) or h.startswith("乙市"), h  # the place's own name is allowed
        else:
            assert not re.search(r"[A-Za-z]{3,}", h), h
    for raw in ("indicator_id", "first_line", "severity", "baseline_year"):
        assert raw not in page


def test_no_developer_text_reaches_readers(tmp_path, fixture_processed_dir, shown):
    report = rp.CountyReport("alpha", fixture_processed_dir, tmp_path, "zh")
    summary = report.warnings_summary()
    assert summary["render_warnings"] == []
    assert shown == ["<!-- planlib render warnings -->"]  # machine-readable JSON beside an invisible comment
    nb = json.loads((rp.paths.NOTEBOOKS_DIR / rp.COUNTY_NOTEBOOK).read_text(encoding="utf-8"))
    visible = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "papermill" not in visible and "Rendering warnings" not in visible


def test_admin_level_is_labelled(hostile_dir, tmp_path, shown):
    report = rp.CountyReport("beta", hostile_dir, tmp_path, "zh")
    report.heading()
    assert "地级市" in shown[-1]
    en = rp.CountyReport("beta", hostile_dir, tmp_path, "en")
    en.heading()
    assert "prefecture-level city" in shown[-1]


def test_default_counties_come_from_the_built_plans_table(hostile_dir):
    (hostile_dir / "stray_notes.txt").write_text("not a plan", encoding="utf-8")
    assert rp.default_counties(hostile_dir) == ["alpha", "beta", "gamma"]


# --- the landing page -------------------------------------------------------------------------


def _statuses(reports: Path) -> list[dict]:
    for name in ("alpha", "beta", rp.COMPARISON):
        (reports / name).mkdir(parents=True, exist_ok=True)
        (reports / name / "report.html").write_text("<p>good</p>", encoding="utf-8")
    return [
        {"county": "alpha", "status": "failed", "started": 1.7e9, "finished": 1.7e9 + 5, "seconds": 5.0,
         "html": str(reports / "alpha" / "report.html"), "error": f"KeyError: {SCRIPT}", "report_built": 1.6e9},
        {"county": "beta", "status": "ok", "started": 1.7e9, "finished": 1.7e9 + 3, "seconds": 3.0,
         "html": str(reports / "beta" / "report.html"), "error": ""},
        {"county": "gamma", "status": "interrupted", "seconds": None, "html": "", "error": ""},
        {"county": rp.COMPARISON, "status": "ok", "started": 1.7e9, "finished": 1.7e9 + 9, "seconds": 9.0,
         "html": str(reports / rp.COMPARISON / "report.html"), "error": ""},
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_is_a_landing_page_with_status_at_the_bottom(hostile_dir, tmp_path, lang):
    reports = tmp_path / "reports"
    downloads = rp.copy_downloads(hostile_dir, reports)
    page = rp.write_index(_statuses(reports), reports / "index.html", processed_dir=hostile_dir, lang=lang,
                          downloads=downloads).read_text(encoding="utf-8")
    assert not LIVE.search(page), LIVE.search(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "KeyError: &lt;script&gt;" in page
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*script-src &#39;none&#39;', page)
    L = rp.labels(lang)
    assert L["admin_levels"]["prefecture-level city"] in page  # beta, made a prefecture-level city here
    assert L["text"]["admin_note"].split("（")[0].split("(")[0] in page
    for word in ("places", "compare", "downloads", "build_status"):
        assert L["text"][word] in page
    assert page.index(L["text"]["build_status"]) > page.index(L["text"]["downloads"])  # status at the bottom
    for status in ("ok", "failed", "interrupted"):
        assert f'class="status-{status}"' in page
    assert "1970" not in page and "2023-11-14 22:13:20 UTC" in page  # start time shown
    # every link resolves inside the reports folder
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert any(h.startswith("downloads/targets.") for h in hrefs) and "compare/report.html" in hrefs
    for href in hrefs:
        assert (reports / href).exists(), href
    # the place table: counts of targets and findings, period, title; row counts of the tables
    assert "2021–2025" in page and "alpha" in page
    n_targets = len(pd.read_parquet(hostile_dir / "targets.parquet"))
    assert re.search(rf'<code>targets</code></td><td>[^<]*</td><td class="num">{n_targets}</td>', page)


def test_downloads_copy_tables_and_remove_only_their_own_stale_files(hostile_dir, tmp_path):
    reports = tmp_path / "reports"
    rp.copy_downloads(hostile_dir, reports)
    target = reports / rp.DOWNLOADS
    assert (target / "targets.csv").read_bytes() == (hostile_dir / "targets.csv").read_bytes()
    assert (target / "comparison.parquet").exists()
    (target / "my_notes.txt").write_text("mine", encoding="utf-8")
    (hostile_dir / "terms.csv").unlink()
    rp.copy_downloads(hostile_dir, reports)
    assert not (target / "terms.csv").exists()  # written by planlib before, gone from the tables now
    assert (target / "my_notes.txt").read_text(encoding="utf-8") == "mine"  # never planlib's to delete


# --- atomic reports and interrupted runs (issue 8 item 6) --------------------------------------


def _job(tmp_path) -> dict:
    folder = tmp_path / "reports" / "alpha"
    folder.mkdir(parents=True)
    (folder / "report.ipynb").write_text("GOOD NOTEBOOK", encoding="utf-8")
    (folder / "report.html").write_text("GOOD PAGE", encoding="utf-8")
    return {"name": "alpha", "notebook": "in.ipynb", "parameters": {"county": "alpha", "lang": "zh"},
            "ipynb": str(folder / "report.ipynb"), "html": str(folder / "report.html"), "title": "t"}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if rp.PARTIAL in p.name)


def _half_run(exc):
    def execute(notebook, output, **kwargs):
        Path(output).write_text("HALF-RUN NOTEBOOK", encoding="utf-8")
        raise exc
    return execute


def _fake_export(nb_path, html_path, title=None, lang="zh"):
    Path(html_path).write_text(f"PAGE OF {Path(nb_path).read_text(encoding='utf-8')}", encoding="utf-8")
    return Path(html_path)


def test_interrupted_notebook_keeps_the_previous_good_report(tmp_path, monkeypatch):
    import papermill

    job = _job(tmp_path)
    monkeypatch.setattr(rp, "_STOPPING", False)  # restored after the test: this worker state is per process
    monkeypatch.setattr(papermill, "execute_notebook", _half_run(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        rp._run_notebook(job)
    folder = Path(job["ipynb"]).parent
    assert Path(job["ipynb"]).read_text(encoding="utf-8") == "GOOD NOTEBOOK"
    assert Path(job["html"]).read_text(encoding="utf-8") == "GOOD PAGE"
    assert _leftovers(folder) == []
    # the worker runs nothing more after Ctrl-C reached it
    monkeypatch.setattr(papermill, "execute_notebook", _half_run(AssertionError("must not run")))
    assert rp._run_notebook(job)["status"] == "interrupted"


def test_failed_notebook_keeps_the_previous_good_report_and_its_own_record(tmp_path, monkeypatch):
    import papermill

    job = _job(tmp_path)
    monkeypatch.setattr(papermill, "execute_notebook", _half_run(RuntimeError("cell 3 broke")))
    monkeypatch.setattr(rp, "export_html", _fake_export)
    result = rp._run_notebook(job)
    folder = Path(job["ipynb"]).parent
    assert result["status"] == "failed" and "cell 3 broke" in result["error"]
    assert Path(job["html"]).read_text(encoding="utf-8") == "GOOD PAGE"
    assert (folder / "failed.html").read_text(encoding="utf-8") == "PAGE OF HALF-RUN NOTEBOOK"
    assert result["failed_html"] == str(folder / "failed.html") and _leftovers(folder) == []


def test_a_complete_run_replaces_the_report_and_clears_an_old_failure(tmp_path, monkeypatch):
    import papermill

    job = _job(tmp_path)
    folder = Path(job["ipynb"]).parent
    (folder / "failed.html").write_text("OLD FAILURE", encoding="utf-8")
    (folder / f".report{rp.PARTIAL}999999999.ipynb").write_text("killed run", encoding="utf-8")

    def execute(notebook, output, **kwargs):
        Path(output).write_text("NEW NOTEBOOK", encoding="utf-8")

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    monkeypatch.setattr(rp, "export_html", _fake_export)
    result = rp._run_notebook(job)
    assert result["status"] == "ok"
    assert Path(job["html"]).read_text(encoding="utf-8") == "PAGE OF NEW NOTEBOOK"
    assert not (folder / "failed.html").exists() and _leftovers(folder) == []


def test_ctrl_c_in_a_batch_marks_unfinished_reports_interrupted(hostile_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    for county in ("alpha", "beta"):
        (out / "reports" / county).mkdir(parents=True)
        (out / "reports" / county / "report.html").write_text("EARLIER GOOD", encoding="utf-8")

    def execute(work, n_workers, results, progress, reuse_kernels, kernel_name):
        results["alpha"] = {"county": "alpha", "status": "ok", "started": 1.7e9, "finished": 1.7e9 + 1,
                            "seconds": 1.0, "html": work[0]["html"], "error": ""}
        raise KeyboardInterrupt

    monkeypatch.setattr(rp, "_execute", execute)
    with pytest.raises(KeyboardInterrupt):
        rp.run_reports(["alpha", "beta"], out_dir=out, processed_dir=hostile_dir, progress=False)
    reports = out / "reports"
    status = {c: json.loads((reports / c / "status.json").read_text(encoding="utf-8"))
              for c in ("alpha", "beta", rp.COMPARISON)}
    assert status["alpha"]["status"] == "ok"
    assert status["beta"]["status"] == "interrupted" and status[rp.COMPARISON]["status"] == "interrupted"
    assert (reports / "beta" / "report.html").read_text(encoding="utf-8") == "EARLIER GOOD"
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert page.count('class="status-interrupted"') == 2
    assert rp.labels("zh")["text"]["previous_report"].split("（")[0] in page  # beta: the earlier report is kept
    assert 'href="beta/report.html"' in page


def test_partials_of_a_live_writer_are_kept(tmp_path):
    live = tmp_path / f".report{rp.PARTIAL}{os.getppid()}.ipynb"
    dead = tmp_path / f".report{rp.PARTIAL}999999999.html"
    live.write_text("x"), dead.write_text("x")
    removed = rp._remove_partials(tmp_path)
    assert removed == [dead] and live.exists()


def test_exported_page_has_csp_and_no_script_or_stderr(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: developer text"),
                    nbformat.v4.new_output("display_data", data={"text/html": "<p>甲县</p>", "text/plain": "甲县"})]
    nb.cells = [cell]
    nb_path = tmp_path / "r.ipynb"
    nbformat.write(nb, str(nb_path))
    page = rp.export_html(nb_path, tmp_path / "r.html", title=f"{SCRIPT}县").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    assert "Content-Security-Policy" in head and "script-src 'none'" in head
    assert head.index("Content-Security-Policy") < head.index("<style")
    assert "<script" not in page.lower()  # not even the template's own
    assert "developer text" not in page and "甲县" in page
    assert _leftovers(tmp_path) == []
