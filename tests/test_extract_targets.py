"""The target extractor (指标抽取) on real plans scored against gold labels, and on hand-written sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gold_scoring import predict, scorer
from gongfu.model import Section
from gongfu.plans.targets import extract_targets
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data"

# The plan's end year is plan metadata (PlanMeta.period_end), given here as the service would.
LABELLED = {
    "jiangshan-2021-2025-common-prosperity-action-plan": 2025,
    "jiaxing-2021-common-prosperity-action-plan": 2025,
    "taizhou-2021-2025-common-prosperity-action-plan": 2025,
    "xiuzhou-party-congress-report-excerpt": None,
}


_scorer, _predict = scorer, predict


@pytest.fixture(scope="module")
def scores() -> dict[str, dict]:
    scorer = _scorer()
    out = {}
    for stem, horizon in LABELLED.items():
        original = (DATA / "plans" / f"{stem}.txt").read_text(encoding="utf-8")
        gold = scorer.load_jsonl(str(DATA / "gold" / f"{stem}.jsonl"))
        out[stem] = scorer.score(original, gold, _predict(original, horizon))
    return out


@pytest.mark.parametrize("stem", list(LABELLED))
def test_labelled_plan_meets_quality_bar(stem: str, scores: dict[str, dict]) -> None:
    r = scores[stem]
    print(
        f"\n{stem}: gold={r['gold']} pred={r['pred']} matched={r['matched']} "
        f"strict_f1={r['strict_f1']} detect_f1={r['detect_f1']}"
    )
    detail = json.dumps({k: r[k] for k in ("missed", "spurious", "field_errors")}, ensure_ascii=False)[:2000]
    assert r["strict_f1"] >= 0.90, detail
    assert r["detect_f1"] >= 0.95, detail


def test_score_summary_of_all_labelled_plans(scores: dict[str, dict]) -> None:
    lines = [f"{'plan':<52} {'gold':>5} {'pred':>5} {'strict':>7} {'detect':>7}"]
    for stem, r in scores.items():
        lines.append(f"{stem:<52} {r['gold']:>5} {r['pred']:>5} {r['strict_f1']:>7} {r['detect_f1']:>7}")
    print("\n" + "\n".join(lines))
    assert len(scores) == len(LABELLED)


def test_offsets_point_at_the_figure_in_the_original_traditional_text() -> None:
    original = (DATA / "plans" / "jiaxing-2021-common-prosperity-action-plan.txt").read_text(encoding="utf-8")
    rows = _predict(original, 2025)
    first = next(r for r in rows if r["value"] == 7.8)
    assert original[first["start"] : first["end"]] == "居民人均可支配收入達到7.8萬元"
    assert first["indicator"] == "居民人均可支配收入"


def test_governance_decision_yields_almost_no_targets() -> None:
    original = (DATA / "plans" / "jiaxing-2019-municipal-governance-decision.txt").read_text(encoding="utf-8")
    assert len(_predict(original, None)) <= 3


# ---- hand-written sentences, one per hard construction ------------------------------------------


def targets(text: str, horizon: int | None = 2025, sections: list[Section] | None = None):
    return extract_targets(normalise(text).text, horizon=horizon, sections=sections)


def test_several_targets_in_one_sentence_pair_up_after_fenbie() -> None:
    ts = targets("二级以上幼儿园、普惠性幼儿园在园幼儿占比分别达到80%、92%以上。")
    assert [(t.value, t.unit, t.comparator) for t in ts] == [(80, "%", ">="), (92, "%", ">=")]
    assert ts[0].indicator.startswith("二级以上")
    assert ts[1].indicator == "普惠性幼儿园在园幼儿占比"


def test_fenbie_pairs_use_each_own_span_start() -> None:
    text = "调查失业率、登记失业率分别控制在5.5%、3.5%以下。"
    ts = targets(text)
    assert [(t.indicator, t.value, t.comparator) for t in ts] == [
        ("调查失业率", 5.5, "<="),
        ("登记失业率", 3.5, "<="),
    ]
    assert text[ts[0].start : ts[0].end] == "调查失业率、登记失业率分别控制在5.5%"
    assert text[ts[1].start : ts[1].end] == "登记失业率分别控制在5.5%、3.5%"


def test_striving_target_after_binding_one() -> None:
    ts = targets("地区生产总值确保达到450亿元,力争达到485亿元。")
    assert [(t.indicator, t.value, t.ambition) for t in ts] == [
        ("地区生产总值", 450, "binding"),
        ("地区生产总值", 485, "striving"),
    ]


def test_lizheng_scope_ends_at_the_sentence_and_yields_to_queBao() -> None:
    ts = targets("力争新增高新技术企业1500家以上,确保科技型中小企业5000家以上。森林覆盖率达到70%。")
    assert [t.ambition for t in ts] == ["striving", "binding", "binding"]


def test_nuli_is_not_striving() -> None:
    (t,) = targets("努力实现社会消费品零售总额超3200亿元。")
    assert (t.value, t.comparator, t.ambition) == (3200, ">=", "binding")


def test_range_of_counts_and_of_return_periods() -> None:
    (t,) = targets("创建1到2个国家级度假区。")
    assert (t.value, t.value2, t.unit, t.comparator) == (1, 2, "个", "range")
    ts = targets("按照20~50年一遇防洪标准改造提升全市约5000公里堤防。")
    assert [(t.value, t.value2, t.unit, t.comparator) for t in ts] == [
        (20, 50, "年一遇", "range"),
        (5000, None, "公里", "=="),
    ]


def test_income_band_belongs_to_the_indicator_not_the_value() -> None:
    (t,) = targets("家庭年可支配收入10-50万元的群体比例达到65%。")
    assert (t.value, t.value2, t.unit) == (65, None, "%")
    assert t.indicator == "家庭年可支配收入10-50万元的群体比例"


def test_chinese_numerals() -> None:
    (t,) = targets("确保三分之二以上行政村创成新时代幸福乡村。")
    assert (t.value, t.unit, t.comparator) == (0.6667, "", ">=")
    (t,) = targets("打造万名新时代“禾城工匠”。")
    assert (t.value, t.unit) == (10000, "名")
    (t,) = targets("深化小城市培育试点,打造百个城镇。")
    assert (t.value, t.unit) == (100, "个")


def test_full_width_digits_and_percent() -> None:
    ts = targets("ＧＤＰ达到４５０亿元，城镇化率达到７５％。")
    assert [(t.indicator, t.value, t.unit) for t in ts] == [("GDP", 450, "亿元"), ("城镇化率", 75, "%")]


def test_growth_targets_are_increases_of_the_quantity() -> None:
    (t,) = targets("低收入农户人均可支配收入年均增长10%以上。")
    assert (t.indicator, t.value, t.comparator) == ("低收入农户人均可支配收入", 10, "increase")
    (t,) = targets("国内生产总值增长5%左右。")
    assert (t.comparator, t.qualifier) == ("increase", "左右")
    (t,) = targets("增加学位3450个。")
    assert (t.indicator, t.comparator) == ("学位", "increase")


def test_new_things_counted_are_levels() -> None:
    (t,) = targets("新增学位3450个。")
    assert (t.indicator, t.comparator) == ("新增学位", "==")


def test_per_mille_and_compound_units() -> None:
    ts = targets(
        "货物贸易出口占全国比重达到9.6‰,单位GDP建设用地使用面积降为34平方米/万元,"
        "市区PM2.5平均浓度小于26微克/立方米,万人成讼率控制在70件/万人以下。"
    )
    assert [(t.value, t.unit, t.comparator) for t in ts] == [
        (9.6, "‰", ">="),
        (34, "平方米/万元", "<="),
        (26, "微克/立方米", "<="),
        (70, "件/万人", "<="),
    ]


def test_ratio_without_unit() -> None:
    (t,) = targets("城乡居民收入倍差缩小到1.9以内。")
    assert (t.value, t.unit, t.comparator) == (1.9, "", "<=")


def test_page_that_lost_its_percent_signs_is_flagged_damaged() -> None:
    (t,) = targets("劳动报酬占 GDP 比重超过 50,居民人均收入与人均生产总值之比持续提高。")
    assert (t.value, t.unit, t.comparator, t.damaged) == (50, "%", ">=", True)
    (t,) = targets("深化“五治”融合,全市 50 打造法治中国示范区台州样本。")
    assert (t.value, t.unit, t.damaged) == (50, "", True)


def test_text_cut_by_the_page_is_damaged_without_a_guessed_unit() -> None:
    ts = targets("健全长效机制, 落实土地、资金、贷款“三个不低于 10 29.加快推进强村富民。")
    assert [(t.indicator, t.value, t.unit, t.comparator, t.damaged) for t in ts] == [
        ("土地", 10, "", ">=", True),
        ("资金", 10, "", ">=", True),
        ("贷款", 10, "", ">=", True),
    ]


def test_count_of_a_list_applies_to_each_item() -> None:
    ts = targets("实现救助惠民联办率、救助家庭关爱率、救助问题联办解决率3个100%。")
    assert [(t.indicator, t.value, t.unit) for t in ts] == [
        ("救助惠民联办率", 100, "%"),
        ("救助家庭关爱率", 100, "%"),
        ("救助问题联办解决率", 100, "%"),
    ]


def test_figure_before_the_thing_counted() -> None:
    text = "启动728个禁建自然村整村搬迁,完成永泰里等29个老旧小区综合改造。"
    ts = targets(text)
    assert [(t.indicator, t.value, t.unit) for t in ts] == [
        ("禁建自然村整村搬迁", 728, "个"),
        ("老旧小区综合改造", 29, "个"),
    ]
    assert text[ts[0].start : ts[0].end] == "启动728个禁建自然村整村搬迁"


def test_threshold_with_full_coverage_is_at_least_the_threshold() -> None:
    (t,) = targets("到2022年,年经营性收入20万元以上的行政村实现全覆盖。")
    assert (t.value, t.unit, t.comparator, t.year) == (20, "万元", ">=", 2022)
    assert t.indicator.startswith("年经营性收入(")
    (t,) = targets("全面动态消除家庭人均年收入13000元以下现象。")
    assert (t.value, t.comparator) == (13000, ">=")


def test_modifier_figures_are_part_of_the_indicator() -> None:
    ts = targets("力争5年累计引入亿元以上项目125个,其中10亿元以上项目20个。")
    assert [(t.value, t.unit) for t in ts] == [(125, "个"), (20, "个")]
    (t,) = targets("每千人口拥有3岁以下婴幼儿托位达到3.5个。")
    assert (t.value, t.unit) == (3.5, "个")


def test_baseline_stated_in_the_sentence() -> None:
    (t,) = targets("居民人均可支配收入从2020年的5.5万元提高到2025年的7.8万元。")
    assert (t.indicator, t.value, t.baseline, t.comparator) == ("居民人均可支配收入", 7.8, 5.5, ">=")


def test_year_defaults_to_horizon_or_none() -> None:
    (t,) = targets("森林覆盖率达到70%。", horizon=None)
    assert t.year is None
    (t,) = targets("森林覆盖率达到70%。", horizon=2025)
    assert t.year == 2025


@pytest.mark.parametrize(
    "text",
    [
        "2020年全市生产总值达到5000亿元。",
        "“十三五”期间累计新增城镇就业8万人。",
        "全市已建成城市书房15个。",
        "城镇登记失业率控制在2.8%,比上年下降0.2个百分点。",
        "去年城镇登记失业率降到5.5%。",
        "截至2020年底,森林覆盖率达到70%。",
    ],
)
def test_past_record_sentences_yield_nothing(text: str) -> None:
    assert targets(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "根据嘉政发〔2021〕12号文件,深化“五水共治”。",
        "推进“十四五”规划和“1+3+2”产业体系建设。",
        "打造15分钟品质文化生活圈和1小时交通圈。",
        "2022年10月16日印发,第3次会议通过。",
        "全面落实浙江支持山区26县跨越式高质量发展意见。",
        "优化完善天台、仙居、三门3个山区县发展政策体系。",
        "以家庭人均年收入13000元以下群体为重点。",
        "围绕12个社会领域,谋划一批应用场景。",
        "实施上市100行动计划。",
        "推动PM2.5浓度持续下降,创建3A级景区村庄。",
    ],
)
def test_not_targets(text: str) -> None:
    assert targets(text) == []


def test_review_section_yields_nothing_and_sections_give_paths() -> None:
    text = "一、发展回顾\n全市生产总值达到5000亿元。\n二、主要目标\n(一)经济\n地区生产总值达到9000亿元。\n"
    a = text.index("二、")
    b = text.index("(一)")
    sections = [
        Section("一、", "发展回顾", 1, 0, a, "一"),
        Section("二、", "主要目标", 1, a, len(text), "二"),
        Section("(一)", "经济", 2, b, len(text), "二/一"),
    ]
    (t,) = targets(text, sections=sections)
    assert (t.value, t.section) == (9000, "二/一")
