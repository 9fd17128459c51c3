"""Traditional script: detected, matched through simplified characters, quoted in the original ones."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import opencc
import pandas as pd
import pytest

from planlib.build.pipeline import parse_plan
from planlib.build.provenance import provenance_problems
from planlib.datafiles import package_yaml
from planlib.paths import RAW_DIR
from planlib.read import script
from planlib.read.script import TRADITIONAL_SHARE, is_traditional, to_simplified, traditional_share
from planlib.read.text import read_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
from invented_plan import plan_text  # noqa: E402

KEY = ["indicator_id", "year", "kind", "value", "unit", "comparator", "line", "char_start", "char_end"]
#: OpenCC's renderings of simplified text in traditional script: standard, Taiwan and Hong Kong characters.
RENDERINGS = ("s2t", "s2tw", "s2hk")


def _rows(df):
    return sorted((tuple(None if pd.isna(v) else v for v in r) for r in df[KEY].astype(object).itertuples(index=False)),
                  key=repr)


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    """The invented plan in simplified script, and in traditional script as UTF-8 and as Big5."""
    d = tmp_path_factory.mktemp("script")
    simplified = plan_text()
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified and len(traditional) == len(simplified)
    (d / "simp.txt").write_text(simplified, encoding="utf-8")
    (d / "trad.txt").write_text(traditional, encoding="utf-8")
    (d / "tradbig.txt").write_bytes(traditional.encode("big5"))
    (d / "tradtw.txt").write_text(opencc.OpenCC("s2tw").convert(simplified), encoding="utf-8")
    return d


@pytest.mark.parametrize("name,encoding", [("trad", "utf-8"), ("tradbig", "big5"), ("tradtw", "utf-8")])
def test_traditional_plan_gives_the_rows_of_its_simplified_version(plans, name, encoding):
    simp = parse_plan(plans / "simp.txt").targets_frame
    trad = parse_plan(plans / f"{name}.txt")
    assert trad.plan.script == "traditional" and trad.plan.encoding == encoding
    assert len(simp) >= 30
    assert _rows(trad.targets_frame) == _rows(simp)


def test_quotes_keep_the_original_characters_and_point_into_the_file(plans):
    trad = parse_plan(plans / "trad.txt")
    df = trad.targets_frame
    original = (plans / "trad.txt").read_text(encoding="utf-8").split("\n")
    for r in df.itertuples():
        line = original[r.line - 1]
        assert r.quote in line  # the file's own characters (sed -n '<line>p' shows them)
        assert line[r.char_start:r.char_end] in r.quote
    quotes = set(df["quote"])
    assert "學前教育毛入學率達到88.5%" in quotes and "九年義務教育鞏固率達到97%以上" in quotes
    assert "专任教师3865人" not in quotes and "專任教師3865人" in quotes


def test_provenance_checks_a_traditional_plan_against_its_own_lines(plans):
    """planlib.build.provenance reads the Big5 file's own lines: the quotes pass, a simplified one does not."""
    df = parse_plan(plans / "tradbig.txt").targets_frame.copy()
    df["source_file"] = "tradbig.txt"
    assert provenance_problems(df, root=plans) == []
    i = df.index[df["quote"] == "學前教育毛入學率達到88.5%"][0]
    df.loc[i, "quote"] = "学前教育毛入学率达到88.5%"  # what planlib matched, not what the file says
    assert [p for p in provenance_problems(df, root=plans) if "does not contain the span" in p]


def test_simplified_plans_are_left_as_they_are():
    """The five plans read as simplified: text is the file's text, original_lines are its lines."""
    for path in sorted(RAW_DIR.glob("*.txt")):
        plan = read_plan(path)
        assert plan.script == "simplified" and plan.original_text is None
        assert plan.original_lines is plan.lines
        assert traditional_share(plan.text) < 0.01


@pytest.mark.parametrize("config", RENDERINGS)
def test_conversion_keeps_every_line_length_on_real_plan_text(config):
    """The identity offset map rests on this: OpenCC t2s itself (no fallback) keeps each line's length."""
    to_trad, t2s = opencc.OpenCC(config), opencc.OpenCC("t2s")
    for path in sorted(RAW_DIR.glob("*.txt")):
        text = read_plan(path).text
        trad = to_trad.convert(text)
        assert is_traditional(trad), path.name
        assert traditional_share(trad) > 3 * TRADITIONAL_SHARE
        back = t2s.convert(trad)
        assert [len(x) for x in back.split("\n")] == [len(x) for x in text.split("\n")], path.name
        assert to_simplified(trad) == back


