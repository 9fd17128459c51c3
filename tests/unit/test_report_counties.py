"""`planlib report --counties-from FILE`: a province's list of places in a file (issue 11, item 5)."""
import pytest

from planlib.build.pipeline import build
from planlib.cli import _listing, counties_from_file
from planlib.errors import PlanlibError

from test_output_guard import PLAN, run_cli


def test_slugs_are_read_one_a_line_skipping_blanks_and_comments(tmp_path):
    f = tmp_path / "places.txt"
    f.write_text("# 某省\nalpha\n\n  beta  # second\nalpha\n", encoding="utf-8")
    assert counties_from_file(f) == ["alpha", "beta", "alpha"]


def test_a_bad_slug_is_named_with_its_file_and_line(tmp_path):
    f = tmp_path / "places.txt"
    f.write_text("alpha\nBeta\nok\ncompare\n", encoding="utf-8")
    with pytest.raises(PlanlibError) as err:
        counties_from_file(f)
    assert f"{f}:2:" in str(err.value) and f"{f}:4:" in str(err.value) and f"{f}:1" not in str(err.value)


@pytest.mark.parametrize("content", ["", "\n# only a comment\n"])
def test_a_file_without_slugs_is_an_error_not_an_empty_batch(tmp_path, content):
    f = tmp_path / "places.txt"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(PlanlibError, match="places.txt: (the file is empty|no slugs)"):
        counties_from_file(f)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(PlanlibError, match="nope.txt: no such file"):
        counties_from_file(tmp_path / "nope.txt")


def test_long_listings_stay_one_readable_line():
    names = [f"place{i:04d}" for i in range(2800)]
    text = _listing(names)
    assert text.startswith("place0000, place0001") and text.endswith("… and 2788 more")
    assert _listing(["a", "b"]) == "a, b"


def test_cli_reports_unknown_places_from_the_file_before_running_anything(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "place.txt").write_text(PLAN, encoding="utf-8")
    build(raw, tmp_path / "tables")
    (tmp_path / "list.txt").write_text("place\nother\n", encoding="utf-8")
    r = run_cli("report", "--counties-from", "list.txt", "--processed", "tables", "--out", "o", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert "no plan for other" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()
