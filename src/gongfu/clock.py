"""The one clock: "today" and "now" in China Standard Time (UTC+8, Asia/Shanghai, no daylight saving).

The work system, the cases and the reports all date things by the Beijing calendar day, so a report made
at 07:00 Beijing time (23:00 UTC the day before) is dated today, not yesterday. Tests pin the clock with
`frozen(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")  # Asia/Shanghai has kept UTC+8 without DST since 1991

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware, in China Standard Time."""
    return _frozen if _frozen is not None else datetime.now(UTC).astimezone(CST)


def today() -> date:
    """Today's date in China Standard Time."""
    return now().date()


def utcnow() -> datetime:
    """The current time, aware, in UTC: what timestamps are stored in."""
    return now().astimezone(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Pin `now()` to `at` (naive times are taken as UTC) for a test or a reproducible report."""
    global _frozen
    before = _frozen
    _frozen = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(CST)
    try:
        yield
    finally:
        _frozen = before
