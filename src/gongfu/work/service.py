"""Work-system writes: lists, tasks (from a plan's outline, an Excel list, or by hand), edits with optimistic
concurrency, progress reports with evidence, and check-off (销号) with a higher-level approval.

Every function takes the caller's `Scope` (access.scope), checks role and region first, and records each
write in the audit trail within the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gongfu import clock
from gongfu.access.audit import record
from gongfu.access.scope import Scope
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow, TaskRow
from gongfu.store.work_tables import (
    AnnualGoalRow,
    EvidenceRow,
    MilestoneRow,
    ReportRow,
    TaskCoUnitRow,
    TaskIndicatorRow,
    WorkListRow,
    WorkTaskRow,
)
from gongfu.work import evidence as ev
from gongfu.work.access import REPORTS_WRITE, TASKS_WRITE, require_higher_level
from gongfu.work.excel import TaskLine, list_start, read_task_list
from gongfu.work.units import unit

LIST_KINDS = {"key_tasks": "重点任务清单", "breakthrough": "突破性抓手清单", "reform": "重大改革清单"}
EDITABLE = ("title", "person", "due_date", "start_date", "lead_unit", "co_units", "seq")


def list_kind(kind: str) -> str:
    """The kind's code from a code or its Chinese name."""
    for code, name in LIST_KINDS.items():
        if kind in (code, name, name.removesuffix("清单")):
            return code
    choices = ", ".join(f"{k} ({v})" for k, v in LIST_KINDS.items())
    raise InputError(f"unknown list kind {kind!r}; one of {choices}")


@contextmanager
def versioned(db: Database) -> Iterator[Session]:
    """A unit of work in which a concurrent update of a versioned row becomes a ConflictError."""
    try:
        with db.session() as s:
            yield s
    except StaleDataError as exc:
        raise ConflictError("记录已被他人修改（版本已变），您的修改未保存；请刷新后重试") from exc


def _task(s: Session, scope: Scope, task_id: int) -> WorkTaskRow:
    row = s.get(WorkTaskRow, task_id)
    if row is None:
        raise NotFound(f"no task {task_id}")
    scope.visible(row.region_code, f"任务 {task_id}")
    return row


def ensure_list(s: Session, scope: Scope, kind: str, region: str, year: int, name: str = "",
                plan_id: int | None = None) -> WorkListRow:  # fmt: skip
    """The list of this kind, region, year and name; created (and audited) on first use."""
    code = list_kind(kind)
    name = name or f"{year}年{LIST_KINDS[code]}"
    row = s.scalar(select(WorkListRow).where(
        WorkListRow.region_code == region, WorkListRow.kind == code, WorkListRow.year == year,
        WorkListRow.name == name))  # fmt: skip
    if row is None:
        row = WorkListRow(kind=code, name=name, region_code=region, year=year, plan_id=plan_id,
                          created_by=scope.actor)  # fmt: skip
        s.add(row)
        s.flush()
        record(s, scope.actor, "worklist.add", "work_list", row.id, region=region,
               new={"kind": code, "name": name, "year": year})  # fmt: skip
    return row


def _new_task(s: Session, scope: Scope, lst: WorkListRow, *, title: str, lead: list[str], co: list[str],
              start: date, due: date | None, source: str, cache: dict, seq: str = "", person: str = "",
              due_text: str = "", group: str = "", goal: str = "") -> WorkTaskRow:  # fmt: skip
    lead_row = unit(s, lst.region_code, lead[0], cache) if lead else None
    # A list naming several lead units keeps the first as the lead; the others share the work as co-units.
    co_ids: list[int] = []
    for name in [*lead[1:], *co]:
        u = unit(s, lst.region_code, name, cache)
        if u.id not in co_ids and (lead_row is None or u.id != lead_row.id):
            co_ids.append(u.id)
    row = WorkTaskRow(
        list_id=lst.id, region_code=lst.region_code, seq=seq, title=title, group_name=group,
        lead_unit_id=lead_row.id if lead_row else None, person=person, start_date=start, due_date=due,
        due_text=due_text, source=source, created_by=scope.actor, updated_by=scope.actor,
        co_units=[TaskCoUnitRow(unit_id=i) for i in co_ids],
        goals=[AnnualGoalRow(year=lst.year, goal=goal)] if goal else [],
    )  # fmt: skip
    s.add(row)
    return row


