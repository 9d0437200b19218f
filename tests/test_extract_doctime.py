"""The document's time model: genre, report year, part scopes, and the year each target takes from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongfu.model import PlanMeta
from gongfu.plans.doctime import LONG, NEXT_YEAR, PERIOD, REVIEW, THIS_YEAR, document_time
from gongfu.plans.reading import read_plan
from gongfu.plans.targets import extract_targets
from gongfu.text import normalise

WORK_REPORT = """2026年某省政府工作报告
——2026年1月27日在某省第十四届人民代表大会第四次会议上
一、2025年工作回顾
2025年是“十四五”收官之年。全年实现地区生产总值215.6亿元、增长4.1%,城镇新增就业54万人。
一年来,主要做了以下工作。
一是产业升级。新建5G基站1.2万个,比上年增长20%。
二、“十五五”时期主要目标任务
“十五五”时期,地区生产总值年均增长5%左右,研发经费投入强度达到3%。
三、2026年重点工作
今年经济社会发展的主要预期目标是:地区生产总值增长5%左右,城镇新增就业50万人。到2027年,高新技术企业达到1万家。
明年,新建充电桩3000个。
"""


def _time(text: str, title: str = ""):
    norm = normalise(text).text
    return norm, document_time(norm, PlanMeta(title=title))


def _targets(text: str, title: str = ""):
    norm, time = _time(text, title)
    return extract_targets(norm, time=time)


def test_a_work_report_knows_its_year_and_its_parts() -> None:
    norm, t = _time(WORK_REPORT, "2026年某省政府工作报告")
    assert (t.genre, t.report_year, t.horizon) == ("work_report", 2026, 2026)
    scopes = {t.part_at(norm.index(w)).scope for w in ("全年实现", "一是产业", "新建5G")}
    assert scopes == {REVIEW}
    assert t.part_at(norm.index("年均增长5%")).scope == PERIOD
    assert t.part_at(norm.index("今年经济")).scope == THIS_YEAR


def test_targets_take_the_nearest_year_else_their_parts() -> None:
    got = {(x.indicator, x.value): x.year for x in _targets(WORK_REPORT, "2026年某省政府工作报告")}
    assert got == {
        ("地区生产总值", 5.0): 2026,  # this year's part
        ("研发经费投入强度", 3.0): 2030,  # the “十五五” part
        ("城镇新增就业", 50.0): 2026,
        ("高新技术企业", 1.0): 2027,  # an explicit year wins (1 万家)
        ("新建充电桩", 3000.0): 2027,  # 明年
    }


def test_the_review_yields_nothing_with_or_without_a_heading() -> None:
    values = [t.value for t in _targets(WORK_REPORT, "2026年某省政府工作报告")]
    assert 215.6 not in values and 4.1 not in values and 1.2 not in values and 54 not in values
    no_heading = (
        "2026年政府工作报告\n过去一年,全市实现地区生产总值3000亿元,增长5%。\n今年,地区生产总值增长6%左右。\n"
    )
    assert [(t.value, t.year) for t in _targets(no_heading)] == [(6.0, 2026)]


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("到“十五五”末,城镇化率达到70%。", 2030),
        ("“十五五”中期,城镇化率达到68%。", 2028),
        ("“十五五”时期,居民收入年均增长6%。", 2030),
        ("到2035年,人均地区生产总值达到15万元。", 2035),
        ("到本世纪中叶,城乡居民收入倍差缩小到1.5以内。", None),
        ("今年,城镇新增就业50万人。", 2026),
        ("明年,城镇新增就业52万人。", 2027),
    ],
)
def test_time_words_resolve_to_a_year_or_to_none(sentence: str, year: int | None) -> None:
    (t,) = _targets("2026年某市政府工作报告\n三、2026年重点工作\n" + sentence + "\n")
    assert t.year == year


def test_a_period_already_over_is_the_review() -> None:
    # in a 2026 report, 到“十四五”末 (2025) is the past
    assert _targets("2026年某市政府工作报告\n到“十四五”末,城镇化率达到70%。\n") == []


def test_a_today_whose_year_the_document_never_reveals_has_no_year() -> None:
    (t,) = _targets("某市召开会议。今年,城镇新增就业50万人。")
    assert t.year is None


def test_the_five_year_period_in_a_sentence_reveals_this_year() -> None:
    text = "今年市政府工作的总体要求是:稳中求进,奋力实现“十五五”良好开局。\n今年地区生产总值增长5.5%左右。\n"
    norm, t = _time(text)
    assert t.report_year == 2026
    assert [x.year for x in extract_targets(norm, time=t)] == [2026]


def test_an_annual_list_is_dated_by_its_own_year() -> None:
    text = "经投票表决,确定以下十个项目为2023年度嘉兴市政府民生实事项目:\n1.全市新增社区托育机构100家。\n"
    assert [(t.value, t.year) for t in _targets(text)] == [(10.0, 2023), (100.0, 2023)]  # 十个项目 counts too


def test_party_congress_goals_for_the_next_five_years_have_no_year_unless_named() -> None:
    text = (
        "中共某市第十三次代表大会上的报告\n今后五年,我们将努力实现以下目标:\n一是经济实力提升。地区生产总值达到500亿元。\n"
        "二是开放水平提升。到“十四五”末,外贸进出口总额达到50亿元。\n三是生态提升。森林覆盖率达到57%。\n"
    )
    got = [(t.value, t.year) for t in _targets(text, "中共某市第十三次代表大会上的报告")]
    assert got == [(500.0, None), (50.0, 2025), (57.0, None)]  # an item's own year is not its siblings'


def test_a_paragraph_opening_goals_of_a_year_dates_the_items_below() -> None:
    text = (
        "三、今后五年的奋斗目标\n到2027年具体目标:\n——全省地区生产总值达到12万亿元。\n——城镇化率达到76%。\n"
    )
    assert [t.year for t in _targets(text, "在中国共产党某省第十五次代表大会上的报告")] == [2027, 2027]


def test_the_scope_words_and_labels() -> None:
    _, t = _time("2026年某市政府工作报告\n明年,新建充电桩3000个。\n到2035年,基本实现现代化。\n")
    scopes = [p.scope for p in t.parts]
    assert NEXT_YEAR in scopes and (LONG in scopes or PERIOD in scopes)
    assert "政府工作报告" in t.describe() and "2026" in t.describe()


def test_read_plan_needs_no_horizon_and_no_region(tmp_path: Path) -> None:
    p = tmp_path / "report.txt"
    p.write_text(WORK_REPORT, encoding="utf-8")
    plan = read_plan(p)
    assert plan.meta.region_code is None and plan.warnings  # 某省 is no region: a warning, not an error
    assert {t.year for t in plan.targets} == {2026, 2027, 2030}
    assert "报告年份: 2026" in plan.summary and f"指标 {len(plan.targets)} 个" in plan.summary
