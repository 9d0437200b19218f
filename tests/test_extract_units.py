"""One unit vocabulary: every unit word the extractor reads after a figure is one the converter knows."""

from __future__ import annotations

import pytest

from gongfu.plans.extract.units import _BASE, _MAG, UNIT_RE
from gongfu.plans.targets import extract_targets
from gongfu.text import normalise
from gongfu.units import convert, is_known, normalise_unit, unit_words

MAGNITUDES = _MAG.strip("(?:)").split("|")
UNSCALED = ("岁", "年", "天", "倍", "强", "位", "周岁", "个百分点", "百分点")


def test_every_base_word_of_the_extractor_is_a_converter_unit() -> None:
    assert set(_BASE) <= set(unit_words())
    unknown = [w for w in _BASE if not is_known(w)]
    assert unknown == []


def test_every_magnitude_with_every_scalable_word_is_known() -> None:
    # 万标箱, 亿美元, 万人次 …: what the extractor's pattern can read, the converter can convert
    unknown = []
    for w in _BASE:
        for m in MAGNITUDES:
            u = m + w
            if m.endswith(("千", "百")) and normalise_unit(w).startswith("千"):
                continue  # 千千瓦 is no unit anyone writes
            # words that take no magnitude (岁, 年, 倍 …) may be read with one but need no scaling
            if UNIT_RE.fullmatch(u) and not is_known(u) and w not in UNSCALED:
                unknown.append(u)
    assert unknown == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("港口集装箱吞吐量达到3500万标箱。", 3500, "万标箱"),
        ("新增光伏装机容量200兆瓦。", 200, "兆瓦"),
        ("实际使用外资达到50亿美元。", 50, "亿美元"),
        ("中欧班列年开行量保持在4800列。", 4800, "列"),
        ("开展义诊活动1000场次。", 1000, "场次"),
        ("累计开行4000班次。", 4000, "班次"),
        ("完成器官移植手术800例。", 800, "例"),
        ("开设职业培训课程200门。", 200, "门"),
        ("抽检食品安全5000批次。", 5000, "批次"),
        ("供应经营性用地120宗。", 120, "宗"),
    ],
)
def test_measure_words_beyond_the_old_fixed_list_keep_their_unit(text: str, value: float, unit: str) -> None:
    (t,) = extract_targets(normalise(text).text, horizon=2026)
    assert (t.value, t.unit) == (value, unit)
    assert is_known(t.unit)


def test_new_units_convert_within_their_family() -> None:
    assert convert(2, "万标箱", "标箱") == 20_000
    assert convert(1, "兆瓦", "千瓦") == 1000
    assert convert(3, "亿美元", "万美元") == 30_000
    assert convert(1, "亿千瓦", "万千瓦") == 10_000
    assert not is_known("万亿级")  # a scale class, not a unit
