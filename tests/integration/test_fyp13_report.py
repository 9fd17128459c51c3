"""A 十三五 plan (2016–2020) goes through `planlib build` and the county report like any other (issue 13 item 4):
its base year is 2015 and its end year 2020 in the figures, their data, the report and the index — no 2025."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

pytestmark = pytest.mark.slow
RAW = Path(__file__).resolve().parents[1] / "fixtures" / "fyp13"  # shisanwu.txt: a small hand-written 十三五 plan
SLUG = "shisanwu"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("fyp13")
    processed = out / "processed"
    done = subprocess.run([sys.executable, "-m", "planlib.cli", "build", "--raw", str(RAW), "--out", str(processed), "-q"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out, processed


def test_the_build_reads_the_plans_own_period(built):
    import planlib

    _, processed = built
    t = planlib.load_tables(processed, warn_stale=False)
    plan = t["plans"].set_index("county").loc[SLUG]
    assert (int(plan["period_start"]), int(plan["period_end"])) == (2016, 2020)
    dated = t["targets"][t["targets"]["kind"].isin(["baseline", "target"])]
    assert set(dated["year"].dropna().astype(int)) <= {2015, 2020}
    growth = t["derived"][t["derived"]["derived_id"] == "growth_pct"]
    assert len(growth) and set(zip(growth["span_start"], growth["span_end"])) == {(2015, 2020)}


def _figure_texts(fig) -> str:
    out = [fig._suptitle.get_text() if fig._suptitle else ""] + [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.get_xticklabels()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return " | ".join(out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_county_report_notebook_uses_2015_and_2020(built, lang):
    import papermill as pm

    from planlib import paths
    from planlib.report import plots
    from planlib.report.batch import CountyReport, Comparison

    out, processed = built
    root = out / lang
    nb_path = root / "report.ipynb"
    root.mkdir()
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / "county_report.ipynb"), str(nb_path), progress_bar=False,
                        parameters={"county": SLUG, "processed_dir": str(processed), "out_dir": str(root), "lang": lang})
    nb = nbformat.read(str(nb_path), as_version=4)
    shown = json.dumps([o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" not in
                        o.get("data", {})], ensure_ascii=False)
    assert "2016–2020" in shown  # the heading's period
    assert "2025" not in shown and "2021" not in shown
    for key in plots.COUNTY_FIGURES:
        data = pd.read_csv(root / "figures" / SLUG / f"{key}.csv", encoding="utf-8-sig")
        assert set(data["year"].dropna().astype(int)) <= {2015, 2020}, key
    # the figures' own words: titles name the plan's period, legends and axes its base and end years
    report = CountyReport(SLUG, processed, root, lang)
    for key in plots.COUNTY_FIGURES:
        text = _figure_texts(report._draw(key))
        assert "2025" not in text and "2021" not in text, (key, text)
        if key != "schools":  # a plan without school construction says so, without a period
            assert "2016–2020" in text, (key, text)
    assert ("基期 2015年" if lang == "zh" else "baseline 2015") in _figure_texts(report._draw("rates"))
    growth = _figure_texts(Comparison([SLUG], None, processed, root, lang)._draw("growth"))
    assert "2015→2020" in growth and "2025" not in growth


def test_index_page_names_the_plans_period(built):
    from planlib.report.batch import copy_downloads, labels, write_index

    out, processed = built
    for lang in ("zh", "en"):
        reports = out / f"index_{lang}"
        downloads = copy_downloads(processed, reports)
        page = write_index([], reports / "index.html", processed_dir=processed, lang=lang,
                           downloads=downloads).read_text(encoding="utf-8")
        assert labels(lang)["text"]["index_title"].format(periods="2016–2020") in page
        assert labels(lang)["tables"]["comparison"].format(base=2015, end=2020) in page
        assert "2025" not in page and "2021" not in page
