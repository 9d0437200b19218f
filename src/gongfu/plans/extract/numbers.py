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
    """Value of a Chinese numeral such as 三, 十二, 一百, 万, 两千五百 (None when it is not one).

    A bare magnitude (百, 万) counts as one of it: 百个 = 100 个, 万名 = 10000 名.
    """
    if not s or any(ch not in CHINESE_NUMERAL for ch in s):
        return None
    total = 0
    section = 0
    digit: int | None = None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + (section or 1)) * _BIG_UNITS[ch]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def fraction_value(numer_text: str, denom_text: str) -> float | None:
    """三分之二 is passed as ('二', '三') → 0.6667 (rounded to four places, as the gold labels write it)."""
    n, d = chinese_to_number(numer_text), chinese_to_number(denom_text)
    if not n or not d:
        return None
    return round(n / d, 4)


def parse_arabic(s: str) -> float:
    """'1,200.5' → 1200.5."""
    return float(s.replace(",", ""))
