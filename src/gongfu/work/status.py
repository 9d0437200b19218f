"""Task status, 时序进度 (time progress against work progress) and stalled detection: pure functions.

Every result keeps its intermediate values (time share, work share, gap, days since the last report) so a
status shown on the board can be explained. The thresholds live in `Rules`, the one place that knows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongfu.vocab import TaskAlert, TaskStatus

Status = TaskStatus
Alert = TaskAlert


# Worst first: the order the board sorts by and the order "better" is measured in.
STATUS_ORDER: tuple[Status, ...] = (
    Status.LAGGING, Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.CHECKED_OFF,
)  # fmt: skip


@dataclass(frozen=True)
class Rules:
    """Thresholds for warnings and stalls (share of the period, days)."""

    watch_gap: float = 0.10
    behind_gap: float = 0.25
    stall_days: int = 30


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Schedule:
    """时序进度 of one task on one day, with every intermediate value."""

    as_of: date
    start: date
    due: date | None
    time_share: float | None  # share of [start, due] elapsed, 0..1; None without a due date
    work_share: float  # reported percent / 100, 0..1
    gap: float | None  # time_share − work_share; > 0 means work trails time
    overdue: bool
    warning: Alert


@dataclass(frozen=True)
class TaskState:
    status: Status
    schedule: Schedule
    stalled: bool
    days_since_report: int | None


def time_share(start: date, due: date | None, as_of: date) -> float | None:
    """Share of the period from `start` to `due` that has elapsed on `as_of` (clipped to 0..1)."""
    if due is None:
        return None
    total = (due - start).days
    if total <= 0:
        return 1.0 if as_of >= due else 0.0
    return min(1.0, max(0.0, (as_of - start).days / total))


def schedule(
    start: date, due: date | None, percent: float, as_of: date, rules: Rules = DEFAULT_RULES
) -> Schedule:
    """时序进度: how far time has run against how far the work has (报告进度)."""
    work = min(1.0, max(0.0, percent / 100.0))
    share = time_share(start, due, as_of)
    gap = None if share is None else share - work
    overdue = due is not None and as_of > due and work < 1.0
    if overdue:
        warning = Alert.OVERDUE
    elif gap is not None and gap > rules.behind_gap:
        warning = Alert.BEHIND
    elif gap is not None and gap > rules.watch_gap:
        warning = Alert.WATCH
    else:
        warning = Alert.NONE
    return Schedule(as_of, start, due, share, work, gap, overdue, warning)


def is_stalled(
    last_report: date | None, start: date, as_of: date, done: bool, rules: Rules = DEFAULT_RULES
) -> tuple[bool, int | None]:
    """Stalled: unfinished and no report for `stall_days` (counted from the start when there is none yet).

    Returns (stalled, days since the last report or None when there was none).
    """
    since = None if last_report is None else (as_of - last_report).days
    quiet = (as_of - (last_report or start)).days
    return (not done and as_of >= start and quiet >= rules.stall_days), since


def task_state(
    *,
    start: date,
    due: date | None,
    percent: float,
    as_of: date,
    checked_off: bool = False,
    last_report: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> TaskState:
    """The computed status: 已销号 > 已完成 > 滞后 (overdue or far behind time) > 未启动 > 推进中."""
    sched = schedule(start, due, percent, as_of, rules)
    done = checked_off or percent >= 100
    stalled, since = is_stalled(last_report, start, as_of, done, rules)
    if checked_off:
        status = Status.CHECKED_OFF
    elif percent >= 100:
        status = Status.DONE
    elif sched.warning in (Alert.OVERDUE, Alert.BEHIND):
        status = Status.LAGGING
    elif percent <= 0:
        status = Status.NOT_STARTED
    else:
        status = Status.IN_PROGRESS
    return TaskState(status, sched, stalled, since)
