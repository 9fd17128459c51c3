"""The index page names the plans' own periods (issue 13 item 4): its title and the comparison table's
description come from plans.period_start / period_end, so a 十三五 plan reads 2016–2020, base year 2015."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.build.comparison import COLUMNS
from planlib.build.io import read_table, write_table
from planlib.report import batch as rp

pytestmark = pytest.mark.filterwarnings("ignore:.*no _build.json")
NAMES = ("targets", "indicators", "plans", "schools", "checks")


def _tables_with_periods(src, out, periods):
    out.mkdir(parents=True)
    for name in NAMES:
        frame = read_table(name, src)
        if name == "plans":
            for county, (start, end) in periods.items():
                frame.loc[frame["county"] == county, ["period_start", "period_end"]] = [start, end]
        write_table(frame, name, out)
    # the comparison table's file, so the index describes it among the downloads
    pd.DataFrame(columns=COLUMNS).to_csv(out / "comparison.csv", index=False)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_title_and_comparison_description_follow_the_periods(tmp_path, fixture_processed_dir, lang):
    old = {c: (2016, 2020) for c in ("alpha", "beta", "gamma")}
    processed = _tables_with_periods(fixture_processed_dir, tmp_path / "p13", old)
    reports = tmp_path / "reports"
    downloads = rp.copy_downloads(processed, reports)
    page = rp.write_index([], reports / "index.html", processed_dir=processed, lang=lang,
                          downloads=downloads).read_text(encoding="utf-8")
    L = rp.labels(lang)
    assert L["text"]["index_title"].format(periods="2016–2020") in page
    assert L["tables"]["comparison"].format(base=2015, end=2020) in page
    assert "2025" not in page and "2021" not in page


def test_mixed_periods_are_each_named(tmp_path, fixture_processed_dir):
    mixed = {"alpha": (2016, 2020), "beta": (2021, 2025), "gamma": (2021, 2025)}
    processed = _tables_with_periods(fixture_processed_dir, tmp_path / "mixed", mixed)
    page = rp.write_index([], tmp_path / "reports" / "index.html", processed_dir=processed, lang="zh",
                          downloads=rp.copy_downloads(processed, tmp_path / "reports")).read_text(encoding="utf-8")
    assert "2016–2020/2021–2025" in page and "2015/2020 年基期值、2020/2025 年目标值" in page


def test_without_periods_the_words_say_base_and_end_year(tmp_path, fixture_processed_dir):
    processed = _tables_with_periods(fixture_processed_dir, tmp_path / "none",
                                     {c: (None, None) for c in ("alpha", "beta", "gamma")})
    page = rp.write_index([], tmp_path / "reports" / "index.html", processed_dir=processed, lang="en",
                          downloads=rp.copy_downloads(processed, tmp_path / "reports")).read_text(encoding="utf-8")
    assert rp.labels("en")["text"]["index_title_no_period"] in page
    assert "base-year baseline, end-year target" in page
