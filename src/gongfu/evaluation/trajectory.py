"""The expected trajectory from (baseline year, baseline) to (target year, target), and 时序进度.

Linear for most indicators; geometric (constant growth rate) for levels that grow, like income and GDP,
where a straight line would ask for too much early and too little late.
"""

from __future__ import annotations


def time_progress(year: int, start_year: int, end_year: int) -> float | None:
    """时序进度: the share of the period start_year → end_year elapsed at `year`, clipped to [0, 1]."""
    if end_year <= start_year:
        return None
    return min(1.0, max(0.0, (year - start_year) / (end_year - start_year)))


def expected_value(
    start_value: float, end_value: float, share: float, geometric: bool = False
) -> tuple[float, str]:
    """The value on the trajectory after `share` of the period, and which trajectory was used.

    A geometric path needs both ends positive; otherwise it falls back to the linear one.
    """
    if geometric and start_value > 0 and end_value > 0:
        return start_value * (end_value / start_value) ** share, "geometric"
    return start_value + (end_value - start_value) * share, "linear"
