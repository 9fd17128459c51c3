"""What a plan says of itself: title, issuer, document number, dates, period."""
from planlib.extract.metadata import describe
from planlib.read.text import read_plan


def describe_text(tmp_path, text):
    p = tmp_path / "place.txt"
    p.write_text(text, encoding="utf-8")
    return describe(read_plan(p))


def test_fields_from_a_government_page(tmp_path):
    d = describe_text(tmp_path, "首页 > 政策文件\n发文机关 某县人民政府办公室 成文日期 2021年12月09日\n"
                      "发文字号 某府办发〔2021〕198号 发布时间 2021年12月10日\n"
                      "关于印发某县教育事业发展“十四五”规划的通知\n某县教育事业发展“十四五”规划\n"
                      "一、发展基础\n实施学前教育行动计划。\n")
    assert d["title"] == "某县教育事业发展“十四五”规划"
    assert d["issuer"] == "某县人民政府办公室"
    assert d["doc_number"] == "某府办发〔2021〕198号"
    assert (d["date_written"], d["date_published"]) == ("2021-12-09", "2021-12-10")
    assert (d["period_start"], d["period_end"]) == (2021, 2025)


def test_separators_lost_in_copying(tmp_path):
    # 〔2021〕56号 copied as 〔202156; 2021年12月23日 copied as 20211223; a page date before both
    d = describe_text(tmp_path, "当前位置:首页\n2024-03-04\n某县人民政府\n某府发〔202156\n20211223\n"
                      "某县教育事业发展“十四五”规划\n（20212025年）\n")
    assert d["doc_number"] == "某府发〔2021〕56号"
    assert d["date_written"] == "2021-12-23"
    assert d["issuer"] == "某县人民政府"



def test_period_credit_is_not_tied_to_the_14th_plan(tmp_path):
    # a 十五五 plan's own title beats a dated action plan named further down
    d = describe_text(tmp_path, "某县教育事业发展“十五五”规划\n一、发展基础\n"
                      "某县学前教育发展提升行动计划（2026—2030年）\n")
    assert d["title"] == "某县教育事业发展“十五五”规划"
