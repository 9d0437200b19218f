"""Materialised evaluation: one stored record per target and as-of year, and the stamp of the inputs they were computed from (see evaluation/materialise.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gongfu.store.tables import Base, utcnow

LATEST = 0  # `as_of` of the evaluation on every observation (no as-of year)


class EvaluationRecordRow(Base):
    """One target's evaluation as of one year (LATEST: on all observations); `payload` is the whole
    JSON record with every intermediate, the other columns what pages aggregate over."""

    __tablename__ = "evaluation_records"
    __table_args__ = (
        UniqueConstraint("target_id", "as_of", name="uq_evaluation_target_asof"),
        Index("ix_evaluation_region_asof", "region_code", "as_of"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    as_of: Mapped[int] = mapped_column(Integer, default=LATEST)
    region_code: Mapped[str] = mapped_column(String(12))
    region_name: Mapped[str] = mapped_column(String(100), default="")
    indicator_key: Mapped[str] = mapped_column(String(300))  # catalog code, else the indicator as written
    indicator_name: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    colour: Mapped[str] = mapped_column(String(10))
    colour_reason: Mapped[str] = mapped_column(String(300), default="")
    attainment: Mapped[float | None] = mapped_column(Float, nullable=True)
    payload: Mapped[str] = mapped_column(Text)


class EvaluationStateRow(Base):
    """One row: the stamp of the inputs the stored records were computed from, and when."""

    __tablename__ = "evaluation_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stamp: Mapped[str] = mapped_column(String(200))
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    regions: Mapped[int] = mapped_column(Integer, default=0)  # regions refreshed last time
    records: Mapped[int] = mapped_column(Integer, default=0)  # records written last time
