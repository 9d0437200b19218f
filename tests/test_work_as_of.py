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


def test_findings_as_of_a_day_read_only_findings_and_moves_dated_by_then(db, tmp_path: Path) -> None:
    from datetime import datetime

    from gongfu import clock
    from gongfu.work import finding_service as fs
    from work_seed import CITY

    city, unit = scope("analyst", CITY), scope("reporter", COUNTY_A, "unit")
    out = service.import_excel(db, ADMIN, synthetic_xlsx(tmp_path / "synthetic.xlsx", 1), kind="key_tasks",
                               region=COUNTY_A, year=2024)  # fmt: skip
    tid = out["task_ids"][0]
    uid = query.task(db, ADMIN, tid)["lead_unit_id"]
    at = lambda d: clock.frozen(datetime(*d, 4, 0))  # noqa: E731 (12:00 China time that day)
    with at((2024, 3, 1)):
        first = fs.add_finding(db, city, title="合成问题甲", task_id=tid, deadline=date(2024, 4, 30))["id"]
    with at((2024, 3, 5)):
        fs.move_finding(db, city, first, "assigned")
    with at((2024, 6, 10)):
        fs.move_finding(db, unit, first, "rectifying")
        second = fs.add_finding(db, city, title="合成问题乙", task_id=tid)["id"]
    with at((2024, 12, 1)):

        def states(day, **kw):
            return {f["id"]: f["state"] for f in fs.findings(db, city, COUNTY_A, as_of=day, **kw)}

        assert states(date(2024, 2, 28)) == {}  # nothing had been raised yet
        assert states(date(2024, 3, 1)) == {first: "open"}  # raised that day (end of day counts)
        assert states(date(2024, 5, 1)) == {first: "assigned"}  # not rectifying yet, second not raised
        assert states(date(2024, 5, 1), state="rectifying") == {}
        assert states(date(2024, 5, 1), open_only=True) == {first: "assigned"}
        assert states(None) == {first: "rectifying", second: "open"}  # today: as stored
        then = fs.findings(db, city, COUNTY_A, as_of=date(2024, 5, 1))[0]
        assert then["overdue"] and then["next"] == []  # overdue on that day; a past view offers no moves
        assert [
            (f["id"], f["state"]) for f in query.task(db, ADMIN, tid, as_of=date(2024, 5, 1))["findings"]
        ] == [(first, "assigned")]
        unit_then = query.unit_view(db, ADMIN, uid, as_of=date(2024, 3, 2))["findings"]
        assert [(f["id"], f["state"]) for f in unit_then] == [(first, "open")]
