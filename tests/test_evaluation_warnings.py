"""The traffic light: thresholds from the packaged TOML, overridable by $GONGFU_THRESHOLDS."""

import pytest

from gongfu.errors import InputError
from gongfu.evaluation import TargetSpec, evaluate, thresholds

# 城镇化率 60 → 70 (2020→2025), 63 in 2022: linear ratio = 1.5/2 = 0.75, attainment 0.3 < 时序进度 0.4.
SPEC = TargetSpec(">=", 70, 2025, baseline=60, baseline_year=2020, unit="%")
SERIES = [(2021, 61.5), (2022, 63.0)]


@pytest.fixture
def override(tmp_path, monkeypatch):
    def write(text: str):
        path = tmp_path / "th.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("GONGFU_THRESHOLDS", str(path))
        thresholds.cache_clear()

    yield write
    monkeypatch.delenv("GONGFU_THRESHOLDS", raising=False)
    thresholds.cache_clear()


def test_packaged_thresholds_are_the_open_sdg_ones():
    th = thresholds()
    assert (th.green, th.yellow, th.orange, th.min_points) == (0.95, 0.6, 0.0, 2)


def test_ratio_between_thresholds_is_yellow_with_a_reason():
    e = evaluate(SPEC, SERIES)
    assert e.progress_ratio == pytest.approx(0.75)
    assert (e.colour, e.colour_reason) == ("yellow", "进度比0.75, 介于0.60与0.95之间")


def test_deployment_override_changes_the_colour(override):
    override("[progress_ratio]\ngreen = 0.7\n")
    assert thresholds().yellow == 0.6  # keys left out keep the packaged value
    e = evaluate(SPEC, SERIES)
    assert (e.colour, e.colour_reason) == ("green", "进度比0.75, 不低于0.70")


def test_orange_below_yellow(override):
    override("[progress_ratio]\nyellow = 0.8\n")
    assert evaluate(SPEC, SERIES).colour == "orange"


def test_inconsistent_override_is_an_input_error(override):
    override("[progress_ratio]\nyellow = 0.99\n")
    with pytest.raises(InputError):
        thresholds()


def test_missing_override_file_is_an_input_error(monkeypatch):
    monkeypatch.setenv("GONGFU_THRESHOLDS", "/nonexistent/th.toml")
    thresholds.cache_clear()
    try:
        with pytest.raises(InputError):
            thresholds()
    finally:
        monkeypatch.delenv("GONGFU_THRESHOLDS")
        thresholds.cache_clear()


def test_attainment_ahead_of_time_progress_is_green():
    """60 → 70, 65 in 2022: attainment 0.5 ≥ 时序进度 0.4 (ratio 2.5/2 = 1.25 also ≥ 0.95)."""
    e = evaluate(SPEC, [(2022, 65.0)])
    assert e.colour == "green"


def test_proxy_ratio_when_progress_ratio_is_undefined():
    """A band whose baseline was already inside: no progress ratio; attainment/时序进度 stands in."""
    spec = TargetSpec("range", 2, 2025, value2=3, baseline=2.5, baseline_year=2020, unit="%")
    e = evaluate(spec, [(2021, 3.2), (2022, 3.4)])
    assert e.progress_ratio is None
    assert e.colour_reason.startswith("进度比(实现度/时序进度)")
