"""Supervision findings (督查问题) and their rectification loop, stored and audited.

Every move is checked against `gongfu.work.findings` for the actor's role, made with optimistic
concurrency (the finding's version), and recorded as an audit event `finding.move` (old → new state).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from gongfu import clock
from gongfu.access.audit import event_json, record
from gongfu.access.scope import Scope
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.db import Database
from gongfu.store.paging import Page, page_list, page_query
from gongfu.store.work_tables import EvidenceRow, FindingRow, UnitRow, WorkTaskRow
from gongfu.work import evidence as ev
from gongfu.work.access import FINDINGS_OPEN
from gongfu.work.findings import OPEN_STATES, STATES, check_transition, next_states, sides_of
from gongfu.work.query import finding_brief, findings_as_of, today
from gongfu.work.service import versioned
from gongfu.work.units import unit


def add_finding(db: Database, scope: Scope, *, title: str, region: str | None = None, task_id: int | None = None,
                unit_name: str | None = None, deadline: date | None = None, detail: str = "") -> dict:  # fmt: skip
    """Open a finding against a task (its region and lead unit by default) or a unit of a region."""
    scope.need(FINDINGS_OPEN)
    if not title.strip():
        raise InputError("a finding needs a title (问题)")
    if task_id is None and not unit_name:
        raise InputError("a finding is against a task (--task) or a unit (--unit)")
    with db.session() as s:
        unit_id = None
        if task_id is not None:
            t = s.get(WorkTaskRow, task_id)
            if t is None:
                raise NotFound(f"no task {task_id}")
            scope.visible(t.region_code, f"任务 {task_id}")
            code, unit_id = t.region_code, t.lead_unit_id
        else:
            code = scope.region(region or scope.root).code
        if unit_name:
            unit_id = unit(s, code, unit_name).id
        f = FindingRow(region_code=code, task_id=task_id, unit_id=unit_id, title=title.strip(), detail=detail,
                       deadline=deadline, state="open", created_by=scope.actor, raised_in=scope.root,
                       updated_by=scope.actor)  # fmt: skip
        s.add(f)
        s.flush()
        record(s, scope.actor, "finding.add", "finding", f.id, region=code,
               new={"title": f.title, "task_id": task_id, "unit_id": unit_id, "state": "open",
                    "deadline": deadline.isoformat() if deadline else None})  # fmt: skip
        return finding_brief(f, today())


def move_finding(db: Database, scope: Scope, finding_id: int, to: str, *, version: int | None = None,
                 note: str = "", files: list[tuple[str, bytes]] | None = None) -> dict:  # fmt: skip
    """Move a finding to state `to`; TransitionNotAllowed names the states this role may move it to."""
    checked = [ev.check(n, c) for n, c in files or []]
    with versioned(db) as s:
        f = s.get(FindingRow, finding_id)
        if f is None:
            raise NotFound(f"no finding {finding_id}")
        scope.visible(f.region_code, f"问题 {finding_id}")
        if version is not None and f.version != version:
            raise ConflictError(f"督查问题 {finding_id} 已被 {f.updated_by or '他人'} 改为 {f.state}（版本 {f.version}），"
                                f"您的操作基于版本 {version}，未保存；请刷新后重试")  # fmt: skip
        sides = _sides(scope, f)
        check_transition(f.state, to, scope.principal.role, sides)
        old = f.state
        f.state, f.updated_at, f.updated_by = to, clock.utcnow(), scope.actor
        for c in checked:
            s.add(EvidenceRow(finding_id=f.id, file_name=c.file_name, media_type=c.media_type, size=c.size,
                              sha256=c.sha256, content=c.content, created_by=scope.actor))  # fmt: skip
        s.flush()
        record(s, scope.actor, "finding.move", "finding", f.id, region=f.region_code,
               old={"state": old}, new={"state": to, "note": note, "evidence": [c.sha256 for c in checked]})  # fmt: skip
        out = finding_brief(f, today())
        out["next"] = next_states(to, scope.principal.role, sides)
        return out


def _sides(scope: Scope, f: FindingRow) -> frozenset[str]:
    """The sides of the finding the caller stands on (the separation of duties in `gongfu.work.findings`)."""
    return sides_of(scope.actor, scope.root, raiser=f.created_by, raised_in=f.raised_in,
                    finding_region=f.region_code, is_within=scope.registry.is_within)  # fmt: skip


def findings(db: Database, scope: Scope, region: str, *, state: str | None = None, open_only: bool = False,
             unit_id: int | None = None, as_of: date | None = None, limit: int | None = None,
             offset: int = 0) -> list[dict]:  # fmt: skip
    """The findings queue of a region subtree, earliest deadline first, with the moves open to the caller;
    with `as_of` an earlier day, as it stood then (findings opened later left out, states of that day)."""
    return findings_page(db, scope, region, state=state, open_only=open_only, unit_id=unit_id, as_of=as_of,
                         limit=limit, offset=offset).items  # fmt: skip


def findings_page(db: Database, scope: Scope, region: str, *, state: str | None = None, open_only: bool = False,
                  unit_id: int | None = None, as_of: date | None = None, limit: int | None = None,
                  offset: int = 0) -> Page:  # fmt: skip
    """One page of the findings queue, scoped, counted and cut in the database (`limit=None`: all); a past
    day's view is cut after the states of that day are known (they come from the recorded moves)."""
    scope.need("read")
    if state is not None and state not in STATES:
        raise InputError(f"未知的督查问题状态“{state}”，应为 {'、'.join(STATES)} 之一")
    code = scope.region(region).code
    day = as_of or today()
    q = (select(FindingRow, UnitRow).outerjoin(UnitRow, UnitRow.id == FindingRow.unit_id)
         .where(scope.where(FindingRow.region_code, code)))  # fmt: skip
    past = day < today()  # states as they stood then (findings_as_of), filtered after, not in SQL
    if state and not past:
        q = q.where(FindingRow.state == state)
    if open_only and not past:
        q = q.where(FindingRow.state.in_(OPEN_STATES))
    if unit_id is not None:
        q = q.where(FindingRow.unit_id == unit_id)
    role = scope.principal.role
    if past:
        with db.session() as s:
            rows = s.execute(q.order_by(FindingRow.deadline, FindingRow.id)).all()
            units = {f.id: u for f, u in rows}
            then = findings_as_of(s, [f for f, _ in rows], day)
        found = [{**finding_brief(f, day), "unit": units[f.id].name if units[f.id] else None, "next": []}
                 for f in then  # a past view offers no moves
                 if (not state or f.state == state) and (not open_only or f.state in OPEN_STATES)]  # fmt: skip
        return page_list(found, limit, offset)

    def brief(row) -> dict:
        f, u = row
        return {**finding_brief(f, day), "unit": u.name if u else None,
                "next": next_states(f.state, role, _sides(scope, f))}  # fmt: skip

    with db.session() as s:
        return page_query(s, q.order_by(FindingRow.deadline, FindingRow.id), limit, offset, brief, rows=True)


def finding(db: Database, scope: Scope, finding_id: int) -> dict:
    """One finding with its history of moves (from the audit trail)."""
    scope.need("read")
    with db.session() as s:
        f = s.get(FindingRow, finding_id)
        if f is None:
            raise NotFound(f"no finding {finding_id}")
        scope.visible(f.region_code, f"问题 {finding_id}")
        history = s.scalars(select(AuditEventRow).where(AuditEventRow.object_type == "finding",
                                                        AuditEventRow.object_id == str(finding_id))
                            .order_by(AuditEventRow.id))  # fmt: skip
        evidence = s.scalars(select(EvidenceRow).where(EvidenceRow.finding_id == finding_id))
        return {**finding_brief(f, today()), "next": next_states(f.state, scope.principal.role, _sides(scope, f)),
                "history": [event_json(e) for e in history],
                "evidence": [{"id": e.id, "file_name": e.file_name, "sha256": e.sha256, "size": e.size,
                              "media_type": e.media_type} for e in evidence]}  # fmt: skip
