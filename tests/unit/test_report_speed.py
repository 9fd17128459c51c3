"""The report batch's shortcuts keep what a reader gets: the HTML export without nbconvert's BeautifulSoup
pass, the tables read once per kernel, the SVG drawn on the PNG's layout."""
from __future__ import annotations

import os
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from planlib.report import batch, fonts, plots

pytestmark = pytest.mark.filterwarnings("ignore:.*no _build.json")

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _executed_notebook():
    """A notebook as papermill leaves it: markdown, a figure, an HTML table with escaped plan text, stderr."""
    nb = new_notebook(metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    nb.cells.append(new_markdown_cell("# 某县 &lt;b&gt;"))
    nb.cells.append(new_code_cell("report.figure('teachers');", outputs=[
        new_output("display_data", data={"image/png": PNG, "text/plain": "<IPython.core.display.Image object>"}),
        new_output("display_data", data={"text/html": '<details class="planlib-sources"><table><tr>'
                                                      '<td>&lt;img src=x onerror=alert(1)&gt;</td></tr></table></details>',
                                         "text/plain": "sources"}),
        new_output("stream", name="stderr", text="a developer warning\n"),
    ]))
    nb.cells.append(new_code_cell("report.footer();", outputs=[
        new_output("display_data", data={"text/markdown": "planlib · 规划 <x>", "text/plain": "footer"})]))
    return nb


def test_export_without_beautifulsoup_gives_the_page_nbconvert_would():
    """Same page as nbconvert's HTMLExporter once both are read as HTML (only the serialisation differs)."""
    bs4 = pytest.importorskip("bs4")
    from nbconvert import HTMLExporter

    nb = _executed_notebook()
    resources = {"planlib_font_css": "", "planlib_csp": batch.CSP}
    stock = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                         exclude_output_prompt=True, extra_template_paths=[str(batch.TEMPLATES_DIR)])
    stock.template_file = "report.html.j2"
    ours = batch._exporter()  # one per process: export_html sets its language before each page, as here
    stock.language_code = ours.language_code = "zh"
    expected, _ = stock.from_notebook_node(nb, resources=dict(resources))
    page, _ = ours.from_notebook_node(nb, resources=dict(resources))
    assert str(bs4.BeautifulSoup(page, features="html.parser")) == expected
    assert f'alt="{batch.NO_ALT}"' in page and 'tabindex="0"' in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


def test_accessible_adds_attributes_once_and_only_to_tags():
    page = ('<div class="jp-OutputArea-output x">a</div><div class="other">b</div>'
            '<div class="jp-OutputArea-output" tabindex="0">c</div><img src="data:,"\nclass=""\n>'
            '<img alt="kept" src="y"><p>&lt;img src=z&gt;</p>')
    out = batch._accessible(page)
    assert out.count('tabindex="0"') == 2 and '<div class="other">' in out
    assert out.count("alt=") == 2 and 'alt="kept"' in out and "&lt;img src=z&gt;" in out


