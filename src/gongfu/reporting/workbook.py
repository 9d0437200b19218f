"""The 数据需求清单 as .xlsx, and reading one back filled in: the filled values go through the same forms,
checks and approval as figures typed on the reporting page (all rows valid, or nothing is saved)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from gongfu.access.scope import Scope
from gongfu.errors import InputError, Problem, ValidationFailed
from gongfu.reporting import periods as P
from gongfu.reporting.forms import STATES, _form, _save, _submit
from gongfu.reporting.members import require_reporter
from gongfu.reporting.validate import parse_value
from gongfu.store.db import Database
from gongfu.store.reporting_tables import DataRequestRow, ReportFormRow

HEADER = [
    "序号",
    "地区",
    "区划代码",
    "指标",
    "指标代码",
    "计量单位",
    "报告期",
    "责任单位",
    "报送期限",
    "目标值",
    "目标单位",
    "填报值",
    "说明",
    "变动原因",
]
FILL_COLUMNS = {
    "region": ("区划代码",),
    "indicator": ("指标代码",),
    "period": ("报告期",),
    "unit": ("责任单位",),
    "value": ("填报值",),
    "note": ("说明",),
    "reason": ("变动原因",),
}


def write_requests_xlsx(rows: list[dict], path: Path, *, org: str = "") -> Path:
    """The 数据需求清单 in the house sheet style: one row per figure owed, with empty 填报值/说明/变动原因
    columns to fill in (text that looks like a formula stays text)."""
    from gongfu.documents import sheets

    wb = sheets.workbook()
    body = [
        [
            n,
            r["region_name"],
            r["region"],
            r["indicator_name"],
            r["indicator"],
            r["measure_unit"],
            r["period"],
            r["responsible_unit"],
            r["due"],
            r["target"],
            r["target_unit"],
            None,
            None,
            None,
        ]
        for n, r in enumerate(rows, start=1)
    ]
    widths = [6, 10, 10, 28, 18, 10, 9, 16, 12, 10, 10, 12, 24, 24]
    sheets.table_sheet(
        wb,
        "数据需求清单",
        "数据需求清单",
        HEADER,
        body,
        unit="项",
        org=org,
        on=P.today(),
        widths=widths,
        wrap=[4],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def fill_from_xlsx(
    db: Database, scope: Scope, path: Path, *, content: bytes | None = None, submit: bool = True
) -> dict:
    """Save (and submit) the figures of a filled-in 数据需求清单 as the acting reporter, in one transaction."""
    from gongfu.cascade.sheet import read_rows

    content = path.read_bytes() if content is None else content
    rows = [(n, r) for n, r in read_rows(path, content, FILL_COLUMNS, tuple(FILL_COLUMNS)[:5]) if r["value"]]
    if not rows:
        raise InputError("清单中没有填报值", file=path.name)
    problems: list[Problem] = []
    touched: dict[int, list[dict]] = {}
    with db.session() as s:
        for n, r in rows:
            try:
                year, period = P.parse_period_id(r["period"])
                code = scope.region(r["region"]).code
            except Exception as exc:  # a bad cell is a problem of its row, never a crash
                problems.append(Problem("row", str(exc), n))
                continue
            form = s.scalar(
                select(ReportFormRow).where(
                    ReportFormRow.region_code == code,
                    ReportFormRow.unit_name == r["unit"],
                    ReportFormRow.year == year,
                    ReportFormRow.period == period,
                )
            )
            if form is None:
                req = s.scalar(
                    select(DataRequestRow.id).where(
                        DataRequestRow.region_code == code,
                        DataRequestRow.unit_name == r["unit"],
                        DataRequestRow.year == year,
                    )
                )
                problems.append(
                    Problem(
                        "form",
                        f"{r['unit']}{P.label(year, period)}的填报表尚未建立"
                        if req
                        else f"没有{r['unit']}在{code}的数据需求",
                        n,
                    )
                )
                continue
            item = next((i for i in form.items if i.indicator_code == r["indicator"]), None)
            if (why := parse_value(r["value"])[1]) is not None:
                problems.append(Problem("type", why, n, "填报值"))
                continue
            if item is None:
                problems.append(Problem("item", f"填报表{form.id}没有指标{r['indicator']}", n, "指标代码"))
                continue
            touched.setdefault(form.id, []).append(
                {"item": item.id, "value": r["value"], "note": r["note"], "reason": r["reason"], "row": n}
            )
        if problems:
            raise ValidationFailed(path.name, problems)
        out = []
        for form_id, entries in touched.items():
            form = _form(s, scope, form_id)
            require_reporter(s, scope, form)
            try:
                _save(s, scope, form, entries, {})
                if submit:
                    _submit(s, scope, form)
            except ValidationFailed as exc:  # the form's checks number its items: back to the file's rows
                row_of = {e["item"]: e["row"] for e in entries}
                at = {n: row_of.get(i.id) for n, i in enumerate(form.items, start=1)}
                problems += [Problem(p.code, p.message, at.get(p.row or 0), p.column) for p in exc.problems]
                continue
            out.append(
                {
                    "form": form.id,
                    "unit": form.unit_name,
                    "region": form.region_code,
                    "values": len(entries),
                    "state": form.state,
                    "state_zh": STATES[form.state],
                }
            )
        if problems:
            raise ValidationFailed(path.name, problems)  # the session rolls back: nothing saved
        return {"file": path.name, "forms": out}


__all__ = ["HEADER", "fill_from_xlsx", "write_requests_xlsx"]
