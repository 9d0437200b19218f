"""Checks on a reported figure before it is submitted: a number, a plausible one for its indicator, and a
reason when it jumps by more than N% against the last period or the same period last year."""

from __future__ import annotations

from gongfu.catalog.catalog import Indicator
from gongfu.errors import Problem
from gongfu.observations.validate import check_value

JUMP_PERCENT = 30.0  # a change beyond this share of the earlier value asks for a reason


def parse_value(text: str | float | None) -> tuple[float | None, str | None]:
    """(value, problem) from what was typed: empty is None; 1,234.5 and full-width digits are numbers."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, None
    if isinstance(text, int | float):
        return float(text), None
    t = text.strip().translate(str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")).replace(",", "")
    try:
        v = float(t)
    except ValueError:
        return None, f"“{text}”不是数字"
    if v != v or v in (float("inf"), float("-inf")):
        return None, f"“{text}”不是有限的数字"
    return v, None


def jump(value: float, earlier: float | None) -> float | None:
    """The change against an earlier value, in percent of it (None without one, or from zero)."""
    if earlier is None or earlier == 0:
        return None
    return (value - earlier) / abs(earlier) * 100.0


def check_item(
    ind: Indicator,
    value: float | None,
    *,
    reason: str,
    last_period: float | None,
    last_year: float | None,
    row: int | None = None,
    threshold: float = JUMP_PERCENT,
) -> list[Problem]:
    """Every problem of one figure (none: it may be submitted)."""
    col = ind.name
    if value is None:
        return [Problem("missing", f"{ind.name}：未填报", row, col)]
    out = []
    if why := check_value(ind, value, ind.unit):
        out.append(Problem("range", why, row, col))
    for what, earlier in (("上期", last_period), ("上年同期", last_year)):
        change = jump(value, earlier)
        if change is not None and abs(change) > threshold and not reason.strip():
            out.append(
                Problem(
                    "jump",
                    f"{ind.name}：较{what}（{earlier:g}）变动{change:+.1f}%，超过{threshold:g}%，须填写变动原因",
                    row,
                    col,
                )
            )
            break
    return out
