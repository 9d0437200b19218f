"""A CSV or XLSX file as a grid of text cells with spreadsheet row numbers, before any header is found.

XLSX: the first sheet, merged cells filled with their top-left value, numbers as written (12.0 → "12"),
and formula cells that were never calculated (saved by a program, not by Excel) kept as their formula
text and listed, so a reader can report them instead of reading an empty cell.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from gongfu.errors import InputError
from gongfu.tabular.decode import decode
from gongfu.tabular.zipguard import check_zip

XLSX = (".xlsx", ".xlsm")
CSV = (".csv", ".txt", ".tsv", "")


@dataclass
class Grid:
    rows: list[tuple[int, list[str]]]  # (1-based row number, cells)
    encoding: str
    merged_down: set[tuple[int, int]] = field(default_factory=set)  # (row, col) covered from the row above
    merged_across: set[tuple[int, int]] = field(default_factory=set)  # (row, col) covered from the left
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # uncalculated (row, col, formula)


def cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if (v.hour, v.minute, v.second) != (0, 0, 0) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def read_grid(path: Path, data: bytes | None = None) -> Grid:
    """The first sheet of a CSV or XLSX file as a grid; InputError for a missing, binary or damaged file."""
    name = path.name
    if data is None:
        if not path.is_file():
            raise InputError("文件不存在", file=str(path))
        data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in XLSX:
        return _xlsx(data, name)
    if suffix in CSV:
        return _csv(data, name, "\t" if suffix == ".tsv" else ",")
    raise InputError(f"不支持的文件类型“{suffix}”（支持 .csv 与 .xlsx）", file=name)


def _csv(data: bytes, name: str, delimiter: str) -> Grid:
    text, enc = decode(data, name)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"CSV格式错误：{exc}", file=name) from None
    return Grid([(i, [c.strip() for c in r]) for i, r in enumerate(rows, start=1)], enc)


def _xlsx(data: bytes, name: str) -> Grid:
    from openpyxl import load_workbook

    check_zip(data, name)
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged file
        raise InputError(
            f"无法读取XLSX文件（文件损坏或不是XLSX）: {type(exc).__name__}: {exc}", file=name
        ) from exc
    try:
        grid, ranges = fill_merged(values.worksheets[0])
        fgrid = [list(r) for r in formulas.worksheets[0].iter_rows(values_only=True)]
    finally:
        values.close()
        formulas.close()
    merged_down = {(r + 1, c) for (r, c), (r0, _, _, _) in ranges.items() if r > r0}
    merged_across = {(r + 1, c) for (r, c), (r0, c0, _, _) in ranges.items() if r == r0 and c > c0}
    found: list[tuple[int, int, str]] = []
    rows: list[tuple[int, list[str]]] = []
    for i, row in enumerate(grid, start=1):
        frow = fgrid[i - 1] if i - 1 < len(fgrid) else []
        cells = []
        for j, v in enumerate(row):
            f = frow[j] if j < len(frow) else None
            if v is None and _is_formula(f):
                text = _formula_text(f)
                found.append((i, j, text))
                cells.append(text)
            else:
                cells.append(cell_text(v))
        rows.append((i, cells))
    return Grid(rows, "xlsx", merged_down, merged_across, found)


def fill_merged(ws) -> tuple[list[list[object]], dict[tuple[int, int], tuple[int, int, int, int]]]:
    """A sheet's values with every merged range filled with its top-left value, and for each merged cell
    (0-based row, column) its range (row0, col0, row1, col1)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        r0, c0, r1, c1 = rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
                merged[(r, c)] = (r0, c0, r1, c1)
    return rows, merged


def _is_formula(v: object) -> bool:
    return (isinstance(v, str) and v.startswith("=")) or hasattr(v, "text")  # str, or an ArrayFormula


def _formula_text(v: object) -> str:
    text = str(getattr(v, "text", v))
    return text if text.startswith("=") else "=" + text
