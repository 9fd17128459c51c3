"""Text analysis of plans with jieba: words, distinctive terms, keyword in context,
sentences and a policy-instrument coding, each row citing its plan line.

The policy user dictionary, the stop words and the instrument dictionary are data files
in ``planlib/data`` so researchers can extend them without touching code. jieba's
dictionary takes about a second to load, so one tokenizer is built lazily per process
and its cache file lives in the project's cache folder (``planlib.paths.CACHE_DIR``),
not in a /tmp file shared with other users.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import secrets
import threading
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba
import numpy as np
import pandas as pd

from .. import paths
from ..datafiles import read_yaml
from ..errors import PlanlibError
from ..read.document import Document, as_document
from ..read.text import PlanText

USER_DICT = "policy_userdict.txt"
STOPWORDS = "stopwords.txt"
INSTRUMENTS = "instruments.yml"
CACHE_FILE = "jieba.cache"

#: A word holds a letter or a Han character (the characters themselves: Arrow's RE2 reads no \u escapes).
_WORD_CHARS = "[\u4e00-\u9fffA-Za-z]"
_WORD = re.compile(_WORD_CHARS)
_SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]?")

_tokenizer: jieba.Tokenizer | None = None
_pos_tokenizer = None  # jieba.posseg.POSTokenizer over _tokenizer: reading its tag table takes seconds
_tokenizer_lock = threading.Lock()


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a package data file."""
    text = (paths.PACKAGE_DATA / name).read_text(encoding="utf-8")
    return [s.strip() for s in text.splitlines() if s.strip() and not s.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def user_terms() -> tuple[tuple[str, int | None, str | None], ...]:
    """(term, frequency or None, tag or None) from the policy user dictionary."""
    terms = []
    for line in _data_lines(USER_DICT):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        terms.append((parts[0], freq, tag))
    return tuple(terms)


@lru_cache(maxsize=None)
def stopwords() -> frozenset[str]:
    """Words dropped by :func:`segment`."""
    return frozenset(_data_lines(STOPWORDS))


def tokenizer() -> jieba.Tokenizer:
    """The process's jieba tokenizer with the policy terms, built on first use."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer(Path(paths.CACHE_DIR))
    return _tokenizer


def reset_tokenizer() -> None:
    """Forget the tokenizer, e.g. after changing the user dictionary or the cache folder."""
    global _tokenizer, _pos_tokenizer
    with _tokenizer_lock:
        _tokenizer = _pos_tokenizer = None


def pos_tokenizer():
    """The process's part-of-speech tagger over :func:`tokenizer`, built once (it reads jieba's whole tag table).

    jieba's ``POSTokenizer`` with its HMM search on numpy arrays (:mod:`planlib.teach.posviterbi`): the same tags.
    """
    global _pos_tokenizer
    tok = tokenizer()
    if _pos_tokenizer is None or _pos_tokenizer.tokenizer is not tok:
        from .posviterbi import FastPOSTokenizer  # jieba's tagger, its HMM search on arrays (same tags)

        with _tokenizer_lock:
            if _pos_tokenizer is None or _pos_tokenizer.tokenizer is not tok:
                _pos_tokenizer = FastPOSTokenizer(tok)
    return _pos_tokenizer


def _build_tokenizer(cache_dir: Path) -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # jieba logs every load at DEBUG to stderr
    cache_dir.mkdir(parents=True, exist_ok=True)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir)
    tok.cache_file = CACHE_FILE
    tok.initialize()
    for term, freq, tag in user_terms():
        tok.add_word(term, freq, tag)  # freq None: just enough to keep the term whole
    return tok


def segment(text: str, drop_stopwords: bool = True) -> list[str]:
    """Words of ``text``: policy terms kept whole; punctuation, numbers and stop words dropped."""
    stop = stopwords() if drop_stopwords else frozenset()
    return [w for w in tokenizer().lcut(text) if _WORD.search(w) and w.strip() and w not in stop]


#: Administrative suffixes stripped from a place name so the bare name is excluded too (某某县 -> 某某).
PLACE_SUFFIXES = ("省", "县", "市", "区")


def names_with_bare_forms(names: Iterable[str]) -> set[str]:
    """Each name, and the name without its 省/县/市/区 suffix when two characters or more remain.

    >>> sorted(names_with_bare_forms(["甲乙县", "丙丁市", "戊市", ""]))
    ['丙丁', '丙丁市', '戊市', '甲乙', '甲乙县']
    """
    out: set[str] = set()
    for name in (n.strip() for n in names if n):
        if not name:
            continue
        out.add(name)
        if name.endswith(PLACE_SUFFIXES) and len(name) >= 3:
            out.add(name[:-1])
    return out


def place_names(raw_dir: str | Path | None = None, provinces: bool = True) -> set[str]:
    """Place names from ``sources.csv``: ``name_zh`` (and ``province`` unless told not), with bare forms.

    Place names trivially set a plan apart; pass this set as ``exclude`` to
    :func:`distinctive_terms`. Read from the data, so a new plan's place needs no code
    change; a missing sources.csv gives an empty set.
    """
    from ..extract.metadata import read_sources

    rows = read_sources(paths.resolve(raw_dir, paths.RAW_DIR)).values()
    fields = ("name_zh", "province") if provinces else ("name_zh",)
    return names_with_bare_forms(row.get(f) or "" for row in rows for f in fields)


#: A table's title line: 表3  某某调整目标, 附表1 … (the caption, not a sentence).
TABLE_CAPTION = re.compile(r"^[\s\u3000]*(?:表|附表)[\s\u3000]*\d")
#: A flattened table written one cell per tab-led line; this many such lines in a row (blank lines between
#: them do not break the run) are a table's cells, not paragraphs: a lone tab-led line is left alone.
MIN_CELL_RUN = 3
#: ... when at least half of them are this short (cells; a text that indents every paragraph with a tab is not a table).
SHORT_CELL_CHARS = 20


def cell_runs(lines: list[str]) -> set[int]:
    """Lines of runs of at least :data:`MIN_CELL_RUN` tab-led lines: a table written one cell per line.

    Tables the table readers do not take (a project list: 新建, 规划项目, 县教委 …) are still tables.

    >>> tab = chr(9)  # (a doctest would turn a written tab into spaces)
    >>> sorted(cell_runs(["正文。", tab + "项目", "", tab + "新建", tab + "县教委", "正文。", tab + "专栏3 标题"]))
    [2, 3, 4, 5]
    >>> long = tab + "全面加强党对教育工作的领导，落实立德树人根本任务，推进教育现代化。"
    >>> cell_runs([long, long, long])  # paragraphs indented with a tab
    set()
    """
    out: set[int] = set()
    run: list[int] = []
    for n, line in enumerate([*lines, "end"], 1):
        if line.startswith("\t"):
            if line.strip():
                run.append(n)
        elif run and line.strip():
            if len(run) >= MIN_CELL_RUN:  # (a run too short is no table: no need to measure its cells)
                short = sum(len(lines[k - 1].strip()) <= SHORT_CELL_CHARS for k in run)
                if 2 * short >= len(run):
                    out.update(range(run[0], run[-1] + 1))
            run = []
    return out


def table_lines(plan: PlanText | Document) -> set[int]:
    """Lines read as tables (indicator tables and school-by-school tables, titles included).

    Their cells are labels and numbers, not sentences: a row label such as 教育投入 is not a
    funding promise. Also table captions (表3 …) and runs of tab-led cell lines (:func:`cell_runs`),
    tables no reader takes. Read from a fresh Document so the caller's is not changed.
    """
    from ..extract.schools import extract_school_tables
    from ..extract.tables import extract_tables

    lines = as_document(plan).lines
    captions = {n for n, line in enumerate(lines, 1) if "表" in line and TABLE_CAPTION.match(line)}
    unread = captions | cell_runs(lines)  # what no table reader takes
    known = getattr(plan, "table_lines", None)  # a Document a parse has read (planlib.build.pipeline.parse_plan)
    if known is not None:
        return set(known) | unread
    doc = Document(as_document(plan).plan)
    schools = extract_school_tables(doc)
    tables = extract_tables(doc, doc.period, skip=schools.consumed_lines)
    grids = {n for grid in doc.tables for n in grid.lines}  # an attribute cell can follow the last value read
    return set(schools.consumed_lines) | set(tables.consumed_lines) | grids | unread


def title_lines(plan: PlanText | Document) -> set[int]:
    """Headings alone on their line (四、保障机制, （三）总体目标, 专栏5 …任务, 2.拓宽教育经费筹措渠道。).

    A title names a section; its section's sentences say what the title says, so coding it too
    counts the section twice (and 规划 in 一、规划环境 is no policy). The same holds for a run-in
    heading's title (:func:`run_in_title_ends`). Kept: a heading that states a number after its
    numbering (a target in a box: 2.医务室建设达标率为100%) — and, with it, a year (1.2035远景目标。).
    """
    from ..read.document import match_heading

    doc = as_document(plan)
    out = set()
    for h in doc.headings:
        if h.run_in:
            continue
        line = doc.lines[h.line - 1]
        c = match_heading(line.strip())
        if _DIGIT.search(c.rest if c else line):
            continue
        out.add(h.line)
    return out


def analysed_lines(plan: PlanText | Document) -> list[tuple[int, str]]:
    """(line number, text) of the lines text analysis reads: the plan's own text.

    Left out: the document's furniture (table of contents, breadcrumbs, document bars, page
    tools: :attr:`planlib.read.document.Document.furniture`, the readers' notion of chrome), its
    front matter (the transmittal notice and the plan's title: :attr:`~planlib.read.document.Document.front_matter`),
    section titles (:func:`title_lines`) and the lines of tables (:func:`table_lines`).
    """
    doc = as_document(plan)
    skip = set(doc.furniture) | set(doc.front_matter) | title_lines(doc) | table_lines(doc)
    return [(n, line) for n, line in enumerate(doc.lines, 1) if n not in skip]


_body_lines = analysed_lines


def run_in_title_ends(plan: PlanText | Document) -> dict[int, int]:
    """Line -> offset where the text of a run-in heading begins (its title, （一）优化投入机制。, ends before it)."""
    doc = as_document(plan)
    out = {}
    for h in doc.headings:
        if h.run_in:
            line = doc.lines[h.line - 1]
            at = line.find(h.text)
            if at > 0:
                out[h.line] = at
    return out



#: The segmenters :func:`term_frequencies` can use: jieba (the course's cuts) or rjieba (jieba-rs, the same
#: dictionary and policy terms, ≈15 times faster; the `terms` table of ``planlib build`` uses it).
SEGMENTERS = ("jieba", "rjieba")
_rjieba = None


def rjieba_tokenizer():
    """The process's rjieba (jieba-rs) segmenter with the policy terms added as :func:`tokenizer` adds them."""
    global _rjieba
    if _rjieba is None:
        with _tokenizer_lock:
            if _rjieba is None:
                import rjieba

                tok = rjieba.Jieba()
                for term, freq, tag in user_terms():
                    tok.add_word(term, freq, tag)
                _rjieba = tok
    return _rjieba


class _WordTest(dict):
    """token -> whether :func:`segment` keeps it (a letter or Han character, not blank), remembered per token."""

    def __missing__(self, token: str) -> bool:
        ok = self[token] = bool(_WORD.search(token) and token.strip())
        return ok


_is_word = _WordTest()


def _words(line: str, segmenter: str) -> list[str]:
    """The words of ``line`` as :func:`segment` keeps them (stop words included), cut by ``segmenter``."""
    if segmenter == "jieba":
        return segment(line, drop_stopwords=False)
    if len(_is_word) > 1_000_000:
        _is_word.clear()  # bounded memory on a very large corpus
    is_word = _is_word
    return [w for w in rjieba_tokenizer().cut(line, True) if is_word[w]]


def term_frequencies(plans: Iterable[PlanText], min_chars: int = 2, segmenter: str = "jieba") -> pd.DataFrame:
    """Word counts per plan (over :func:`analysed_lines`), with each term's first line.

    ``share`` is the count over all counted words of that plan; words shorter than
    ``min_chars`` characters are not counted (single characters carry little meaning).
    ``before_place`` counts the times the word stands right before a place suffix (镇, 街道 …:
    data/text_noise.yml), which marks it as a place's name for :func:`distinctive_terms`.
    ``segmenter``: ``"jieba"`` (the course's cuts) or ``"rjieba"`` (jieba-rs with the same dictionary
    and policy terms; it cuts a run of digits and hyphens such as 2022-07-13 as one token where jieba
    cuts it in five, and such tokens are not words, so the counts agree on the plans measured).
    """
    if segmenter not in SEGMENTERS:
        raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {segmenter!r}")
    frames = [plan_term_counts(plan, min_chars, segmenter) for plan in plans]
    columns = ["county", "source_file", "term", "count", "share", "first_line", "before_place"]
    if not frames:
        return pd.DataFrame(columns=columns)
    tf = pd.concat(frames, ignore_index=True)[columns]
    return tf.sort_values(["county", "count", "term"], ascending=[True, False, True], ignore_index=True)


def plan_term_counts(plan: PlanText | Document, min_chars: int = 2, segmenter: str = "jieba") -> pd.DataFrame:
    """One plan's rows of :func:`term_frequencies` (unsorted): what a worker can count on its own.

    The whole-corpus steps (:func:`distinctive_terms`) need only these counts, not the plan's text.
    """
    return count_terms(plan, min_chars, segmenter).frame()


def _small(values: Iterable[int]) -> np.ndarray:
    """Non-negative integers in the smallest unsigned type that holds them (a count is rarely past 65,535)."""
    a = np.asarray(values if isinstance(values, np.ndarray) else list(values), dtype=np.int64)
    if not a.size:
        return a.astype(np.uint8)
    if a.min() < 0:
        raise ValueError("term counts and line numbers are never negative")
    return a.astype(np.min_scalar_type(int(a.max())))


@dataclass(eq=False)
class TermCounts:
    """One plan's term counts, compact: what a corpus build keeps of each plan for the `terms` table.

    A build holds every plan's counts until the last plan is read; as a DataFrame a plan (county,
    source_file, term … per row) that came to ≈560 MB at 2,800 plans, and their concatenation in the
    ranking to gigabytes more. Here the
    terms are one string (joined by newlines, which no line holds) and the numbers small unsigned
    arrays, in the order each term first occurs: about a dozen bytes a term. :meth:`frame` gives
    :func:`plan_term_counts`' rows; :func:`distinctive_terms_of_counts` ranks many plans' counts.
    """

    county: str
    source_file: str
    terms: str                 # the terms, "\n"-joined
    count: np.ndarray          # times counted
    first_line: np.ndarray     # the line of the first occurrence
    before_place: np.ndarray   # times right before a place suffix (see term_frequencies)

    @classmethod
    def of(cls, county: str, source_file: str, terms: list[str], count: Iterable[int],
           first_line: Iterable[int], before_place: Iterable[int]) -> "TermCounts":
        joined = "\n".join(terms)
        if "" in terms or joined.count("\n") != max(len(terms) - 1, 0):
            raise ValueError("a term is empty or holds a line break")
        out = cls(county, source_file, joined, _small(count), _small(first_line), _small(before_place))
        if not len(out.count) == len(out.first_line) == len(out.before_place) == len(terms):
            raise ValueError("terms and their counts differ in length")
        return out

    def __len__(self) -> int:
        return len(self.count)

    def term_list(self) -> list[str]:
        return self.terms.split("\n") if len(self.count) else []

    def frame(self) -> pd.DataFrame:
        """The rows of :func:`plan_term_counts` (``share``: the count over all counted words)."""
        counts = self.count.tolist()
        total = sum(counts) or 1
        return pd.DataFrame({
            "county": self.county, "source_file": self.source_file,
            "term": self.term_list(), "count": counts,
            "share": [c / total for c in counts],
            "first_line": self.first_line.tolist(),
            "before_place": self.before_place.tolist(),
        })


def count_terms(plan: PlanText | Document, min_chars: int = 2, segmenter: str = "jieba") -> TermCounts:
    """One plan's term counts as :class:`TermCounts` (see :func:`term_frequencies` for what is counted)."""
    if segmenter not in SEGMENTERS:
        raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {segmenter!r}")
    terms, count, first_line, before_place = _tally(_body_lines(plan), min_chars, segmenter)
    return TermCounts.of(plan.slug, plan.source_file, terms, count, first_line, before_place)


def _tally_plain(lines: Iterable[tuple[int, str]], min_chars: int, segmenter: str):
    """(terms in order of first occurrence, counts, first lines, times before a place suffix) of numbered
    lines, word by word: the readable definition that :func:`_tally` computes on arrays (tests compare the two)."""
    suffixes = frozenset(_noise()["place_suffixes"])
    stop = stopwords()
    kept: list[str] = []  # every counted word, in text order
    kept_lines: list[int] = []
    placed: list[str] = []  # the counted words that stand right before a place suffix
    for n, line in lines:
        words = _words(line, segmenter)
        pairs = [(w, a) for w, a in zip(words, words[1:] + [""]) if len(w) >= min_chars and w not in stop]
        kept += [w for w, _ in pairs]
        kept_lines += [n] * len(pairs)
        placed += [w for w, a in pairs if a in suffixes]
    counts = Counter(kept)
    before_place = Counter(placed)
    first_line = {w: n for w, n in zip(reversed(kept), reversed(kept_lines))}  # the first line wins
    terms = list(counts)
    return terms, list(counts.values()), [first_line[t] for t in terms], [before_place[t] for t in terms]


@lru_cache(maxsize=None)
def _arrow_word_sets():
    """The stop words and the place suffixes as Arrow arrays, for :func:`_tally`'s look-ups."""
    import pyarrow as pa

    return pa.array(sorted(stopwords()), pa.string()), pa.array(list(_noise()["place_suffixes"]), pa.string())


def _cut_lines(lines: list[tuple[int, str]], segmenter: str, joined: bool = True) -> tuple[list[str], list[int] | None]:
    """The segmenter's tokens of the lines in order, and how many each line gave (None: the lines were cut
    as one text joined by newlines, and a newline token stands between two lines' tokens).

    rjieba cuts the joined lines in one call (a call a line costs a fifth more). Both segmenters cut text
    into blocks at every character that is not a Han character, a letter, a digit or one of +#&._%-, and
    take each blank character alone, so a newline comes out as a token of its own and a line's tokens are
    its own cut (tests compare the two ways on the plans and on random text). Should a newline not come
    out alone, :func:`_tally` asks again with ``joined=False``: the lines cut one by one. jieba (slow anyway:
    the course's cuts) cuts line by line.
    """
    if segmenter == "rjieba":
        cut = rjieba_tokenizer().cut
        text = "\n".join(line for _, line in lines)
        if joined and text.count("\n") == len(lines) - 1:
            return cut(text, True), None
        cut_line = lambda line: cut(line, True)  # noqa: E731
    else:
        cut_line = tokenizer().lcut
    tokens, sizes = [], []
    for _, line in lines:
        got = cut_line(line)
        tokens += got
        sizes.append(len(got))
    return tokens, sizes


def _tally(lines: Iterable[tuple[int, str]], min_chars: int, segmenter: str, joined: bool = True):
    """:func:`_tally_plain` with no Python work per token: the tokens go into one Arrow array, numbered by
    distinct token in order of first occurrence; whether a token is a word, long enough, a stop word or a place
    suffix is asked once per distinct token, and counts, first lines and places are numpy on the codes.

    A counted token is counted at each of its occurrences, so the counted terms' order of first occurrence is
    the order of their codes, and a term's first occurrence is where its code exceeds all the codes before it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    lines = list(lines)
    tokens, sizes = _cut_lines(lines, segmenter, joined)
    if not tokens:
        return [], [], [], []
    encoded = pc.dictionary_encode(pa.array(tokens, pa.string()))
    distinct, codes = encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False)
    stop, suffixes = _arrow_word_sets()
    flags = lambda a: np.asarray(a.to_numpy(zero_copy_only=False), dtype=bool)  # noqa: E731
    is_word = pc.match_substring_regex(distinct, _WORD_CHARS)  # a letter or Han character: not blank either
    counted = flags(pc.and_(pc.and_(is_word, pc.greater_equal(pc.utf8_length(distinct), min_chars)),
                            pc.invert(pc.is_in(distinct, value_set=stop))))
    is_word, is_suffix = flags(is_word), flags(pc.is_in(distinct, value_set=suffixes))
    if sizes is None:  # the index of each token's line: the newlines before it
        line_at = np.cumsum(flags(pc.equal(distinct, "\n"))[codes])
        if line_at[-1] != len(lines) - 1:  # a newline not cut alone ("\r\n" is one token): a cut a line
            return _tally(lines, min_chars, segmenter, joined=False)
    else:
        line_at = np.repeat(np.arange(len(sizes)), sizes)
    words = is_word[codes]
    codes, line_at = codes[words], line_at[words]  # the words, in text order
    before = np.zeros(len(codes), dtype=bool)  # the next word, on the same line, is a place suffix
    before[:-1] = is_suffix[codes[1:]] & (line_at[1:] == line_at[:-1])
    keep = counted[codes]
    codes, line_at, before = codes[keep], line_at[keep], before[keep]
    if not len(codes):
        return [], [], [], []
    first = np.ones(len(codes), dtype=bool)
    first[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    found = codes[first]  # rising: the counted terms by first occurrence
    numbers = np.fromiter((n for n, _ in lines), dtype=np.int64, count=len(lines))
    count = np.bincount(codes, minlength=len(distinct))[found]
    placed = np.bincount(codes[before], minlength=len(distinct))[found]
    return distinct.take(pa.array(found)).to_pylist(), count, numbers[line_at[first]], placed


NOISE = "text_noise.yml"
_DIGIT = re.compile(r"[0-9０-９]")
#: A numeral or ordinal character: a term jieba tags as a numeral must hold one (少儿, tagged m, holds none).
_NUMERAL = re.compile(r"[0-9０-９一二三四五六七八九十百千万亿两几半第个]")


@lru_cache(maxsize=None)
def _noise() -> dict:
    data = read_yaml(paths.PACKAGE_DATA / NOISE)
    return {"place": frozenset(data["place_flags"]), "not_places": frozenset(data["not_places"]),
            "number": frozenset(data["number_flags"]), "unit_flags": frozenset(data["unit_flags"]),
            "units": frozenset(str(u) for u in data["units"]), "place_suffixes": tuple(data["place_suffixes"]),
            "place_suffix_share": float(data["place_suffix_share"]),
            "name": frozenset(data["name_flags"]), "abbreviation": str(data["abbreviation_flag"]),
            "admin": frozenset(data["admin_words"])}


@lru_cache(maxsize=4096)
def _noise_kind(term: str) -> str | None:
    w = _noise()
    if term in w["units"]:
        return "unit"
    if term in w["admin"]:
        return "place"
    if _DIGIT.search(term):
        return "number"
    pieces = pos_tokenizer().lcut(term)  # the term alone: no context to mislead the tag
    if not pieces:
        return None
    first = pieces[0].flag
    if len(pieces) == 1 and first in w["place"] and term not in w["not_places"]:
        return "place"
    if len(pieces) == 1 and first in w["name"]:
        return "name"
    if len(pieces) > 1 and all(p.flag == w["abbreviation"] and len(p.word) == 1 for p in pieces):
        return "place"  # 川陕: a compound of one-character place abbreviations
    if first in w["number"] and _NUMERAL.search(pieces[0].word):
        return "number"
    if all(p.flag in w["unit_flags"] or p.word in w["units"] for p in pieces):
        return "unit"
    return None


#: Bump when what :func:`_noise_kind` returns changes in a way the hashed files do not show.
NOISE_MEMO_VERSION = 1


def noise_fingerprint() -> str:
    """Hash of what a term's noise kind depends on: jieba's version and dictionary, planlib's policy
    dictionary and noise list (data/text_noise.yml), and the code that tags (this module, posviterbi)."""
    h = hashlib.sha256(f"noise-kinds {NOISE_MEMO_VERSION}\0jieba {jieba.__version__}\0".encode())
    dictionary = jieba.DEFAULT_DICT or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    for f in (Path(dictionary), paths.PACKAGE_DATA / USER_DICT, paths.PACKAGE_DATA / NOISE,
              Path(__file__), Path(__file__).with_name("posviterbi.py")):
        h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


class NoiseMemo:
    """Noise kinds (:func:`_noise_kind`) remembered in a JSON file across builds, e.g. in the build cache.

    Tagging needs jieba's dictionary and tag table (≈2 s to load) and a search per unknown term; a
    rebuild asks about nearly the same candidate terms, so it finds them here and loads nothing.
    The file holds :func:`noise_fingerprint`: written by another jieba, dictionary or planlib, it is
    ignored (and rewritten), as is a file that cannot be read. Written whole through a temporary
    file and a rename, so a reader never sees half of it.
    """

    KINDS = frozenset({None, "place", "name", "number", "unit"})

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.key = noise_fingerprint()
        self.kinds: dict[str, str | None] = {}
        self.changed = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            kinds = data["kinds"] if data.get("key") == self.key else {}
            if isinstance(kinds, dict) and all(isinstance(t, str) and k in self.KINDS for t, k in kinds.items()):
                self.kinds = kinds
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            pass  # no memo yet, or a damaged one: tag afresh and write it again

    def kind(self, term: str) -> str | None:
        """:func:`_noise_kind` of ``term``, remembered."""
        if term not in self.kinds:
            self.kinds[term] = _noise_kind(term)
            self.changed = True
        return self.kinds[term]

    def save(self) -> None:
        """Write the memo if it learnt anything (a folder that cannot be written to: a warning, no error)."""
        if not self.changed:
            return
        text = json.dumps({"key": self.key, "kinds": self.kinds}, ensure_ascii=False, sort_keys=True)
        tmp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(8)}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "x", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            warnings.warn(f"{self.path}: could not keep the noise kinds of terms ({exc}); they are tagged again next time")
            return
        self.changed = False


def noise_terms(terms: Iterable[str]) -> dict[str, str]:
    """Term -> 'place', 'name', 'number' or 'unit' for the terms that are not content words.

    jieba's part-of-speech tagger is run on each term alone (only on the candidates, not the
    text); flags, units and the words for a level of local government (街道) come from data/text_noise.yml.
    A place is a term tagged ``ns``, a compound of one-character abbreviations (川陕) or an
    administrative word; a name is tagged as a person's (jieba tags unknown regions such as 成渝 so).

    >>> noise_terms(["平方米", "三年", "南溪", "课后服务", "川陕", "街道"])
    {'平方米': 'unit', '三年': 'number', '南溪': 'place', '川陕': 'place', '街道': 'place'}
    """
    out = {}
    for term in terms:
        kind = _noise_kind(str(term))
        if kind:
            out[term] = kind
    return out


def distinctive_terms(tf: pd.DataFrame, top: int = 20, method: str = "log_odds",
                      min_count: int = 1, prior_strength: float = 1.0,
                      exclude: Iterable[str] = (), drop_noise: bool = True) -> pd.DataFrame:
    """The terms that set each plan apart from the others, ``top`` per county.

    ``log_odds``: weighted log-odds ratio of a plan against all other plans with an
    informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"); the
    prior for a term is its corpus count times ``prior_strength``; score is the z-score.
    ``tfidf``: share in the plan times log(plans / plans using the term).
    ``exclude`` drops terms before ranking (place names, which trivially distinguish plans).
    ``drop_noise``: leave out of the ranking the terms :func:`noise_terms` names (units, numbers,
    places by part of speech) and the names of places found before 镇/乡/街道… in the
    plan (``before_place`` of :func:`term_frequencies`); only ranked candidates are tagged.
    """
    if method not in ("log_odds", "tfidf"):
        raise ValueError(f"method must be 'log_odds' or 'tfidf', not {method!r}")
    tf = tf[~tf["term"].isin(set(exclude))].reset_index(drop=True)
    county_code, counties = pd.factorize(tf["county"], use_na_sentinel=False)
    term_code, terms = pd.factorize(tf["term"], use_na_sentinel=False)
    count = tf["count"].to_numpy()
    if method == "log_odds":  # a county × term matrix would grow with plans × words
        score = _log_odds_scores(county_code, term_code, count, _string_ranks(list(terms)), prior_strength)
    else:
        counts = tf.pivot_table(index="term", columns="county", values="count", aggfunc="sum", fill_value=0)
        score = _tfidf(counts).stack().reindex(pd.MultiIndex.from_arrays([tf["term"], tf["county"]])).to_numpy()
    before = tf["before_place"].to_numpy() if drop_noise and "before_place" in tf else None
    rows, rank = _ranked_rows(county_code, term_code, count, score, list(counties), list(terms), top=top,
                              min_count=min_count, before_place=before, drop_noise=drop_noise)
    out = pd.DataFrame({"county": tf["county"].to_numpy()[rows], "term": tf["term"].to_numpy()[rows],
                        "score": score[rows], "count": count[rows], "rank": rank})
    for column in ("first_line", "source_file"):
        if column in tf:
            out[column] = tf[column].to_numpy()[rows]
    return out


#: Plans whose terms :func:`distinctive_terms_of_counts` numbers at once.
_PLANS_AT_ONCE = 256


def distinctive_terms_of_counts(counts: Iterable[TermCounts], top: int = 20, prior_strength: float = 1.0,
                                exclude: Iterable[str] = (), kind_of=None) -> pd.DataFrame:
    """:func:`distinctive_terms` (log-odds, noise dropped) of many plans' :class:`TermCounts`, held compact.

    The terms are numbered once for the corpus (pyarrow splits and encodes a batch of plans at a time:
    no Python string per plan and term is ever made) and ranked on arrays; the rows are the same as
    ``distinctive_terms(term_frequencies(plans), …)`` gives, with ``first_line`` and ``source_file``.
    ``kind_of``: term -> noise kind (default :func:`_noise_kind`), e.g. remembered across builds.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = ["county", "term", "score", "count", "rank", "first_line", "source_file"]
    plans = [tc for tc in counts if len(tc)]
    if not plans:
        return pd.DataFrame(columns=columns)
    code_of: dict[str, int] = {}
    source_files: dict[int, str] = {}
    for tc in plans:
        k = code_of.setdefault(tc.county, len(code_of))
        source_files[k] = tc.source_file  # one slug, one plan: the last one, as a map of the rows would give
    vocab: dict[str, int] = {}
    excluded = set(exclude)
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("county", "term", "count", "before_place", "first_line")}
    for a in range(0, len(plans), _PLANS_AT_ONCE):  # a batch's words in arrow at a time, not the corpus's
        batch = plans[a:a + _PLANS_AT_ONCE]
        words = pc.split_pattern(pa.array([tc.terms for tc in batch]), "\n").flatten()
        lengths = [len(tc) for tc in batch]
        if len(words) != sum(lengths):
            raise ValueError("term counts do not match their terms")
        encoded = pc.dictionary_encode(words)
        distinct = encoded.dictionary.to_pylist()
        codes = np.array([vocab.setdefault(t, len(vocab)) for t in distinct], dtype=np.int32)
        out = np.array([t in excluded for t in distinct], dtype=bool)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        keep = ~out[indices]
        parts["county"].append(np.repeat(np.array([code_of[tc.county] for tc in batch], dtype=np.int32), lengths)[keep])
        parts["term"].append(codes[indices][keep])
        for f in ("count", "before_place", "first_line"):
            parts[f].append(np.concatenate([getattr(tc, f) for tc in batch])[keep])
    county, term, count, before, first_line = (np.concatenate(parts.pop(f)) for f in list(parts))
    terms = list(vocab)
    if not len(count):
        return pd.DataFrame(columns=columns)
    score = _log_odds_scores(county, term, count, _string_ranks(terms), prior_strength,
                             pairs_unique=len(code_of) == len(plans))  # a plan counts each term once
    names = list(code_of)
    rows, rank = _ranked_rows(county, term, count, score, names, terms, top=top, min_count=1,
                              before_place=before, drop_noise=True, kind_of=kind_of)
    picked = county[rows].tolist()
    return pd.DataFrame({
        "county": pd.array([names[k] for k in picked], dtype="str"),
        "term": pd.array([terms[t] for t in term[rows].tolist()], dtype="str"),
        "score": score[rows], "count": count[rows].astype(np.int64), "rank": rank,
        "first_line": first_line[rows].astype(np.int64),
        "source_file": pd.array([source_files[k] for k in picked], dtype="str"),
    }, columns=columns)