def import_excel(db: Database, scope: Scope, source: Path | bytes, *, kind: str, region: str, year: int,
                 file_name: str | None = None, list_name: str = "") -> dict:  # fmt: skip
    """Import an office's task list; ValidationFailed (every problem, with rows) stores nothing.

    Rows whose 序号 is already in the target list are skipped (counted in "skipped"), so importing the same
    file again adds nothing; rows without a 序号 cannot be matched and are always added.
    """
    scope.need(TASKS_WRITE)
    code = scope.region(region).code
    name = file_name or (source.name if isinstance(source, Path) else "upload.xlsx")
    lines: list[TaskLine] = read_task_list(source, year=year, file_name=name)
    start = list_start(year)
    with db.session() as s:
        lst = ensure_list(s, scope, kind, code, year, list_name)
        present = set(
            s.scalars(select(WorkTaskRow.seq).where(WorkTaskRow.list_id == lst.id, WorkTaskRow.seq != ""))
        )
        new = [ln for ln in lines if not (ln.seq and ln.seq in present)]
        cache: dict = {}
        rows = [
            _new_task(s, scope, lst, title=ln.title, lead=ln.lead_units, co=ln.co_units, start=start,
                      due=ln.due, source=f"{name}:{ln.row}", cache=cache, seq=ln.seq, person=ln.person,
                      due_text=ln.due_text, group=ln.group, goal=ln.annual_goal)
            for ln in new
        ]  # fmt: skip
        s.flush()
        skipped = len(lines) - len(new)
        if rows:
            record(s, scope.actor, "task.import", "work_list", lst.id, region=code,
                   new={"file": name, "tasks": len(rows), "skipped": skipped, "first_id": rows[0].id,
                        "last_id": rows[-1].id})  # fmt: skip
        return {"list_id": lst.id, "list": lst.name, "region_code": code, "tasks": len(rows), "skipped": skipped,
                "units": len(cache), "task_ids": [r.id for r in rows]}  # fmt: skip


def import_plan(db: Database, scope: Scope, plan_id: int, *, kind: str = "key_tasks",
                year: int | None = None) -> dict:  # fmt: skip
    """Tasks from an ingested plan's outline; each keeps its plan task link and the targets inside it."""
    scope.need(TASKS_WRITE)
    with db.session() as s:
        plan = s.get(PlanRow, plan_id)
        if plan is None:
            raise NotFound(f"no plan {plan_id}")
        scope.visible(plan.region_code, f"方案 {plan_id}")
        if plan.superseded_by is not None:
            raise InputError(
                f"方案 {plan_id} 已被新版本（方案 {plan.superseded_by}）替代，请用新版本生成任务"
            )
        if plan.region_code is None:
            raise InputError(f"plan {plan_id} has no region; re-ingest it with --region")
        y = year or plan.period_start or clock.today().year
        due = date(plan.period_end, 12, 31) if plan.period_end else None
        tasks = list(s.scalars(select(TaskRow).where(TaskRow.plan_id == plan_id).order_by(TaskRow.position)))
        if not tasks:
            raise InputError(f"plan {plan_id} has no tasks in its outline")
        targets = {t.position: t for t in s.scalars(select(TargetRow).where(TargetRow.plan_id == plan_id))}
        lst = ensure_list(s, scope, kind, plan.region_code, y, f"{plan.title}·{LIST_KINDS[list_kind(kind)]}",
                          plan_id=plan_id)  # fmt: skip
        # A plan task already in this list is not added again: running from-plan twice adds nothing.
        present = set(s.scalars(select(WorkTaskRow.plan_task_id).where(
            WorkTaskRow.list_id == lst.id, WorkTaskRow.plan_task_id.in_([t.id for t in tasks]))))  # fmt: skip
        skipped = sum(1 for t in tasks if t.id in present)
        tasks = [t for t in tasks if t.id not in present]
        cache: dict = {}
        made = []
        for t in tasks:
            row = _new_task(s, scope, lst, title=t.title or t.text[:200], lead=list(t.lead_units),
                            co=list(t.co_units), start=date(y, 1, 1), due=due, cache=cache,
                            source=f"plan:{plan_id}/{t.section}", seq=t.section)  # fmt: skip
            row.plan_id, row.plan_task_id = plan_id, t.id
            s.flush()
            seen: set[str] = set()
            for pos in t.target_positions:
                target = targets.get(pos)
                if target is not None and target.indicator_code and target.indicator_code not in seen:
                    seen.add(target.indicator_code)
                    s.add(TaskIndicatorRow(task_id=row.id, indicator_code=target.indicator_code,
                                           target_id=target.id))  # fmt: skip
            made.append(row)
        s.flush()
        if made:
            record(s, scope.actor, "task.import", "work_list", lst.id, region=plan.region_code,
                   new={"plan_id": plan_id, "tasks": len(made), "skipped": skipped})  # fmt: skip
        return {"list_id": lst.id, "list": lst.name, "region_code": plan.region_code, "tasks": len(made),
                "skipped": skipped, "task_ids": [r.id for r in made]}  # fmt: skip


