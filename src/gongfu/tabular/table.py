"""Find the table in a grid: title rows, a `单位：万元` line, a one- or two-row header (merged cells), the
data rows with their spreadsheet row numbers, and closing notes (注：… / 资料来源：…).

The header is the first row among the top rows with the most headers the schema knows (without a schema:
the first row with two different values). A row whose cells are all one value — a merged title — is a
title row; a cell like `单位：万元` or `（计量单位：亿元）` above the header is the table's unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongfu.errors import Problem
from gongfu.tabular.grid import Grid, read_grid
from gongfu.tabular.schema import Schema

HEADER_SEARCH = 15  # rows searched for the header
_UNIT = re.compile(r"^[（(]?\s*(?:计量)?单位\s*[:：]\s*(?P<unit>[^）)\s]+)\s*[）)]?$")
_UNIT_INSIDE = re.compile(r"[（(]\s*(?:计量)?单位\s*[:：]\s*(?P<unit>[^）)\s]+)\s*[）)]")
_NOTE = re.compile(r"^(注|说明|备注|资料来源|数据来源|来源)\s*[:：0-9１-９一-九]")


@dataclass
class Table:
    """A table as text cells: the header and (spreadsheet row number, cells) for each data row."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""  # CSV: "utf-8", "gb18030", "big5" …; "xlsx" for a workbook
    title: str = ""
    unit: str | None = None  # the 单位 line above the header, which applies to the whole table
    header_row: int = 1  # the (last) header row's number
    notes: list[str] = field(default_factory=list)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # uncalculated (row, col, formula)
    columns: dict[str, int] = field(default_factory=dict)  # canonical name → index (with a schema)
    unknown: list[str] = field(default_factory=list)  # headers the schema does not know

    def get(self, cells: list[str], name: str) -> str:
        i = self.columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    def formula_problems(self) -> list[Problem]:
        """A problem for every formula cell in the data that has no calculated value."""
        body = {n for n, _ in self.rows}
        return [
            Problem(
                "formula",
                f"公式单元格没有计算结果（{text}）：请在Excel中打开并保存后再导入",
                row,
                self.header[col] if col < len(self.header) else None,
            )
            for row, col, text in self.formulas
            if row in body
        ]


def read_table(path: Path, schema: Schema | None = None, *, data: bytes | None = None) -> Table:
    """The first sheet of a CSV or XLSX file as a Table (see the module docstring)."""
    return locate(read_grid(Path(path), data), schema)


def locate(grid: Grid, schema: Schema | None = None) -> Table:
    rows = [(n, cells) for n, cells in grid.rows if any(c for c in cells)]
    head_at = _header_index(rows, schema)
    if head_at is None:
        return Table([], [], grid.encoding, formulas=grid.formulas)
    # A header cell merged down from the row above (指标 over two rows) starts the header there.
    while head_at > 0 and any(
        (rows[head_at][0], j) in grid.merged_down for j in range(len(rows[head_at][1]))
    ):
        head_at -= 1
    before = rows[:head_at]
    title_parts, unit = [], None
    for _, cells in before:
        for c in dict.fromkeys(c for c in cells if c):
            if m := _UNIT.match(c):
                unit = m.group("unit")
            else:
                if m := _UNIT_INSIDE.search(c):
                    unit = m.group("unit")
                title_parts.append(_UNIT_INSIDE.sub("", c).strip())
    header_row, header = rows[head_at]
    body_from = head_at + 1
    if body_from < len(rows):
        n2, lower = rows[body_from]
        spans = any(
            (n2, j) in grid.merged_down or (header_row, j) in grid.merged_across for j in range(len(header))
        )
        if n2 == header_row + 1 and spans:
            header = [_join(up, lower[j] if j < len(lower) else "", (n2, j) in grid.merged_down)
                      for j, up in enumerate(header)]  # fmt: skip
            header_row, body_from = n2, body_from + 1
    body, notes = [], []
    for n, cells in rows[body_from:]:
        filled = [c for c in cells if c]
        if is_note(filled):
            notes.append(filled[0])
            continue
        body.append((n, cells))
    table = Table(header, body, grid.encoding, " ".join(t for t in title_parts if t), unit, header_row, notes,
                  grid.formulas)  # fmt: skip
    if schema is not None:
        table.columns = schema.match(header)
        table.unknown = schema.unknown(header)
    return table


def is_note(filled: list[str]) -> bool:
    """A closing note row (注：… / 资料来源：…), given the row's non-empty cells."""
    return len(set(filled)) == 1 and bool(_NOTE.match(filled[0]))


def _join(upper: str, lower: str, merged: bool) -> str:
    if merged or not lower or lower == upper:
        return upper
    return lower


def _is_title(cells: list[str]) -> bool:
    return len({c for c in cells if c}) <= 1


def _header_index(rows: list[tuple[int, list[str]]], schema: Schema | None) -> int | None:
    top = rows[:HEADER_SEARCH]
    if not top:
        return None
    if schema is not None:
        scores = [sum(schema.known(c) for c in dict.fromkeys(cells) if c) for _, cells in top]
        best = max(scores)
        if best > 0:
            return scores.index(best)
    for i, (_, cells) in enumerate(top):
        if not _is_title(cells):
            return i
    return 0
