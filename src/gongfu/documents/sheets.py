"""The one workbook style: every .xlsx gongfu writes goes through `begin` / `append` / `finish`.

A sheet opens with a merged title row, a `单位：…` line with 制表单位 and 制表日期, and a header row; it is
frozen below the header, prints A4 landscape fitted to the page width with the title and header repeated on
every page, and uses a CJK font throughout. Every cell value passes `safe`: text that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return is written as text (never as a formula), so a quote such as
`=HYPERLINK(…)` or the comparator `==` comes out as the characters typed.

Works for ordinary and write-only (streaming) worksheets alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gongfu.documents.dates import date_zh

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
BODY_FONT, TITLE_FONT = "宋体", "黑体"
HEADER_FILL = "DDEBF7"
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ROWS = 3  # title, 单位 line, header


def formula_like(value: object) -> bool:
    """True for text Excel or LibreOffice would take as a formula (or a DDE call) when typed."""
    return isinstance(value, str) and value[:1] in FORMULA_LEADS


def _as_text(cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True  # shown as typed when a person edits the cell


def safe(ws, value: object):
    """`value` as it should go into `ws.append`: formula-like text becomes a text cell."""
    if not formula_like(value):
        return value
    if _write_only(ws):
        cell = WriteOnlyCell(ws, value)
        _as_text(cell)
        return cell
    return _Text(value)


class _Text(str):
    """Marks formula-like text for `append` on an ordinary sheet (fixed up after openpyxl stores it)."""


def _write_only(ws) -> bool:
    return not hasattr(ws, "iter_rows")


def append(ws, values: Iterable) -> None:
    """Append one row; formula-like text is stored as text."""
    row = [safe(ws, v) for v in values]
    ws.append(row)
    if not _write_only(ws) and any(isinstance(v, _Text) for v in row):
        r = ws.max_row
        for j, v in enumerate(row, start=1):
            if isinstance(v, _Text):
                cell = ws.cell(r, j)
                cell.value = str(v)
                _as_text(cell)


def workbook(*, write_only: bool = False) -> Workbook:
    """A workbook whose default font is the CJK body font (every cell without a font of its own uses it)."""
    wb = Workbook(write_only=write_only)
    wb._fonts[0].name = BODY_FONT  # the Normal style's font: openpyxl offers no public setter
    wb._fonts[0].sz = 11
    if not write_only:
        wb.remove(wb.active)
    return wb


def _styled(ws, value, *, font: Font | None = None, fill: str | None = None, align: Alignment | None = None):
    cell = WriteOnlyCell(ws, value)
    if formula_like(value):
        _as_text(cell)
    if font:
        cell.font = font
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if align:
        cell.alignment = align
    if fill:
        cell.border = _BOX
    return cell


def begin(
    ws,
    title: str,
    header: Sequence[str],
    *,
    unit: str = "",
    org: str = "",
    on: date | None = None,
    widths: Sequence[float] | None = None,
    landscape: bool = True,
) -> int:
    """Write the title row, the 单位 / 制表单位 / 制表日期 line and the header; returns the header's row number.

    Call before any data row. `widths` (in characters) defaults to one from the header's length."""
    n = max(1, len(header))
    last = get_column_letter(n)
    for j, w in enumerate(widths or [max(8.0, len(h) * 2.2) for h in header], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    _print_setup(ws, HEADER_ROWS, landscape)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([_styled(ws, title, font=Font(name=TITLE_FONT, size=16, bold=True), align=centre)])
    left = f"单位：{unit}" if unit else ""
    right = "　".join(
        x for x in (f"制表单位：{org}" if org else "", f"制表日期：{date_zh(on)}" if on else "") if x
    )
    split = max(1, n // 2)
    meta = [_styled(ws, left, align=Alignment(horizontal="left"))] + [None] * (split - 1)
    meta += [_styled(ws, right, align=Alignment(horizontal="right"))] + [None] * (n - split - 1)
    ws.append(meta[:n] if n > 1 else [_styled(ws, "　".join(x for x in (left, right) if x))])
    bold = Font(name=TITLE_FONT, size=11, bold=True)
    ws.append([_styled(ws, h, font=bold, fill=HEADER_FILL, align=centre) for h in header])
    _merge(ws, f"A1:{last}1")
    if n > 1:
        _merge(ws, f"A2:{get_column_letter(split)}2")
        _merge(ws, f"{get_column_letter(split + 1)}2:{last}2")
    return HEADER_ROWS


def _merge(ws, rng: str) -> None:
    a, b = rng.split(":")
    if a == b:
        return
    if _write_only(ws):
        ws.merged_cells.add(rng)
    else:
        ws.merge_cells(rng)


def _print_setup(ws, header_row: int, landscape: bool) -> None:
    """Freeze below the header, repeat title and header on every printed page, A4 landscape fitted to width.
    (Set before the first row: a streamed sheet writes these ahead of its rows.)"""
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"1:{header_row}"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def finish(ws, *, header_row: int = HEADER_ROWS, columns: int, rows: int | None = None,
           wrap: Iterable[int] = ()) -> None:  # fmt: skip
    """Close a sheet opened with `begin`: the auto-filter over the data, grid lines and wrapping.

    `wrap`: 1-based columns whose text wraps (ordinary sheets only; a streamed sheet styles its cells
    as it writes them). `rows`: the number of data rows, for the auto-filter range."""
    if rows:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{header_row + rows}"
    if _write_only(ws):
        return
    wrapped = set(wrap)
    for row in ws.iter_rows(min_row=header_row + 1, max_col=columns):
        for cell in row:
            cell.border = _BOX
            if cell.column in wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def table_sheet(wb: Workbook, name: str, title: str, header: Sequence[str], rows: Iterable[Sequence], *,
                unit: str = "", org: str = "", on: date | None = None, widths: Sequence[float] | None = None,
                wrap: Iterable[int] = ()):  # fmt: skip
    """A whole sheet in one call: `begin`, every row through `append`, `finish`. Returns the sheet."""
    ws = wb.create_sheet(name)
    hr = begin(ws, title, header, unit=unit, org=org, on=on, widths=widths)
    n = 0
    for r in rows:
        append(ws, r)
        n += 1
    finish(ws, header_row=hr, columns=len(header), rows=n, wrap=wrap)
    return ws


__all__ = ["append", "begin", "finish", "formula_like", "safe", "table_sheet", "workbook"]
