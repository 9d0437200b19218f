"""The traffic light (预警): the one place that knows the colours, their thresholds and their reasons.

Thresholds come from `thresholds.toml` shipped in this package, read once; a deployment overrides them
by setting the environment variable `GONGFU_THRESHOLDS` to the path of a TOML file with the same keys
(any key left out keeps the packaged value). Call `thresholds.cache_clear()` after changing it.

Rules, in order (first that applies wins):
  1. 灰 grey    no observation at all.
  2. 绿 green   achieved (已实现) — even with a single observation: a met target needs no trend.
  3. 红 red     the target year has come (the latest figure is for it or later, or `as_of` is past it)
                and the target is not met.
  4. 灰 grey    fewer than `min_points` data points (observations, plus a plan-stated baseline for a
                year without an observation).
  5. 绿 green   progress ratio ≥ green, or attainment (baseline-based) ≥ time progress.
  6. 红 red     progress ratio < orange (moving away from the target).
  7. 黄 yellow  yellow ≤ ratio < green;  8. 橙 orange  orange ≤ ratio < yellow.
When the progress ratio cannot be computed but attainment and time progress can, attainment / time
progress stands in for it (the reason says so); when neither can, the light is grey.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from gongfu.errors import InputError

# Reason codes, shared by the scalar and the batch path so both print the same text.
NO_DATA, ACHIEVED, OVERDUE, FEW_POINTS, NO_RATIO = "no_data", "achieved", "overdue", "few_points", "no_ratio"
RATIO_GREEN, AHEAD_OF_TIME, MOVING_AWAY, RATIO_YELLOW, RATIO_ORANGE = (
    "ratio_green",
    "ahead_of_time",
    "moving_away",
    "ratio_yellow",
    "ratio_orange",
)
REASON_COLOUR = {
    NO_DATA: "grey",
    ACHIEVED: "green",
    OVERDUE: "red",
    FEW_POINTS: "grey",
    NO_RATIO: "grey",
    RATIO_GREEN: "green",
    AHEAD_OF_TIME: "green",
    MOVING_AWAY: "red",
    RATIO_YELLOW: "yellow",
    RATIO_ORANGE: "orange",
}


@dataclass(frozen=True)
class Thresholds:
    green: float = 0.95
    yellow: float = 0.6
    orange: float = 0.0
    min_points: int = 2
    flat_tolerance: float = 0.001


def _read(text: str, where: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", file=where) from e


@cache
def thresholds() -> Thresholds:
    """The thresholds in force: the packaged file, overlaid by $GONGFU_THRESHOLDS if set."""
    data = _read(
        resources.files(__package__).joinpath("thresholds.toml").read_text("utf-8"), "thresholds.toml"
    )
    from gongfu.settings import settings

    path = settings().thresholds
    if path is not None:
        override = str(path)
        if not path.is_file():
            raise InputError("GONGFU_THRESHOLDS 指向的阈值文件不存在", file=override)
        for section, values in _read(path.read_text("utf-8"), override).items():
            data.setdefault(section, {}).update(values)
    pr, d, tr = data.get("progress_ratio", {}), data.get("data", {}), data.get("trend", {})
    t = Thresholds(
        green=float(pr.get("green", 0.95)),
        yellow=float(pr.get("yellow", 0.6)),
        orange=float(pr.get("orange", 0.0)),
        min_points=int(d.get("min_points", 2)),
        flat_tolerance=float(tr.get("flat_tolerance", 0.001)),
    )
    if not t.orange <= t.yellow <= t.green:
        raise InputError(
            "thresholds must satisfy orange ≤ yellow ≤ green", file=override or "thresholds.toml"
        )
    return t


def classify(
    *,
    n_obs: int,
    n_points: int,
    achieved: bool,
    overdue: bool,
    ratio: float | None,
    attainment_raw: float | None,
    attainment_basis: str | None,
    time_progress: float | None,
    th: Thresholds | None = None,
) -> tuple[str, str, bool]:
    """(colour, reason code, ratio_is_proxy): the light for one evaluation, by the rules above."""
    th = th or thresholds()
    if n_obs == 0:
        return "grey", NO_DATA, False
    if achieved:
        return "green", ACHIEVED, False
    if overdue:
        return "red", OVERDUE, False
    if n_points < th.min_points:
        return "grey", FEW_POINTS, False
    ahead = (
        attainment_basis == "baseline"
        and attainment_raw is not None
        and time_progress is not None
        and time_progress > 0
        and attainment_raw >= time_progress
    )
    proxy = False
    if ratio is None and attainment_raw is not None and time_progress is not None and time_progress > 0:
        ratio, proxy = attainment_raw / time_progress, True
    if ratio is not None and ratio >= th.green:
        return "green", RATIO_GREEN, proxy
    if ahead:
        return "green", AHEAD_OF_TIME, proxy
    if ratio is None:
        return "grey", NO_RATIO, False
    if ratio < th.orange:
        return "red", MOVING_AWAY, proxy
    if ratio >= th.yellow:
        return "yellow", RATIO_YELLOW, proxy
    return "orange", RATIO_ORANGE, proxy


def _f(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.2f}" if abs(x) < 1e6 else f"{x:.3g}"  # absurd ratios (a base near zero) stay short


def reason_text(
    code: str,
    *,
    ratio: float | None = None,
    proxy: bool = False,
    attainment_raw: float | None = None,
    time_progress: float | None = None,
    target_year: int | None = None,
    n_points: int = 0,
    th: Thresholds | None = None,
) -> str:
    """A short Chinese explanation of the colour, e.g. "进度比0.72, 介于0.60与0.95之间"."""
    th = th or thresholds()
    name = "进度比(实现度/时序进度)" if proxy else "进度比"
    if code == NO_DATA:
        return "无观测数据"
    if code == ACHIEVED:
        return "最新值已达到目标"
    if code == OVERDUE:
        return f"目标年{target_year}已到, 目标未实现"
    if code == FEW_POINTS:
        return f"数据点{n_points}个, 少于{th.min_points}个, 无法判断进度"
    if code == NO_RATIO:
        return "缺少基期或时序数据, 无法计算进度比"
    if code == RATIO_GREEN:
        return f"{name}{_f(ratio)}, 不低于{th.green:.2f}"
    if code == AHEAD_OF_TIME:
        return f"实现度{_f(attainment_raw)}不低于时序进度{_f(time_progress)}"
    if code == MOVING_AWAY:
        return f"{name}{_f(ratio)}, 低于{th.orange:.2f}, 背离目标"
    if code == RATIO_YELLOW:
        return f"{name}{_f(ratio)}, 介于{th.yellow:.2f}与{th.green:.2f}之间"
    return f"{name}{_f(ratio)}, 介于{th.orange:.2f}与{th.yellow:.2f}之间"


def classify_arrays(n_obs, n_points, achieved, overdue, ratio, att, basis, tp, th):
    """warnings.classify, vectorised: (reason codes, ratio-is-proxy flags)."""
    ahead = (basis == "baseline") & ~np.isnan(att) & ~np.isnan(tp) & (tp > 0) & (att >= tp)
    proxy = np.isnan(ratio) & ~np.isnan(att) & ~np.isnan(tp) & (tp > 0)
    r = np.where(proxy, att / tp, ratio)
    conds = [
        n_obs == 0,
        achieved,
        overdue,
        n_points < th.min_points,
        r >= th.green,
        ahead,
        np.isnan(r),
        r < th.orange,
        r >= th.yellow,
    ]
    codes = [
        "no_data",
        "achieved",
        "overdue",
        "few_points",
        "ratio_green",
        "ahead_of_time",
        "no_ratio",
        "moving_away",
        "ratio_yellow",
    ]
    code = np.select(conds, codes, "ratio_orange").astype(object)
    # The proxy flag only matters (and is only reported) where the ratio decided the colour.
    decided = np.isin(code, ["ratio_green", "ahead_of_time", "moving_away", "ratio_yellow", "ratio_orange"])
    return code, proxy & decided
