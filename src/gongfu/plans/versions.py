"""One plan, one stored edition: the same document in another format, encoding or script is recognised, and
`--replace` stores a new edition that supersedes the old one, carrying the work built on it.

Two plans are the same document when their normalised texts (Simplified, half-width, page furniture
dropped) agree on at least `SAME` of their 8-character shingles once everything but letters, digits and
CJK characters is removed — so a .docx, a GB 18030 .txt and a Traditional-script copy of one plan match,
and a plan for another county (other names, other figures) does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from gongfu.access import audit
from gongfu.store.tables import PlanRow, TargetRow, TaskRow

SAME = 0.9  # shingle overlap (Jaccard) from which two texts are one document
K = 8
_KEEP = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]+")


def fingerprint(text: str) -> str:
    """The text with layout, punctuation and spacing removed: what survives any change of format."""
    return _KEEP.sub("", text)


def shingles(fp: str, k: int = K) -> set[int]:
    return {hash(fp[i : i + k]) for i in range(max(1, len(fp) - k + 1))}


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' shingles (1.0: the same words in the same order)."""
    fa, fb = fingerprint(a), fingerprint(b)
    if not fa or not fb:
        return 0.0
    if min(len(fa), len(fb)) / max(len(fa), len(fb)) < SAME:
        return 0.0
    sa, sb = shingles(fa), shingles(fb)
    return len(sa & sb) / len(sa | sb)


@dataclass(frozen=True)
class Same:
    plan_id: int
    file_name: str
    title: str
    version: int
    score: float


def same_document(s: Session, text: str, *, region: str | None = None) -> Same | None:
    """The current (not superseded) stored plan that is the same document as `text`, if any; with `region`,
    only that region's plans (another region's plan is not an edition of this one, nor told about)."""
    fp_len = len(fingerprint(text))
    best: Same | None = None
    q = select(PlanRow.id, PlanRow.file_name, PlanRow.title, PlanRow.version, PlanRow.normalised_text).where(
        PlanRow.superseded_by.is_(None)
    )
    if region is not None:
        q = q.where(PlanRow.region_code == region)
    for pid, file_name, title, version, stored in s.execute(q):
        if not fp_len or abs(len(stored) - fp_len) > len(stored):  # cheap bound before the shingles
            continue
        score = similarity(text, stored)
        if score >= SAME and (best is None or score > best.score):
            best = Same(pid, file_name, title, version or 1, score)
    return best


def _match(old: list, new: list, key) -> dict[int, int]:
    """Old row id → new row id, by `key`, then by position for what is left."""
    by_key: dict = {}
    for n in new:
        by_key.setdefault(key(n), []).append(n)
    out, used = {}, set()
    for o in old:
        cands = [n for n in by_key.get(key(o), []) if n.id not in used]
        if cands:
            out[o.id] = cands[0].id
            used.add(cands[0].id)
    left = [n for n in new if n.id not in used]
    for o in old:
        if o.id not in out:
            pos = next((n for n in left if n.position == o.position), None)
            if pos is not None:
                out[o.id] = pos.id
                left.remove(pos)
    return out


def supersede(s: Session, old_id: int, new: PlanRow, *, by: str) -> dict:
    """Mark `old_id` superseded by `new` (already flushed) and move what was built on it to `new`:
    work lists, tasks (their plan-task links), indicator links (their target), policies. Audited."""
    from gongfu.store.work_tables import PolicyRow, TaskIndicatorRow, WorkListRow, WorkTaskRow

    old = s.get(PlanRow, old_id)
    new.version = (old.version or 1) + 1
    old.superseded_by, old.superseded_at = new.id, datetime.now(UTC)
    tasks = _match(
        list(s.scalars(select(TaskRow).where(TaskRow.plan_id == old_id))),
        list(s.scalars(select(TaskRow).where(TaskRow.plan_id == new.id))),
        lambda t: (t.section, t.title),
    )
    targets = _match(
        list(s.scalars(select(TargetRow).where(TargetRow.plan_id == old_id))),
        list(s.scalars(select(TargetRow).where(TargetRow.plan_id == new.id))),
        lambda t: (t.indicator, t.year, t.ambition, t.comparator, t.value),
    )
    moved = {"lists": 0, "tasks": 0, "indicator_links": 0, "policies": 0}
    for table, key in ((WorkListRow, "lists"), (PolicyRow, "policies")):
        res = s.execute(update(table).where(table.plan_id == old_id).values(plan_id=new.id))
        moved[key] = res.rowcount or 0
    for w in s.scalars(select(WorkTaskRow).where(WorkTaskRow.plan_id == old_id)):
        w.plan_id = new.id
        w.plan_task_id = tasks.get(w.plan_task_id, w.plan_task_id)
        moved["tasks"] += 1
    for link in s.scalars(
        select(TaskIndicatorRow).where(TaskIndicatorRow.target_id.in_(list(targets) or [-1]))
    ):
        link.target_id = targets[link.target_id]
        moved["indicator_links"] += 1
    audit.record(
        s, by or "unknown", "plan.replace", "plan", new.id, region=new.region_code,
        old={"plan_id": old_id, "version": old.version, "file_name": old.file_name, "sha256": old.sha256},
        new={"plan_id": new.id, "version": new.version, "file_name": new.file_name, "sha256": new.sha256,
             "targets_matched": len(targets), "tasks_matched": len(tasks), **moved},
    )  # fmt: skip
    return {"replaced": old_id, "version": new.version, **moved}


__all__ = ["SAME", "Same", "fingerprint", "same_document", "similarity", "supersede"]
