"""Monthly measures of the closed loop, per region: the one function per measure that feeds evaluation.

按期办结率  cases due in the month (by the as-of time): closed by the deadline and not falsely closed.
满意率      callbacks in the month: rated 满意 or 基本满意.
化解率      矛盾纠纷 received in the month: closed and not falsely closed by the as-of time.
重复诉求率  cases received in the month that repeat an earlier request (`gongfu.cases.repeats`).
办理时长    cases first closed in the month: median calendar days from 受理 to 办结.
A case counts in its own region and in every region above it. Months are China Standard Time months.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from gongfu.cases.workdays import CST

FALSE_CLOSURE_DAYS = 30  # a reopen within this many days of closure means the closure did not hold
SATISFIED = frozenset({"satisfied", "basic"})
SATISFACTION_ZH = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
INDICATORS = {
    "ontime": ("case_ontime_rate", "%"),
    "satisfaction": ("case_satisfaction_rate", "%"),
    "resolution": ("dispute_resolution_rate", "%"),
    "repeat": ("case_repeat_rate", "%"),
    "median_days": ("case_median_handling_days", "天"),
}


@dataclass(frozen=True)
class CaseFacts:
    """What the measures need to know about one case (times are aware datetimes)."""

    region_code: str
    kind: str
    received_at: datetime
    due_at: datetime
    first_closed_at: datetime | None = None
    closed_at: datetime | None = None  # latest closure (after reopens)
    state: str = "received"
    satisfaction: str | None = None
    callback_at: datetime | None = None
    reopened_at: datetime | None = None  # first reopen after the first closure
    is_repeat: bool = False


def false_closure(c: CaseFacts, days: int = FALSE_CLOSURE_DAYS) -> bool:
    """The citizen rejected the closure, or it was reopened within `days` of being closed (假办结)."""
    if c.satisfaction == "dissatisfied":
        return True
    return (
        c.first_closed_at is not None
        and c.reopened_at is not None
        and c.reopened_at - c.first_closed_at <= timedelta(days=days)
    )


def resolved(c: CaseFacts, days: int = FALSE_CLOSURE_DAYS) -> bool:
    return c.state in ("closed", "visited", "archived") and not false_closure(c, days)


def _month(t: datetime) -> tuple[int, int]:
    local = t.astimezone(CST)
    return local.year, local.month


@dataclass(frozen=True)
class Measure:
    region_code: str
    year: int
    month: int
    measure: str  # key of INDICATORS
    value: float
    numerator: float
    denominator: int

    @property
    def indicator(self) -> str:
        return INDICATORS[self.measure][0]

    @property
    def unit(self) -> str:
        return INDICATORS[self.measure][1]


def monthly_measures(
    cases: Iterable[CaseFacts],
    ancestors: Callable[[str], list[str]],
    asof: datetime,
    *,
    false_closure_days: int = FALSE_CLOSURE_DAYS,
) -> list[Measure]:
    """Every measure for every (region, month) with at least one case in its denominator."""
    rates: dict[tuple[str, int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    days: dict[tuple[str, int, int], list[float]] = defaultdict(list)
    up: dict[str, list[str]] = {}

    def count(region: str, when: datetime, measure: str, hit: bool) -> None:
        if region not in up:
            up[region] = [region, *ancestors(region)]
        y, m = _month(when)
        for r in up[region]:
            cell = rates[(r, y, m, measure)]
            cell[0] += hit
            cell[1] += 1

    for c in cases:
        ok = resolved(c, false_closure_days)
        if c.due_at <= asof:
            on_time = c.first_closed_at is not None and c.first_closed_at <= c.due_at and ok
            count(c.region_code, c.due_at, "ontime", on_time)
        if c.satisfaction and c.callback_at is not None and c.callback_at <= asof:
            count(c.region_code, c.callback_at, "satisfaction", c.satisfaction in SATISFIED)
        if c.kind == "矛盾纠纷" and c.received_at <= asof:
            count(c.region_code, c.received_at, "resolution", ok)
        if c.received_at <= asof:
            count(c.region_code, c.received_at, "repeat", c.is_repeat)
        if c.first_closed_at is not None and c.first_closed_at <= asof:
            y, m = _month(c.first_closed_at)
            if c.region_code not in up:
                up[c.region_code] = [c.region_code, *ancestors(c.region_code)]
            for r in up[c.region_code]:
                days[(r, y, m)].append((c.first_closed_at - c.received_at).total_seconds() / 86400)
    out = [
        Measure(r, y, m, measure, 100.0 * hit / n, hit, n)
        for (r, y, m, measure), (hit, n) in rates.items()
        if n
    ]
    out += [Measure(r, y, m, "median_days", statistics.median(v), 0, len(v)) for (r, y, m), v in days.items()]
    return sorted(out, key=lambda x: (x.region_code, x.year, x.month, x.measure))
