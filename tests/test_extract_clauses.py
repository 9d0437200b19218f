"""The target clause, parsed: the measured noun on either side of the figure, lists, doublings, rankings,
allocations, action verbs versus change verbs, Chinese numerals (GUIDELINES "Documents beyond action plans")."""

from __future__ import annotations

import pytest

from gongfu.plans.extract.numbers import chinese_to_number
from gongfu.plans.targets import extract_targets
from gongfu.text import normalise


def targets(text: str, horizon: int | None = 2026):
    return [
        (t.indicator, t.value, t.unit, t.comparator, t.ambition)
        for t in extract_targets(normalise(text).text, horizon=horizon)
    ]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一亿五千万", 150_000_000), ("两千五百", 2500), ("一万二", 12_000), ("一百零五", 105), ("万", 10_000)],
)
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_number(numeral) == value


def test_doubling_is_two_times() -> None:
    assert targets("到2035年,人均地区生产总值比2020年翻一番。") == [
        ("人均地区生产总值", 2.0, "倍", "==", "binding")
    ]
    assert targets("实施“双倍增”行动。") == []  # a programme's name


def test_rankings_are_at_most_the_rank_and_zheng_marks_the_striving_one() -> None:
    assert targets("地区生产总值保5争4。") == [
        ("地区生产总值", 5.0, "", "<=", "binding"),
        ("地区生产总值", 4.0, "", "<=", "striving"),
    ]
    assert targets("区域创新能力保持全国前十。") == [("区域创新能力", 10.0, "", "<=", "binding")]
    assert targets("前三季度完成投资。") == []


def test_allocations_are_targets() -> None:
    assert targets("赤字率按2.8%安排。") == [("赤字率", 2.8, "%", "==", "binding")]
    assert targets("地区生产总值按增长6%安排。") == [("地区生产总值", 6.0, "%", "increase", "binding")]


def test_from_a_and_b_to_c_and_d_gives_the_end_values() -> None:
    got = targets("城镇和农村居民人均可支配收入分别从4万元和2万元提高到6万元、3万元。")
    assert [(i, v) for i, v, *_ in got] == [("城镇", 6.0), ("农村居民人均可支配收入", 3.0)]


def test_a_rate_shared_by_a_list_gives_one_record_each() -> None:
    got = targets("固定资产投资、工业投资、服务业投资均增长12%左右。")
    assert [(i, v, c) for i, v, _, c, _ in got] == [
        ("固定资产投资", 12.0, "increase"),
        ("工业投资", 12.0, "increase"),
        ("服务业投资", 12.0, "increase"),
    ]
    # a task before the indicator is no list of indicators
    assert [i for i, *_ in targets("加快签约服务扩面提质、重点人群家庭医生签约覆盖率达到80%。")] == [
        "重点人群家庭医生签约覆盖率"
    ]


def test_the_measured_noun_after_the_figure_when_a_verb_or_preposition_stands_before_it() -> None:
    assert targets("为800个老旧小区引入物业服务。")[0][:3] == ("老旧小区引入物业服务", 800.0, "个")
    assert targets("稳妥推进55个扩面试点项目。")[0][:3] == ("扩面试点项目", 55.0, "个")


def test_action_verbs_count_the_work_change_verbs_state_a_change() -> None:
    assert targets("改造提升农村公路1800公里。")[0][3] == "=="
    assert targets("新建提升省级片区100个。")[0][3] == "=="
    assert targets("居民收入提高5%。")[0][3] == "increase"
    assert targets("增加学位3450个。")[0][3] == "increase"  # a quantity that grows by 3450


def test_a_hedge_upward_after_a_figure_is_no_ambition() -> None:
    got = targets("经济增长5%左右、在实际工作中努力争取更好结果,城镇新增就业110万人以上。")
    assert [a for *_, a in got] == ["binding", "binding"]
    assert [a for *_, a in targets("力争省级高新区全覆盖,新增高新技术企业1500家以上。")] == ["striving"]


def test_record_words_in_a_forward_part_void_their_own_clause_only(tmp_path) -> None:
    from gongfu.plans.reading import read_plan

    p = tmp_path / "r.txt"
    p.write_text(
        "2026年某省政府工作报告\n三、2026年重点工作\n粮食产量1300亿斤以上、比去年增长2%,城镇新增就业110万人。\n",
        encoding="utf-8",
    )
    assert [(t.value, t.year) for t in read_plan(p).targets] == [(1300.0, 2026), (110.0, 2026)]


def test_details_in_brackets_and_time_words_are_no_indicators() -> None:
    assert [v for _, v, *_ in targets("新建登山健身步道30条(每条5公里以上)。")] == [30.0]
    got = targets("确保新建项目开工率一季度达到50%以上、上半年达到80%。")
    assert [(i, v) for i, v, *_ in got] == [("新建项目开工率", 50.0), ("新建项目开工率", 80.0)]


def test_a_chinese_numeral_count_of_livelihood_projects_is_a_target() -> None:
    assert targets("今年将办好这十件民生实事。") == [("民生实事", 10.0, "件", "==", "binding")]
    found = targets("确定十个项目为2023年度嘉兴市政府民生实事项目。")
    assert [(name, value, unit) for name, value, unit, _, _ in found] == [
        ("嘉兴市政府民生实事项目", 10.0, "个")
    ]
    assert targets("用心办好每一件民生实事。") == []  # every one of them: no count
