"""Target tables (指标表) read from documents as rows, or flattened into text by a web page."""

from __future__ import annotations

from gongfu.plans.targets import extract_targets, targets_from_table

ROWS = [
    ["序号", "指标", "单位", "2020年", "2025年", "属性"],
    ["1", "居民人均可支配收入", "万元", "5.5", "7.8", "预期性"],
    ["2", "城乡居民收入倍差", "", "1.61", "≤1.55", "约束性"],
    ["3", "森林覆盖率", "%", "61", "力争62以上", "约束性"],
    ["4", "家庭年可支配收入10-50万元群体比例", "%", "72", "[75-80]", "预期性"],
]


def test_table_rows_become_targets_with_attribute_and_baseline() -> None:
    ts = targets_from_table(ROWS, horizon=2025)
    assert [
        (t.indicator, t.value, t.unit, t.comparator, t.baseline, t.qualifier, t.year) for t in ts[:2]
    ] == [
        ("居民人均可支配收入", 7.8, "万元", "==", 5.5, "预期性", 2025),
        ("城乡居民收入倍差", 1.55, "", "<=", 1.61, "约束性", 2025),
    ]
    assert (ts[2].value, ts[2].comparator, ts[2].ambition) == (62, ">=", "striving")


def test_ambition_comes_from_the_attribute() -> None:
    ts = targets_from_table(ROWS, horizon=2025)
    assert [(t.ambition, t.qualifier) for t in ts[:2]] == [("indicative", "预期性"), ("binding", "约束性")]
    # 力争 written in the cell still marks the figure as striving
    assert ts[2].ambition == "striving"
    no_attr = targets_from_table([["指标", "2025年"], ["森林覆盖率", "62"]], horizon=2025)
    assert no_attr[0].ambition == "binding"


def test_rows_stating_a_change_are_increases_and_decreases() -> None:
    text = (
        "指标 | 单位 | 2020年 | 2025年 | 属性\n"
        "单位GDP能耗下降 | % | | 16 | 约束性\n"
        "地区生产总值年均增长 | % | 6.2 | 6以上 | 预期性\n"
        "规上工业增加值增速 | % | | 7 | 预期性\n"
        "人口自然增长率 | ‰ | 3 | ≤5 | 预期性\n"
    )
    assert [
        (t.indicator, t.value, t.comparator, t.qualifier) for t in extract_targets(text, horizon=2025)
    ] == [
        ("单位GDP能耗", 16, "decrease", "约束性"),
        ("地区生产总值", 6, "increase", "预期性 以上"),
        ("规上工业增加值", 7, "increase", "预期性"),
        ("人口自然增长率", 5, "<=", "预期性"),  # a rate named 增长率 is a level
    ]


def test_change_column_gives_decreases_but_a_written_level_bound_is_kept() -> None:
    rows = [
        ["指标", "单位", "基期值", "累计下降", "属性"],
        ["单位GDP二氧化碳排放", "%", "", "18", "约束性"],
        ["单位GDP能耗", "%", "", "14.5以上", "约束性"],
        ["PM2.5平均浓度", "微克/立方米", "30", "≤25", "约束性"],
    ]
    assert [
        (t.indicator, t.value, t.comparator, t.qualifier) for t in targets_from_table(rows, horizon=2025)
    ] == [
        ("单位GDP二氧化碳排放", 18, "decrease", "约束性"),
        ("单位GDP能耗", 14.5, "decrease", "约束性 以上"),
        ("PM2.5平均浓度", 25, "<=", "约束性"),
    ]


def test_table_targets_take_the_section_they_stand_under() -> None:
    from gongfu.plans.outline import parse_outline

    text = (
        "一、主要目标\n到2025年,主要指标如下。\n指标 | 单位 | 2020年 | 2025年 | 属性\n"
        "森林覆盖率 | % | 61 | 62 | 约束性\n二、重点任务\n城镇化率达到70%。\n"
    )
    ts = extract_targets(text, sections=parse_outline(text), horizon=2025)
    assert [(t.indicator, t.section) for t in ts] == [("森林覆盖率", "一"), ("城镇化率", "二")]


def test_named_columns_for_base_and_target_values() -> None:
    rows = [
        ["指标名称", "单位", "基期值", "目标值", "指标属性"],
        ["常住人口城镇化率", "%", "70", "75", "预期性"],
    ]
    (t,) = targets_from_table(rows, horizon=2025)
    assert (t.value, t.baseline, t.year, t.qualifier) == (75, 70, 2025, "预期性")


def test_not_a_target_table() -> None:
    assert targets_from_table([["姓名", "单位"], ["张三", "市发改委"]], horizon=2025) == []
    assert targets_from_table([], horizon=2025) == []


def test_flattened_table_in_text_gives_targets_with_offsets() -> None:
    text = (
        "主要指标如下。\n指标 | 单位 | 2020年 | 2025年 | 属性\n"
        "居民人均可支配收入 | 万元 | 5.5 | 7.8 | 预期性\n"
        "城镇化率 | % | 70 | 75 | 约束性\n森林覆盖率达到70%。\n"
    )
    ts = extract_targets(text, horizon=2025)
    assert [(t.indicator, t.value, t.baseline) for t in ts] == [
        ("居民人均可支配收入", 7.8, 5.5),
        ("城镇化率", 75, 70),
        ("森林覆盖率", 70, None),
    ]
    assert text[ts[0].start : ts[0].end] == "居民人均可支配收入 | 万元 | 5.5 | 7.8"


def test_flattened_table_with_whitespace_cells() -> None:
    text = "指标    单位    基期值    目标值\n人均预期寿命    岁    81    82\n"
    (t,) = extract_targets(text, horizon=2025)
    assert (t.indicator, t.value, t.unit, t.baseline) == ("人均预期寿命", 82, "岁", 81)
