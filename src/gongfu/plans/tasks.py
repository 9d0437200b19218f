"""Turn a plan's outline into its task list (重点任务), with the units named as responsible.

A task is a numbered item of the task chapters (usually the "1." items) and each of its parts
(一是/二是, (1), ①). Items under general requirements (总体要求, 指导思想, 目标) and safeguards (保障措施)
are not tasks; when a chapter's title does not say, its items are kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from gongfu.model import Section, Target, Task
from gongfu.plans.outline import marker_kind

_HEADING_KINDS = ("cn", "cnp", "num", "nump")
_PART_KINDS = ("nump", "circ", "shi")
# Chapters that frame the plan rather than assign work.
_GENERAL_CHAPTER = re.compile(
    r"总体要求|指导思想|基本原则|工作原则|总体目标|主要目标|具体目标|发展目标|愿景目标|目标任务"
    r"|保障措施|组织保障|工作保障|实施保障|保障机制|组织实施|组织领导|推进机制"
)
_GENERAL_ITEM = re.compile(r"^(?:指导思想|基本原则|工作原则|总体要求|总体目标|主要目标|具体目标|发展目标)")
_LEAD = r"牵头单位|牵头部门|责任单位|责任部门|主要责任单位|主责单位|责任主体"
_CO = r"配合单位|配合部门|参与单位|协同单位|协办单位"
# a unit list runs to ; ) 。 or the line end, but may hold parentheses of its own: 各县(市、区)政府
_UNITS = re.compile(rf"({_LEAD}|{_CO})\s*[::]\s*((?:[^;;()\n。]|\([^()\n]*\))+)")


def _split_units(s: str) -> list[str]:
    """Split "市发改委、各县(市、区)政府,市财政局等" at 、 and commas outside parentheses."""
    units, depth, cur = [], 0, []
    for ch in s:
        if ch in "((":
            depth += 1
        elif ch in "))":
            depth = max(0, depth - 1)
        if ch in "、,,/" and depth == 0:
            units.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    units.append("".join(cur))
    cleaned = []
    for u in units:
        u = re.sub(r"等$|等单位$|等部门$", "", u.strip()).strip()
        if u and u not in cleaned:
            cleaned.append(u)
    return cleaned


def responsible_units(text: str) -> tuple[list[str], list[str]]:
    """The lead units (牵头/责任单位) and co-operating units (配合单位) named in a task's text."""
    lead: list[str] = []
    co: list[str] = []
    for m in _UNITS.finditer(text):
        target = lead if re.fullmatch(_LEAD, m.group(1)) else co
        for u in _split_units(m.group(2)):
            if u not in target:
                target.append(u)
    return lead, co


def _item_kind(sections: list[Section]) -> str | None:
    kinds = {marker_kind(s.marker) for s in sections}
    if "num" in kinds:
        return "num"
    present = [k for k in _HEADING_KINDS if k in kinds]
    return present[-1] if present else None


def _in_general_chapter(sections: list[Section]) -> list[bool]:
    """For each section: does it or an ancestor have a general/safeguard chapter title? One pass, a stack."""
    out: list[bool] = []
    stack: list[tuple[Section, bool]] = []
    for s in sections:
        while stack and not (stack[-1][0].level < s.level and s.start < stack[-1][0].end):
            stack.pop()
        inherited = bool(stack) and stack[-1][1]
        flag = inherited or bool(_GENERAL_CHAPTER.search(s.title))
        out.append(inherited)
        stack.append((s, flag))
    return out


def _is_general(sections: list[Section], i: int, ancestor_general: list[bool]) -> bool:
    return bool(_GENERAL_ITEM.match(sections[i].title)) or ancestor_general[i]


def _targets_within(targets: list[Target], order: list[int], start: int, end: int) -> list[int]:
    """Positions of the targets starting in [start, end); `order` lists positions by start offset."""
    lo = bisect_left(order, start, key=lambda k: targets[k].start)
    hi = bisect_left(order, end, key=lambda k: targets[k].start)
    # a target without text offsets (start == end) belongs to no task
    return sorted(k for k in order[lo:hi] if targets[k].end > targets[k].start)


def _task(text: str, s: Section, targets: list[Target], order: list[int]) -> Task:
    body = text[s.start : s.end].rstrip()
    end = s.start + len(body)
    lead, co = responsible_units(body)
    return Task(
        section=s.path,
        text=body,
        start=s.start,
        end=end,
        title=s.title,
        lead_units=lead,
        co_units=co,
        target_indexes=_targets_within(targets, order, s.start, end),
    )


def extract_tasks(text: str, sections: list[Section], targets: list[Target]) -> list[Task]:
    """Every task item (and each 一是/(1)/① part of one) outside the general and safeguard chapters."""
    kind = _item_kind(sections)
    if kind is None:
        return []
    item_level = next(s.level for s in sections if marker_kind(s.marker) == kind)
    tasks: list[Task] = []
    general = _in_general_chapter(sections)
    order = sorted(range(len(targets)), key=lambda k: targets[k].start)
    for i, s in enumerate(sections):
        if marker_kind(s.marker) != kind or _is_general(sections, i, general):
            continue
        tasks.append(_task(text, s, targets, order))
        # the item's direct parts; a part's own sub-parts stay inside its text
        part_level = None
        for child in sections[i + 1 :]:
            if child.start >= s.end:
                break
            if marker_kind(child.marker) not in _PART_KINDS or child.level <= item_level:
                continue
            part_level = part_level or child.level
            if child.level == part_level:
                tasks.append(_task(text, child, targets, order))
    return tasks
