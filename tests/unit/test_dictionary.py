"""The indicator dictionary: its data files are consistent, and real plan wordings map to the right ids."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from planlib import schema
from planlib.extract.dictionary import (
    INDICATORS_FILE,
    DictionaryError,
    domain_of,
    indicators_frame,
    is_excluded_context,
    load_indicators,
    match_indicator,
    normalize_label,
    plausible,
)

INDICATORS = load_indicators()
ALL_ALIASES = [(i.indicator_id, a) for i in INDICATORS.values() for a in i.aliases_zh]


def _id(label, context=""):
    found = match_indicator(label, context)
    return found.indicator_id if found else None


# ----------------------------------------------------------------------------- the data file

def test_dictionary_is_broad_and_has_the_ids_others_use():
    required = {
        "preschool_ger", "preschool_enrollment", "primary_enrollment", "junior_enrollment", "compulsory_enrollment",
        "compulsory_retention_rate", "senior_secondary_enrollment", "general_high_enrollment", "vocational_enrollment",
        "senior_secondary_ger", "higher_ger", "higher_enrollment", "mean_years_schooling",
        "working_age_mean_years_schooling", "edu_spending_budget_share", "inclusive_kindergarten_share",
        "public_kindergarten_share", "key_teachers", "master_teachers", "master_teacher_studios", "principal_studios",
        "teacher_qualification_rate", "dual_qualified_teacher_share", "new_schools", "new_kindergartens",
        "new_school_places",
    }
    assert required <= set(INDICATORS)
    assert len(INDICATORS) >= 40
    assert {i.domain for i in INDICATORS.values()} == set(schema.DOMAINS)


def test_every_entry_is_well_formed():
    for key, ind in INDICATORS.items():
        assert ind.indicator_id == key  # the dictionary is keyed by the id each entry carries
        assert ind.indicator_id.isascii() and ind.indicator_id == ind.indicator_id.lower()
        assert ind.indicator_zh and ind.label_en and ind.definition, ind.indicator_id
        assert ind.domain in schema.DOMAINS
        assert ind.level in schema.LEVELS + ("",)
        assert ind.unit, ind.indicator_id
        assert normalize_label(ind.indicator_zh) in ind.aliases_zh
        if ind.min_value is not None and ind.max_value is not None:
            assert ind.min_value <= ind.max_value, ind.indicator_id
        if ind.unit == "%":
            assert ind.max_value is not None and ind.max_abs_change is not None, ind.indicator_id


def test_no_alias_is_listed_under_two_ids_in_the_yml():
    raw = yaml.safe_load(Path(INDICATORS_FILE).read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for entry in raw["indicators"]:
        for alias in [entry["indicator_zh"], *entry["aliases_zh"]]:
            key = normalize_label(alias)
            assert owner.setdefault(key, entry["indicator_id"]) == entry["indicator_id"], (alias, owner[key])


def test_generic_labels_are_not_aliases():
    raw = yaml.safe_load(Path(INDICATORS_FILE).read_text(encoding="utf-8"))
    aliases = {a for _, a in ALL_ALIASES}
    for measure in raw["generic_measures"]:
        for label in measure["labels"]:
            assert normalize_label(label) not in aliases, label


@pytest.mark.parametrize("indicator_id,alias", ALL_ALIASES)
def test_every_alias_resolves_to_its_own_id(indicator_id, alias):
    assert _id(alias) == indicator_id
    # the same wording as a table row: numbered, with a full-width unit bracket and stray spaces
    assert _id(f"（一） {alias}（%）") == indicator_id
    assert _id(f"3．{alias}（万人）") == indicator_id


def test_a_duplicate_alias_in_a_dictionary_file_is_refused(tmp_path):
    entry = {"label_en": "x", "domain": "enrollment", "level": "", "unit": "%", "definition": "x"}
    doc = {"indicators": [{**entry, "indicator_id": "a_one", "indicator_zh": "甲率", "aliases_zh": ["乙率"]},
                          {**entry, "indicator_id": "a_two", "indicator_zh": "丙率", "aliases_zh": ["乙率"]}]}
    path = tmp_path / "indicators.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DictionaryError, match="乙率"):
        load_indicators(path)


def test_a_bad_domain_in_a_dictionary_file_is_refused(tmp_path):
    doc = {"indicators": [{"indicator_id": "x_rate", "indicator_zh": "甲率", "label_en": "x", "domain": "health",
                           "level": "", "unit": "%", "definition": "x", "aliases_zh": []}]}
    path = tmp_path / "indicators.yml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DictionaryError, match="health"):
        load_indicators(path)


# ----------------------------------------------------------------------------- matching real wordings

@pytest.mark.parametrize("label,context,expected", [
    # indicator-table row labels, as the plans write them (full- and half-width, open brackets)
    ("学前三年毛入园率（%）", "", "preschool_ger"),
    ("学前教育毛入园率(%", "", "preschool_ger"),
    ("学前教育三年毛入园率", "", "preschool_ger"),
    ("在园幼儿数（万人）", "", "preschool_enrollment"),
    ("在园幼儿普惠率", "", "inclusive_kindergarten_share"),
    ("公办园在园幼儿占比", "", "public_kindergarten_share"),
    ("公办幼儿园在园幼儿占比(%", "", "public_kindergarten_share"),
    ("九年义务教育巩固率（%）", "", "compulsory_retention_rate"),
    ("高中阶段毛入学率（%）", "", "senior_secondary_ger"),
    ("高中阶段教育毛入学率(%", "", "senior_secondary_ger"),
    ("高等教育毛入学率（%）", "", "higher_ger"),
    ("高等教育在学总规模(万人)", "", "higher_enrollment"),
    ("人均受教育年限（年）", "", "mean_years_schooling"),
    ("主要劳动年龄人口平均受教育年限（年）", "", "working_age_mean_years_schooling"),
    ("劳动年龄人口平均受教育年限(年)", "", "working_age_mean_years_schooling"),
    ("财政教育支出占公共财政支出比例（%）", "", "edu_spending_budget_share"),
    ("财政性教育经费占一般公共预算支出的比例(%", "", "edu_spending_budget_share"),
    # rows that do not name their level: the section or the parent row does
    ("在校学生数（万人）", "义务教育", "compulsory_enrollment"),
    ("在校学生数", "高中阶段教育", "senior_secondary_enrollment"),
    ("在校学生数（人）", "高中阶段\n教育", "senior_secondary_enrollment"),
    ("其中：普通小学", "在校学生数（万人）", "primary_enrollment"),
    ("普通初中", "在校学生数（万人）", "junior_enrollment"),
    ("其中:普通高中", "在校学生数", "general_high_enrollment"),
    ("中等职业教育", "在校学生数(万人)", "vocational_enrollment"),
    ("巩固率达", "义务教育", "compulsory_retention_rate"),
    # prose: the words before a number
    ("全市九年义务教育巩固率达到", "", "compulsory_retention_rate"),
    ("学前三年毛入学率达", "", "preschool_ger"),
    ("义务教育阶段在校生从2016年的83.31万人增加到2020年的", "", "compulsory_enrollment"),
    ("普通高校在校生从2016年的8.59万人增加到2020年的", "", "higher_enrollment"),
    ("中等职业学校在校生规模达到", "", "vocational_enrollment"),
    ("全市普通高中数量从2016年的42所增加到2020年的", "", "general_high_schools"),
    ("学前三年毛入园率达到93%,普惠性幼儿园覆盖率达到", "", "inclusive_kindergarten_share"),
    ("普惠率保持在95%以上，九年义务教育巩固率保持在", "", "compulsory_retention_rate"),
    ("全县义务教育入学率达", "", "compulsory_ner"),
    ("保持全市义务教育阶段残疾儿童少年入学率超过省定", "", "special_enrollment_rate"),
    ("人均受教育年限由2015年9.13年提高到", "", "mean_years_schooling"),
    ("新增劳动力人均受教育年限达", "", "new_labour_mean_years_schooling"),
    ("在保持教育财政支出占公共财政支出的比例不低于", "", "edu_spending_budget_share"),
    # teachers
    ("到2025年,中职“双师型”教师数量占比达到", "", "dual_qualified_teacher_share"),
    ("职业学校双师型教师比例达", "", "dual_qualified_teacher_share"),
    ("建成9个市县级名师工作室", "", "master_teacher_studios"),
    ("市县级名校长工作室", "", "principal_studios"),
    ("名教师工作室", "", "master_teacher_studios"),
    ("市级骨干教师", "", "key_teachers"),
    ("市县级骨干教师总量达到", "", "key_teachers"),
    ("培育市级骨干校长", "", "key_principals"),
    ("市级学科名师", "", "master_teachers"),
    ("评审正高级教师", "", "senior_title_teachers"),
    ("评选特级教师", "", "special_grade_teachers"),
    ("全县教师学历达标率", "", "teacher_qualification_rate"),
    ("骨干教师达到专任教师总数的", "", "key_teacher_share"),
    ("硕士研究生以上学历教师达到专任教师总数的", "", "teacher_postgraduate_share"),
    ("努力实现义务教育阶段每百名学生至少拥有", "", "key_teachers_per_100_students"),
    ("小学、初中教师本科率达", "", "junior_teacher_bachelor_share"),
    # funding
    ("“十三五”期间,累计教育投入", "", "edu_investment"),
    ("累计落实各类教育资助", "", "student_aid"),
    ("学前教育生均公共财政预算教育事业费支出水平不低于", "", "per_student_recurrent_spending"),
    ("足额保障学校生均公用经费", "", "per_student_public_funds"),
    # schools
    ("新建及改扩建幼儿园", "", "new_kindergartens"),
    ("新建、改扩建幼儿园257所,增加学位", "", "new_school_places"),
    ("新增幼儿学位5000个、中小学学位", "", "new_school_places"),
    ("新建校舍建筑面积", "", "new_building_area"),
    # an open bracket that is not a unit is text, not something to strip
    ("加大城乡、集团(联盟)教师交流力度(其中骨干教师交流比例", "", "teacher_rotation_share"),
    ("“三残儿童”入学率", "", "special_enrollment_rate"),
    ("学前教育财政性经费达财政性教育经费的", "", "preschool_funding_share"),
    ("大班额从“十二五”末期的478个下降到", "", "oversized_classes"),
])
def test_hard_wordings(label, context, expected):
    assert _id(label, context) == expected


def test_whole_population_and_working_age_schooling_are_different_indicators():
    whole, working = _id("人均受教育年限"), _id("劳动年龄人口平均受教育年限")
    assert whole and working and whole != working
    assert _id("主要劳动年龄人口平均受教育年限（年）") == working


@pytest.mark.parametrize("label,context", [
    ("在校学生数（万人）", ""),            # level unknown without its section
    ("在校生人数从2016年的130.23万人增加到2020年的", ""),
    ("普通小学", ""),                      # a bare level needs its parent row
    ("其中：普通小学", "义务教育"),          # a section names no measure
    ("人力资源开发", ""),
    ("", ""),
    ("新建及改扩建幼儿园12所、义务教育学校", ""),  # the kindergartens already have their number
])
def test_ambiguous_or_foreign_labels_match_nothing(label, context):
    assert match_indicator(label, context) is None


def test_a_level_in_the_label_beats_the_context():
    assert _id("普通初中", "义务教育在校学生数") == "junior_enrollment"
    assert _id("义务教育阶段在校学生数", "高中阶段教育") == "compulsory_enrollment"


# ----------------------------------------------------------------------------- domains and exclusions

@pytest.mark.parametrize("text,expected", [
    ("培育市级骨干教师", "teachers"),
    ("教师周转宿舍建设总投资", "funding"),       # money outranks teachers
    ("建成教师周转房", "schools"),               # the compound is a building
    ("新建、改扩建幼儿园", "schools"),
    ("幼儿园在园幼儿数", "enrollment"),
    ("义务教育阶段在校生", "enrollment"),
    ("班主任津贴", "funding"),
    ("学生资助", "funding"),
    ("受益学校", "schools"),
    ("规划的教育脱贫工程项目已全部投入使用", None),  # 投入使用 is not money
    ("充满思政元素的样板课程", None),              # 元素 is not yuan
    ("地区生产总值", None),
])
def test_domain_of(text, expected):
    assert domain_of(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("第3页", True),
    ("第二章", True),
    ("某府发〔2022〕14号", True),
    ("成文日期 2022年06月15日", True),
    ("推进学前教育品质提升 ............26", True),
    ("全县常住人口39万人", True),
    ("地区生产总值增长", True),
    ("GDP", True),
    ("主要劳动年龄人口平均受教育年限", False),
    ("教育投入占GDP比例", False),
    ("实施第四期学前三年行动计划，学前三年毛入学率达", False),
    ("生师比1:13", False),
    ("九年义务教育巩固率达到", False),
])
def test_is_excluded_context(text, expected):
    assert is_excluded_context(text) is expected


# ----------------------------------------------------------------------------- the table and the ranges

def test_indicators_frame_matches_the_schema():
    df = indicators_frame()
    assert list(df.columns) == schema.columns("indicators")
    schema.validate(df, "indicators")
    assert len(df) == len(INDICATORS)
    row = df.set_index("indicator_id").loc["preschool_ger"]
    assert set(row["aliases_zh"].split(";")) == set(INDICATORS["preschool_ger"].aliases_zh)
    df.loc[0, "indicator_zh"] = "changed"  # a copy: callers cannot spoil the cache
    assert indicators_frame().loc[0, "indicator_zh"] != "changed"


def test_ranges_say_what_the_glossary_says():
    assert INDICATORS["preschool_ger"].max_value > 100          # a gross ratio may exceed 100
    assert INDICATORS["senior_secondary_ger"].max_value > 100
    assert 100 <= INDICATORS["compulsory_retention_rate"].max_value <= 105
    assert INDICATORS["higher_enrollment"].min_value == 0        # places with no college report 0


@pytest.mark.parametrize("indicator_id", ["preschool_ger", "compulsory_retention_rate", "primary_enrollment",
                                          "working_age_mean_years_schooling", "edu_spending_budget_share"])
def test_plausible_on_the_edges(indicator_id):
    ind = INDICATORS[indicator_id]
    step = max(abs(ind.max_value), 1) * 1e-6
    for kind in ("baseline", "target"):
        assert plausible(indicator_id, kind, ind.max_value)
        assert plausible(indicator_id, kind, ind.min_value)
        assert not plausible(indicator_id, kind, ind.max_value + step)
        assert not plausible(indicator_id, kind, ind.min_value - step)
    assert plausible(indicator_id, "change", -ind.max_abs_change)   # a change may be negative
    assert plausible(indicator_id, "change", ind.max_abs_change)
    assert not plausible(indicator_id, "change", -ind.max_abs_change - step)
    assert not plausible(indicator_id, "target", math.nan)


def test_plausible_catches_an_unscaled_wan():
    # 在园幼儿数（万人）1.2353 left in 万 instead of persons
    assert not plausible("preschool_enrollment", "baseline", 1.2353)
    assert plausible("preschool_enrollment", "baseline", 1.2353 * 10_000)


def test_plausible_refuses_bad_arguments():
    with pytest.raises(ValueError):
        plausible("preschool_ger", "level", 90)
    with pytest.raises(KeyError):
        plausible("no_such_indicator", "target", 90)
    assert plausible("", "target", 90)  # an unnamed number has no range to break


def test_fit_unit_keeps_agreeing_units_and_finds_shares():
    from planlib.extract.dictionary import fit_unit, match_indicator

    master = match_indicator("名师")
    assert fit_unit(master, "名") is master and fit_unit(master, "人") is master
    assert fit_unit(master, "间") is None          # 名师课堂50间: rooms
    assert fit_unit(match_indicator("骨干教师"), "年") is None  # 五年: a duration
    assert fit_unit(match_indicator("骨干教师"), "%").indicator_id == "key_teacher_share"
    assert fit_unit(match_indicator("大班额"), "%").indicator_id == "oversized_class_share"
    assert fit_unit(match_indicator("大班额"), "人") is None  # 56人以上: a threshold
    assert fit_unit(match_indicator("学前三年毛入园率"), "pp").indicator_id == "preschool_ger"
    assert fit_unit(None, "%") is None


def test_yuan_counts_as_money_only_after_a_number():
    from planlib.extract.dictionary import domain_of

    assert domain_of("建成白马、天元等5个幼儿园") == "schools"
    assert domain_of("发放补助400元") == "funding"
    assert domain_of("按每生每年2000元") == "funding"
    assert domain_of("投入1.3亿元") == "funding"
    assert domain_of("新增市级骨干专业") is None


def test_level_named_prefers_the_longest_level_word():
    from planlib.extract.dictionary import level_named

    assert level_named("（四）着力普及普惠，推进特殊教育品质提升") == "special"
    assert level_named("2.学前教育快速发展") == "preschool"
    assert level_named("专栏5 各类教育发展主要目标任务") == ""


def test_pupils_of_every_level_are_their_own_measure():
    """A sentence that names every level (各级各类) makes a bare 在校生 the place's total, which the
    per-pupil ratios divide by; without such words the level stays unknown (see above)."""
    assert _id("在校学生", "全区有各级各类学校88所，在校学生3.2万人") == "enrollment_total"
    assert _id("在校生人数", "各级各类教育稳步发展，在校生人数达到12万人") == "enrollment_total"
    assert _id("在校学生数（万人）", "") is None


@pytest.mark.parametrize("label,expected", [
    ("累计投入教育经费", "edu_investment"),      # the place's education investment over a period
    ("全区基础教育投入", "basic_edu_investment"),  # basic education only: another scope
    ("其中，区本级投入", "own_level_edu_investment"),  # a part paid from the government's own level
    ("校舍改造工程总投资", "project_investment"),   # one programme, not the place's spending
])
def test_investment_totals_of_different_scope_are_different_measures(label, expected):
    """Per-pupil funding divides an all-level total by all pupils: a part or a project must not pass for it."""
    assert _id(label) == expected


def test_is_excluded_context_is_its_word_lists():
    """The one-search form gives the answer of the lists themselves: a pattern matches, or a word is
    in the folded text and no keep_if word is, over windows of the five plans and edge cases."""
    from planlib.extract.dictionary import _keywords, _plain
    from planlib.paths import RAW_DIR

    kw = _keywords()

    def by_lists(text):
        s = _plain(text)
        if any(p.search(s) for p in kw["patterns"]):
            return True
        return any(w in s.casefold() for w in kw["words"]) and not any(k in s for k in kw["keep_if"])

    texts = ["地区生产总值GDP", "gdp增长", "第3页", "人均不低于人口", "毛入学率人口", "", "某府发〔2022〕14号"]
    for path in sorted(RAW_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts += [line[i:i + n] for i in range(0, len(line), 11) for n in (6, 30)]
    answers = [is_excluded_context(t) for t in texts]
    assert 100 < sum(answers) < len(texts) - 100
    assert answers == [by_lists(t) for t in texts]
