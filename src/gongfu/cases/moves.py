"""Moving a case through its states: one function, `move`, for every action; each move is audited.

History is never rewritten: a re-route, 退单 or escalation ends the current assignment (with its reason)
and opens a new one, and every move adds a case event and an audit event in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongfu import clock
from gongfu.access.audit import record
from gongfu.cases import routing
from gongfu.cases.actor import SYSTEM, CaseActor
from gongfu.cases.measures import SATISFACTION_ZH
from gongfu.cases.states import MOVES, STATE_ZH, check
from gongfu.cases.workdays import add_working_days
from gongfu.errors import ConflictError, InputError, NotFound
from gongfu.store.cases_tables import CaseAssignmentRow, CaseEventRow, CaseRow
from gongfu.store.db import Database


def place_of(row: CaseRow) -> routing.Place:
    town = row.region_code if len(row.region_code) == 9 else None
    return routing.Place(row.region_code[:6], town, row.village, row.grid)


def named_unit(row: CaseRow, level: str, name: str) -> routing.Unit:
    """A unit chosen by the dispatcher at `level` for this case's place."""
    if level not in routing.LEVELS:
        raise InputError(f"未知层级 {level!r}；应为 {'/'.join(routing.LEVELS)}")
    place = place_of(row)
    if not place.has(level):
        raise InputError(f"这件诉求没有{routing.LEVEL_ZH[level]}一级（缺少所在乡镇、村社区或网格）")
    if level == "county":
        return routing.Unit(level, name, place.county_code)
    return routing.Unit(
        level, name, place.town_code or "", {"grid": place.grid, "village": place.village}.get(level, "")
    )


def _lead(s: Session, case_id: int) -> CaseAssignmentRow | None:
    q = select(CaseAssignmentRow).where(
        CaseAssignmentRow.case_id == case_id,
        CaseAssignmentRow.role == "lead",
        CaseAssignmentRow.ended_at.is_(None),
    )
    return s.scalar(q.order_by(CaseAssignmentRow.id.desc()).limit(1))


def _assign(s: Session, row: CaseRow, unit: routing.Unit, now: datetime, *, role: str = "lead",
            days: int | None = None) -> CaseAssignmentRow:  # fmt: skip
    due = add_working_days(now, days).due_at if days else row.due_at
    a = CaseAssignmentRow(case_id=row.id, role=role, level=unit.level, unit=unit.name, region_code=unit.region_code,
                          place=unit.place, status="open", assigned_at=now, due_at=due,
                          working_days=days or row.working_days, reason="")  # fmt: skip
    s.add(a)
    if role == "lead":
        row.level, row.unit, row.unit_region, row.unit_place = (
            unit.level,
            unit.name,
            unit.region_code,
            unit.place,
        )
    return a


def _end(a: CaseAssignmentRow | None, status: str, now: datetime, reason: str = "") -> None:
    if a is not None:
        a.status, a.ended_at, a.reason = status, now, reason


def move(
    db: Database,
    actor: CaseActor,
    case_id: int,
    action: str,
    *,
    unit: str | None = None,
    level: str | None = None,
    reason: str = "",
    note: str = "",
    satisfaction: str | None = None,
    joint: list[tuple[str, str]] | None = None,
    version: int | None = None,
    now: datetime | None = None,
) -> dict:
    """Apply `action` to the case; returns the event. ConflictError on a stale `version` or a wrong state."""
    now = now or clock.utcnow()
    if action not in MOVES:
        raise InputError(f"未知操作 {action!r}；可用：{', '.join(MOVES)}")
    with db.session() as s:
        row = s.get(CaseRow, case_id)
        if row is None or (not actor.sees(row.region_code) and not actor.sees(row.unit_region)):
            raise NotFound(f"没有编号为 {case_id} 的诉求（或不在您的区划范围内）")
        _claim(s, row, version)
        role = actor.role_for(MOVES[action].roles)
        before = row.status
        after = check(action, before, role)
        if role == "unit" and not actor.sees(row.unit_region):
            raise NotFound(f"没有编号为 {case_id} 的诉求（或不在您的区划范围内）")
        detail = _apply(s, row, action, now, unit=unit, level=level, reason=reason.strip(), note=note.strip(),
                        satisfaction=satisfaction, joint=joint or [])  # fmt: skip
        row.status, row.updated_at = after, now
        s.add(CaseEventRow(case_id=row.id, at=now, actor=actor.name, action=action, from_status=before,
                           to_status=after, detail=detail))  # fmt: skip
        record(s, actor.name, f"case.{action}", "case", row.id, region=row.region_code,
               old={"status": before}, new={"status": after, **detail})  # fmt: skip
        return {"id": row.id, "action": action, "from": before, "to": after, "version": row.version,
                "status_zh": STATE_ZH[after], **detail}  # fmt: skip


def _claim(s: Session, row: CaseRow, version: int | None) -> None:
    """Take the case's next version in one compare-and-set UPDATE, before anything else is written.

    Two moves of one case race for it: the database lets one UPDATE match the version, so the other gets a
    ConflictError (409) and writes nothing — also when neither caller named a version.
    """
    seen = row.version if version is None else version
    stale = ConflictError(
        f"诉求 {row.id} 已被他人修改（版本 {row.version}，您看到的是 {seen}），您的操作未保存，请刷新后重试"
    )
    if seen != row.version:
        raise stale
    claimed = s.execute(
        update(CaseRow).where(CaseRow.id == row.id, CaseRow.version == seen).values(version=seen + 1)
    )
    if claimed.rowcount != 1:
        raise stale
    row.version = seen + 1  # what the database now holds; the ORM writes the same value again


