"""Text analysis on small synthetic plans written here."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib import paths
from planlib.teach import textmine
from planlib.read.text import read_plan

PLAN = """\
某县教育事业发展规划
目 录
一、师资建设..........3
一、师资建设
加强骨干教师培训。实施县管校聘改革；推进五育并举！
争取政府购买服务。
二、督导评估
完善教育督导机制，依法治教。
全县学生人数保持稳定。
"""


def write_plan(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


@pytest.fixture
def plan(tmp_path):
    return write_plan(tmp_path, "demo", PLAN)


def test_user_dictionary_terms_stay_whole():
    for term in ("五育并举", "县管校聘", "立德树人", "毛入园率", "普惠性幼儿园", "控辍保学"):
        assert term in textmine.segment(f"全面落实{term}的要求")


def test_stop_words_punctuation_and_numbers_dropped():
    words = textmine.segment("进一步加强教师队伍建设，2025年达到95%。")
    assert "进一步" in textmine.stopwords() and "进一步" not in words
    assert "的" not in words and "，" not in words and "2025" not in words
    assert "教师队伍" in words or "教师" in words
    assert "进一步" in textmine.segment("进一步", drop_stopwords=False)


def test_jieba_cache_lands_in_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    textmine.reset_tokenizer()
    try:
        assert textmine.segment("五育并举") == ["五育并举"]
        assert (tmp_path / "cache" / textmine.CACHE_FILE).is_file()
        assert textmine.tokenizer() is textmine.tokenizer()
    finally:
        textmine.reset_tokenizer()


def test_term_frequencies_and_distinctive_terms_on_two_toy_plans(tmp_path):
    a = write_plan(tmp_path, "alpha", "学前教育普惠发展。学前教育资源扩大。学前教育质量提高。职业教育发展。\n")
    b = write_plan(tmp_path, "beta", "职业教育产教融合。职业教育校企合作。职业教育质量提高。学前教育发展。\n")
    tf = textmine.term_frequencies([a, b])
    counts = tf.set_index(["county", "term"])["count"]
    assert counts[("alpha", "学前教育")] == 3 and counts[("beta", "职业教育")] == 3
    assert tf.groupby("county")["share"].sum().round(9).eq(1).all()
    assert set(tf.columns) >= {"county", "term", "count", "share", "source_file", "first_line"}
    for method in ("log_odds", "tfidf"):
        top = textmine.distinctive_terms(tf, top=3, method=method)
        assert list(top.columns[:5]) == ["county", "term", "score", "count", "rank"]
        by_county = {c: g.sort_values("rank")["term"].tolist() for c, g in top.groupby("county")}
        assert "产教融合" not in by_county["alpha"] and "产教融合" in by_county["beta"]
        assert "学前教育" not in by_county["beta"]
        assert top.groupby("county")["rank"].max().le(3).all()
    log_odds = textmine.distinctive_terms(tf, top=1)
    assert log_odds.set_index("county")["term"].to_dict() == {"alpha": "学前教育", "beta": "职业教育"}
    excluded = textmine.distinctive_terms(tf, top=5, exclude=["学前教育"])
    assert "学前教育" not in set(excluded["term"])


def test_kwic_lines_and_contexts(plan):
    hits = textmine.kwic(plan, "督导", width=4)
    assert hits["line"].tolist() == [7, 8]
    first, second = hits.iloc[0], hits.iloc[1]
    assert (first["left"], first["keyword"], first["right"]) == ("二、", "督导", "评估")
    assert (second["left"], second["right"]) == ("完善教育", "机制，依")
    assert plan.line(8)[second["char_start"]:second["char_start"] + 2] == "督导"
    assert hits["source_file"].eq(str(plan.path)).all()


def test_sentences_split_on_marks_and_skip_toc(plan):
    s = textmine.sentences(plan)
    assert 3 not in set(s["line"])
    line5 = s[s["line"] == 5]
    assert line5["sentence"].tolist() == ["加强骨干教师培训。", "实施县管校聘改革；", "推进五育并举！"]
    assert line5["sentence_no"].tolist() == [1, 2, 3]
    for r in line5.itertuples():
        assert plan.line(5)[r.char_start:r.char_end] == r.sentence


def test_code_instruments_one_row_per_keyword(plan):
    coded = textmine.code_instruments(plan)
    assert set(coded.columns) >= {"county", "line", "sentence_no", "category", "subcategory",
                                  "matched_keyword", "sentence"}
    first = coded[(coded["line"] == 5) & (coded["sentence_no"] == 1)]
    assert {"骨干教师", "教师培训"} <= set(first["matched_keyword"])
    assert "培训" not in set(first["matched_keyword"])  # inside the longer 教师培训
    assert set(first["category"]) == {"supply"}
    buying = coded[coded["line"] == 6]
    assert ("demand", "政府购买") in set(zip(buying["category"], buying["subcategory"]))
    rule = coded[coded["line"] == 8]
    assert "依法治教" in set(rule["matched_keyword"]) and "依法" not in set(rule["matched_keyword"])
    assert 3 not in set(coded["line"])  # table of contents


def test_corrections_recode_drop_and_add(plan):
    coded = textmine.code_instruments(plan)
    corrections = pd.DataFrame([
        {"county": "demo", "line": 5, "sentence_no": 1, "category": "drop", "matched_keyword": "教师培训"},
        {"county": "demo", "line": 6, "sentence_no": 1, "category": "environment", "subcategory": "策略性措施"},
        {"county": "demo", "line": 9, "sentence_no": 1, "category": "environment", "subcategory": "目标规划"},
    ])
    fixed = textmine.apply_instrument_corrections(coded, corrections, textmine.sentences(plan))
    first = fixed[(fixed["line"] == 5) & (fixed["sentence_no"] == 1)]
    assert "教师培训" not in set(first["matched_keyword"]) and "骨干教师" in set(first["matched_keyword"])
    line6 = fixed[fixed["line"] == 6]
    assert len(line6) == 1 and line6.iloc[0]["category"] == "environment"
    assert line6.iloc[0]["coded_by"] == "researcher"
    assert 9 not in set(coded["line"])
    added = fixed[fixed["line"] == 9]
    assert added["sentence"].tolist() == [plan.line(9)] and added["coded_by"].tolist() == ["researcher"]
    n_line6 = int((coded["line"] == 6).sum())
    assert n_line6 > 1 and len(fixed) == len(coded) - 1 - (n_line6 - 1) + 1


def test_corrections_from_csv_and_stale_fix_raises(plan, tmp_path):
    coded = textmine.code_instruments(plan)
    csv = tmp_path / "fixes.csv"
    csv.write_text("county,line,sentence_no,category,note\ndemo,8,1,drop,not a policy\n", encoding="utf-8")
    fixed = textmine.apply_instrument_corrections(coded, csv)
    assert 8 not in set(fixed["line"]) and 8 in set(coded["line"])
    stale = pd.DataFrame([{"county": "demo", "line": 99, "sentence_no": 1, "category": "drop"}])
    with pytest.raises(textmine.PlanlibError):
        textmine.apply_instrument_corrections(coded, stale)
    wrong = pd.DataFrame([{"county": "demo", "line": 8, "sentence_no": 1, "category": "供给"}])
    with pytest.raises(textmine.PlanlibError):
        textmine.apply_instrument_corrections(coded, wrong)


CHROME_PLAN = """\
您当前的位置:首页>政务公开>规划计划
[ 索引号 ]1150/2021-00272 [ 发文字号 ]某府发〔2021〕1号
某县教育事业发展“十四五”规划
一、发展目标
加大教育投入，保障教育经费。
表1 主要发展指标
指标
2020年
2025年
教育投入
万元
5000
6000
预期性
培训骨干教师，加强教师培训，提升师资水平。
【打印】
"""


@pytest.fixture
def chrome_plan(tmp_path):
    return write_plan(tmp_path, "chrome", CHROME_PLAN)


def test_analysed_lines_leave_out_furniture_and_tables(chrome_plan):
    """Breadcrumbs, document bars, page tools and a table's cells (its row label 教育投入) are not plan sentences."""
    lines = dict(textmine.analysed_lines(chrome_plan))
    assert 5 in lines and 15 in lines
    for n in (1, 2, 16):  # breadcrumb, document bar, page tools
        assert n not in lines
    assert not set(range(6, 15)) & set(lines)  # the table, title to attribute
    said = textmine.sentences(chrome_plan)
    assert "教育投入" not in set(said["sentence"])
    assert not said["sentence"].str.contains("首页|索引号|打印").any()


