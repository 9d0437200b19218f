"""Attainment (实现度) and "target met" (已实现) for one value against one target, scalar and plain.

Rules (DESIGN.md "Methods"): with a baseline b the attainment of x towards target t is (x − b)/(t − b),
which serves higher- and lower-is-better alike because the sign of (t − b) carries the direction;
without a usable baseline it is x/t (higher) or t/x (lower). A band is 1 inside and falls off linearly
with the distance outside. Callers clip to [0, 1] with `clip01` and keep the raw value too.
"""

from __future__ import annotations

# Values within this relative tolerance of the target count as meeting it: statistics are rounded,
# and a figure printed as 80.0 against a target of 80 is met.
MEET_RTOL = 1e-9


def clip01(x: float | None) -> float | None:
    if x is None:
        return None
    return min(1.0, max(0.0, x))


def _tol(t: float) -> float:
    return MEET_RTOL * max(1.0, abs(t))


def meets_level(x: float, target: float, direction: str) -> bool:
    """True when x meets a level target in the given direction ("higher" → x ≥ t, "lower" → x ≤ t)."""
    if direction == "higher":
        return x >= target - _tol(target)
    return x <= target + _tol(target)


def meets_band(x: float, lo: float, hi: float) -> bool:
    return lo - _tol(lo) <= x <= hi + _tol(hi)


def level_attainment(
    x: float, target: float, baseline: float | None, direction: str
) -> tuple[float | None, str]:
    """Raw attainment of a level target, and its basis: "baseline" ((x−b)/(t−b)) or "ratio" (x/t, t/x).

    The baseline formula is used only when the target lies on the good side of the baseline; when the
    plan's baseline already meets the target (or equals it) the ratio form is the only meaningful one.
    """
    s = 1.0 if direction == "higher" else -1.0
    if baseline is not None and (target - baseline) * s > 0:
        return (x - baseline) / (target - baseline), "baseline"
    if direction == "higher":
        return (x / target if target > 0 else None), "ratio"
    if x > 0:
        return target / x, "ratio"
    # Lower-is-better with x ≤ 0: the ratio is undefined, but a non-positive value under a
    # non-negative ceiling is plainly met.
    return (1.0 if meets_level(x, target, "lower") else None), "ratio"


def band_attainment(x: float, lo: float, hi: float, baseline: float | None) -> float:
    """1 inside [lo, hi]; outside, 1 − distance / scale.

    The scale is the baseline's distance to the band when the baseline lay outside it (so the value
    equals (x−b)/(edge−b) on the way in), else the band's width (or |edge|, or 1, for a zero-width band).
    """
    if meets_band(x, lo, hi):
        return 1.0
    dist = lo - x if x < lo else x - hi
    if baseline is not None and baseline < lo:
        scale = lo - baseline
    elif baseline is not None and baseline > hi:
        scale = baseline - hi
    else:
        scale = hi - lo
        if scale <= 0:
            scale = abs(lo) if lo != 0 else 1.0
    return 1.0 - dist / scale


def rate_attainment(realised_rate: float | None, target_rate: float, met: bool) -> float | None:
    """Attainment of an annual growth-rate target: realised / target (both signed, in percent)."""
    if realised_rate is None:
        return None
    if target_rate == 0:
        return 1.0 if met else None
    return realised_rate / target_rate


def meets_rate(realised_rate: float | None, target_rate: float, direction: str) -> bool:
    """An increase target is met when the realised rate is at least the target rate; a decrease when
    the (negative) realised rate is at most the (negative) target rate."""
    if realised_rate is None:
        return False
    tol = _tol(target_rate)
    if direction == "higher":
        return realised_rate >= target_rate - tol
    return realised_rate <= target_rate + tol
