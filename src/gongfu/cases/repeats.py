"""The one definition of a repeat request (重复诉求), used by intake, the warnings and the monthly rate.

A request repeats an earlier one when both are of the same category, in the same county, within
`window_days`, and either come from the same reporter (contact fingerprint) or from the same place (the
same town and the same grid, else village, else address). Intake links each request to the latest such
earlier one (`repeat_of`); the warnings count how many earlier requests lie on that chain inside the
window, and the monthly 重复诉求率 counts requests with a link — so the two always agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from gongfu.store.cases_tables import CaseRow


def place_of(row: CaseRow) -> str:
    """The place a request is about: grid, else village, else address ("" when none is known)."""
    return (row.grid or row.village or row.address or "").strip()


def repeat_of(s: Session, row: CaseRow, county: str, window_days: int) -> int | None:
    """The latest earlier request `row` repeats (see the module docstring), or None."""
    same = []
    if row.contact_key:
        same.append(CaseRow.contact_key == row.contact_key)
    place = place_of(row)
    if place:
        same.append(and_(CaseRow.region_code == row.region_code, or_(
            CaseRow.grid == place, and_(CaseRow.grid == "", CaseRow.village == place),
            and_(CaseRow.grid == "", CaseRow.village == "", CaseRow.address == place))))  # fmt: skip
    if not same:
        return None
    q = (
        select(CaseRow.id)
        .where(
            or_(*same),
            CaseRow.category == row.category,
            CaseRow.county_code == county,
            CaseRow.received_at >= row.received_at - timedelta(days=window_days),
            CaseRow.received_at <= row.received_at,
        )
        .order_by(CaseRow.received_at.desc(), CaseRow.id.desc())
    )
    if row.id is not None:
        q = q.where(CaseRow.id != row.id)
    return s.scalar(q.limit(1))


def _matches(c, row: CaseRow, place: str) -> bool:
    """`repeat_of`'s condition in Python, for a candidate `c` of the same category and county in the window."""
    if row.contact_key and c.contact_key == row.contact_key:
        return True
    return bool(place) and c.region_code == row.region_code and (
        c.grid == place or (c.grid == "" and c.village == place)
        or (c.grid == "" and c.village == "" and c.address == place))  # fmt: skip


def repeat_of_many(s: Session, rows: list[CaseRow], window_days: int) -> list[int | None]:
    """`repeat_of` for each of a batch of just-flushed rows (ids in batch order), as if each had been taken in
    one after the other: the earlier requests are the stored ones and the batch rows before it. One query."""
    if not rows:
        return []
    keys = {r.contact_key for r in rows if r.contact_key}
    regions = {r.region_code for r in rows if place_of(r)}
    ids = {r.id for r in rows}
    start = min(_aware(r.received_at) for r in rows) - timedelta(days=window_days)
    end = max(_aware(r.received_at) for r in rows)
    near = [CaseRow.contact_key.in_(sorted(keys))] if keys else []
    if regions:
        near.append(CaseRow.region_code.in_(sorted(regions)))
    found = []
    if near:
        q = select(CaseRow.id, CaseRow.contact_key, CaseRow.region_code, CaseRow.grid, CaseRow.village,
                   CaseRow.address, CaseRow.category, CaseRow.county_code, CaseRow.received_at).where(
            or_(*near), CaseRow.county_code.in_(sorted({r.county_code for r in rows})),
            CaseRow.category.in_(sorted({r.category for r in rows})),
            CaseRow.received_at >= start, CaseRow.received_at <= end)  # fmt: skip
        found = [c for c in s.execute(q) if c.id not in ids]
    by_group: dict[tuple[str, str], list] = {}
    for c in found:
        by_group.setdefault((c.county_code, c.category), []).append((_aware(c.received_at), c.id, c))
    out: list[int | None] = []
    for r in rows:
        group = by_group.setdefault((r.county_code, r.category), [])
        at, place = _aware(r.received_at), place_of(r)
        low = at - timedelta(days=window_days)
        best = None
        for when, cid, c in group:
            if low <= when <= at and _matches(c, r, place) and (best is None or (when, cid) > best[:2]):
                best = (when, cid)
        out.append(best[1] if best else None)
        group.append((at, r.id, r))  # later rows of the batch see this one, as the rows taken one by one did
    return out


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def chain_lengths(s: Session, rows: list[CaseRow], window_days: int) -> dict[int, int]:
    """For each row, how many earlier requests it repeats within the window (following `repeat_of`)."""
    links: dict[int, tuple[int | None, datetime]] = {r.id: (r.repeat_of, _aware(r.received_at)) for r in rows}
    todo = {r.repeat_of for r in rows if r.repeat_of and r.repeat_of not in links}
    while todo:
        found = s.execute(
            select(CaseRow.id, CaseRow.repeat_of, CaseRow.received_at).where(CaseRow.id.in_(todo))
        )
        todo = set()
        for cid, prev, at in found:
            links[cid] = (prev, _aware(at))
            if prev and prev not in links:
                todo.add(prev)
    out = {}
    for r in rows:
        n, prev, seen = 0, r.repeat_of, {r.id}
        while prev and prev in links and prev not in seen:
            seen.add(prev)
            up, at = links[prev]
            if (_aware(r.received_at) - at).total_seconds() > window_days * 86400:
                break
            n += 1
            prev = up
        out[r.id] = n
    return out


__all__ = ["chain_lengths", "place_of", "repeat_of", "repeat_of_many"]
