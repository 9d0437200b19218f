"""Ambition side by side: every region's target for one catalog indicator."""

from __future__ import annotations

from sqlalchemy import select

from gongfu.store.db import Database
from gongfu.store.tables import PlanRow, TargetRow


def compare_targets(db: Database, indicator_code: str) -> list[dict]:
    """One record per stored target with this catalog code, ordered by region then year."""
    with db.session() as s:
        q = (
            select(TargetRow, PlanRow)
            .join(PlanRow, PlanRow.id == TargetRow.plan_id)
            .where(TargetRow.indicator_code == indicator_code, PlanRow.superseded_by.is_(None))
            .order_by(TargetRow.region_code, TargetRow.year, TargetRow.ambition, TargetRow.position)
        )
        return [
            {
                "target_id": t.id,
                "region_code": t.region_code,
                "region_name": p.region_name,
                "plan_id": p.id,
                "plan_title": p.title,
                "indicator": t.indicator,
                "comparator": t.comparator,
                "value": t.value,
                "value2": t.value2,
                "unit": t.unit,
                "year": t.year,
                "ambition": t.ambition,
                "sentence": t.sentence,
                "span": t.span,
                "start": t.start,
                "end": t.end,
            }
            for t, p in s.execute(q)
        ]


def unmatched_targets(db: Database, plan_id: int | None = None) -> list[dict]:
    """Targets that stayed plan-local (no catalog code), optionally of one plan."""
    with db.session() as s:
        q = select(TargetRow).where(TargetRow.indicator_code.is_(None))
        if plan_id is not None:
            q = q.where(TargetRow.plan_id == plan_id)
        return [
            {"plan_id": t.plan_id, "id": t.id, "indicator": t.indicator, "value": t.value, "unit": t.unit,
             "span": t.span}
            for t in s.scalars(q.order_by(TargetRow.id))
        ]  # fmt: skip
