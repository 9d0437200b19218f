"""Files for offices: the battle map (挂图作战表, tasks × months in status colours), a unit's
accountability sheet (责任清单), and the 督办单 (.docx) listing a unit's overdue tasks and open findings.

They read through `query` and `finding_service`, so what they show is what the board shows.
"""

from __future__ import annotations

import bisect
import calendar
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlalchemy import select

from gongfu.fmt import date_zh
from gongfu.labels import TASK_STATUS_FILL, actor_zh
from gongfu.store.db import Database
from gongfu.store.work_tables import ReportRow
from gongfu.web.scope import Scope
from gongfu.work import query
from gongfu.work.finding_service import findings
from gongfu.work.findings import STATE_NAMES
from gongfu.work.status import task_state

COLOURS = TASK_STATUS_FILL  # fill colours by status (Excel RGB)
KIND_NAMES = {"key_tasks": "重点任务", "breakthrough": "突破性抓手", "reform": "重大改革"}


def _history(db: Database, ids: list[int]) -> dict[int, tuple[list[date], list[float]]]:
    """Each task's reports in date order: (days, percents), for 'percent as of a day' by bisection."""
    out: dict[int, tuple[list[date], list[float]]] = defaultdict(lambda: ([], []))
    with db.session() as s:
        for i in range(0, len(ids), 5000):
            q = (select(ReportRow.task_id, ReportRow.reported_on, ReportRow.percent)
                 .where(ReportRow.task_id.in_(ids[i : i + 5000]))
                 .order_by(ReportRow.task_id, ReportRow.reported_on, ReportRow.id))  # fmt: skip
            for tid, day, pct in s.execute(q):
                days, pcts = out[tid]
                days.append(day)
                pcts.append(pct)
    return out


def _status_on(t: dict, hist: tuple[list[date], list[float]], day: date) -> str:
    days, pcts = hist
    k = bisect.bisect_right(days, day)
    checked = t["checked_off_at"] is not None and date.fromisoformat(t["checked_off_at"][:10]) <= day
    st = task_state(start=date.fromisoformat(t["start_date"]),
                    due=date.fromisoformat(t["due_date"]) if t["due_date"] else None,
                    percent=pcts[k - 1] if k else 0.0, as_of=day, checked_off=checked,
                    last_report=days[k - 1] if k else None)  # fmt: skip
    return st.status.value


