"""A researcher's corrections: applied by build, listed in checks, loud when stale or malformed."""
import pytest

from planlib.errors import PlanlibError
from planlib.pipeline import build_tables

PLAN = "某县教育事业发展“十四五”规划（2021—2025年）\n\n指标 2020年 2025年\n在校学生数（人） 1.3263 1.65\n学前三年毛入园率（%） 85.1 95\n"


@pytest.fixture()
def raw(tmp_path):
    d = tmp_path / "raw"
    d.mkdir()
    (d / "place.txt").write_text(PLAN, encoding="utf-8")
    return d


def write(tmp_path, rows: str):
    path = tmp_path / "corrections.csv"
    path.write_text("source_file,line,value_raw,value,year,indicator_id,kind,drop,reason\n" + rows, encoding="utf-8")
    return path


def test_correction_changes_the_value_and_is_listed(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    tables = build_tables(raw, write(tmp_path, f"{src},5,95,96,,,,,typo: the county's report says 96\n"))
    row = tables["targets"].query("line == 5 and value_raw == '95'").iloc[0]
    assert row["value"] == 96 and row["correction"] == "typo: the county's report says 96"
    listed = tables["checks"].query("check == 'correction_applied'")
    assert len(listed) == 1 and "value 95.0 -> 96.0" in listed.iloc[0]["message"]


def test_drop_removes_the_row(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    tables = build_tables(raw, write(tmp_path, f"{src},5,85.1,,,,,yes,not a rate of this county\n"))
    assert tables["targets"].query("line == 5 and value_raw == '85.1'").empty


def test_correction_matching_nothing_fails_the_build(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    with pytest.raises(PlanlibError, match=r"corrections\.csv:2: correction matches no number"):
        build_tables(raw, write(tmp_path, f"{src},5,77,78,,,,,stale\n"))


def test_correction_without_reason_is_refused(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    with pytest.raises(PlanlibError, match=r"corrections\.csv:2: every correction needs a reason"):
        build_tables(raw, write(tmp_path, f"{src},5,95,96,,,,,\n"))


def test_corrected_indicator_brings_its_measure_type(raw, tmp_path):
    """measure_type says what the indicator counts, so it follows a corrected indicator_id."""
    src = (raw / "place.txt").as_posix()
    before = build_tables(raw, None)["targets"].query("line == 4 and value_raw == '1.3263'").iloc[0]
    assert before["measure_type"] == "stock"
    tables = build_tables(raw, write(tmp_path, f"{src},4,1.3263,,,teachers_recruited,,,the row counts recruits\n"))
    row = tables["targets"].query("line == 4 and value_raw == '1.3263'").iloc[0]
    assert (row["indicator_id"], row["measure_type"]) == ("teachers_recruited", "flow")
