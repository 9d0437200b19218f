"""Evaluation records → a formatted Excel workbook (one sheet per dimension, one for sources)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "orange": "F8CBAD", "red": "FFC7CE", "grey": "D9D9D9"}
COLUMNS = [
    ("地区", "region_name"),
    ("指标", "indicator_name"),
    ("方案原文指标", "indicator"),
    ("比较", "comparator"),
    ("目标值", "target"),
    ("上限", "value2"),
    ("单位", "unit"),
    ("目标年份", "year"),
    ("基期值", "baseline"),
    ("最新值", "latest"),
    ("最新年份", "latest_year"),
    ("实现度", "attainment"),
    ("实现度(未截断)", "attainment_raw"),
    ("预期值", "expected"),
    ("时序进度", "time_progress"),
    ("差距", "gap"),
    ("进度比", "progress_ratio"),
    ("预测值", "forecast"),
    ("预警", "colour_zh"),
    ("预警说明", "colour_reason"),
    ("趋势", "trend"),
    ("约束性", "ambition"),
    ("方案原文", "sentence"),
]


def write_xlsx(records: list[dict], out: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    by_dim: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_dim[r["dimension"]].append(r)
    for dim, rows in sorted(by_dim.items()):
        ws = wb.create_sheet(dim[:31])
        ws.append([c for c, _ in COLUMNS])
        for r in rows:
            ws.append([r.get(k) for _, k in COLUMNS])
            colour_cell = ws.cell(ws.max_row, [k for _, k in COLUMNS].index("colour_zh") + 1)
            colour_cell.fill = PatternFill("solid", fgColor=FILL.get(r["colour"], "FFFFFF"))
        _style(ws)
    src = wb.create_sheet("数据来源")
    src.append(["地区", "指标", "年份", "数值", "单位", "口径", "来源文件", "行", "来源链接", "原文"])
    for r in records:
        for o in r["observations"]:
            src.append(
                [
                    r["region_name"],
                    r["indicator_name"],
                    o["year"],
                    o["value"],
                    o["unit"],
                    o["vintage"],
                    o["source"],
                    o["source_row"],
                    o["source_url"],
                    o["source_text"],
                ]
            )
    _style(src)
    wb.save(out)


def _style(ws) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.freeze_panes = "A2"
    for col in ws.columns:
        letter = col[0].column_letter
        ws.column_dimensions[letter].width = min(
            60, max(8, *(len(str(c.value or "")) * 1.6 for c in col[:50]))
        )
