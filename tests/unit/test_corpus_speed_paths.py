"""The corpus-scale paths give what the slower ones gave: rjieba's counts, long-form log-odds, the corpus generator."""
from __future__ import annotations

import csv
import random
import re

import pandas as pd
import pytest

from planlib.build.pipeline import parse_plan
from planlib.paths import check_slug
from planlib.read.text import read_plan
from planlib.synth import change_numbers, corpus_plan, made_up_names, write_corpus
from planlib.teach import textmine

PLAN = """\
某县教育事业发展“十四五”规划
一、发展基础
“十三五”期间，新建幼儿园12所，发布日期2022-07-13，咨询电话023-55128091。
全面落实立德树人根本任务，推进五育并举、县管校聘改革，办好人民满意的教育。
二、主要目标
到2025年，学前三年毛入园率达到92.5%，普惠性幼儿园覆盖率达到85%以上。
青山镇中心小学、白石乡中学改扩建。
"""


def _plan(tmp_path, name, text):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


def test_rjieba_counts_equal_jieba_counts_where_they_cut_digits_differently(tmp_path):
    plans = [_plan(tmp_path, "alpha", PLAN), _plan(tmp_path, "beta", PLAN.replace("学前", "职业"))]
    a = textmine.term_frequencies(plans, segmenter="jieba")
    b = textmine.term_frequencies(plans, segmenter="rjieba")
    pd.testing.assert_frame_equal(a, b)
    assert "五育并举" in set(b["term"])  # the policy terms reach rjieba too


def test_unknown_segmenter_is_refused(tmp_path):
    with pytest.raises(ValueError, match="segmenter"):
        textmine.term_frequencies([_plan(tmp_path, "alpha", PLAN)], segmenter="thulac")


def _log_odds_long(tf: pd.DataFrame, prior_strength: float) -> pd.DataFrame:
    """The array form (textmine._log_odds_scores) for the (term, county) pairs that occur, as a long frame."""
    pairs = tf.groupby(["county", "term"], sort=False, observed=True)["count"].sum().reset_index()
    county, _ = pd.factorize(pairs["county"])
    term, terms = pd.factorize(pairs["term"])
    score = textmine._log_odds_scores(county, term, pairs["count"].to_numpy(), textmine._string_ranks(list(terms)),
                                      prior_strength)
    out = pd.DataFrame({"term": pairs["term"], "county": pairs["county"], "score": score})
    return out.sort_values(["county", "term"], kind="stable", ignore_index=True)


def test_long_log_odds_equals_the_matrix_form_bit_for_bit():
    rng = random.Random(3)
    words = [f"词{i}" for i in range(40)]
    rows = [{"county": c, "term": w, "count": rng.randint(1, 50)}
            for c in ("a", "b", "c", "d") for w in rng.sample(words, 25)]
    tf = pd.DataFrame(rows)
    for prior in (1.0, 0.3):
        counts = tf.pivot_table(index="term", columns="county", values="count", aggfunc="sum", fill_value=0)
        dense = (textmine._log_odds(counts, prior).rename_axis(index="term").reset_index()
                 .melt(id_vars="term", var_name="county", value_name="score"))
        dense = dense.merge(tf[["county", "term"]], on=["county", "term"])
        dense = dense.sort_values(["county", "term"], ignore_index=True)[["term", "county", "score"]]
        long = _log_odds_long(tf, prior)
        assert len(long) == len(tf)
        assert long["score"].tolist() == dense["score"].tolist()  # exact, not approximately
        assert long[["term", "county"]].equals(dense[["term", "county"]])


def test_part_of_speech_tagger_is_built_once_per_tokenizer():
    assert textmine.pos_tokenizer() is textmine.pos_tokenizer()
    assert textmine.pos_tokenizer().tokenizer is textmine.tokenizer()


def test_changed_numbers_keep_years_outline_numbers_and_length():
    text = "1.在校生1234人\n12、到2025年达到98.5%，2021—2025年\n（3）投入0.75亿元"
    out = change_numbers(text, random.Random(0))
    assert out.startswith("1.在校生") and "\n12、到2025年" in out and "2021—2025年" in out
    assert out != text
    shape = lambda s: re.sub(r"[0-9]", "9", s)  # noqa: E731
    assert shape(out) == shape(text)  # every digit stays a digit: layouts and widths kept
    assert re.search(r"0\.\d\d亿元", out)  # a leading zero stays a leading zero


def test_corpus_plan_renames_the_place_everywhere():
    text = "某乡县教育规划\n某乡县人民政府\n某乡教育发展"
    out = corpus_plan(text, ("某乡县",), "新名县", seed=1)
    assert "某乡" not in out and out.count("新名县") == 2 and "新名教育发展" in out


def test_made_up_names_are_distinct_and_reproducible():
    names = made_up_names(2000)
    assert len(set(names)) == 2000 and names == made_up_names(2000)
    with pytest.raises(ValueError):
        made_up_names(10 ** 6)


def test_write_corpus_makes_parseable_plans_with_their_sources(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "demo.txt").write_text(PLAN.replace("某县", "甲乙县"), encoding="utf-8")
    (raw / "sources.csv").write_text("slug,name_zh,province,title\ndemo,甲乙县,某省,甲乙县教育事业发展规划\n",
                                     encoding="utf-8")
    files = write_corpus(raw, tmp_path / "out", 3, seed=7)
    assert [p.name for p in files] == ["p0000.txt", "p0001.txt", "p0002.txt"]
    with open(tmp_path / "out" / "sources.csv", encoding="utf-8") as fh:
        sources = list(csv.DictReader(fh))
    assert [s["slug"] for s in sources] == ["p0000", "p0001", "p0002"]
    for path, src in zip(files, sources):
        check_slug(path.stem)
        text = path.read_text(encoding="utf-8")
        assert "甲乙" not in text and src["name_zh"] in text and src["name_zh"].endswith("县")
        assert src["title"] == f"{src['name_zh']}教育事业发展规划"
        assert "2025年" in text and "92.5%" not in text
        assert parse_plan(path).targets  # still a plan the parser reads
    assert write_corpus(raw, tmp_path / "again", 3, seed=7)[1].read_text(encoding="utf-8") == \
        files[1].read_text(encoding="utf-8")
