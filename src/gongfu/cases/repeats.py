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


__all__ = ["chain_lengths", "place_of", "repeat_of"]
