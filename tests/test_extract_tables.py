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


def test_table_rows_become_binding_targets_with_attribute_and_baseline() -> None:
    ts = targets_from_table(ROWS, horizon=2025)
    assert [
        (t.indicator, t.value, t.unit, t.comparator, t.baseline, t.qualifier, t.year) for t in ts[:2]
    ] == [
        ("居民人均可支配收入", 7.8, "万元", "==", 5.5, "预期性", 2025),
        ("城乡居民收入倍差", 1.55, "", "<=", 1.61, "约束性", 2025),
    ]
    assert all(t.ambition == "binding" for t in ts[:2])
    assert (ts[2].value, ts[2].comparator, ts[2].ambition) == (62, ">=", "striving")


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