def add_task(db: Database, scope: Scope, *, kind: str, region: str, year: int, title: str, lead: str,
             co: list[str] | None = None, due: date | None = None, person: str = "",
             goal: str = "") -> int:  # fmt: skip
    """A task created by hand."""
    scope.need(TASKS_WRITE)
    code = scope.region(region).code
    if not title.strip():
        raise InputError("a task needs a title (任务)")
    with db.session() as s:
        lst = ensure_list(s, scope, kind, code, year)
        row = _new_task(s, scope, lst, title=title.strip(), lead=[lead], co=co or [], start=date(year, 1, 1),
                        due=due, source="manual", cache={}, person=person, goal=goal)  # fmt: skip
        s.flush()
        record(s, scope.actor, "task.add", "work_task", row.id, region=code, new={"title": row.title})
        return row.id


def _snapshot(row: WorkTaskRow) -> dict:
    return {
        "title": row.title, "person": row.person, "seq": row.seq, "lead_unit_id": row.lead_unit_id,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "start_date": row.start_date.isoformat(), "co_units": sorted(c.unit_id for c in row.co_units),
        "version": row.version,
    }  # fmt: skip


def _stale(row: WorkTaskRow, version: int | None) -> None:
    if version is not None and row.version != version:
        when = row.updated_at.isoformat(timespec="seconds") if row.updated_at else "?"
        raise ConflictError(
            f"任务 {row.id} 已被 {row.updated_by or '他人'} 于 {when} 修改为版本 {row.version}，"
            f"您的修改基于版本 {version}，未保存；请刷新后重试"
        )


def update_task(db: Database, scope: Scope, task_id: int, version: int, changes: dict) -> dict:
    """Edit a task. `version` is the one the editor read; a newer one in the store is a ConflictError."""
    scope.need(TASKS_WRITE)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InputError(f"cannot change {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}")
    with versioned(db) as s:
        row = _task(s, scope, task_id)
        _stale(row, version)
        old = _snapshot(row)
        for key, value in changes.items():
            if key == "lead_unit":
                row.lead_unit_id = unit(s, row.region_code, value).id
            elif key == "co_units":
                ids = list(dict.fromkeys(unit(s, row.region_code, v).id for v in value))
                row.co_units = [TaskCoUnitRow(unit_id=i) for i in ids]
            elif key in ("due_date", "start_date"):
                setattr(
                    row, key, value if isinstance(value, date) or value is None else date.fromisoformat(value)
                )
            else:
                setattr(row, key, str(value))
        row.updated_at, row.updated_by = clock.utcnow(), scope.actor
        s.flush()
        record(s, scope.actor, "task.update", "work_task", task_id, region=row.region_code, old=old,
               new=_snapshot(row))  # fmt: skip
        return {"id": task_id, "version": row.version}


def add_milestone(db: Database, scope: Scope, task_id: int, name: str, due: date) -> int:
    scope.need(TASKS_WRITE)
    with db.session() as s:
        row = _task(s, scope, task_id)
        m = MilestoneRow(task_id=task_id, name=name.strip(), due_date=due)
        s.add(m)
        s.flush()
        record(s, scope.actor, "milestone.add", "work_task", task_id, region=row.region_code,
               new={"milestone": m.id, "name": m.name, "due": due.isoformat()})  # fmt: skip
        return m.id


def set_goal(db: Database, scope: Scope, task_id: int, year: int, goal: str) -> None:
    """Set the task's goal for a year (分年度目标)."""
    scope.need(TASKS_WRITE)
    with db.session() as s:
        row = _task(s, scope, task_id)
        g = s.scalar(
            select(AnnualGoalRow).where(AnnualGoalRow.task_id == task_id, AnnualGoalRow.year == year)
        )
        old = g.goal if g else None
        if g is None:
            s.add(AnnualGoalRow(task_id=task_id, year=year, goal=goal))
        else:
            g.goal = goal
        record(s, scope.actor, "goal.set", "work_task", task_id, region=row.region_code,
               old={"year": year, "goal": old}, new={"year": year, "goal": goal})  # fmt: skip


