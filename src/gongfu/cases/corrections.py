"""Human overrides of the model's category (recorded), and the corrected cases as training rows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select

from gongfu import clock
from gongfu.access.audit import record
from gongfu.cases import routing
from gongfu.cases.actor import CaseActor
from gongfu.cases.classify import LabelledSet
from gongfu.cases.moves import place_of
from gongfu.errors import InputError, NotFound
from gongfu.store.cases_tables import CaseEventRow, CaseRow
from gongfu.store.db import Database


def reclassify(db: Database, actor: CaseActor, case_id: int, category: str, *, reason: str = "",
               known: Collection[str] | None = None, now: datetime | None = None) -> dict:  # fmt: skip
    """Set the category by hand; the model's guess and confidence stay in the event for retraining audits.

    `known`: the categories the classifier knows (its labels); another is refused, since a correction the
    model cannot learn would break `cases train --with-corrections`."""
    actor.need("dispatcher")
    category = category.strip()
    if not category or len(category) > 40:
        raise InputError("分类须为 1–40 个字")
    if known is not None and category not in known:
        raise InputError(f"分类“{category}”不在分类模型的类别中；可用：{'、'.join(sorted(known))}")
    now = now or clock.utcnow()
    with db.session() as s:
        row = s.get(CaseRow, case_id)
        if row is None or not actor.sees(row.region_code):
            raise NotFound(f"没有编号为 {case_id} 的诉求（或不在您的区划范围内）")
        old = {"category": row.category, "source": row.category_source, "confidence": row.category_confidence,
               "model_version": row.model_version, "department": row.department}  # fmt: skip
        row.category, row.category_source = category, "human"
        row.department = routing.department(routing.load_rules(), row.kind, category, place_of(row))
        row.version += 1
        row.updated_at = now
        new = {"category": category, "source": "human", "department": row.department, "reason": reason}
        s.add(CaseEventRow(case_id=row.id, at=now, actor=actor.name, action="reclassify",
                           from_status=row.status, to_status=row.status, detail={"old": old, "new": new}))  # fmt: skip
        record(s, actor.name, "case.reclassify", "case", row.id, region=row.region_code, old=old, new=new)
        return {"id": row.id, **new, "previous": old["category"], "previous_source": old["source"]}


def known_categories(classifier) -> frozenset[str]:
    """What a correction may say: the classifier's labels, else (no model yet) the routing rules' categories."""
    if classifier is not None:
        return frozenset(classifier.labels)
    rules = routing.load_rules()
    return frozenset(r["category"] for r in rules.units if r["category"] not in ("", "*"))


def corrected(db: Database) -> LabelledSet:
    """Cases whose category a person set or confirmed (source human), as a labelled set."""
    out = LabelledSet()
    with db.session() as s:
        for cid, title, text, cat in s.execute(
            select(CaseRow.id, CaseRow.title, CaseRow.description, CaseRow.category)
            .where(CaseRow.category_source == "human").order_by(CaseRow.id)
        ):  # fmt: skip
            out.subjects.append(title)
            out.bodies.append(text)
            out.labels.append(cat)
            out.keys.append(("id", f"case-{cid}"))
    return out