def test_tables_are_read_once_per_folder_and_again_after_a_rebuild(fixture_processed_dir, tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    shutil.copytree(fixture_processed_dir, folder)
    from planlib.build import pipeline

    reads = []
    real = pipeline.load_tables
    monkeypatch.setattr(pipeline, "load_tables", lambda *a, **k: reads.append(1) or real(*a, **k))
    first = batch.load_tables(folder, warn_stale=False)
    second = batch.load_tables(folder, warn_stale=False)
    assert len(reads) == 1
    assert second["targets"] is not first["targets"] and second["targets"].equals(first["targets"])
    second["targets"].loc[0, "value"] = -1.0  # a report changing its table: the cached one is not changed
    assert batch.load_tables(folder, warn_stale=False)["targets"].loc[0, "value"] != -1.0
    target = folder / "targets.parquet"  # a rebuild: new bytes, new mtime
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    batch.load_tables(folder, warn_stale=False)
    assert len(reads) == 2


def test_svg_is_drawn_on_the_png_layout_and_the_figure_keeps_its_engine(fixture_tables, tmp_path):
    import matplotlib

    t = fixture_tables
    fonts.use_style()
    fig = plots.teachers(t["targets"], t["indicators"], "alpha", plans=t["plans"])
    engine = fig.get_layout_engine()
    plots.save_figure(fig, tmp_path / "teachers")
    assert fig.get_layout_engine() is engine  # the caller's figure is left as it was
    by_hand = plots.teachers(t["targets"], t["indicators"], "alpha", plans=t["plans"])
    with matplotlib.rc_context({"svg.hashsalt": "planlib", "svg.fonttype": "path"}):
        by_hand.savefig(tmp_path / "by_hand.png", dpi=150, metadata={"Software": None})
        by_hand.set_layout_engine("none")
        by_hand.savefig(tmp_path / "by_hand.svg", metadata={"Date": None, "Creator": None})
    svg = plots._stable_svg_ids((tmp_path / "by_hand.svg").read_text(encoding="utf-8"))
    assert (tmp_path / "teachers.svg").read_text(encoding="utf-8") == svg
    # the PNG is Pillow's encoding of the same pixels savefig draws (RGB, as every pixel is opaque)
    import numpy as np
    from PIL import Image

    ours, theirs = (np.asarray(Image.open(tmp_path / name)) for name in ("teachers.png", "by_hand.png"))
    assert ours.shape[2] == 3 and (theirs[..., 3] == 255).all()
    assert (ours == theirs[..., :3]).all()


def test_without_svg_the_png_and_csv_are_the_same_and_an_old_svg_goes(fixture_tables, tmp_path):
    t = fixture_tables
    fonts.use_style()
    with_svg = plots.save_figure(plots.teachers(t["targets"], t["indicators"], "alpha", plans=t["plans"]),
                                 tmp_path / "a" / "teachers")
    stale = tmp_path / "b" / "teachers.svg"
    stale.parent.mkdir()
    stale.write_text("<svg>an earlier run's figure</svg>", encoding="utf-8")
    without = plots.save_figure(plots.teachers(t["targets"], t["indicators"], "alpha", plans=t["plans"]),
                                tmp_path / "b" / "teachers", svg=False)
    assert [p.suffix for p in with_svg] == [".png", ".svg", ".csv"] and [p.suffix for p in without] == [".png", ".csv"]
    assert not stale.exists()
    for a, b in zip((with_svg[0], with_svg[2]), without):
        assert a.read_bytes() == b.read_bytes()


def test_the_batch_asks_for_svg_only_when_told(tmp_path):
    plain = batch._jobs(["alpha"], tmp_path, None, "zh")
    asked = batch._jobs(["alpha"], tmp_path, None, "zh", svg=True)
    assert plain[0]["parameters"]["svg"] is False and asked[0]["parameters"]["svg"] is True
    assert all("svg" not in job["parameters"] for job in plain + asked if job["name"] == batch.COMPARISON)


def test_font_subsets_cut_from_a_primed_font_are_the_same_bytes(monkeypatch):
    page, wider = "教育事业发展规划 ≥ 95%", "教育事业发展规划 学前毛入园率 巩固率"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # fontTools stamps head.modified with the time
    fonts._subset_ttf.cache_clear()
    monkeypatch.setattr(fonts, "_BASE", [frozenset(), b""])
    direct = fonts.subset_font(page), fonts.subset_font(wider)
    fonts._subset_ttf.cache_clear()
    fonts.prime_subsets("教育事业发展规划")
    assert fonts._BASE[1]
    assert fonts.subset_font(page) == direct[0]  # '≥' was not primed: the base widened to hold it
    assert "≥" in fonts._BASE[0]
    assert fonts.subset_font(wider) == direct[1]
    assert set(wider) <= fonts._BASE[0]
    fonts._subset_ttf.cache_clear()


def _two_notebooks_on_one_kernel(folder: str) -> dict:
    """In a worker process, as the batch runs them: two notebooks on the worker's one reused kernel."""
    from pathlib import Path

    results, clients = [], []
    try:
        for name in ("first", "second"):
            out = Path(folder) / name
            job = {"name": name, "notebook": str(Path(folder) / f"{name}.ipynb"), "parameters": {},
                   "ipynb": str(out / "report.ipynb"), "html": str(out / "report.html"), "title": name,
                   "reuse_kernel": True, "kernel_name": "python3"}
            results.append(batch._run_notebook(job))
            clients.append(batch._KERNEL.planlib_client)
        return {"statuses": [r["status"] for r in results], "errors": [r["error"] for r in results],
                "one_client": clients[0] is clients[1], "open": clients[1].channels_running}
    finally:
        if batch._KERNEL is not None:
            batch._shutdown_kernel(batch._KERNEL)
            batch._KERNEL = None


def test_a_reused_kernel_starts_each_notebook_with_an_empty_namespace(tmp_path):
    """The reset is sent on the kernel's one client (batch._register_engine): what one notebook defined, the
    next cannot see; the figures' modules stay imported. Run in a spawned worker, as the batch runs notebooks:
    nbclient's event-loop thread left in the test process would deadlock a later forked pool."""
    import json
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    for name, source in (("first", "leftover = 42\nimport json as kept_module"),
                         ("second", "assert 'leftover' not in globals(), 'a namespace leaked'\n"
                                    "import sys\nassert 'json' in sys.modules")):
        nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        nb.cells.append(new_code_cell(source))
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        got = pool.submit(_two_notebooks_on_one_kernel, str(tmp_path)).result(timeout=300)
    assert got["statuses"] == ["ok", "ok"], got["errors"]
    # one client for the kernel, its channels open from notebook to notebook (none left behind per notebook)
    assert got["one_client"] and got["open"]
    ran = json.loads((tmp_path / "second" / "report.ipynb").read_text(encoding="utf-8"))
    assert len(ran["cells"]) == 1 and ran["cells"][0]["outputs"] == []  # the reset left nothing in the notebook


def test_a_page_font_subset_is_valid_and_draws_the_fonts_own_glyphs(monkeypatch):
    """Subsets keep the whole font's bounds (head, hhea, maxp) instead of recalculating them: those must still
    hold every glyph kept, and each glyph must be the full font's outline for its character."""
    import io

    from fontTools.ttLib import TTFont

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    text = "教育事业发展规划 学前毛入园率 ≥ 95% 巩固率 Taixing (county-level city)"
    fonts._subset_ttf.cache_clear()
    sub = TTFont(io.BytesIO(fonts.subset_font(text)))
    full = TTFont(str(fonts.font_path()), lazy=True)
    head, maxp, glyf = sub["head"], sub["maxp"], sub["glyf"]
    cmap, full_cmap = sub.getBestCmap(), full.getBestCmap()
    assert set(map(ord, text)) <= set(cmap)
    for name in sub.getGlyphOrder():
        glyph = glyf[name]
        if glyph.numberOfContours == 0:
            continue
        glyph.recalcBounds(glyf)
        assert head.xMin <= glyph.xMin and glyph.xMax <= head.xMax and head.yMin <= glyph.yMin and glyph.yMax <= head.yMax
        if glyph.numberOfContours > 0:
            assert len(glyph.getCoordinates(glyf)[0]) <= maxp.maxPoints
    for ch in "教育率≥T":
        ours, theirs = glyf[cmap[ord(ch)]], full["glyf"][full_cmap[ord(ch)]]
        assert list(ours.getCoordinates(glyf)[0]) == list(theirs.getCoordinates(full["glyf"])[0]), ch
        assert sub["hmtx"][cmap[ord(ch)]] == full["hmtx"][full_cmap[ord(ch)]]
    fonts._subset_ttf.cache_clear()