def battle_map(db: Database, scope: Scope, region: str, year: int, path: Path, *, as_of: date | None = None,
               kind: str | None = None) -> int:  # fmt: skip
    """Write the 挂图作战表: one row per task, one column per month of `year` coloured by the status at the
    month's end (months after `as_of` left blank, the due month marked ▲). Returns the number of tasks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    day = as_of or query.today()
    rows = query.tasks(db, scope, region, as_of=day, kind=kind, limit=10**9)
    rows.sort(key=lambda t: (t["list_id"], t["id"]))
    hist = _history(db, [t["id"] for t in rows])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("挂图作战表")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in COLOURS.items()}
    bold = Font(bold=True)
    ws.column_dimensions["C"].width = 48
    title = WriteOnlyCell(ws, f"{scope.registry.full_name(scope.region(region).code)} {year}年挂图作战表"
                              f"（截至{date_zh(day)}）")  # fmt: skip
    title.font = Font(bold=True, size=14)
    ws.append([title])
    legend = []
    for name, fill in fills.items():
        c = WriteOnlyCell(ws, name)
        c.fill = fill
        legend.append(c)
    ws.append(["图例", *legend, "▲ 完成时限所在月"])
    head = ["清单", "序号", "任务", "牵头单位", "配合单位", "责任人", "完成时限", "进度%", "状态",
            *[f"{m}月" for m in range(1, 13)]]  # fmt: skip
    cells = []
    for h in head:
        c = WriteOnlyCell(ws, h)
        c.font = bold
        cells.append(c)
    ws.append(cells)
    centre = Alignment(horizontal="center")
    for t in rows:
        status = WriteOnlyCell(ws, t["status"])
        status.fill = fills[t["status"]]
        line: list = [t["list_name"], t["seq"], t["title"], t["lead_unit"] or "", "、".join(t["co_units"]),
                      t["person"], t["due_date"] or t["due_text"], t["percent"], status]  # fmt: skip
        due = date.fromisoformat(t["due_date"]) if t["due_date"] else None
        for m in range(1, 13):
            end = date(year, m, calendar.monthrange(year, m)[1])
            mark = "▲" if due and due.year == year and due.month == m else ""
            c = WriteOnlyCell(ws, mark)
            c.alignment = centre
            if date(year, m, 1) <= day:
                c.fill = fills[_status_on(t, hist[t["id"]], min(end, day))]
            line.append(c)
        ws.append(line)
    wb.save(path)
    return len(rows)


def accountability_sheet(
    db: Database, scope: Scope, unit_id: int, path: Path, *, as_of: date | None = None
) -> dict:
    """Write a unit's 责任清单: the tasks it leads, those it cooperates on, and its open findings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    view = query.unit_view(db, scope, unit_id, as_of=as_of)
    wb = Workbook()
    ws = wb.active
    ws.title = "责任清单"
    ws.append([f"{view['unit']['name']} 责任清单（截至 {view['as_of']}）"])
    ws["A1"].font = Font(bold=True, size=14)
    head = ["角色", "清单", "序号", "任务", "完成时限", "进度%", "状态", "时序进度", "最近报告", "责任人"]
    ws.append(head)
    for c in ws[2]:
        c.font = Font(bold=True)
    for role, items in (("牵头", view["lead"]), ("配合", view["co"])):
        for t in items:
            ts = "" if t["time_share"] is None else f"{t['time_share'] * 100:.0f}%"
            ws.append([role, t["list_name"], t["seq"], t["title"], t["due_date"] or t["due_text"], t["percent"],
                       t["status"], ts, t["last_report_on"] or "", t["person"]])  # fmt: skip
            ws.cell(ws.max_row, 7).fill = PatternFill("solid", fgColor=COLOURS[t["status"]])
    ws.column_dimensions["D"].width = 48
    fsheet = wb.create_sheet("督查问题")
    fsheet.append(["编号", "问题", "状态", "整改时限", "是否逾期"])
    for f in view["findings"]:
        fsheet.append([f["id"], f["title"], STATE_NAMES.get(f["state"], f["state"]), f["deadline"] or "",
                       "是" if f["overdue"] else "否"])  # fmt: skip
    wb.save(path)
    return {"lead": len(view["lead"]), "co": len(view["co"]), "findings": len(view["findings"])}


def supervision_notice(db: Database, scope: Scope, unit_id: int, path: Path, *, as_of: date | None = None,
                       reply_days: int = 10) -> dict:  # fmt: skip
    """Write a 督办单 (.docx) for a unit: its overdue tasks and its open findings, with a reply deadline."""
    from datetime import timedelta

    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    view = query.unit_view(db, scope, unit_id, as_of=as_of)
    day = date.fromisoformat(view["as_of"])
    open_findings = findings(
        db, scope, view["unit"]["region_code"], open_only=True, unit_id=unit_id, as_of=day
    )
    doc = Document()
    h = doc.add_heading("督 办 单", level=0)
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        f"督办对象：{view['unit']['name']}（{scope.registry.full_name(view['unit']['region_code'])}）"
    )
    doc.add_paragraph(f"督办日期：{date_zh(day)}    督办人：{actor_zh(scope.actor)}")
    doc.add_heading(f"一、逾期未完成任务（{len(view['overdue'])} 项）", level=1)
    _table(doc, ["序号", "任务", "完成时限", "进度", "状态"],
           [[t["seq"], t["title"], t["due_date"] or "", f"{t['percent']:g}%", t["status"]] for t in view["overdue"]])  # fmt: skip
    doc.add_heading(f"二、未销号督查问题（{len(open_findings)} 项）", level=1)
    _table(doc, ["编号", "问题", "状态", "整改时限"],
           [[str(f["id"]), f["title"], STATE_NAMES.get(f["state"], f["state"]), f["deadline"] or ""]
            for f in open_findings])  # fmt: skip
    doc.add_heading("三、办理要求", level=1)
    reply = day + timedelta(days=reply_days)
    doc.add_paragraph(
        f"请于{date_zh(reply)}前书面报送上述任务的推进情况和问题整改情况，并上传佐证材料；"
        "逾期未报送的，将纳入年度考核通报。"
    )
    doc.save(str(path))
    return {"overdue": len(view["overdue"]), "findings": len(open_findings), "reply_by": reply.isoformat()}


def _table(doc, head: list[str], rows: list[list[str]]) -> None:
    if not rows:
        doc.add_paragraph("无。")
        return
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for r in rows:
        for cell, text in zip(table.add_row().cells, r, strict=True):
            cell.text = str(text)
