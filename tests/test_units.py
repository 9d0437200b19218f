"""The one unit converter: families, spelling variants, refusals, and algebraic properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongfu.errors import InputError
from gongfu.units import UnitError, compatible, convert, family, is_known, normalise_unit


def test_billion_yuan_is_ten_yi_yuan():
    assert convert(578.619, "billion yuan", "亿元") == 5786.19
    assert convert(1, "million yuan", "万元") == 100


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (1, "万亿元", "亿元", 10_000),
        (7.8, "万元", "元", 78_000),
        (5, "千元", "元", 5000),
        (9.6, "‰", "%", 0.96),
        (5400868, "人", "万人", 540.0868),
        (1.08, "万套", "套", 10_800),
        (84, "万户", "户", 840_000),
        (1, "万亩", "亩", 10_000),
        (1, "公顷", "亩", 15),
        (1, "平方公里", "公顷", 100),
        (5, "亿斤", "万吨", 25),
        (3.5, "万人次", "人次", 35_000),
        (25, "万元/亩", "元/亩", 250_000),
        (5.5, "万元/人", "元/人", 55_000),
        (34, "平方米/万元", "平方米/元", 0.0034),
        (20, "万吨/日", "吨/天", 200_000),
        (26, "微克/立方米", "毫克/立方米", 0.026),
    ],
)
def test_conversions_within_a_family(value, src, dst, expected):
    assert math.isclose(convert(value, src, dst), expected, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("萬元", "万元"),
        ("億元", "亿元"),
        (" 亿 元 ", "亿元"),
        ("％", "%"),
        ("Percent", "%"),
        ("倍", ""),
        ("倍(城镇/农村)", ""),
        ("倍（城镇/农村）", ""),
        (":1", ""),
        ("1.94:1", ""),
        ("名", "人"),
        ("万名", "万人"),
        ("强", "位"),
        ("万套(户)", "万套"),
        ("ＢＩＬＬＩＯＮ  yuan", "billion yuan"),
        ("μg/m³", "微克/立方米"),
    ],
)
def test_normalise_unit_maps_variants_to_canonical(variant, canonical):
    assert normalise_unit(variant) == canonical


def test_ratio_spellings_convert_to_the_empty_unit():
    assert convert(1.94, "倍(城镇/农村)", "") == 1.94
    assert convert(1.61, ":1", "倍") == 1.61


def test_unknown_unit_is_an_input_error_naming_the_unit():
    with pytest.raises(UnitError, match="unknown unit 'xx'"):
        convert(1, "xx", "元")
    assert issubclass(UnitError, InputError)
    assert not is_known("万亿级")


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("%", "元"),
        ("%", ""),
        ("百分点", "%"),
        ("户", "套"),
        ("个", "家"),
        ("人", "人次"),
        ("岁", "年"),
        ("亩", "吨"),
    ],
)
def test_incompatible_units_refuse_to_convert(src, dst):
    assert not compatible(src, dst)
    with pytest.raises(UnitError, match="incompatible"):
        convert(1, src, dst)


def test_families_are_named():
    assert family("亿元") == "money"
    assert family("万户") == "count:户"
    assert family("件/万人") == "count:件/persons"


_FAMILIES = [
    ["元", "千元", "万元", "百万元", "亿元", "万亿元", "billion yuan"],
    ["%", "‰"],
    ["人", "万人", "亿人"],
    ["平方米", "万平方米", "亩", "万亩", "公顷", "平方公里"],
    ["克", "千克", "斤", "吨", "万吨", "亿斤"],
    ["个", "万个"],
    ["万元/人", "元/人", "亿元/万人"],
]
_pairs = st.sampled_from(_FAMILIES).flatmap(
    lambda f: st.tuples(st.sampled_from(f), st.sampled_from(f), st.sampled_from(f))
)
_values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(
    lambda x: x == 0 or abs(x) > 1e-6
)


@given(units=_pairs, value=_values)
def test_round_trip_returns_the_value(units, value):
    a, b, _ = units
    assert math.isclose(convert(convert(value, a, b), b, a), value, rel_tol=1e-9, abs_tol=1e-9)


@given(units=_pairs, value=_values)
def test_conversion_composes(units, value):
    a, b, c = units
    direct = convert(value, a, c)
    via = convert(convert(value, a, b), b, c)
    assert math.isclose(direct, via, rel_tol=1e-9, abs_tol=1e-9)


@given(value=_values)
def test_converting_to_the_same_unit_is_identity(value):
    assert convert(value, "亿元", "億元") == value
