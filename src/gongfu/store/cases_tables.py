"""Case tables of the grassroots closed loop: cases, their unit assignments and their history of moves."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from gongfu.store.tables import Base, utcnow


class CaseRow(Base):
    """One request (诉求/社情民意/矛盾纠纷/隐患). The current lead unit is copied here for fast queues."""

    __tablename__ = "cases"
    __table_args__ = (
        # 工单编号 are unique per hotline operator, i.e. per county-level region
        UniqueConstraint("channel", "external_id", "county_code", name="uq_cases_channel_external_county"),
        Index("ix_cases_queue", "status", "region_code", "received_at"),
        Index("ix_cases_inbox", "unit_region", "status", "due_at"),
        Index("ix_cases_place", "region_code", "category", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # grid | 12345 | public | api | import
    external_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(40))
    category_source: Mapped[str] = mapped_column(String(10))  # model | given | human
    category_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    model_version: Mapped[str] = mapped_column(String(60), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(String(12))
    county_code: Mapped[str] = mapped_column(String(6), index=True)  # the county-level region holding it
    village: Mapped[str] = mapped_column(String(60), default="")
    grid: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    long: Mapped[float | None] = mapped_column(Float, nullable=True)
    contact_masked: Mapped[str] = mapped_column(String(60), default="")
    contact_protected: Mapped[str] = mapped_column(Text, default="")
    contact_key: Mapped[str] = mapped_column(String(32), default="", index=True)
    urgency: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    level: Mapped[str] = mapped_column(String(10), default="")
    unit: Mapped[str] = mapped_column(String(100), default="")
    unit_region: Mapped[str] = mapped_column(String(12), default="")
    unit_place: Mapped[str] = mapped_column(String(60), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    working_days: Mapped[int] = mapped_column(Integer)
    first_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closing_note: Mapped[str] = mapped_column(Text, default="")
    satisfaction: Mapped[str | None] = mapped_column(String(15), nullable=True)
    callback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    callback_note: Mapped[str] = mapped_column(Text, default="")
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    repeat_of: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class CaseAssignmentRow(Base):
    """A unit's part in a case: the lead (one open at a time) or a joint unit (吹哨报到)."""

    __tablename__ = "case_assignments"
    __table_args__ = (Index("ix_case_assignments_unit", "region_code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # lead | joint
    level: Mapped[str] = mapped_column(String(10))
    unit: Mapped[str] = mapped_column(String(100))
    region_code: Mapped[str] = mapped_column(String(12))
    place: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(12))  # open | signed | done | returned | escalated | rerouted
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    working_days: Mapped[int] = mapped_column(Integer)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class CaseEventRow(Base):
    """One move of a case: who, when, which action, from which state to which, with its details."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
