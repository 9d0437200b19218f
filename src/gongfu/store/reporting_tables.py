"""Cascade and reporting tables (指标分解 · 数据填报): child targets linked to their parent, data requests
(数据需求) of responsible units, unit members, reporting forms with their items and every step taken on them.

A child target is an ordinary `targets` row (of a cascade document, or of the child region's own plan), so
the evaluation service evaluates it like any other; `cascade_links` says whose child it is.
Forms carry a version column: a second writer working from a stale copy fails instead of overwriting.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongfu.store.tables import Base, utcnow


class CascadeLinkRow(Base):
    """A child target of a parent target, one per child region: origin manual | sheet | plan."""

    __tablename__ = "cascade_links"
    __table_args__ = (UniqueConstraint("parent_target_id", "region_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    child_target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    origin: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(500), default="")  # file:row, or plan id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class DataRequestRow(Base):
    """A figure owed (数据需求): indicator × region × year × period type, by a responsible unit."""

    __tablename__ = "data_requests"
    __table_args__ = (UniqueConstraint("indicator_code", "region_code", "year", "period_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    period_type: Mapped[str] = mapped_column(String(10))  # year | quarter | month
    unit_name: Mapped[str] = mapped_column(String(200))
    unit_source: Mapped[str] = mapped_column(String(20))  # mapping | plan_task | work_task | default
    due_days: Mapped[int] = mapped_column(Integer, default=10)  # days after the period ends
    chain: Mapped[list] = mapped_column(JSON, default=list)  # approval levels: unit | region | parent
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("targets.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class UnitMemberRow(Base):
    """A user's duty in a responsible unit: reporter (填报) or approver (审核)."""

    __tablename__ = "reporting_members"
    __table_args__ = (UniqueConstraint("user_name", "region_code", "unit_name", "duty"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    unit_name: Mapped[str] = mapped_column(String(200))
    duty: Mapped[str] = mapped_column(String(10))


class ReportFormRow(Base):
    """One unit's figures for one period: draft → submitted → (approved at each level) → approved."""

    __tablename__ = "report_forms"
    __table_args__ = (UniqueConstraint("region_code", "unit_name", "period_type", "year", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    unit_name: Mapped[str] = mapped_column(String(200))
    period_type: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10), default="")  # "" | Q1..Q4 | M01..M12
    state: Mapped[str] = mapped_column(String(12), default="draft")  # draft|submitted|returned|approved
    level: Mapped[int] = mapped_column(Integer, default=0)  # approvals given since the last submission
    chain: Mapped[list] = mapped_column(JSON, default=list)
    reporter: Mapped[str] = mapped_column(String(100), default="")
    first_submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    items: Mapped[list[ReportItemRow]] = relationship(
        cascade="all, delete-orphan", order_by="ReportItemRow.id"
    )
    steps: Mapped[list[ReportStepRow]] = relationship(
        cascade="all, delete-orphan", order_by="ReportStepRow.id"
    )


class ReportItemRow(Base):
    """One figure of a form, with its note, the reason for a jump, and an evidence file."""

    __tablename__ = "report_items"
    __table_args__ = (UniqueConstraint("form_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("report_forms.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_requests.id"))
    indicator_code: Mapped[str] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")
    evidence_name: Mapped[str] = mapped_column(String(300), default="")
    evidence_type: Mapped[str] = mapped_column(String(100), default="")
    evidence_sha256: Mapped[str] = mapped_column(String(64), default="")
    evidence: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ReportStepRow(Base):
    """A step on a form: save | submit | withdraw | approve | return, by whom, at which level, why."""

    __tablename__ = "report_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("report_forms.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
