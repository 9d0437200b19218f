"""Work-system reads, always within a region subtree: the task board, overdue tasks, one task in full,
a unit's accountability view, the milestone timeline, and everything that moves an indicator.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gongfu import clock
from gongfu.access.audit import event_json
from gongfu.access.scope import Scope
from gongfu.errors import NotFound
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow, TaskRow
from gongfu.store.work_tables import (
    EvidenceRow,
    FindingRow,
    MilestoneRow,
    PolicyIndicatorRow,
    PolicyRow,
    PolicyTaskRow,
    ReportRow,
    TaskCoUnitRow,
    TaskIndicatorRow,
    UnitRow,
    WorkListRow,
    WorkTaskRow,
)
from gongfu.work.findings import OPEN_STATES
from gongfu.work.status import DEFAULT_RULES, STATUS_ORDER, Rules, Status, task_state
from gongfu.work.units import unit_json

MAX_ROWS = 5000


def today() -> date:
    """Today in China Standard Time: the work system's day (a report at 07:00 Beijing time is dated today)."""
    return clock.today()


def _iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d else None


def _checked_by(t, day: date) -> bool:
    """Checked off on or before `day` (a board as of an earlier day shows the task as it was then)."""
    return t.checked_off_at is not None and t.checked_off_at.date() <= day


_T = WorkTaskRow
# Plain columns, not ORM objects: the board reads tens of thousands of rows.
COLUMNS = (
    _T.id, _T.list_id, WorkListRow.kind.label("list_kind"), WorkListRow.name.label("list_name"),
    WorkListRow.year, _T.region_code, _T.seq, _T.title, _T.group_name, UnitRow.name.label("lead_unit"),
    _T.lead_unit_id, _T.person, _T.start_date, _T.due_date, _T.due_text, _T.percent, _T.last_report_on,
    _T.checked_off_at, _T.checked_off_by, _T.plan_id, _T.plan_task_id, _T.source, _T.version,
)  # fmt: skip


def report_history(db: Database, ids: list[int]) -> dict[int, tuple[list[date], list[float]]]:
    """Each task's reports in date order: (days, percents), for "percent as of a day" by bisection."""
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


class _AsOf:
    """A task row seen on an earlier day: its percent and last report are those of the reports dated up to
    that day, so a view "as of" a day never counts a later report."""

    def __init__(self, row, hist: tuple[list[date], list[float]], day: date) -> None:
        self._row = row
        days, pcts = hist
        k = bisect.bisect_right(days, day)
        self.percent = pcts[k - 1] if k else 0.0
        self.last_report_on = days[k - 1] if k else None

    def __getattr__(self, name: str):
        return getattr(self._row, name)


def as_of_rows(db: Database, rows: list, day: date) -> list:
    """`rows` (of COLUMNS) as they stood on `day`; rows already current (day is today or later) pass as they are."""
    if day >= today() or not rows:
        return rows
    hist = report_history(db, [t.id for t in rows])
    return [_AsOf(t, hist[t.id], day) for t in rows]


def task_json(t, as_of: date, rules: Rules = DEFAULT_RULES, co: list[str] | None = None) -> dict:
    """A task row (of COLUMNS) with its computed status and 时序进度 on `as_of`."""
    st = task_state(start=t.start_date, due=t.due_date, percent=t.percent, as_of=as_of,
                    checked_off=_checked_by(t, as_of), last_report=t.last_report_on, rules=rules)  # fmt: skip
    sch = st.schedule
    return {
        "id": t.id, "list_id": t.list_id, "list_kind": t.list_kind, "list_name": t.list_name, "year": t.year,
        "region_code": t.region_code, "seq": t.seq, "title": t.title, "group": t.group_name,
        "lead_unit": t.lead_unit, "lead_unit_id": t.lead_unit_id, "co_units": co or [],
        "person": t.person, "start_date": _iso(t.start_date), "due_date": _iso(t.due_date), "due_text": t.due_text,
        "percent": t.percent, "last_report_on": _iso(t.last_report_on), "status": st.status.value,
        "time_share": sch.time_share, "work_share": sch.work_share, "gap": sch.gap, "warning": sch.warning.value,
        "overdue": sch.overdue, "stalled": st.stalled, "days_since_report": st.days_since_report,
        "checked_off_at": _iso(t.checked_off_at), "checked_off_by": t.checked_off_by or None,
        "plan_id": t.plan_id, "plan_task_id": t.plan_task_id, "source": t.source, "version": t.version,
    }  # fmt: skip


