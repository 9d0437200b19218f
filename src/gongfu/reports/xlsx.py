"""Evaluation records and the annual report as formatted Excel workbooks (openpyxl).

`write_records_xlsx` is `gongfu evaluate --format xlsx` (one sheet per dimension, one for sources);
`write_report_xlsx` adds the summary, lagging, distribution and comparison sheets and source references.
Numbers are written as numbers (with number formats), not as the report's text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gongfu import clock
from gongfu.documents import sheets
from gongfu.documents.issuer import office_name
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


WRAPPED = frozenset({"方案原文", "原文", "说明", "预警说明", "原文及链接"})


def _widths(header: list[str], rows: list[list]) -> list[float]:
    """Column widths from the first rows' contents: wide enough to read, text columns capped at 60."""
    out = []
    for j, h in enumerate(header):
        longest = max([len(str(h))] + [len(str(r[j])) for r in rows[:50] if j < len(r) and r[j] is not None])
        out.append(min(60 if h in WRAPPED else 30, max(8, longest * 1.7)))
    return out


def _sheet(wb: Workbook, name: str, title: str, header: list[str], rows: list[list], *, org: str, on,
           unit: str = "见“单位”列") -> Worksheet:  # fmt: skip
    """A sheet in the house workbook style (title, 单位 line, frozen header, print setup, text-safe)."""
    ws = wb.create_sheet(name)
    hr = sheets.begin(ws, title, header, unit=unit, org=org, on=on, widths=_widths(header, rows))
    for r in rows:
        sheets.append(ws, r)
    wrap = [j for j, h in enumerate(header, start=1) if h in WRAPPED]
    sheets.finish(ws, header_row=hr, columns=len(header), rows=len(rows), wrap=wrap)
    return ws


def _record_rows(wb: Workbook, name: str, title: str, records: list[dict], columns: list[tuple], *, org: str,
                 on) -> Worksheet:  # fmt: skip
    header = [h for h, _, _ in columns]
    rows = [[SHOWN[k](r) if k in SHOWN else r.get(k) for _, k, _ in columns] for r in records]
    ws = _sheet(wb, name, title, header, rows, org=org, on=on)
    colour_idx = [k for _, k, _ in columns].index("colour_zh") + 1
    formats = [(j, f) for j, (_, _, f) in enumerate(columns, start=1) if f]
    growth_idx = [
        j for j, (_, k, _) in enumerate(columns, start=1) if k in ("historic_growth", "required_growth")
    ]
    for row, r in enumerate(records, start=sheets.HEADER_ROWS + 1):
        for j, number_format in formats:
            ws.cell(row, j).number_format = number_format
        if r.get("method") == "linear":  # growth measured as a change per year, not a compound rate
            for j in growth_idx:
                ws.cell(row, j).number_format = NUMBER
        ws.cell(row, colour_idx).fill = PatternFill("solid", fgColor=FILL.get(r["colour"], "FFFFFF"))
    return ws


