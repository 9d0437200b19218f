"""Find the figures of a sentence: a number (or range) with its unit and the hedge after it.

What is *not* a figure is decided here too: years and dates, outline markers, numbers inside quoted names,
time-circle durations (15分钟…圈), numbers glued to Latin letters (PM2.5, 3A级, 5G).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongfu.plans.extract.lexicon import HEDGE_RE
from gongfu.plans.extract.numbers import FRACTION_RE, chinese_to_number, fraction_value, parse_arabic
from gongfu.plans.extract.sentences import in_ranges, quoted_ranges
from gongfu.plans.extract.units import TIME_CIRCLE_RE, UNIT_RE

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Each pattern opens with a look-ahead at its first character: the regex engine then skips the other
# positions of a sentence at once instead of trying the look-behind at each (same matches, much faster).
_FIGURE_RE = re.compile(
    rf"(?=\d)(?<![\dA-Za-z.\-/_])(?P<v1>{_NUM})"
    rf"(?:\s*(?:(?P<m1>万|亿)|(?P<p1>%))?\s*(?:-|—|–|~|～|至|到)\s*(?P<v2>{_NUM})(?(p1)(?=%)))?"
)
# A ratio written as 2.25∶1 or 1.9:1: the figure is the first term.
_RATIO_TAIL_RE = re.compile(r"\s*[∶:]\s*1(?![\d.])")
# A count written in Chinese right after a verb: 打造百个…, 万名…, 提升一个…; and 万亿级 scales.
_CN_COUNT_RE = re.compile(
    r"(?=[一二两三四五六七八九十百千万亿零])(?<=打造|培育|建设|建成|创建|新增|提升|达到|突破|引进|培训|惠及|覆盖)"
    r"(?P<num>[一二两三四五六七八九十百千万亿零]{1,8})(?P<unit>个|名|家|所|条|项|座|人|户)"
)
# A Chinese-numeral count of a year's livelihood projects (这十件民生实事, 十个项目为…民生实事项目); not
# 每一件民生实事 (every one of them).
_CN_PROJECTS_RE = re.compile(
    r"(?=[二两三四五六七八九十])(?<![一二两三四五六七八九十百千万每])(?P<num>[一二两三四五六七八九十]{1,3})"
    r"(?P<unit>件|个|项)(?=民生实事|项目为[^。,;]{0,24}民生实事)"
)
# Doublings (翻一番, 翻两番, 倍增): a multiple of the base, unit 倍.
_DOUBLING_RE = re.compile(r"(?=[翻倍])(?:翻(?P<n>一|两|二|三)番|翻番|(?<![“\"])倍增(?!计划|行动|工程|”))")
_DOUBLINGS = {"一": 2.0, "两": 4.0, "二": 4.0, "三": 8.0}
# Rankings: 保5争4 (keep 5th, strive for 4th), 前30位 / 前十 (within the first n), 第3位 is an ordinal.
_KEEP_STRIVE_RE = re.compile(
    r"(?=保)保(?P<keep>\d{1,3}|[一二三四五六七八九十]{1,2})争(?P<strive>\d{1,3}|[一二三四五六七八九十]{1,2})"
)
_TOP_RE = re.compile(
    r"(?=前)(?:(?<=全国|全省|全球|世界|全市|中部|西部|东部|省内|国内)前(?P<n>\d{1,3}|[一二三四五六七八九十]{1,3})(?:位|名|强)?"
    r"(?!个|月|年|天|季度|批|\d)"
    r"|前(?P<m>\d{1,3})(?:位|名))"
)
# 突破千亿元: a Chinese magnitude before 亿元 (value in 亿元).
_CN_MONEY_RE = re.compile(r"(?=[百千万]亿元)(?<=突破|达到|超过|迈上|跃上)(?P<num>百|千|万)(?P<unit>亿元)")
_CN_SCALE_RE = re.compile(r"(?=[万千百]亿级)(?<=突破|达到|迈上|跃上|超过|保持)(?P<unit>万亿级|千亿级|百亿级)")
_YEAR_TAIL_RE = re.compile(r"\s*(?:年|-\d|—\d|—|-)")
_MARKER_TAIL_RE = re.compile(r"(?:\.(?!\d)|、|\)|\s*\.\s)")


@dataclass
class Figure:
    """A number with its unit, as found in a sentence; offsets are into the sentence."""

    start: int
    end: int  # end of the number and its unit
    value: float
    value2: float | None
    unit: str
    hedge: str  # 以上, 以内, 左右 … or ""
    hedge_cmp: str  # '>=', '<=', '==' or ''
    after: int  # end of the hedge (or of the unit when there is none)
    bare: bool = False  # no unit written
    chinese: bool = False
    rank: bool = False  # a ranking (保5争4, 前30位): the value is a rank, lower is better
    striving: bool = False  # the 争 of 保5争4


def _hedge(s: str, at: int) -> tuple[str, str, int]:
    m = HEDGE_RE.match(s, at)
    if not m:
        return "", "", at
    kind = m.lastgroup or ""
    return m.group(kind).strip(), {"ge": ">=", "le": "<=", "eq": "=="}[kind], m.end()


def _is_year(s: str, m: re.Match[str]) -> bool:
    v = m.group("v1")
    if len(v) == 4 and v[:2] in ("19", "20") and "." not in v:
        return bool(_YEAR_TAIL_RE.match(s, m.end("v1"))) or m.group("v2") is not None
    return False


def _is_marker(s: str, m: re.Match[str]) -> bool:
    """Outline markers (1. / 2、 / (3)) and ordinal numbers (第3) are not figures."""
    before = s[: m.start()].rstrip()
    if before.endswith(("第", "(", "(")):
        return True
    if m.group("v2") is None and "." not in m.group("v1") and _MARKER_TAIL_RE.match(s, m.end("v1")):
        return not before or before[-1] in "。;;::\n" or s[m.start() - 1 : m.start()].isspace()
    return False


def _rank_value(text: str) -> float | None:
    return float(text) if text.isdigit() else chinese_to_number(text)


def _rank_figures(s: str, quotes: list[tuple[int, int]]) -> list[Figure]:
    """保5争4 → two ranks (<= 5, and <= 4 striving); 全国前30位 / 全国前十 → one rank (<= n)."""
    out: list[Figure] = []
    for m in _KEEP_STRIVE_RE.finditer(s) if "争" in s else ():
        keep, strive = _rank_value(m.group("keep")), _rank_value(m.group("strive"))
        if keep is None or strive is None or in_ranges(m.start(), quotes):
            continue
        a, b = m.start("keep"), m.start("strive")
        out.append(Figure(a, m.end("keep"), keep, None, "", "", "<=", m.end("keep"), chinese=True, rank=True))
        out.append(
            Figure(b, m.end(), strive, None, "", "", "<=", m.end(), chinese=True, rank=True, striving=True)
        )
    for m in _TOP_RE.finditer(s) if "前" in s else ():
        value = _rank_value(m.group("n") or m.group("m"))
        if value is None or in_ranges(m.start(), quotes):
            continue
        out.append(Figure(m.start(), m.end(), value, None, "", "", "<=", m.end(), chinese=True, rank=True))
    return out


def find_figures(s: str) -> list[Figure]:
    """All figures of sentence `s`, left to right.

    A pattern for a rare form runs only when the sentence holds the words it needs (`"番" in s` …): a
    substring test costs far less than starting a regex search on each of a document's sentences."""
    quotes = quoted_ranges(s)
    out: list[Figure] = []
    ratio_ends: set[int] = set()
    taken: list[tuple[int, int]] = []
    for fig in _rank_figures(s, quotes):
        out.append(fig)
        taken.append((fig.start, fig.end))
    for m in _FIGURE_RE.finditer(s):
        if in_ranges(m.start(), quotes) or _is_year(s, m) or _is_marker(s, m):
            continue
        if any(a <= m.start() < b for a, b in taken):
            continue
        if m.start() in ratio_ends:
            continue  # the 1 of 2.25∶1
        tail = m.end()
        ratio = _RATIO_TAIL_RE.match(s, tail) if m.group("v2") is None else None
        if ratio:
            ratio_ends.add(ratio.end() - 1)
            hedge, hcmp, after = _hedge(s, ratio.end())
            value = parse_arabic(m.group("v1"))
            out.append(Figure(m.start(), tail, value, None, "", hedge, hcmp, after, bare=True))
            continue
        if TIME_CIRCLE_RE.match(s, tail):
            continue
        gap = len(s[tail : tail + 2]) - len(s[tail : tail + 2].lstrip(" "))
        um = UNIT_RE.match(s, tail + gap)
        unit = um.group(0) if um else ""
        end = um.end() if um else tail
        nxt = s[end : end + 1]
        if nxt.isascii() and nxt.isalpha():
            continue  # 5G, 3A级
        if m.group("m1") and unit and not unit.startswith(m.group("m1")):
            unit = m.group("m1") + unit  # 10万~50万元: both ends in 万元
        v2 = parse_arabic(m.group("v2")) if m.group("v2") else None
        hedge, hcmp, after = _hedge(s, end)
        out.append(
            Figure(m.start(), end, parse_arabic(m.group("v1")), v2, unit, hedge, hcmp, after, bare=not unit)
        )
    for m in FRACTION_RE.finditer(s) if "分之" in s else ():
        value = fraction_value(m.group(2), m.group(1))
        if value is None or in_ranges(m.start(), quotes):
            continue
        hedge, hcmp, after = _hedge(s, m.end())
        out.append(Figure(m.start(), m.end(), value, None, "", hedge, hcmp, after, chinese=True))
    for m in _CN_COUNT_RE.finditer(s):
        value = chinese_to_number(m.group("num"))
        if value is None or in_ranges(m.start(), quotes):
            continue
        hedge, hcmp, after = _hedge(s, m.end())
        out.append(Figure(m.start(), m.end(), value, None, m.group("unit"), hedge, hcmp, after, chinese=True))
    for m in _CN_PROJECTS_RE.finditer(s) if "民生实事" in s else ():
        value = chinese_to_number(m.group("num"))
        if value is None or in_ranges(m.start(), quotes) or any(f.start == m.start() for f in out):
            continue
        out.append(Figure(m.start(), m.end(), value, None, m.group("unit"), "", "", m.end(), chinese=True))
    for m in _DOUBLING_RE.finditer(s) if "番" in s or "倍增" in s else ():
        if in_ranges(m.start(), quotes):
            continue
        value = _DOUBLINGS[m.group("n")] if m.group("n") else 2.0
        out.append(Figure(m.start(), m.end(), value, None, "倍", "", "", m.end(), chinese=True))
    for m in _CN_MONEY_RE.finditer(s) if "亿元" in s else ():
        value = {"百": 100.0, "千": 1000.0, "万": 10000.0}[m.group("num")]
        out.append(Figure(m.start(), m.end(), value, None, "亿元", *_hedge(s, m.end()), chinese=True))
    for m in _CN_SCALE_RE.finditer(s) if "亿级" in s else ():
        out.append(Figure(m.start(), m.end(), 1.0, None, m.group("unit"), "", "", m.end(), chinese=True))
    out.sort(key=lambda f: f.start)
    return out
