"""Lists in a sentence: A、B分别达到x、y; A、B、C 3个100%; …、醉美碗窑风行线6条…(the count of a list)."""

from __future__ import annotations

import re

from gongfu.plans.extract.figures import Figure
from gongfu.plans.extract.lexicon import ACTION_PREFIX_RE
from gongfu.plans.extract.numbers import chinese_to_number
from gongfu.plans.extract.phrases import split_items
from gongfu.plans.extract.records import Found, Sentence
from gongfu.plans.extract.units import COUNT_UNITS, unit_base

MULTIPLIER_RE = re.compile(
    r"(?P<n>\d+|[一二两三四五六七八九十])个“?(?P<verb>不低于|不少于|不超过|不高于)?\s*$"
)


def multiplied(sent: Sentence, clause_start: int, pre_start: int, pre: str) -> list[tuple[int, str]] | None:
    """'A、B、C 3个100%' and 'A、B、C“三个不低于10': the items the figure applies to, with their offsets."""
    m = MULTIPLIER_RE.search(pre)
    if not m:
        return None
    n_text = m.group("n")
    n = int(n_text) if n_text.isdigit() else int(chinese_to_number(n_text) or 0)
    items = split_items(sent.s, sent.masked, clause_start, pre_start + m.start())
    return items if len(items) == n and n > 1 else None


_DIGIT_RE = re.compile(r"\d")
_TASK_RE = re.compile(
    rf"(?:{ACTION_PREFIX_RE.pattern})|加快|推进|推动|落实|实现|确保|优化|完善|加强|深化|健全"
)


def shared_rate(
    sent: Sentence, found: Found, clause_start: int, seg_start: int
) -> list[tuple[int, str]] | None:
    """甲、乙、丙均增长12% / 甲、乙和丙降幅达到8%: one rate shared by a list of indicators, one record each.

    Only for rates (%, ‰, 个百分点), where a shared figure is the usual reading; counts (建设A、B 300公里) are not
    split. The items are the 、-list standing right before the figure's own words, with no figure in it.
    """
    if found.unit not in ("%", "‰", "个百分点") or "分别" in sent.s[clause_start : found.end]:
        return None
    before = sent.masked[clause_start:seg_start]
    if not before.rstrip().endswith("、") or _DIGIT_RE.search(before):
        return None
    items = split_items(sent.s, sent.masked, clause_start, seg_start - 1)
    pieces = [p.strip() for p in sent.s[clause_start:seg_start].split("、") if p.strip()]
    if not items or any(len(t) < 2 for _, t in items) or any(_TASK_RE.match(p) for p in pieces):
        return None  # 加快…扩面提质、重点人群…覆盖率80: a task before the indicator, not a list of indicators
    return [*items, (found.start, found.indicator)]


def enumeration(sent: Sentence, clause_start: int, f: Figure) -> bool:
    """'A、B、C 3个山区县': a count that sums up a list of names written just before it."""
    if unit_base(f.unit) not in COUNT_UNITS or f.value < 2:
        return False
    items = split_items(sent.s, sent.masked, clause_start, f.start)
    return len(items) == int(f.value)


def coverage_list(sent: Sentence, found: Found, clause_start: int, prev: Found | None) -> Found:
    """收入200万元、经营性收入80万元以上的行政村实现全覆盖: the hedge and coverage apply to the whole list."""
    if prev is not None and prev.start >= clause_start and prev.comparator == "==" and not prev.qualifier:
        prev.comparator = found.comparator
    return found


def pair_lists(sent: Sentence, found: list[Found]) -> list[Found]:
    """Give list members their comparators and, after 分别, their own indicators (A、B分别达到x、y)."""
    i = 0
    while i < len(found):
        j = i + 1
        while j < len(found) and found[j].comparator == "":
            j += 1
        group = found[i:j]
        head = found[i]
        last = group[-1]
        if len(group) > 1 and last.qualifier and not head.qualifier and head.comparator == "==":
            # 分别稳定在1500万亩、120亿斤以上: the hedge that ends the list holds for all of it
            head.comparator = _hedge_cmp(last.qualifier)
        for g in group[1:]:
            g.comparator = _hedge_cmp(g.qualifier) if g.qualifier else head.comparator
            if head.comparator in ("increase", "decrease", "range"):
                g.comparator = head.comparator
        if len(group) > 1:
            text = sent.s[head.start : head.end]
            cut = text.find("分别")
            items = split_items(sent.s, sent.masked, head.start, head.start + cut) if cut > 0 else []
            if len(items) == len(group):
                for g, (off, name) in zip(group, items, strict=True):
                    g.indicator, g.start = name, off
        i = j
    return found


def _hedge_cmp(q: str) -> str:
    if q in ("以上", "及以上"):
        return ">="
    if q in ("以下", "以内", "及以下", "之内"):
        return "<="
    return "=="
