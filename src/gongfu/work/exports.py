"""Files for offices: the battle map (挂图作战表, tasks × months in status colours), a unit's
accountability sheet (责任清单), and the 督办单 (.docx) listing a unit's overdue tasks and open findings.

They read through `query` and `finding_service`, so what they show is what the board shows.
"""

from __future__ import annotations

import bisect
import calendar
from datetime import date
from pathlib import Path

from sqlalchemy import select

from gongfu.access.scope import Scope
from gongfu.documents import sheets
from gongfu.documents.dates import date_zh
from gongfu.documents.issuer import doc_number, office_name
from gongfu.labels import TASK_STATUS_FILL
from gongfu.store.db import Database
from gongfu.work import query
from gongfu.work.finding_service import findings
from gongfu.work.findings import STATE_NAMES
from gongfu.work.status import task_state

COLOURS = TASK_STATUS_FILL  # fill colours by status (Excel RGB)
KIND_NAMES = {"key_tasks": "重点任务", "breakthrough": "突破性抓手", "reform": "重大改革"}


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
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, PatternFill

    day = as_of or query.today()
    rows = query.tasks(db, scope, region, as_of=day, kind=kind, limit=10**9)
    rows.sort(key=lambda t: (t["list_id"], t["id"]))
    hist = query.report_history(db, [t["id"] for t in rows])
    wb = sheets.workbook(write_only=True)
    ws = wb.create_sheet("挂图作战表")
    fills = {k: PatternFill("solid", fgColor=v) for k, v in COLOURS.items()}
    head = ["清单", "序号", "任务", "牵头单位", "配合单位", "责任人", "完成时限", "进度%", "状态",
            *[f"{m}月" for m in range(1, 13)]]  # fmt: skip
    code = scope.region(region).code
    name = scope.registry.full_name(code)
    sheets.begin(ws, f"{name}{year}年挂图作战表（截至{date_zh(day)}）", head, unit="项",
                 org=office_name(scope.registry.get(code).name), on=query.today(),
                 widths=[16, 6, 48, 16, 20, 8, 12, 7, 8, *[5] * 12])  # fmt: skip
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
        sheets.append(ws, line)
    legend = []
    for label, fill in fills.items():
        c = WriteOnlyCell(ws, label)
        c.fill = fill
        legend.append(c)
    ws.append([])
    ws.append(["图例", None, None, *legend, "▲ 完成时限所在月"])
    sheets.finish(ws, columns=len(head), rows=len(rows))
    wb.save(path)
    return len(rows)


def accountability_sheet(
    db: Database, scope: Scope, unit_id: int, path: Path, *, as_of: date | None = None
) -> dict:
    """Write a unit's 责任清单: the tasks it leads, those it cooperates on, and its open findings."""
    from openpyxl.styles import PatternFill

    view = query.unit_view(db, scope, unit_id, as_of=as_of)
    u = view["unit"]
    org, on = office_name(scope.registry.get(u["region_code"]).name), query.today()
    wb = sheets.workbook()
    head = ["角色", "清单", "序号", "任务", "完成时限", "进度%", "状态", "时序进度", "最近报告", "责任人"]
    rows = []
    for role, items in (("牵头", view["lead"]), ("配合", view["co"])):
        for t in items:
            ts = "" if t["time_share"] is None else f"{t['time_share'] * 100:.0f}%"
            rows.append([role, t["list_name"], t["seq"], t["title"], t["due_date"] or t["due_text"], t["percent"],
                         t["status"], ts, t["last_report_on"] or "", t["person"]])  # fmt: skip
    ws = sheets.table_sheet(wb, "责任清单", f"{u['name']}责任清单（截至{date_zh(view['as_of'])}）", head, rows,
                            unit="项", org=org, on=on, widths=[6, 16, 6, 48, 12, 7, 8, 9, 12, 10], wrap=[4])  # fmt: skip
    for i, row in enumerate(rows, start=sheets.HEADER_ROWS + 1):
        ws.cell(i, 7).fill = PatternFill("solid", fgColor=COLOURS[row[6]])
    sheets.table_sheet(
        wb, "督查问题", f"{u['name']}未销号督查问题（截至{date_zh(view['as_of'])}）",
        ["编号", "问题", "状态", "整改时限", "是否逾期"],
        [[f["id"], f["title"], STATE_NAMES.get(f["state"], f["state"]), f["deadline"] or "",
          "是" if f["overdue"] else "否"] for f in view["findings"]],
        unit="个", org=org, on=on, widths=[8, 60, 10, 14, 10], wrap=[2],
    )  # fmt: skip
    wb.save(path)
    return {"lead": len(view["lead"]), "co": len(view["co"]), "findings": len(view["findings"])}


