"""Working days on the official holiday calendar (国务院办公厅 放假安排), with its swapped working days (调休).

The calendar is the maintained `chinese-calendar` package. A date in a year it does not cover yet is
counted Monday–Friday and the result says it is an estimate, so nobody mistakes a guess for the calendar.
Deadlines are counted in China Standard Time; a deadline is the end (23:59:59) of its last working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from gongfu.clock import CST


@lru_cache(maxsize=8192)  # a pure function of the date: a batch of requests asks about the same few weeks
def is_workday(d: date) -> tuple[bool, bool]:
    """(is a working day, estimated) — estimated when the official calendar does not cover the year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(d)), False
    except NotImplementedError:
        return d.weekday() < 5, True


def local_date(t: datetime) -> date:
    if t.tzinfo is None:
        raise ValueError("naive datetime: give times with a time zone")
    return t.astimezone(CST).date()


@dataclass(frozen=True)
class Deadline:
    due_at: datetime  # aware, end of the last working day in CST
    working_days: int
    estimated: bool  # some day was counted without the official calendar


def add_working_days(start: datetime, days: int) -> Deadline:
    """The end of the `days`-th working day after the day of `start` (the day of receipt does not count)."""
    if days < 1:
        raise ValueError("a deadline needs at least one working day")
    d, estimated = _last_working_day(local_date(start), days)
    return Deadline(datetime.combine(d, time(23, 59, 59), CST), days, estimated)


@lru_cache(maxsize=8192)
def _last_working_day(day: date, days: int) -> tuple[date, bool]:
    d, counted, estimated = day, 0, False
    while counted < days:
        d += timedelta(days=1)
        work, guess = is_workday(d)
        estimated |= guess
        counted += work
    return d, estimated


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days after the day of `start` up to and including the day of `end` (0 if end ≤ start)."""
    a, b = local_date(start), local_date(end)
    n = 0
    while a < b:
        a += timedelta(days=1)
        n += is_workday(a)[0]
    return n
