"""The past-versus-goal judge: every candidate carries the rules' verdict, the shipped model decides."""

from __future__ import annotations

from gongfu.model import PlanMeta
from gongfu.plans.doctime import document_time
from gongfu.plans.extract.tense import Harvest, PastGoalJudge, RulesOnly, default_judge
from gongfu.plans.targets import extract_targets
from gongfu.text import normalise

REPORT = """2026年某市政府工作报告
一、2025年工作回顾
全年实现地区生产总值215.6亿元、增长4.1%,城镇新增就业5.4万人。
二、2026年重点工作
今年的主要预期目标是:地区生产总值增长5%左右,城镇新增就业5万人以上。
全市已建成口袋公园12个。
"""


def _read(judge):
    norm = normalise(REPORT).text
    time = document_time(norm, PlanMeta(title="2026年某市政府工作报告"))
    return norm, extract_targets(norm, time=time, judge=judge)


def test_figures_the_tense_rules_set_aside_are_candidates_with_their_reason() -> None:
    harvest = Harvest()
    _, every = _read(harvest)
    reasons = {c.target.value: c.rejected for c in harvest.candidates}
    review = dict.fromkeys((215.6, 4.1, 5.4), "review_part")  # shown to a judge in training only
    assert reasons == {5.0: "", 12.0: "past_word", **review}  # 口袋公园12个 follows 已
    assert len(every) == len(harvest.candidates) == 6
    assert all("rule=" + (c.rejected or "kept") in c.features for c in harvest.candidates)


def test_shipped_judge_keeps_the_goals_and_drops_the_record() -> None:
    judge = default_judge()
    assert isinstance(judge, PastGoalJudge)  # the model ships inside the package
    _, kept = _read(judge)
    assert [(t.value, t.year) for t in kept] == [(5.0, 2026), (5.0, 2026)]
    assert [t.value for t in _read(RulesOnly())[1]] == [t.value for t in kept]


def test_a_judge_is_a_linear_score_over_binary_features() -> None:
    judge = PastGoalJudge({"rule=kept": 2.0, "m:yi": -3.0}, -0.5)
    assert judge.score(["rule=kept"]) == 1.5
    assert judge.score(["rule=kept", "m:yi"]) < 0