def _string_ranks(strings: list[str]) -> np.ndarray:
    """Each string's place in sorted (code point) order, as pandas sorts strings: for ties in a ranking."""
    ranks = np.empty(len(strings), dtype=np.int64)
    ranks[sorted(range(len(strings)), key=strings.__getitem__)] = np.arange(len(strings))
    return ranks


#: A county's ranking starts from about this many rows (times ``top``, plus :data:`_FIRST_EXTRA`): the rows of its
#: greatest scores. A county whose noise filter runs through them all is ranked again from all its rows.
_FIRST_PER_TOP = 4
_FIRST_EXTRA = 16


def _ranked_rows(county: np.ndarray, term: np.ndarray, count: np.ndarray, score: np.ndarray,
                 counties: list[str], terms: list[str], top: int, min_count: int,
                 before_place: np.ndarray | None, drop_noise: bool, kind_of=None) -> tuple[np.ndarray, np.ndarray]:
    """The rows of each county's ``top`` terms, in order (county, score and count descending, term), and their ranks.

    Rows are (county code, term code) with a count and a score; ties keep the rows' order. Only
    the head of each county's ranking is sorted (:func:`_score_head`: millions of rows, of which
    a few dozen per county are ever looked at). With ``drop_noise`` the candidates are tagged in
    rank order until ``top`` are kept in a county (:func:`_without_noise`), so no more terms are
    tagged than the ranking needs; a county that runs out of head is ranked again from all its rows.
    """
    ok = count >= min_count
    term_ranks, county_ranks = _string_ranks(terms), _string_ranks(counties)

    def ranked(rows: np.ndarray) -> np.ndarray:
        kept = count[rows].astype(np.int64) if count.dtype.kind in "ub" else count[rows]
        term_rank = term_ranks[term[rows]]
        if kept.dtype.kind == "i" and (not len(kept) or int(np.abs(kept).max()) < 2**62 // max(len(terms), 1)):
            keys = (-kept * len(terms) + term_rank, -score[rows])  # count descending, then term: one key
        else:
            keys = (term_rank, -kept, -score[rows])
        return rows[np.lexsort((*keys, county_ranks[county[rows]]))]

    head = _score_head(county, score, len(counties), top * max(_FIRST_PER_TOP, 1) + _FIRST_EXTRA)
    order = ranked(np.flatnonzero(head & ok))
    if drop_noise:
        order = _without_noise(order, county, term, count, before_place, terms, top, kind_of or _noise_kind)
        again = np.zeros(len(counties), dtype=bool)  # counties whose head left rows out ...
        again[county[~head & ok]] = True
        again &= np.bincount(county[order], minlength=len(counties)) < top  # ... and kept too few
        if again.any():
            more = _without_noise(ranked(np.flatnonzero(again[county] & ok)), county, term, count, before_place,
                                     terms, top, kind_of or _noise_kind)
            order = np.concatenate([order[~again[county[order]]], more])
            order = order[np.argsort(county_ranks[county[order]], kind="stable")]
    c = county[order]
    first = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)])) + 1
    keep = rank <= top
    return order[keep], rank[keep].astype(np.int64)


