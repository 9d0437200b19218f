"""Materialised evaluation: the records of `service.records_for`, stored, and kept up to date.

Each stored record is one target's evaluation as of one year (`LATEST`: on every observation, and the
`AS_OF_YEARS` most recent observed years), with the whole JSON record (every intermediate) in `payload`
and the columns pages aggregate over beside it. `evaluation_state` holds the *stamp* of the inputs they
were computed from: the newest plan, target and observation ids, the number of plans, the newest plan
audit event (replacements, edits) and a digest of the colour thresholds in force.

Up to date, how:
- an observation import and a plan ingest call `refresh(s, regions, stamp_before)` in their own
  transaction, for the regions they touched only; the new stamp is written in the same transaction,
  so a reader sees either the old inputs with the old records or the new with the new;
- a reader compares the stored stamp with the inputs' (one query); when they differ (inputs changed by
  another way — a direct SQL load, a thresholds file — or stored rows predating this table) it refreshes
  every region first, in one transaction;
- an as-of year not stored, or a "what if" (other weights), is computed on demand, as before.

Readers in one process keep the records they parsed for a stamp (`_CACHE`), so a dashboard asked the same
question again between two imports does not parse the rows again.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongfu.evaluation.warnings import thresholds
from gongfu.store.access_tables import AuditEventRow
from gongfu.store.db import Database
from gongfu.store.evaluation_tables import LATEST, EvaluationRecordRow, EvaluationStateRow
from gongfu.store.tables import ObservationRow, PlanRow, TargetRow, utcnow

AS_OF_YEARS = 3  # besides LATEST, the most recent observed years stored (the dashboard's year picker)
_STATE_ID = 1
_CACHE: OrderedDict[tuple, list[dict]] = OrderedDict()
_CACHE_SIZE = 32


def input_stamp(s: Session) -> tuple[str, str | None]:
    """(the inputs' stamp, the stamp the stored records were computed from): the first is what the
    evaluation depends on — newest plan, target and observation ids (a revision is a new row, superseding
    the old in the same transaction), the number of plans, the thresholds in force — read with the second
    in one query of primary-key lookups."""
    row = s.execute(
        select(
            select(func.max(PlanRow.id)).scalar_subquery(),
            select(func.count(PlanRow.id)).scalar_subquery(),  # a plan (and its targets) deleted
            select(func.max(TargetRow.id)).scalar_subquery(),
            select(func.max(ObservationRow.id)).scalar_subquery(),  # a revision is a new row
            # plan replacements and edits (region, period) change what is evaluated
            select(func.max(AuditEventRow.id)).where(AuditEventRow.object_type == "plan").scalar_subquery(),
            select(EvaluationStateRow.stamp).where(EvaluationStateRow.id == _STATE_ID).scalar_subquery(),
        )
    ).one()
    th = hashlib.sha256(json.dumps(asdict(thresholds()), sort_keys=True).encode()).hexdigest()[:12]
    return ":".join(str(v) for v in row[:5]) + f":{th}", row[5]


def stamp(db: Database) -> dict:
    """How fresh the stored evaluation is: when it was last refreshed, and whether it is current."""
    with db.session() as s:
        current, stored = input_stamp(s)
        st = s.get(EvaluationStateRow, _STATE_ID)
        return {
            "refreshed_at": st.refreshed_at if st else None,
            "current": stored == current,
            "regions": st.regions if st else 0,
            "records": st.records if st else 0,
        }


def refresh(s: Session, regions: Iterable[str] | None, stamp_before: str | None = None) -> int:
    """Recompute the stored records of `regions` (None: of every region with a target) in session `s`,
    and record the inputs' stamp. With a `stamp_before` (the inputs' stamp when the caller's transaction
    began) that is not the stored one, the stored rows were already behind: every region is refreshed.
    Returns the number of records written."""
    from gongfu.evaluation.service import records_as_of

    st = s.get(EvaluationStateRow, _STATE_ID)
    if regions is not None and (st is None or st.stamp != stamp_before):
        regions = None
    s.flush()
    if regions is None:
        codes = sorted(c for c in s.scalars(select(TargetRow.region_code).distinct()) if c)
        s.execute(delete(EvaluationRecordRow))
    else:
        codes = sorted(set(regions))
        s.execute(delete(EvaluationRecordRow).where(EvaluationRecordRow.region_code.in_(codes)))
    written = 0
    if codes:
        years = s.scalars(
            select(ObservationRow.year)
            .distinct()
            .where(ObservationRow.region_code.in_(codes), ObservationRow.superseded_by.is_(None))
            .order_by(ObservationRow.year.desc())
            .limit(AS_OF_YEARS)
        ).all()
        table, conn = EvaluationRecordRow.__table__, s.connection()
        for year, recs in records_as_of(s, codes, [None, *years]).items():
            rows = [_row(r, year) for r in recs]
            for start in range(0, len(rows), 10_000):  # executemany: no per-row round trip
                conn.execute(table.insert(), rows[start : start + 10_000])
            written += len(rows)
    current, _ = input_stamp(s)
    if st is None:
        st = EvaluationStateRow(id=_STATE_ID, stamp=current)
        s.add(st)
    st.stamp, st.refreshed_at, st.regions, st.records = current, utcnow(), len(codes), written
    s.flush()
    return written


def _row(r: dict, year: int | None) -> dict:
    return {
        "target_id": r["target_id"],
        "as_of": LATEST if year is None else year,
        "region_code": r["region"] or "",
        "region_name": r.get("region_name") or "",
        "indicator_key": r.get("indicator_code") or r["indicator"],
        "indicator_name": r.get("indicator_name") or r["indicator"],
        "year": r.get("year"),
        "colour": r["colour"],
        "colour_reason": (r.get("colour_reason") or "")[:300],
        "attainment": r.get("attainment"),
        "payload": json.dumps(r, ensure_ascii=False),
    }


def current(s: Session) -> str:
    """The inputs' stamp, with the stored records brought up to date first when they are behind it."""
    now, stored = input_stamp(s)
    _catch_up(s, now, stored)
    return now


