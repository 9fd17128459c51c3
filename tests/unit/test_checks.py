"""Each kind of source check: a fixture where it must fire and one where it must not."""
import textwrap

import pandas as pd
import pytest

from planlib.build.checks import half_unit, unnamed_numbers
from planlib.build.pipeline import build_tables

HEAD = "某县教育事业发展“十四五”规划（2021—2025年）\n\n表1 主要指标\n"


def checks_for(tmp_path, body: str) -> pd.DataFrame:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "place.txt").write_text(HEAD + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return build_tables(raw, corrections_file=None)["checks"]


def kinds(checks: pd.DataFrame) -> list[str]:
    return sorted(checks.loc[checks["check"] != "unnamed_indicator", "check"])


SUM_TABLE = """
    分类 指标 2020年 2025年
    义务教育 在校学生数（人） {total20} 1100
    其中：普通小学 600 700
    普通初中 300 400
    """


def test_sum_mismatch_fires_when_parts_do_not_add_up(tmp_path):
    checks = checks_for(tmp_path, SUM_TABLE.format(total20=1000))
    found = checks[checks["check"] == "sum_mismatch"]
    assert len(found) == 1 and found.iloc[0]["year"] == 2020 and found.iloc[0]["severity"] == "error"
    assert "900" in found.iloc[0]["message"]


def test_sum_mismatch_silent_when_parts_add_up(tmp_path):
    assert kinds(checks_for(tmp_path, SUM_TABLE.format(total20=900))) == []


CHANGE_TABLE = """
    指标 2020年 2025年 变化
    学前三年毛入园率（%） 85.1 90.0 {change}
    九年义务教育巩固率（%） 88.25 90.0 {change2}
    """


def test_change_mismatch_fires(tmp_path):
    checks = checks_for(tmp_path, CHANGE_TABLE.format(change="5.9", change2="1.75"))
    found = checks[checks["check"] == "change_mismatch"]
    assert len(found) == 1 and "5.9" in found.iloc[0]["message"] and "4.9" in found.iloc[0]["message"]


def test_change_within_half_a_unit_of_the_last_digit_is_silent(tmp_path):
    # 90.0 − 88.25 = 1.75, printed as 1.8: within rounding
    assert kinds(checks_for(tmp_path, CHANGE_TABLE.format(change="4.9", change2="1.8"))) == []


CROSS = """
    指标 2020年 2025年
    学前三年毛入园率（%） 85.1 95

    “十三五”期间，全县学前三年毛入园率达到{prose}%。
    """


def test_table_and_prose_disagreeing_fires(tmp_path):
    checks = checks_for(tmp_path, CROSS.format(prose="86.0"))
    found = checks[checks["check"] == "cross_source_conflict"]
    assert len(found) == 1 and found.iloc[0]["indicator_id"] == "preschool_ger"


def test_table_and_prose_agreeing_is_silent(tmp_path):
    assert kinds(checks_for(tmp_path, CROSS.format(prose="85.1"))) == []


MAGNITUDE = """
    指标 2020年 2025年
    在园幼儿数（{unit}） 1.3263 1.65
    """


def test_unit_label_contradicting_values_fires(tmp_path):
    assert kinds(checks_for(tmp_path, MAGNITUDE.format(unit="人"))) == ["unit_magnitude"]


def test_unit_label_matching_values_is_silent(tmp_path):
    assert kinds(checks_for(tmp_path, MAGNITUDE.format(unit="万人"))) == []


RANGE = """
    指标 2020年 2025年
    学前三年毛入园率（%） 85.1 {target}
    """


def test_implausible_value_fires(tmp_path):
    assert kinds(checks_for(tmp_path, RANGE.format(target="350"))) == ["out_of_range"]


def test_plausible_value_is_silent(tmp_path):
    assert kinds(checks_for(tmp_path, RANGE.format(target="95"))) == []


def _targets(ids):
    return pd.DataFrame({"county": "x", "source_file": "x.txt", "indicator_id": ids,
                         "domain": "schools", "line": range(1, len(ids) + 1)})


def test_unnamed_numbers_are_counted():
    found = unnamed_numbers(_targets(["", "preschool_ger", ""]))
    assert len(found) == 1 and found[0]["message"].startswith("2 numbers") and found[0]["lines"] == "1;3"


def test_no_unnamed_numbers_no_finding():
    assert unnamed_numbers(_targets(["preschool_ger"])) == []


@pytest.mark.parametrize("raw,scale,expected", [("9.90", 1, 0.005), ("1.2353", 10000, 0.5), ("96", 1, 0.5), ("—0.07", 10000, 50)])
def test_half_unit_in_the_last_printed_digit(raw, scale, expected):
    assert half_unit(raw, scale) == pytest.approx(expected)
