"""The county report on a real plan and on a new plan dropped beside the five, from raw text to HTML."""
import shutil

import pytest

from planlib.paths import RAW_DIR
from planlib.build.pipeline import build
from planlib.report.batch import COMPARISON, run_reports
from planlib.synth import make_plan

pytestmark = pytest.mark.slow
FIGURES = ("enrollment", "rates", "teachers", "funding", "schools")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    # a sixth place, as a researcher would add it: its text dropped into the raw folder (GB18030 here)
    (raw / "newtown.txt").write_text(make_plan(21, layout="tab_cells").text, encoding="gb18030")
    build(raw, root / "processed")
    results = run_reports(["wuxi", "newtown"], jobs=2, out_dir=root / "out",
                          processed_dir=root / "processed", progress=False)
    return root / "out", {r["county"]: r for r in results}


@pytest.mark.parametrize("county", ["wuxi", "newtown", COMPARISON])
def test_report_runs(reports, county):
    _, results = reports
    assert results[county]["status"] == "ok", results[county]["error"]


@pytest.mark.parametrize("county", ["wuxi", "newtown"])
def test_report_has_its_figures_and_cites_its_file(reports, county):
    out, _ = reports
    for name in FIGURES:
        assert (out / "figures" / county / f"{name}.png").stat().st_size > 1000
    html = (out / "reports" / county / "report.html").read_text(encoding="utf-8")
    assert f"{county}.txt" in html and "sha256" in html
    assert "<img" in html or "data:image/png" in html


def test_a_partial_rerun_keeps_the_other_reports_in_the_index(reports, tmp_path):
    from planlib.report.batch import _all_statuses

    out, _ = reports
    latest = [{"county": "wuxi", "status": "failed", "seconds": 1.0, "html": "", "error": "boom"}]
    merged = {r["county"]: r for r in _all_statuses(out / "reports", latest)}
    assert merged["wuxi"]["status"] == "failed"  # this run wins
    assert merged["newtown"]["status"] == "ok" and merged[COMPARISON]["status"] == "ok"  # earlier runs stay listed