def _catch_up(s: Session, now: str, stored: str | None) -> None:
    """Refresh every stored record when the stored stamp is behind the inputs' stamp."""
    if stored != now:
        try:
            with s.begin_nested():
                refresh(s, None)
        except IntegrityError:  # another process refreshed at the same moment: its rows will do
            pass


def current_stamp(db: Database) -> str:
    """`current` in a session of its own: the key under which a reader may keep what it derived from
    the stored records (it changes whenever they do)."""
    with db.session() as s:
        return current(s)


def _stored_as_of(s: Session, regions: list[str], year: int | None) -> int | None:
    """The `as_of` of the stored records of `regions` as of `year` (LATEST for None), or None when that
    as-of year is not stored for all their targets (the caller computes on demand)."""
    if year is None:
        return LATEST
    n = s.scalar(
        select(func.count(EvaluationRecordRow.id)).where(
            EvaluationRecordRow.region_code.in_(regions), EvaluationRecordRow.as_of == year
        )
    )
    return year if n and _covers(s, regions, n) else None


def page(
    db: Database, regions: list[str], year: int | None, limit: int, offset: int
) -> tuple[int, list[str]] | None:
    """(how many stored records `regions` have as of `year`, the JSON payloads of one page of them in
    the order of `records`), counted and cut in SQL; None when that as-of year is not stored."""
    with db.session() as s:
        current(s)
        as_of = _stored_as_of(s, regions, year)
        if as_of is None:
            return None
        where = (EvaluationRecordRow.region_code.in_(regions), EvaluationRecordRow.as_of == as_of)
        total = s.scalar(select(func.count(EvaluationRecordRow.id)).where(*where)) or 0
        q = (
            select(EvaluationRecordRow.payload)
            .where(*where)
            .order_by(EvaluationRecordRow.region_code, EvaluationRecordRow.id)
            .limit(limit)
            .offset(offset)
        )
        return total, list(s.scalars(q))


CELL_COLUMNS = ("target_id", "region_code", "region_name", "indicator_key", "indicator_name", "year",
                "colour", "colour_reason", "attainment")  # fmt: skip


def cells(
    db: Database, regions: list[str], year: int | None, region_limit: int, region_offset: int
) -> dict | None:
    """What a warning matrix draws, from the stored columns (no payload is read or parsed): the colour
    counts of every record of `regions` (one GROUP BY), the regions holding records, and the cells of
    one page of those regions (`region_limit` from `region_offset`, by code) — three queries whatever
    the number of regions. None when that as-of year is not stored."""
    t = EvaluationRecordRow
    with db.session() as s:
        current(s)
        as_of = _stored_as_of(s, regions, year)
        if as_of is None:
            return None
        where = (t.region_code.in_(regions), t.as_of == as_of)
        counts = dict(s.execute(select(t.colour, func.count(t.id)).where(*where).group_by(t.colour)).all())
        held = list(s.scalars(select(t.region_code).where(*where).distinct().order_by(t.region_code)))
        shown = held[region_offset : region_offset + region_limit]
        cols = [getattr(t, c) for c in CELL_COLUMNS]
        q = select(*cols).where(t.region_code.in_(shown), t.as_of == as_of).order_by(t.region_code, t.id)
        rows = [dict(zip(CELL_COLUMNS, r, strict=True)) for r in s.execute(q)] if shown else []
    return {"counts": counts, "regions": held, "rows": rows}


def records(db: Database, regions: list[str], year: int | None) -> list[dict]:
    """The evaluation records of `regions` as of `year`: stored (refreshed first if behind the inputs),
    or computed now when that as-of year is not stored."""
    with db.session() as s:
        current, stored = input_stamp(s)
        key = (db.url, tuple(regions), year, current)
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return [dict(r) for r in hit]  # callers may add or drop keys; nested lists are shared
        _catch_up(s, current, stored)
        as_of = LATEST if year is None else year
        q = (
            select(EvaluationRecordRow.payload)
            .where(EvaluationRecordRow.region_code.in_(regions), EvaluationRecordRow.as_of == as_of)
            .order_by(EvaluationRecordRow.region_code, EvaluationRecordRow.id)
        )
        payloads = s.scalars(q).all()
        if year is not None and not payloads:
            hit = _on_demand(s, regions, year)
        else:
            hit = [json.loads(p) for p in payloads]
            if year is not None and not _covers(s, regions, len(hit)):
                hit = _on_demand(s, regions, year)
    _CACHE[key] = hit
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return [dict(r) for r in hit]


def _covers(s: Session, regions: list[str], n: int) -> bool:
    """Whether `n` stored records are one per target of `regions` (an as-of year stored for them all)."""
    q = (
        select(func.count(TargetRow.id))
        .join(PlanRow, PlanRow.id == TargetRow.plan_id)
        .where(TargetRow.region_code.in_(regions), PlanRow.superseded_by.is_(None))
    )
    return n == s.scalar(q)


def _on_demand(s: Session, regions: list[str], year: int) -> list[dict]:
    from gongfu.evaluation.service import records_for

    return records_for(s, regions, year)
