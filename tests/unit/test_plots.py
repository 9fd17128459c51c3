"""Figures drawn in-process from the synthetic tables: content, CJK glyphs, captions, reproducible files."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle

from planlib.report import fonts, plots
from planlib.report.batch import national_targets

LANGS = ("zh", "en")


@pytest.fixture(scope="module", autouse=True)
def style():
    fonts.use_style()


def _draw_all(tables, county, lang):
    t = tables
    nat = national_targets(t["indicators"])
    figs = {}
    for key, func in plots.COUNTY_FIGURES.items():
        kwargs = {"plans": t["plans"], "lang": lang}
        if key == "rates":
            kwargs["national"] = nat
        figs[key] = func(t["targets"], t["indicators"], county, **kwargs)
    counties = list(t["plans"]["county"])
    figs["compare_rates"] = plots.compare_rates(t["targets"], t["indicators"], counties, plans=t["plans"],
                                                national=nat, lang=lang)
    figs["compare_growth"] = plots.compare_growth(t["targets"], t["indicators"], counties, plans=t["plans"], lang=lang)
    for key in ("enrollment", "teachers", "funding"):
        figs[f"compare_{key}"] = plots.COMPARISON_FIGURES[key](t["targets"], t["indicators"], counties, plans=t["plans"],
                                                                lang=lang, checks=t["checks"])
    return figs


def _data_artists(fig) -> int:
    n = 0
    for ax in fig.axes:
        n += sum(isinstance(p, Rectangle) and p.get_width() * p.get_height() != 0 for p in ax.patches)
        n += sum(isinstance(c, PathCollection) and len(c.get_offsets()) > 0 for c in ax.collections)
    return n


def test_setup_fonts_survives_seaborn_and_resolves_to_noto():
    import seaborn as sns

    sns.set_theme()  # resets font.family to its own sans-serif list
    fonts.setup_fonts()
    fonts.setup_fonts()  # idempotent
    found = Path(font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"])))
    assert found.name.startswith("NotoSansSC")
    assert font_manager.FontProperties(fname=found).get_name() == fonts.FONT_FAMILY
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_variable_font_comes_from_the_package_not_the_system():
    path = fonts.variable_font_path()
    assert path.is_file() and "justmytype_intl_cjk" in path.parts


@pytest.mark.parametrize("lang", LANGS)
def test_every_figure_draws_without_missing_glyphs(fixture_tables, tmp_path, lang, caplog):
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        figs = _draw_all(fixture_tables, "alpha", lang)
        for key, fig in figs.items():
            plots.save_figure(fig, tmp_path / key)
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing" in str(w.message)]
    assert glyph == []
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []
    for key, fig in figs.items():
        assert _data_artists(fig) > 0, key
        every_text = [t for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()] + fig.texts
        for text in every_text:
            found = font_manager.findfont(text.get_fontproperties())
            assert Path(found).name.startswith("NotoSansSC"), (key, text.get_text(), found)


def test_labels_follow_the_language(fixture_tables):
    zh = plots.rates(fixture_tables["targets"], fixture_tables["indicators"], "alpha", lang="zh")
    en = plots.rates(fixture_tables["targets"], fixture_tables["indicators"], "alpha", lang="en")
    # long names are wrapped beside their rows: English at spaces, Chinese between characters
    zh_labels = [t.get_text().replace("\n", "") for t in zh.axes[0].get_yticklabels()]
    en_labels = [t.get_text().replace("\n", " ") for t in en.axes[0].get_yticklabels()]
    ind = fixture_tables["indicators"].set_index("indicator_id")
    assert ind.loc["preschool_ger", "indicator_zh"] in zh_labels
    assert ind.loc["preschool_ger", "label_en"] in en_labels


def test_caption_cites_the_source_lines(fixture_tables):
    t = fixture_tables["targets"]
    fig = plots.enrollment_by_level(t, fixture_tables["indicators"], "alpha")
    note = " ".join(x.get_text() for x in fig.texts).replace("\n", " ")
    rows = t[(t["county"] == "alpha") & (t["domain"] == "enrollment") & (t["unit"] == "人")]
    assert "alpha.txt:" in note
    for line in rows["line"]:
        assert str(int(line)) in note


def test_rates_draw_other_places_and_national_lines(fixture_tables):
    t = fixture_tables
    nat = national_targets(t["indicators"])
    fig = plots.rates(t["targets"], t["indicators"], "alpha", plans=t["plans"], national=nat)
    ax = fig.axes[0]
    texts = {x.get_text().strip() for x in ax.texts}
    assert {"乙市（县）", "丙县（县）"} <= texts  # the other places, by name and admin level
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    shown = set(t["targets"][(t["targets"]["county"] == "alpha") & (t["targets"]["unit"] == "%")]["indicator_id"])
    assert len(dashed) == len(set(nat["indicator_id"]) & shown & set(t["targets"][t["targets"]["domain"] == "enrollment"]["indicator_id"]))
    assert "纲要" in " ".join(x.get_text() for x in fig.texts)


def test_a_plan_without_a_domain_says_so(fixture_tables):
    t = fixture_tables
    assert not ((t["targets"]["county"] == "gamma") & (t["targets"]["domain"] == "schools")).any()
    for lang in LANGS:
        fig = plots.schools(t["targets"], t["indicators"], "gamma", lang=lang)
        shown = " ".join(x.get_text() for ax in fig.axes for x in ax.texts)
        assert plots.TEXT[lang]["no_data"] in shown


def test_growth_compares_percentages_not_counts(fixture_tables):
    t = fixture_tables
    growth = plots.growth_table(t["targets"], t["indicators"], ["alpha", "beta"], plans=t["plans"])
    row = growth[(growth["county"] == "beta") & (growth["indicator_id"] == "primary_enrollment")].iloc[0]
    assert row["growth_pct"] == pytest.approx((row["end"] - row["start"]) / row["start"] * 100)
    fig = plots.compare_growth(t["targets"], t["indicators"], ["alpha", "beta"], plans=t["plans"])
    heights = [p.get_height() for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert max(abs(h) for h in heights) < 100  # percentages, not headcounts in the thousands


def test_same_data_gives_identical_files(fixture_tables, tmp_path):
    t = fixture_tables
    out = []
    for run in ("a", "b"):
        fig = plots.teachers(t["targets"], t["indicators"], "alpha", plans=t["plans"])
        out.append([p.read_bytes() for p in plots.save_figure(fig, tmp_path / run / "teachers")])
    assert out[0] == out[1]
    assert out[0][0][:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in out[0][1]


def test_font_face_embeds_only_the_characters_used():
    small = fonts.subset_font("教育")
    large = fonts.subset_font("教育事业发展十四五规划学前毛入园率巩固")
    assert 0 < len(small) < len(large) < fonts.font_path().stat().st_size / 50
    css = fonts.font_face_css("教育")
    assert "@font-face" in css and "data:font/ttf;base64," in css