def _select() -> Select:
    return (
        select(*COLUMNS)
        .join(WorkListRow, WorkListRow.id == WorkTaskRow.list_id)
        .outerjoin(UnitRow, UnitRow.id == WorkTaskRow.lead_unit_id)
    )


def _base(scope: Scope, region: str) -> tuple[str, Select]:
    scope.need("read")
    code = scope.region(region).code
    return code, _select().where(scope.where(WorkTaskRow.region_code, code))


def _co_names(s: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for i in range(0, len(ids), 1000):
        q = (select(TaskCoUnitRow.task_id, UnitRow.name).join(UnitRow, UnitRow.id == TaskCoUnitRow.unit_id)
             .where(TaskCoUnitRow.task_id.in_(ids[i : i + 1000])))  # fmt: skip
        for tid, name in s.execute(q):
            out[tid].append(name)
    return out


def tasks(db: Database, scope: Scope, region: str, *, as_of: date | None = None, overdue: bool = False,
          kind: str | None = None, list_id: int | None = None, unit_id: int | None = None,
          status: str | None = None, limit: int = MAX_ROWS, rules: Rules = DEFAULT_RULES,
          task_ids: list[int] | None = None, with_co: bool = True) -> list[dict]:  # fmt: skip
    """Tasks in the region's subtree, worst status first. `overdue`: past due, unfinished, not checked off."""
    day = as_of or today()
    _, q = _base(scope, region)
    if overdue:
        q = q.where(
            WorkTaskRow.due_date < day, WorkTaskRow.percent < 100, WorkTaskRow.checked_off_at.is_(None)
        )
    if kind:
        from gongfu.work.service import list_kind

        q = q.where(WorkListRow.kind == list_kind(kind))
    if list_id is not None:
        q = q.where(WorkTaskRow.list_id == list_id)
    if task_ids is not None:
        q = q.where(WorkTaskRow.id.in_(task_ids or [-1]))
    if unit_id is not None:
        co = select(TaskCoUnitRow.task_id).where(TaskCoUnitRow.unit_id == unit_id)
        q = q.where((WorkTaskRow.lead_unit_id == unit_id) | WorkTaskRow.id.in_(co))
    with db.session() as s:
        rows = s.execute(q.order_by(WorkTaskRow.due_date, WorkTaskRow.id)).all()
        co_names = _co_names(s, [t.id for t in rows]) if with_co else {}
    rows = as_of_rows(db, rows, day)
    out = [task_json(t, day, rules, co_names.get(t.id)) for t in rows]
    if status:
        out = [t for t in out if t["status"] == status]
    rank = {st.value: i for i, st in enumerate(STATUS_ORDER)}
    out.sort(key=lambda t: (rank[t["status"]], t["due_date"] or "9999", t["id"]))
    return out[:limit]


def board(db: Database, scope: Scope, region: str, *, as_of: date | None = None, kind: str | None = None,
          unit_id: int | None = None, limit: int = 500) -> dict:  # fmt: skip
    """The task board (挂图作战): counts by status, by list and by lead unit, and the worst tasks first."""
    every = tasks(db, scope, region, as_of=as_of, kind=kind, unit_id=unit_id, limit=10**9, with_co=False)
    shown = every[:limit]
    with db.session() as s:
        co = _co_names(s, [t["id"] for t in shown])
    for t in shown:
        t["co_units"] = co.get(t["id"], [])
    by_status = Counter(t["status"] for t in every)
    lists: dict[int, dict] = {}
    units: dict[str, dict] = {}
    for t in every:
        lst = lists.setdefault(t["list_id"], {"id": t["list_id"], "name": t["list_name"], "kind": t["list_kind"],
                                              "region_code": t["region_code"], "counts": Counter()})  # fmt: skip
        lst["counts"][t["status"]] += 1
        key = t["lead_unit"] or "（未定）"
        u = units.setdefault(key, {"id": t["lead_unit_id"], "name": key, "counts": Counter()})
        u["counts"][t["status"]] += 1
    return {
        "region_code": scope.region(region).code, "as_of": (as_of or today()).isoformat(), "total": len(every),
        "counts": {s.value: by_status.get(s.value, 0) for s in Status},
        "stalled": sum(t["stalled"] for t in every),
        "lists": [{**v, "counts": dict(v["counts"])} for v in lists.values()],
        "units": sorted(({**v, "counts": dict(v["counts"])} for v in units.values()),
                        key=lambda u: -u["counts"].get(Status.LAGGING.value, 0)),
        "tasks": shown,
    }  # fmt: skip


def task(db: Database, scope: Scope, task_id: int, *, as_of: date | None = None) -> dict:
    """One task with goals, milestones, reports (with evidence), indicators, policies, findings, plan text."""
    scope.need("read")
    day = as_of or today()
    with db.session() as s:
        row = s.execute(_select().where(WorkTaskRow.id == task_id)).first()
        if row is None:
            raise NotFound(f"no task {task_id}")
        scope.visible(row.region_code, f"任务 {task_id}")
        row = as_of_rows(db, [row], day)[0]
        out = task_json(row, day, co=_co_names(s, [task_id]).get(task_id))
        t = s.get(WorkTaskRow, task_id)
        out["goals"] = [{"year": g.year, "goal": g.goal} for g in t.goals]
        done = lambda m: m.done_on if m.done_on and m.done_on <= day else None  # noqa: E731 (as of `day`)
        out["milestones"] = [{"id": m.id, "name": m.name, "due_date": _iso(m.due_date), "done_on": _iso(done(m)),
                              "late": done(m) is None and m.due_date < day} for m in t.milestones]  # fmt: skip
        evidence = defaultdict(list)
        for e in s.scalars(
            select(EvidenceRow).where(EvidenceRow.task_id == task_id).order_by(EvidenceRow.id)
        ):
            evidence[e.report_id].append({"id": e.id, "file_name": e.file_name, "sha256": e.sha256,
                                          "size": e.size, "media_type": e.media_type})  # fmt: skip
        out["reports"] = [
            {"id": r.id, "reported_on": _iso(r.reported_on), "percent": r.percent, "narrative": r.narrative,
             "by": r.created_by, "evidence": evidence.get(r.id, [])}
            for r in s.scalars(select(ReportRow).where(ReportRow.task_id == task_id, ReportRow.reported_on <= day)
                               .order_by(ReportRow.reported_on.desc(), ReportRow.id.desc()))
        ]  # fmt: skip
        out["indicators"] = [
            {"indicator_code": i.indicator_code, "target_id": i.target_id}
            for i in s.scalars(select(TaskIndicatorRow).where(TaskIndicatorRow.task_id == task_id))
        ]
        # A task may be linked (by a user above both) to a policy of another region: list only those in scope.
        linked = s.scalars(select(PolicyRow).join(PolicyTaskRow, PolicyTaskRow.policy_id == PolicyRow.id)
                           .where(PolicyTaskRow.task_id == task_id).order_by(PolicyRow.id))  # fmt: skip
        out["policies"] = [
            {"id": p.id, "title": p.title, "tier": p.tier, "doc_no": p.doc_no}
            for p in scope.keep(linked, lambda p: p.region_code)
        ]
        found = list(
            s.scalars(select(FindingRow).where(FindingRow.task_id == task_id).order_by(FindingRow.id))
        )
        out["findings"] = [{"id": f.id, "title": f.title, "state": f.state, "deadline": _iso(f.deadline)}
                           for f in findings_as_of(s, found, day)]  # fmt: skip
        out["plan"] = _plan_link(s, t)
        out["history"] = [event_json(e) for e in s.scalars(
            select(AuditEventRow).where(AuditEventRow.object_type == "work_task",
                                        AuditEventRow.object_id == str(task_id)).order_by(AuditEventRow.id))]  # fmt: skip
    return out


def _plan_link(s: Session, t: WorkTaskRow) -> dict | None:
    """The plan text the task came from and the targets inside it (provenance)."""
    if t.plan_task_id is None:
        return None
    pt = s.get(TaskRow, t.plan_task_id)
    if pt is None:
        return None
    plan = s.get(PlanRow, pt.plan_id)
    targets = list(s.scalars(select(TargetRow).where(TargetRow.plan_id == pt.plan_id,
                                                     TargetRow.position.in_(pt.target_positions or [-1]))))  # fmt: skip
    return {
        "plan_id": pt.plan_id, "plan_title": plan.title if plan else "", "section": pt.section,
        "start": pt.start, "end": pt.end, "text": plan.original_text[pt.start : pt.end] if plan else pt.text,
        "targets": [{"id": x.id, "indicator": x.indicator, "indicator_code": x.indicator_code, "value": x.value,
                     "unit": x.unit, "year": x.year, "span": x.span} for x in targets],
    }  # fmt: skip


def units(db: Database, scope: Scope, region: str) -> list[dict]:
    scope.need("read")
    code = scope.region(region).code
    with db.session() as s:
        q = select(UnitRow).where(scope.where(UnitRow.region_code, code)).order_by(UnitRow.name)
        return [unit_json(u) for u in s.scalars(q)]


def unit_view(db: Database, scope: Scope, unit_id: int, *, as_of: date | None = None) -> dict:
    """A unit's accountability view: tasks it leads, tasks it cooperates on, its open findings."""
    scope.need("read")
    day = as_of or today()
    with db.session() as s:
        u = s.get(UnitRow, unit_id)
        if u is None:
            raise NotFound(f"no unit {unit_id}")
        scope.visible(u.region_code, f"单位 {unit_id}")
        every_finding = s.scalars(select(FindingRow).where(FindingRow.unit_id == unit_id)
                                  .order_by(FindingRow.deadline, FindingRow.id))  # fmt: skip
        findings = [f for f in findings_as_of(s, list(every_finding), day) if f.state in OPEN_STATES]
    every = tasks(db, scope, u.region_code, as_of=day, unit_id=unit_id, limit=10**9)
    lead = [t for t in every if t["lead_unit_id"] == unit_id]
    co = [t for t in every if t["lead_unit_id"] != unit_id]
    return {
        "unit": unit_json(u), "as_of": day.isoformat(), "lead": lead, "co": co,
        "counts": dict(Counter(t["status"] for t in lead)),
        "overdue": [t for t in lead if t["overdue"]],
        "findings": [finding_brief(f, day) for f in findings],
    }  # fmt: skip


class _FindingAsOf:
    """A finding seen on an earlier day: its state is the last move recorded up to that day."""

    def __init__(self, row, state: str) -> None:
        self._row = row
        self.state = state

    def __getattr__(self, name: str):
        return getattr(self._row, name)


def findings_as_of(s: Session, rows: list, day: date) -> list:
    """`rows` (FindingRow) as they stood at the end of `day` (China Standard Time): findings opened later are
    left out, each state is that of the last `finding.move` recorded by then (open before any move). Rows
    already current (day is today or later) pass as they are."""
    if day >= today() or not rows:
        return rows
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=clock.CST).astimezone(UTC)
    kept = [
        f for f in rows if (f.created_at if f.created_at.tzinfo else f.created_at.replace(tzinfo=UTC)) < end
    ]
    ids = [str(f.id) for f in kept]
    states: dict[str, str] = {}
    for i in range(0, len(ids), 1000):
        q = (select(AuditEventRow.object_id, AuditEventRow.new)
             .where(AuditEventRow.object_type == "finding", AuditEventRow.action == "finding.move",
                    AuditEventRow.object_id.in_(ids[i : i + 1000]), AuditEventRow.at < end)
             .order_by(AuditEventRow.id))  # fmt: skip
        for oid, new in s.execute(q):
            states[oid] = (new or {}).get("state", states.get(oid, "open"))
    return [_FindingAsOf(f, states.get(str(f.id), "open")) for f in kept]


