"""Reading plan files: encodings and line ends give the same lines; bad input is refused by name."""
import pytest

from planlib.errors import PlanFileError
from planlib.read.text import decode_bytes, has_plan_heading, read_plan

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


# --- encodings decided by evidence, not by the order they are tried (issue 8, item 3) ---------------

TRAD = "某縣教育事業發展「十四五」規劃\n到2025年，學前三年毛入園率達到95%以上。\n九年義務教育鞏固率100%。\n"


def test_big5_is_read_as_big5_not_garbled_gb18030():
    """Big5 bytes also decode strictly as GB18030 (into kana, Greek and rare characters): the evidence picks Big5."""
    text, encoding = decode_bytes(TRAD.encode("big5"))
    assert (text, encoding) == (TRAD, "big5")


def test_big5_hkscs_characters_are_read():
    """Cantonese characters (㗎, 嘅) exist in Big5-HKSCS only: plain Big5 fails, HKSCS reads them."""
    sample = TRAD + "學校嘅發展㗎。\n"
    with pytest.raises(UnicodeEncodeError):
        sample.encode("big5")
    assert decode_bytes(sample.encode("big5hkscs")) == (sample, "big5hkscs")


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "gb18030"])
def test_gb_family_still_reads_as_gb18030(encoding):
    assert decode_bytes(SAMPLE.encode(encoding)) == (SAMPLE, "gb18030")


def test_gb18030_only_characters():
    """A four-byte GB18030 character (outside GBK) still reads."""
    sample = SAMPLE + "𠀀€\n"
    assert decode_bytes(sample.encode("gb18030")) == (sample, "gb18030")


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b""), ("utf-16-be", b""),
                                       ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_and_without_bom(tmp_path, codec, bom):
    """UTF-16 without a byte-order mark has NUL bytes (the high byte of ASCII): it is text, not binary."""
    path = tmp_path / "plan.txt"
    path.write_bytes(bom + SAMPLE.replace("\n", "\r\n").encode(codec))
    plan = read_plan(path)
    assert plan.text == SAMPLE
    assert plan.encoding == ("utf-16" if bom else codec)


def test_utf16_without_bom_that_reads_as_nothing_is_named_utf16():
    """NULs at every other byte are UTF-16's pattern: say so rather than 'binary'."""
    raw = "".join(chr(0x0400 + (i * 7) % 200) + "\n" for i in range(200)).encode("utf-16-le")  # Cyrillic
    with pytest.raises(PlanFileError, match="UTF-16 LE without a byte-order mark"):
        decode_bytes(raw, "x.txt")


