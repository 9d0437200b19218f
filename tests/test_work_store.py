"""The work system on SQLite and PostgreSQL: imports, reports with evidence, 销号, scope, conflicts,
the finding loop per role with its audit trail, and the policy search (synthetic data)."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gongfu.access.roles import ROLES
from gongfu.errors import ConflictError, InputError, NotFound, ScopeError, ValidationFailed
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.work_tables import EvidenceRow, FindingRow, WorkTaskRow
from gongfu.work import finding_service as fs
from gongfu.work import policy, query, service
from gongfu.work.findings import MOVES, RAISING, STATES, TRANSITIONS, TransitionNotAllowed
from work_seed import CITY, COUNTY_A, COUNTY_B, PDF, add_plan_with_task, scope, synthetic_xlsx

COUNTY = scope("analyst", COUNTY_A)
CITY_ANALYST = scope("analyst", CITY)


def _import(db, tmp_path: Path, n: int = 3, region: str = COUNTY_A) -> list[int]:
    p = synthetic_xlsx(tmp_path / f"synthetic-{region}.xlsx", n)
    return service.import_excel(db, scope("analyst", region), p, kind="key_tasks", region=region, year=2024)[
        "task_ids"
    ]


def test_schema_matches_the_models(db) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from gongfu.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [d for d in diff if "work" in str(d) or "polic" in str(d)]
    # the PostgreSQL full-text index is an expression index the models do not declare
    assert [d for d in ours if "ix_policies_fts" not in str(d)] == []


def test_excel_import_board_and_overdue(db, tmp_path: Path) -> None:
    ids = _import(db, tmp_path, 5)
    assert len(ids) == 5
    as_of = date(2024, 7, 15)
    over = query.tasks(db, COUNTY, COUNTY_A, overdue=True, as_of=as_of)
    assert [t["title"] for t in over] == ["合成任务1", "合成任务2"]  # due 31 Mar and 30 Jun
    board = query.board(db, COUNTY, COUNTY_A, as_of=as_of)
    assert board["total"] == 5 and board["counts"]["滞后"] >= 2
    assert {u["name"] for u in board["units"]} == {"区发改局", "区经信局"}
    t = query.task(db, COUNTY, ids[0], as_of=as_of)
    assert t["co_units"] == ["区财政局", "区统计局"] and t["goals"] == [{"year": 2024, "goal": "目标1"}]
    assert t["source"].endswith(":3")


def test_bad_excel_imports_nothing(db, tmp_path: Path) -> None:
    p = synthetic_xlsx(tmp_path / "synthetic.xlsx", 2)
    import openpyxl

    wb = openpyxl.load_workbook(p)
    wb.active.append([3, "合成任务3", None, None, "不知何时", ""])
    wb.save(p)
    with pytest.raises(ValidationFailed) as exc:
        service.import_excel(db, COUNTY, p, kind="key_tasks", region=COUNTY_A, year=2024)
    assert {pr.row for pr in exc.value.problems} == {5}
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(WorkTaskRow)) == 0


def test_plan_outline_tasks_keep_their_plan_link_and_targets(db) -> None:
    plan_id = add_plan_with_task(db)
    out = service.import_plan(db, COUNTY, plan_id, year=2024)
    t = query.task(db, COUNTY, out["task_ids"][0])
    assert t["plan"]["plan_id"] == plan_id and t["plan"]["text"].startswith("1.提高居民收入")
    assert t["plan"]["targets"][0]["indicator_code"] == "urban_rural_income_ratio"
    assert t["indicators"][0]["indicator_code"] == "urban_rural_income_ratio"
    assert t["lead_unit"] == "区发改局" and t["co_units"] == ["区人社局"] and t["due_date"] == "2025-12-31"
    links = query.indicator_links(db, CITY_ANALYST, "urban_rural_income_ratio", CITY)
    assert [x["id"] for x in links["tasks"]] == out["task_ids"] and links["units"] == ["区人社局", "区发改局"]


def test_county_user_cannot_see_the_other_county(db, tmp_path: Path) -> None:
    a = _import(db, tmp_path, 1, COUNTY_A)
    _import(db, tmp_path, 1, COUNTY_B)
    with pytest.raises(NotFound):
        query.task(db, scope("analyst", COUNTY_B), a[0])
    with pytest.raises(ScopeError):
        query.tasks(db, scope("analyst", COUNTY_B), COUNTY_A)
    assert {t["region_code"] for t in query.tasks(db, CITY_ANALYST, CITY)} == {COUNTY_A, COUNTY_B}


def test_report_with_evidence_is_hashed_and_a_fake_pdf_is_refused(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    reporter = scope("reporter", COUNTY_A)
    with pytest.raises(InputError, match="not an accepted evidence type"):
        service.report(db, reporter, tid, percent=30, files=[("synthetic.pdf", b"MZ\x90\x00 not a pdf")])
    with pytest.raises(InputError, match="does not match the content"):
        service.report(db, reporter, tid, percent=30, files=[("synthetic.png", PDF)])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvidenceRow)) == 0
    out = service.report(db, reporter, tid, percent=30, on=date(2024, 2, 1), files=[("synthetic.pdf", PDF)])
    import hashlib

    assert out["evidence"][0]["sha256"] == hashlib.sha256(PDF).hexdigest() and out["evidence"][0][
        "size"
    ] == len(PDF)
    service.report(db, reporter, tid, percent=20, on=date(2024, 1, 15))  # filed late: older, does not win
    t = query.task(db, COUNTY, tid, as_of=date(2024, 2, 10))
    assert t["percent"] == 30 and t["last_report_on"] == "2024-02-01" and len(t["reports"]) == 2
    with pytest.raises(ScopeError):
        service.report(db, scope("viewer", COUNTY_A), tid, percent=40)


def test_check_off_needs_finished_work_evidence_and_a_higher_level(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    reporter = scope("reporter", COUNTY_A)
    service.report(db, reporter, tid, percent=100)
    with pytest.raises(InputError, match="no evidence"):
        service.check_off(db, CITY_ANALYST, tid)
    service.report(db, reporter, tid, percent=100, files=[("synthetic.pdf", PDF)])
    with pytest.raises(ScopeError, match="上级"):
        service.check_off(db, COUNTY, tid)  # the county itself may not check off its own task
    with pytest.raises(ScopeError):
        service.check_off(db, scope("reporter", CITY), tid)  # role
    out = service.check_off(db, CITY_ANALYST, tid)
    assert query.task(db, COUNTY, tid)["status"] == "已销号" and out["checked_off_by"] == CITY_ANALYST.actor
    with pytest.raises(InputError, match="checked off"):
        service.report(db, reporter, tid, percent=100)


def test_check_off_refuses_unfinished_task(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    service.report(db, scope("reporter", COUNTY_A), tid, percent=80, files=[("synthetic.pdf", PDF)])
    with pytest.raises(InputError, match="80%"):
        service.check_off(db, CITY_ANALYST, tid)


def test_second_editor_gets_a_conflict_and_the_first_edit_survives(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    v = query.task(db, COUNTY, tid)["version"]
    alice, bob = scope("analyst", COUNTY_A, "alice"), scope("analyst", CITY, "bob")
    service.update_task(db, alice, tid, v, {"person": "张三（合成）"})
    with pytest.raises(ConflictError, match="alice"):
        service.update_task(db, bob, tid, v, {"person": "李四（合成）"})
    assert query.task(db, COUNTY, tid)["person"] == "张三（合成）"


def test_simultaneous_writes_are_caught_by_the_version_column(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    with pytest.raises(ConflictError), service.versioned(db) as s:
        mine = s.get(WorkTaskRow, tid)  # read at version 1
        with db.session() as other:  # meanwhile another writer commits
            other.get(WorkTaskRow, tid).person = "甲（合成）"
        mine.person = "乙（合成）"
        s.flush()  # UPDATE … WHERE version = 1 matches nothing
    assert query.task(db, COUNTY, tid)["person"] == "甲（合成）"


def _finding(db, tid: int) -> int:
    return fs.add_finding(db, CITY_ANALYST, title="合成督查问题", task_id=tid, deadline=date(2024, 9, 30))[
        "id"
    ]


def test_every_move_for_every_role_in_the_store(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    fid = _finding(db, tid)
    allowed_moves = 0
    for frm, to, role in itertools.product(STATES, STATES, ROLES):
        with db.session() as s:
            s.get(FindingRow, fid).state = frm
        # the raising side's moves by the raiser's city, the rectifying side's by the county (separation of duties)
        raising = (frm, to) in MOVES and MOVES[(frm, to)].side == RAISING
        who = scope(role, CITY if raising else COUNTY_A)
        if role in TRANSITIONS.get((frm, to), ()):
            assert fs.move_finding(db, who, fid, to)["state"] == to
            allowed_moves += 1
        else:
            with pytest.raises(TransitionNotAllowed):
                fs.move_finding(db, who, fid, to)
            with db.session() as s:
                assert s.get(FindingRow, fid).state == frm
    with db.session() as s:
        events = list(s.scalars(select(AuditEventRow).where(AuditEventRow.action == "finding.move")))
    assert len(events) == allowed_moves == sum(len(r) for r in TRANSITIONS.values())
    assert all(e.object_id == str(fid) and e.old["state"] != e.new["state"] for e in events)


def test_the_whole_loop_with_a_return_and_its_history(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    fid = _finding(db, tid)
    unit = scope("reporter", COUNTY_A, "unit")
    for who, to in [(CITY_ANALYST, "assigned"), (unit, "rectifying"), (unit, "submitted"),
                    (CITY_ANALYST, "returned"), (unit, "rectifying"), (unit, "submitted"),
                    (CITY_ANALYST, "verified"), (CITY_ANALYST, "closed")]:  # fmt: skip
        fs.move_finding(db, who, fid, to, files=[("synthetic.pdf", PDF)] if to == "submitted" else None)
    f = fs.finding(db, CITY_ANALYST, fid)
    assert f["state"] == "closed" and f["next"] == []
    assert [h["new"]["state"] for h in f["history"]][1:] == [
        "assigned",
        "rectifying",
        "submitted",
        "returned",
        "rectifying",
        "submitted",
        "verified",
        "closed",
    ]
    assert [h["actor"] for h in f["history"]][2] == "unit" and len(f["evidence"]) == 2
    assert fs.findings(db, CITY_ANALYST, CITY, open_only=True) == []
    with pytest.raises(NotFound):
        fs.finding(db, scope("analyst", COUNTY_B), fid)


def test_a_stale_finding_move_is_a_conflict(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    fid = _finding(db, tid)
    fs.move_finding(db, CITY_ANALYST, fid, "assigned", version=1)
    with pytest.raises(ConflictError, match="版本 2"):
        fs.move_finding(db, scope("reporter", COUNTY_A), fid, "rectifying", version=1)


def test_policy_search_in_chinese_and_links(db, tmp_path: Path) -> None:
    [tid] = _import(db, tmp_path, 1)
    one = policy.add_policy(db, CITY_ANALYST, title="某市高质量发展建设共同富裕示范区实施方案（合成）", region=CITY,
                            tier="1", text="到2025年，城乡居民收入倍差缩小。")  # fmt: skip
    n = policy.add_policy(db, COUNTY, title="关于扩大中等收入群体的若干政策（合成）", region=COUNTY_A,
                          parent_id=one["id"], text="实施技能人才薪酬激励，促进农民增收。")  # fmt: skip
    policy.add_policy(db, scope("analyst", COUNTY_B), title="关于加强生态环境保护的意见（合成）", region=COUNTY_B,
                      text="推进污染防治。")  # fmt: skip
    assert [p["id"] for p in policy.search(db, CITY_ANALYST, "中等收入群体")] == [n["id"]]
    assert [p["id"] for p in policy.search(db, CITY_ANALYST, "共同富裕")] == [one["id"]]
    assert [p["id"] for p in policy.search(db, CITY_ANALYST, "农民 增收")] == [n["id"]]
    assert policy.search(db, CITY_ANALYST, "航天发射") == []
    assert policy.search(db, COUNTY, "生态环境") == []  # county B's policy is outside county A
    policy.link(db, COUNTY, n["id"], task_ids=[tid], indicators=["urban_rural_income_ratio"])
    got = query.indicator_links(db, CITY_ANALYST, "urban_rural_income_ratio", CITY)
    assert [p["id"] for p in got["policies"]] == [n["id"]] and [t["id"] for t in got["tasks"]] == [tid]
    assert query.task(db, COUNTY, tid)["policies"][0]["id"] == n["id"]


def test_task_view_lists_only_the_policies_in_the_callers_scope(db, tmp_path: Path) -> None:
    """A city analyst may link county B's policy to county A's task; county A's view of the task omits it."""
    [tid] = _import(db, tmp_path, 1)
    mine = policy.add_policy(db, COUNTY, title="县甲配套政策（合成）", region=COUNTY_A, text="甲")
    theirs = policy.add_policy(db, scope("analyst", COUNTY_B), title="县乙配套政策（合成）", region=COUNTY_B,
                               text="乙")  # fmt: skip
    policy.link(db, COUNTY, mine["id"], task_ids=[tid])
    policy.link(db, CITY_ANALYST, theirs["id"], task_ids=[tid])
    assert [p["id"] for p in query.task(db, COUNTY, tid)["policies"]] == [mine["id"]]
    assert [p["id"] for p in query.task(db, CITY_ANALYST, tid)["policies"]] == [mine["id"], theirs["id"]]