def test_funding_sentences_skip_a_table_row_label(chrome_plan, tmp_path):
    from planlib.teach import course

    s = course.funding_sentences(chrome_plan)
    assert s["line"].tolist() == [5]  # not line 10, the table row 教育投入


def test_instrument_shares_count_sentences_not_keyword_hits(chrome_plan):
    """Line 15 holds 骨干教师, 教师培训 and 师资 (several hits): one supply sentence; line 5 (经费) is the other."""
    coded = textmine.code_instruments(chrome_plan)
    assert ((coded["line"] == 15) & (coded["category"] == "supply")).sum() >= 3
    assert set(coded.loc[coded["category"] == "supply", "line"]) == {5, 15}
    shares = textmine.instrument_shares(coded)
    supply = shares[(shares["county"] == "chrome") & (shares["category"] == "supply")].iloc[0]
    assert supply["sentences"] == 2
    assert shares.groupby("county")["share"].sum().round(9).eq(1).all()
    coded_sentences = coded[["line", "sentence_no"]].drop_duplicates()
    assert shares["sentences"].sum() >= len(coded_sentences)  # a sentence counts once per category it holds


def test_noise_terms_units_numbers_and_places(tmp_path):
    """Units, numerals and place names (by jieba's ns tag, or by a 镇/乡/街道 after them) are not terms."""
    noise = textmine.noise_terms(["平方米", "万元", "三年", "白马", "教师队伍", "课后服务", "少儿", "新建"])
    assert set(noise) == {"平方米", "万元", "三年", "白马"}
    assert noise["白马"] == "place" and noise["平方米"] == "unit"  # 少儿 (tagged m) and 新建 (tagged ns) are words


