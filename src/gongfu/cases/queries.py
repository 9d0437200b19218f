"""Reading cases within a user's region scope: one case, lists with filters, the dispatcher's queue, a
unit's inbox, a region breakdown and the warnings board.

SQL narrows by the one scope rule (`gongfu.access.scope.within_clause`, the clause of `Scope.sees`), so
limits and offsets count only rows in scope.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, select

from gongfu import clock
from gongfu.access.scope import code_prefix, within_clause
from gongfu.cases.actor import CaseActor
from gongfu.cases.measures import SATISFACTION_ZH
from gongfu.cases.repeats import chain_lengths
from gongfu.cases.routing import LEVEL_ZH, URGENCY_ZH
from gongfu.cases.states import OPEN_STATES, STATE_ZH, open311_status
from gongfu.cases.warnings import WarningInput, load_thresholds, warn
from gongfu.cases.workdays import working_days_between
from gongfu.errors import NotFound
from gongfu.regions import load
from gongfu.store.cases_tables import CaseAssignmentRow, CaseEventRow, CaseRow
from gongfu.store.db import Database
from gongfu.store.paging import Page, page_query


def in_region(column, code: str | None):
    """`column` within `code`'s subtree: the one scope rule (`gongfu.access.scope`) as SQL."""
    return within_clause(load(), column, code) if code else None


@dataclass
class Filters:
    region: str | None = None
    status: str | None = None
    kind: str | None = None
    category: str | None = None
    unit: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


def case_json(row: CaseRow, *, now: datetime | None = None) -> dict:
    """A case as the API and CLI show it: contact masked, Open311 fields plus ours."""
    w = warning_of(row, now=now, repeats=0) if row.status in OPEN_STATES else None
    return {
        "service_request_id": str(row.id), "id": row.id, "status": open311_status(row.status),
        "gongfu_status": row.status, "status_zh": STATE_ZH[row.status], "service_code": row.category,
        "service_name": row.category, "kind": row.kind, "category_source": row.category_source,
        "category_confidence": row.category_confidence, "department": row.department,
        "title": row.title, "description": row.description, "region_code": row.region_code,
        "village": row.village, "grid": row.grid, "address": row.address, "lat": row.lat, "long": row.long,
        "contact": row.contact_masked, "urgency": row.urgency, "urgency_zh": URGENCY_ZH.get(row.urgency, ""),
        "channel": row.channel, "external_id": row.external_id, "level": row.level,
        "level_zh": LEVEL_ZH.get(row.level, ""), "agency_responsible": row.unit,
        "unit_place": row.unit_place, "requested_datetime": _iso(row.received_at),
        "updated_datetime": _iso(row.updated_at), "expected_datetime": _iso(row.due_at),
        "due_estimated": row.due_estimated, "closed_at": _iso(row.closed_at), "status_notes": row.closing_note,
        "satisfaction": row.satisfaction, "satisfaction_zh": SATISFACTION_ZH.get(row.satisfaction or "", ""),
        "reopen_count": row.reopen_count, "repeat_of": row.repeat_of, "media_url": (row.attachments or [None])[0],
        "attachments": row.attachments, "version": row.version,
        "warning": w.colour if w else None, "warning_reasons": list(w.reasons) if w else [],
    }  # fmt: skip


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t else None


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def warning_of(row: CaseRow, *, now: datetime | None, repeats: int, due: datetime | None = None):
    now = now or clock.utcnow()
    due = _aware(due or row.due_at)
    overdue = now > due
    left = 0 if overdue else working_days_between(now, due)
    return warn(WarningInput(row.working_days, left, overdue, row.kind, row.urgency, repeats))


def get_case(db: Database, actor: CaseActor, case_id: int) -> dict:
    with db.session() as s:
        row = s.get(CaseRow, case_id)
        if row is None or not (actor.sees(row.region_code) or actor.sees(row.unit_region)):
            raise NotFound(f"没有编号为 {case_id} 的诉求（或不在您的区划范围内）")
        out = case_json(row)
        out["events"] = [
            {"at": _iso(e.at), "actor": e.actor, "action": e.action, "from": e.from_status, "to": e.to_status,
             "detail": e.detail}
            for e in s.scalars(select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id))
        ]  # fmt: skip
        out["assignments"] = [
            {"role": a.role, "level": a.level, "unit": a.unit, "place": a.place, "region_code": a.region_code,
             "status": a.status, "assigned_at": _iso(a.assigned_at), "due_at": _iso(a.due_at),
             "signed_at": _iso(a.signed_at), "ended_at": _iso(a.ended_at), "reason": a.reason}
            for a in s.scalars(select(CaseAssignmentRow).where(CaseAssignmentRow.case_id == case_id)
                               .order_by(CaseAssignmentRow.id))
        ]  # fmt: skip
        return out


def _filtered(q: Select, actor: CaseActor, f: Filters) -> Select:
    for cond in (in_region(CaseRow.region_code, f.region or actor.root),):
        if cond is not None:
            q = q.where(cond)
    if f.status:
        q = q.where(CaseRow.status.in_(f.status.split(",")))
    if f.kind:
        q = q.where(CaseRow.kind == f.kind)
    if f.category:
        q = q.where(CaseRow.category == f.category)
    if f.unit:
        q = q.where(CaseRow.unit == f.unit)
    if f.since:
        q = q.where(CaseRow.received_at >= f.since)
    if f.until:
        q = q.where(CaseRow.received_at < f.until)
    return q


