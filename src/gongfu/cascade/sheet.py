"""Reading a 分解表 (Excel or CSV): one row per child region — region, indicator, value, year, note
(and optionally the child's baseline, 基期值) — through the one table reader (`gongfu.tabular`), which
handles encodings, title rows above the header and merged header cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongfu.errors import InputError, ValidationFailed
from gongfu.tabular import Column, Schema, read_table

COLUMNS: dict[str, tuple[str, ...]] = {
    "region": ("地区", "区划代码", "地区代码", "县（市、区）", "县(市、区)", "region"),
    "indicator": ("指标", "指标名称", "indicator"),
    "value": ("目标值", "分解值", "分解目标", "数值", "value"),
    "year": ("年份", "目标年份", "year"),
    "note": ("备注", "说明", "note"),
    "baseline": ("基期值", "基数", "baseline"),
}
REQUIRED = ("region", "indicator", "value")


@dataclass(frozen=True)
class SheetRow:
    row: int  # 1-based spreadsheet row
    region: str
    indicator: str
    value: str
    year: str
    note: str
    baseline: str = ""


def read_rows(
    path: Path, content: bytes, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column key: text}) for each data row of a table with these columns; InputError naming
    the file when a required column is missing, every uncalculated formula cell a problem."""
    schema = Schema(tuple(Column(k, names, required=k in required) for k, names in columns.items()))
    table = read_table(path, schema, data=content)
    missing = [columns[k][0] for k in required if k not in table.columns]
    if missing:
        raise InputError(f"找不到表头（需要“{'”“'.join(missing)}”列）", file=path.name)
    if problems := table.formula_problems():
        raise ValidationFailed(path.name, problems)
    return [(n, {k: table.get(cells, k).strip() for k in columns}) for n, cells in table.rows]


def read_sheet(path: Path, content: bytes | None = None) -> list[SheetRow]:
    """The rows of a 分解表 (see `read_rows`)."""
    content = path.read_bytes() if content is None else content
    return [SheetRow(n, **vals) for n, vals in read_rows(path, content, COLUMNS, REQUIRED)]
