"""Reading a 分解表 (Excel or CSV): one row per child region — region, indicator, value, year, note
(and optionally the child's baseline, 基期值).

The header row may be anywhere in the first ten rows (a title above it is common); columns are found by
their Chinese or English names. Rows come back as plain dicts with their spreadsheet row number.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongfu.errors import InputError
from gongfu.tabular.grid import cell_text, read_grid

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


def read_cells(path: Path, content: bytes) -> list[list[object]]:
    """The first sheet of an .xlsx or .csv (any Chinese encoding) as rows of text cells."""
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise InputError("须为 .xlsx 或 .csv 文件", file=path.name)
    return [list(cells) for _, cells in read_grid(path, content).rows]


_text = cell_text


def read_table(
    path: Path,
    content: bytes,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column key: text}) for each non-empty row under the first header row naming `required`."""
    rows = read_cells(path, content)
    for i, row in enumerate(rows[:10]):
        heads = [_text(c) for c in row]
        where = {
            key: next((j for j, h in enumerate(heads) if h in names), None) for key, names in columns.items()
        }
        if all(where[k] is not None for k in required):
            out = []
            for n, r in enumerate(rows[i + 1 :], start=i + 2):
                vals = {k: (_text(r[j]) if j is not None and j < len(r) else "") for k, j in where.items()}
                if any(vals.values()):
                    out.append((n, vals))
            return out
    need = "”“".join(columns[k][0] for k in required)
    raise InputError(f"找不到表头（需要“{need}”列）", file=path.name)


def read_sheet(path: Path, content: bytes | None = None) -> list[SheetRow]:
    """The rows of a 分解表; InputError naming the file when no header row with the needed columns is found."""
    content = path.read_bytes() if content is None else content
    return [SheetRow(n, **vals) for n, vals in read_table(path, content, COLUMNS, REQUIRED)]
