"""Numbers as plans write them: Arabic figures (with ranges) and the few Chinese numerals used in targets."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CHINESE_NUMERAL = "零〇一二两三四五六七八九十百千万亿"

# 三分之二 → 2/3; the denominator comes first in Chinese.
FRACTION_RE = re.compile(r"([一二三四五六七八九十]+)分之([一二三四五六七八九十]+)")


def chinese_to_number(s: str) -> float | None:
    """Value of a Chinese numeral such as 三, 十二, 一百, 万, 两千五百, 一亿五千万 (None when it is not one).

    A bare magnitude (百, 万) counts as one of it: 百个 = 100 个, 万名 = 10000 名. 万 scales the section
    since the last 亿 (一亿五千万 = 150 000 000); a last digit right after a unit is one step below it, as
    spoken (一万二 = 12000, 三百五 = 350).
    """
    if not s or any(ch not in CHINESE_NUMERAL for ch in s):
        return None
    total = 0  # whole 亿s
    section = 0  # below the last 亿
    part = 0  # below the last 万
    digit: int | None = None
    last_unit = 0
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            part += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit, last_unit = None, _SMALL_UNITS[ch]
        elif ch == "万":
            section = (section + (part + (digit or 0)) or 1) * 10_000
            part, digit, last_unit = 0, None, 10_000
        else:  # 亿
            total = (total + section + part + (digit or 0) or 1) * 100_000_000
            section, part, digit, last_unit = 0, 0, None, 100_000_000
    if digit is not None and last_unit >= 100 and s[-2] in "十百千万亿":
        digit *= last_unit // 10  # 一万二, 三百五
    return float(total + section + part + (digit or 0))


def fraction_value(numer_text: str, denom_text: str) -> float | None:
    """三分之二 is passed as ('二', '三') → 0.6667 (rounded to four places, as the gold labels write it)."""
    n, d = chinese_to_number(numer_text), chinese_to_number(denom_text)
    if not n or not d:
        return None
    return round(n / d, 4)


def parse_arabic(s: str) -> float:
    """'1,200.5' → 1200.5."""
    return float(s.replace(",", ""))
