"""Every row of the committed targets table stands on its cited line, under the codebook's span rule;
and the check that says so catches a row whose line, span, value or quote has been corrupted."""
import pandas as pd
import pytest

from planlib.paths import PROCESSED_DIR
from planlib.build.provenance import provenance_problems

#: No committed row breaks the rule. (A row rescaled ×10000 because its label says 人 but its values
#: read as 万人 stands on its line only through a unit_magnitude finding that cites it: the finding
#: cites the row's change cell and the 其中 rows that inherit the scale too.)
KNOWN: set[tuple[str, int]] = set()


@pytest.fixture(scope="module")
def committed():
    return pd.read_parquet(PROCESSED_DIR / "targets.parquet"), pd.read_parquet(PROCESSED_DIR / "checks.parquet")


def _located(problem: str) -> tuple[str, int]:
    source, rest = problem.split(":", 1)
    return source, int(rest.split(" ", 1)[0].rstrip(":"))


def test_every_committed_row_stands_on_its_line(committed):
    targets, checks = committed
    assert len(targets) > 500 and targets["source_file"].nunique() == 5
    problems = provenance_problems(targets, checks=checks)
    assert {_located(p) for p in problems} == KNOWN, "\n".join(problems)
    assert all("is not" in p and "× the scale" in p for p in problems), problems  # only the value rule


def _row(targets, source, kind_of_span):
    """A row to corrupt, chosen by what it is, not by its line number."""
    rows = targets[targets["source"] == source]
    if kind_of_span == "comparator word":  # the span itself says it (95%以上), not a word before it (不低于…的20%)
        rows = rows[(rows["comparator"] == ">=") & rows["quote"].str.endswith("以上")]
    elif kind_of_span == "sign":
        rows = rows[rows["quote"].str.contains("[>＞]", regex=True)]
    elif kind_of_span == "万 unit":
        rows = rows[rows["unit_raw"].fillna("").str.startswith(("万", "亿"))]
    rows = rows[rows["correction"].fillna("") == ""]
    return rows.index[len(rows) // 2]


def _shift_line(df, i):
    df.loc[i, "line"] += 1


def _shift_start(df, i):
    df.loc[i, "char_start"] += 1


def _span_before(df, i):
    df.loc[i, "char_start"] -= 1


def _shorten_end(df, i):
    df.loc[i, "char_end"] -= 1


def _value_times_ten(df, i):
    df.loc[i, "value"] *= 10


def _value_raw_typo(df, i):
    raw = df.loc[i, "value_raw"]
    df.loc[i, "value_raw"] = raw[:-1] + ("7" if raw[-1] != "7" else "3")


def _quote_elsewhere(df, i):
    df.loc[i, "quote"] = "教育"


def _other_file(df, i):
    other = sorted(set(df["source_file"]) - {df.loc[i, "source_file"]})[0]
    df.loc[i, "source_file"] = df.loc[i, "text_file"] = other  # a .txt plan's text_file is the file itself
    df.loc[i, "county"] = other.rsplit("/", 1)[-1].removesuffix(".txt")


def _missing_file(df, i):
    df.loc[i, "source_file"] = df.loc[i, "text_file"] = "data/raw/nowhere.txt"
    df.loc[i, "county"] = "nowhere"


def _text_file_of_another_plan(df, i):
    """text_file names another plan's text while source_file stays: the row no longer stands on its own text."""
    df.loc[i, "text_file"] = sorted(set(df["text_file"]) - {df.loc[i, "text_file"]})[0]


def _comparator(df, i):
    df.loc[i, "comparator"] = "="


MUTATIONS = [_shift_line, _shift_start, _span_before, _shorten_end, _value_times_ten, _value_raw_typo,
             _quote_elsewhere, _other_file, _missing_file, _text_file_of_another_plan]
ROWS = [("prose", "comparator word"), ("prose", "万 unit"), ("table", "sign"), ("table", "any")]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("which", ROWS, ids=lambda w: f"{w[0]}-{w[1].replace(' ', '_')}")
def test_a_corrupted_row_is_caught(committed, mutate, which):
    """Mutation guard: break one key field of one real row; the check must name that row and no other."""
    targets, checks = committed
    before = set(provenance_problems(targets, checks=checks))
    bad = targets.copy()
    i = _row(bad, *which)
    mutate(bad, i)
    new = set(provenance_problems(bad, checks=checks)) - before
    assert len(new) == 1, (targets.loc[i].to_dict(), new)
    assert _located(new.pop()) == (bad.loc[i, "text_file"], int(bad.loc[i, "line"]))


@pytest.mark.parametrize("which", [ROWS[0], ROWS[2]], ids=["prose", "table"])
def test_a_comparator_the_span_contradicts_is_caught(committed, which):
    targets, checks = committed
    bad = targets.copy()
    i = _row(bad, *which)
    _comparator(bad, i)
    new = set(provenance_problems(bad, checks=checks)) - set(provenance_problems(targets, checks=checks))
    assert [p.rsplit(": ", 1)[-1] for p in new] == [f"the span says comparator {targets.loc[i, 'comparator']!r}, the row '='"]
