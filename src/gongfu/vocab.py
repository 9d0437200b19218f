"""The shared vocabulary as `StrEnum`s: comparator, ambition, warning colour and the three status sets.

Each member's value is what is stored and what the API sends, so `Comparator(">=") == ">="` and old rows
read unchanged. Chinese labels, symbols and fill colours live in `gongfu.labels`.
"""

from __future__ import annotations

from enum import StrEnum


class Comparator(StrEnum):
    """How a target's value is compared: a level (≥ ≤ =), a band, or a yearly growth (年均增长/下降)."""

    GE = ">="
    LE = "<="
    EQ = "=="
    RANGE = "range"
    INCREASE = "increase"
    DECREASE = "decrease"


LEVEL_COMPARATORS: tuple[Comparator, ...] = (Comparator.GE, Comparator.LE, Comparator.EQ)
GROWTH_COMPARATORS: tuple[Comparator, ...] = (Comparator.INCREASE, Comparator.DECREASE)


class Ambition(StrEnum):
    """确保 (binding), 力争 (striving), 预期性 (indicative: a 指标表 row whose 属性 is 预期性)."""

    BINDING = "binding"
    STRIVING = "striving"
    INDICATIVE = "indicative"


class Colour(StrEnum):
    """A target's warning colour (预警); grey: too little data to judge."""

    GREEN = "green"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"
    GREY = "grey"


# The order counts are shown in (best first) and the order lists are sorted by (worst first).
COLOURS: tuple[Colour, ...] = (Colour.GREEN, Colour.YELLOW, Colour.ORANGE, Colour.RED, Colour.GREY)
SEVERITY: dict[str, int] = {"red": 0, "orange": 1, "yellow": 2, "grey": 3, "green": 4}


class TaskStatus(StrEnum):
    """A task's status; the values are the Chinese words stored since the first release."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "推进中"
    LAGGING = "滞后"
    DONE = "已完成"
    CHECKED_OFF = "已销号"


class TaskAlert(StrEnum):
    """时序进度预警 of a task."""

    NONE = "正常"
    WATCH = "关注"  # work trails time by more than the watch gap
    BEHIND = "滞后"  # trails by more than the behind gap, or the deadline has passed unfinished
    OVERDUE = "逾期"


class FindingState(StrEnum):
    """The rectification loop of a supervision finding (督查问题整改闭环)."""

    OPEN = "open"
    ASSIGNED = "assigned"
    RECTIFYING = "rectifying"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CLOSED = "closed"
    RETURNED = "returned"


class CaseState(StrEnum):
    """A citizen request's life cycle: 受理 → 分派 → 签收 → 办理 → 办结 → 回访 → 归档."""

    RECEIVED = "received"
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    HANDLING = "handling"
    CLOSED = "closed"
    VISITED = "visited"
    ARCHIVED = "archived"


class CaseWarning(StrEnum):
    """A case's time-limit warning (红/橙/黄); none when on time."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"
    NONE = "none"
