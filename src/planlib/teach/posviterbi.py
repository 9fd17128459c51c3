"""jieba's part-of-speech HMM (``jieba.posseg.viterbi``) on numpy arrays: the same tags, ≈10× faster.

jieba tags a run of characters it does not know (a place's name, 泰忠) with a Viterbi search in
pure Python over its 256 (position, tag) states: ≈5 ms for three rare characters, which the
`terms` table pays for every candidate term of thousands of plans. :func:`viterbi` takes the same
steps on arrays — the same additions in the same order, ties broken as Python's ``max`` of
``(probability, state)`` breaks them (the greater state) — so it returns jieba's very result;
tests/unit/test_posviterbi.py compares the two. :class:`FastPOSTokenizer` is jieba's tagger
using it.
"""
from __future__ import annotations

import jieba.posseg as posseg
import numpy as np

MIN_FLOAT = -3.14e100  # as jieba.posseg.viterbi
MIN_INF = float("-inf")


class _Model:
    """jieba's HMM tables as arrays over its states, sorted (the order ``max`` breaks ties by)."""

    def __init__(self, states_of=None, start_p=None, trans_p=None, emit_p=None):
        self.states_of = posseg.char_state_tab_P if states_of is None else states_of
        start_p = posseg.start_P if start_p is None else start_p
        trans_p = posseg.trans_P if trans_p is None else trans_p
        self.emit_p = posseg.emit_P if emit_p is None else emit_p
        self.states = sorted(trans_p)
        self.index = {s: i for i, s in enumerate(self.states)}
        n = len(self.states)
        self.start = np.array([start_p[s] for s in self.states], dtype=float)
        self.trans = np.full((n, n), MIN_INF)
        self.follows = np.zeros((n, n), dtype=bool)  # the states jieba lists as possible next
        for s, nexts in trans_p.items():
            for t, p in nexts.items():
                self.trans[self.index[s], self.index[t]] = p
                self.follows[self.index[s], self.index[t]] = True
        self.has_next = self.follows.any(axis=1)
        self.everything = np.ones(n, dtype=bool)
        self._emit: dict[str, np.ndarray] = {}
        self._allowed: dict[str, np.ndarray] = {}

    def emit(self, char: str) -> np.ndarray:
        e = self._emit.get(char)
        if e is None:
            e = self._emit[char] = np.array([self.emit_p[s].get(char, MIN_FLOAT) for s in self.states])
        return e

    def allowed(self, char: str) -> np.ndarray:
        a = self._allowed.get(char)
        if a is None:
            listed = self.states_of.get(char)
            if listed is None:
                a = self.everything
            else:
                a = np.zeros(len(self.states), dtype=bool)
                a[[self.index[s] for s in listed]] = True
            self._allowed[char] = a
        return a


_model: _Model | None = None


def model() -> _Model:
    global _model
    if _model is None:
        _model = _Model()
    return _model


def _best(values: np.ndarray) -> np.ndarray:
    """Index of the greatest value along the first axis, the last one among equals
    (the greater state wins a tie): the argmax of a reversed view, fewer calls than np.flip and np.argmax."""
    return values.shape[0] - 1 - values[::-1].argmax(axis=0)


def viterbi(obs: str, m: _Model | None = None) -> tuple[float, list]:
    """``jieba.posseg.viterbi.viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)``, on arrays."""
    m = m or model()
    active = np.flatnonzero(m.allowed(obs[0]))
    v = m.start[active] + m.emit(obs[0])[active]
    back: list[tuple[np.ndarray, np.ndarray]] = []  # per step: the states reached and where each came from
    for char in obs[1:]:
        keep = m.has_next[active]
        prev, v_prev = active[keep], v[keep]
        expected = m.follows[prev].any(axis=0)
        states = m.allowed(char) & expected
        if not states.any():
            states = expected if expected.any() else m.everything
        now = np.flatnonzero(states)
        if not len(prev):
            raise ValueError("max() arg is an empty sequence")  # as jieba's search fails
        scores = (v_prev[:, None] + m.trans[prev[:, None], now]) + m.emit(char)[now]
        came = _best(scores)
        v = scores.max(axis=0)  # the scores at ``came``: a tie is one value
        back.append((now, prev[came]))
        active = now
    last = _best(v)
    prob, state = float(v[last]), int(active[last])
    route = [0] * len(obs)
    for i in range(len(obs) - 1, 0, -1):
        route[i] = state
        now, came = back[i - 1]
        state = int(came[np.searchsorted(now, state)])
    route[0] = state
    return prob, [m.states[s] for s in route]


class FastPOSTokenizer(posseg.POSTokenizer):
    """jieba's part-of-speech tagger, its HMM search done by :func:`viterbi` (the same pairs)."""

    def _POSTokenizer__cut(self, sentence):  # jieba's POSTokenizer.__cut, with the array search
        prob, pos_list = viterbi(sentence)
        begin, nexti = 0, 0
        for i, char in enumerate(sentence):
            pos = pos_list[i][0]
            if pos == "B":
                begin = i
            elif pos == "E":
                yield posseg.pair(sentence[begin:i + 1], pos_list[i][1])
                nexti = i + 1
            elif pos == "S":
                yield posseg.pair(char, pos_list[i][1])
                nexti = i + 1
        if nexti < len(sentence):
            yield posseg.pair(sentence[nexti:], pos_list[nexti][1])
