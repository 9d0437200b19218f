"""The consistency rules of a cascade, on worked examples computed by hand (see each test's comment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongfu.cascade.consistency import Child, aggregate, check
from gongfu.catalog.catalog import NATURES, load_catalog


def kids(*targets, weights=None):
    weights = weights or [None] * len(targets)
    return [
        Child(chr(65 + i), chr(65 + i), t, w) for i, (t, w) in enumerate(zip(targets, weights, strict=True))
    ]


def test_totals_that_add_up_are_consistent():
    # 40 + 35 + 30 = 105 ≥ 100
    v = check("total", "higher", 100, kids(40, 35, 30))
    assert (v.status, v.aggregate, v.shortfall) == ("consistent", 105, 0)
    assert v.short_children == []


def test_a_short_total_says_by_how_much_and_names_the_children_below_an_even_share():
    # 40 + 30 + 20 = 90: 10 short of 100; even share 100/3 = 33.33: B is 3.33 below, C 13.33 below
    v = check("total", "higher", 100, kids(40, 30, 20), unit="亿元")
    assert v.status == "short" and v.shortfall == pytest.approx(10)
    assert [(c.name, round(c.gap, 2)) for c in v.short_children] == [("B", 3.33), ("C", 13.33)]
    assert "差10亿元" in v.message and "B（差3.333亿元）" in v.message


def test_a_short_total_with_weights_uses_each_childs_weight_share():
    # weights 50/30/20 of 100 → fair shares 50, 30, 20; only A (40 < 50) is short, by 10
    v = check("total", "higher", 100, kids(40, 30, 20, weights=[50, 30, 20]))
    assert v.weighted and v.status == "short"
    assert [(c.name, c.gap) for c in v.short_children] == [("A", pytest.approx(10))]


def test_a_lower_is_better_total_is_a_cap():
    # an energy cap of 100 split 30 + 40 + 35 = 105: 5 over; even share 33.33: B (+6.67) and C (+1.67) over it
    v = check("total", "lower", 100, kids(30, 40, 35))
    assert v.status == "short" and v.shortfall == pytest.approx(5)
    assert [c.name for c in v.short_children] == ["B", "C"]


def test_per_capita_targets_are_checked_by_the_population_weighted_mean():
    # (62000×100 + 55000×50) / 150 = 8 950 000 / 150 = 59 666.67 < 60 000: short by 333.33; B below the parent
    v = check("per_capita", "higher", 60000, kids(62000, 55000, weights=[100, 50]), unit="元")
    assert v.status == "short" and v.aggregate == pytest.approx(59666.6667)
    assert v.shortfall == pytest.approx(333.3333)
    assert [c.name for c in v.short_children] == ["B"]
    # with B's weight halved: (6 200 000 + 1 375 000) / 125 = 60 600 ≥ 60 000, so nobody is to blame
    ok = check("per_capita", "higher", 60000, kids(62000, 55000, weights=[100, 25]))
    assert ok.status == "consistent" and ok.aggregate == pytest.approx(60600) and ok.short_children == []


def test_rates_without_weights_are_decided_only_when_every_child_is_on_one_side():
    assert check("rate", "higher", 70, kids(72, 71)).status == "consistent"  # any mean of 71..72 ≥ 70
    below = check("rate", "higher", 70, kids(66, 68), unit="%")
    assert below.status == "short" and below.shortfall == pytest.approx(
        2
    )  # the mean is at best 68: ≥ 2 short
    mixed = check("rate", "higher", 70, kids(72, 66), unit="%")
    assert mixed.status == "unknown" and "缺少权重" in mixed.message and "B（差4个百分点）" in mixed.message


def test_floors_hold_for_every_child():
    # 95% floor: 96 holds, 94.5 misses by 0.5 points
    v = check("floor", "higher", 95, kids(96, 94.5), unit="%")
    assert v.status == "short" and v.aggregate == 94.5 and v.shortfall == pytest.approx(0.5)
    assert [c.name for c in v.short_children] == ["B"]
    assert check("floor", "higher", 95, kids(95, 99)).status == "consistent"


def test_ratios_are_not_aggregated_but_each_child_compared():
    # 倍差 ≤ 1.9: 1.85 is better, 1.95 worse by 0.05
    v = check("ratio", "lower", 1.9, kids(1.85, 1.95))
    assert v.status == "not_aggregated" and v.aggregate is None
    assert [(c.name, round(c.gap, 2)) for c in v.short_children] == [("B", 0.05)]


def test_children_without_a_target_are_named_and_a_total_cannot_be_complete_without_them():
    v = check("total", "higher", 100, [Child("a", "A", 120), Child("b", "B", None)])
    assert v.status == "consistent" and v.missing == ["B"]  # 120 already covers 100
    v = check("total", "higher", 100, [Child("a", "A", 60), Child("b", "B", None)])
    assert v.status == "short" and v.shortfall == 40 and "未分解：B" in v.message
    assert check("floor", "higher", 95, [Child("a", "A", 96), Child("b", "B", None)]).status == "unknown"


@settings(derandomize=True, max_examples=60)
@given(st.lists(st.tuples(st.floats(1, 1e6), st.floats(0.1, 1e4)), min_size=1, max_size=8), st.floats(1, 1e6))
def test_a_weighted_mean_lies_between_the_children_and_decides_alike(pairs, parent):
    values, weights = [p[0] for p in pairs], [p[1] for p in pairs]
    mean = aggregate("rate", values, weights)
    assert min(values) - 1e-6 <= mean <= max(values) + 1e-6
    v = check("rate", "higher", parent, kids(*values, weights=weights))
    assert (v.status == "consistent") == (mean >= parent - 1e-9 * max(1.0, parent))


def test_every_catalog_indicator_has_a_nature_and_a_known_weight():
    cat = load_catalog()
    for ind in cat:
        assert ind.nature in NATURES, ind.code
        assert ind.weight_by == "" or ind.weight_by in cat, (ind.code, ind.weight_by)
    assert cat.get("gdp").nature == "total" and cat.get("urban_rural_income_ratio").nature == "ratio"
    assert cat.get("per_capita_disposable_income").weight_by == "resident_population"
    assert cat.get("basic_pension_coverage").nature == "floor"
