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
        from gongfu import progress

        grid = _csv(data, name, "\t" if suffix == ".tsv" else ",")
        progress.report("reading", len(grid.rows), len(grid.rows))
        return grid
    raise InputError(f"不支持的文件类型“{suffix}”（支持 .csv 与 .xlsx）", file=name)


def _csv(data: bytes, name: str, delimiter: str) -> Grid:
    text, enc = decode(data, name)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"CSV格式错误：{exc}", file=name) from None
    return Grid([(i, [c.strip() for c in r]) for i, r in enumerate(rows, start=1)], enc)


def _xlsx(data: bytes, name: str) -> Grid:
    """The first sheet, streamed: openpyxl's read-only parser, one pass over the sheet's XML, one row of
    Python objects at a time (a million-row sheet is never a million rows of openpyxl cells). Merged ranges
    (listed after the rows) are filled afterwards; a formula without a calculated value is kept as its text."""
    from openpyxl import load_workbook

    from gongfu import progress

    check_zip(data, name)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for a damaged file
        raise InputError(_damaged(exc), file=name) from exc
    try:
        if not book.worksheets:
            raise InputError("XLSX文件没有工作表", file=name)
        ws = book.worksheets[0]
        declared = ws.max_row  # from the sheet's <dimension>, when it has one: the total for progress
        parser = _SheetParser(ws, book)
        rows: list[tuple[int, list[str]]] = []
        found: list[tuple[int, int, str]] = []
        small: dict[int, str] = {}  # years, codes: one string object for each repeated whole number
        width = 0
        with book._archive.open(ws._worksheet_path) as source:
            parser.source = source
            try:
                for n, cells in parser.parse():
                    if not cells:
                        continue
                    row = [""] * cells[-1]["column"]
                    for c in cells:
                        v, j = c["value"], c["column"] - 1
                        if v is None:
                            continue
                        if isinstance(v, _Formula):
                            found.append((n, j, str(v)))
                            row[j] = str(v)
                        elif type(v) is int:
                            text = small.get(v)
                            if text is None:
                                text = str(v)
                                if len(small) < 65536:
                                    small[v] = text
                            row[j] = text
                        else:
                            row[j] = cell_text(v)
                    width = max(width, len(row))
                    rows.append((n, row))
                    if len(rows) % progress.EVERY == 0:
                        progress.report("reading", len(rows), declared)
            except InputError:
                raise
            except Exception as exc:
                raise InputError(_damaged(exc), file=name) from exc
        ranges = [r.ref for r in getattr(parser.merged_cells, "mergeCell", [])]
    finally:
        book.close()
    for _, row in rows:  # every row as wide as the widest, as a sheet is
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    merged_down, merged_across = _fill_ranges(rows, ranges)
    progress.report("reading", len(rows), len(rows))
    return Grid(rows, "xlsx", merged_down, merged_across, found)


def _damaged(exc: Exception) -> str:
    return f"无法读取XLSX文件（文件损坏或不是XLSX）: {type(exc).__name__}: {exc}"


class _Formula(str):
    """The text of a formula cell that has no calculated value."""


def _SheetParser(ws, book):
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class SheetParser(WorkSheetParser):
        """Values as Excel last calculated them; a formula cell without one as its formula text."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if element.find(FORMULA_TAG) is not None:
                formula = self.parse_formula(element)  # also records shared formulas for later cells
                if cell["value"] is None:
                    cell["value"] = _Formula(_formula_text(formula))
            return cell

    return SheetParser(None, ws._shared_strings, data_only=True, epoch=book.epoch,
                       date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)  # fmt: skip


def _fill_ranges(rows: list[tuple[int, list[str]]], refs: list[str]) -> tuple[set, set]:
    """Fill each merged range (e.g. "A1:C2") of the rows with its top-left value; the covered cells (1-based
    row, 0-based column) below the first row of a range, and right of the first column in its first row."""
    from openpyxl.worksheet.cell_range import CellRange

    down: set[tuple[int, int]] = set()
    across: set[tuple[int, int]] = set()
    if not refs or not rows:
        return down, across
    at = {n: cells for n, cells in rows}
    last = rows[-1][0]
    added = False
    for ref in refs:
        try:
            rng = CellRange(ref)
        except (ValueError, TypeError):
            continue
        top = at.get(rng.min_row)
        value = top[rng.min_col - 1] if top is not None and rng.min_col - 1 < len(top) else ""
        for r in range(rng.min_row, min(rng.max_row, last) + 1):
            row = at.get(r)
            if row is None:
                row = at[r] = []
                added = True
            row.extend([""] * (rng.max_col - len(row)))
            for c in range(rng.min_col - 1, rng.max_col):
                row[c] = value
                if r > rng.min_row:
                    down.add((r, c))
                elif c > rng.min_col - 1:
                    across.add((r, c))
    if added:
        rows[:] = sorted(at.items())
    return down, across


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
