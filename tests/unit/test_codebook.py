from planlib.build.codebook import render
from planlib.paths import PROJECT_ROOT
from planlib.schema import TABLES


def test_codebook_documents_every_column():
    text = render()
    for spec in TABLES.values():
        for col in spec["columns"]:
            assert f"| `{col.name}` |" in text


def test_committed_codebook_is_current():
    committed = (PROJECT_ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/codebook.md is stale: run `planlib codebook`"
