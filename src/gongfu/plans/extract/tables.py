"""Target tables (指标表): rows of cells from .docx/.html, or a table a web page flattened into text.

A 指标表 has a header such as 指标 | 单位 | 2020年(基期值) | 2025年(目标值) | 属性. Each row is one target.
Its ambition comes from the 属性: 约束性 → binding, 预期性 → indicative (力争 in the cell → striving); the
属性 is kept as the qualifier too. A row that states a change (单位GDP能耗下降 | % | 16, or a column headed
累计下降 / 年均增长) is an increase/decrease of the quantity, as in prose (gold/GUIDELINES.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongfu.model import Target
from gongfu.plans.extract.units import UNIT_RE

_INDICATOR_HEAD_RE = re.compile(r"指标(?:名称)?|^名称$|^项目$|^内容$")
_UNIT_HEAD_RE = re.compile(r"^(?:计量)?单位")
_BASE_HEAD_RE = re.compile(r"基期|基准|现状|基数")
_TARGET_HEAD_RE = re.compile(r"目标|预期值|规划值")
_ATTR_HEAD_RE = re.compile(r"属性|性质|类型")
_YEAR_HEAD_RE = re.compile(r"((?:19|20)\d{2})\s*年?")
# A target column headed by a change (累计下降, 年均增长 %): its figures are changes, not levels.
_CHANGE_HEAD_RE = re.compile(
    r"(?P<inc>增长|增速|增幅|提高|提升|增加)(?!值|到|至|为)|(?P<dec>下降|降低|减少|压减|削减)(?!到|至|为)"
)
# An indicator named by its change (单位GDP能耗下降, 地区生产总值年均增长, 规上工业增加值增速). 增长率 is
# left alone: 人口自然增长率 is a level.
_CHANGE_NAME_RE = re.compile(
    r"(?:年均|年平均|平均|每年|累计|五年累计)?"
    r"(?:(?P<inc>增长|增速|增幅|增加|提高|提升)(?:幅度)?|(?P<dec>下降|降低|减少|减排|压减|削减)(?:率|幅度)?)$"
)
_CHANGE_UNITS = ("%", "‰", "百分点", "个百分点")
_CELL_RE = re.compile(
    r"^(?P<amb>力争|争取|确保)?\s*(?P<op>≥|>=|>|≤|<=|<|不低于|不少于|超过|达到|突破|不超过|低于|控制在)?\s*"
    r"(?P<v1>-?\d+(?:\.\d+)?)\s*(?:(?:-|—|–|~|～|至)\s*(?P<v2>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>[^\d\s以左]*?)\s*(?P<hedge>以上|以下|以内|左右)?$"
)
_OPS = {
    "≥": ">=",
    ">=": ">=",
    ">": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "超过": ">=",
    "达到": ">=",
    "突破": ">=",
    "≤": "<=",
    "<=": "<=",
    "<": "<=",
    "不超过": "<=",
    "低于": "<=",
    "控制在": "<=",
}
_HEDGES = {"以上": ">=", "以下": "<=", "以内": "<=", "左右": "=="}
# A flattened row: cells separated by '|', tabs or runs of two or more spaces.
_CELL_SPLIT_RE = re.compile(r"\s*\|\s*|\t+|\s{2,}")


@dataclass
class _Columns:
    indicator: int
    target: int
    unit: int | None
    base: int | None
    attr: int | None
    year: int | None
    change: str | None = None  # "increase" | "decrease" when the target column's header names a change


def _columns(header: list[str], horizon: int | None) -> _Columns | None:
    """Find the columns of a 指标表 header, or None when the header is not one."""
    heads = [re.sub(r"\s+", "", h) for h in header]
    ind = next((i for i, h in enumerate(heads) if _INDICATOR_HEAD_RE.search(h) and "属性" not in h), None)
    if ind is None:
        return None
    unit = next((i for i, h in enumerate(heads) if _UNIT_HEAD_RE.search(h)), None)
    attr = next((i for i, h in enumerate(heads) if _ATTR_HEAD_RE.search(h)), None)
    years = [(i, int(m.group(1))) for i, h in enumerate(heads) if (m := _YEAR_HEAD_RE.search(h)) and i != ind]
    target = next(
        (i for i, h in enumerate(heads) if _TARGET_HEAD_RE.search(h) and i not in (ind, attr)), None
    )
    base = next((i for i, h in enumerate(heads) if _BASE_HEAD_RE.search(h)), None)
    if target is None and years:
        target = max(years, key=lambda t: t[1])[0]
    if base is None and len(years) > 1:
        base = min(years, key=lambda t: t[1])[0]
    if target is None:  # a table of changes only: 指标 | 单位 | 基期值 | 累计下降 | 属性
        target = next(
            (
                i
                for i, h in enumerate(heads)
                if _CHANGE_HEAD_RE.search(h) and i not in (ind, unit, attr, base)
            ),
            None,
        )
    if target is None:
        return None
    year = dict(years).get(target, horizon)
    return _Columns(ind, target, unit, base, attr, year, _change(_CHANGE_HEAD_RE.search(heads[target])))


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _parse_value(cell: str) -> re.Match[str] | None:
    return _CELL_RE.match(re.sub(r"\s+", "", cell.replace("%", "%")))


def _change(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    return "increase" if m.group("inc") else "decrease"


def _ambition(written: str | None, attr: str) -> str:
    """力争/争取 in the cell → striving; else the 属性: 预期性 → indicative, 约束性 (or none) → binding."""
    if written in ("力争", "争取"):
        return "striving"
    return "indicative" if "预期" in attr and "约束" not in attr else "binding"


def _row_target(cells: list[str], cols: _Columns) -> Target | None:
    indicator = re.sub(r"\s+", "", _cell(cells, cols.indicator))
    m = _parse_value(_cell(cells, cols.target))
    if not indicator or m is None:
        return None
    written_unit = m.group("unit") or ""
    unit = written_unit if UNIT_RE.fullmatch(written_unit) else re.sub(r"\s+", "", _cell(cells, cols.unit))
    unit = unit.removeprefix("(").removesuffix(")")
    base = _parse_value(_cell(cells, cols.base))
    attr = _cell(cells, cols.attr)
    bound = m.group("op") or m.group("hedge") or ""
    comparator = "=="
    if m.group("v2"):
        comparator = "range"
    elif m.group("op"):
        comparator = _OPS[m.group("op")]
    elif m.group("hedge"):
        comparator = _HEDGES[m.group("hedge")]
    per_cent = unit in _CHANGE_UNITS
    named = _CHANGE_NAME_RE.search(indicator)
    # A name stating a change, with a per-cent figure (or no baseline level beside it), is that change of
    # the quantity. A change column (累计下降) holds changes, except a level bound written in the cell
    # (PM2.5浓度 | 微克/立方米 | 30 | ≤25).
    change: str | None = None
    if named and named.start() > 0 and (per_cent or base is None):
        change = _change(named)
        indicator = indicator[: named.start()]
    elif cols.change and (per_cent or not m.group("op")):
        change = cols.change
    if change and comparator != "range":
        comparator = change
        attr = " ".join(x for x in (attr, bound) if x)  # the written bound (以上, ≤ …) stays visible
    return Target(
        indicator=indicator,
        value=float(m.group("v1")),
        value2=float(m.group("v2")) if m.group("v2") else None,
        unit=unit,
        comparator=comparator,
        year=cols.year,
        ambition=_ambition(m.group("amb"), _cell(cells, cols.attr)),
        baseline=float(base.group("v1")) if base else None,
        qualifier=attr,
    )


def targets_from_table(rows: list[list[str]], *, horizon: int | None) -> list[Target]:
    """Targets of a 指标表 given as rows of cell strings, header first (empty when it is not a 指标表)."""
    if not rows:
        return []
    cols = _columns(rows[0], horizon)
    if cols is None:
        return []
    return [t for row in rows[1:] if (t := _row_target(row, cols)) is not None]


def _split_line(line: str) -> list[tuple[int, str]]:
    """Cells of a flattened row with their offsets in the line."""
    cells: list[tuple[int, str]] = []
    pos = 0
    for m in _CELL_SPLIT_RE.finditer(line):
        if m.start() > pos:
            cells.append((pos, line[pos : m.start()]))
        elif m.start() == pos and pos > 0:
            cells.append((pos, ""))
        pos = m.end()
    if pos < len(line):
        cells.append((pos, line[pos:]))
    return cells


def flattened_table_targets(text: str, *, horizon: int | None) -> tuple[list[Target], list[tuple[int, int]]]:
    """Targets of 指标表 that a page flattened into lines of text, and the text ranges the tables cover."""
    if "指标" not in text:
        return [], []
    targets: list[Target] = []
    ranges: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        off, line = lines[i]
        cells = _split_line(line) if "指标" in line else []
        cols = _columns([c for _, c in cells], horizon) if len(cells) >= 3 else None
        if cols is None:
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            roff, row = lines[j]
            rcells = _split_line(row)
            if len(rcells) < 3:
                break
            t = _row_target([c for _, c in rcells], cols)
            if t is not None:
                first = rcells[min(cols.indicator, len(rcells) - 1)]
                last = rcells[min(cols.target, len(rcells) - 1)]
                t.start, t.end = roff + first[0], roff + last[0] + len(last[1].rstrip())
                targets.append(t)
            j += 1
        ranges.append((off, lines[j - 1][0] + len(lines[j - 1][1])))
        i = j
    return targets, ranges
