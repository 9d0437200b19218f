"""Read an office's task list (清单) from Excel: 序号, 任务, 牵头单位, 配合单位, 完成时限, 年度目标.

Offices merge cells freely: a title row across the top, a two-row header (责任单位 over 牵头 | 配合), a
group heading across a row (一、产业发展), a 牵头单位 merged down several tasks. Merged cells are read as
if every cell of the range held the value. Every problem is reported with its row; nothing is returned
when there is one (the import is all-or-nothing).

A list of a year starts on 1 January of that year (`list_start`); a 完成时限 before that start is a problem
(most often a wrong --year or a typo), not a reason to move the start.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gongfu.errors import InputError, Problem, ValidationFailed
from gongfu.tabular.grid import cell_text, fill_merged
from gongfu.tabular.zipguard import check_zip
from gongfu.work.deadlines import DeadlineError, parse_deadline

# column -> header words, most specific first; a header cell is matched exactly, then by containment
COLUMNS: dict[str, tuple[str, ...]] = {
    "lead": ("牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "牵头"),
    "co": ("配合单位", "配合部门", "协同单位", "参与单位", "协办单位", "配合"),
    "due": ("完成时限", "完成时间", "完成期限", "时间节点", "时限"),
    "goal": ("年度目标", "年度任务", "目标"),
    "person": ("责任人", "联系人", "牵头领导", "责任领导"),
    "seq": ("序号", "编号"),
    "title": ("任务", "抓手", "改革事项", "事项", "工作内容", "内容", "举措"),
}
REQUIRED = ("title", "lead")
HEADER_SCAN = 12
_SPLIT = re.compile(r"[、,，;；/\n]+")


def list_start(year: int) -> date:
    """The day a list of this year starts: its tasks' start date, before which no task can be due."""
    return date(year, 1, 1)


@dataclass
class TaskLine:
    """One task row of the list, as read."""

    row: int
    seq: str
    title: str
    lead_units: list[str]
    co_units: list[str] = field(default_factory=list)
    due: date | None = None
    due_text: str = ""
    annual_goal: str = ""
    person: str = ""
    group: str = ""  # the group heading above it (一、产业发展), if any


_text = cell_text


def split_units(text: str) -> list[str]:
    """'市发改局、市财政局，各区县' → three units (等 dropped)."""
    out: list[str] = []
    for u in _SPLIT.split(text):
        u = re.sub(r"(等单位|等部门|等)$", "", u.strip()).strip()
        if u and u not in out:
            out.append(u)
    return out


def _column_of(label: str) -> str | None:
    label = re.sub(r"\s+", "", label)
    if not label:
        return None
    for col, words in COLUMNS.items():
        if label in words:
            return col
    for col, words in COLUMNS.items():
        if any(w in label for w in words):
            return col
    return None


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(index of the last header row, column -> index); a header over two rows is combined."""
    for h in range(min(HEADER_SCAN, len(rows))):
        cols: dict[str, int] = {}
        for i, v in enumerate(rows[h]):
            col = _column_of(_text(v))
            if col and col not in cols:
                cols[col] = i
        if "title" not in cols or not ({"lead", "co"} & cols.keys()):
            continue
        last = h
        if h + 1 < len(rows):  # a second header row: its labels refine the first (责任单位 → 牵头 | 配合)
            below = {i: _column_of(_text(v)) for i, v in enumerate(rows[h + 1])}
            refined = {c for c in below.values() if c in ("lead", "co", "person")}
            if refined and not _text(rows[h + 1][cols.get("seq", 0)]).isdigit():
                for i, col in below.items():
                    if col and (col not in cols or _text(rows[h][i]) == _text(rows[h][cols[col]])):
                        cols[col] = i
                last = h + 1
        return last, cols
    return None


def read_task_list(
    source: Path | bytes, *, year: int | None = None, file_name: str | None = None, sheet: str | None = None
) -> list[TaskLine]:
    """The task rows of the workbook (first sheet unless `sheet`); ValidationFailed lists every problem."""
    import openpyxl

    name = file_name or (source.name if isinstance(source, Path) else "upload.xlsx")
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", file=name) from None
    check_zip(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"不是可读取的 .xlsx 工作簿（{type(exc).__name__}）", file=name) from exc
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(f"没有名为“{sheet}”的工作表；现有：{'、'.join(wb.sheetnames)}", file=name)
    rows, merged = fill_merged(wb[sheet] if sheet else wb.worksheets[0])
    lines, problems = parse_rows(rows, merged, year=year)
    if problems:
        raise ValidationFailed(name, problems)
    return lines


def parse_rows(
    rows: list[list[object]],
    merged: dict[tuple[int, int], tuple[int, int, int, int]] | None = None,
    *,
    year: int | None = None,
) -> tuple[list[TaskLine], list[Problem]]:
    """Task lines and problems from a grid of values (row numbers 1-based, as Excel shows them)."""
    merged = merged or {}
    found = _header(rows)
    if found is None:
        words = "/".join(COLUMNS["title"][:2]) + " 与 " + "/".join(COLUMNS["lead"][:3])
        return [], [Problem("no-header", f"前{HEADER_SCAN}行中找不到表头（需含 {words} 列）")]
    last, cols = found
    missing = [c for c in REQUIRED if c not in cols]
    problems = [Problem("missing-column", f"缺少 {COLUMNS[c][0]} 列") for c in missing]
    if problems:
        return [], problems
    lines: list[TaskLine] = []
    seen: dict[str, int] = {}
    group = ""

    def cell(r: list[object], col: str) -> str:
        i = cols.get(col)
        return _text(r[i]) if i is not None and i < len(r) else ""

    for r_idx in range(last + 1, len(rows)):
        r, excel_row = rows[r_idx], r_idx + 1
        if not any(_text(v) for v in r):
            continue
        rng = merged.get((r_idx, cols["title"]))
        if rng is not None and rng[3] > rng[1] and rng[1] <= min(cols.values()):  # a heading across the row
            group = cell(r, "title")
            continue
        seq = cell(r, "seq")
        if seq and (r_idx, cols.get("seq", -1)) not in merged:
            if seq in seen:
                problems.append(
                    Problem("duplicate-seq", f"序号 {seq} 与第{seen[seq]}行重复", excel_row, "序号")
                )
            seen.setdefault(seq, excel_row)
        title = cell(r, "title")
        if not title:
            problems.append(Problem("no-task", "此行缺少任务内容", excel_row, COLUMNS["title"][0]))
            continue
        lead = split_units(cell(r, "lead"))
        if not lead:
            problems.append(Problem("no-lead-unit", "此行缺少牵头单位", excel_row, COLUMNS["lead"][0]))
        due_text = cell(r, "due")
        due = None
        i = cols.get("due")
        try:
            due = parse_deadline(r[i] if i is not None and i < len(r) else None, year)
        except DeadlineError as exc:
            problems.append(Problem("bad-deadline", str(exc), excel_row, "完成时限"))
        if due is not None and year is not None and due < list_start(year):
            problems.append(Problem("due-before-start", f"完成时限 {due.isoformat()} 早于{year}年清单的开始日 "
                                    f"{list_start(year).isoformat()}（请检查完成时限或 --year）", excel_row,
                                    "完成时限"))  # fmt: skip
        co = [u for u in split_units(cell(r, "co")) if u not in lead]
        lines.append(TaskLine(excel_row, seq, title, lead, co, due, due_text, cell(r, "goal"),
                              cell(r, "person"), group))  # fmt: skip
    if not lines and not problems:
        problems.append(Problem("no-rows", "表头之下没有任务行"))
    return lines, problems
