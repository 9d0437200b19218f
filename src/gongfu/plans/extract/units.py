"""The unit lexicon: the words after a figure that are its unit (万元, %, 平方米/万元, 微克/立方米 …)."""

from __future__ import annotations

import re

from gongfu.units import MEASURE_WORDS, unit_words

# Base units and classifiers: the converter's vocabulary (gongfu.units is the one table), less the words
# that after a figure in running text are rarely a unit (5日 is a date, 2比1 a score, 3级 a grade …).
_NOT_AFTER_FIGURES = frozenset({"比", "度", "日", "升", "克", "级", "周岁", "百分点", "个百分点", "年一遇"})
_BASE = [w for w in unit_words() if w not in _NOT_AFTER_FIGURES]
# Magnitudes that can stand before a base unit (万元, 亿元, 万人次) or alone (300万).
_MAG = "(?:万亿|千亿|百亿|亿|千万|百万|万|千)"
_BASE_RE = "(?:" + "|".join(re.escape(b) for b in _BASE) + ")"
_PER = f"(?:/(?:{_MAG}|百)?{_BASE_RE}|/日|/天|/年|/月)"

UNIT_RE = re.compile(
    r"(?:%|‰|个百分点|年一遇|(?:k?m[2²³3])(?![A-Za-z\d])|"  # percent, per-mille, points, return periods, m2
    + rf"{_MAG}?{_BASE_RE}{_PER}?(?:\((?:户|人|个|套|间|家)\))?"  # 万元, 万吨/日, 平方米/万元, 万套(户)
    + r"|微克/立方米|毫克/升|"
    + rf"{_MAG})"  # a bare magnitude: 300万
)

PERCENT_UNITS = frozenset({"%", "‰", "个百分点"})

# Units that say the figure is a duration of a time circle (15分钟生活圈, 1小时交通圈): never targets.
TIME_CIRCLE_RE = re.compile(r"\s*(?:分钟|小时)")

# Count classifiers: a figure with one of these may come before the thing counted (建成3个…中心).
COUNT_UNITS = frozenset([*MEASURE_WORDS, "名", "人", "位"]) - {
    "次",
    "人次",
    "户次",
    "架次",
    "场次",
    "班次",
    "批次",
}

# Indicator endings that make a percentage certain when the page lost its % sign.
RATE_ENDINGS = ("比重", "比例", "占比", "率", "覆盖面", "比率")
# Indicator endings of plain ratios that are written without a unit (倍差 1.75, 系数 0.3).
RATIO_ENDINGS = ("倍差", "系数", "之比", "万人比", "指数", "比", "差距", "倍数")


def unit_base(unit: str) -> str:
    """The classifier at the end of a unit without its magnitude: '万个' → '个', '万名' → '名'."""
    return unit.lstrip("万亿千百")
