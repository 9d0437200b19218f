"""The measure definitions: hand-computed cases, mathematical properties, and PySAL `inequality` agreement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongfu.distribution import measures as M
from gongfu.errors import InputError

incomes = st.lists(st.floats(1.0, 1e6, allow_nan=False), min_size=2, max_size=40)
int_weights = st.integers(1, 5)


def test_gini_of_one_to_four_is_a_quarter() -> None:
    # Σ|xi−xj| over ordered pairs = 20, 2·n²·μ = 80
    assert M.gini([1, 2, 3, 4]) == pytest.approx(0.25, rel=1e-15)


def test_weighted_gini_equals_gini_of_duplicated_rows_by_hand() -> None:
    # {1, 3, 3}: Σ|xi−xj| = 8 over ordered pairs, 2·9·(7/3) = 42
    assert M.gini([1, 3], [1, 2]) == pytest.approx(4 / 21, rel=1e-14)


def test_equal_incomes_have_zero_gini_and_theil() -> None:
    assert M.gini([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)
    assert M.theil_t([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)
    assert M.theil_l([5, 5, 5]) == pytest.approx(0.0, abs=1e-15)


def test_theil_t_and_l_by_hand() -> None:
    y = [1, 1, 4, 4]  # mean 2.5
    assert M.theil_t(y) == pytest.approx(0.5 * (0.4 * math.log(0.4) + 1.6 * math.log(1.6)), rel=1e-13)
    assert M.theil_l(y) == pytest.approx(0.5 * (math.log(2.5) + math.log(2.5 / 4)), rel=1e-13)


def test_quantile_shares_split_the_straddling_person() -> None:
    y = [1, 2, 3, 4]  # total 10, each person is 25% of the population
    assert M.lorenz_share(y, None, 0.2) == pytest.approx(0.08)  # 0.8 of the poorest person
    assert M.lorenz_share(y, None, 0.4) == pytest.approx(0.22)  # 1 + 0.6·2
    assert 1 - M.lorenz_share(y, None, 0.9) == pytest.approx(0.16)  # 0.4 of the richest
    assert 1 - M.lorenz_share(y, None, 0.8) == pytest.approx(0.32)


def test_finish_gives_s80_s20_and_palma_from_the_same_shares() -> None:
    import polars as pl

    from gongfu.distribution.engine_memory import prepare, stats
    from gongfu.distribution.spec import Columns, Rules

    cfg = M.MeasureConfig()
    df = pl.DataFrame({"inc": [1.0, 2.0, 3.0, 4.0]})
    out = M.finish(stats(prepare(df, Columns("inc"), Rules(), cfg), cfg), cfg)
    assert out["bottom20_share"] == pytest.approx(8.0)
    assert out["top10_share"] == pytest.approx(16.0)
    assert out["s80_s20"] == pytest.approx(0.32 / 0.08)
    assert out["palma_ratio"] == pytest.approx(0.16 / 0.22)


def test_weighted_median_averages_at_exact_half() -> None:
    assert M.weighted_median([1, 2, 3, 4]) == 2.5
    assert M.weighted_median([1, 2, 3], [1, 1, 2]) == 2.5  # F(2) = ½ exactly
    assert M.weighted_median([1, 2, 3], [2, 1, 1]) == 1.5
    assert M.weighted_median([1, 2, 3], [1, 3, 1]) == 2.0


def test_middle_income_band_is_closed_below_and_open_above() -> None:
    assert M.band_share([90_000, 100_000, 499_999, 500_000], None, 100_000, 500_000) == 50.0


def test_low_income_counts_households_strictly_below_the_line() -> None:
    assert M.low_income([12_999, 13_000], [3, 1], 13_000) == (3.0, 75.0)


def test_two_groups_with_equal_incomes_inside_have_only_between_inequality() -> None:
    d = M.theil_by_group([2, 2, 1, 1], None, ["城镇", "城镇", "农村", "农村"])
    assert d["theil_t_within"] == pytest.approx(0.0, abs=1e-15)
    assert d["theil_t_between"] == pytest.approx(d["theil_t"], rel=1e-14)
    assert d["theil_t_between_share"] == pytest.approx(100.0)
    assert d["theil_l_between"] == pytest.approx(d["theil_l"], rel=1e-14)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: M.gini([1, float("nan")]), "缺失"),
        (lambda: M.gini([1, 2], [1, 0]), "权重须为正"),
        (lambda: M.gini([1, 2], [1, -1]), "权重须为正"),
        (lambda: M.theil_l([0, 2]), "正的收入"),
        (lambda: M.theil_t([-1, 2]), "正的收入"),
        (lambda: M.gini([-1, 2]), "非负"),
        (lambda: M.gini([]), "非空"),
    ],
)
def test_bad_input_is_a_clear_error_never_nan(call, message) -> None:
    with pytest.raises(InputError, match=message):
        call()


@settings(max_examples=150, deadline=None)
@given(incomes)
def test_gini_lies_in_zero_one(y) -> None:
    g = M.gini(y)
    assert -1e-12 <= g < 1.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0.0, 1e6), min_size=1, max_size=30).filter(lambda v: sum(v) > 0))
def test_gini_with_zero_incomes_stays_below_one(y) -> None:
    assert M.gini(y) < 1.0


@settings(max_examples=100, deadline=None)
@given(incomes, st.floats(1e-3, 1e3))
def test_gini_and_theil_do_not_depend_on_the_currency_unit(y, c) -> None:
    scaled = [c * v for v in y]
    assert M.gini(scaled) == pytest.approx(M.gini(y), rel=1e-9, abs=1e-12)
    assert M.theil_t(scaled) == pytest.approx(M.theil_t(y), rel=1e-7, abs=1e-10)
    assert M.theil_l(scaled) == pytest.approx(M.theil_l(y), rel=1e-7, abs=1e-10)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(1.0, 1e5), int_weights), min_size=2, max_size=30), st.floats(0.05, 0.95))
def test_integer_weights_equal_duplicated_rows(rows, p) -> None:
    y = np.array([r[0] for r in rows])
    w = np.array([r[1] for r in rows], dtype=float)
    dup = np.repeat(y, w.astype(int))
    assert M.gini(y, w) == pytest.approx(M.gini(dup), rel=1e-9, abs=1e-12)
    assert M.theil_t(y, w) == pytest.approx(M.theil_t(dup), rel=1e-7, abs=1e-10)
    assert M.theil_l(y, w) == pytest.approx(M.theil_l(dup), rel=1e-7, abs=1e-10)
    assert M.lorenz_share(y, w, p) == pytest.approx(M.lorenz_share(dup, None, p), rel=1e-9, abs=1e-12)
    assert M.weighted_median(y, w) == pytest.approx(float(np.median(dup)), rel=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(1.0, 1e5), st.floats(0.1, 10.0), st.sampled_from("abc")), min_size=3, max_size=40
    )
)
def test_theil_between_plus_within_is_the_total(rows) -> None:
    y, w, g = (list(col) for col in zip(*rows, strict=True))
    d = M.theil_by_group(y, w, g)
    assert d["theil_t_between"] + d["theil_t_within"] == pytest.approx(d["theil_t"], rel=1e-9, abs=1e-12)
    assert d["theil_l_between"] + d["theil_l_within"] == pytest.approx(d["theil_l"], rel=1e-9, abs=1e-12)
    assert d["theil_t"] == pytest.approx(M.theil_t(y, w), rel=1e-9, abs=1e-12)


def test_agrees_with_pysal_inequality_on_unweighted_data() -> None:
    inequality = pytest.importorskip(
        "inequality", reason="PySAL `inequality` (test dependency) not installed"
    )
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    rng = np.random.default_rng(2023)
    for n in (7, 100, 5000):
        y = rng.lognormal(10.5, 0.6, n)
        groups = rng.choice(["城镇", "农村", "山区"], n)
        assert M.gini(y) == pytest.approx(Gini(y).g, rel=1e-12)
        assert M.theil_t(y) == pytest.approx(float(Theil(y).T), rel=1e-10)
        d = M.theil_by_group(y, None, groups)
        td = TheilD(y, groups)
        assert d["theil_t_between"] == pytest.approx(float(np.squeeze(td.bg)), rel=1e-9)
        assert d["theil_t_within"] == pytest.approx(float(np.squeeze(td.wg)), rel=1e-9)
    assert inequality is not None