def supervision_notice(db: Database, scope: Scope, unit_id: int, path: Path, *, as_of: date | None = None,
                       reply_days: int = 10, signer: str = "") -> dict:  # fmt: skip
    """Write a 督办单 (.docx, GB/T 9704 layout) to a unit: its overdue tasks and open findings, a reply date,
    发文机关标志, 文号 (numbered per region and year), 主送机关, 落款, 成文日期 and who signs it.

    `signer` is the person's name; without one the acting user's name is used unless it is a machine
    account (`cli:…`), in which case a blank 签发人 line is left to sign by hand. The notice is audited."""
    from datetime import timedelta

    from gongfu.access.audit import record
    from gongfu.documents.official import OfficialDocument
    from gongfu.store.access_tables import AuditEventRow

    view = query.unit_view(db, scope, unit_id, as_of=as_of)
    day = date.fromisoformat(view["as_of"])
    u = view["unit"]
    open_findings = findings(db, scope, u["region_code"], open_only=True, unit_id=unit_id, as_of=day)
    region = scope.registry.get(u["region_code"])
    issuer = office_name(region.name)
    signer = signer or ("" if scope.actor.startswith("cli:") else scope.actor)
    with db.session() as s:
        issued = s.scalars(select(AuditEventRow.new).where(AuditEventRow.action == "task.notice",
                                                           AuditEventRow.region_code == region.code))  # fmt: skip
        serial = 1 + sum(1 for n in issued if (n or {}).get("year") == day.year)
        number = doc_number(region.name, "督", day.year, serial)
        record(s, scope.actor, "task.notice", "work_unit", unit_id, region=region.code,
               new={"number": number, "year": day.year, "serial": serial, "signer": signer,
                    "overdue": len(view["overdue"]), "findings": len(open_findings)})  # fmt: skip
    from gongfu.reporting.views import overdue_for_unit  # data requests the unit has not reported (数据填报)

    owed = overdue_for_unit(db, scope, u["region_code"], u["name"], as_of=day)
    doc = OfficialDocument(title=f"督办单 {number}")
    doc.issuer_mark(issuer)
    doc.doc_number(number)
    doc.title("督 办 单")
    doc.addressee(u["name"])
    doc.paragraph(
        f"截至{date_zh(day)}，你单位牵头的{len(view['overdue'])}项任务逾期未完成，"
        f"{len(open_findings)}个督查问题尚未整改销号，{len(owed)}项数据逾期未报。现予督办，具体如下。"
    )
    doc.heading(1, f"一、逾期未完成任务（{len(view['overdue'])}项）")
    doc.table(["序号", "任务", "完成时限", "进度", "状态"],
              [[t["seq"], t["title"], date_zh(t["due_date"]) if t["due_date"] else "", f"{t['percent']:g}%",
                t["status"]] for t in view["overdue"]])  # fmt: skip
    doc.heading(1, f"二、未销号督查问题（{len(open_findings)}个）")
    doc.table(["编号", "问题", "状态", "整改时限"],
              [[str(f["id"]), f["title"], STATE_NAMES.get(f["state"], f["state"]),
                date_zh(f["deadline"]) if f["deadline"] else ""] for f in open_findings])  # fmt: skip
    doc.heading(1, f"三、逾期未报数据（{len(owed)}项）")
    doc.table(["报告期", "指标", "报送期限", "逾期天数", "状态"],
              [[r["period_label"], "、".join(r["indicators"]), date_zh(r["due"]), str(r["overdue_days"]),
                "已退回未重报" if r["state"] == "returned" else "未报送"] for r in owed])  # fmt: skip
    doc.heading(1, "四、办理要求")
    reply = day + timedelta(days=reply_days)
    doc.paragraph(
        f"请于{date_zh(reply)}前书面报送上述任务的推进情况和问题整改情况，并上传佐证材料；"
        "逾期未报送的，将纳入年度考核通报。"
    )
    doc.signature(issuer, day, signer=signer or "　" * 6)
    doc.save(path)
    return {"overdue": len(view["overdue"]), "findings": len(open_findings), "reply_by": reply.isoformat(),
            "number": number, "signer": signer, "notes": doc.notes}  # fmt: skip
