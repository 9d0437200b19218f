"""The "1+N" policy registry: the plan (the "1") and its supporting policies (the "N"), searchable in
Chinese and linked to the tasks they authorise and the indicators they move.

Search: title and text are cut into words by jieba (search mode) and stored space-wrapped in `tokens`; a
query is cut the same way and every word must match. PostgreSQL matches through its own full-text index
(`to_tsvector('simple', tokens)`, created by migration 0003); other databases through `LIKE '% word %'`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

from sqlalchemy import func, literal_column, select

from gongfu.access.audit import record
from gongfu.access.scope import Scope
from gongfu.errors import InputError, NotFound
from gongfu.store.db import Database
from gongfu.store.tables import PlanRow
from gongfu.store.work_tables import PolicyIndicatorRow, PolicyRow, PolicyTaskRow, WorkTaskRow
from gongfu.text import to_simplified
from gongfu.work.access import POLICIES_WRITE

_WORD = re.compile(r"\w")
STOP = frozenset("的了和与及等在对为是将把于或并之其以个")  # one-character function words


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str, *, search: bool = True) -> list[str]:
    """The words of `text`: jieba's search mode (with sub-words) for documents, precise mode for queries.

    Documents and queries are read in Simplified script, so a Traditional plan is found by 乡村振兴 and a
    Traditional query finds a Simplified plan.
    """
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    jb = _jieba()
    cut = jb.cut_for_search(text) if search else jb.cut(text)
    out = []
    for w in cut:
        w = w.strip()
        if w and _WORD.search(w) and w not in STOP:
            out.append(w)
    return out


def tokens_of(title: str, text: str) -> str:
    """The stored token column: distinct words, space-separated, with a space at both ends."""
    return " " + " ".join(dict.fromkeys(words(title + "\n" + text))) + " "


def policy_json(p: PolicyRow, *, text: bool = False) -> dict:
    out = {"id": p.id, "tier": p.tier, "title": p.title, "doc_no": p.doc_no, "issuer": p.issuer,
           "issued_on": p.issued_on.isoformat() if p.issued_on else None, "region_code": p.region_code,
           "parent_id": p.parent_id, "plan_id": p.plan_id}  # fmt: skip
    if text:
        out["text"] = p.text
    return out


def add_policy(db: Database, scope: Scope, *, title: str, region: str, tier: str = "N", text: str = "",
               doc_no: str = "", issuer: str = "", issued_on: date | None = None, parent_id: int | None = None,
               plan_id: int | None = None) -> dict:  # fmt: skip
    """Register a policy. A "1" may be an ingested plan (`plan_id`: its text is taken from the plan)."""
    scope.need(POLICIES_WRITE)
    if tier not in ("1", "N"):
        raise InputError(f"tier must be '1' (the plan) or 'N' (a supporting policy), got {tier!r}")
    code = scope.region(region).code
    with db.session() as s:
        if plan_id is not None:
            plan = s.get(PlanRow, plan_id)
            if plan is None:
                raise NotFound(f"no plan {plan_id}")
            scope.visible(plan.region_code, f"方案 {plan_id}")
            title = title or plan.title
            text = text or plan.original_text
        if not title.strip():
            raise InputError("a policy needs a title")
        if parent_id is not None:
            parent = s.get(PolicyRow, parent_id)
            # a supporting policy may hang under a plan of its own region or of a region above it
            if parent is None or not (
                scope.sees(parent.region_code) or scope.registry.is_within(scope.root, parent.region_code)
            ):
                raise NotFound(f"没有政策 {parent_id}（或不在您的管辖范围内）")
        p = PolicyRow(region_code=code, tier=tier, title=title.strip(), doc_no=doc_no, issuer=issuer,
                      issued_on=issued_on, parent_id=parent_id, plan_id=plan_id, text=text,
                      tokens=tokens_of(title, text), created_by=scope.actor)  # fmt: skip
        s.add(p)
        s.flush()
        record(s, scope.actor, "policy.add", "policy", p.id, region=code,
               new={"title": p.title, "tier": tier, "doc_no": doc_no, "parent_id": parent_id})  # fmt: skip
        return policy_json(p)


def search(
    db: Database, scope: Scope, query: str, *, region: str | None = None, limit: int = 50
) -> list[dict]:
    """Policies in the region subtree containing every word of `query`, the most mentions first."""
    scope.need("read")
    code = scope.region(region or scope.root).code
    terms = list(dict.fromkeys(words(query, search=False)))
    if not terms:
        raise InputError("empty search: give at least one word")
    q = select(PolicyRow).where(scope.where(PolicyRow.region_code, code))
    if db.engine.dialect.name == "postgresql":
        simple = literal_column("'simple'::regconfig")  # a constant, so the index expression matches
        vector = func.to_tsvector(simple, PolicyRow.tokens)
        tsq = func.to_tsquery(simple, " & ".join(_ts_quote(t) for t in terms))
        q = q.where(vector.op("@@")(tsq))
    else:
        for t in terms:
            q = q.where(PolicyRow.tokens.contains(f" {t} ", autoescape=True))
    with db.session() as s:
        found = list(s.scalars(q))

    # Rank in Python: mentions of the query words in title (weighted) and text.
    def score(p: PolicyRow) -> float:
        return sum(3 * p.title.lower().count(t) + p.text.lower().count(t) for t in terms)

    found.sort(key=lambda p: (-score(p), p.id))
    return [{**policy_json(p), "score": score(p), "snippet": _snippet(p.text, terms)} for p in found[:limit]]


def _ts_quote(term: str) -> str:
    return "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"


def _snippet(text: str, terms: list[str], width: int = 60) -> str:
    low = text.lower()
    hits = [low.find(t) for t in terms if low.find(t) >= 0]
    if not hits:
        return text[:width]
    a = max(0, min(hits) - width // 3)
    return ("…" if a else "") + text[a : a + width] + ("…" if a + width < len(text) else "")


def link(db: Database, scope: Scope, policy_id: int, *, task_ids: list[int] | None = None,
         indicators: list[str] | None = None) -> dict:  # fmt: skip
    """Link a policy to the tasks it authorises and the indicators it moves."""
    from gongfu.catalog import load_catalog

    scope.need(POLICIES_WRITE)
    catalog = load_catalog()
    codes = [catalog.get(c).code for c in indicators or []]
    with db.session() as s:
        p = s.get(PolicyRow, policy_id)
        if p is None or not scope.sees(p.region_code):
            raise NotFound(f"没有政策 {policy_id}（或不在您的管辖范围内）")
        added_tasks, added_codes = [], []
        for tid in task_ids or []:
            t = s.get(WorkTaskRow, tid)
            if t is None:
                raise NotFound(f"no task {tid}")
            scope.visible(t.region_code, f"任务 {tid}")
            if s.get(PolicyTaskRow, (policy_id, tid)) is None:
                s.add(PolicyTaskRow(policy_id=policy_id, task_id=tid))
                added_tasks.append(tid)
        for c in codes:
            if s.get(PolicyIndicatorRow, (policy_id, c)) is None:
                s.add(PolicyIndicatorRow(policy_id=policy_id, indicator_code=c))
                added_codes.append(c)
        record(s, scope.actor, "policy.link", "policy", policy_id, region=p.region_code,
               new={"tasks": added_tasks, "indicators": added_codes})  # fmt: skip
        return {"policy_id": policy_id, "tasks": added_tasks, "indicators": added_codes}


def policies(db: Database, scope: Scope, region: str) -> list[dict]:
    """The "1+N" tree of a region subtree: each "1" with its "N" under it, then the unattached."""
    scope.need("read")
    code = scope.region(region).code
    with db.session() as s:
        rows = list(s.scalars(select(PolicyRow).where(scope.where(PolicyRow.region_code, code))
                              .order_by(PolicyRow.tier, PolicyRow.id)))  # fmt: skip
    return [policy_json(p) for p in rows]
