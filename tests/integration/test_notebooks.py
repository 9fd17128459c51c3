"""Both notebooks through papermill on the synthetic tables: parameters, figures with content, no glyph warnings."""
from __future__ import annotations

import json

import nbformat
import papermill as pm
import pytest
from PIL import Image

from planlib import paths
from planlib.report.plots import COUNTY_FIGURES
from planlib.report.batch import COMPARISON, labels, run_reports

COUNTY_NB = paths.NOTEBOOKS_DIR / "county_report.ipynb"
COMPARE_NB = paths.NOTEBOOKS_DIR / "compare_counties.ipynb"


def test_county_parameters_are_typed_and_documented():
    params = pm.inspect_notebook(str(COUNTY_NB))
    assert set(params) == {"county", "processed_dir", "out_dir", "lang", "svg"}
    assert params["county"]["inferred_type_name"] == "str"
    assert params["svg"]["inferred_type_name"] == "bool" and params["svg"]["default"] == "True"
    assert params["processed_dir"]["default"] == "None" and params["out_dir"]["default"] == "None"
    assert all(p["help"] for p in params.values())


def test_compare_parameters_are_typed_and_documented():
    params = pm.inspect_notebook(str(COMPARE_NB))
    assert {"counties", "indicators", "processed_dir", "out_dir", "lang"} == set(params)
    assert params["counties"]["inferred_type_name"] == "list"
    assert params["indicators"]["inferred_type_name"] == "list"
    assert all(p["help"] for p in params.values())


@pytest.mark.parametrize("notebook", [COUNTY_NB, COMPARE_NB], ids=lambda p: p.stem)
def test_notebooks_have_a_parameters_cell(notebook):
    """papermill injects parameters after the cell tagged `parameters` (no outputs: tests/unit/test_notebooks_clean.py)."""
    nb = nbformat.read(str(notebook), as_version=4)
    assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code")


def _render_warnings(nb) -> dict:
    for cell in nb.cells:
        if "render-warnings" in cell.metadata.get("tags", []):
            for out in cell.outputs:
                if "application/json" in out.get("data", {}):
                    data = out["data"]["application/json"]
                    return data if isinstance(data, dict) else json.loads(data)
    raise AssertionError("no render-warnings output in the executed notebook")


def _not_blank(png) -> bool:
    with Image.open(png) as img:
        extrema = img.convert("L").getextrema()
    return extrema[1] - extrema[0] > 50


@pytest.fixture(scope="module")
def batch(tmp_path_factory, fixture_processed_dir):
    out = tmp_path_factory.mktemp("reports")
    results = run_reports(["alpha", "gamma", "no_such_place"], jobs=2, out_dir=out,
                          processed_dir=fixture_processed_dir, progress=False)
    return out, {r["county"]: r for r in results}


@pytest.mark.slow
def test_batch_runs_every_notebook_and_keeps_going(batch):
    out, results = batch
    assert results["alpha"]["status"] == "ok", results["alpha"]["error"]
    assert results["gamma"]["status"] == "ok", results["gamma"]["error"]
    assert results[COMPARISON]["status"] == "ok", results[COMPARISON]["error"]
    assert results["no_such_place"]["status"] == "failed"
    assert "no_such_place" in results["no_such_place"]["error"]
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    for name in results:
        assert name in index
    assert "alpha/report.html" in index and "failed" in index


@pytest.mark.slow
@pytest.mark.parametrize("county", ["alpha", "gamma"])
def test_county_report_has_every_figure_and_no_glyph_warnings(batch, county):
    out, _ = batch
    nb = nbformat.read(str(out / "reports" / county / "report.ipynb"), as_version=4)
    log = _render_warnings(nb)
    assert log["render_warnings"] == []
    for key in COUNTY_FIGURES:
        png = out / "figures" / county / f"{key}.png"
        assert png.stat().st_size > 1000 and (png.with_suffix(".csv")).exists()
        assert not png.with_suffix(".svg").exists()  # the batch saves SVG only with svg=True (--svg)
        assert _not_blank(png)
    text = json.dumps(nb.dict(), ensure_ascii=False)
    assert "sha256" in text and f"data/raw/{county}.txt" in text  # the citable footer
    assert labels("zh")["checks"]["sum_mismatch"] in text  # the data-quality table, in the reader's words


@pytest.mark.slow
def test_html_report_hides_code_and_embeds_figures_and_font(batch):
    out, results = batch
    page = (out / "reports" / "alpha" / "report.html").read_text(encoding="utf-8")
    assert "CountyReport(" not in page  # code hidden
    assert page.count("data:image/png;base64,") >= len(COUNTY_FIGURES)
    assert "@font-face" in page and "cdnjs" not in page and "mathjax" not in page.lower()


@pytest.mark.slow
def test_comparison_notebook_draws_rates_and_growth(batch):
    out, _ = batch
    nb = nbformat.read(str(out / "reports" / COMPARISON / "report.ipynb"), as_version=4)
    assert _render_warnings(nb)["render_warnings"] == []
    for key in ("enrollment", "rates", "growth", "teachers", "funding"):
        assert _not_blank(out / "figures" / COMPARISON / f"{key}.png")
        assert (out / "figures" / COMPARISON / f"{key}.svg").stat().st_size > 1000
        data = (out / "figures" / COMPARISON / f"{key}.csv").read_text(encoding="utf-8-sig")
        assert data.startswith("figure,panel,county")  # empty below the header where the places share nothing
    rates = (out / "figures" / COMPARISON / "rates.csv").read_text(encoding="utf-8-sig")
    assert "data/raw/alpha.txt" in rates and "data/raw/gamma.txt" in rates  # every value with its source line
    for key in COUNTY_FIGURES:  # county figures are written with their data too
        assert (out / "figures" / "alpha" / f"{key}.csv").exists()


@pytest.mark.slow
def test_county_notebook_in_english_via_papermill(tmp_path, fixture_processed_dir):
    out_nb = tmp_path / "alpha_en.ipynb"
    pm.execute_notebook(str(COUNTY_NB), str(out_nb), progress_bar=False,
                        parameters={"county": "beta", "processed_dir": str(fixture_processed_dir),
                                    "out_dir": str(tmp_path), "lang": "en"})
    nb = nbformat.read(str(out_nb), as_version=4)
    assert _render_warnings(nb)["render_warnings"] == []
    assert "Beta City" in json.dumps(nb.dict(), ensure_ascii=False)
    assert _not_blank(tmp_path / "figures" / "beta" / "rates.png")
