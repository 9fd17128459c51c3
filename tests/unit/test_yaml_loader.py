"""The data files read with libyaml's parser (when PyYAML has it) give what the pure-Python safe loader gives."""
import pytest
import yaml

from planlib import datafiles
from planlib.paths import PACKAGE_DATA

FILES = sorted(PACKAGE_DATA.glob("*.yml"))


def test_there_are_data_files():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fast_loader_reads_each_data_file_as_the_safe_loader(path):
    text = path.read_text(encoding="utf-8")
    plain = yaml.load(text, Loader=yaml.SafeLoader)
    fast = datafiles.read_yaml(path)
    assert fast == plain
    assert repr(fast) == repr(plain)  # same types and key order, not only equal values


def test_fast_loader_is_still_safe(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("!!python/object/apply:os.system ['echo no']\n", encoding="utf-8")
    with pytest.raises(yaml.constructor.ConstructorError):
        datafiles.read_yaml(bad)


def test_empty_file_gives_an_empty_dict(tmp_path):
    empty = tmp_path / "empty.yml"
    empty.write_text("", encoding="utf-8")
    assert datafiles.read_yaml(empty) == {}
