"""Sections and distinctive terms over the real plans in data/raw."""
from __future__ import annotations

import pytest

from planlib import paths
from planlib.teach import textmine
from planlib.extract.sections import is_leader_line, sections, toc_lines
from planlib.read.text import read_plan

PLAN_FILES = sorted(paths.RAW_DIR.glob("*.txt"))


@pytest.fixture(scope="module")
def plans():
    if not PLAN_FILES:
        pytest.skip("no plans in data/raw")
    return [read_plan(p) for p in PLAN_FILES]


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_sections_have_sane_structure(path):
    plan = read_plan(path)
    df = sections(plan)
    assert len(df) >= 5
    assert not df["line_start"].isin(toc_lines(plan)).any()
    assert not any(is_leader_line(plan.line(n)) for n in df["line_start"])
    assert (df["line_start"] <= df["line_end"]).all() and df["line_end"].max() <= len(plan.lines)
    assert df["line_start"].is_monotonic_increasing
    assert sorted(df["level"].unique())[0] == 1
    by_id = df.set_index("section_id")
    for r in df.dropna(subset=["parent"]).itertuples():
        parent = by_id.loc[r.parent]
        assert parent["level"] < r.level
        assert parent["line_start"] < r.line_start and r.line_end <= parent["line_end"]
    for r in df.itertuples():
        assert r.numbering.strip("（）第部分章节专栏") in plan.line(r.line_start)


def test_distinctive_terms_cite_lines(plans):
    tf = textmine.term_frequencies(plans)
    top = textmine.distinctive_terms(tf, top=10)
    assert set(top["county"]) == {p.slug for p in plans}
    assert top.groupby("county").size().eq(10).all()
    assert (top["count"] > 0).all() and top.groupby("county")["score"].is_monotonic_decreasing.all()
    by_slug = {p.slug: p for p in plans}
    for r in top.itertuples():
        assert r.term in by_slug[r.county].line(r.first_line)
        assert r.source_file == f"data/raw/{r.county}.txt"
