"""Generated plans with known table cells parse back to those cells, in every layout."""
import math

import pytest

from planlib.build.pipeline import parse_plan
from planlib.synth import LAYOUTS, make_plan


@pytest.mark.parametrize("seed", range(24))
def test_generated_table_cells_come_back(tmp_path, seed):
    synth = make_plan(seed)
    path = tmp_path / f"synth{seed}.txt"
    path.write_text(synth.text, encoding="utf-8")
    rows = [r for r in parse_plan(path).targets if r["source"] == "table"]
    assert len(rows) == len(synth.truth), synth.layout
    for label, year, value in synth.truth:
        hits = [r for r in rows if r["year"] == year and math.isclose(r["value"], value, rel_tol=1e-9, abs_tol=1e-9)
                and r["indicator_zh"] and r["indicator_zh"] in label]
        assert len(hits) == 1, (synth.layout, label, year, value)


def test_every_layout_is_generated():
    assert {make_plan(s).layout for s in range(len(LAYOUTS))} == set(LAYOUTS)