def test_distinctive_terms_drop_noise_and_places_named_before_a_suffix(tmp_path):
    a = write_plan(tmp_path, "alpha", "凤凰镇新建校舍3000平方米。凤凰镇课后服务全覆盖。课后服务提质。投入三年。\n" * 3)
    b = write_plan(tmp_path, "beta", "职业教育产教融合。职业教育校企合作。职业教育质量提高。\n" * 3)
    tf = textmine.term_frequencies([a, b])
    top = textmine.distinctive_terms(tf, top=5, exclude=["某县"])
    alpha = top[top["county"] == "alpha"]["term"].tolist()
    assert "课后服务" in alpha
    assert not {"凤凰", "平方米", "三年"} & set(alpha)
    assert "凤凰" in set(tf[tf["county"] == "alpha"]["term"])  # counted, then left out as a place
    kept = textmine.distinctive_terms(tf, top=50, drop_noise=False)
    assert "平方米" in set(kept["term"])


NOTICE_PLAN = """\
甲县人民政府
关于印发甲县教育事业发展“十四五”
规划的通知
甲府发〔2021〕7号
各乡镇人民政府、街道办事处，县政府各部门：
现将《甲县教育事业发展“十四五”规划》印发给你们，请认真贯彻执行。
甲县人民政府
2021年12月3日
甲县教育事业发展“十四五”规划
（2021—2025年）
为推动教育发展，根据上级纲要，制定本规划。
一、发展目标
（一）总体目标
1.学前教育快速发展。
完善教育督导机制，加强骨干教师培训。
2.骨干教师培训覆盖率100%
"""


