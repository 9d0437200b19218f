"""Evaluation records and the annual report as formatted Excel workbooks (openpyxl).

`write_records_xlsx` is `gongfu evaluate --format xlsx` (one sheet per dimension, one for sources);
`write_report_xlsx` adds the summary, lagging, distribution and comparison sheets and source references.
Numbers are written as numbers (with number formats), not as the report's text.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongfu.labels import COLOUR_FILL, TREND_ZH, ambition_zh, comparator_zh, vintage_zh
from gongfu.reports import fmt
from gongfu.reports.data import COLOUR_ZH, COLOURS, ReportData

FILL = COLOUR_FILL
PERCENT = "0.0%"
NUMBER = "#,##0.00"
COLUMNS = [  # (header, record key, number format)
    ("地区", "region_name", None),
    ("指标", "indicator_name", None),
    ("方案原文指标", "indicator", None),
    ("比较", "comparator", None),
    ("目标值", "target", NUMBER),
    ("上限", "value2", NUMBER),
    ("单位", "unit", None),
    ("目标年份", "year", None),
    ("基期值", "baseline", NUMBER),
    ("最新值", "latest", NUMBER),
    ("最新年份", "latest_year", None),
    ("实现度", "attainment", PERCENT),
    ("实现度(未截断)", "attainment_raw", PERCENT),
    ("预期值", "expected", NUMBER),
    ("时序进度", "time_progress", PERCENT),
    ("差距", "gap", NUMBER),
    ("进度比", "progress_ratio", NUMBER),
    ("历史年均增速", "historic_growth", PERCENT),
    ("所需年均增速", "required_growth", PERCENT),
    ("预测值", "forecast", NUMBER),
    ("预警", "colour_zh", None),
    ("预警说明", "colour_reason", None),
    ("趋势", "trend", None),
    ("约束性", "ambition", None),
    ("方案原文", "sentence", None),
]
REF_COLUMN = ("来源", "refs", None)
# Cells shown through a label rather than as the stored code (a reader sees ≥, 上升, 确保; not >=, up, binding).
SHOWN = {
    "refs": fmt.refs,
    "comparator": lambda r: comparator_zh(r.get("comparator")),
    "trend": lambda r: TREND_ZH.get(r.get("trend") or "", r.get("trend")),
    "ambition": lambda r: ambition_zh(r.get("ambition")),
}
SOURCE_HEADER = ["编号", "地区", "指标", "年份", "数值", "单位", "口径", "来源文件", "行", "来源链接", "原文"]


def _style(ws: Worksheet, wrap: set[str] = frozenset({"方案原文", "原文", "说明", "预警说明"})) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for col in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 50)):
        letter = col[0].column_letter
        width = max(8, *(len(str(c.value or "")) * 1.7 for c in col))
        ws.column_dimensions[letter].width = min(60 if col[0].value in wrap else 30, width)
        if col[0].value in wrap:
            for c in col[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")


def _record_rows(ws: Worksheet, records: list[dict], columns: list[tuple]) -> None:
    ws.append([h for h, _, _ in columns])
    colour_idx = [k for _, k, _ in columns].index("colour_zh") + 1
    formats = [(j, f) for j, (_, _, f) in enumerate(columns, start=1) if f]
    growth_idx = [
        j for j, (_, k, _) in enumerate(columns, start=1) if k in ("historic_growth", "required_growth")
    ]
    for row, r in enumerate(records, start=2):  # ws.max_row is a scan: count rows here
        ws.append([SHOWN[k](r) if k in SHOWN else r.get(k) for _, k, _ in columns])
        for j, number_format in formats:
            ws.cell(row, j).number_format = number_format
        if r.get("method") == "linear":  # growth measured as a change per year, not a compound rate
            for j in growth_idx:
                ws.cell(row, j).number_format = NUMBER
        ws.cell(row, colour_idx).fill = PatternFill("solid", fgColor=FILL.get(r["colour"], "FFFFFF"))
    _style(ws)


def _sheet_name(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "未命名"
    out, k = base, 2
    while out in taken:
        out, k = f"{base[:28]}-{k}", k + 1
    taken.add(out)
    return out


def _dimension_sheets(wb: Workbook, records: list[dict], columns: list[tuple]) -> None:
    by_dim: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_dim[r["dimension"]].append(r)
    taken = set(wb.sheetnames)
    for dim, rows in by_dim.items():
        _record_rows(wb.create_sheet(_sheet_name(dim, taken)), rows, columns)


def write_records_xlsx(records: list[dict], out: Path) -> Path:
    """One sheet per dimension and one with every observation behind the figures."""
    wb = Workbook()
    wb.remove(wb.active)
    _dimension_sheets(wb, records, COLUMNS)
    src = wb.create_sheet("数据来源")
    src.append(SOURCE_HEADER[1:])
    for r in records:
        for o in r["observations"]:
            src.append(
                [r["region_name"], r["indicator_name"], o["year"], o["value"], o["unit"], vintage_zh(o["vintage"]),
                 o["source"], o["source_row"], o["source_url"], o["source_text"]]
            )  # fmt: skip
    _style(src)
    wb.save(out)
    return out


def _summary_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("摘要")
    ws.append([data.title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        f"{data.full_name}（{data.region}）　{fmt.as_of_text(data)}　生成日期 {fmt.date_zh(data.generated_on)}",
        fmt.summary_text(data),
        fmt.composite_text(data),
        *(f"滞后指标{i}：{fmt.lagging_text(r)}" for i, r in enumerate(data.top_lagging, 1)),
    ):
        ws.append([line])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(["预警", "指标数"])
    for k in COLOURS:
        ws.append([f"{COLOUR_ZH[k]}色", data.counts.get(k, 0)])
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=FILL[k])
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 24


def _table_sheet(wb: Workbook, name: str, header: list[str], rows: list[list]) -> Worksheet:
    ws = wb.create_sheet(name)
    ws.append(header)
    for row in rows:
        ws.append(row)
    _style(ws)
    return ws


def write_report_xlsx(data: ReportData, out: Path) -> Path:
    """The annual report as a workbook: 摘要, one sheet per dimension, 滞后指标, 收入分配, 下辖地区, 数据来源."""
    wb = Workbook()
    wb.remove(wb.active)
    _summary_sheet(wb, data)
    columns = [*COLUMNS, REF_COLUMN]
    _dimension_sheets(wb, data.records, columns)
    if data.lagging:
        _record_rows(wb.create_sheet("滞后指标"), data.lagging, columns)
    _table_sheet(
        wb, "收入分配", ["测度", "年份", "数值", "单位", "来源"],
        [[m.name, m.year, m.value, m.unit, m.ref] for m in data.measures],
    )  # fmt: skip
    if data.children is not None:
        _table_sheet(
            wb,
            "下辖地区",
            ["地区", "代码", "目标数"] + [f"{COLOUR_ZH[k]}色" for k in COLOURS] + ["平均实现度", "综合指数", "排名", "来源"],
            [
                [c.region_name, c.region, c.targets, *(c.counts.get(k, 0) for k in COLOURS),
                 c.mean_attainment, c.index, c.rank, "、".join(c.refs)]
                for c in data.children
            ],
        )  # fmt: skip
        if data.child_records:
            extra = [("最新值来源文件", "latest_source", None), ("行", "latest_row", None)]
            rows = [{**r, **_latest_source(r)} for r in data.child_records]
            _record_rows(wb.create_sheet("下辖地区目标"), rows, columns + extra)
    _sources_sheet(wb, data)
    wb.save(out)
    return out


def _latest_source(r: dict) -> dict:
    o = next((o for o in reversed(r["observations"]) if o["year"] == r.get("latest_year")), None)
    return {"latest_source": o["source"] if o else None, "latest_row": o["source_row"] if o else None}


def _sources_sheet(wb: Workbook, data: ReportData) -> None:
    ws = wb.create_sheet("数据来源")
    ws.append(
        [
            "编号",
            "类别",
            "地区",
            "指标或方案",
            "年份",
            "数值",
            "单位",
            "口径",
            "来源文件",
            "行",
            "来源链接",
            "原文",
        ]
    )
    for p in data.plans:
        ws.append([p.ref, "行动方案", p.region_name, p.title, p.period, None, None, None, p.file_name])
    for s in data.sentences:
        ws.append([s.ref, f"方案原文（{s.plan_ref}）", s.region_name, s.indicator, *[None] * 7, s.sentence])
    for o in data.stats:
        ws.append(
            [o.ref, "统计数据", o.region_name, o.indicator_name, o.year, o.value, o.unit, vintage_zh(o.vintage),
             o.source, o.source_row, o.source_url, o.source_text]
        )  # fmt: skip
    _style(ws)
    ws.column_dimensions[get_column_letter(12)].width = 60
