"""Numbers, units and figures as plans write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongfu.plans.extract.figures import find_figures
from gongfu.plans.extract.numbers import chinese_to_number, fraction_value, parse_arabic
from gongfu.plans.extract.units import UNIT_RE
from gongfu.plans.targets import extract_targets


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百", 100),
        ("百", 100),
        ("万", 10000),
        ("两千五百", 2500),
        ("三万", 30000),
        ("一万二千", 12000),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_to_number(text) == value


def test_not_a_chinese_numeral() -> None:
    assert chinese_to_number("三甲") is None
    assert chinese_to_number("") is None


def test_fractions_read_denominator_first() -> None:
    assert fraction_value("二", "三") == 0.6667
    assert fraction_value("一", "二") == 0.5


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False))
def test_arabic_numbers_round_trip(d) -> None:
    assert parse_arabic(str(d)) == pytest.approx(float(d))


@pytest.mark.parametrize(
    "unit",
    [
        "%",
        "‰",
        "万元",
        "亿元",
        "元",
        "万人次",
        "平方米/万元",
        "微克/立方米",
        "件/万人",
        "万吨/日",
        "万元/人",
        "个",
        "家",
        "所",
        "平方公里",
        "亩",
        "万亩",
        "岁",
        "年",
        "倍",
        "个百分点",
        "万套(户)",
    ],
)
def test_unit_lexicon_knows_the_units_of_the_genre(unit: str) -> None:
    m = UNIT_RE.match(unit)
    assert m is not None and m.group(0) == unit


@given(
    st.floats(min_value=0.01, max_value=99999, allow_nan=False).map(lambda x: round(x, 2)),
    st.sampled_from(["%", "万元", "亿元", "个", "家", "平方米/万元", "微克/立方米", "件/万人"]),
)
def test_any_figure_with_a_known_unit_is_read_back(value: float, unit: str) -> None:
    written = f"{value:.2f}".rstrip("0").rstrip(".")
    (t,) = extract_targets(f"某项指标达到{written}{unit}。", horizon=2025)
    assert (t.value, t.unit, t.comparator) == (pytest.approx(value), unit, ">=")


@pytest.mark.parametrize(
    "text",
    ["PM2.5平均浓度", "3A级景区", "5G基站", "2025年", "2021-2025年", "第3次", "(1)加快发展", "16.完善"],
)
def test_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_figure_with_space_between_number_and_unit() -> None:
    (f,) = find_figures("居民人均可支配收入达到 7.5 万元以上")
    assert (f.value, f.unit, f.hedge, f.hedge_cmp) == (7.5, "万元", "以上", ">=")
