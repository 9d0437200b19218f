"""Attainment (实现度) and "target met" (已实现), over numpy arrays (one element per target or per cell).

Rules (DESIGN.md "Methods"): with a baseline b the attainment of x towards target t is (x − b)/(t − b),
which serves higher- and lower-is-better alike because the sign of (t − b) carries the direction;
without a usable baseline it is x/t (higher) or t/x (lower). A band is 1 inside and falls off linearly
with the distance outside. NaN stands for "undefined"; callers clip to [0, 1] and keep the raw value too.
"""

from __future__ import annotations

import numpy as np

nan = np.nan

# Values within this relative tolerance of the target count as meeting it: statistics are rounded,
# and a figure printed as 80.0 against a target of 80 is met.
MEET_RTOL = 1e-9


def tol(t):
    return MEET_RTOL * np.maximum(1.0, np.abs(t))


def meets_level(x, t, higher):
    """x meets a level target t: x ≥ t where `higher`, else x ≤ t (within the tolerance)."""
    return np.where(higher, x >= t - tol(t), x <= t + tol(t))


def meets_band(x, lo, hi):
    return (lo - tol(lo) <= x) & (x <= hi + tol(hi))


def meets_rate(realised, target_rate, higher):
    """An increase target is met when the realised rate is at least the target rate; a decrease when the
    (negative) realised rate is at most the (negative) target rate. NaN (undefined) never meets."""
    t = tol(target_rate)
    return ~np.isnan(realised) & np.where(higher, target_rate - t <= realised, target_rate + t >= realised)


def level_attainment(x, value, baseline, higher):
    """(raw attainment, uses-baseline) of a level target.

    The baseline formula is used only when the target lies on the good side of the baseline; when the
    plan's baseline already meets the target (or equals it) the ratio form is the only meaningful one.
    Lower-is-better with x ≤ 0: the ratio is undefined, but a non-positive value under a non-negative
    ceiling is plainly met.
    """
    use_b = ~np.isnan(baseline) & ((value - baseline) * np.where(higher, 1.0, -1.0) > 0)
    ratio = np.where(
        higher,
        np.where(value > 0, x / value, nan),
        np.where(x > 0, value / x, np.where(meets_level(x, value, False), 1.0, nan)),
    )
    return np.where(use_b, (x - baseline) / (value - baseline), ratio), use_b


def band_attainment(x, lo, hi, baseline):
    """1 inside [lo, hi]; outside, 1 − distance / scale.

    The scale is the baseline's distance to the band when the baseline lay outside it (so the value
    equals (x−b)/(edge−b) on the way in), else the band's width (or |edge|, or 1, for a zero-width band).
    """
    dist = np.where(x < lo, lo - x, x - hi)
    width = hi - lo
    known = ~np.isnan(baseline)
    scale = np.where(
        known & (baseline < lo),
        lo - baseline,
        np.where(
            known & (baseline > hi),
            baseline - hi,
            np.where(width > 0, width, np.where(lo != 0, np.abs(lo), 1.0)),
        ),
    )
    return np.where(meets_band(x, lo, hi), 1.0, 1.0 - dist / scale)


def rate_attainment(realised, target_rate, achieved):
    """Attainment of a growth-rate target: realised / target (both signed, in percent)."""
    att = np.where(target_rate == 0, np.where(achieved, 1.0, nan), realised / target_rate)
    return np.where(np.isnan(realised), nan, att)
