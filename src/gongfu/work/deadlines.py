"""Read a 完成时限 as an office writes it into a date: "2024年6月底前", "2024-12-31", "三季度", "长期坚持".

A deadline is the end of the period named (6月底 → 30 June). A cell naming several dates means the last
one (the task is done when its last step is). Ongoing work (长期/持续/常态化) has no deadline.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime

ONGOING = re.compile(r"长期|持续|常态化|每年|逐年")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?!\d)\s*月?")
_QUARTER = re.compile(r"(?:(\d{4})\s*年?)?\s*第?([一二三四1-4])\s*季度")
_HALF = re.compile(r"(?:(\d{4})\s*年)?\s*([上下])半年")
_MONTH = re.compile(r"(?<![\d年/.-])(\d{1,2})\s*月")
_YEAR_END = re.compile(r"(\d{4})\s*年(?:底|末|内|度)?")
_BARE_YEAR_END = re.compile(r"年底|年末|年内")


class DeadlineError(ValueError):
    """A deadline that cannot be read; the message says why."""


def month_end(year: int, month: int) -> date:
    if not 1 <= month <= 12:
        raise DeadlineError(f"月份 {month} 无效")
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value: object, year: int | None = None) -> date | None:
    """The deadline in a cell; None for an empty or ongoing one. `year` fills in "6月底" and "年底前".

    DeadlineError when the text names no date we can read, or names a month without a year.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    found: list[date] = []
    rest = text
    for m in _FULL_DATE.finditer(text):
        try:
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError as exc:
            raise DeadlineError(f"日期 {m.group(0)!r} 无效") from exc
    rest = _FULL_DATE.sub(" ", rest)
    for m in _QUARTER.finditer(rest):
        y = _year(m.group(1), year, text)
        found.append(month_end(y, _CN_NUM[m.group(2)] * 3))
    rest = _QUARTER.sub(" ", rest)
    for m in _HALF.finditer(rest):
        y = _year(m.group(1), year, text)
        found.append(month_end(y, 6 if m.group(2) == "上" else 12))
    rest = _HALF.sub(" ", rest)
    for m in _YEAR_MONTH.finditer(rest):
        found.append(month_end(int(m.group(1)), int(m.group(2))))
    rest = _YEAR_MONTH.sub(" ", rest)
    for m in _MONTH.finditer(rest):
        found.append(month_end(_year(None, year, text), int(m.group(1))))
    rest = _MONTH.sub(" ", rest)
    for m in _YEAR_END.finditer(rest):
        found.append(date(int(m.group(1)), 12, 31))
    rest = _YEAR_END.sub(" ", rest)
    if not found and _BARE_YEAR_END.search(rest):
        found.append(date(_year(None, year, text), 12, 31))
    if found:
        return max(found)
    if ONGOING.search(text):
        return None
    raise DeadlineError(f"无法识别的完成时限 {text!r}（例: 2024年12月底、2024-06-30、三季度、长期坚持）")


def _year(given: str | None, default: int | None, text: str) -> int:
    if given:
        return int(given)
    if default is None:
        raise DeadlineError(f"完成时限 {text!r} 未写年份；导入时请给出年度 (--year)")
    return default
