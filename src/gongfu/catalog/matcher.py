"""Match a plan's indicator wording ("全市地区生产总值", "R&D经费支出占GDP比重") to a catalog code.

Steps, first hit wins: exact alias → exact after cleaning (region prefix such as 全市/我市, brackets,
trailing verbs such as 达到, growth wording 年均增长 → 增长率) → an income-band group share (20-60万元的群体
比例, whatever words surround it) → containment of a catalog name in the wording (or the reverse) →
character-bigram similarity above a threshold. Precision matters more than recall:

* a containment or similarity match is refused when the two wordings differ by a *qualifier that changes
  the indicator* (人均, 每万, 占…比重, 率, 倍差, 城镇/农村, 低收入 …), so "GDP" never becomes "人均GDP";
* the target's unit must be convertible into the catalog unit (`gongfu.units`); a % target on a level
  indicator (低收入农户人均可支配收入 … 增长10%) goes to the level's growth sibling (`<code>_growth`) when
  the catalog has one, and is refused otherwise. An empty or unknown unit does not guard: plans often
  omit units. Count nouns (个/所/条) are treated as compatible with each other, since plans vary them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gongfu import units
from gongfu.catalog.catalog import Catalog, Indicator, indicator_key, load_catalog

__all__ = ["SIMILARITY_THRESHOLD", "Match", "match"]

SIMILARITY_THRESHOLD = 0.8
_SIMILARITY_MARGIN = 0.05


@dataclass(frozen=True)
class Match:
    """The result of matching one wording: a catalog code or None, a score in [0, 1], and how."""

    code: str | None
    score: float
    how: str  # exact | cleaned | band | contains | contained | similar | none (+growth when redirected)


_REGION_PREFIX = re.compile(r"^(?:全市|全县|全区|全省|我市|我县|我区|我省|本市|本县|本区|全域)")
_LEADING = re.compile(r"^(?:确保|力争|争取|到20\d\d年|20\d\d年)+")
_TRAILING = re.compile(
    r"(?:分别)?(?:达到|达|提高到|提升到|提高至|增长到|保持在|保持|稳定在|控制在|降至|降到|"
    r"降低到|缩小到|缩小至|超过|突破|不低于|不少于|以上|以内|以下|左右|实现)+$"
)
_BRACKETED = re.compile(r"\([^()]*\)")
_GROWTH = [(re.compile(r"年均增长率?$|年均增速$|增速$|年均增幅$|增幅$|增长$"), "增长率")]
# Verbs that name the act of making the counted thing; 新增/累计 are kept, they turn a stock into a flow.
_ACTION_PREFIX = re.compile(r"^(?:每年|5年|五年|建设|建成|打造|培育|创建|完成|启动|引进|引入)+")

# Qualifiers that turn one indicator into another; containment/similarity must not paper over them.
_QUALIFIERS = (
    "人均",
    "每万",
    "每千",
    "万人",
    "千人",
    "占",
    "比重",
    "比例",
    "之比",
    "比",
    "率",
    "倍差",
    "增长",
    "增速",
    "强度",
    "系数",
    "指数",
    "份额",
    "中位数",
    "平均",
    "最高",
    "最低",
    "城镇",
    "农村",
    "农民",
    "城乡",
    "低收入",
    "高技能",
    "老年",
    "儿童",
    "婴幼儿",
    "户籍",
    "规上",
    "规模以上",
    "高技术",
    "单位",
    "面积",
    "投资",
    "收入",
    "人口",
    "企业",
    "项目",
    "经营性",
    "经常性",
    "10-50",
    "20-60",
    "10亿",
    "亿元",
    "新增",
    "普惠",
    "二级",
    "省级",
    "国家",
)


def _clean_variants(key: str) -> list[tuple[str, str]]:
    """Progressively cleaned forms of a wording key, each tagged with what was removed."""
    out: list[tuple[str, str]] = []
    s = key
    for how, fn in (
        ("prefix", lambda x: _REGION_PREFIX.sub("", _LEADING.sub("", x))),
        ("trailing", lambda x: _TRAILING.sub("", x)),
        ("brackets", lambda x: _BRACKETED.sub("", x)),
        ("growth", lambda x: _GROWTH[0][0].sub(_GROWTH[0][1], x)),
        ("action", lambda x: _ACTION_PREFIX.sub("", x)),
    ):
        t = fn(s)
        if t and t != s:
            s = t
            out.append((s, how))
    return out


def _qualifiers(s: str) -> set[str]:
    return {q for q in _QUALIFIERS if q in s}


def _residual_ok(longer: str, shorter: str) -> bool:
    """True when `longer` adds no indicator-changing qualifier to `shorter`."""
    return not (_qualifiers(longer) - _qualifiers(shorter))


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} if len(s) > 1 else {s}


def _dice(a: str, b: str) -> float:
    ba, bb = _bigrams(a), _bigrams(b)
    return 2 * len(ba & bb) / (len(ba) + len(bb)) if ba and bb else 0.0


@lru_cache(maxsize=4)
def _index(catalog_id: int) -> tuple[tuple[str, str], ...]:
    # keyed by id() so a test catalog gets its own index; the shipped catalog is cached for the process
    return tuple(sorted(_CATALOGS[catalog_id].keys().items(), key=lambda kv: -len(kv[0])))


_CATALOGS: dict[int, Catalog] = {}


def _keys(catalog: Catalog) -> tuple[tuple[str, str], ...]:
    _CATALOGS[id(catalog)] = catalog
    return _index(id(catalog))


def _unit_fits(ind: Indicator, unit: str) -> bool | None:
    """True: convertible; False: incompatible; None: the target unit says nothing (empty or unknown)."""
    if not unit.strip() or not units.is_known(unit):
        return None
    if units.compatible(unit, ind.unit):
        return True
    fa, fb = units.family(unit), units.family(ind.unit)
    if fa.startswith("count:") and fb.startswith("count:"):
        return True
    # A change stated in percentage points fits a per-cent indicator (提高5个百分点).
    return {fa, fb} == {"points", "percent"}


def _guard(catalog: Catalog, code: str, unit: str, score: float, how: str) -> Match | None:
    ind = catalog.get(code)
    fits = _unit_fits(ind, unit)
    if fits is None or fits:
        return Match(code, score, how)
    if ind.kind in ("level", "count") and units.is_known(unit) and units.family(unit) == "percent":
        growth = f"{code}_growth"
        if growth in catalog:
            return Match(growth, score, how + "+growth")
    return None


# A share of households (or people) by an income band: "20-60万元的群体比例", "10-50万元家庭占比". The band is
# the indicator; a list item (…10-50万元的群体比例达到65%、20-60万元的群体比例…) often omits the subject
# 家庭年可支配收入 it shares with the first item. Keys write bands as "10-50万" (`indicator_key`).
_BAND_SHARE = re.compile(
    r"(\d+(?:\.\d+)?-\d+(?:\.\d+)?万)元?(?:之间)?的?(?:群体|家庭|人群)的?(?:比例|比重|占比)"
)


def _band_share(key: str, catalog: Catalog) -> str | None:
    """The catalog's middle-income-share code for the income band the wording names, if any.

    A per-capita band (人均…) is another statistic than the household band the catalog defines.
    """
    m = _BAND_SHARE.search(key)
    if m is None or "人均" in key:
        return None
    for ind in catalog:
        if ind.kind == "share" and any(
            (b := _BAND_SHARE.search(indicator_key(n))) and b.group(1) == m.group(1) for n in ind.names
        ):
            return ind.code
    return None


def _candidates(key: str, keys: tuple[tuple[str, str], ...], exact: dict[str, str], catalog: Catalog):
    """Yield (code, score, how) candidates in order of confidence."""
    if key in exact:
        yield exact[key], 1.0, "exact"
    forms = [key] + [s for s, _ in _clean_variants(key)]
    for s in forms[1:]:
        if s in exact:
            yield exact[s], 0.95, "cleaned"
    if (code := _band_share(key, catalog)) is not None:
        yield code, 0.9, "band"
    for s in forms:
        # the longest catalog name contained in the wording (keys are sorted longest first)
        for k, code in keys:
            if len(k) >= 3 and k in s and _residual_ok(s, k):
                yield code, round(0.6 + 0.35 * len(k) / len(s), 3), "contains"
                break
    for s in forms:
        if len(s) < 3:
            continue
        for k, code in reversed(keys):  # shortest catalog name containing the wording
            if s in k and _residual_ok(k, s):
                yield code, round(0.6 + 0.3 * len(s) / len(k), 3), "contained"
                break
    best: dict[str, tuple[float, str]] = {}
    s = forms[-1]
    for k, code in keys:
        if _qualifiers(k) != _qualifiers(s):
            continue
        sc = _dice(s, k)
        if sc > best.get(code, (0.0, ""))[0]:
            best[code] = (sc, k)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    if ranked and ranked[0][1][0] >= SIMILARITY_THRESHOLD:
        second = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if ranked[0][1][0] - second >= _SIMILARITY_MARGIN:
            yield ranked[0][0], round(ranked[0][1][0], 3), "similar"


def match(indicator_wording: str, unit: str = "", *, catalog: Catalog | None = None) -> Match:
    """The catalog code for a plan's indicator wording, or Match(None, 0, "none") when not confident."""
    catalog = catalog or load_catalog()
    key = indicator_key(indicator_wording or "")
    if not key:
        return Match(None, 0.0, "none")
    keys = _keys(catalog)
    exact = dict(keys)
    for code, score, how in _candidates(key, keys, exact, catalog):
        m = _guard(catalog, code, unit, score, how)
        if m is not None:
            return m
    return Match(None, 0.0, "none")
