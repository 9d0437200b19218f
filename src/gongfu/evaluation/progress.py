"""The progress ratio (the Eurostat / Open SDG method) and the growth figures behind it.

ratio = s · actual / |required|, where s is +1 for higher-is-better and −1 for lower, `actual` is the
growth from the base (year y0, value b) to the latest value x, and `required` the growth from the base
to the target t by the target year T. The "cagr" method uses compound annual growth rates
((x/b)^(1/(y−y0)) − 1); the "linear" method, used when a value is ≤ 0 or the unit is a share, uses
the average change per year ((x − b)/(y − y0)), as Open SDG advises for such series.
`required_growth` is what is needed from the latest value on, in the same method's terms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    method: str  # "cagr" | "linear"
    historic_growth: float | None  # actual growth per year since the base (rate for cagr, units for linear)
    required_total_growth: float | None  # growth per year base → target needed at the start
    required_growth: float | None  # growth per year needed from the latest value to the target year
    ratio: float | None


def cagr(value: float, base: float, years: float) -> float:
    """Compound annual growth rate from `base` to `value` over `years` years (as a fraction)."""
    try:
        return (value / base) ** (1.0 / years) - 1.0
    except OverflowError:
        return math.inf


def choose_method(base: float, latest: float, target: float, is_share: bool) -> str:
    if is_share or base <= 0 or latest <= 0 or target <= 0:
        return "linear"
    return "cagr"


def progress_ratio(
    base: float,
    base_year: int,
    latest: float,
    latest_year: int,
    target: float,
    target_year: int,
    sign: float,
    is_share: bool = False,
) -> Progress:
    """Every figure of the progress measure; `ratio` is None when it cannot be defined (no time
    elapsed, no time left at the start, or a target equal to the base)."""
    method = choose_method(base, latest, target, is_share)
    elapsed = latest_year - base_year
    period = target_year - base_year
    left = target_year - latest_year
    grow = cagr if method == "cagr" else (lambda v, b, n: (v - b) / n)
    historic = grow(latest, base, elapsed) if elapsed > 0 else None
    required_total = grow(target, base, period) if period > 0 else None
    required_now = grow(target, latest, left) if left > 0 else None
    ratio = None
    if historic is not None and required_total is not None and required_total != 0 and sign != 0:
        ratio = sign * historic / abs(required_total)
    return Progress(method, historic, required_total, required_now, ratio)
