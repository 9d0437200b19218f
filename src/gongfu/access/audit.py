"""The audit trail: every write records who, when, what, where and old → new."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongfu.store.access_tables import AuditEventRow
from gongfu.store.db import Database


def record(
    s: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    region: str | None = None,
    old: dict | None = None,
    new: dict | None = None,
) -> AuditEventRow:
    """Add an event to the session `s`, so it commits (or rolls back) with the write it describes."""
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
    return row


def list_events(
    db: Database,
    *,
    since: datetime | None = None,
    action: str | None = None,
    actor: str | None = None,
    limit: int = 200,
) -> list[AuditEventRow]:
    """Newest first. Region filtering is the caller's scope check."""
    with db.session() as s:
        q = select(AuditEventRow)
        if since is not None:
            q = q.where(AuditEventRow.at >= since)
        if action:
            q = q.where(AuditEventRow.action == action)
        if actor:
            q = q.where(AuditEventRow.actor == actor)
        return list(s.scalars(q.order_by(AuditEventRow.id.desc()).limit(limit)))


def event_json(e: AuditEventRow) -> dict:
    return {
        "id": e.id,
        "at": e.at.isoformat() if e.at else None,
        "actor": e.actor,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "region_code": e.region_code,
        "old": e.old,
        "new": e.new,
    }