def _apply(s: Session, row: CaseRow, action: str, now: datetime, *, unit, level, reason, note, satisfaction,
           joint) -> dict:  # fmt: skip
    lead = _lead(s, row.id)
    rules = routing.load_rules()
    if action in ("return", "reroute", "reopen") and not reason:
        raise InputError(f"{MOVES[action].zh}须说明理由")
    if action == "dispatch":
        target = _target(row, unit, level, rules)
        last = s.scalar(select(CaseEventRow).where(CaseEventRow.case_id == row.id)
                        .order_by(CaseEventRow.id.desc()).limit(1))  # fmt: skip
        if (
            unit is None
            and last is not None
            and last.action == "return"
            and last.detail.get("unit") == target.name
        ):
            raise InputError(f"{target.label} 已退单，请指定其他承办单位（--unit 与 --level）")
        _assign(s, row, target, now)
        return {"unit": target.label, "level": target.level}
    if action == "reroute":
        target = _target(row, unit, level, rules)
        _end(lead, "rerouted", now, reason)
        _assign(s, row, target, now)
        return {"unit": target.label, "level": target.level, "reason": reason}
    if action == "return":
        _end(lead, "returned", now, reason)
        returned = row.unit
        # Back in the dispatcher's queue, the case names no unit until it is dispatched again.
        row.unit, row.unit_place = "", ""
        return {"unit": returned, "reason": reason}
    if action == "sign":
        if lead is not None:
            lead.status, lead.signed_at = "signed", now
        return {"unit": row.unit}
    if action == "handle":
        return {"unit": row.unit}
    if action == "close":
        if len(note) < 2:
            raise InputError("办结须填写办理情况说明")
        _end(lead, "done", now, note)
        for a in s.scalars(select(CaseAssignmentRow).where(
                CaseAssignmentRow.case_id == row.id, CaseAssignmentRow.ended_at.is_(None))):  # fmt: skip
            _end(a, "done", now)
        row.closed_at, row.closing_note = now, note
        row.first_closed_at = row.first_closed_at or now
        return {"note": note}
    if action == "callback":
        if satisfaction not in SATISFACTION_ZH:
            raise InputError(
                f"回访须记录满意度：{'/'.join(SATISFACTION_ZH)}（{'/'.join(SATISFACTION_ZH.values())}）"
            )
        row.satisfaction, row.callback_at, row.callback_note = satisfaction, now, note
        return {"satisfaction": satisfaction, "note": note}
    if action == "archive":
        row.archived_at = now
        return {}
    if action == "reopen":
        if row.first_closed_at is not None and row.reopened_at is None:
            row.reopened_at = now
        row.reopen_count += 1
        row.closed_at = None
        return {"reason": reason, "reopen_count": row.reopen_count}
    if action == "escalate":
        current = routing.Unit(row.level, row.unit, row.unit_region, row.unit_place)
        if not row.unit:  # returned and never dispatched again: up from the level it was routed to
            current = routing.unit_at(rules, row.level, row.kind, row.category, place_of(row))
        up = routing.escalate(rules, current, row.kind, row.category, place_of(row))
        if up is None:
            raise ConflictError(f"诉求 {row.id} 已在县级部门办理，无法再升级")
        _end(lead, "escalated", now, reason or "超期未办结，自动升级")
        _assign(s, row, up, now, days=routing.escalated_days(row.working_days))
        return {"unit": up.label, "level": up.level, "from_unit": current.label, "reason": reason or "超期"}
    if action == "join":
        if not joint:
            raise InputError("吹哨报到须至少指定一个协办单位（层级与名称）")
        for lvl, name in joint:
            _assign(s, row, named_unit(row, lvl, name), now, role="joint")
        return {"joint": [f"{routing.LEVEL_ZH[lvl]}:{name}" for lvl, name in joint]}
    raise AssertionError(action)


def _target(row: CaseRow, unit: str | None, level: str | None, rules: routing.Rules) -> routing.Unit:
    if unit:
        return named_unit(row, level or "county", unit)
    if level:
        return routing.unit_at(rules, level, row.kind, row.category, place_of(row))
    return routing.route(rules, row.kind, row.category, row.urgency, place_of(row))


def escalate_overdue(db: Database, now: datetime | None = None) -> list[dict]:
    """Move every overdue case one level up (cases at county level stay): those whose lead unit let its
    deadline pass, and those still waiting in 受理 (never dispatched, or returned) past the case deadline."""
    now = now or clock.utcnow()
    with db.session() as s:
        q = (
            select(CaseRow.id)
            .join(CaseAssignmentRow, CaseAssignmentRow.case_id == CaseRow.id)
            .where(
                CaseRow.status.in_(("dispatched", "signed", "handling")),
                CaseRow.level != "county",
                CaseAssignmentRow.role == "lead",
                CaseAssignmentRow.ended_at.is_(None),
                CaseAssignmentRow.due_at < now,
            )
        )
        waiting = select(CaseRow.id).where(
            CaseRow.status == "received", CaseRow.level != "county", CaseRow.due_at < now
        )
        late, unsent = set(s.scalars(q)), set(s.scalars(waiting))
    return [move(db, SYSTEM, i, "escalate", reason="超期未分派，自动升级" if i in unsent else "超期未办结，自动升级",
                 now=now) for i in sorted(late | unsent)]  # fmt: skip
