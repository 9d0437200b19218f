"""Reporting periods (报告期): year, quarter, month — their ids, ends, due dates and Chinese labels.

Period ids follow DHIS2: 2026, 2026Q1, 202603. Inside gongfu a period is the observation's `period`
field: "" for a year, "Q1".."Q4", "M01".."M12". Days are China days (Asia/Shanghai).
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

from gongfu.errors import InputError

PERIOD_TYPES = {"year": "年", "quarter": "季", "month": "月"}
_ALIASES = {"年": "year", "年度": "year", "季": "quarter", "季度": "quarter", "月": "month", "月度": "month"}


def today() -> date:
    """Today in China (a due day ends at midnight Beijing time, not UTC): the one clock's."""
    from gongfu import clock

    return clock.today()


def china_day(at: datetime) -> date:
    from gongfu import clock

    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(clock.CST).date()


def period_type(text: str) -> str:
    """year | quarter | month from an English or Chinese name (年/季/月)."""
    t = (text or "").strip()
    found = t if t in PERIOD_TYPES else _ALIASES.get(t)
    if found is None:
        raise InputError(f"报告周期“{text}”无法识别（年/季/月，或 year/quarter/month）")
    return found


def type_of(period: str) -> str:
    """year | quarter | month of a period ("", "Q1", "M03")."""
    return "year" if not period else ("quarter" if period.startswith("Q") else "month")


def periods(ptype: str, year: int) -> list[str]:
    if ptype == "year":
        return [""]
    if ptype == "quarter":
        return [f"Q{q}" for q in range(1, 5)]
    return [f"M{m:02d}" for m in range(1, 13)]


def period_end(year: int, period: str) -> date:
    if not period:
        return date(year, 12, 31)
    month = int(period[1:]) * 3 if period.startswith("Q") else int(period[1:])
    return date(year, month, calendar.monthrange(year, month)[1])


def due_date(year: int, period: str, due_days: int) -> date:
    """The last day to report: `due_days` days after the period ends (10 → the 10th day after)."""
    return period_end(year, period) + timedelta(days=due_days)


def period_id(year: int, period: str) -> str:
    if not period:
        return str(year)
    return f"{year}{period}" if period.startswith("Q") else f"{year}{period[1:]}"


def parse_period_id(text: str) -> tuple[int, str]:
    """(year, period) from 2026 | 2026Q1 | 202603 (the inverse of `period_id`)."""
    t = (text or "").strip().upper()
    try:
        if len(t) == 4:
            return int(t), ""
        if len(t) == 6 and t[4] == "Q" and t[5] in "1234":
            return int(t[:4]), t[4:]
        if len(t) == 6 and 1 <= int(t[4:]) <= 12:
            return int(t[:4]), f"M{t[4:]}"
    except ValueError:
        pass
    raise InputError(f"报告期“{text}”无法识别（如 2026、2026Q1、202603）")


def label(year: int, period: str) -> str:
    if not period:
        return f"{year}年"
    if period.startswith("Q"):
        return f"{year}年第{period[1:]}季度"
    return f"{year}年{int(period[1:])}月"


def previous(year: int, period: str) -> tuple[int, str]:
    """The period before: last year, last quarter or last month."""
    if not period:
        return year - 1, ""
    n = int(period[1:])
    kind, top = ("Q", 4) if period.startswith("Q") else ("M", 12)
    fmt = (lambda k: f"Q{k}") if kind == "Q" else (lambda k: f"M{k:02d}")
    return (year, fmt(n - 1)) if n > 1 else (year - 1, fmt(top))
