"""Every as-of view reads only what existed then: a report dated after the day does not count (issue 15, 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gongfu.work import query, service
from work_seed import COUNTY_A, scope, synthetic_xlsx

ADMIN = scope("admin", COUNTY_A)


def test_task_list_as_of_a_day_ignores_later_reports(db, tmp_path: Path) -> None:
    out = service.import_excel(db, ADMIN, synthetic_xlsx(tmp_path / "synthetic.xlsx", 2), kind="key_tasks",
                               region=COUNTY_A, year=2024)  # fmt: skip
    tid = out["task_ids"][1]  # due end of June 2024
    service.report(db, ADMIN, tid, percent=40, on=date(2024, 3, 1))
    service.report(db, ADMIN, tid, percent=100, on=date(2024, 6, 20))
    before = {t["id"]: t for t in query.tasks(db, ADMIN, COUNTY_A, as_of=date(2024, 5, 1))}[tid]
    assert before["percent"] == 40 and before["last_report_on"] == "2024-03-01"
    assert before["status"] != "已完成"
    after = {t["id"]: t for t in query.tasks(db, ADMIN, COUNTY_A, as_of=date(2024, 7, 1))}[tid]
    assert after["percent"] == 100 and after["status"] == "已完成"
    one = query.task(db, ADMIN, tid, as_of=date(2024, 5, 1))
    assert one["percent"] == 40 and [r["reported_on"] for r in one["reports"]] == ["2024-03-01"]
    board = query.board(db, ADMIN, COUNTY_A, as_of=date(2024, 5, 1))
    assert board["counts"].get("已完成", 0) == 0
