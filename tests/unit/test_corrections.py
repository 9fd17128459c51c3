"""A researcher's corrections: applied by build, listed in checks, loud when stale or malformed."""
import pytest

from planlib.errors import PlanlibError
from planlib.build.pipeline import build_tables

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


# --- malformed files: every bad row named as file:line, nothing applied (issue 8, item 7) ---------

HEADER = "source_file,line,value_raw,value,year,indicator_id,kind,drop,reason\n"


def refused(raw, path) -> str:
    with pytest.raises(PlanlibError) as err:
        build_tables(raw, path)
    return str(err.value)


def test_unbalanced_quote_names_the_line(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    msg = refused(raw, write(tmp_path, f"{src},5,95,96,,,,,fine\n{src},5,85.1,86,,,,,\"never closed\n"))
    assert "corrections.csv:3" in msg and "quote" in msg


def test_extra_and_missing_fields_are_named(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    msg = refused(raw, write(tmp_path, f"{src},5,95,96,,,,,typo,extra\n{src},5,85.1,86\n"))
    assert "corrections.csv:2: 10 fields" in msg and "corrections.csv:3: 4 fields" in msg


@pytest.mark.parametrize("row,expected", [
    ("{src},5,85.1,,,,,maybe,unsure", "drop must be yes or no"),
    ("{src},5,95,,,,goal,,wrong kind", "kind must be one of baseline, target, change"),
    ("{src},5,95,,,no_such_indicator,,,renamed", "indicator_id 'no_such_indicator' is not in the dictionary"),
    ("{src},5,95,,2016.7,,,,year fix", "year must be a whole number"),
    ("{src},5,95,ninety,,,,,typo", "value must be a number"),
    ("{src},5,95,96,,,,yes,both", "drop=yes together with value"),
    ("{src},x,95,96,,,,,typo", "line must be a whole number"),
])
def test_values_are_validated(raw, tmp_path, row, expected):
    src = (raw / "place.txt").as_posix()
    msg = refused(raw, write(tmp_path, row.format(src=src) + "\n"))
    assert "corrections.csv:2: " + expected in msg


def test_every_malformed_row_is_named_at_once(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    rows = f"{src},5,95,96,,,,,ok\n{src},5,85.1,,,,,maybe,bad drop\n\n{src},4,1.65,,2025.5,,,,bad year\n"
    msg = refused(raw, write(tmp_path, rows))
    assert "2 bad correction(s)" in msg
    assert "corrections.csv:3: drop" in msg and "corrections.csv:5: year" in msg


def test_unknown_column_is_refused(raw, tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text("source_file,line,value_raw,indicator,reason\nx,1,2,y,z\n", encoding="utf-8")
    assert "corrections.csv:1: unknown column(s) indicator" in refused(raw, path)


def test_a_whole_year_and_a_no_drop_apply(raw, tmp_path):
    src = (raw / "place.txt").as_posix()
    tables = build_tables(raw, write(tmp_path, f"{src},5,95,,2026,,,no,the plan runs to 2026\n"))
    row = tables["targets"].query("line == 5 and value_raw == '95'").iloc[0]
    assert row["year"] == 2026


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "utf-8-sig"])
def test_corrections_in_other_encodings_are_read_like_plans(raw, tmp_path, encoding):
    src = (raw / "place.txt").as_posix()
    path = tmp_path / "corrections.csv"
    path.write_bytes((HEADER + f"{src},5,95,96,,,,,县教育局年报为96\r\n").encode(encoding))
    tables = build_tables(raw, path)
    row = tables["targets"].query("line == 5 and value_raw == '95'").iloc[0]
    assert row["value"] == 96 and row["correction"] == "县教育局年报为96"


def test_a_file_in_no_known_encoding_is_named(raw, tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_bytes(HEADER.encode() + b"a,1,\xff\xff,2,,,,,r\n")  # 0xFF starts no UTF-8 or GB18030 character
    msg = refused(raw, path)
    assert "corrections.csv" in msg and ("decode" in msg or "encoding" in msg)


def test_build_with_a_bad_corrections_file_exits_2_naming_file_and_line(raw, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    import planlib

    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "corrections.csv").write_text(HEADER + "a,1,2,,,,,maybe,unsure\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(planlib.__file__).resolve().parents[1]), "PLANLIB_ROOT": str(project)}
    r = subprocess.run([sys.executable, "-m", "planlib.cli", "build", "--raw", str(raw), "--out", str(tmp_path / "o")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "corrections.csv:2: drop must be yes or no" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "o").exists()