def test_a_length_changing_phrase_falls_back_to_characters(monkeypatch):
    """Were a phrase conversion to change a line's length, that line is converted character by character."""
    class Shrinking:
        def convert(self, s):
            s = s.replace("網際網路", "互联网")  # a vocabulary change (4 -> 3 characters)
            return s.replace("學", "学").replace("專", "专").replace("師", "师")

    monkeypatch.setattr(script, "_t2s", lambda: Shrinking())
    text = "專任教師\n網際網路學校12所\n"
    out = to_simplified(text)
    assert [len(x) for x in out.split("\n")] == [len(x) for x in text.split("\n")]
    assert out == "专任教师\n網際網路学校12所\n"


def test_detection_threshold():
    simplified = "到2025年，学前教育毛入学率达到93%以上，九年义务教育巩固率达到97%以上，高中阶段毛入学率达到95%以上。"
    assert not is_traditional(simplified)
    assert is_traditional(opencc.OpenCC("s2t").convert(simplified))
    # a simplified plan quoting a traditional school name stays simplified
    assert not is_traditional(simplified + "（臺灣學校）")
    assert not is_traditional("學校")  # too short to tell


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            if k in ("definition", "label_en", "source"):  # explanations, never matched against a plan
                continue
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


@pytest.mark.parametrize("name", ["indicators.yml", "prose_rules.yml", "table_words.yml", "meaning.yml",
                                  "domain_keywords.yml", "furniture.yml", "instruments.yml"])
def test_dictionary_words_survive_the_round_trip(name):
    """Every word the extractors match (aliases, plan words, units, cues) reads back from traditional script."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    words = [s for s in _strings(package_yaml(name)) if cjk.search(s)]
    known = set(words)
    assert words
    failed = []
    for config in RENDERINGS:
        conv = opencc.OpenCC(config)
        # read back, a word is itself or a variant form the data lists beside it (衞生室 for 卫生室 in Hong Kong)
        failed += [(config, w, back) for w in words if (back := to_simplified(conv.convert(w))) not in known]
    assert failed == []


def test_a_traditional_text_that_is_no_plan_says_how_it_was_read(tmp_path):
    from planlib.errors import PlanFileError

    path = tmp_path / "trad.txt"
    path.write_bytes("某縣旅遊發展報告：今年遊客人數創新高，各景區接待能力不斷提升，服務品質顯著改善。\n".encode("big5"))
    with pytest.raises(PlanFileError, match=r"trad\.txt: not an education plan: read as traditional Chinese script"):
        parse_plan(path)


@pytest.mark.parametrize("config,encoding", [("s2t", "utf-8"), ("s2tw", "big5"), ("s2hk", "utf-8")])
def test_the_five_plans_in_traditional_script_give_their_rows(config, encoding, tmp_path):
    """Each real plan rendered in traditional script (standard, Taiwan as Big5, Hong Kong characters) gives
    the same rows, spans and meanings as the plan itself, each quote in the rendering's characters."""
    cols = KEY + ["source", "basis", "measure_type", "level", "value_raw"]
    conv = opencc.OpenCC(config)
    for path in sorted(RAW_DIR.glob("*.txt")):
        trad = conv.convert(path.read_text(encoding="utf-8"))
        f = tmp_path / path.name
        f.write_bytes(trad.encode(encoding, errors="replace"))  # Big5 lacks U+2002 and NBSP: '?', as a repost would
        lines = f.read_bytes().decode(encoding).split("\n")
        mine, theirs = parse_plan(path).targets_frame, parse_plan(f).targets_frame
        assert len(mine) > 40
        assert mine[cols].astype(str).values.tolist() == theirs[cols].astype(str).values.tolist(), path.name
        assert all(q in lines[n - 1] for q, n in zip(theirs["quote"], theirs["line"]))
        assert (theirs["quote"] != mine["quote"]).mean() > 0.3  # most quotes hold a character that differs
