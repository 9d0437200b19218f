"""Properties of the evaluation maths, checked with hypothesis, and the batch path against the scalar one."""

import math

import polars as pl
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from gongfu.evaluation import (
    TargetSpec,
    clip01,
    evaluate,
    evaluate_many,
    expected_value,
    level_attainment,
    time_progress,
)

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)


@given(b=st.one_of(st.none(), finite), t=finite, x1=finite, x2=finite)
def test_attainment_is_monotone_in_the_observed_value(b, t, x1, x2):
    """Clipped attainment never falls as the value improves; the raw value of the baseline form neither."""
    x1, x2 = min(x1, x2), max(x1, x2)
    for direction in ("higher", "lower"):
        (a1, basis), (a2, _) = level_attainment(x1, t, b, direction), level_attainment(x2, t, b, direction)
        if a1 is None or a2 is None:
            continue
        c1, c2 = clip01(a1), clip01(a2)
        if direction == "higher":
            assert c1 <= c2
            assert basis != "baseline" or a1 <= a2
        else:
            assert c1 >= c2
            assert basis != "baseline" or a1 >= a2


@given(b=positive, t=positive, x1=positive, x2=positive)
def test_attainment_without_baseline_is_monotone(b, t, x1, x2):
    x1, x2 = min(x1, x2), max(x1, x2)
    assert level_attainment(x1, t, None, "higher")[0] <= level_attainment(x2, t, None, "higher")[0]
    assert level_attainment(x1, t, None, "lower")[0] >= level_attainment(x2, t, None, "lower")[0]


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
    tp = time_progress(year, start, end)
    assert tp is None or 0.0 <= tp <= 1.0


@given(b=positive, t=positive, geometric=st.booleans())
def test_trajectory_runs_from_baseline_to_target(b, t, geometric):
    tol = 1e-12 * max(b, t)
    assert math.isclose(expected_value(b, t, 0.0, geometric)[0], b, abs_tol=tol)
    assert math.isclose(expected_value(b, t, 1.0, geometric)[0], t, abs_tol=tol)


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


@given(cs=st.lists(cases(), min_size=1, max_size=6), as_of=st.one_of(st.none(), st.integers(2016, 2027)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_attainment_is_clipped_and_batch_equals_scalar(cs, as_of):
    specs = [s for s, _ in cs]
    series = [o for _, o in cs]
    frame = evaluate_many(specs, series, as_of=as_of)
    assert isinstance(frame, pl.DataFrame) and frame.height == len(specs)
    for spec, obs, row in zip(specs, series, frame.iter_rows(named=True), strict=True):
        scalar = evaluate(spec, obs, as_of=as_of).to_dict()
        a = scalar["attainment"]
        assert a is None or 0.0 <= a <= 1.0
        for key, want in scalar.items():
            got = row[key]
            if isinstance(want, float) and got is not None:
                assert math.isclose(want, got, rel_tol=1e-7, abs_tol=1e-9), (key, want, got, spec, obs)
            else:
                assert want == got, (key, want, got, spec, obs)