def list_cases(db: Database, actor: CaseActor, f: Filters, *, now: datetime | None = None) -> list[dict]:
    """The cases matching `f`, newest first: the page `f.limit`/`f.offset` of `list_cases_page`."""
    return list_cases_page(db, actor, f, now=now).items


def list_cases_page(db: Database, actor: CaseActor, f: Filters, *, now: datetime | None = None) -> Page:
    """One page of the cases matching `f`, newest first, scoped, counted and cut in the database."""
    if f.region:
        actor.visible(f.region) if actor.root else None
    with db.session() as s:
        q = _filtered(select(CaseRow), actor, f).order_by(CaseRow.received_at.desc(), CaseRow.id.desc())
        return page_query(s, q, f.limit, f.offset, lambda r: case_json(r, now=now))


def queue(db: Database, actor: CaseActor, *, region: str | None = None, limit: int = 50,
          now: datetime | None = None) -> list[dict]:  # fmt: skip
    """The dispatcher's queue, its first `limit` cases (`queue_page`)."""
    return queue_page(db, actor, region=region, limit=limit, now=now).items


def queue_page(db: Database, actor: CaseActor, *, region: str | None = None, limit: int | None = 50,
               offset: int = 0, now: datetime | None = None) -> Page:  # fmt: skip
    """The dispatcher's queue: cases waiting in 受理 (new, returned or reopened), oldest first; one page of
    it, scoped, counted and cut in the database."""
    if region and actor.root:
        actor.visible(region)
    with db.session() as s:
        q = _filtered(select(CaseRow), actor, Filters(region=region, status="received"))
        return page_query(s, q.order_by(CaseRow.received_at, CaseRow.id), limit, offset,
                          lambda r: case_json(r, now=now))  # fmt: skip


def inbox(db: Database, actor: CaseActor, *, unit: str | None = None, limit: int = 100,
          now: datetime | None = None) -> list[dict]:  # fmt: skip
    """A unit's inbox, its first `limit` cases (`inbox_page`)."""
    return inbox_page(db, actor, unit=unit, limit=limit, now=now).items


def inbox_page(db: Database, actor: CaseActor, *, unit: str | None = None, limit: int | None = 100,
               offset: int = 0, now: datetime | None = None) -> Page:  # fmt: skip
    """A unit's inbox: cases it leads or joins that are not yet closed, nearest deadline first; one page of
    it, scoped (on the assignment's region), counted and cut in the database."""
    q = (
        select(CaseRow, CaseAssignmentRow)
        .join(CaseAssignmentRow, CaseAssignmentRow.case_id == CaseRow.id)
        .where(CaseAssignmentRow.ended_at.is_(None), CaseRow.status.in_(("dispatched", "signed", "handling")))
    )
    cond = in_region(CaseAssignmentRow.region_code, actor.root)
    if cond is not None:
        q = q.where(cond)
    if unit:
        q = q.where(CaseAssignmentRow.unit == unit)

    def item(found) -> dict:
        row, a = found
        return {**case_json(row, now=now), "assignment_role": a.role, "assignment_unit": a.unit,
                "assignment_due": _iso(a.due_at)}  # fmt: skip

    with db.session() as s:
        return page_query(s, q.order_by(CaseAssignmentRow.due_at, CaseRow.id), limit, offset, item, rows=True)


def breakdown(db: Database, actor: CaseActor, region: str | None, children: list[str]) -> list[dict]:
    """Counts by status for each child region (a map-free 区域分布), in one grouped query."""
    with db.session() as s:
        q = select(CaseRow.region_code, CaseRow.status, func.count()).group_by(
            CaseRow.region_code, CaseRow.status
        )
        cond = in_region(CaseRow.region_code, region or actor.root)
        if cond is not None:
            q = q.where(cond)
        counts: dict[str, Counter] = {c: Counter() for c in children}
        for code, status, n in s.execute(q):
            if not actor.sees(code):
                continue
            child = next((c for c in children if code.startswith(code_prefix(c))), None)
            if child is not None:
                counts[child][status] += n
        return [{"region_code": c, "total": sum(v.values()), **{st: v.get(st, 0) for st in STATE_ZH}}
                for c, v in counts.items()]  # fmt: skip


def warnings_board(db: Database, actor: CaseActor, *, region: str | None = None, now: datetime | None = None,
                   limit: int = 500) -> list[dict]:  # fmt: skip
    """Open cases with a red, orange or yellow warning, red first, each with its reasons. Repeats are
    counted as the monthly 重复诉求率 counts them (`gongfu.cases.repeats`)."""
    now = now or clock.utcnow()
    window = load_thresholds().get("repeat_window_days", 30)
    with db.session() as s:
        q = _filtered(select(CaseRow), actor, Filters(region=region, status=",".join(sorted(OPEN_STATES))))
        rows = list(s.scalars(q.order_by(CaseRow.due_at).limit(20000)))
        chains = chain_lengths(s, rows, window)
        out = []
        for r in rows:
            w = warning_of(r, now=now, repeats=chains.get(r.id, 0))
            if w.colour != "none":
                item = case_json(r, now=now)
                item.update(warning=w.colour, warning_reasons=list(w.reasons))
                out.append(item)
        order = {"red": 0, "orange": 1, "yellow": 2}
        return sorted(out, key=lambda x: (order[x["warning"]], x["expected_datetime"] or ""))[:limit]
