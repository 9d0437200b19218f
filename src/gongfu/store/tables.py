"""The relational schema (SQLAlchemy 2 declarative). Changes go through an Alembic migration."""

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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Stored timestamps come from the one clock (`gongfu.clock`, UTC), so a frozen clock dates rows too."""
    from gongfu import clock

    return clock.utcnow()


class Base(DeclarativeBase):
    pass


class PlanRow(Base):
    __tablename__ = "plans"
    # one document may be the plan of several regions; each region stores it once (and learns nothing of others)
    __table_args__ = (UniqueConstraint("sha256", "region_code", name="uq_plans_sha256_region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))
    encoding: Mapped[str] = mapped_column(String(30))
    script: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500), default="")
    issuer: Mapped[str] = mapped_column(String(300), default="")
    issued_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    region_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    region_name: Mapped[str] = mapped_column(String(100), default="")
    period_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    original_text: Mapped[str] = mapped_column(Text)
    normalised_text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ingested_by: Mapped[str] = mapped_column(String(100), default="")
    # A new edition stored with `plan ingest --replace` supersedes this one; superseded plans stay stored
    # (their targets are the history) but are not evaluated.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), nullable=True, index=True)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    sections: Mapped[list[SectionRow]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    targets: Mapped[list[TargetRow]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    tasks: Mapped[list[TaskRow]] = relationship(back_populates="plan", cascade="all, delete-orphan")


class SectionRow(Base):
    __tablename__ = "plan_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    marker: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    level: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    plan: Mapped[PlanRow] = relationship(back_populates="sections")


class TargetRow(Base):
    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # order in the plan
    indicator: Mapped[str] = mapped_column(String(300))
    indicator_code: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    region_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    value: Mapped[float] = mapped_column(Float)
    value2: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(40))
    comparator: Mapped[str] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ambition: Mapped[str] = mapped_column(String(10))
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    section: Mapped[str | None] = mapped_column(String(200), nullable=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    qualifier: Mapped[str] = mapped_column(String(40), default="")
    damaged: Mapped[bool] = mapped_column(Boolean, default=False)
    span: Mapped[str] = mapped_column(Text)  # original text from start to end
    sentence: Mapped[str] = mapped_column(Text)  # the whole source sentence, original script

    plan: Mapped[PlanRow] = relationship(back_populates="targets")


class TaskRow(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    lead_units: Mapped[list] = mapped_column(JSON, default=list)
    co_units: Mapped[list] = mapped_column(JSON, default=list)
    target_positions: Mapped[list] = mapped_column(JSON, default=list)

    plan: Mapped[PlanRow] = relationship(back_populates="tasks")


class ImportRow(Base):
    """One observation file import (or one computation run), all-or-nothing."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(20))  # file | computation
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")


class ObservationRow(Base):
    """An observed or computed figure. Never overwritten: a revision is a new row superseding the old."""

    __tablename__ = "observations"
    __table_args__ = (Index("ix_obs_key", "indicator_code", "region_code", "year", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    indicator_code: Mapped[str] = mapped_column(String(80))
    region_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10), default="")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    original_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    original_unit: Mapped[str] = mapped_column(String(40), default="")
    vintage: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(500))
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_text: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(1000), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("observations.id"), nullable=True)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


__all__ = [
    "Base",
    "ImportRow",
    "ObservationRow",
    "PlanRow",
    "SectionRow",
    "TargetRow",
    "TaskRow",
    "UniqueConstraint",
]


from gongfu.store import access_tables  # noqa: E402, F401  (users, tokens, audit on the same Base)
from gongfu.store import cases_tables as cases_tables  # noqa: E402  (the grassroots closed loop on the same Base)
from gongfu.store import evaluation_tables as evaluation_tables  # noqa: E402  (materialised evaluation on the same Base)
from gongfu.store import reporting_tables as reporting_tables  # noqa: E402  (cascade and reporting on the same Base)
from gongfu.store import work_tables as work_tables  # noqa: E402  (work system and policy registry on the same Base)
