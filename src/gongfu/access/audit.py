"""The audit trail: every write records who, when, what, where and old → new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
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
        return list(s.scalars(q.limit(limit).offset(offset)))


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
        "old": e.old,
        "new": e.new,
    }
