"""The one pagination convention of every API list: `limit`, `offset`, `total`, `next`.

A list query is counted and cut in the database (`page_query`), after the scope clause, so `total` and
the page hold only rows the caller may see; a list computed in memory is cut by `page_list`.
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


def page_query(s: Session, q: Select, limit: int, offset: int, convert: Callable[[Any], Any]) -> Page:
    """Count `q` and read one page of it (the order of `q` is kept)."""
    total = s.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    rows = s.scalars(q.limit(limit).offset(offset))
    return Page([convert(r) for r in rows], total, limit, offset)


def page_list(items: Sequence[Any], limit: int | None, offset: int = 0) -> Page:
    """A page of a list already computed (and scoped); `limit=None` is the whole list."""
    limit = len(items) if limit is None else limit
    return Page(list(items[offset : offset + limit]), len(items), limit, offset)