def report(db: Database, scope: Scope, task_id: int, *, percent: float, narrative: str = "",
           on: date | None = None, files: list[tuple[str, bytes]] | None = None,
           version: int | None = None, milestone_done: int | None = None) -> dict:  # fmt: skip
    """A progress report with evidence files (type, size and SHA-256 checked before anything is stored)."""
    scope.need(REPORTS_WRITE)
    if not 0 <= percent <= 100:
        raise InputError(f"percent must be between 0 and 100, got {percent}")
    checked = [ev.check(name, content) for name, content in files or []]
    day = on or clock.today()
    with versioned(db) as s:
        row = _task(s, scope, task_id)
        _stale(row, version)
        if row.checked_off_at is not None:
            raise InputError(f"task {task_id} is checked off (已销号); no further reports")
        rep = ReportRow(task_id=task_id, reported_on=day, percent=percent, narrative=narrative,
                        created_by=scope.actor)  # fmt: skip
        s.add(rep)
        s.flush()
        for c in checked:
            s.add(EvidenceRow(task_id=task_id, report_id=rep.id, file_name=c.file_name, media_type=c.media_type,
                              size=c.size, sha256=c.sha256, content=c.content, created_by=scope.actor))  # fmt: skip
        old = {
            "percent": row.percent,
            "last_report_on": str(row.last_report_on) if row.last_report_on else None,
        }
        if (
            row.last_report_on is None or day >= row.last_report_on
        ):  # a late-filed older report keeps the newer
            row.percent, row.last_report_on = percent, day
        if milestone_done is not None:
            m = s.get(MilestoneRow, milestone_done)
            if m is None or m.task_id != task_id:
                raise NotFound(f"no milestone {milestone_done} on task {task_id}")
            m.done_on = day
        row.updated_at, row.updated_by = clock.utcnow(), scope.actor
        s.flush()
        record(s, scope.actor, "task.report", "work_task", task_id, region=row.region_code, old=old,
               new={"report": rep.id, "percent": percent, "on": day.isoformat(),
                    "evidence": [c.sha256 for c in checked]})  # fmt: skip
        return {"report_id": rep.id, "task_id": task_id, "version": row.version,
                "evidence": [{"file_name": c.file_name, "sha256": c.sha256, "size": c.size,
                              "media_type": c.media_type} for c in checked]}  # fmt: skip


def check_off(
    db: Database, scope: Scope, task_id: int, *, version: int | None = None, note: str = ""
) -> dict:
    """销号: only a finished task with evidence, approved by a higher level (analyst or admin)."""
    scope.need(TASKS_WRITE)
    with versioned(db) as s:
        row = _task(s, scope, task_id)
        _stale(row, version)
        if row.checked_off_at is not None:
            raise InputError(f"task {task_id} is already checked off (已销号)")
        require_higher_level(scope, row.region_code, "销号")
        if row.percent < 100:
            raise InputError(
                f"task {task_id} is at {row.percent:g}%; only a finished task (100%) can be checked off"
            )
        n = s.scalar(select(func.count()).select_from(EvidenceRow).where(EvidenceRow.task_id == task_id))
        if not n:
            raise InputError(f"task {task_id} has no evidence file (佐证材料); report one before check-off")
        row.checked_off_at, row.checked_off_by = clock.utcnow(), scope.actor
        row.updated_at, row.updated_by = row.checked_off_at, scope.actor
        s.flush()
        record(s, scope.actor, "task.checkoff", "work_task", task_id, region=row.region_code,
               old={"checked_off": False}, new={"checked_off": True, "evidence_files": n, "note": note})  # fmt: skip
        return {"id": task_id, "version": row.version, "checked_off_by": scope.actor}


def link_indicator(db: Database, scope: Scope, task_id: int, indicator_code: str) -> None:
    """Say that a task moves an indicator (the catalog code)."""
    from gongfu.catalog import load_catalog

    scope.need(TASKS_WRITE)
    load_catalog().get(indicator_code)
    with db.session() as s:
        row = _task(s, scope, task_id)
        if s.get(TaskIndicatorRow, (task_id, indicator_code)) is None:
            s.add(TaskIndicatorRow(task_id=task_id, indicator_code=indicator_code))
            record(s, scope.actor, "task.link_indicator", "work_task", task_id, region=row.region_code,
                   new={"indicator": indicator_code})  # fmt: skip
