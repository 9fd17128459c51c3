"""count_terms' array tally (textmine._tally) gives what the word-by-word one (textmine._tally_plain) gives,
and rjieba cutting the joined lines gives each line's own cut."""
from __future__ import annotations

import random

import numpy as np
import pytest

from planlib.build.pipeline import parse_plan
from planlib.paths import RAW_DIR
from planlib.teach import textmine

#: Words, stop words, place suffixes, units, single characters, digits, letters, blanks and punctuation.
PIECES = ["学前教育", "课后服务", "普惠", "凤凰", "镇", "乡", "街道", "社区", "乡镇", "的", "和", "等", "教育",
          "发展", "五育并举", "2025", "年", "92.5%", "ABC", "x", "一", " ", "\t", "\u3000", "，", "。", "、",
          "（", "）", "-", "#", "&", "_", "甲乙", "丙", "qq", "2022-07-13", "\r"]


def random_lines(rng: random.Random, n: int) -> list[tuple[int, str]]:
    lines = []
    number = 0
    for _ in range(n):
        number += rng.randint(1, 3)  # analysed lines skip some of the plan's lines
        lines.append((number, "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))))
    return lines


def same(a, b) -> None:
    assert a[0] == b[0]
    for x, y in zip(a[1:], b[1:]):
        assert [int(v) for v in x] == [int(v) for v in y]


@pytest.mark.parametrize("segmenter", ["rjieba", "jieba"])
def test_array_tally_equals_the_plain_one_on_random_lines(segmenter):
    rng = random.Random(7)
    for trial in range(60 if segmenter == "rjieba" else 15):
        lines = random_lines(rng, rng.randint(0, 40))
        for min_chars in (1, 2, 3):
            same(textmine._tally(lines, min_chars, segmenter), textmine._tally_plain(lines, min_chars, segmenter))


def test_array_tally_on_lines_without_words():
    for lines in ([], [(1, "")], [(1, "2025，。"), (3, "  ")], [(2, "的和等")]):
        assert textmine._tally(lines, 2, "rjieba") == ([], [], [], [])
        same(textmine._tally(lines, 2, "rjieba"), textmine._tally_plain(lines, 2, "rjieba"))


def test_a_carriage_return_ending_a_line_falls_back_to_a_cut_a_line():
    lines = [(1, "学前教育普惠\r"), (2, "凤凰镇课后服务"), (4, "凤凰街道\r"), (5, "")]
    tokens, sizes = textmine._cut_lines(lines, "rjieba")
    assert sizes is None and "\r\n" in tokens  # joined, a line's end is glued to the newline ...
    tokens, sizes = textmine._cut_lines(lines, "rjieba", joined=False)
    assert sum(sizes) == len(tokens) and "\n" not in "".join(tokens)
    same(textmine._tally(lines, 2, "rjieba"), textmine._tally_plain(lines, 2, "rjieba"))  # ... so it cuts a line


def test_joined_cut_is_each_lines_cut_and_the_tally_the_plain_one_on_the_five_plans():
    tok = textmine.rjieba_tokenizer()
    plans = sorted(RAW_DIR.glob("*.txt"))
    assert len(plans) >= 5
    placed = 0
    for path in plans:
        lines = textmine.analysed_lines(parse_plan(path).document)
        tokens, sizes = textmine._cut_lines(lines, "rjieba")
        assert sizes is None  # one call for the plan
        per_line = [t for _, line in lines for t in [*tok.cut(line, True), "\n"]][:-1]
        assert tokens == per_line
        fast, plain = textmine._tally(lines, 2, "rjieba"), textmine._tally_plain(lines, 2, "rjieba")
        same(fast, plain)
        placed += int(np.asarray(fast[3]).sum())
    assert placed > 0  # the plans name towns (…镇): the place counts are compared too


def test_count_terms_is_the_plain_tally_on_a_plan():
    path = sorted(RAW_DIR.glob("*.txt"))[0]
    doc = parse_plan(path).document
    tc = textmine.count_terms(doc, segmenter="rjieba")
    terms, count, first_line, before = textmine._tally_plain(textmine.analysed_lines(doc), 2, "rjieba")
    assert tc.term_list() == terms
    assert tc.count.tolist() == count and tc.first_line.tolist() == first_line
    assert tc.before_place.tolist() == before


def cell_runs_plain(lines: list[str]) -> set[int]:
    """textmine.cell_runs as it was before it skipped measuring runs too short to be tables."""
    out: set[int] = set()
    run: list[int] = []
    for n, line in enumerate([*lines, "end"], 1):
        if line.startswith("\t"):
            if line.strip():
                run.append(n)
        elif line.strip():
            short = sum(len(lines[k - 1].strip()) <= textmine.SHORT_CELL_CHARS for k in run)
            if len(run) >= textmine.MIN_CELL_RUN and 2 * short >= len(run):
                out.update(range(run[0], run[-1] + 1))
            run = []
    return out


def test_cell_runs_and_captions_equal_their_plain_forms_on_random_lines():
    rng = random.Random(11)
    pieces = ["\t项目", "\t新建", "\t" + "很长的单元格内容" * 4, "", " ", "\t", "正文。", "表3 指标", "附表 1", " 表2",
              "\u3000表 5", "表格", "列表4"]
    found = 0
    for _ in range(300):
        lines = [rng.choice(pieces) for _ in range(rng.randint(0, 30))]
        got = textmine.cell_runs(lines)
        assert got == cell_runs_plain(lines)
        found += bool(got)
        caption = {n for n, line in enumerate(lines, 1) if textmine.TABLE_CAPTION.match(line)}
        assert caption == {n for n, line in enumerate(lines, 1) if "表" in line and textmine.TABLE_CAPTION.match(line)}
    assert found > 10  # the random lines hold tables
