"""A plan's result travels as a cache entry's bytes (made once in the worker): decoded, it is the result,
its Arrow tables (stored as IPC streams) equal, typed and ordered as made, an empty one included."""
from __future__ import annotations

import pickle

import pyarrow as pa
import pytest

from planlib.build.cache import MAGIC, decode_entry, encode_entry
from planlib.build.pipeline import PlanResult, plan_result
from planlib.synth import make_plan


def test_an_encoded_result_decodes_to_the_same_result(tmp_path):
    path = tmp_path / "p01.txt"
    path.write_text(make_plan(1, paragraphs=12).text, encoding="utf-8")
    result = plan_result(path)
    result.schools = result.schools.slice(0, 0)  # a plan without school tables
    data = encode_entry(result)
    assert data.startswith(MAGIC)
    back = decode_entry(data)
    assert isinstance(back, PlanResult)
    for name in ("targets", "internal", "schools"):
        mine, theirs = getattr(result, name), getattr(back, name)
        assert isinstance(theirs, pa.Table)
        assert theirs.schema.equals(mine.schema, check_metadata=True) and theirs.equals(mine)
    assert back.schools.num_rows == 0 and back.targets.num_rows > 0
    assert (back.findings, back.meta, back.slug, back.source_file, back.derived_text) == (
        result.findings, result.meta, result.slug, result.source_file, result.derived_text)
    assert back.term_counts.terms == result.term_counts.terms
    assert pickle.loads(pickle.dumps(back)).targets.equals(result.targets)


def test_a_damaged_entry_is_refused(tmp_path):
    path = tmp_path / "p01.txt"
    path.write_text(make_plan(2, paragraphs=6).text, encoding="utf-8")
    data = bytearray(encode_entry(plan_result(path)))
    data[-3] ^= 0xFF
    with pytest.raises(ValueError, match="damaged"):
        decode_entry(bytes(data))
