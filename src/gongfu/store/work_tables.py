"""Work-system tables (工作体系·政策体系): lists, responsible units, tasks with annual goals, milestones,
progress reports and evidence, supervision findings, and the "1+N" policy registry with its links.

Tasks and findings carry a version column: SQLAlchemy adds `WHERE version = ?` to every UPDATE, so a
second writer working from a stale copy fails instead of overwriting (see `gongfu.work.service`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongfu.store.tables import Base, utcnow


class WorkListRow(Base):
    """A list (清单) of one kind for one region and year: key_tasks | breakthrough | reform."""

    __tablename__ = "work_lists"
    __table_args__ = (UniqueConstraint("region_code", "kind", "year", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    year: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class UnitRow(Base):
    """A responsible unit: a department (发改局) or a lower-level government (镇(街道)) of a region."""

    __tablename__ = "work_units"
    __table_args__ = (UniqueConstraint("region_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="department")  # department | government | other


class WorkTaskRow(Base):
    """A task of a list. `plan_id`/`plan_task_id` keep the link to the plan text it came from."""

    __tablename__ = "work_tasks"
    __table_args__ = (
        Index("ix_work_tasks_region_due", "region_code", "due_date"),
        Index("ix_work_tasks_lead", "lead_unit_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("work_lists.id", ondelete="CASCADE"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    seq: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(Text)
    group_name: Mapped[str] = mapped_column(String(300), default="")
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"), nullable=True)
    person: Mapped[str] = mapped_column(String(100), default="")  # 责任人
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_text: Mapped[str] = mapped_column(String(200), default="")
    percent: Mapped[float] = mapped_column(Float, default=0.0)  # latest reported progress
    last_report_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    checked_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    checked_off_by: Mapped[str] = mapped_column(String(100), default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), nullable=True)
    plan_task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), nullable=True
    )
    source: Mapped[str] = mapped_column(String(500), default="")  # file:row | plan:ID/section | manual
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    co_units: Mapped[list[TaskCoUnitRow]] = relationship(cascade="all, delete-orphan")
    goals: Mapped[list[AnnualGoalRow]] = relationship(
        cascade="all, delete-orphan", order_by="AnnualGoalRow.year"
    )
    milestones: Mapped[list[MilestoneRow]] = relationship(
        cascade="all, delete-orphan", order_by="MilestoneRow.due_date"
    )


class TaskCoUnitRow(Base):
    __tablename__ = "work_task_co_units"

    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("work_units.id"), primary_key=True, index=True)


class TaskIndicatorRow(Base):
    """An indicator a task moves (from the plan targets inside its text, or linked by hand)."""

    __tablename__ = "work_task_indicators"

    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("targets.id", ondelete="SET NULL"), nullable=True
    )


class AnnualGoalRow(Base):
    """分年度目标."""

    __tablename__ = "work_annual_goals"
    __table_args__ = (UniqueConstraint("task_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    goal: Mapped[str] = mapped_column(Text)


class MilestoneRow(Base):
    __tablename__ = "work_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    due_date: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class ReportRow(Base):
    """A progress report (进度报告): percent done and what was done, as of a day."""

    __tablename__ = "work_reports"
    __table_args__ = (Index("ix_work_reports_task_on", "task_id", "reported_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"))
    reported_on: Mapped[date] = mapped_column(Date)
    percent: Mapped[float] = mapped_column(Float)
    narrative: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class EvidenceRow(Base):
    """An evidence file (佐证材料) of a report or a finding: content, SHA-256, size, checked type."""

    __tablename__ = "work_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), nullable=True,
                                                index=True)  # fmt: skip
    report_id: Mapped[int | None] = mapped_column(ForeignKey("work_reports.id", ondelete="CASCADE"),
                                                  nullable=True)  # fmt: skip
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("work_findings.id", ondelete="CASCADE"),
                                                   nullable=True, index=True)  # fmt: skip
    file_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class FindingRow(Base):
    """A supervision finding (督查问题) against a task or a unit, with a deadline and a state."""

    __tablename__ = "work_findings"
    __table_args__ = (Index("ix_work_findings_region_state", "region_code", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("work_tasks.id", ondelete="SET NULL"), nullable=True,
                                                index=True)  # fmt: skip
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("work_units.id"), nullable=True, index=True)
    title: Mapped[str] = mapped_column(String(500))
    detail: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    # the raiser's own region: who raised, or supervises from there or above, verifies (separation of duties)
    raised_in: Mapped[str | None] = mapped_column(String(12), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PolicyRow(Base):
    """A policy document of the "1+N" system: the plan ("1") or a supporting policy ("N").

    `tokens` holds the jieba search-mode words of title and text, space-separated and space-wrapped, so
    SQL can match a word on any database (and PostgreSQL's full-text index can use it too).
    """

    __tablename__ = "policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    tier: Mapped[str] = mapped_column(String(1))  # "1" | "N"
    title: Mapped[str] = mapped_column(String(500))
    doc_no: Mapped[str] = mapped_column(String(100), default="")  # 文号
    issuer: Mapped[str] = mapped_column(String(300), default="")
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("policies.id", ondelete="SET NULL"), nullable=True
    )
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    tokens: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class PolicyTaskRow(Base):
    __tablename__ = "policy_tasks"

    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("work_tasks.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)  # fmt: skip


class PolicyIndicatorRow(Base):
    __tablename__ = "policy_indicators"

    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
