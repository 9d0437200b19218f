"""Dates as documents write them: 2026年12月1日 (GB/T 9704-2012 7.3.5.3: Arabic numerals, no leading zero).

Kept here until the house-wide formatter (`gongfu.fmt.date_zh`) lands; then this re-exports it.
"""

from __future__ import annotations

from datetime import date, datetime


def date_zh(d: date | datetime | str | None) -> str:
    """2026-12-01 → 2026年12月1日; an ISO string is read first; None → "—"."""
    if d is None or d == "":
        return "—"
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"