def test_front_matter_notice_and_title_are_not_sentences(tmp_path):
    """The transmittal notice (issuer, 关于印发…通知, addressees, 印发给你们, number, date) and the plan's title
    lines are front matter in the document model, left out of text analysis; the preamble before the first
    heading is the plan's own text and stays."""
    from planlib.read.document import Document

    doc = Document(write_plan(tmp_path, "notice", NOTICE_PLAN))
    assert doc.front_matter == {1: "notice", 2: "notice", 3: "notice", 4: "notice", 5: "notice", 6: "notice",
                                7: "notice", 8: "notice", 9: "title", 10: "title"}
    assert not set(doc.front_matter) & set(doc.furniture)  # chrome and front matter are two labels
    lines = dict(textmine.analysed_lines(doc))
    assert 11 in lines and not set(range(1, 11)) & set(lines)
    coded = textmine.code_instruments(doc.plan)
    assert not coded["sentence"].str.contains("印发|通知|“十四五”规划$").any()
    assert 11 in set(coded["line"])  # the preamble (纲要, 规划) is coded


def test_front_matter_only_before_the_first_heading(tmp_path):
    """A line in the body that looks like a title (a 规划 named in a short line) is not front matter."""
    from planlib.read.document import Document

    text = "一、发展目标\n编制学校布局规划\n各学校：\n"
    doc = Document(write_plan(tmp_path, "body", text))
    assert doc.front_matter == {}
    assert {2, 3} <= {n for n, _ in textmine.analysed_lines(doc)}


def test_section_titles_left_out_item_sentences_kept(tmp_path):
    """一、发展目标, （一）总体目标 and 1.学前教育快速发展。 alone on their lines are titles (目标 in them is no
    policy; the section's sentences say it again); 2.骨干教师培训覆盖率100% is a target."""
    plan = write_plan(tmp_path, "notice", NOTICE_PLAN)
    lines = dict(textmine.analysed_lines(plan))
    assert not {12, 13, 14} & set(lines)
    assert 15 in lines
    assert 16 in lines  # an item stating a number (a target in a box) is no title
    coded = textmine.code_instruments(plan)
    assert not {12, 13, 14} & set(coded["line"])


TAB = "\t"
CELLS_PLAN = "\n".join([
    "一、发展目标",
    "加强教师培训，完善督导机制。",
    "表3  幼儿园调整目标",
    TAB + "项目名称",
    TAB + "建设性质",
    "",
    TAB + "甲乙小学扩建项目",
    TAB + "新建",
    TAB + "规划项目",
    TAB + "县教委",
    "",
    "推进校舍建设，保障教育经费。",
    TAB + "专栏3 推进教育现代化规划",
    "完善督导评估机制。",
]) + "\n"


def test_table_captions_and_tab_led_cell_runs_are_table_lines(tmp_path):
    """A caption (表3 …) and a run of tab-led cells that no table reader takes (a project list: 新建, 规划项目)
    are table lines; one tab-led line alone is not a table."""
    plan = write_plan(tmp_path, "cells", CELLS_PLAN)
    assert {3, 4, 5, 7, 8, 9, 10} <= textmine.table_lines(plan)
    lines = dict(textmine.analysed_lines(plan))
    assert 13 not in textmine.table_lines(plan)  # alone: not a table (a box title, left out as a title)
    assert {2, 12, 14} <= set(lines)
    coded = textmine.code_instruments(plan)
    assert not coded["sentence"].isin(["新建", "规划项目", "甲乙小学扩建项目"]).any()
    assert not {3, 4, 5, 7, 8, 9, 10} & set(coded["line"])


def test_noise_terms_names_abbreviation_compounds_and_admin_words():
    """A compound of one-character place abbreviations (川陕: j j), a word for a level of local government (街道,
    乡镇) and a term jieba tags as a person's name are not distinctive terms; content words stay."""
    noise = textmine.noise_terms(["川陕", "街道", "乡镇", "王小明", "社区", "教师队伍", "给排水", "家庭教育"])
    assert noise == {"川陕": "place", "街道": "place", "乡镇": "place", "王小明": "name"}


