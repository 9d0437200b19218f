"""Rules that read one figure in its clause: is a bare number a target, its unit, damage, comparator."""

from __future__ import annotations

import re

from gongfu.plans.extract.figures import Figure
from gongfu.plans.extract.lexicon import ACTION_PREFIX_RE, CHANGE_RE, ELIMINATE_RE
from gongfu.plans.extract.phrases import NAME_WORD_RE, comparator_verb
from gongfu.plans.extract.records import Sentence
from gongfu.plans.extract.units import RATE_ENDINGS, RATIO_ENDINGS

_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_WS_RE = re.compile(r"\s+")
_CMP = {"ge": ">=", "le": "<=", "eq": "=="}


def accept_bare(sent: Sentence, f: Figure, pre: str) -> bool:
    """A figure without a unit is a target only after a verb or a ratio/rate name, and not glued to a word."""
    s = sent.s
    tail = s[f.after :]
    if tail[:1] and _HAN_RE.match(tail[:1]) and not f.hedge:
        return False  # 26县, 1+3+2 …
    name = _WS_RE.sub("", pre).rstrip("的")
    if comparator_verb(pre) or name.endswith(RATE_ENDINGS + RATIO_ENDINGS):
        return True
    if f.hedge and _HAN_RE.match(tail.lstrip()[:1] or " "):
        return True  # 50以上县(市、区)…: a share that lost its %
    # text lost after the figure: a new clause starts right after it (全市 50 打造…)
    lost = tail[:1].isspace() and ACTION_PREFIX_RE.match(tail.lstrip())
    return bool(lost) or (sent.cut and not tail.strip())


def unit_and_damage(sent: Sentence, f: Figure, indicator: str) -> tuple[str, bool]:
    unit = _WS_RE.sub("", f.unit)
    if f.chinese or not f.bare:
        return unit, False
    tail = sent.s[f.after :]
    if indicator.endswith(RATE_ENDINGS):
        return "%", True  # a rate with no unit: the page lost its %
    if f.hedge and _HAN_RE.match(tail.lstrip()[:1] or " "):
        return "%", True
    lost = (sent.cut and not tail.strip()) or (tail[:1].isspace() and _HAN_RE.match(tail.lstrip()[:1] or " "))
    return "", bool(lost)


def comparator(f: Figure, pre: str, verb: re.Match[str] | None, change: re.Match[str] | None) -> str:
    if f.value2 is not None:
        return "range"
    if f.unit == "强":
        return "<="  # a rank: 进位…30强
    if change is not None:
        return "increase" if change.group("inc") else "decrease"
    if f.hedge_cmp:
        if f.hedge_cmp == "<=" and ELIMINATE_RE.search(pre):
            return ">="  # 消除…13000元以下现象: everyone at or above the threshold
        return f.hedge_cmp
    if verb is not None:
        return _CMP[verb.lastgroup or "eq"]
    return "=="


# Units of things that are built or upgraded: after 提升/提高 + an object they count the work
# (新建提升省级片区100个, 整体提升滨江线20公里), not a rise of a quantity.
_WORK_UNITS_RE = re.compile(
    r"^万?(?:公里|千米|米|亩|平方米|平方公里|公顷|个|处|座|条|所|家|项|栋|幢|套|户|间|张|台|辆|艘)$"
)
_UPGRADE_RE = re.compile(r"提升|提高")


def upgrades(pre: str, unit: str) -> bool:
    """提升/提高 governs a count or length of things worked on (改造提升…5000公里堤防)."""
    return bool(_WORK_UNITS_RE.match(unit)) and any(
        _UPGRADE_RE.fullmatch(m.group("inc") or "") for m in CHANGE_RE.finditer(pre)
    )


def change_verb(pre: str, unit: str = "") -> re.Match[str] | None:
    """A change verb (增长, 增加 …) that governs the figure (of unit `unit`).

    提升/提高 followed by the object worked on and a count or length of it is an action (改造提升…1800公里):
    no change verb then.
    """
    for m in CHANGE_RE.finditer(pre):
        gap = pre[m.end() :]
        if (
            _UPGRADE_RE.fullmatch(m.group("inc") or "")
            and _WORK_UNITS_RE.match(unit)
            and len(_HAN_RE.findall(gap)) >= 2
        ):
            continue
        if not NAME_WORD_RE.search(gap) and not comparator_verb(gap.replace("达", "", 1)):
            return m
    return None
