"""Worked examples of the evaluation maths, each computed by hand in its docstring."""

import math

import pytest

from gongfu.errors import InputError
from gongfu.evaluation import TargetSpec, evaluate
from gongfu.evaluation.spec import resolve_direction

INCOME = TargetSpec(">=", 7.8, 2025, baseline=5.0, baseline_year=2020, growing_level=True, unit="万元")


def test_income_worked_example():
    """Per-capita disposable income: baseline 5.0万 (2020, plan), target 7.8万 (2025), 5.5 (2021), 6.2 (2022).

    attainment = (6.2 − 5)/(7.8 − 5) = 1.2/2.8 = 0.428571…; 时序进度 = (2022 − 2020)/(2025 − 2020) = 0.4;
    expected (geometric) = 5·(7.8/5)^(2/5) = 5·1.56^0.4 = 5.97338;
    actual CAGR = (6.2/5)^(1/2) − 1 = 0.113553; required = 1.56^(1/5) − 1 = 0.093012;
    progress ratio = 0.113553/0.093012 = 1.22084 → green ("进度比1.22, 不低于0.95");
    required from now = (7.8/6.2)^(1/3) − 1 = 0.079529; gap = 7.8 − 6.2 = 1.6;
    forecast (log-linear through two points) = 6.2·(6.2/5.5)^3 = 8.88134, forecast gap = −1.08134.
    """
    e = evaluate(INCOME, [(2021, 5.5), (2022, 6.2)])
    assert e.attainment == pytest.approx(1.2 / 2.8)
    assert e.time_progress == pytest.approx(0.4)
    assert e.expected == pytest.approx(5 * 1.56**0.4) and e.trajectory == "geometric"
    assert e.expected == pytest.approx(5.973376, abs=1e-6)
    assert e.method == "cagr"
    assert e.historic_growth == pytest.approx(math.sqrt(1.24) - 1)
    assert e.required_total_growth == pytest.approx(1.56**0.2 - 1)
    assert e.progress_ratio == pytest.approx(1.22084, abs=1e-5)
    assert e.required_growth == pytest.approx((7.8 / 6.2) ** (1 / 3) - 1)
    assert e.gap == pytest.approx(1.6)
    assert e.forecast == pytest.approx(6.2 * (6.2 / 5.5) ** 3) and e.forecast_method == "log-linear"
    assert e.forecast_gap == pytest.approx(7.8 - 6.2 * (6.2 / 5.5) ** 3)
    assert (e.colour, e.colour_reason) == ("green", "进度比1.22, 不低于0.95")
    assert e.baseline_source == "plan" and e.trend == "up"
    assert e.n_obs == 2 and e.n_points == 3  # the plan's 2020 baseline counts as a data point
    assert not e.achieved


def test_lower_is_better_ratio_is_yellow():
    """城乡居民收入倍差: baseline 1.96 (2020), target ≤ 1.90 (2025), latest 1.94 (2022).

    attainment = (1.94 − 1.96)/(1.90 − 1.96) = 1/3 < 时序进度 0.4;
    actual CAGR = (1.94/1.96)^(1/2) − 1 = −0.0051154; required = (1.90/1.96)^(1/5) − 1 = −0.0061989;
    ratio = −1 · (−0.0051154)/0.0061989 = 0.8252 → yellow.
    """
    spec = TargetSpec("<=", 1.90, 2025, baseline=1.96, baseline_year=2020, unit="倍")
    e = evaluate(spec, [(2021, 1.95), (2022, 1.94)])
    assert e.direction == "lower"
    assert e.attainment == pytest.approx(1 / 3)
    assert e.progress_ratio == pytest.approx(0.8252, abs=1e-4)
    assert e.gap == pytest.approx(0.04)  # 1.94 − 1.90 still to go
    assert (e.colour, e.colour_reason) == ("yellow", "进度比0.83, 介于0.60与0.95之间")


def test_annual_growth_target_compares_realised_cagr_with_the_rate():
    """GDP 年均增长6%: level 100 (2020, observed), 111 (2022).

    realised = (111/100)^(1/2) − 1 = 5.3565 %; attainment = 5.3565/6 = 0.89276; the level to reach is
    100·1.06^5 = 133.8226; expected (geometric) at 2022 = 100·1.06^2 = 112.36; colour yellow.
    """
    spec = TargetSpec("increase", 6, 2025, baseline_year=2020, unit="%")
    e = evaluate(spec, [(2020, 100.0), (2021, 105.0), (2022, 111.0)])
    assert e.baseline_source == "observed" and e.baseline == 100.0
    assert e.realised_rate == pytest.approx((math.sqrt(1.11) - 1) * 100)
    assert e.attainment == pytest.approx((math.sqrt(1.11) - 1) / 0.06)
    assert e.target_level == pytest.approx(100 * 1.06**5)
    assert e.expected == pytest.approx(112.36)
    assert e.progress_ratio == pytest.approx(e.attainment)
    assert e.colour == "yellow"


