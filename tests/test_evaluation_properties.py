"""Properties of the evaluation engine, checked with hypothesis (derandomized in conftest.py: the same
draws on every run), and the single-target call against the batch it goes through."""

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gongfu.evaluation import RATIO_LIMIT, TargetSpec, evaluate, evaluate_many
from gongfu.evaluation.attainment import level_attainment
from gongfu.evaluation.trajectory import time_progress

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)


def _att(x, t, b, higher):
    with np.errstate(all="ignore"):
        a, use_b = level_attainment(
            np.float64(x), np.float64(t), np.float64(np.nan if b is None else b), higher
        )
    return (None if np.isnan(a) else float(a)), bool(use_b)


@given(b=st.one_of(st.none(), finite), t=finite, x1=finite, x2=finite)
def test_attainment_is_monotone_in_the_observed_value(b, t, x1, x2):
    """Clipped attainment never falls as the value improves; the raw value of the baseline form neither."""
    x1, x2 = min(x1, x2), max(x1, x2)
    for higher in (True, False):
        (a1, on_base), (a2, _) = _att(x1, t, b, higher), _att(x2, t, b, higher)
        if a1 is None or a2 is None:
            continue
        c1, c2 = min(1.0, max(0.0, a1)), min(1.0, max(0.0, a2))
        if higher:
            assert c1 <= c2
            assert not on_base or a1 <= a2
        else:
            assert c1 >= c2
            assert not on_base or a1 >= a2


@given(b=positive, t=positive, x1=positive, x2=positive)
def test_attainment_without_baseline_is_monotone(b, t, x1, x2):
    x1, x2 = min(x1, x2), max(x1, x2)
    assert _att(x1, t, None, True)[0] <= _att(x2, t, None, True)[0]
    assert _att(x1, t, None, False)[0] >= _att(x2, t, None, False)[0]


@given(b=finite, t=finite, series=st.lists(finite, min_size=1, max_size=6))
def test_direction_symmetry(b, t, series):
    """Negating target, baseline and series turns >= into <= and leaves attainment and (linear)
    progress ratio unchanged (for the baseline form; x/t and t/x are not negation-symmetric)."""
    assume(t > b)
    obs = [(2021 + i, v) for i, v in enumerate(series)]
    up = evaluate(TargetSpec(">=", t, 2030, baseline=b, baseline_year=2020, unit="%"), obs)
    down = evaluate(
        TargetSpec("<=", -t, 2030, baseline=-b, baseline_year=2020, unit="%"), [(y, -v) for y, v in obs]
    )
    for k in ("attainment", "progress_ratio", "gap", "forecast_gap", "time_progress"):
        a, c = getattr(up, k), getattr(down, k)
        assert (a is None) == (c is None), k
        if a is not None:
            assert math.isclose(a, c, rel_tol=1e-9, abs_tol=1e-9), k
    assert up.achieved == down.achieved and up.colour == down.colour


@given(year=st.integers(1990, 2050), start=st.integers(1990, 2050), end=st.integers(1990, 2050))
def test_time_progress_is_a_share(year, start, end):
    with np.errstate(all="ignore"):
        tp = float(time_progress(np.float64(year), np.float64(start), np.float64(end)))
    assert math.isnan(tp) == (end <= start)
    assert math.isnan(tp) or 0.0 <= tp <= 1.0


@given(b=positive, t=positive, growing=st.booleans(), span=st.integers(1, 12))
def test_trajectory_path_runs_from_base_to_target_year_by_year(b, t, growing, span):
    """The path the dashboard and the report draw: every year from the base year to the target year,
    from the base value to the level to reach."""
    e = evaluate(
        TargetSpec(
            ">=", max(b, t), 2020 + span, baseline=min(b, t), baseline_year=2020, growing_level=growing
        ),
        [(2021, b)],
    )
    path = e.trajectory_path
    assert [p["year"] for p in path] == list(range(2020, 2021 + span))
    tol = 1e-12 * max(b, t)
    assert math.isclose(path[0]["value"], e.base_value, abs_tol=tol)
    assert math.isclose(path[-1]["value"], e.target_level, abs_tol=tol)
    values = [p["value"] for p in path]
    assert values == sorted(values)  # towards a higher target, never back


comparators = st.sampled_from([">=", "<=", "==", "range", "increase", "decrease"])


@st.composite
def cases(draw):
    comp = draw(comparators)
    value = draw(st.floats(0, 20)) if comp in ("increase", "decrease") else draw(finite)
    baseline = draw(st.one_of(st.none(), finite, st.just(value)))
    spec = TargetSpec(
        comp,
        value,
        draw(st.integers(2018, 2030)),
        value2=draw(finite) if comp == "range" else draw(st.one_of(st.none(), finite)),
        baseline=baseline,
        baseline_year=draw(st.one_of(st.none(), st.integers(2015, 2023))),
        direction=draw(st.sampled_from([None, "higher", "lower", "band"])),
        growing_level=draw(st.booleans()),
        unit=draw(st.sampled_from(["", "%", "万元"])),
        rate_basis=draw(st.sampled_from(["annual", "cumulative"])),
    )
    years = draw(st.lists(st.integers(2015, 2026), unique=True, max_size=8))
    pool = st.one_of(finite, positive, st.just(value), st.just(0.0))
    series = [(y, draw(pool)) for y in years]
    return spec, series


def _same(a, b) -> bool:
    """Equal, bit for bit (NaN, None and infinity become None in records)."""
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


@given(cs=st.lists(cases(), min_size=1, max_size=6), as_of=st.one_of(st.none(), st.integers(2016, 2027)))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
def test_single_target_equals_its_row_in_a_batch(cs, as_of):
    """One engine: a target's record does not depend on the targets it is evaluated with, to the last bit,
    and attainment stays clipped."""
    specs = [s for s, _ in cs]
    series = [o for _, o in cs]
    frame = evaluate_many(specs, series, as_of=as_of)
    assert isinstance(frame, pl.DataFrame) and frame.height == len(specs)
    for spec, obs, row in zip(specs, series, frame.iter_rows(named=True), strict=True):
        single = evaluate(spec, obs, as_of=as_of).to_dict()
        a = single["attainment"]
        assert a is None or 0.0 <= a <= 1.0
        for key, want in single.items():
            assert _same(want, row[key]), (key, want, row[key], spec, obs)
        r = single["progress_ratio"]
        assert r is None or abs(r) <= RATIO_LIMIT


@pytest.mark.parametrize("value", [1e-9, 1e-6, 0.5])
def test_an_ill_conditioned_ratio_is_flagged_not_printed(value):
    """Issue 12's input: a decrease target, observations 1.0 → 5.96e-08. With a required rate of almost
    nothing the progress ratio is ~1e10 and meaningless: it is flagged, left out of the record and of the
    colour's reason; a well-posed target (0.5 % a year) keeps its ratio."""
    spec = TargetSpec("decrease", value, 2030, baseline_year=2020, rate_basis="annual")
    e = evaluate(spec, [(2020, 1.0), (2021, 0.5), (2022, 5.96e-08)])
    if value < 1e-3:
        assert e.progress_ratio is None and e.ratio_flag and "病态" in e.ratio_flag
        assert "e+" not in e.colour_reason and "1845" not in e.colour_reason
    else:
        assert e.ratio_flag is None and e.progress_ratio is not None
