"""The audit trail: every write records who, when, what, where and old → new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongfu.store.access_tables import AuditEventRow, AuditRegionRow
from gongfu.store.db import Database


def record(
    s: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    region: str | None = None,
    regions: list[str] | None = None,
    old: dict | None = None,
    new: dict | None = None,
) -> AuditEventRow:
    """Add an event to the session `s`, so it commits (or rolls back) with the write it describes.

    `region` is where the event is filed; `regions` every region it touched (an import over two counties
    is seen by the admins of each, not only by those of their common ancestor).
    """
    row = AuditEventRow(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region,
        old=old,
        new=new,
    )
    s.add(row)
    touched = sorted({*(regions or ()), *((region,) if region else ())})
    if touched:
        s.flush()
        s.add_all(AuditRegionRow(event_id=row.id, region_code=code) for code in touched)
    return row


def record_many(
    s: Session, actor: str, action: str, object_type: str, events: list[tuple[object, str | None, dict]]
) -> None:
    """`record` for many objects at once — (object id, region, new) each — with one flush for all of them."""
    rows = [AuditEventRow(actor=actor, action=action, object_type=object_type, object_id=str(oid), region_code=region,
                          old=None, new=new) for oid, region, new in events]  # fmt: skip
    s.add_all(rows)
    if any(region for _, region, _ in events):
        s.flush()
        s.add_all(
            AuditRegionRow(event_id=row.id, region_code=row.region_code) for row in rows if row.region_code
        )


def _events(since: datetime | None, action: str | None, actor: str | None, where: Any):
    q = select(AuditEventRow)
    for cond in (
        where,
        AuditEventRow.at >= since if since is not None else None,
        AuditEventRow.action == action if action else None,
        AuditEventRow.actor == actor if actor else None,
    ):
        if cond is not None:
            q = q.where(cond)
    return q


def regions_of(s: Session, events: list[AuditEventRow]) -> dict[int, list[str]]:
    """The regions each event touched (event id -> codes)."""
    out: dict[int, list[str]] = {e.id: [] for e in events}
    ids = list(out)
    for start in range(0, len(ids), 500):
        q = select(AuditRegionRow).where(AuditRegionRow.event_id.in_(ids[start : start + 500]))
        for r in s.scalars(q.order_by(AuditRegionRow.region_code)):
            out[r.event_id].append(r.region_code)
    return out


def list_events(
    db: Database,
    *,
    since: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    limit: int = 200,
    offset: int = 0,
    where: Any = None,
) -> list[AuditEventRow]:
    """Newest first; `where` is the caller's scope clause (`Scope.where(AuditEventRow.region_code)`),
    applied in the database before the limit."""
    with db.session() as s:
        q = _events(since, action, actor, where).order_by(AuditEventRow.id.desc())
        events = list(s.scalars(q.limit(limit).offset(offset)))
        touched = regions_of(s, events)
        for e in events:
            e.regions = touched[e.id]  # type: ignore[attr-defined]
        return events


def count_events(
    db: Database,
    *,
    since: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    where: Any = None,
) -> int:
    """How many events `list_events` would list without a limit."""
    with db.session() as s:
        q = _events(since, action, actor, where).with_only_columns(func.count())
        return s.scalar(q) or 0


def event_json(e: AuditEventRow) -> dict:
    return {
        "id": e.id,
        "at": e.at.isoformat() if e.at else None,
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "region_code": e.region_code,
        "regions": getattr(e, "regions", None) or ([e.region_code] if e.region_code else []),
        "old": e.old,
        "new": e.new,
    }
