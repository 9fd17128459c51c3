"""Reading plan files: encodings and line ends give the same lines; bad input is refused by name."""
import pytest

from planlib.errors import PlanFileError
from planlib.text import decode_bytes, has_plan_heading, read_plan

SAMPLE = "某县教育事业发展“十四五”规划\n\n到2025年，学前三年毛入园率达到95%以上。\n九年义务教育巩固率100%\n"


@pytest.mark.parametrize("encoding,newline", [
    ("utf-8", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\n"), ("utf-8-sig", "\r\n"),
    ("gb18030", "\n"), ("gb18030", "\r\n"), ("gbk", "\r\n"), ("utf-16", "\n"),
])
def test_same_text_and_lines_whatever_the_encoding(tmp_path, encoding, newline):
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.replace("\n", newline).encode(encoding))
    plan = read_plan(path)
    assert plan.text == SAMPLE
    assert plan.lines[2] == "到2025年，学前三年毛入园率达到95%以上。"
    assert len(plan.lines) == 4


def test_line_numbers_match_sed(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("a\n\nb\nc", encoding="utf-8")  # no final newline: sed still counts 4 lines
    plan = read_plan(path)
    assert plan.line(1) == "a" and plan.line(3) == "b" and plan.line(4) == "c"


def test_empty_file_is_refused_by_name(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(PlanFileError, match=r"empty\.txt: the file is empty"):
        read_plan(path)


def test_binary_file_is_refused_by_name(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(PlanFileError, match=r"image\.txt: .*binary"):
        read_plan(path)


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(bytes([0xFF, 0xFE - 1, 0x81, 0x20]) * 10)
    with pytest.raises(PlanFileError, match=r"latin\.txt"):
        read_plan(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(PlanFileError, match=r"nope\.txt: cannot read"):
        read_plan(tmp_path / "nope.txt")


def test_plan_heading():
    assert has_plan_heading(read_plan_from("巫山县教育事业发展“十四五”规划（2021—2025年）\n正文"))
    assert not has_plan_heading(read_plan_from("今天天气很好。\n明天也是。"))


def read_plan_from(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.txt"
        p.write_text(text, encoding="utf-8")
        return read_plan(p)


def test_decode_gb18030_doctest_style():
    assert decode_bytes("规划".encode("gb18030"))[0] == "规划"
