"""The one pagination convention of every list: `limit`, `offset`, `total` (the API adds `next`).

A list query is counted and cut in the database (`page_query`), after the scope clause, so `total` and
the page hold only rows the caller may see; a list whose order or membership is computed in Python (a
task's status, a case's warning colour, the figures still owed) is cut by `page_list`. It lives in the
store layer so the domain services (work, cases, cascade) page their own queries without the web.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@dataclass
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int
    extra: dict[str, Any] = field(default_factory=dict)  # list-level fields (e.g. the index's weights)

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None


def page_query(
    s: Session,
    q: Select,
    limit: int | None,
    offset: int,
    convert: Callable[[Any], Any],
    *,
    rows: bool = False,
) -> Page:
    """Count `q` and read one page of it (the order of `q` is kept); `limit=None`: from `offset` to the end.
    `rows`: convert whole result rows (a select of several entities) rather than the first column."""
    total = s.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    cut = q.offset(offset) if limit is None else q.limit(limit).offset(offset)
    found = list(s.execute(cut).all() if rows else s.scalars(cut))
    return Page([convert(r) for r in found], total, len(found) if limit is None else limit, offset)


def page_list(items: Sequence[Any], limit: int | None, offset: int = 0) -> Page:
    """A page of a list already computed (and scoped); `limit=None` is the whole list."""
    limit = len(items) if limit is None else limit
    return Page(list(items[offset : offset + limit]), len(items), limit, offset)
