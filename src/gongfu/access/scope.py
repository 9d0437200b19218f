"""The one place where reads and writes are filtered by region scope (and role).

A user acts within the subtree of the region they are bound to. Every scoped read and write (work, cases,
the web service) asks a `Scope` first, in one of two forms that always agree:
- `Scope.sees(code)`, the predicate, for a record already in hand;
- `Scope.where(column)`, the same rule as an SQL clause, so lists are filtered in the database before
  any limit or offset.
Both come from `subtree_rule`: GB/T 2260 and 统计用区划代码 are prefix codes, so a subtree is a range on the
code prefix (a b-tree index serves it in any collation), corrected by the registry's tree
(`Registry.is_within`) for any code whose prefix says otherwise. Records without a region are visible to
admins only.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import and_, or_

from gongfu.access.roles import allowed, require_permission
from gongfu.access.users import Principal
from gongfu.errors import NotFound, ScopeError, ValidationFailed
from gongfu.regions import Region, Registry, load

T = TypeVar("T")


class OutOfScopeRows(ValidationFailed):
    """Rows of an upload for regions outside the user's subtree (HTTP 403, with every row listed)."""


def code_prefix(code: str) -> str:
    """The code prefix shared by a region's subtree: 33 / 3304 / 330402 / 330402007."""
    if len(code) == 6:
        return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return code


@dataclass(frozen=True)
class SubtreeRule:
    """Codes in [low, high) except `outside`, plus `extra`: the subtree of one region."""

    low: str
    high: str
    outside: frozenset[str]
    extra: frozenset[str]

    def holds(self, code: str) -> bool:
        return (self.low <= code < self.high and code not in self.outside) or code in self.extra

    def clause(self, column: Any):
        cond = and_(column >= self.low, column < self.high)
        if self.outside:
            cond = and_(cond, column.not_in(sorted(self.outside)))
        return or_(cond, column.in_(sorted(self.extra))) if self.extra else cond


@lru_cache(maxsize=4)
def _codes(registry: Registry) -> list[str]:
    return registry.codes()


_RULE_LOCK = threading.Lock()


def subtree_rule(registry: Registry, code: str) -> SubtreeRule:
    """The subtree of `code` as a prefix range, exact for every code of the registry. Built once per
    registry and region under a lock: the many threads of a server asking for the same region at once
    wait for one build instead of each repeating it."""
    with _RULE_LOCK:  # a cache hit holds it for a dictionary lookup
        return _cached_rule(registry, code)


@lru_cache(maxsize=1024)
def _cached_rule(registry: Registry, code: str) -> SubtreeRule:
    root = registry.get(code).code
    low = code_prefix(root)
    high = low[:-1] + chr(ord(low[-1]) + 1)
    codes = _codes(registry)
    i, j = bisect_left(codes, low), bisect_left(codes, high)
    members = registry.subtree(root)  # one walk down the tree, not an ancestor walk per code
    outside = frozenset(c for c in codes[i:j] if c not in members)
    extra = frozenset(c for c in members if not low <= c < high)
    return SubtreeRule(low, high, outside, extra)


def within_clause(registry: Registry, column: Any, code: str):
    """SQL: `column` lies in the subtree of region `code`."""
    return subtree_rule(registry, code).clause(column)


@dataclass
class Scope:
    principal: Principal
    registry: Registry = field(default_factory=load)

    @property
    def root(self) -> str:
        return self.principal.region_code

    @property
    def actor(self) -> str:
        return self.principal.name

    @property
    def sees_unregioned(self) -> bool:
        """Records without a region (e.g. user administration) are for admins."""
        return allowed(self.principal.role, "audit.read")

    def sees(self, code: str | None) -> bool:
        """Whether a record in region `code` lies in this user's subtree (the predicate of `where`)."""
        if code is None:
            return self.sees_unregioned
        return subtree_rule(self.registry, self.root).holds(code)

    def where(self, column: Any, region: str | None = None):
        """The SQL clause of `sees` on a region-code column; with `region` (code or name, checked to be in
        scope), only that region's subtree."""
        if region is not None:
            return within_clause(self.registry, column, self.region(region).code)
        cond = within_clause(self.registry, column, self.root)
        return or_(cond, column.is_(None)) if self.sees_unregioned else cond

    def region(self, code_or_name: str) -> Region:
        """The region named by a request; ScopeError (403) when it lies outside the user's subtree."""
        region = self.registry.resolve(code_or_name)
        if not self.sees(region.code):
            raise ScopeError(
                f"地区 {self.registry.describe(region.code)} 不在您的管辖范围内"
                f"（{self.registry.describe(self.root)}）"
            )
        return region

    def need(self, permission: str) -> None:
        """ScopeError (403) unless the user's role holds the permission."""
        require_permission(self.principal.role, permission)

    def visible(self, code: str | None, what: str) -> None:
        """NotFound (404) for a record outside the scope, so its existence is not revealed."""
        if not self.sees(code):
            raise NotFound(f"没有{what}（或不在您的管辖范围内）")

    def keep(self, items: Iterable[T], region_of: Callable[[T], str | None]) -> list[T]:
        """Records computed in memory (not read from a table) that lie in the scope."""
        return [x for x in items if self.sees(region_of(x))]
