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
progress stands in for it (the reason says so); when neither can, the light is grey. An ill-conditioned
ratio (beyond ±RATIO_LIMIT, see progress.py) counts as one that cannot be computed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from gongfu.errors import InputError
from gongfu.evaluation.progress import RATIO_LIMIT

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


# The rules' codes in the order they are tried (the last one is the fall-through).
CODES = (
    NO_DATA,
    ACHIEVED,
    OVERDUE,
    FEW_POINTS,
    RATIO_GREEN,
    AHEAD_OF_TIME,
    NO_RATIO,
    MOVING_AWAY,
    RATIO_YELLOW,
    RATIO_ORANGE,
)
_DECIDED_BY_RATIO = np.array(
    [c in (RATIO_GREEN, AHEAD_OF_TIME, MOVING_AWAY, RATIO_YELLOW, RATIO_ORANGE) for c in CODES]
)


def classify(n_obs, n_points, achieved, overdue, ratio, att, basis, tp, th):
    """The light of every evaluation, by the rules above: (rule index into CODES, ratio-is-proxy flags,
    the ratio shown).

    Arrays, one element per target; NaN is "undefined" for `ratio` (already NaN where ill-conditioned),
    `att` (raw attainment) and `tp` (time progress). The stand-in attainment / time progress obeys the
    same limit as the ratio (`progress.RATIO_LIMIT`).
    """
    ahead = (basis == "baseline") & ~np.isnan(att) & ~np.isnan(tp) & (tp > 0) & (att >= tp)
    proxy = np.isnan(ratio) & ~np.isnan(att) & ~np.isnan(tp) & (tp > 0)
    r = np.where(proxy, att / tp, ratio)
    r = np.where(proxy & ~(np.abs(r) <= RATIO_LIMIT), np.nan, r)
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
    rule = np.select(conds, list(range(len(conds))), len(conds))
    # The proxy flag only matters (and is only reported) where the ratio decided the colour.
    return rule, proxy & _DECIDED_BY_RATIO[rule], r


def _f(x: float) -> str:
    if x != x:
        return "—"
    return f"{x:.2f}" if abs(x) < 1e6 else f"{x:.3g}"  # a raw attainment far past 1 stays short


def reason_texts(rule, ratio, proxy, att, tp, target_year, n_points, th: Thresholds) -> np.ndarray:
    """A short Chinese explanation of each colour, e.g. "进度比0.72, 介于0.60与0.95之间"."""
    g, y, o = f"{th.green:.2f}", f"{th.yellow:.2f}", f"{th.orange:.2f}"
    tail = {
        RATIO_GREEN: f", 不低于{g}",
        MOVING_AWAY: f", 低于{o}, 背离目标",
        RATIO_YELLOW: f", 介于{y}与{g}之间",
        RATIO_ORANGE: f", 介于{o}与{y}之间",
    }
    out = np.empty(len(rule), dtype=object)
    for k, code in enumerate(CODES):
        at = np.flatnonzero(rule == k)
        if not len(at):
            continue
        if code == NO_DATA:
            out[at] = "无观测数据"
        elif code == ACHIEVED:
            out[at] = "最新值已达到目标"
        elif code == NO_RATIO:
            out[at] = "缺少基期或时序数据, 无法计算进度比"
        elif code == OVERDUE:
            out[at] = [f"目标年{int(t)}已到, 目标未实现" for t in target_year[at].tolist()]
        elif code == FEW_POINTS:
            out[at] = [f"数据点{n}个, 少于{th.min_points}个, 无法判断进度" for n in n_points[at].tolist()]
        elif code == AHEAD_OF_TIME:
            out[at] = [
                f"实现度{_f(a)}不低于时序进度{_f(t)}"
                for a, t in zip(att[at].tolist(), tp[at].tolist(), strict=True)
            ]
        else:
            end = tail[code]
            out[at] = [
                ("进度比(实现度/时序进度)" if p else "进度比") + _f(r) + end
                for r, p in zip(ratio[at].tolist(), proxy[at].tolist(), strict=True)
            ]
    return out
