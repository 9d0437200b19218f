"""Composite index, weighting schemes and rank sensitivity."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongfu.errors import InputError
from gongfu.evaluation import composite_index, entropy_weights, rank_desc, rank_sensitivity, read_weights_csv

ROWS = [
    # region A: 收入分配 (0.8 + 0.4)/2 = 0.6, 生态文明 1.0 → equal-weight index 0.8
    {"region": "A", "indicator": "income", "dimension": "收入分配", "attainment": 0.8},
    {"region": "A", "indicator": "ratio", "dimension": "收入分配", "attainment": 0.4},
    {"region": "A", "indicator": "air", "dimension": "生态文明", "attainment": 1.0},
    # region B: 收入分配 0.9 (ratio missing: mean of what it has), 生态文明 0.5 → 0.7
    {"region": "B", "indicator": "income", "dimension": "收入分配", "attainment": 0.9},
    {"region": "B", "indicator": "air", "dimension": "生态文明", "attainment": 0.5},
    # region C: only 生态文明 0.2 → index 0.2 (weights renormalised over the dimension it has)
    {"region": "C", "indicator": "air", "dimension": "生态文明", "attainment": 0.2},
]


def test_equal_weights_worked_example():
    r = composite_index(ROWS)
    assert r.dimensions == ["收入分配", "生态文明"]
    assert r.index == pytest.approx([0.8, 0.7, 0.2])
    assert list(r.rank) == [1, 2, 3]
    rows = r.to_dicts()
    assert rows[0]["收入分配"] == pytest.approx(0.6) and rows[2]["收入分配"] is None


def test_expert_weights_change_the_ranking():
    """收入分配 3 : 生态文明 1 → A = 0.75·0.6 + 0.25·1.0 = 0.7, B = 0.75·0.9 + 0.25·0.5 = 0.8."""
    r = composite_index(ROWS, weights="expert", expert={"收入分配": 3, "生态文明": 1})
    assert r.index[:2] == pytest.approx([0.7, 0.8])
    assert list(r.rank[:2]) == [2, 1]
    with pytest.raises(InputError):
        composite_index(ROWS, weights="expert", expert={"收入分配": 1})


def test_entropy_weight_worked_example():
    """Column 1 constant (no information: weight 0); column 2 (1, 0): p = (1, 0), e = 0 → weight 1."""
    w = entropy_weights(np.array([[0.5, 1.0], [0.5, 0.0]]))
    assert w == pytest.approx([0.0, 1.0])
    assert entropy_weights(np.array([[0.5, 0.5], [0.5, 0.5]])) == pytest.approx([0.5, 0.5])


def test_minmax_normalisation_rescales_each_indicator():
    r = composite_index(ROWS, normalise="minmax")
    # air: (1.0, 0.5, 0.2) → (1, 0.375, 0); income (0.8, 0.9) → (0, 1)
    assert r.scores[:, 1] == pytest.approx([1.0, 0.375, 0.0])


def test_ties_share_the_best_rank():
    assert list(rank_desc(np.array([0.5, 0.9, 0.5, np.nan]))) == [2, 1, 2, 0]


def test_rank_sensitivity_bounds_the_rank():
    r = composite_index(ROWS)
    s = rank_sensitivity(r, n=50, seed=1, expert={"收入分配": 3, "生态文明": 1})
    assert set(s.columns) >= {
        "region",
        "rank",
        "min_rank",
        "max_rank",
        "rank_equal",
        "rank_entropy",
        "rank_expert",
    }
    for row in s.iter_rows(named=True):
        assert row["min_rank"] <= row["rank"] <= row["max_rank"]
    a, b = s.row(0, named=True), s.row(1, named=True)
    assert (a["min_rank"], a["max_rank"]) == (1, 2) and (b["min_rank"], b["max_rank"]) == (1, 2)
    assert s.equals(rank_sensitivity(r, n=50, seed=1, expert={"收入分配": 3, "生态文明": 1}))  # seeded


def test_weights_csv(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text(
        "dimension,indicator,weight\n收入分配,,2\n生态文明,,1\n收入分配,income,3\n", encoding="utf-8"
    )
    dims, inds = read_weights_csv(p)
    assert dims == {"收入分配": 2.0, "生态文明": 1.0} and inds == {"income": 3.0}
    p.write_text("dimension,indicator,weight\n收入分配,,heavy\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_weights_csv(p)
    assert err.value.row == 2


matrices = st.integers(2, 12).flatmap(
    lambda n: st.lists(
        st.lists(st.floats(0, 1, allow_nan=False), min_size=3, max_size=3), min_size=n, max_size=n
    )
)


@given(m=matrices)
def test_entropy_weights_sum_to_one(m):
    w = entropy_weights(np.array(m))
    assert math.isclose(w.sum(), 1.0, rel_tol=1e-12) and (w >= 0).all()


@given(m=matrices, seed=st.integers(0, 2**32 - 1), scheme=st.sampled_from(["equal", "entropy"]))
@settings(max_examples=50, deadline=None)
def test_composite_index_does_not_depend_on_region_order(m, seed, scheme):
    dims = ["经济高质量发展", "收入分配", "生态文明"]
    rows = [
        {"region": f"R{i:02d}", "indicator": f"I{j}", "dimension": dims[j], "attainment": v}
        for i, row in enumerate(m)
        for j, v in enumerate(row)
    ]
    shuffled = [rows[k] for k in np.random.default_rng(seed).permutation(len(rows))]
    a, b = composite_index(rows, weights=scheme), composite_index(shuffled, weights=scheme)
    assert a.regions == b.regions
    assert np.array_equal(a.index, b.index) and np.array_equal(a.rank, b.rank)