def test_distinctive_terms_leave_out_the_notice_and_township_words(tmp_path):
    """The notice's words (印发, 通知) and 街道 of 丙丁街道 do not rank as a plan's distinctive terms."""
    a = write_plan(tmp_path, "alpha", NOTICE_PLAN + "丙丁街道课后服务全覆盖。课后服务提质。\n" * 3)
    b = write_plan(tmp_path, "beta", "一、发展目标\n职业教育产教融合。职业教育校企合作。\n" * 3)
    tf = textmine.term_frequencies([a, b])
    alpha_tf = set(tf[tf["county"] == "alpha"]["term"])
    assert not {"印发", "通知", "你们"} & alpha_tf  # the notice is not counted at all
    top = textmine.distinctive_terms(tf, top=10, exclude=["甲县"])
    alpha = set(top[top["county"] == "alpha"]["term"])
    assert "课后服务" in alpha and not {"街道", "丙丁"} & alpha


def test_notice_title_repeated_in_the_body_is_a_running_header(tmp_path):
    """A web page prints the notice's title again at a page break, alone on its line: front matter there too;
    a body sentence that names the notice (…关于印发…的通知》要求，…。) is kept."""
    from planlib.read.document import Document

    text = NOTICE_PLAN + ("甲县人民政府关于印发甲县教育事业发展“十四五”规划的通知\n"
                          "按照《省政府关于印发教育规划的通知》要求，完善督导机制。\n")
    doc = Document(write_plan(tmp_path, "header", text))
    assert doc.front_matter.get(17) == "notice" and 18 not in doc.front_matter
    assert 18 in dict(textmine.analysed_lines(doc))


def test_run_in_heading_title_is_not_a_sentence(tmp_path):
    """（二）优化投入保障机制。 before its section's text on one line is a title (the document's paragraph starts
    after it): not a funding sentence; the text's sentences keep their numbers on the line."""
    from planlib.teach import course

    text = "一、保障措施\n（一）加强领导。建立工作机制。\n（二）优化投入保障机制。加大经费投入，保障教育经费。\n"
    plan = write_plan(tmp_path, "runin", text)
    said = textmine.sentences(plan)
    assert said[said["line"] == 3][["sentence_no", "sentence"]].values.tolist() == [[2, "加大经费投入，保障教育经费。"]]
    assert "（二）优化投入保障机制。" not in set(said["sentence"])
    funding = course.funding_sentences(plan)
    assert funding["sentence"].tolist() == ["加大经费投入，保障教育经费。"]
    assert len(textmine.sentences(plan, include_toc=True)) == len(said) + 3  # every line read: titles too


def test_a_parsed_plan_and_a_fresh_read_leave_out_the_same_table_lines(tmp_path):
    """The build hands text analysis the table lines its parse found; captions and tab-led cell runs,
    which no table reader takes, are left out on that path too (the two paths once differed)."""
    from planlib.build.pipeline import parse_plan
    from planlib.read.text import read_plan
    from planlib.teach.textmine import analysed_lines

    text = ("某县教育事业发展“十四五”规划\n一、发展基础\n全县有小学12所。\n表3 某县幼儿园调整目标\n"
            "\t新建\n\t城南幼儿园\n\t改扩建\n\t规划项目\n二、主要目标\n到2025年，学前三年毛入园率达到95%。\n")
    path = tmp_path / "mou.txt"
    path.write_text(text, encoding="utf-8")
    fresh = analysed_lines(read_plan(path))
    parsed = analysed_lines(parse_plan(path).document)
    assert parsed == fresh
    kept = {line for _, line in fresh}
    assert "表3 某县幼儿园调整目标" not in kept and "\t新建" not in kept
    assert "全县有小学12所。" in kept