def finding_brief(f: FindingRow, day: date) -> dict:
    return {"id": f.id, "title": f.title, "state": f.state, "deadline": _iso(f.deadline), "task_id": f.task_id,
            "unit_id": f.unit_id, "region_code": f.region_code, "detail": f.detail, "version": f.version,
            "overdue": f.deadline is not None and f.deadline < day and f.state != "closed"}  # fmt: skip


def gantt(db: Database, scope: Scope, region: str, *, kind: str | None = None, limit: int = 300) -> dict:
    """The timeline: each task's span (start → due) with its milestones, for a Gantt chart."""
    rows = tasks(db, scope, region, kind=kind, limit=limit)
    ids = [t["id"] for t in rows]
    with db.session() as s:
        ms: dict[int, list[dict]] = defaultdict(list)
        for i in range(0, len(ids), 1000):
            for m in s.scalars(select(MilestoneRow).where(MilestoneRow.task_id.in_(ids[i : i + 1000]))):
                ms[m.task_id].append(
                    {"name": m.name, "due_date": _iso(m.due_date), "done_on": _iso(m.done_on)}
                )
    return {"tasks": [{"id": t["id"], "title": t["title"], "lead_unit": t["lead_unit"], "start": t["start_date"],
                       "due": t["due_date"], "status": t["status"], "percent": t["percent"],
                       "milestones": ms.get(t["id"], [])} for t in rows if t["due_date"]]}  # fmt: skip


