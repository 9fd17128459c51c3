"""match_indicator_in: the context as a function, asked only when the label needs it, same answers."""
from __future__ import annotations

import re

import pytest
import yaml

from planlib.extract.dictionary import INDICATORS_FILE, load_indicators, match_indicator, match_indicator_in
from planlib.paths import RAW_DIR

RAW = yaml.safe_load(INDICATORS_FILE.read_text(encoding="utf-8"))
ALIASES = sorted({a for i in load_indicators().values() for a in i.aliases_zh})
GENERICS = sorted({label for m in RAW["generic_measures"] for label in m.get("labels") or []})
LEVEL_WORDS = sorted({w for words in RAW["levels"].values() for w in words})
CONTEXTS = ["", "高中阶段教育", "小学和初中", "在校学生数（万人）", "义务教育阶段，全市有学校12所"]


def _labels() -> list[str]:
    """Aliases, generic measures alone, with a level word before them and in lists, bare level
    words, and the clauses of the five plans' sentences (what prose asks about)."""
    labels = ALIASES + GENERICS + LEVEL_WORDS + [w + "教育" for w in LEVEL_WORDS]
    labels += [w + g for w in LEVEL_WORDS[::3] for g in GENERICS]
    labels += [f"{a}、{g}" for a, g in zip(ALIASES[::7], GENERICS * 50)]
    labels += [f"{g}12万人，{a}" for a, g in zip(ALIASES[::11], GENERICS * 50)]
    for path in sorted(RAW_DIR.glob("*.txt"))[:2]:
        for line in path.read_text(encoding="utf-8").splitlines()[:400]:
            labels += [c for c in re.split(r"[\d。；]", line) if c.strip()][:6]
    return labels


@pytest.mark.parametrize("context", CONTEXTS)
def test_the_same_indicator_as_match_indicator(context):
    labels = _labels()
    assert len(labels) > 2000
    for label in labels:
        assert match_indicator_in(label, lambda: context) == match_indicator(label, context), label


def test_the_context_is_asked_only_when_the_label_leaves_the_level_to_it():
    asked = []

    def context_of():
        asked.append(1)
        return "高中阶段教育"

    assert match_indicator_in("学前三年毛入园率", context_of).indicator_id == "preschool_ger"
    assert match_indicator_in("小学在校生", context_of).indicator_id == "primary_enrollment"
    assert asked == []
    assert match_indicator_in("在校生", context_of).indicator_id == "senior_secondary_enrollment"
    assert match_indicator_in("", context_of) is None
    assert asked == [1]


def test_match_fitting_is_the_longest_fitting_alias_in_the_label():
    """match_fitting tries only aliases whose first character is in the label: the same answer as
    trying every alias, longest first."""
    from planlib.extract.dictionary import _matcher, fit_unit, match_fitting, normalize_label

    m = _matcher()

    def by_all_aliases(label, unit):
        text = normalize_label(label)
        for alias, iid in m.aliases:
            if alias in text:
                fitted = fit_unit(m.indicators[iid], unit)
                if fitted is not None:
                    return fitted
        return None

    labels = _labels()[::3]
    for unit in ("人", "%", "所", "间", "元", "个", "倍"):
        for label in labels:
            assert match_fitting(label, unit) == by_all_aliases(label, unit), (label, unit)
