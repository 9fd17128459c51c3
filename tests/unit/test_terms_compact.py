"""The `terms` step at corpus scale: compact per-plan counts, array ranking, the fast tagger and the noise memo
give what the DataFrame forms and jieba's own tagger gave."""
from __future__ import annotations

import json
import pickle
import random

import jieba.posseg as posseg
import numpy as np
import pandas as pd
import pytest
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from planlib.build import pipeline
from planlib.read.text import read_plan
from planlib.teach import posviterbi, textmine

#: Content words, words the noise filter drops (units, numerals, places, names) and one that ties.
WORDS = ["学前教育", "职业教育", "课后服务", "教师队伍", "产教融合", "家庭教育", "平方米", "三年", "南溪",
         "川陕", "街道", "王小明", "新建", "少儿", "普惠", "督导", "万元", "教育"]


def write_plan(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


def random_tf(seed: int, counties=("a", "b", "c", "d", "e"), duplicates: bool = False) -> pd.DataFrame:
    """Term counts with ties (equal counts and scores), zero counts, words before a place suffix."""
    rng = random.Random(seed)
    rows = []
    for c in counties:
        for w in rng.sample(WORDS, rng.randint(8, len(WORDS))):
            count = rng.choice([0, 1, 1, 2, 3, 5, 8, 40])
            rows.append({"county": c, "source_file": f"data/raw/{c}.txt", "term": w, "count": count,
                         "first_line": rng.randint(1, 90), "before_place": rng.randint(0, count)})
        tie = rng.choice([1, 2, 7])  # 质量 and 校舍 counted alike everywhere: equal scores, the term decides
        rows += [{"county": c, "source_file": f"data/raw/{c}.txt", "term": w, "count": tie,
                  "first_line": rng.randint(1, 90), "before_place": 0} for w in ("质量", "校舍")]
    if duplicates:  # the same (county, term) twice: scored on their sum, each row ranked
        rows += [dict(r, first_line=r["first_line"] + 1) for r in rng.sample(rows, 5)]
    tf = pd.DataFrame(rows)
    return tf[tf.groupby("term")["count"].transform("sum") > 0]  # a term counted nowhere has no log-odds


def reference_ranking(tf: pd.DataFrame, top: int, prior: float = 1.0, min_count: int = 1,
                      kind_of=textmine._noise_kind, drop_noise: bool = True) -> pd.DataFrame:
    """The ranking as planlib did it before arrays: the county × term matrix, a merge, a sort, a loop."""
    counts = tf.pivot_table(index="term", columns="county", values="count", aggfunc="sum", fill_value=0)
    long = (textmine._log_odds(counts, prior).rename_axis(index="term").reset_index()
            .melt(id_vars="term", var_name="county", value_name="score"))
    long = long.merge(tf, on=["county", "term"], how="inner")
    long = long[long["count"] >= min_count]
    long = long.sort_values(["county", "score", "count", "term"], ascending=[True, False, False, True])
    keep = []
    for _, group in long.groupby("county", sort=False):
        kept = 0
        for i, r in zip(group.index, group.itertuples(index=False)):
            if kept >= top:
                break
            if drop_noise and ((r.count and r.before_place / r.count >= 0.25) or kind_of(r.term)):
                continue
            keep.append(i)
            kept += 1
    long = long.loc[keep] if drop_noise else long
    long["rank"] = long.groupby("county").cumcount() + 1
    return long[long["rank"] <= top][["county", "term", "score", "count", "rank", "first_line", "source_file"]]


def counts_of(tf: pd.DataFrame) -> list[textmine.TermCounts]:
    return [textmine.TermCounts.of(c, g["source_file"].iloc[0], g["term"].tolist(), g["count"], g["first_line"],
                                   g["before_place"]) for c, g in tf.groupby("county", sort=False)]


@pytest.mark.parametrize("seed,head", [(1, None), (2, None), (3, None), (1, 1), (2, 2), (3, 1)])
def test_array_ranking_equals_the_matrix_merge_and_loop_bit_for_bit(seed, head, monkeypatch):
    if head is not None:  # a head of top + a row or two per county: the noise filter runs out, the county is ranked again
        monkeypatch.setattr(textmine, "_FIRST_PER_TOP", 0)
        monkeypatch.setattr(textmine, "_FIRST_EXTRA", head)
    tf = random_tf(seed, duplicates=seed == 3)
    for top, prior, min_count in ((3, 1.0, 1), (6, 0.3, 2), (50, 1.0, 1)):
        want = reference_ranking(tf, top, prior, min_count).reset_index(drop=True)
        got = textmine.distinctive_terms(tf, top=top, prior_strength=prior, min_count=min_count)
        assert got["score"].tolist() == want["score"].tolist()  # exact, not approximately
        assert got[["county", "term", "count", "rank", "first_line", "source_file"]].astype(object).equals(
            want[["county", "term", "count", "rank", "first_line", "source_file"]].astype(object))
    kept = textmine.distinctive_terms(tf, top=50, drop_noise=False)
    assert kept["term"].tolist() == reference_ranking(tf, 50, drop_noise=False)["term"].tolist()


def test_ranking_of_compact_counts_equals_the_ranking_of_their_rows():
    tf = random_tf(4)
    noise = {"平方米": "unit", "南溪": "place"}  # a made-up tagger: what is tagged is what the ranking asked
    asked = []

    def kind_of(term):
        asked.append(term)
        return noise.get(term)

    got = textmine.distinctive_terms_of_counts(counts_of(tf), top=4, exclude=["督导"], kind_of=kind_of)
    want = reference_ranking(tf[tf["term"] != "督导"], 4, kind_of=noise.get).reset_index(drop=True)
    assert got["score"].tolist() == want["score"].tolist()
    assert got.drop(columns="score").astype(object).equals(want.drop(columns="score").astype(object))
    assert len(asked) == len(set(asked))  # each term tagged once in a build
    assert "督导" not in asked and set(got["term"]) <= set(asked)


def test_term_counts_are_compact_and_give_back_the_rows(tmp_path):
    plan = write_plan(tmp_path, "alpha", "学前教育普惠发展。学前教育资源扩大。凤凰镇课后服务。\n" * 3)
    tc = textmine.count_terms(plan)
    rows = textmine.plan_term_counts(plan)
    assert tc.frame().equals(rows)
    assert tc.term_list() == rows["term"].tolist() and len(tc) == len(rows)
    assert tc.count.dtype == np.uint8 and tc.first_line.dtype == np.uint8  # small numbers, small types
    assert textmine.TermCounts.of("a", "a.txt", ["x"], [70000], [1], [0]).count.dtype == np.uint32
    assert pickle.loads(pickle.dumps(tc)).frame().equals(rows)
    with pytest.raises(ValueError, match="line break"):
        textmine.TermCounts.of("a", "a.txt", ["甲\n乙"], [1], [1], [0])
    empty = textmine.TermCounts.of("a", "a.txt", [], [], [], [])
    assert len(empty) == 0 and empty.term_list() == [] and empty.frame().empty


def test_terms_table_from_plans_equals_distinctive_terms_of_their_frequencies(tmp_path):
    a = write_plan(tmp_path, "alpha", "凤凰镇新建校舍3000平方米。凤凰镇课后服务全覆盖。课后服务提质。投入三年。\n" * 3)
    b = write_plan(tmp_path, "beta", "职业教育产教融合。职业教育校企合作。职业教育质量提高。学前教育发展。\n" * 3)
    table = pipeline.distinctive_terms_table([a, b], tmp_path, top=5)
    tf = textmine.term_frequencies([a, b], segmenter="rjieba")
    want = textmine.distinctive_terms(tf, top=5)
    want["score"] = want["score"].round(6)
    assert table.astype(object).equals(want[table.columns].astype(object))
    assert pipeline.terms_from_counts([textmine.TermCounts.of("a", "a.txt", [], [], [], [])], tmp_path).empty


def test_array_viterbi_equals_jiebas_on_known_rare_and_unknown_characters():
    rng = random.Random(5)
    known = sorted(posseg.char_state_tab_P)
    unknown = [chr(c) for c in range(0x4E00, 0x9FA5) if chr(c) not in posseg.char_state_tab_P]
    pool = rng.sample(known, 200) + rng.sample(unknown, 100) + list("泰忠川陕南溪")
    for _ in range(300):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 7)))
        want = jieba_viterbi(s, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
        assert posviterbi.viterbi(s) == want, s


def test_fast_tagger_tags_as_jiebas_tagger():
    slow = posseg.POSTokenizer(textmine.tokenizer())
    fast = textmine.pos_tokenizer()
    assert isinstance(fast, posviterbi.FastPOSTokenizer)
    for term in [*WORDS, "对泰忠", "鑫淼垚", "甲乙丙", "溪桥镇", "龙泉驿", "1+X证书", "川陕渝黔"]:
        assert [(p.word, p.flag) for p in fast.lcut(term)] == [(p.word, p.flag) for p in slow.lcut(term)], term


def test_noise_memo_is_kept_and_read_back_without_tagging(tmp_path, monkeypatch):
    path = tmp_path / "cache" / "noise_terms.json"
    memo = textmine.NoiseMemo(path)
    kinds = {t: memo.kind(t) for t in ("平方米", "课后服务", "南溪")}
    assert kinds == {"平方米": "unit", "课后服务": None, "南溪": "place"}
    memo.save()
    assert json.loads(path.read_text(encoding="utf-8"))["kinds"] == kinds
    assert not list(path.parent.glob(".*.tmp"))

    def no_tagging(term):
        raise AssertionError(f"tagged {term} again")

    monkeypatch.setattr(textmine, "_noise_kind", no_tagging)
    again = textmine.NoiseMemo(path)
    assert {t: again.kind(t) for t in kinds} == kinds and not again.changed


def test_noise_memo_of_another_jieba_or_planlib_or_damaged_is_ignored(tmp_path, monkeypatch):
    path = tmp_path / "noise_terms.json"
    path.write_text(json.dumps({"key": "another jieba", "kinds": {"课后服务": "place"}}), encoding="utf-8")
    assert textmine.NoiseMemo(path).kind("课后服务") is None
    path.write_text(json.dumps({"key": textmine.noise_fingerprint(), "kinds": {"课后服务": "nonsense"}}),
                    encoding="utf-8")
    assert textmine.NoiseMemo(path).kind("课后服务") is None
    path.write_text('{"key": "', encoding="utf-8")  # cut short
    memo = textmine.NoiseMemo(path)
    assert memo.kind("平方米") == "unit"
    memo.save()
    assert json.loads(path.read_text(encoding="utf-8"))["kinds"] == {"平方米": "unit"}
    monkeypatch.setattr(textmine, "NOISE_MEMO_VERSION", textmine.NOISE_MEMO_VERSION + 1)
    assert textmine.NoiseMemo(path).kinds == {}  # new rules: tagged afresh


def test_terms_step_with_a_cache_folder_gives_the_same_table_and_keeps_the_kinds(tmp_path):
    tf = random_tf(6)
    counts = counts_of(tf)
    plain = pipeline.terms_from_counts(counts, tmp_path)
    cached = pipeline.terms_from_counts(counts, tmp_path, cache_dir=tmp_path / "cache")
    again = pipeline.terms_from_counts(counts, tmp_path, cache_dir=tmp_path / "cache")
    assert plain.equals(cached) and plain.equals(again)
    kinds = json.loads((tmp_path / "cache" / pipeline.NOISE_MEMO).read_text(encoding="utf-8"))["kinds"]
    assert set(plain["term"]) <= set(kinds) and not any(kinds[t] for t in plain["term"])


def test_head_of_each_countys_ranking_is_a_prefix_with_enough_rows():
    rng = np.random.default_rng(7)
    county = rng.integers(0, 30, 20000)
    score = np.round(rng.normal(size=20000), 2)  # many equal scores
    head = textmine._score_head(county, score, 30, 25)
    for c in range(30):
        mine, chosen = score[county == c], head[county == c]
        assert chosen.sum() >= min(25, len(mine))
        assert not chosen.all()  # a head, not the whole county
        assert mine[chosen].min() > mine[~chosen].max()  # every row scored as high as one in it is in it
