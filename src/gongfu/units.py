"""The one unit converter: every conversion of a figure between units in gongfu goes through `convert`.

A unit belongs to a *family* (money, per-cent, persons, area, mass …) and has a factor to the family's
base unit; converting is `value * factor(from) / factor(to)` within one family. Compound units
("平方米/万元", "万元/人", "万吨/日") convert numerator and denominator separately.

Families and their canonical spellings:

* money: 元, 千元, 万元, 亿元, 万亿元 (also "yuan", "million yuan", "billion yuan": 1 billion yuan = 10 亿元)
* per-cent: %, ‰ (1 % = 10 ‰; "percent", "pct", "per cent" mean %). Only per-cent converts to per-cent:
  a bare ratio 0.35 is *not* silently turned into 35 %.
* percentage points: 百分点 (a change of a share; its own family, convertible only to itself)
* ratio: "" (canonical), 倍, "倍(城镇/农村)", ":1", "1:1"-style — all dimensionless
* persons: 人 (名 is 人), 万人, 亿人; person-times: 人次, 万人次
* counts: 个, 家, 所, 套, 户, 幢, 条, 件, 张, 座, 项, 级, 列, 例, 门, 宗, 批次, 场次, 标箱 … (`MEASURE_WORDS`):
  each noun is its own family, so 万户 ↔ 户 converts but 户 ↔ 套 does not (same-noun scaling only)
* US dollars: 美元, 万美元, 亿美元 (a family of their own: no exchange rate is assumed)
* 岁 (age), 年 (years), 天 (days, 日 as a duration is 天)
* area: 平方米, 万平方米, 亩, 万亩, 公顷, 平方公里
* length: 米, 公里 (千米); volume: 立方米, 万立方米
* mass: 克, 千克 (公斤), 斤, 吨, 万吨, 亿斤
* energy: 吨标准煤, 万吨标准煤; electricity: 千瓦时 (度), 万千瓦时, 亿千瓦时; power: 千瓦, 万千瓦
* concentration: 微克/立方米, 毫克/立方米 (as compounds of mass over volume)
* rank: 位 (强 is 位: "进位…30强"); return period: 年一遇

A bare magnitude (300万) and a scale class (千亿级) are not units: `is_known` is False for them, so the
catalog matcher does not guard on them.

A magnitude (万, 亿, 千万 …) before any unit of a scalable family scales it (万标箱, 亿美元, 万千瓦时).
This table is the one unit vocabulary of gongfu: the target extractor reads its unit words from
`unit_words()`, so every unit the extractor emits is one the converter knows.

`normalise_unit` maps variants (full-width, Traditional 萬元/億元, spaces, case, a bracketed alternative
such as "万套(户)") to the canonical spelling. Unknown or incompatible units raise `UnitError`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongfu.errors import InputError
from gongfu.text import to_simplified

__all__ = [
    "MEASURE_WORDS",
    "UnitError",
    "compatible",
    "convert",
    "family",
    "is_known",
    "normalise_unit",
    "unit_words",
]


class UnitError(InputError):
    """A unit we do not know, or two units that cannot be converted into each other."""


_W = 10_000
_Y = 100_000_000
_MU = 10_000 / 15  # 1 亩 = 1/15 公顷 in 平方米

# canonical unit -> (family, factor to the family's base unit)
_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1),
    "千元": ("money", 1e3),
    "万元": ("money", _W),
    "百万元": ("money", 1e6),
    "亿元": ("money", _Y),
    "万亿元": ("money", 1e12),
    "%": ("percent", 1),
    "‰": ("percent", 0.1),
    "百分点": ("points", 1),
    "": ("ratio", 1),
    "人": ("persons", 1),
    "万人": ("persons", _W),
    "亿人": ("persons", _Y),
    "人次": ("person_times", 1),
    "万人次": ("person_times", _W),
    "岁": ("age", 1),
    "年": ("years", 1),
    "天": ("days", 1),
    "平方米": ("area", 1),
    "万平方米": ("area", _W),
    "亩": ("area", _MU),
    "万亩": ("area", _MU * _W),
    "公顷": ("area", 1e4),
    "平方公里": ("area", 1e6),
    "米": ("length", 1),
    "公里": ("length", 1e3),
    "立方米": ("volume", 1),
    "万立方米": ("volume", _W),
    "升": ("volume", 1e-3),
    "微克": ("mass", 1e-9),
    "毫克": ("mass", 1e-6),
    "克": ("mass", 1e-3),
    "千克": ("mass", 1),
    "斤": ("mass", 0.5),
    "万斤": ("mass", 0.5 * _W),
    "亿斤": ("mass", 0.5 * _Y),
    "吨": ("mass", 1e3),
    "万吨": ("mass", 1e3 * _W),
    "吨标准煤": ("energy", 1),
    "万吨标准煤": ("energy", _W),
    "千瓦时": ("electricity", 1),
    "万千瓦时": ("electricity", _W),
    "亿千瓦时": ("electricity", _Y),
    "千瓦": ("power", 1),
    "万千瓦": ("power", _W),
    "兆瓦": ("power", 1e3),
    "美元": ("usd", 1),
    "位": ("rank", 1),
    "年一遇": ("return_period", 1),
}

# Count nouns (measure words, 量词): each is its own family; 万X scales by 10 000 within the family.
MEASURE_WORDS: tuple[str, ...] = (
    *"个家所套户幢栋条件张座项级床辆台只棵株处艘头篇部册支场次列例门宗间批班块",
    "批次", "场次", "班次", "户次", "架次", "标箱", "人次",
)  # fmt: skip
for _noun in MEASURE_WORDS:
    if _noun not in _UNITS:
        _UNITS[_noun] = (f"count:{_noun}", 1)
        _UNITS["万" + _noun] = (f"count:{_noun}", _W)
# Magnitudes that scale a unit written after them (万标箱, 亿美元); longest first.
_MAGNITUDES = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}
_UNSCALED = frozenset({"percent", "points", "ratio", "age", "years", "days", "rank", "return_period"})

# Spelling variants -> canonical (applied after simplification, lower-casing and space collapsing).
_ALIASES: dict[str, str] = {
    "yuan": "元",
    "rmb": "元",
    "rmb yuan": "元",
    "cny": "元",
    "thousand yuan": "千元",
    "ten thousand yuan": "万元",
    "million yuan": "百万元",
    "trillion yuan": "万亿元",
    "percent": "%",
    "per cent": "%",
    "pct": "%",
    "个百分点": "百分点",
    "pp": "百分点",
    "permille": "‰",
    "倍": "",
    "比": "",
    "ratio": "",
    ":1": "",
    "名": "人",
    "万名": "万人",
    "人/次": "人次",
    "万人/次": "万人次",
    "周岁": "岁",
    "日": "天",
    "平方千米": "平方公里",
    "km2": "平方公里",
    "km²": "平方公里",
    "m2": "平方米",
    "m²": "平方米",
    "㎡": "平方米",
    "千米": "公里",
    "km": "公里",
    "公斤": "千克",
    "kg": "千克",
    "度": "千瓦时",
    "kwh": "千瓦时",
    "强": "位",
    "μg/m3": "微克/立方米",
    "μg/m³": "微克/立方米",
    "ug/m3": "微克/立方米",
    "微克/立方米": "微克/立方米",
    "mg/m3": "毫克/立方米",
    "tce": "吨标准煤",
}
# "billion yuan" is not a plain rename of a Chinese unit (1 billion = 10 亿): it is a unit of its own.
_UNITS["billion yuan"] = ("money", 1e9)

_RATIO_FORM = re.compile(r"^(?:\d+(?:\.\d+)?)?:1$")
_BRACKETED = re.compile(r"^(?P<base>[^()]+)\((?P<inner>[^()]*)\)$")


def _clean(s: str) -> str:
    s = to_simplified(s or "").strip().lower()
    s = s.replace("（", "(").replace("）", ")").replace("：", ":").replace("％", "%")
    s = s.replace("³", "3").replace("²", "2")
    return re.sub(r"\s+", " ", s)


@lru_cache(maxsize=512)
def _canonical(s: str) -> str | None:
    """Canonical spelling of a simple or compound unit, or None when unknown."""
    s = _clean(s)
    if s in _UNITS:
        return s
    if s in _ALIASES:
        return _ALIASES[s]
    compact = s.replace(" ", "")
    if compact in _UNITS:
        return compact
    if compact in _ALIASES:
        return _ALIASES[compact]
    if _RATIO_FORM.match(compact):
        return ""
    m = _BRACKETED.match(compact)
    if m:
        # "倍(城镇/农村)" says what the ratio compares; "万套(户)" gives an alternative noun: keep the base.
        base = _canonical(m.group("base"))
        if base is not None:
            return base
    if "/" in compact:
        num, _, den = compact.partition("/")
        cn, cd = _canonical(num), _canonical(den)
        if cn is not None and cd is not None and cn and cd:
            return f"{cn}/{cd}"
        return None
    for mag in _MAGNITUDES:
        rest = (
            _canonical(compact[len(mag) :]) if compact.startswith(mag) and len(compact) > len(mag) else None
        )
        if rest and rest in _UNITS and _UNITS[rest][0] not in _UNSCALED and not _scaled(rest, mag):
            return mag + rest
    return None


def normalise_unit(s: str) -> str:
    """The canonical spelling of unit `s` ("萬元" → "万元", "倍" → "", "％" → "%"); UnitError if unknown."""
    c = _canonical(s)
    if c is None:
        raise UnitError(f"unknown unit '{s}'")
    return c


def is_known(s: str) -> bool:
    """True when `s` is a unit the converter knows."""
    return _canonical(s) is not None


def _simple_factor(canon: str) -> tuple[str, float]:
    if canon in _UNITS:
        return _UNITS[canon]
    mag = next(m for m in _MAGNITUDES if canon.startswith(m))  # _canonical built it so
    fam, x = _UNITS[canon[len(mag) :]]
    return fam, x * _MAGNITUDES[mag]


def _scaled(rest: str, mag: str) -> bool:
    """Whether `rest` already carries a magnitude that `mag` may not stack on (万万元, 千千克), or is 级."""
    return rest == "级" or rest[0] in "万亿" or (mag[-1] in "千百" and rest[0] in "千百")


def _family_factor(canon: str) -> tuple[str, float]:
    if "/" not in canon:
        return _simple_factor(canon)
    num, _, den = canon.partition("/")
    fn, xn = _simple_factor(num)
    fd, xd = _simple_factor(den)
    return f"{fn}/{fd}", xn / xd


def unit_words() -> list[str]:
    """The Chinese unit words a figure may carry, without a magnitude (元, 平方米, 标箱, 批次 …).

    The extractor builds its unit pattern from these (and the magnitudes), so that every unit it reads is
    one `convert` knows. Longest first.
    """
    words = set()
    for key in [*_UNITS, *_ALIASES]:
        if not re.search(r"[\u4e00-\u9fff]", key) or "/" in key or "(" in key:
            continue
        if key[0] in "万亿千百" and _canonical(key[1:]) not in (None, ""):
            continue  # 万元 is 万 + 元
        if key[:2] in ("万亿", "千亿", "百亿", "千万", "百万") and _canonical(key[2:]) not in (None, ""):
            continue
        words.add(key)
    return sorted(words, key=len, reverse=True)


def family(s: str) -> str:
    """The family a unit belongs to ("money", "percent", "count:户", "area/money" …)."""
    return _family_factor(normalise_unit(s))[0]


def compatible(a: str, b: str) -> bool:
    """True when a value in unit `a` can be converted into unit `b`."""
    ca, cb = _canonical(a), _canonical(b)
    if ca is None or cb is None:
        return False
    return _family_factor(ca)[0] == _family_factor(cb)[0]


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """`value` expressed in `from_unit`, re-expressed in `to_unit` (578.619 billion yuan → 5786.19 亿元)."""
    cf, ct = normalise_unit(from_unit), normalise_unit(to_unit)
    if cf == ct:
        return float(value)
    ff, xf = _family_factor(cf)
    ft, xt = _family_factor(ct)
    if ff != ft:
        raise UnitError(f"incompatible units '{from_unit}' and '{to_unit}' ({ff} vs {ft})")
    # Multiply before dividing, and round off binary noise so 578.619 billion gives exactly 5786.19.
    out = value * xf / xt
    return float(f"{out:.12g}") if out else 0.0