def test_importing_the_same_list_again_skips_the_tasks_already_present(db, tmp_path: Path) -> None:
    p = synthetic_xlsx(tmp_path / "synthetic.xlsx", 3)
    first = service.import_excel(db, COUNTY, p, kind="key_tasks", region=COUNTY_A, year=2024)
    again = service.import_excel(db, COUNTY, p, kind="key_tasks", region=COUNTY_A, year=2024)
    assert (first["tasks"], first["skipped"]) == (3, 0) and (again["tasks"], again["skipped"]) == (0, 3)
    assert again["list_id"] == first["list_id"] and again["task_ids"] == []
    grown = service.import_excel(db, COUNTY, synthetic_xlsx(tmp_path / "grown.xlsx", 4), kind="key_tasks",
                                 region=COUNTY_A, year=2024)  # fmt: skip
    assert (grown["tasks"], grown["skipped"]) == (1, 3)
    with db.session() as s:
        seqs = sorted(s.scalars(select(WorkTaskRow.seq)))
    assert seqs == ["1", "2", "3", "4"]


def test_a_deadline_before_the_list_year_imports_nothing(db, tmp_path: Path) -> None:
    p = synthetic_xlsx(tmp_path / "synthetic-2023.xlsx", 2, year=2023)
    with pytest.raises(ValidationFailed) as exc:
        service.import_excel(db, COUNTY, p, kind="key_tasks", region=COUNTY_A, year=2024)
    assert {(pr.row, pr.code) for pr in exc.value.problems} == {
        (3, "due-before-start"),
        (4, "due-before-start"),
    }
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(WorkTaskRow)) == 0