def test_nul_after_64_kib_is_refused_as_binary(tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(("教育规划 2025年 95%\n" * 5000).encode("utf-8") + b"\x00\x01\x02 tail\n")
    assert path.stat().st_size > 65536
    with pytest.raises(PlanFileError, match=r"late\.txt: the file is binary \(it contains NUL bytes"):
        read_plan(path)


def test_nul_in_gb18030_text_is_refused():
    with pytest.raises(PlanFileError, match="binary"):
        decode_bytes(SAMPLE.encode("gb18030") + b"\x00" + SAMPLE.encode("gb18030"))


def test_short_ambiguous_bytes_are_refused_naming_both():
    """北京 in GB18030 is 控儔 in Big5: both all common characters, no plan word either way."""
    raw = "北京".encode("gb18030")
    assert raw.decode("big5") == "控儔"
    with pytest.raises(PlanFileError, match=r"amb\.txt: cannot tell the encoding: .*GB18030/GBK.*Big5"):
        decode_bytes(raw, "amb.txt")


def test_plan_words_decide_a_short_text():
    """规划 in GB18030 reads as two common characters in Big5 too (寞赫); the plan word decides."""
    raw = "规划".encode("gb18030")
    assert raw.decode("big5") == "寞赫"
    assert decode_bytes(raw) == ("规划", "gb18030")
    assert decode_bytes("學校規劃".encode("big5")) == ("學校規劃", "big5")
    assert decode_bytes("教育".encode("utf-8")) == ("教育", "utf-8")


def test_ascii_text_is_utf8():
    assert decode_bytes(b"plan 2025\n") == ("plan 2025\n", "utf-8")


def test_ambiguity_names_every_reading():
    """C3 A9 is é in UTF-8 and a common character in GB18030 and Big5: all three are named."""
    with pytest.raises(PlanFileError, match=r"GB18030/GBK.*Big5.*and as UTF-8 \(0% common"):
        decode_bytes("Café".encode("utf-8"))


def test_replacement_characters_are_refused_naming_file_and_line(tmp_path):
    """U+FFFD means characters were lost before the file was saved: its labels would be wrong."""
    path = tmp_path / "lossy.txt"
    path.write_text("某县教育事业发展规划\n\n学前三年毛入园率\ufffd\ufffd达到95%\n", encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"lossy\.txt:3: the text holds 2 replacement character"):
        read_plan(path)


def test_too_large_file_is_refused_before_reading(tmp_path, monkeypatch):
    import planlib.read.text as text_module

    monkeypatch.setattr(text_module, "MAX_PLAN_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_text("教育规划\n" * 200, encoding="utf-8")
    with pytest.raises(PlanFileError, match=r"huge\.txt: the file is 0\.0 MB, over the 0\.001 MB limit .*2,600 > 1,000 bytes"):
        read_plan(path)
    monkeypatch.setattr(text_module, "MAX_PLAN_BYTES", 2600)
    assert read_plan(path).n_bytes == 2600


def test_big5_plan_is_read_through_simplified_script(tmp_path):
    """A Big5 plan is in traditional script: matched on its simplified conversion, quoted as written."""
    from planlib.build.pipeline import parse_plan

    path = tmp_path / "trad.txt"
    path.write_bytes("某縣教育事業發展規劃\n到2025年，學前三年毛入園率達到93%，九年義務教育鞏固率達到97%。\n".encode("big5"))
    parsed = parse_plan(path)
    assert (parsed.plan.encoding, parsed.plan.script) == ("big5", "traditional")
    df = parsed.targets_frame
    assert list(df["indicator_id"]) == ["preschool_ger", "compulsory_retention_rate"]
    assert list(df["quote"]) == ["學前三年毛入園率達到93%", "九年義務教育鞏固率達到97%"]


def test_encoding_evidence_matches_the_codecs():
    """The common-character lists in data/encoding_evidence.yml are what the codecs say they are."""
    from planlib.datafiles import package_yaml
    from planlib.read.text import codec_common_characters

    data = package_yaml("encoding_evidence.yml")
    for key, chars in codec_common_characters().items():
        assert "".join(data[key]) == chars
    assert len(codec_common_characters()["common_simplified"]) == 3755


def test_the_five_plans_read_the_same_in_gb18030_and_gbk():
    """The real plans, re-encoded as a GBK/GB18030 site would serve them, give the same text."""
    from planlib.paths import RAW_DIR

    plans = sorted(RAW_DIR.glob("*.txt"))
    assert plans
    for path in plans:
        text = read_plan(path).text
        assert decode_bytes(text.encode("gb18030"), path) == (text, "gb18030")
        try:
            gbk = text.encode("gbk")
        except UnicodeEncodeError:
            continue  # a character outside GBK: GB18030 above covers it
        assert decode_bytes(gbk, path) == (text, "gb18030")


def test_a_gbk_plan_gives_the_rows_of_its_utf8_twin(tmp_path):
    from planlib.paths import RAW_DIR
    from planlib.build.pipeline import parse_plan

    text = read_plan(RAW_DIR / "wuxi.txt").text
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    (tmp_path / "a" / "plan.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "b" / "plan.txt").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    utf8, gbk = parse_plan(tmp_path / "a" / "plan.txt"), parse_plan(tmp_path / "b" / "plan.txt")
    assert gbk.plan.encoding == "gb18030"
    drop = ("source_file", "text_file")  # each names its own file
    assert [{k: v for k, v in r.items() if k not in drop} for r in gbk.targets] == \
        [{k: v for k, v in r.items() if k not in drop} for r in utf8.targets]
    assert len(utf8.targets) > 50