def _sheet_name(name: str, taken: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "未命名"
    out, k = base, 2
    while out in taken:
        out, k = f"{base[:28]}-{k}", k + 1
    taken.add(out)
    return out


def _dimension_sheets(wb: Workbook, records: list[dict], columns: list[tuple], *, title: str, org: str,
                      on) -> None:  # fmt: skip
    by_dim: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_dim[r["dimension"]].append(r)
    taken = set(wb.sheetnames)
    for dim, rows in by_dim.items():
        _record_rows(wb, _sheet_name(dim, taken), f"{title}（{dim}）", rows, columns, org=org, on=on)


def _region_name(records: list[dict]) -> str:
    names = list(dict.fromkeys(r.get("region_name") or "" for r in records))
    return (
        names[0]
        if len(names) == 1
        else "、".join(n for n in names[:3] if n) + ("等" if len(names) > 3 else "")
    )


def write_records_xlsx(records: list[dict], out: Path) -> Path:
    """One sheet per dimension and one with every observation behind the figures."""
    wb = sheets.workbook()
    name = _region_name(records)
    org, on = office_name(name), clock.today()
    _dimension_sheets(wb, records, COLUMNS, title=f"{name}目标监测评价", org=org, on=on)
    rows = [
        [r["region_name"], r["indicator_name"], o["year"], o["value"], o["unit"], vintage_zh(o["vintage"]), o["source"],
         o["source_row"], o["source_url"], o["source_text"]]
        for r in records
        for o in r["observations"]
    ]  # fmt: skip
    _sheet(wb, "数据来源", f"{name}目标监测评价数据来源", SOURCE_HEADER[1:], rows, org=org, on=on)
    wb.save(out)
    return out


def _summary_sheet(wb: Workbook, data: ReportData, org: str, on) -> None:
    lines = [
        f"{data.full_name}（{data.region}）　{fmt.as_of_text(data)}",
        fmt.summary_text(data),
        fmt.composite_text(data),
        *(f"滞后指标{i}：{fmt.lagging_text(r)}" for i, r in enumerate(data.top_lagging, 1)),
    ]
    rows = [[line, None] for line in lines] + [[None, None], ["预警", "指标数"]]
    rows += [[f"{COLOUR_ZH[k]}色", data.counts.get(k, 0)] for k in COLOURS]
    ws = _sheet(wb, "摘要", data.title, ["摘要", "数值"], rows, org=org, on=on, unit="项")
    ws.column_dimensions["A"].width = 100
    first = sheets.HEADER_ROWS + 1
    for i in range(len(lines)):
        ws.cell(first + i, 1).alignment = Alignment(wrap_text=True, vertical="top")
    legend = first + len(lines) + 1
    ws.cell(legend, 1).font = ws.cell(legend, 2).font = Font(name=sheets.TITLE_FONT, bold=True)
    for i, k in enumerate(COLOURS, start=legend + 1):
        ws.cell(i, 1).fill = PatternFill("solid", fgColor=FILL[k])


def write_report_xlsx(data: ReportData, out: Path) -> Path:
    """The annual report as a workbook: 摘要, one sheet per dimension, 滞后指标, 收入分配, 下辖地区, 数据来源."""
    wb = sheets.workbook()
    org, on = office_name(data.region_name), date.fromisoformat(data.generated_on[:10])
    _summary_sheet(wb, data, org, on)
    columns = [*COLUMNS, REF_COLUMN]
    _dimension_sheets(wb, data.records, columns, title=data.title, org=org, on=on)
    if data.lagging:
        _record_rows(wb, "滞后指标", f"{data.title}（滞后指标）", data.lagging, columns, org=org, on=on)
    _sheet(
        wb, "收入分配", f"{data.title}（收入分配测度）", ["测度", "年份", "数值", "单位", "来源"],
        [[m.name, m.year, m.value, m.unit, m.ref] for m in data.measures], org=org, on=on,
    )  # fmt: skip
    if data.timeliness["units"]:
        _sheet(
            wb, "数据报送", f"{data.title}（数据报送及时率与完整率）",
            ["地区", "责任单位", "应报", "按时", "迟报", "未报", "未到期", "完整率", "及时率"],
            [[u["region_name"], u["unit"], u["expected"], u["on_time"], u["late"], u["missing"], u["pending"],
              u["completeness"], u["timeliness"]] for u in data.timeliness["units"]],
            org=org, on=on, unit="期次",
        )  # fmt: skip
    if data.children is not None:
        _sheet(
            wb,
            "下辖地区",
            f"{data.title}（下辖地区比较）",
            ["地区", "代码", "目标数"] + [f"{COLOUR_ZH[k]}色" for k in COLOURS] + ["平均实现度", "综合指数", "排名", "来源"],
            [
                [c.region_name, c.region, c.targets, *(c.counts.get(k, 0) for k in COLOURS),
                 c.mean_attainment, c.index, c.rank, "、".join(c.refs)]
                for c in data.children
            ],
            org=org, on=on, unit="项",
        )  # fmt: skip
        if data.child_records:
            extra = [("最新值来源文件", "latest_source", None), ("行", "latest_row", None)]
            rows = [{**r, **_latest_source(r)} for r in data.child_records]
            _record_rows(
                wb, "下辖地区目标", f"{data.title}（下辖地区目标）", rows, columns + extra, org=org, on=on
            )
    _sources_sheet(wb, data, org, on)
    wb.save(out)
    return out


def _latest_source(r: dict) -> dict:
    o = next((o for o in reversed(r["observations"]) if o["year"] == r.get("latest_year")), None)
    return {"latest_source": o["source"] if o else None, "latest_row": o["source_row"] if o else None}


SOURCES_HEADER = [
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


def _sources_sheet(wb: Workbook, data: ReportData, org: str, on) -> None:
    rows = [[p.ref, "行动方案", p.region_name, p.title, p.period, None, None, None, p.file_name] + [None] * 3
            for p in data.plans]  # fmt: skip
    rows += [[s.ref, f"方案原文（{s.plan_ref}）", s.region_name, s.indicator, *[None] * 7, s.sentence]
             for s in data.sentences]  # fmt: skip
    rows += [
        [o.ref, "统计数据", o.region_name, o.indicator_name, o.year, o.value, o.unit, vintage_zh(o.vintage),
         o.source, o.source_row, o.source_url, o.source_text]
        for o in data.stats
    ]  # fmt: skip
    ws = _sheet(wb, "数据来源", f"{data.title}（数据来源）", SOURCES_HEADER, rows, org=org, on=on)
    ws.column_dimensions[get_column_letter(12)].width = 60
