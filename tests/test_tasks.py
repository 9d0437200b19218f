"""Plan tasks: task items of the outline, their parts, responsible units and targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongfu.model import Target
from gongfu.plans.furniture import furniture_ranges
from gongfu.plans.outline import parse_outline
from gongfu.plans.tasks import extract_tasks, responsible_units
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data" / "plans"


def tasks_of(name: str):
    original = (DATA / name).read_text("utf-8")
    text = normalise(original, drop=furniture_ranges(original)).text
    return text, extract_tasks(text, parse_outline(text), [])


def test_county_plan_tasks_are_items_and_their_parts_without_safeguards():
    text, tasks = tasks_of("jiangshan-2021-2025-common-prosperity-action-plan.txt")
    items = [t for t in tasks if not t.section.endswith("是")]
    # items 1…25 are tasks; 26…32 sit under the safeguards chapter (九、…保障措施和推进机制)
    assert [t.section.split("/")[-1] for t in items] == [str(i) for i in range(1, 26)]
    assert len(tasks) - len(items) == 77  # the 一是/二是 parts
    first = tasks[0]
    assert first.section == "二/1" and first.title == "深化“融衢接杭”融入区域一体化格局"
    assert first.text == text[first.start : first.end]
    assert first.text.startswith("1.深化“融衢接杭”") and first.text.endswith("。")
    assert [t.section for t in tasks[1:4]] == ["二/1/一是", "二/1/二是", "二/1/三是"]
    assert tasks[3].end == first.end  # the last part ends with its item


@pytest.mark.parametrize(
    ("name", "count", "first", "last"),
    [
        ("jiaxing-2021-common-prosperity-action-plan.txt", 39, "二/(一)/1", "二/(八)/39"),
        ("taizhou-2021-2025-common-prosperity-action-plan.txt", 34, "二/4", "十/41"),
        # 一/(二)/1-3 are 指导思想/基本原则/主要目标; 八 is 加强组织领导
        ("jiaxing-2019-municipal-governance-decision.txt", 27, "二/1", "七/3"),
        ("xiuzhou-party-congress-report-excerpt.txt", 3, "(三)", "(五)"),
    ],
)
def test_sample_plans_task_lists(name, count, first, last):
    _, tasks = tasks_of(name)
    assert len(tasks) == count
    assert (tasks[0].section, tasks[-1].section) == (first, last)


SYNTHETIC = (
    "某市共同富裕行动方案\n"
    "一、总体要求\n"
    "1.指导思想。坚持以人民为中心。\n"
    "二、重点任务\n"
    "(一)产业提升\n"
    "1.做强制造业。到2025年,规上工业增加值达到500亿元。"
    "(牵头单位:市经信局;配合单位:市发改委、市财政局、各县(市、区)政府等)\n"
    "2.扩大有效投资。一是强化招商,新引进亿元项目50个;二是加快建设。责任单位:市发改委,市商务局\n"
    "三、保障措施\n"
    "1.加强组织领导。由市委统一领导。\n"
)


def test_synthetic_plan_units_parts_and_targets():
    text = SYNTHETIC
    sections = parse_outline(text)
    targets = [
        Target(
            "规上工业增加值", 500, "亿元", ">=", 2025, start=text.index("规上"), end=text.index("亿元") + 2
        ),
        Target("亿元项目", 50, "个", "==", 2025, start=text.index("亿元项目"), end=text.index("50个") + 2),
        Target("表内指标", 1, "", "==", 2025),  # from a table: no offsets, in no task
    ]
    tasks = extract_tasks(text, sections, targets)
    assert [t.section for t in tasks] == ["二/(一)/1", "二/(一)/2", "二/(一)/2/一是", "二/(一)/2/二是"]
    manufacturing, investment, part1, part2 = tasks
    assert manufacturing.title == "做强制造业"
    assert manufacturing.lead_units == ["市经信局"]
    assert manufacturing.co_units == ["市发改委", "市财政局", "各县(市、区)政府"]
    assert manufacturing.target_indexes == [0]
    assert investment.lead_units == ["市发改委", "市商务局"]
    assert investment.target_indexes == [1]
    assert part1.target_indexes == [1] and part1.title == "强化招商"
    assert part2.target_indexes == []


def test_chapter_without_general_title_is_kept_when_in_doubt():
    text = "一、产业\n1.做强制造业。\n2.扩大投资。\n二、其他事项\n3.加强宣传。\n"
    tasks = extract_tasks(text, parse_outline(text), [])
    assert [t.section for t in tasks] == ["一/1", "一/2", "二/3"]


def test_no_outline_no_tasks():
    assert extract_tasks("没有任何编号的文字。", [], []) == []


@pytest.mark.parametrize(
    ("text", "lead", "co"),
    [
        ("(牵头单位:市发改委;配合单位:市财政局、市人力社保局)", ["市发改委"], ["市财政局", "市人力社保局"]),
        ("(牵头部门:市教育局,市卫健委)", ["市教育局", "市卫健委"], []),
        ("责任单位:各县(市、区)政府、市级有关部门\n", ["各县(市、区)政府", "市级有关部门"], []),
        ("由市发改委牵头推进落实。", [], []),
    ],
)
def test_responsible_units(text, lead, co):
    assert responsible_units(text) == (lead, co)