def indicator_links(db: Database, scope: Scope, indicator_code: str, region: str) -> dict:
    """From an indicator: its tasks (linked directly, or authorised by a policy that moves it), their
    units, and its policies (moving it directly, or authorising one of its tasks)."""
    code = scope.region(region).code
    with db.session() as s:
        direct_tasks = set(s.scalars(select(TaskIndicatorRow.task_id)
                                     .where(TaskIndicatorRow.indicator_code == indicator_code)))  # fmt: skip
        direct_policies = set(s.scalars(select(PolicyIndicatorRow.policy_id)
                                        .where(PolicyIndicatorRow.indicator_code == indicator_code)))  # fmt: skip
        links = s.execute(select(PolicyTaskRow.policy_id, PolicyTaskRow.task_id).where(
            PolicyTaskRow.policy_id.in_(direct_policies or {-1}) | PolicyTaskRow.task_id.in_(direct_tasks or {-1})
        )).all()  # fmt: skip
        task_ids = direct_tasks | {t for p, t in links if p in direct_policies}
        policy_ids = direct_policies | {p for p, t in links if t in direct_tasks}
        policies = list(s.scalars(select(PolicyRow).where(PolicyRow.id.in_(policy_ids or {-1}),
                                                          scope.where(PolicyRow.region_code, code))
                                  .order_by(PolicyRow.id)))  # fmt: skip
    found = tasks(db, scope, code, limit=10**9, task_ids=sorted(task_ids))
    for t in found:
        t["via"] = "indicator" if t["id"] in direct_tasks else "policy"
    unit_names = sorted({n for t in found for n in [t["lead_unit"], *t["co_units"]] if n})
    return {
        "indicator_code": indicator_code, "region_code": code, "tasks": found, "units": unit_names,
        "policies": [{"id": p.id, "title": p.title, "tier": p.tier, "doc_no": p.doc_no,
                      "region_code": p.region_code,
                      "via": "indicator" if p.id in direct_policies else "task"} for p in policies],
    }  # fmt: skip