def _score_head(county: np.ndarray, score: np.ndarray, n_counties: int, m: int) -> np.ndarray:
    """Which rows are in the head of their county's ranking: at least its ``m`` greatest scores (all its rows
    when it has fewer), and every row scored as high as a row in it, so the head is a prefix of the ranking.

    Scores fall in buckets at the corpus's quantiles (of a sample); a county's head is its highest buckets
    that hold ``m`` rows. Whole-table: a histogram of (county, bucket), no sort of millions of rows.
    """
    if not len(score) or len(score) <= m or np.isnan(score).any():
        return np.ones(len(score), dtype=bool)
    buckets = int(np.clip(2**22 // max(n_counties, 1), 16, 1024))
    sample = score[::max(1, len(score) // (64 * buckets))]  # any rising edges keep the head a prefix
    edges = np.quantile(sample, np.linspace(0, 1, buckets + 1)[1:-1])
    bucket = np.searchsorted(edges, score, side="right").astype(np.int32)  # rises with the score
    hist = np.bincount(np.asarray(county, dtype=np.int32) * np.int32(buckets) + bucket,
                       minlength=n_counties * buckets).reshape(n_counties, buckets)
    enough = np.cumsum(hist[:, ::-1], axis=1) >= m
    lowest = np.where(enough.any(axis=1), buckets - 1 - enough.argmax(axis=1), 0)
    return bucket >= lowest[county]


def _without_noise(order: np.ndarray, county: np.ndarray, term: np.ndarray, count: np.ndarray,
                   before_place: np.ndarray | None, terms: list[str], top: int, kind_of) -> np.ndarray:
    """The ranked rows less noise, tagging candidates in rank order until ``top`` per county are kept.

    A term standing before a place suffix in at least ``place_suffix_share`` of its occurrences is
    a place's name without tagging; the loop runs over a county's first candidates only.
    """
    if before_place is not None:
        n, before = count[order], before_place[order]
        with np.errstate(divide="ignore", invalid="ignore"):
            placed = (n != 0) & (before / n >= _noise()["place_suffix_share"])
        order = order[~placed]
    c = county[order]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1], True]) if len(c) else np.zeros(1, dtype=np.int64)
    kinds: dict[int, str | None] = {}
    keep = []
    for a, b in zip(starts[:-1].tolist(), starts[1:].tolist()):
        kept = 0
        for i in range(a, b):
            if kept >= top:
                break
            t = int(term[order[i]])
            if t not in kinds:
                kinds[t] = kind_of(str(terms[t]))
            if not kinds[t]:
                keep.append(i)
                kept += 1
    return order[np.asarray(keep, dtype=np.int64)]


def _log_odds(counts: pd.DataFrame, prior_strength: float) -> pd.DataFrame:
    """Log-odds with an informative Dirichlet prior on a term × county matrix: the readable definition that
    :func:`_log_odds_scores` computes on arrays, bit for bit (tests compare the two)."""
    corpus = counts.sum(axis=1)
    alpha = corpus * prior_strength
    alpha0 = alpha.sum()
    out = {}
    for county in counts.columns:
        y_i = counts[county]
        y_j = corpus - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        log_i = (y_i + alpha).map(math.log) - (n_i + alpha0 - y_i - alpha).map(math.log)
        log_j = (y_j + alpha).map(math.log) - (n_j + alpha0 - y_j - alpha).map(math.log)
        variance = 1 / (y_i + alpha) + 1 / (y_j + alpha)
        out[county] = (log_i - log_j) / variance.map(math.sqrt)
    return pd.DataFrame(out)


def _log(x: np.ndarray) -> np.ndarray:
    """math.log of each element, as the matrix form takes it, once per distinct value (counts repeat a lot)."""
    where, distinct = pd.factorize(np.asarray(x, dtype=float), use_na_sentinel=False)
    return np.array([math.log(v) for v in distinct.tolist()], dtype=float)[where]


def _sums(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum of ``values`` per code 0..n-1 (integers stay integers, exactly)."""
    sums = np.bincount(codes, weights=values, minlength=n)
    return sums.astype(np.int64) if np.issubdtype(values.dtype, np.integer) else sums


#: Rows scored at once by :func:`_log_odds_scores`.
_CHUNK = 1 << 18


def _log_odds_scores(county: np.ndarray, term: np.ndarray, count: np.ndarray, term_ranks: np.ndarray,
                     prior_strength: float, pairs_unique: bool = False) -> np.ndarray:
    """:func:`_log_odds` for each row's (county, term) pair, on code arrays: one score per row.

    The same arithmetic, element by element and in the same order, as the matrix form; the pairs
    a county does not use (count 0) are never scored, as the ranking drops them anyway. A pair on
    several rows is scored on their sum. ``term_ranks``: each term code's place in sorted order
    (the matrix sums its prior in that order). ``pairs_unique``: the caller knows no pair is on two rows.
    """
    count = np.asarray(count)
    if not len(count):
        return np.zeros(0, dtype=float)
    n_terms = len(term_ranks)
    if not pairs_unique:
        pair, keys = pd.factorize(np.asarray(county, dtype=np.int64) * n_terms + term)
        pairs_unique = len(keys) == len(pair)
    if pairs_unique:  # each pair on one row (a corpus of plans): no sums needed
        y_i, pair_county, pair_term = count, county, term
    else:
        y_i = _sums(pair, count, len(keys))
        pair_county, pair_term = keys // n_terms, keys % n_terms
    corpus = _sums(term, count, n_terms)  # the matrix's row sums
    alpha_all = corpus * prior_strength
    by_name = np.argsort(term_ranks)
    used = np.bincount(term, minlength=n_terms) > 0
    alpha0 = pd.Series(alpha_all[by_name[used[by_name]]]).sum()  # summed in the matrix's (sorted) order
    own = _sums(county, count, int(county.max()) + 1)
    total = int(own.sum())
    score = np.empty(len(y_i), dtype=float)
    for a in range(0, len(y_i), _CHUNK):  # by blocks of rows: the temporaries stay small at millions of rows
        b = a + _CHUNK
        t, y = pair_term[a:b], y_i[a:b]
        c = corpus[t]
        alpha = alpha_all[t]
        n_i = own[pair_county[a:b]]
        y_j = c - y
        n_j = total - n_i
        log_i = _log(y + alpha) - _log(n_i + alpha0 - y - alpha)
        log_j = _log(y_j + alpha) - _log(n_j + alpha0 - y_j - alpha)
        variance = 1 / (y + alpha) + 1 / (y_j + alpha)
        score[a:b] = (log_i - log_j) / np.sqrt(variance)  # IEEE square roots are exact-rounded, as math.sqrt
    return score if pairs_unique else score[pair]


def _tfidf(counts: pd.DataFrame) -> pd.DataFrame:
    shares = counts / counts.sum(axis=0)
    used_by = (counts > 0).sum(axis=1)
    idf = (len(counts.columns) / used_by).map(math.log)
    return shares.mul(idf, axis=0)


def kwic(plan: PlanText, term: str, width: int = 20) -> pd.DataFrame:
    """Every occurrence of ``term`` (as written, within one line) with ``width`` characters each side."""
    rows = []
    for n, line in enumerate(plan.lines, 1):
        start = line.find(term)
        while start >= 0 and term:
            end = start + len(term)
            rows.append({"county": plan.slug, "line": n, "left": line[max(0, start - width):start],
                         "keyword": term, "right": line[end:end + width],
                         "source_file": plan.source_file, "char_start": start})
            start = line.find(term, end)
    return pd.DataFrame(rows, columns=["county", "line", "left", "keyword", "right", "source_file", "char_start"])


def sentences(plan: PlanText, include_toc: bool = False) -> pd.DataFrame:
    """Sentences split on 。！？； and line ends; ``sentence_no`` counts from 1 within a line.

    ``char_start``/``char_end`` are 0-based offsets in the line (end exclusive); the
    sentence keeps its closing mark. Read from :func:`analysed_lines` unless ``include_toc``
    (then every line). The title of a run-in heading (（二）优化教育投入保障机制。 before the
    section's text on the same line) is a title as when it stands alone: not a sentence, as in
    :attr:`planlib.read.document.Document.paragraphs`; it keeps its ``sentence_no``, so the
    numbers of a line's sentences do not depend on this rule.
    """
    doc = as_document(plan)
    lines = enumerate(doc.lines, 1) if include_toc else _body_lines(doc)
    titles = {} if include_toc else run_in_title_ends(doc)
    rows = []
    for n, line in lines:
        number = 0
        for m in _SENTENCE.finditer(line):
            text = m.group()
            if not text.strip():
                continue
            start = m.start() + len(text) - len(text.lstrip())
            end = m.end() - (len(text) - len(text.rstrip()))
            number += 1
            if end <= titles.get(n, -1):
                continue
            rows.append({"county": doc.slug, "source_file": doc.source_file, "line": n,
                         "sentence_no": number, "char_start": start, "char_end": end,
                         "sentence": line[start:end]})
    return pd.DataFrame(rows, columns=["county", "source_file", "line", "sentence_no", "char_start",
                                       "char_end", "sentence"])


@lru_cache(maxsize=None)
def _instrument_dictionary(path: str | None = None) -> tuple[dict[str, str], tuple[tuple[str, str, str], ...]]:
    source = Path(path) if path else paths.PACKAGE_DATA / INSTRUMENTS
    data = read_yaml(source)
    categories = dict(data["categories"])
    entries = []
    for item in data["instruments"]:
        if item["category"] not in categories:
            raise PlanlibError(f"{source}: unknown instrument category {item['category']!r}")
        entries += [(item["category"], item["subcategory"], str(k)) for k in item["keywords"]]
    return categories, tuple(entries)


def instrument_categories(dictionary: str | Path | None = None) -> dict[str, str]:
    """Category key -> Chinese label, from the instrument dictionary."""
    return dict(_instrument_dictionary(str(dictionary) if dictionary else None)[0])


CODED_COLUMNS = ["county", "source_file", "line", "sentence_no", "category", "subcategory",
                 "matched_keyword", "char_start", "sentence", "coded_by"]


def code_instruments(plan: PlanText, dictionary: str | Path | None = None) -> pd.DataFrame:
    """Policy-instrument coding (supply / environment / demand), one row per keyword a sentence holds.

    The rows say why a sentence was coded (each keyword, for a researcher's fixes); count
    sentences with :func:`instrument_shares`, not rows. Furniture and table lines are not read.

    A keyword found only inside a longer matched keyword (依法 within 依法治教) is not
    repeated; ``char_start`` is the keyword's first offset in the line.
    """
    _, entries = _instrument_dictionary(str(dictionary) if dictionary else None)
    rows = []
    for s in sentences(plan).itertuples(index=False):
        spans = []
        for category, subcategory, keyword in entries:
            at = s.sentence.find(keyword)
            if at >= 0:
                spans.append((at, at + len(keyword), category, subcategory, keyword))
        for at, end, category, subcategory, keyword in spans:
            if any(a <= at and end <= e and (e - a) > (end - at) for a, e, *_ in spans):
                continue
            rows.append({"county": s.county, "source_file": s.source_file, "line": s.line,
                         "sentence_no": s.sentence_no, "category": category, "subcategory": subcategory,
                         "matched_keyword": keyword, "char_start": s.char_start + at,
                         "sentence": s.sentence, "coded_by": "dictionary"})
    coded = pd.DataFrame(rows, columns=CODED_COLUMNS)
    return coded.sort_values(["line", "sentence_no", "char_start"], ignore_index=True)


def instrument_shares(coded: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Per county and instrument (``by``: category or subcategory), the sentences coded so and their share.

    A sentence counts once per instrument however many of its keywords matched (培训 and 骨干教师
    in one sentence are one supply sentence); a sentence holding two instruments counts for each.
    ``share`` is over the county's counted (sentence, instrument) pairs, so shares add up to 1.
    """
    columns = ["county", by, "sentences", "share"]
    if coded.empty:
        return pd.DataFrame(columns=columns)
    pairs = coded.drop_duplicates(["county", "line", "sentence_no", by])
    n = pairs.groupby(["county", by]).size().rename("sentences").reset_index()
    n["share"] = n["sentences"] / n.groupby("county")["sentences"].transform("sum")
    return n.sort_values(["county", by], ignore_index=True)[columns]


def apply_instrument_corrections(coded: pd.DataFrame, corrections: pd.DataFrame | str | Path,
                                 sentences_df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Apply a researcher's fixes, keyed by (county, line, sentence_no), to an instrument coding.

    Columns: county, line, sentence_no, category (a category key or ``drop``), and
    optionally subcategory, matched_keyword and note. With a matched_keyword the fix
    touches that row only; without one it recodes the whole sentence as one row coded by
    the researcher. A fix for a sentence the dictionary missed needs ``sentences_df``
    (from :func:`sentences`) to supply the text; a fix that matches nothing raises, so a
    stale corrections file is noticed.
    """
    fixes = pd.read_csv(corrections, dtype=str, keep_default_na=False) if isinstance(corrections, (str, Path)) \
        else corrections.astype(object).where(corrections.notna(), "").astype(str)
    missing = {"county", "line", "sentence_no", "category"} - set(fixes.columns)
    if missing:
        raise PlanlibError(f"instrument corrections lack column(s): {', '.join(sorted(missing))}")
    allowed = set(instrument_categories()) | {"drop"}
    out = coded.copy()
    if "note" not in out:
        out["note"] = ""
    for fix in fixes.to_dict("records"):
        category = fix["category"].strip()
        if category not in allowed:
            raise PlanlibError(f"correction {fix}: category must be one of {sorted(allowed)}")
        key = (out["county"] == fix["county"]) & (out["line"] == int(fix["line"])) & \
              (out["sentence_no"] == int(fix["sentence_no"]))
        keyword = fix.get("matched_keyword", "").strip()
        target = key & (out["matched_keyword"] == keyword) if keyword else key
        subcategory, note = fix.get("subcategory", "").strip(), fix.get("note", "")
        if not target.any():
            if keyword or category == "drop" or sentences_df is None:
                raise PlanlibError(f"correction matches no coded sentence: {fix}")
            out = pd.concat([out, _researcher_row(sentences_df, fix, category, subcategory, note)],
                            ignore_index=True)
        elif category == "drop":
            out = out[~target]
        elif keyword:
            if subcategory or (out.loc[target, "category"] != category).any():
                out.loc[target, "subcategory"] = subcategory
            out.loc[target, ["category", "coded_by", "note"]] = [category, "researcher", note]
        else:
            first = out[target].iloc[[0]].assign(category=category, subcategory=subcategory,
                                                 matched_keyword="", coded_by="researcher", note=note)
            out = pd.concat([out[~target], first], ignore_index=True)
    return out.sort_values(["county", "line", "sentence_no", "char_start"], ignore_index=True)


def _researcher_row(sentences_df: pd.DataFrame, fix: dict, category: str, subcategory: str,
                    note: str) -> pd.DataFrame:
    s = sentences_df[(sentences_df["county"] == fix["county"]) & (sentences_df["line"] == int(fix["line"]))
                     & (sentences_df["sentence_no"] == int(fix["sentence_no"]))]
    if s.empty:
        raise PlanlibError(f"correction names a sentence that does not exist: {fix}")
    s = s.iloc[0]
    return pd.DataFrame([{"county": s["county"], "source_file": s["source_file"], "line": s["line"],
                          "sentence_no": s["sentence_no"], "category": category, "subcategory": subcategory,
                          "matched_keyword": "", "char_start": s["char_start"], "sentence": s["sentence"],
                          "coded_by": "researcher", "note": note}])