def test_cumulative_decrease_is_a_level_target():
    """单位GDP能耗累计下降13.5%: base 0.50 (2020) → level to reach 0.50·0.865 = 0.4325;
    latest 0.46 (2022): attainment = (0.46 − 0.50)/(0.4325 − 0.50) = 0.59259; realised −8 %."""
    spec = TargetSpec("decrease", 13.5, 2025, baseline=0.50, baseline_year=2020, rate_basis="cumulative")
    e = evaluate(spec, [(2021, 0.48), (2022, 0.46)])
    assert e.target_level == pytest.approx(0.4325)
    assert e.realised_rate == pytest.approx(-8.0)
    assert e.attainment == pytest.approx(0.04 / 0.0675)
    assert e.direction == "lower"


def test_band_is_one_inside_and_distance_based_outside():
    """CPI 2%–3%: baseline 4 (2020). 3.5 → 1 − (3.5 − 3)/(4 − 3) = 0.5; 2.5 → 1 (inside, achieved)."""
    spec = TargetSpec("range", 2, 2025, value2=3, baseline=4, baseline_year=2020, unit="%")
    outside = evaluate(spec, [(2021, 3.8), (2022, 3.5)])
    assert outside.attainment == pytest.approx(0.5)
    assert outside.gap == pytest.approx(0.5)
    inside = evaluate(spec, [(2021, 3.8), (2022, 2.5)])
    assert inside.attainment == 1.0 and inside.achieved and inside.colour == "green"


def test_equal_comparator_reaches_the_level_from_the_baseline():
    """Coverage == 100 from 90: higher-is-better; 96 → attainment (96 − 90)/(100 − 90) = 0.6."""
    spec = TargetSpec("==", 100, 2025, baseline=90, baseline_year=2020, unit="%")
    assert resolve_direction(spec) == ("higher", None)
    e = evaluate(spec, [(2022, 96.0)])
    assert e.attainment == pytest.approx(0.6)
    down = TargetSpec("==", 10, 2025, baseline=20, baseline_year=2020)
    assert resolve_direction(down)[0] == "lower"


def test_without_baseline_attainment_is_x_over_t_or_t_over_x():
    """No baseline: higher 60/80 = 0.75; lower 2/2.5 = 0.8."""
    assert evaluate(TargetSpec(">=", 80, 2025), [(2022, 60)]).attainment == pytest.approx(0.75)
    e = evaluate(TargetSpec("<=", 2, 2025), [(2022, 2.5)])
    assert e.attainment == pytest.approx(0.8) and e.attainment_basis == "ratio"


def test_target_year_passed_unmet_is_red():
    e = evaluate(INCOME, [(2024, 7.0), (2025, 7.5)])
    assert (e.colour, e.colour_reason) == ("red", "目标年2025已到, 目标未实现")
    assert evaluate(INCOME, [(2023, 7.0)], as_of=2026).colour == "red"


def test_moving_away_is_red():
    e = evaluate(INCOME, [(2021, 4.9), (2022, 4.8)])
    assert e.progress_ratio < 0 and e.colour == "red" and e.trend == "down"


def test_one_observation_is_grey_unless_achieved():
    """One observation and no plan baseline: grey; the same with the target met: green (our choice:
    a met target needs no trend)."""
    spec = TargetSpec(">=", 80, 2025, baseline_year=2020)
    assert evaluate(spec, [(2022, 70)]).colour == "grey"
    assert evaluate(spec, [(2022, 85)]).colour == "green"
    assert evaluate(spec, []).colour_reason == "无观测数据"


def test_fallback_from_achieved_stays_visible():
    e = evaluate(INCOME, [(2022, 7.9), (2023, 7.7)])
    assert not e.achieved and e.achieved_ever


def test_share_units_use_the_linear_progress_method():
    """城镇化率 % 60 → 70 (2020→2025), 64 in 2022: linear actual 2/yr, required 2/yr, ratio 1.0."""
    spec = TargetSpec(">=", 70, 2025, baseline=60, baseline_year=2020, unit="%")
    e = evaluate(spec, [(2021, 62), (2022, 64)])
    assert e.method == "linear" and e.progress_ratio == pytest.approx(1.0)
    assert e.required_growth == pytest.approx(2.0)  # (70 − 64)/3


def test_time_weighted_regression_weighs_recent_years_more():
    """Years 2020–2022, values 0, 0, 3, weights 1, 2, 3: t̄ = 2021.333, v̄ = 1.5, Sxx = 3.333,
    Sxy = 6, slope = 1.8 (ordinary least squares would give 1.5); at 2025: 1.5 + 1.8·3.667 = 8.1."""
    e = evaluate(TargetSpec(">=", 10, 2025, unit="%"), [(2020, 0.0), (2021, 0.0), (2022, 3.0)])
    assert e.forecast_method == "linear" and e.trend_slope == pytest.approx(1.8)
    assert e.forecast == pytest.approx(8.1)


def test_catalog_direction_conflicting_with_comparator_is_noted():
    e = evaluate(TargetSpec("<=", 2, 2025, direction="higher"), [(2022, 2.5)])
    assert e.direction == "lower" and e.notes


def test_bad_inputs_raise_input_error():
    with pytest.raises(InputError):
        TargetSpec("~", 1, 2025)
    with pytest.raises(InputError):
        TargetSpec("range", 1, 2025)
    with pytest.raises(InputError):
        evaluate(INCOME, [(2022, 1.0), (2022, 2.0)])


def test_to_dict_is_json_ready():
    import json

    d = evaluate(INCOME, [(2021, 5.5), (2022, 6.2)]).to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False))["colour"] == "green"
